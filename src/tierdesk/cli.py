"""The ``tierdesk`` command: Django's management commands for this project.

``tierdesk run`` starts everything, ``tierdesk worker`` a background worker,
``tierdesk demo`` loads the demo data, ``tierdesk --help`` lists the rest.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierdesk.settings")
    from django.core.management import execute_from_command_line

    from tierdesk.config import ConfigurationError

    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as error:
        sys.stderr.write(f"tierdesk: configuration error: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
