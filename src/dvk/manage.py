"""The `dvk` console script: the project's manage.py."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvk.settings")
    from django.core.management import execute_from_command_line

    from dvk.common.scoping import unscoped

    # A command acts for the whole tree (or builds the Scope it is told to act as); the
    # server's requests and the worker's jobs enforce scoping again on their own.
    with unscoped("command line"):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
