"""The quickscale command-line interface."""

from __future__ import annotations

__version__ = "0.3.0.dev0"


def entry() -> None:
    """The console script. Loading the CLI (click, the command table) takes a moment, and a
    Ctrl-C in it must end like one anywhere else: one line and exit 130, no traceback
    (nothing has been done yet)."""
    import signal

    from quickscale_cli import interrupts

    interrupts.record(signal.SIGINT)
    try:
        from quickscale_cli.main import main
    except KeyboardInterrupt:
        import sys

        sys.stderr.write("error: interrupted — nothing was changed\n")
        raise SystemExit(130) from None
    main()
