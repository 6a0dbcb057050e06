"""Mailboxes are edited here; the quarantine, channel messages and notifications are shown
read-only to administrators."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tierdesk.channels.models import ChannelMessage, Mailbox, Notification, QuarantinedMessage


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "address",
        "host",
        "folder",
        "is_active",
        "last_polled_at",
        "last_error",
    ]
    readonly_fields = ["last_polled_at", "last_error"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QuarantinedMessage)
class QuarantinedMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "mailbox", "external_id", "reason"]
    readonly_fields = ["created_at", "mailbox", "external_id", "reason", "raw_text"]
    exclude = ["raw"]

    @admin.display(description=_("raw message"))
    def raw_text(self, obj: QuarantinedMessage) -> str:
        return bytes(obj.raw)[:200_000].decode("utf-8", errors="replace")


@admin.register(ChannelMessage)
class ChannelMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "direction", "outcome", "reason", "sender", "ticket"]
    list_filter = ["channel", "direction", "outcome"]
    search_fields = ["external_id", "sender", "subject"]
    raw_id_fields = ["ticket", "event"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "address", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    raw_id_fields = ["event", "recipient"]
