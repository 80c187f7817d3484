"""The lifecycle walker: a real project taken through a seeded random sequence of the
changes of its life, with the invariants checked after every step.

A walk starts from `quickscale init` with a source repository of its own (it commits to
it), then takes random steps: a quickscale.yml edit (modules on and off with options
from their manifests, the theme, customization models and fields) followed by
`generate`, a rename of a model or field that holds rows, a hand edit of a generated
file, a newer core from the source with or without a conflict (resolved or aborted),
`sync push` of a fix made in the embedded core, and `deploy --dry-run` with stand-ins
for `docker` and `flyctl`.

The walker knows no particular error. A command that fails must exit with a code
docs/cli.md documents for it, print no traceback and name its fix in its first
`error:` line; when that fix is a command (`run '<command>'`), the walker runs it
verbatim and runs the step again, a bounded number of times. Conflict markers in the
files the command names are the one failure it settles by hand: it resolves them,
keeping both sides' edits, or aborts the merge.

After every step: no unfinished merge, every hand edit's marker still in its file (or
in a reported conflict), rows put in a customization table still there, and
`makemigrations --check` clean. At the end: `status` in sync, the project's own tests
and `check --deploy --fail-level WARNING` under production variables.
"""

from __future__ import annotations

import copy
import io
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import time
import tokenize
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from quickscale_testing.repos import TEST_IDENTITY
from quickscale_toolchain.catalog import Catalog
from quickscale_toolchain.components import Component
from quickscale_toolchain.manifest import Manifest, option_keys

MAX_ROUNDS = 5  # runs of one step: the first, then one after each fix followed
MARKER_PREFIX = "lifecycle-marker"
FIX = re.compile(r"run '([^']+)'")
TRACEBACK = "Traceback (most recent call last)"


class Finding(AssertionError):
    """A behaviour of the product that an invariant of the walk rejects."""


# --- What the docs promise --------------------------------------------------------------


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def command_name(usage: str) -> str:
    """``sync push --component C`` -> ``sync push``: the words before the first option."""
    words = []
    for word in usage.strip("`").split():
        if not re.fullmatch(r"[a-z][a-z-]*", word):
            break
        words.append(word)
    return " ".join(words)


def documented_exit_codes(cli_doc: str) -> dict[str, frozenset[int]]:
    """Each command's exit codes, from docs/cli.md: its row of the commands table, plus
    the codes of the general table that are not said to be one command's only."""
    general: set[int] = set()
    commands: dict[str, frozenset[int]] = {}
    column = None
    for line in cli_doc.splitlines():
        if not line.startswith("|"):
            continue
        cells = _cells(line)
        if "exit codes" in cells:
            column = cells.index("exit codes")
        elif len(cells) == 2 and cells[0].isdigit() and "only" not in cells[1]:
            general.add(int(cells[0]))
        elif column is not None and len(cells) > column and cells[0].startswith("`"):
            codes = re.findall(r"(?:^|;)\s*(\d+)\b", cells[column])
            commands[command_name(cells[0])] = frozenset(int(c) for c in codes)
    return {name: codes | general for name, codes in commands.items()}


def documented_options(cli_doc: str, command: str) -> str:
    """The usage cell of ``command``'s row, to learn whether an option exists."""
    for line in cli_doc.splitlines():
        cells = _cells(line)
        usage = line.startswith("|") and cells and cells[0].startswith("`")
        if usage and command_name(cells[0]) == command:
            return cells[0]
    return ""


# --- Reading what a failed command says ---------------------------------------------------


def first_fix(stderr: str) -> str | None:
    """The command the error names as its fix (the first ``run '…'``), if any."""
    found = FIX.search(stderr)
    return found.group(1) if found else None


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


# --- Conflicts -----------------------------------------------------------------------------


def has_markers(text: str) -> bool:
    return bool(re.search(r"^<{7}( |$)", text, re.M)) and bool(re.search(r"^>{7}( |$)", text, re.M))


def resolve_keeping_both(text: str) -> str:
    """Each conflict hunk becomes the incoming side (the new render, the source's
    version) with the walk's own edits of the other side kept in front of it: the
    walker's edits are marker lines only, so this keeps both sides' changes (taking
    both sides whole would repeat any line both changed)."""
    out: list[str] = []
    side: str | None = None
    ours: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("<<<<<<<"):
            side, ours = "ours", []
        elif side == "ours" and line.startswith("|||||||"):
            side = "base"
        elif side in ("ours", "base") and line.startswith("======="):
            out += [kept for kept in ours if MARKER_PREFIX in kept]
            side = "theirs"
        elif side == "theirs" and line.startswith(">>>>>>>"):
            side = None
        elif side == "ours":
            ours.append(line)
        elif side != "base":
            out.append(line)
    return "".join(out)


# --- Hand edits ------------------------------------------------------------------------------


def comment_for(path: str, marker: str) -> str:
    """A line holding ``marker`` that changes nothing in a file of this kind."""
    if path.endswith(".html"):
        return "{# " + marker + " #}\n"
    if path.endswith(".md"):
        return f"<!-- {marker} -->\n"
    return f"# {marker}\n"


def safe_line_starts(path: str, text: str) -> list[int]:
    """0-based line indexes before which a comment line may go: anywhere in a template;
    in Python, not inside a multi-line string nor after a backslash continuation; in
    other files (YAML block scalars, Dockerfile continuations) only at the end."""
    lines = text.splitlines(keepends=True)
    if path.endswith(".html"):
        return list(range(len(lines) + 1))
    if not path.endswith(".py"):
        return [len(lines)]
    inside: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING and token.end[0] > token.start[0]:
            inside.update(range(token.start[0], token.end[0]))  # 0-based: lines after the first
    return [
        index
        for index in range(len(lines) + 1)
        if index not in inside and not (index and lines[index - 1].rstrip("\n").endswith("\\"))
    ]


