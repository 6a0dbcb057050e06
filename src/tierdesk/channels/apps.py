from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    """Adapters from the outside world (e-mail, later SMS, chat, phone, monitoring) into
    ticket actions."""

    name = "tierdesk.channels"
    label = "channels"
    verbose_name = _("Channels")
