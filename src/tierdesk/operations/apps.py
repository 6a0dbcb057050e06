from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running tierdesk: the server, the worker, the demo data. Sits on top of every other app."""

    name = "tierdesk.operations"
    label = "operations"
    verbose_name = _("Operations")