def insert_line(text: str, index: int, line: str) -> str:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.insert(index, line)
    return "".join(lines)


# --- Rows in customization tables -----------------------------------------------------------

# Run by the project's `manage.py shell -c`: puts rows in a model, whatever its fields.
INSERT_ROWS = """
import datetime, decimal, json, uuid
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

def value(f, i):
    n = uuid.uuid4().hex
    if f.choices:
        return f.choices[0][0]
    t = f.get_internal_type()
    size = f.max_length or 32
    table = {
        "CharField": n[:size], "TextField": n, "SlugField": n[:size],
        "EmailField": n[:12] + "@example.com", "URLField": "https://example.com/" + n[:8],
        "IntegerField": 100 + i, "BigIntegerField": 100 + i, "SmallIntegerField": i,
        "PositiveIntegerField": i, "PositiveBigIntegerField": i,
        "PositiveSmallIntegerField": i, "DecimalField": decimal.Decimal(i % 10),
        "FloatField": 0.5 + i, "BooleanField": True, "DateField": datetime.date(2024, 1, 2),
        "DateTimeField": timezone.now(), "TimeField": datetime.time(12, 30),
        "UUIDField": uuid.uuid4(), "JSONField": {"n": n[:6]},
    }
    return table[t]

def fill(model, i, depth=0):
    values = {}
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.is_relation:
            rel = f.related_model
            target = rel.objects.first()
            if target is None and rel is get_user_model():
                name = "walker" + uuid.uuid4().hex[:8]
                target = rel.objects.create_user(name, name + "@example.com", "walk-pass-9")
            elif target is None and depth < 3:
                target = fill(rel, i, depth + 1)
            values[f.name] = target
        else:
            values[f.attname] = value(f, i)
    return model.objects.create(**values)

for name, count in json.loads(WANTED).items():
    model = apps.get_model(APP, name)
    for i in range(count):
        fill(model, i)
"""

# Run by `manage.py shell -c`: each model's rows and each field's non-null values.
COUNT_ROWS = """
import json
from django.apps import apps
counts = {}
for name in json.loads(WANTED):
    try:
        model = apps.get_model(APP, name)
    except LookupError:
        counts[name] = None
        continue
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    counts[name] = {
        "rows": model.objects.count(),
        "fields": {
            f.name: model.objects.exclude(**{f.name + "__isnull": True}).count() for f in fields
        },
    }
print("COUNTS=" + json.dumps(counts))
"""


# --- Customization models ------------------------------------------------------------------

MODEL_NAMES = (
    "Product", "Invoice", "Ticket", "Shipment", "Coupon", "Vendor", "Gadget", "Parcel",
    "Receipt", "Booking", "Voucher", "Carrier", "Warehouse", "Quote",
)  # fmt: skip
FIELD_NAMES = (
    "title", "amount", "note", "code", "starts_on", "active", "price", "contact", "website",
    "handle", "ref", "payload", "owner", "weight", "opens_at", "label", "caption", "rating",
)  # fmt: skip
FIELD_TYPES = (
    "string", "text", "integer", "big_integer", "decimal", "float", "boolean", "date",
    "datetime", "time", "email", "url", "slug", "uuid", "json", "foreign_key",
)  # fmt: skip
DEFAULTS: dict[str, Any] = {
    "string": "draft",
    "text": "none yet",
    "integer": 3,
    "big_integer": 9,
    "decimal": 1.5,
    "float": 0.25,
    "boolean": False,
    "date": "2024-01-02",
    "datetime": "2024-01-02T03:04:05Z",
    "time": "12:30",
    "email": "team@example.com",
    "url": "https://example.com",
    "slug": "a-slug",
    "uuid": "12345678-1234-5678-1234-567812345678",
}


def plain(value: Any) -> Any:
    """Manifest data (read-only mappings, tuples) as YAML-writable dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


# --- Running things ----------------------------------------------------------------------------


@dataclass
class Ran:
    command: str
    code: int
    stdout: str
    stderr: str
    seconds: float

    def show(self, lines: int = 30) -> str:
        out = "\n".join(self.stdout.splitlines()[-lines:])
        err = "\n".join(self.stderr.splitlines()[-lines:])
        return f"$ {self.command}\nexit {self.code} ({self.seconds:.1f}s)\n{out}\n{err}"


@dataclass
class Marker:
    text: str
    path: str
    committed: bool


@dataclass(frozen=True)
class Components:
    """The source's modules and themes, as their manifests describe them."""

    catalog: Catalog

    @property
    def module_names(self) -> list[str]:
        return sorted(self.catalog.modules)

    @property
    def themes(self) -> list[str]:
        return sorted(self.catalog.themes)

    def manifest(self, name: str) -> Manifest:
        entry = self.catalog.get(Component("modules", name))
        assert entry is not None, f"the source has no module {name}"
        return entry.manifest

    def requires(self, name: str) -> set[str]:
        """The modules ``name`` needs, directly or through others."""
        resolved = self.catalog.resolve(self.themes[0], [name])
        return {e.component.name for e in resolved if e.component.kind == "modules"} - {name}

    def provider_env(self) -> set[str]:
        return {
            variable
            for module in self.module_names
            for provider in self.manifest(module).providers
            for variable in provider.env
        }


