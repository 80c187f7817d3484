"""Renamed customization models and fields: find them, make the user say what they mean,
and have Django migrate them as renames.

generate runs ``makemigrations --noinput``, and Django's non-interactive questioner
declines every rename: a model or field renamed in quickscale.yml would become a drop
and an add, and its data would be lost. So, before anything is written:

1. :func:`rename_candidates` compares the last generated models module (its base under
   ``.quickscale/``) with the new render, without Django: a model removed and one added
   with the same fields, or, within a kept model, a field removed and one added with the
   same type and options, may be a rename.
2. :func:`choose_renames` checks the user's ``--rename``/``--drop`` choices against the
   candidates: each candidate must be decided, or generate refuses with one located
   error naming both commands (:class:`RenameUndecided`).
3. :func:`makemigrations_with_renames` runs the project's makemigrations so that Django
   makes exactly the chosen renames (RenameModel, RenameField) and nothing else.

The comparison ignores what the generator derives from a model's or field's name (a
foreign key's ``related_name``) and, for a whole model, where its foreign keys point,
as Django's own rename detection does for ``to``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quickscale_toolchain.config.diagnostics import KeyPath, did_you_mean
from quickscale_toolchain.config.model import CONFIG_FILENAME
from quickscale_toolchain.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from quickscale_toolchain.config.loader import Document
    from quickscale_toolchain.generator.migrate import MigrationOutcome

#: The script run by the project's Python, and the variable that hands it the renames.
SCRIPT = Path(__file__).with_name("rename_migrations.py")
RENAMES_ENV = "QUICKSCALE_RENAMES"


@dataclass(frozen=True)
class ModelRename:
    """Model ``old`` is now called ``new`` (its table and rows follow it)."""

    old: str
    new: str

    @property
    def gone(self) -> str:
        """What ``--drop`` names to give up this model's data instead."""
        return self.old

    @property
    def spelling(self) -> str:
        """What ``--rename`` names to keep the data: ``Product=Item``."""
        return f"{self.old}={self.new}"

    def describe(self) -> str:
        return f"model {self.old} was renamed to {self.new}"


@dataclass(frozen=True)
class FieldRename:
    """Field ``old`` of ``model`` is now called ``new`` (its column and values follow it)."""

    model: str
    old: str
    new: str

    @property
    def gone(self) -> str:
        return f"{self.model}.{self.old}"

    @property
    def spelling(self) -> str:
        return f"{self.model}.{self.old}={self.model}.{self.new}"

    def describe(self) -> str:
        return f"field {self.model}.{self.old} was renamed to {self.model}.{self.new}"


Rename = ModelRename | FieldRename

# A field declaration as the generator writes it: ``name = models.CharField(...)``.
_RELATIONS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})


def _shape(call: ast.Call, *, with_target: bool) -> str:
    """The declaration with what renames change taken out, comparable as text."""
    keywords = [k for k in call.keywords if k.arg != "related_name"]
    args = call.args
    relation = isinstance(call.func, ast.Attribute) and call.func.attr in _RELATIONS
    if relation and not with_target:
        args = args[1:]
        keywords = [k for k in keywords if k.arg != "to"]
    return ast.dump(ast.Call(func=call.func, args=args, keywords=keywords))


def _is_model(node: ast.stmt) -> bool:
    return isinstance(node, ast.ClassDef) and any(
        isinstance(base, ast.Attribute) and base.attr == "Model" for base in node.bases
    )


def declared_models(source: bytes | None) -> dict[str, dict[str, ast.Call]]:
    """Model name -> field name -> its ``models.X(...)`` call, from a generated models
    module (empty for None or text that is not Python)."""
    try:
        tree = ast.parse(source or b"")
    except SyntaxError:
        return {}
    found: dict[str, dict[str, ast.Call]] = {}
    for node in tree.body:
        if not _is_model(node):
            continue
        assert isinstance(node, ast.ClassDef)
        fields = found.setdefault(node.name, {})
        for item in node.body:
            if (
                isinstance(item, ast.Assign)
                and len(item.targets) == 1
                and isinstance(item.targets[0], ast.Name)
                and isinstance(item.value, ast.Call)
            ):
                fields[item.targets[0].id] = item.value
    return found


