"""The CLI edge: help, version, usage errors and their exit codes."""

import subprocess

from quickscale_toolchain.errors import ExitCode

from quickscale_cli import __version__


def test_help_lists_commands_and_exit_codes(quickscale_bin):
    result = subprocess.run([quickscale_bin, "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "init" in result.stdout and "Exit codes: 0 ok, 1 failed, 2 usage" in result.stdout


def test_version(quickscale_bin):
    result = subprocess.run([quickscale_bin, "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"quickscale, version {__version__}"


def test_unknown_command_and_missing_argument_are_usage_errors(quickscale_bin):
    unknown = subprocess.run([quickscale_bin, "frobnicate"], capture_output=True, text=True)
    assert unknown.returncode == ExitCode.USAGE and unknown.stderr == (
        "error: no such command 'frobnicate' — run 'quickscale --help'\n"
    )
    missing = subprocess.run([quickscale_bin, "init"], capture_output=True, text=True)
    assert missing.returncode == ExitCode.USAGE and "missing argument 'NAME'" in missing.stderr


def test_help_does_not_import_heavy_modules(quickscale_bin):
    probe = (
        "import sys; from quickscale_cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('jinja2', 'jsonschema', 'rich', 'yaml', 'django')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    python = quickscale_bin.rsplit("/", 1)[0] + "/python"
    result = subprocess.run([python, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY="


def test_ctrl_c_while_the_cli_still_loads_is_one_line_and_130(quickscale_bin, tmp_path):
    """SIGINT raises KeyboardInterrupt wherever Python is; here that is inside the import of
    click (stood in for by a click that raises it), before any command runs."""
    (tmp_path / "click.py").write_text("raise KeyboardInterrupt\n")
    python = quickscale_bin.rsplit("/", 1)[0] + "/python"
    for how in (["-c", "from quickscale_cli import entry; entry()"], ["-m", "quickscale_cli"]):
        result = subprocess.run(
            [python, *how, "--help"],
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
        assert (result.returncode, result.stdout) == (ExitCode.INTERRUPTED, ""), result.stderr
        assert result.stderr == "error: interrupted — nothing was changed\n"
