from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    """Business calendars, SLA policies and due-time arithmetic. Knows nothing of tickets."""

    name = "tierdesk.sla"
    label = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from tierdesk.sla import signals

        signals.connect()
