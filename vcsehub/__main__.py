"""The `vcsehub` command: a thin front to Django's management commands.

`vcsehub up`, `vcsehub import ccew`, `vcsehub imports`, `vcsehub org create ...` and every
other management command work; `vcsehub --help` lists the VCSE Hub ones first.
"""

from __future__ import annotations

import os
import sys

OUR_COMMANDS_HELP = """\
VCSE Hub: open data and impact tools for the UK voluntary and community sector.

Usage: vcsehub <command> [options]      (or: python -m vcsehub <command>)

Everyday commands:
  up              set up the database, load open data not yet loaded, then serve the site
  import          import one open-data source (e.g. `vcsehub import --list`)
  imports         list recent import runs: source, status, rows, date
  org             create and manage organisations (`vcsehub org create --help`)
  token           create API tokens for a user (`vcsehub token create --help`)
  createsuperuser create an administrator by hand
  check           check the configuration for problems

Run `vcsehub <command> --help` for the options of one command, and
`vcsehub help --all` for every Django management command.
"""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "vcsehub"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(argv) == 1 or argv[1] in {"-h", "--help"}:
        sys.stdout.write(OUR_COMMANDS_HELP)
        return
    if argv[1:3] == ["help", "--all"]:
        argv = [argv[0], "help"]

    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from django.core.exceptions import ImproperlyConfigured

    from config.checks import require_secret_key

    asking_for_help = argv[1] == "help" or "-h" in argv or "--help" in argv
    try:
        if not asking_for_help:
            require_secret_key()
    except ImproperlyConfigured as error:
        sys.stderr.write(f"{error}\n")
        raise SystemExit(2) from None
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
