from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    """L0 self-service: knowledge-base articles, feedback and ticket deflection."""

    name = "tierdesk.kb"
    label = "kb"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from tierdesk.kb.indexing import register_sources

        register_sources()
