from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The full-text engine and language handling (SQLite FTS5 or PostgreSQL). Knows nothing
    of tickets or articles: they hand it documents and ask it questions."""

    name = "tierdesk.search"
    label = "search"
    verbose_name = _("Search")
