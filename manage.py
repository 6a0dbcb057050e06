#!/usr/bin/env python
"""Django's manage.py, for those who expect one; ``tierdesk`` is the same command."""

from tierdesk.cli import main

if __name__ == "__main__":
    main()
