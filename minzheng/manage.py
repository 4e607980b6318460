"""The `minzheng` console script: this project's manage.py."""

import gc
import os
import sys


def _set_up_without_collecting(argv: list[str]) -> None:
    """Set Django up before the command line is handled, with the cyclic garbage collector
    off, then freeze what start-up made. Start-up creates ≈ 200,000 objects that live as long
    as the process; the collector would scan them over and over (≈ 0.13 s of every command's
    start-up, measured in docs/performance.md) and again at every full collection after.

    Left to Django when --settings or --pythonpath is given (it must read those first), for
    runserver (its autoreloader catches errors in set-up itself), and when the settings do not
    load (Django reports that itself). An error in setting the apps up is raised as it is."""
    if any(arg.startswith(("--settings", "--pythonpath")) for arg in argv) or "runserver" in argv[1:2]:
        return
    # local import: the settings module is named (in main) before Django is imported.
    import django
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings module
    except Exception:  # noqa: BLE001 - ImproperlyConfigured, ImportError …: Django's own message
        return
    gc.disable()
    try:
        django.setup()
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
