"""`quickscale init NAME` with any name: a project, or one line saying what to fix.

Names of any length and any characters (separators, control characters, invalid UTF-8
as a shell can pass it) either create the project or exit 1/2 with the one-line
``error: … — fix`` and leave the parent directory as it was; never a traceback.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from quickscale_toolchain.errors import ExitCode, InvalidProjectName
from quickscale_toolchain.names import MAX_PROJECT_NAME_LENGTH, validate_project_name

#: What a name may be made of: the valid alphabet, separators and path characters,
#: control and format characters, and anything else Unicode has.
PIECES = ["_", "a", "z", "0", "9", "-", ".", "..", "/", "\\", " ", "\t", "\n", "\x1b", "é"]

names = st.one_of(
    st.from_regex(r"[a-z_][a-z0-9_]{0,30}", fullmatch=True),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=12).map("".join),
    st.integers(min_value=MAX_PROJECT_NAME_LENGTH - 2, max_value=400).map(lambda n: "q" * n),
    st.binary(max_size=12).map(os.fsdecode),  # bytes that are not UTF-8, as argv may hold
).filter(lambda name: "\x00" not in name)  # argv cannot carry NUL


def is_valid(name: str) -> bool:
    try:
        validate_project_name(name)
    except InvalidProjectName:
        return False
    return True


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(name=names)
@example(name="q" * MAX_PROJECT_NAME_LENGTH)  # the longest name works
@example(name="q" * 300)  # was: OSError: File name too long, with a traceback
@example(name="acme\n")
@example(name="-acme")
@example(name="")
def test_any_name_creates_the_project_or_fails_in_one_line_leaving_nothing(
    run_cli, name: str
) -> None:
    with tempfile.TemporaryDirectory(prefix="qs-names-") as work:
        parent = Path(work)
        # "--" so that a name starting with "-" is a name, as a user would pass it
        result = run_cli("init", "--", name, cwd=parent)
        assert "Traceback" not in result.stderr, result.stderr
        if is_valid(name):
            assert result.returncode == 0, result.stderr
            assert sorted(p.name for p in parent.iterdir()) == [name]
            assert (parent / name / name / "settings.py").is_file()
            assert (parent / name / "manage.py").is_file()
        else:
            assert result.returncode in (ExitCode.FAILED, ExitCode.USAGE), result.stderr
            assert result.stdout == ""
            lines = result.stderr.splitlines()
            assert len(lines) == 1, result.stderr
            assert lines[0].startswith("error: ") and " — " in lines[0], lines[0]
            assert lines[0].isprintable(), lines[0]  # control characters are escaped
            assert list(parent.iterdir()) == []


def test_the_name_limit_leaves_room_for_the_hidden_build_directory(run_cli, tmp_path: Path) -> None:
    """init builds in ``.NAME.quickscale-build-PID-XXXXXXXX``: it must fit in 255 bytes."""
    from quickscale_toolchain.generator import scaffold

    longest_build = f".{'q' * MAX_PROJECT_NAME_LENGTH}{scaffold._BUILD_MARK}{2**22}-XXXXXXXX"
    assert len(longest_build.encode()) <= 255
    result = run_cli("init", "q" * (MAX_PROJECT_NAME_LENGTH + 1), cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE
    assert f"at most {MAX_PROJECT_NAME_LENGTH}" in result.stderr
    assert list(tmp_path.iterdir()) == []
    # the same limit holds where the name is written down: quickscale.yml
    from quickscale_toolchain.config import validate_text

    long_config = f"schema_version: 1\nproject:\n  name: {'q' * 300}\n"
    (problem,) = validate_text(long_config).diagnostics
    assert problem.path == ("project", "name") and "at most" in problem.message
