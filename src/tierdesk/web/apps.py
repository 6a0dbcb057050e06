from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The agent desk (/desk/) and the customer portal (/portal/): thin views over actions."""

    name = "tierdesk.web"
    label = "web"
    verbose_name = _("Desk and portal")