@dataclass
class Tools:
    """What every walk shares: the CLI, the docs' promises, the components' manifests,
    the venv recipe and the stand-in tools."""

    quickscale: str
    exit_codes: Mapping[str, frozenset[int]]
    generate_usage: str
    components: Components
    make_venv: Callable[[Path], object]
    clean_env: Callable[..., dict[str, str]]
    production_env: Callable[..., dict[str, str]]
    log_dir: Path


# Two deploy environments, one per target (docs/deploy.md).
ENVIRONMENTS: Mapping[str, dict[str, Any]] = {
    "staging": {"deploy": {"target": "fly", "app": "walk-staging", "region": "fra"}},
    "production": {
        "domain": "www.walk.example",
        "deploy": {
            "target": "compose",
            "host": "ssh://deploy@203.0.113.7",
            "acme_email": "ops@walk.example",
        },
        "processes": {"web": 1, "worker": 1},
    },
}

# Providers' keys that have a recognisable shape (a check refuses others).
VALUE_SHAPES = (
    ("PUBLISHABLE_KEY", "pk_test_"),
    ("STRIPE_SECRET_KEY", "sk_test_"),
    ("WEBHOOK_SECRET", "whsec_"),
)

# How often each step is drawn.
STEPS: Mapping[str, float] = {
    "config": 4.0,
    "rename": 1.5,
    "hand_edit": 2.0,
    "update_core": 1.5,
    "sync_push": 1.0,
    "deploy": 1.0,
}

STAND_IN = """#!/bin/sh
# A stand-in for {tool}: records its arguments, succeeds, ships nothing.
echo "{tool} $*" >> "{log}"
"""