def _model_shape(fields: Mapping[str, ast.Call]) -> dict[str, str]:
    return {name: _shape(call, with_target=False) for name, call in fields.items()}


def rename_candidates(before: bytes | None, after: bytes | None) -> list[Rename]:
    """Renames that ``before`` -> ``after`` (two generated models modules) may be.

    Model candidates first, then field ones, each in the new module's order.
    """
    old, new = declared_models(before), declared_models(after)
    removed = [name for name in old if name not in new]
    found: list[Rename] = [
        ModelRename(gone, name)
        for name in new
        if name not in old
        for gone in removed
        # Django keys models by lowercase name: a change of case keeps the same table.
        if gone.lower() != name.lower() and _model_shape(old[gone]) == _model_shape(new[name])
    ]
    for model in (name for name in new if name in old):
        before_fields, after_fields = old[model], new[model]
        gone_fields = [f for f in before_fields if f not in after_fields]
        for field in (f for f in after_fields if f not in before_fields):
            shape = _shape(after_fields[field], with_target=True)
            found += [
                FieldRename(model, gone, field)
                for gone in gone_fields
                if _shape(before_fields[gone], with_target=True) == shape
            ]
    return found


# --- the user's choices ----------------------------------------------------------------

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_SPELLING = re.compile(rf"({_NAME})(?:\.({_NAME}))?")


def _parse_name(text: str, option: str, whole: str) -> tuple[str, str | None]:
    match = _SPELLING.fullmatch(text.strip())
    if match is None:
        raise UsageError(
            f"{option} {whole}: '{text}' is not a model name or Model.field",
            f"write {option} Product=Item for a model, "
            f"{option} Product.price=Product.amount for a field"
            if option == "--rename"
            else f"write {option} Product for a model, {option} Product.price for a field",
        )
    return match.group(1), match.group(2)


def parse_rename(text: str) -> Rename:
    """``Product=Item`` or ``Product.price=Product.amount`` -> the rename it names."""
    old, sep, new = text.partition("=")
    if not sep:
        raise UsageError(
            f"--rename {text}: no '=' between the old and the new name",
            "write --rename Product=Item for a model, "
            "--rename Product.price=Product.amount for a field",
        )
    (old_model, old_field), (new_model, new_field) = (
        _parse_name(old, "--rename", text),
        _parse_name(new, "--rename", text),
    )
    if old_field is None and new_field is None:
        return ModelRename(old_model, new_model)
    if old_field is None or new_field is None or old_model != new_model:
        raise UsageError(
            f"--rename {text}: a field is renamed within its model",
            f"write --rename {old_model}.{old_field or 'field'}={old_model}."
            f"{new_field or 'new_field'}; rename a model and its fields in two generates",
        )
    return FieldRename(old_model, old_field, new_field)


def parse_drop(text: str) -> str:
    """``Product`` or ``Product.price``: what the user gives up, as candidates spell it."""
    model, field = _parse_name(text, "--drop", text)
    return model if field is None else f"{model}.{field}"


class RenameUndecided(ConfigError):
    """quickscale.yml renames something, and the user has not said rename or drop.

    ``line``/``column`` locate the new name in the config; ``undecided`` lists every
    candidate left open, the located one first.
    """

    def __init__(
        self, message: str, hint: str, line: int, column: int, undecided: Sequence[Rename]
    ) -> None:
        super().__init__(message, hint)
        self.line = line
        self.column = column
        self.undecided = tuple(undecided)


