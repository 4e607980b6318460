"""The `minzheng` console script: this project's manage.py."""

import gc
import os
import sys


def _set_up_without_collecting(argv: list[str]) -> None:
    """Set Django up before the command line is handled, with the cyclic garbage collector
    off, then freeze what start-up made. Start-up creates ≈ 200,000 objects that live as long
    as the process; the collector would scan them over and over (≈ 0.13 s of every command's
    start-up, measured in docs/performance.md) and again at every full collection after.
    Skipped when --settings or --pythonpath is given: Django must read those first."""
    if any(arg.startswith(("--settings", "--pythonpath")) for arg in argv):
        return
    gc.disable()
    try:
        # local import: the settings module is named (in main) before Django is imported.
        import django

        django.setup()
    except Exception:  # noqa: BLE001 - Django reports a bad configuration itself, below
        pass
    finally:
        gc.freeze()
        gc.enable()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    argv = [sys.argv[0], *sys.argv[1:]]
    _set_up_without_collecting(argv)
    # local import: the settings module is named (above) before Django is imported.
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    finally:
        # The process is about to exit: spare the interpreter's final collection over every
        # object still alive (0.3–0.5 s after a screening; measured in docs/performance.md).
        gc.freeze()


if __name__ == "__main__":
    main()
