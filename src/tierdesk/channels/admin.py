"""Mailboxes are edited here; the quarantine, channel messages and notifications are shown
read-only to administrators."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tierdesk.channels.models import ChannelMessage, Mailbox, Notification, QuarantinedMessage


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "address",
        "host",
        "folder",
        "tier",
        "team",
        "category",
        "is_active",
        "last_polled_at",
        "last_error",
    ]
    readonly_fields = ["last_polled_at", "last_error"]
    fieldsets = [
        (None, {"fields": ["name", "address", "is_active"]}),
        (
            _("IMAP server"),
            {
                "fields": [
                    "poll_imap",
                    "host",
                    "port",
                    "security",
                    "verify_certificate",
                    "ca_file",
                    "username",
                    "password",
                    "folder",
                    "processed_folder",
                ]
            },
        ),
        (
            _("What a new message becomes"),
            {"fields": ["organization", "tier", "team", "category", "resolved_replies"]},
        ),
        (_("Last poll"), {"fields": ["last_polled_at", "last_error"]}),
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QuarantinedMessage)
class QuarantinedMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "mailbox", "external_id", "reason", "outcome", "ticket"]
    list_filter = ["outcome"]
    readonly_fields = [
        "created_at",
        "mailbox",
        "external_id",
        "reason",
        "reprocessed_at",
        "outcome",
        "ticket",
        "raw_text",
    ]
    exclude = ["raw"]
    actions = ["reprocess"]

    @admin.action(description=_("Reprocess the selected messages"))
    def reprocess(self, request, queryset) -> None:
        from tierdesk.channels.email.ingest import reprocess_quarantined

        stored = failed = 0
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            received = reprocess_quarantined(pk)
            if received is None:
                continue
            if received.outcome == "quarantined":
                failed += 1
            else:
                stored += 1
        if stored:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was reprocessed.",
                    "%(count)d messages were reprocessed.",
                    stored,
                )
                % {"count": stored},
                messages.SUCCESS,
            )
        if failed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message still cannot be read; its reason is updated.",
                    "%(count)d messages still cannot be read; their reasons are updated.",
                    failed,
                )
                % {"count": failed},
                messages.WARNING,
            )

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