def choose_renames(
    candidates: Sequence[Rename],
    renames: Sequence[str],
    drops: Sequence[str],
    config_path: Path,
    *,
    command: str = "quickscale generate",
    pending: Sequence[Rename] = (),
) -> tuple[Rename, ...]:
    """The renames to make, from the candidates and the user's ``--rename``/``--drop``.

    ``pending`` are renames chosen by an earlier generate whose migration is not made
    yet (its files are written, so they are no longer candidates): they are kept, and
    naming them again is allowed. Raises UsageError (exit 2) for a choice that names no
    candidate or contradicts another, and RenameUndecided (exit 1) while a candidate is
    neither renamed nor dropped; its hint carries ``command`` with every choice, given
    and needed. Reads ``config_path`` only to locate the error. Writes nothing.
    """
    chosen = list(pending)
    chosen += [r for r in map(parse_rename, renames) if r not in chosen]
    dropped = [parse_drop(text) for text in drops]
    _check_choices([*pending, *candidates], chosen, dropped, command)
    olds = {r.gone for r in chosen} | set(dropped)
    news = {_new_key(r) for r in chosen}
    undecided = [c for c in candidates if c.gone not in olds and _new_key(c) not in news]
    if undecided:
        given = [r for r in chosen if r not in pending]
        raise _undecided(undecided, given, dropped, config_path, command)
    return tuple(chosen)


def _new_key(rename: Rename) -> str:
    """The new name a rename claims, spelled like ``gone`` (two cannot share it)."""
    if isinstance(rename, FieldRename):
        return f"{rename.model}.{rename.new}"
    return rename.new


def _check_choices(
    candidates: Sequence[Rename], chosen: list[Rename], dropped: list[str], command: str
) -> None:
    spellings = [c.spelling for c in candidates]
    for rename in chosen:
        if rename not in candidates:
            option = f"--rename {rename.spelling}"
            raise _no_candidate(option, rename.spelling, spellings, command)
    gone = list(dict.fromkeys(c.gone for c in candidates))
    for name in dropped:
        if name not in gone:
            raise _no_candidate(f"--drop {name}", name, gone, command)
    olds = [r.gone for r in chosen] + dropped
    twice = next((name for name in olds if olds.count(name) > 1), None)
    if twice is not None:
        raise UsageError(
            f"{twice} is given more than one fate (--rename and --drop)",
            f"name {twice} in one --rename or one --drop",
        )
    news = [_new_key(r) for r in chosen]
    taken = next((name for name in news if news.count(name) > 1), None)
    if taken is not None:
        raise UsageError(
            f"two --rename options end in {taken}",
            "keep one of them and --drop the other's old name",
        )


def _no_candidate(option: str, name: str, known: Sequence[str], command: str) -> UsageError:
    if not known:
        return UsageError(
            f"{option}: nothing in {CONFIG_FILENAME} looks renamed since the last generate",
            f"run '{command}' without it",
        )
    close = did_you_mean(name, known)
    guess = f"did you mean {close}? " if close else ""
    return UsageError(
        f"{option} names nothing generate sees renamed",
        f"{guess}the candidates are {', '.join(known)}",
    )


def _undecided(
    undecided: list[Rename],
    chosen: list[Rename],
    dropped: list[str],
    config_path: Path,
    command: str,
) -> RenameUndecided:
    document = _parsed_config(config_path)
    located = sorted(((_locate(document, c), c) for c in undecided), key=lambda p: p[0])
    (line, column), first = located[0]
    ordered = [c for _, c in located]
    keep = list(chosen)
    for candidate in ordered:  # one rename per old and per new name, the first wins
        if all(candidate.gone != r.gone and _new_key(candidate) != _new_key(r) for r in keep):
            keep.append(candidate)
    give_up = dropped + list(dict.fromkeys(c.gone for c in ordered))
    rename_args = "".join(f" --rename {r.spelling}" for r in keep)
    drop_args = "".join(f" --drop {name}" for name in give_up)
    keep_command = f"{command}{rename_args}{''.join(f' --drop {d}' for d in dropped)}"
    drop_command = f"{command}{''.join(f' --rename {r.spelling}' for r in chosen)}{drop_args}"
    kinds = {type(c) for c in ordered}
    what = "rows" if kinds == {ModelRename} else "values" if kinds == {FieldRename} else "data"
    lost = ", ".join(dict.fromkeys(c.gone for c in ordered))
    also = [c.describe() for c in ordered[1:]]
    message = f"{CONFIG_FILENAME}:{line}:{column}: {first.describe()}?"
    if also:
        message += f" (and {'; '.join(also)}?)"
    message += " generate cannot tell a rename from a drop and an add"
    hint = (
        f"to keep the {what} run '{keep_command}'; "
        f"to drop {lost} and {'its' if len(ordered) == 1 else 'their'} {what} "
        f"run '{drop_command}'"
    )
    return RenameUndecided(message, hint, line, column, ordered)


