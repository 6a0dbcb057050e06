from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Numbers computed from the timeline: tier pyramid, escalations, time in tier, CSAT."""

    name = "tierdesk.reports"
    label = "reports"
    verbose_name = _("Reports")