@dataclass
class Walk:
    seed: int
    work: Path
    source: Path
    tools: Tools
    soak: bool = False
    rng: random.Random = field(init=False)
    name: str = field(init=False)
    root: Path = field(init=False)
    markers: list[Marker] = field(default_factory=list)
    pending_source: list[tuple[str, str]] = field(default_factory=list)  # (marker, path)
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    reported_conflicts: set[str] = field(default_factory=set)
    steps_log: list[str] = field(default_factory=list)
    counter: int = 0
    commands: int = 0
    said: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.name = f"walk{self.seed}"
        self.root = self.work / self.name
        self.bin = self.work / "bin"
        self.bin.mkdir(parents=True, exist_ok=True)
        (self.bin / "quickscale").symlink_to(self.tools.quickscale)
        self.stand_in_log = self.work / "stand-in-calls.log"
        for tool in ("docker", "flyctl"):
            script = self.bin / tool
            script.write_text(STAND_IN.format(tool=tool, log=self.stand_in_log))
            script.chmod(0o755)
        self.log_file = self.tools.log_dir / f"walk-{self.seed}.log"
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.log_file.write_text("")

    # -- the environment of a user at a terminal in the project, venv activated ------------

    @property
    def env(self) -> dict[str, str]:
        path = os.pathsep.join(
            [str(self.root / ".venv" / "bin"), str(self.bin), os.environ["PATH"]]
        )
        return self.tools.clean_env(QUICKSCALE_SOURCE=str(self.source), PATH=path, **TEST_IDENTITY)

    def note(self, text: str) -> None:
        self.steps_log.append(text)
        with self.log_file.open("a") as handle:
            handle.write(text + "\n")
        print(f"[walk {self.seed}] {text}", flush=True)

    def fail(self, what: str, ran: Ran | None = None) -> Finding:
        history = "\n".join(self.steps_log[-15:])
        shown = f"\n{ran.show()}" if ran else ""
        return Finding(
            f"walk seed={self.seed} ({self.root}): {what}{shown}\n-- steps so far:\n{history}"
        )

    def execute(
        self,
        args: Sequence[str] | str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: int = 1200,
    ) -> Ran:
        shell = isinstance(args, str)
        start = time.monotonic()
        done = subprocess.run(
            args if shell else list(args),
            shell=shell,
            cwd=cwd or self.root,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        command = args if isinstance(args, str) else " ".join(args)
        self.commands += 1
        return Ran(command, done.returncode, done.stdout, done.stderr, time.monotonic() - start)

    def must(
        self, args: Sequence[str] | str, cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> Ran:
        ran = self.execute(args, cwd, env)
        if ran.code != 0:
            raise self.fail("a command the walk relies on failed", ran)
        return ran

    def git(self, *args: str, cwd: Path | None = None) -> Ran:
        return self.must(["git", *args], cwd=cwd)

    def manage(self, *args: str, env: dict[str, str] | None = None) -> Ran:
        python = str(self.root / ".venv" / "bin" / "python")
        return self.execute([python, "manage.py", *args], env=env or self.tools.clean_env())

    def quickscale(self, *args: str, cwd: Path | None = None) -> Ran:
        """A real CLI run, with the invariants of every exit checked."""
        ran = self.execute([self.tools.quickscale, *args], cwd=cwd)
        self.check_exit(ran, args)
        return ran

    def check_exit(self, ran: Ran, args: Sequence[str]) -> None:
        """A documented exit code, no traceback, and a failure's first error line names
        its fix."""
        words = [a for a in args if not a.startswith("-")]
        key = " ".join(words[:2]) if " ".join(words[:2]) in self.tools.exit_codes else words[0]
        documented = self.tools.exit_codes.get(key)
        if documented is None:
            raise self.fail(f"docs/cli.md has no row for '{key}'", ran)
        if ran.code not in documented:
            raise self.fail(
                f"exit {ran.code} is not a documented code of '{key}' {sorted(documented)}", ran
            )
        if TRACEBACK in ran.stdout + ran.stderr:
            raise self.fail("a traceback was printed", ran)
        if ran.code not in (0, 3):
            errors = error_lines(ran.stderr)
            if not errors:
                raise self.fail("it failed without an 'error: ' line on stderr", ran)
            if " — " not in errors[0]:
                raise self.fail("its error line names no fix ('what — fix')", ran)

    # -- converging: follow the printed fix, settle conflicts, run again --------------------

    def converge(self, *args: str, on_conflict: str | None = None) -> Ran:
        """Run ``quickscale ARGS`` until it succeeds: after a failure, run the fix it names
        verbatim, or settle its conflict, then run it again. ``self.said`` keeps what
        every run printed."""
        followed: list[str] = []
        self.said = []
        for _ in range(MAX_ROUNDS):
            ran = self.quickscale(*args)
            self.said.append(ran.stdout + ran.stderr)
            self.note(f"    quickscale {' '.join(args)} -> {ran.code} ({ran.seconds:.1f}s)")
            if ran.code == 0:
                return ran
            conflicted = self.conflicted_files()
            if conflicted:
                if self.settle(conflicted, ran, on_conflict) == "aborted":
                    return ran
                continue
            fix = first_fix(ran.stderr)
            if fix is None:
                raise self.fail("it failed without a fix to run ('run '…'')", ran)
            if followed.count(fix) >= 2:
                raise self.fail(f"following the fix '{fix}' does not converge", ran)
            followed.append(fix)
            self.follow(fix)
        raise self.fail(f"no success after {MAX_ROUNDS} runs and fixes", ran)

    def follow(self, fix: str) -> None:
        """Run a printed fix verbatim. A quickscale command is held to the same
        invariants; one that stops on a conflict (an update that a push asked for) gets
        the conflict resolved, as its own output says."""
        done = self.execute(fix)
        self.said.append(done.stdout + done.stderr)
        self.note(f"    fix: {fix} -> {done.code} ({done.seconds:.1f}s)")
        if fix.startswith("quickscale "):
            self.check_exit(done, shlex.split(fix)[1:])
        if done.code == 0:
            return
        conflicted = self.conflicted_files()
        if not conflicted:
            raise self.fail(f"the printed fix '{fix}' fails when run verbatim", done)
        self.settle(conflicted, done, "resolve")

    def conflicted_files(self) -> list[str]:
        """Files git reports unmerged, and changed files that hold conflict markers."""
        unmerged = self.git("diff", "--name-only", "--diff-filter=U").stdout.split()
        changed = self.git("status", "--porcelain", "--untracked-files=no").stdout.splitlines()
        found = set(unmerged)
        for line in changed:
            path = line[3:].split(" -> ")[-1]
            target = self.root / path
            if target.is_file() and has_markers(target.read_text(errors="replace")):
                found.add(path)
        return sorted(found)

    def merging(self) -> bool:
        return (self.root / ".git" / "MERGE_HEAD").exists()

    def settle(self, conflicted: list[str], ran: Ran, choice: str | None) -> str:
        """A conflict: the failing command must name its files; then resolve them, keeping
        both sides' edits (and commit, in a git merge), or abort the merge."""
        unnamed = [p for p in conflicted if p not in ran.stdout + ran.stderr]
        if unnamed:
            raise self.fail(f"conflict markers in {unnamed}, which the output does not name", ran)
        self.reported_conflicts = set(conflicted)
        self.check_markers()
        choice = choice or self.rng.choice(("resolve", "abort"))
        if self.merging() and choice == "abort":
            self.abort_merge(conflicted)
            return "aborted"
        for path in conflicted:
            target = self.root / path
            target.write_text(resolve_keeping_both(target.read_text()))
        if self.merging():
            self.git("add", "--", *conflicted)
            self.git("commit", "-q", "--no-edit")
        self.reported_conflicts = set()
        self.note(f"    resolved {', '.join(conflicted)} keeping both sides")
        return "resolved"

    def abort_merge(self, conflicted: list[str]) -> None:
        """Abort: half the time as the refusal of the next command says (the walker
        follows its fix), half the time by hand."""
        if self.rng.random() < 0.5:
            probe = self.rng.choice((["status"], ["generate"], ["update", "--check"], ["validate"]))
            ran = self.quickscale(*probe)
            self.note(f"    during the merge: quickscale {' '.join(probe)} -> {ran.code}")
            if ran.code == 0:
                raise self.fail("a command ran during an unfinished merge", ran)
            missing = [p for p in conflicted if p not in ran.stderr]
            if missing:
                raise self.fail(f"the refusal does not name the conflicted {missing}", ran)
            fix = first_fix(ran.stderr)
            if fix is None:
                raise self.fail("the refusal during a merge names no command to run", ran)
            done = self.execute(fix)
            self.note(f"    fix: {fix} -> {done.code}")
            if done.code != 0 or self.merging():
                raise self.fail(f"its fix '{fix}' did not end the merge", done)
        else:
            self.git("merge", "--abort")
            self.note("    git merge --abort")
        self.reported_conflicts = set()

    # -- invariants ---------------------------------------------------------------------------

    def check_markers(self) -> None:
        for marker in self.markers:
            target = self.root / marker.path
            text = target.read_text(errors="replace") if target.is_file() else ""
            if marker.text not in text:
                where = "deleted" if not target.is_file() else "without it"
                raise self.fail(f"the hand edit {marker.text} of {marker.path} is lost ({where})")

    def check_cheap(self) -> None:
        if self.merging():
            raise self.fail("a merge is left unfinished after the step")
        self.check_markers()
        ran = self.manage("makemigrations", "--check", "--dry-run")
        if ran.code != 0:
            raise self.fail("makemigrations --check is not clean", ran)

    # -- the config ---------------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.root / "quickscale.yml"

    def config(self) -> dict[str, Any]:
        return dict(yaml.safe_load(self.config_path.read_text()) or {})

    def write_config(self, config: dict[str, Any]) -> None:
        self.config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))

    def models(self, config: dict[str, Any]) -> list[dict[str, Any]]:
        return list((config.get("customizations") or {}).get("models") or [])

    def set_models(self, config: dict[str, Any], models: list[dict[str, Any]]) -> None:
        custom = dict(config.get("customizations") or {})
        if models:
            custom["models"] = models
        else:
            custom.pop("models", None)
        if custom:
            config["customizations"] = custom
        else:
            config.pop("customizations", None)

    def next_marker(self, what: str) -> str:
        self.counter += 1
        return f"{MARKER_PREFIX}-{self.seed}-{self.counter}-{what}"

    # -- starting --------------------------------------------------------------------------

    def start(self) -> None:
        theme = self.rng.choice(sorted(self.tools.components.themes))
        start = time.monotonic()
        source = str(self.source)
        args = ("init", self.name, "--theme", theme, "--source", source)
        ran = self.quickscale(*args, cwd=self.work)
        if ran.code != 0:
            raise self.fail("init failed", ran)
        self.tools.make_venv(self.root)
        self.note(f"init --theme {theme}, venv ({time.monotonic() - start:.1f}s)")

    # -- the steps -------------------------------------------------------------------------

    def step_config(self) -> str:
        """One edit of quickscale.yml with one to three changes, then generate."""
        config = self.config()
        changes: list[str] = []
        wanted = self.rng.choice((1, 1, 2, 3))
        for _ in range(20):
            if len(changes) == wanted:
                break
            change = self.rng.choice(
                (
                    self.enable_module,
                    self.enable_module,
                    self.disable_module,
                    self.switch_theme,
                    self.add_model,
                    self.add_model,
                    self.change_model,
                    self.remove_model,
                )
            )
            said = change(config)
            if said:
                changes.append(said)
        if not changes:
            return "config: nothing to change"
        self.note("    " + "; ".join(changes))
        self.write_config(config)
        self.generate()
        self.after_model_change()
        return "config: " + "; ".join(changes)

    def generate(self, *extra: str) -> Ran:
        args = ["generate", *extra]
        if "--no-commit" in self.tools.generate_usage and self.rng.random() < 0.2:
            args.append("--no-commit")
        uncommitted = [m for m in self.markers if not m.committed]
        ran = self.converge(*args, on_conflict="resolve")
        if "--no-commit" in args:  # reviewed, then committed by the user
            self.commit_all("Reviewed what generate did")
            return ran
        head = self.git("log", "-1", "--format=%H").stdout.strip()
        said = "\n".join([*self.said, self.git("log", "-1", "--format=%B").stdout])
        for marker in uncommitted:
            shown = self.execute(["git", "show", f"{head}:{marker.path}"])
            if marker.text in shown.stdout and marker.path not in said:
                raise self.fail(
                    f"generate committed the user's edit of {marker.path} without naming it", ran
                )
            if marker.text in shown.stdout:
                marker.committed = True
        return ran

    def module_entry(self, name: str) -> Any:
        """Options for a module: one of its manifest's examples, or values within its
        option schema, with one of its providers."""
        manifest = self.tools.components.manifest(name)
        if manifest.examples and self.rng.random() < 0.5:
            return plain(self.rng.choice(manifest.examples).options) or None
        options: dict[str, Any] = {}
        for key, schema in manifest.options.items():
            if "default" not in schema or self.rng.random() < 0.5:
                continue
            if schema.get("type") == "boolean":
                options[key] = self.rng.choice((True, False))
            elif schema.get("type") == "integer":
                options[key] = self.rng.randint(
                    schema.get("minimum", 0), schema.get("maximum", 100)
                )
        if len(manifest.providers) > 1 and self.rng.random() < 0.7:
            options["provider"] = self.rng.choice(manifest.providers).name
        return options or (None if self.rng.random() < 0.5 else {})

    def enable_module(self, config: dict[str, Any]) -> str:
        modules = dict(config.get("modules") or {})
        off = [m for m in self.tools.components.module_names if m not in modules]
        if not off:
            return ""
        name = self.rng.choice(off)
        modules[name] = self.module_entry(name)
        added = [name]
        for required in self.tools.components.requires(name):
            if required not in modules and self.rng.random() < 0.5:
                modules[required] = self.module_entry(required)
                added.append(required)
        config["modules"] = modules
        return "enable " + ", ".join(f"{m} {json.dumps(modules[m])}" for m in added)

    def disable_module(self, config: dict[str, Any]) -> str:
        modules = dict(config.get("modules") or {})
        if not modules:
            return ""
        name = self.rng.choice(sorted(modules))
        gone = [name] + [m for m in modules if name in self.tools.components.requires(m)]
        for module in gone:
            modules.pop(module, None)
        if modules:
            config["modules"] = modules
        else:
            config.pop("modules", None)
        return "disable " + ", ".join(gone)

    def switch_theme(self, config: dict[str, Any]) -> str:
        themes = [t for t in sorted(self.tools.components.themes) if t != config.get("theme")]
        config["theme"] = self.rng.choice(themes)
        return f"theme {config['theme']}"

    def new_field(
        self, names: list[str], targets: list[str], existing_rows: bool
    ) -> dict[str, Any]:
        name = self.rng.choice(
            [n for n in FIELD_NAMES if n not in names] or [f"field_{len(names)}"]
        )
        kind = self.rng.choice(FIELD_TYPES)
        spec: dict[str, Any] = {"name": name, "type": kind}
        if kind == "foreign_key":
            spec["to"] = self.rng.choice(["User", *targets])
            if existing_rows or self.rng.random() < 0.3:
                spec.update(required=False, on_delete="set_null")
            return spec
        if kind == "string" and self.rng.random() < 0.5:
            spec["max_length"] = self.rng.choice((20, 60, 120))
        if kind == "decimal" and self.rng.random() < 0.5:
            spec.update(max_digits=8, decimal_places=2)
        if kind in ("string", "email", "slug", "uuid") and self.rng.random() < 0.15:
            spec["unique"] = True
            spec["required"] = not existing_rows
            return spec
        # A field added to a table with rows needs a default or to be optional.
        if (
            kind in DEFAULTS
            and (existing_rows or self.rng.random() < 0.3)
            and self.rng.random() < 0.6
        ):
            spec["default"] = DEFAULTS[kind]
        elif existing_rows or self.rng.random() < 0.3:
            spec["required"] = False
        if self.rng.random() < 0.2:
            spec["help_text"] = f'Walk {self.seed}\'s field: "{name}" {{{{ not a template }}}}'
        return spec

    def add_model(self, config: dict[str, Any]) -> str:
        models = self.models(config)
        taken = {m["name"].lower() for m in models}
        free = [n for n in MODEL_NAMES if n.lower() not in taken]
        if not free:
            return ""
        name = self.rng.choice(free)
        fields: list[dict[str, Any]] = []
        for _ in range(self.rng.randint(1, 3)):
            fields.append(
                self.new_field([f["name"] for f in fields], [m["name"] for m in models], False)
            )
        model: dict[str, Any] = {"name": name, "fields": fields}
        if self.rng.random() < 0.4:
            model["description"] = f"Something walk {self.seed} keeps: 'quotes', #hash."
        models.append(model)
        self.set_models(config, models)
        return f"add model {name} ({', '.join(f['name'] + ':' + f['type'] for f in fields)})"

    def change_model(self, config: dict[str, Any]) -> str:
        models = self.models(config)
        if not models:
            return ""
        model = self.rng.choice(models)
        fields = model["fields"]
        action = self.rng.choice(("add", "change", "remove"))
        if action == "remove" and len(fields) > 1:
            gone = fields.pop(self.rng.randrange(len(fields)))
            self.rows.get(model["name"], {}).get("fields", {}).pop(gone["name"], None)
            return f"remove field {model['name']}.{gone['name']}"
        if action == "change":
            spec = self.rng.choice(fields)
            if spec["type"] == "string":
                spec["max_length"] = max(spec.get("max_length", 255), 60) + 40
            elif spec["type"] == "foreign_key":
                spec.update(required=False, on_delete="set_null")
            else:
                spec["help_text"] = f"Changed by walk {self.seed} at step {len(self.steps_log)}."
            return f"change field {model['name']}.{spec['name']}"
        targets = [m["name"] for m in models if m is not model]
        spec = self.new_field([f["name"] for f in fields], targets, True)
        fields.append(spec)
        return f"add field {model['name']}.{spec['name']}:{spec['type']}"

    def remove_model(self, config: dict[str, Any]) -> str:
        models = self.models(config)
        if not models:
            return ""
        gone = models.pop(self.rng.randrange(len(models)))
        for model in models:  # what pointed at it goes in the same edit, as a user would
            model["fields"] = [f for f in model["fields"] if f.get("to") != gone["name"]]
        models = [m for m in models if m["fields"]]
        self.set_models(config, models)
        self.rows.pop(gone["name"], None)
        kept = {m["name"] for m in models}
        self.rows = {k: v for k, v in self.rows.items() if k in kept}
        return f"remove model {gone['name']}"

    # -- rows, and renames that must keep them ------------------------------------------------

    def migrate(self) -> None:
        ran = self.manage("migrate", "--noinput")
        if ran.code != 0:
            raise self.fail("manage.py migrate failed", ran)

    def counts(self, names: Sequence[str]) -> dict[str, Any]:
        script = (
            f"APP = {self.name!r}\nWANTED = {json.dumps(json.dumps(list(names)))}\n" + COUNT_ROWS
        )
        ran = self.manage("shell", "-c", script)
        found = re.search(r"^COUNTS=(.*)$", ran.stdout, re.M)
        if ran.code != 0 or not found:
            raise self.fail("counting the rows failed", ran)
        return dict(json.loads(found.group(1)))

    def put_rows(self, name: str) -> None:
        self.migrate()
        wanted = json.dumps(json.dumps({name: 3}))
        ran = self.manage("shell", "-c", f"APP = {self.name!r}\nWANTED = {wanted}\n" + INSERT_ROWS)
        if ran.code != 0:
            raise self.fail(f"putting rows in {name} failed", ran)
        self.rows[name] = self.counts([name])[name]
        self.note(f"    rows in {name}: {self.rows[name]['rows']}")

    def after_model_change(self) -> None:
        """Rows put in a table earlier are still there (a migration may not drop them)."""
        names = [m["name"] for m in self.models(self.config())]
        self.rows = {k: v for k, v in self.rows.items() if k in names}
        if not self.rows:
            return
        self.migrate()
        now = self.counts(list(self.rows))
        for name, before in self.rows.items():
            after = now.get(name)
            if after is None or after["rows"] != before["rows"]:
                raise self.fail(
                    f"the rows of {name} are gone: {before['rows']} before, {after} now"
                )
            for field_name, filled in before["fields"].items():
                if after["fields"].get(field_name, filled) < filled:
                    raise self.fail(
                        f"values of {name}.{field_name} are gone: {filled} -> {after['fields']}"
                    )
            self.rows[name] = after

    def step_rename(self) -> str:
        config = self.config()
        models = self.models(config)
        if not models:
            self.add_model(config)
            self.write_config(config)
            self.generate()
            models = self.models(config)
        model = self.rng.choice(models)
        if model["name"] not in self.rows:
            self.put_rows(model["name"])
        old_counts = self.rows.pop(model["name"])
        if self.rng.random() < 0.5:
            taken = {m["name"].lower() for m in models}
            new = self.rng.choice(
                [n for n in MODEL_NAMES if n.lower() not in taken] or [model["name"] + "Two"]
            )
            old = model["name"]
            model["name"] = new
            for other in models:
                for spec in other["fields"]:
                    if spec.get("to") == old:
                        spec["to"] = new
            self.rows[new] = old_counts
            said = f"rename model {old} -> {new}"
        else:
            spec = self.rng.choice(model["fields"])
            names = [f["name"] for f in model["fields"]]
            new = self.rng.choice(
                [n for n in FIELD_NAMES if n not in names] or [spec["name"] + "_2"]
            )
            old = spec["name"]
            spec["name"] = new
            fields = dict(old_counts["fields"])
            fields[new] = fields.pop(old, 0)
            self.rows[model["name"]] = {"rows": old_counts["rows"], "fields": fields}
            said = f"rename field {model['name']}.{old} -> {new}"
        self.note(f"    {said}")
        self.write_config(config)
        self.generate()
        self.after_model_change()
        return said + f" ({old_counts['rows']} rows kept)"

    # -- hand edits --------------------------------------------------------------------------

    def editable_files(self) -> list[str]:
        recorded = json.loads((self.root / ".quickscale" / "manifest.json").read_text())["files"]
        fixed = {
            f"{self.name}/{f}"
            for f in ("settings.py", "urls.py", "backend_extensions.py", "generated_models.py")
        }
        fixed |= {"README.md", "Dockerfile", "compose.yaml"}
        templates = {
            p for p in recorded if re.fullmatch(r"custom_frontend/templates/[^/]+\.html", p)
        }
        return sorted(
            p for p in recorded if (p in fixed or p in templates) and (self.root / p).is_file()
        )

    def step_hand_edit(self) -> str:
        path = self.rng.choice(self.editable_files())
        target = self.root / path
        text = target.read_text()
        marker = self.next_marker("edit")
        index = self.rng.choice(safe_line_starts(path, text))
        target.write_text(insert_line(text, index, comment_for(path, marker)))
        committed = self.rng.random() < 0.5
        self.markers.append(Marker(marker, path, committed))
        if committed:  # the whole file: earlier edits of it too
            self.git("commit", "-q", "-m", f"Hand edit of {path}", "--", path)
            for earlier in self.markers:
                earlier.committed = earlier.committed or earlier.path == path
        return f"hand edit {path} line {index + 1}{' (committed)' if committed else ''}"

    def commit_all(self, why: str) -> None:
        """What a user does before an update, a push or a deploy: commit their work."""
        self.git("add", "-A")
        if self.execute(["git", "diff", "--cached", "--quiet"]).code != 0:
            self.git("commit", "-q", "-m", why)
        for marker in self.markers:
            marker.committed = True

    # -- core: update from the source, push a fix back ------------------------------------------

    def core_files(self) -> list[str]:
        listed = self.git("ls-files", "quickscale_core/src/quickscale_core").stdout.split()
        touched = {m.path for m in self.markers} | {p for _, p in self.pending_source}
        return [p for p in listed if p.endswith(".py") and p not in touched]

    def source_commit(self, path: str) -> str:
        marker = self.next_marker("source")
        target = self.source / path
        target.write_text(insert_line(target.read_text(), 10**9, comment_for(path, marker)))
        self.git("commit", "-q", "-am", f"core: {marker}", cwd=self.source)
        self.pending_source.append((marker, path))
        return marker

    def step_update_core(self) -> str:
        self.commit_all("Work before updating core")
        path = self.rng.choice(self.core_files())
        conflict = self.rng.random() < 0.5
        if conflict:
            marker = self.next_marker("core-edit")
            target = self.root / path
            target.write_text(insert_line(target.read_text(), 10**9, comment_for(path, marker)))
            self.git("commit", "-q", "-m", f"Local change to {path}", "--", path)
            self.markers.append(Marker(marker, path, True))
        self.source_commit(path)
        check = self.quickscale("update", "--check", "--component", "core")
        self.note(f"    quickscale update --check --component core -> {check.code}")
        if check.code != 3:
            raise self.fail("update --check does not see the source's newer core", check)
        choice = self.rng.choice(("resolve", "abort"))
        ran = self.converge("update", "--component", "core", on_conflict=choice)
        if ran.code == 0:
            for marker, where in self.pending_source:
                if marker not in (self.root / where).read_text():
                    raise self.fail(
                        f"update succeeded but {where} lacks the source's {marker}", ran
                    )
            self.pending_source = []
            outcome = "updated"
        else:
            outcome = "aborted"
        return f"update core ({'conflict in ' + path if conflict else path}): {outcome}"

    def step_sync_push(self) -> str:
        self.commit_all("Work before a core fix")
        path = self.rng.choice(self.core_files())
        marker = self.next_marker("fix")
        target = self.root / path
        target.write_text(insert_line(target.read_text(), 10**9, comment_for(path, marker)))
        self.git("commit", "-q", "-m", f"Fix in the embedded core: {path}", "--", path)
        self.markers.append(Marker(marker, path, True))
        self.converge("sync", "push", "--component", "core")
        branches = self.git(
            "branch", "--list", "--format=%(refname:short)", "sync/*", cwd=self.source
        ).stdout.split()
        holding = [
            b
            for b in branches
            if marker in self.execute(["git", "show", f"{b}:{path}"], cwd=self.source).stdout
        ]
        if not holding:
            raise self.fail(f"sync push made no branch in the source holding {marker} in {path}")
        merged = self.rng.random() < 0.5
        if merged:  # the maintainers take the fix
            self.git(
                "merge", "-q", "--no-ff", "-m", f"Merge {holding[0]}", holding[0], cwd=self.source
            )
        return f"sync push {path} -> {holding[0]}{' (merged upstream)' if merged else ''}"

    # -- deploy ----------------------------------------------------------------------------

    def keyed_env(self) -> set[str]:
        """The variables each key of a keyed option in quickscale.yml names (the manifest's
        ``keys.env``: a social login provider's <ID>_CLIENT_ID and _CLIENT_SECRET)."""
        modules = self.config().get("modules") or {}
        return {
            variable
            for module, options in modules.items()
            for option, keyed in self.tools.components.manifest(module).settings_data.keyed.items()
            for variable in keyed.variables(option_keys((options or {}).get(option)))
        }

    def provider_values(self) -> dict[str, str]:
        """A value for every variable a provider of any module reads (manifests), and each
        key of the project's keyed options, in the shape of a real one where it has a
        known shape (Stripe's key prefixes)."""
        values = {}
        for name in sorted(self.tools.components.provider_env() | self.keyed_env()):
            prefix = next((p for suffix, p in VALUE_SHAPES if name.endswith(suffix)), "walk-")
            values[name] = f"{prefix}{name.lower()}_0123456789abcdef"
        return values

    def secrets(self) -> dict[str, str]:
        """``.env.NAME`` of a deploy: the providers' variables and the targets' own
        (docs/deploy.md)."""
        return {
            **self.provider_values(),
            "DJANGO_SECRET_KEY": "walk-secret-" + "k" * 50,
            "DATABASE_URL": "postgres://walk:walk@db.internal/walk",
            "POSTGRES_PASSWORD": "walk-postgres",
            "REDIS_URL": "redis://redis.internal:6379/0",
        }

    def step_deploy(self) -> str:
        name = self.rng.choice(sorted(ENVIRONMENTS))
        config = self.config()
        environments = dict(config.get("environments") or {})
        added = name not in environments
        if added:  # declared, and deployed without running generate first
            environments[name] = copy.deepcopy(ENVIRONMENTS[name])
            config["environments"] = environments
            self.write_config(config)
        env_file = self.root / f".env.{name}"
        env_file.write_text("".join(f"{k}={v}\n" for k, v in sorted(self.secrets().items())))
        self.commit_all(f"Before deploying {name}")
        args = ["deploy", "--env", name, "--dry-run"]
        if not (self.soak and self.rng.random() < 0.25):
            args.append("--skip-tests")
        self.stand_in_log.write_text("")
        self.converge(*args)
        calls = self.stand_in_log.read_text().splitlines()
        new = " (new environment)" if added else ""
        return f"deploy --env {name} --dry-run{new}: {len(calls)} tool calls"

    # -- the walk ----------------------------------------------------------------------------

    def step(self, index: int) -> tuple[str, float]:
        name = self.rng.choices(list(STEPS), weights=list(STEPS.values()))[0]
        self.note(f"step {index:3d} {name}…")
        start = time.monotonic()
        said = getattr(self, f"step_{name}")()
        self.check_cheap()
        seconds = time.monotonic() - start
        self.note(f"step {index:3d} done: {said} ({seconds:.1f}s)")
        return name, seconds

    def finish(self) -> float:
        """The end of a walk: in sync, the project's own tests, the deployment checks."""
        start = time.monotonic()
        self.converge("status")
        tests = self.execute(
            [
                str(self.root / ".venv" / "bin" / "python"),
                "-m",
                "pytest",
                "-q",
                "-x",
                "-p",
                "no:cacheprovider",
            ],
            env=self.tools.clean_env(),
        )
        self.note(f"    project tests -> {tests.code} ({tests.seconds:.1f}s)")
        if tests.code != 0:
            raise self.fail("the project's own tests fail", tests)
        production = self.tools.production_env(**self.provider_values())
        check = self.manage("check", "--deploy", "--fail-level", "WARNING", env=production)
        self.note(f"    check --deploy -> {check.code} ({check.seconds:.1f}s)")
        if check.code != 0:
            raise self.fail("check --deploy --fail-level WARNING is not clean in production", check)
        return time.monotonic() - start


def copy_source(source: Path, dest: Path) -> Path:
    """A walk's own copy of the source repository (the walk commits to it)."""
    shutil.copytree(source, dest, symlinks=True)
    return dest