def _parsed_config(config_path: Path) -> Document | None:
    """The config, parsed with the positions of its values (None when unreadable)."""
    from quickscale_toolchain.config.loader import DocumentError, parse

    try:
        return parse(config_path.read_text("utf-8"), CONFIG_FILENAME)
    except (OSError, UnicodeDecodeError, DocumentError):
        return None


def _locate(document: Document | None, rename: Rename) -> tuple[int, int]:
    """1-based line and column of the new name in the config (1:1 when not found)."""
    path = _new_name_path(document.data, rename) if document else None
    span = document.locate(path) if document and path else None
    return (span.line, span.column) if span else (1, 1)


def _new_name_path(data: Mapping[str, Any], rename: Rename) -> KeyPath | None:
    models = (data.get("customizations") or {}).get("models") or []
    model_name = rename.model if isinstance(rename, FieldRename) else rename.new
    index = _index_of(models, model_name)
    if index is None:
        return None
    if isinstance(rename, ModelRename):
        return ("customizations", "models", index, "name")
    field = _index_of(models[index].get("fields") or [], rename.new)
    if field is None:
        return None
    return ("customizations", "models", index, "fields", field, "name")


def _index_of(items: Iterable[Any], name: str) -> int | None:
    return next(
        (i for i, item in enumerate(items) if isinstance(item, dict) and item.get("name") == name),
        None,
    )


# --- the migration -----------------------------------------------------------------------


def encode_renames(renames: Sequence[Rename]) -> str:
    """The renames as JSON, as the script reads them (also fit to record as progress)."""
    items = [
        {"model": r.model, "old": r.old, "new": r.new}
        if isinstance(r, FieldRename)
        else {"old": r.old, "new": r.new}
        for r in renames
    ]
    return json.dumps(items, sort_keys=True)


def decode_renames(text: str) -> tuple[Rename, ...]:
    """The inverse of :func:`encode_renames`."""
    return tuple(
        FieldRename(item["model"], item["old"], item["new"])
        if "model" in item
        else ModelRename(item["old"], item["new"])
        for item in json.loads(text)
    )


def makemigrations_with_renames(
    root: Path, app: str, renames: Sequence[Rename], *, env: Mapping[str, str] | None = None
) -> MigrationOutcome:
    """``manage.py makemigrations APP --noinput`` in the project's Python, with exactly
    ``renames`` made as RenameModel/RenameField (no renames: the plain command).

    The script refuses, writing no migration, when Django cannot see a chosen rename
    (the old model or field exists in the migrations but differs). ``env``: the
    environment to run in (default: ours, without DJANGO_SETTINGS_MODULE).
    """
    from quickscale_toolchain.generator.migrate import MigrationOutcome
    from quickscale_toolchain.generator.project_env import project_python

    command = f"python manage.py makemigrations {app}"
    python = project_python(root)
    if python is None:
        return MigrationOutcome(False, True, command, "")
    run_env = dict(os.environ if env is None else env)
    run_env.pop("DJANGO_SETTINGS_MODULE", None)
    run_env[RENAMES_ENV] = encode_renames(renames)
    proc = subprocess.run(
        [python, str(SCRIPT), app],
        cwd=root,
        env=run_env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = (proc.stdout + proc.stderr).strip()
    return MigrationOutcome(True, proc.returncode == 0, command, output)
