"""Tickets in the admin are read-only: every change goes through the ticket actions (API,
desk), so the timeline stays complete. Categories are business settings, edited here."""

from django.contrib import admin

from tierdesk.tickets.models import Category, Event, Ticket, TierPeriod


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_id", "name_en", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["slug", "name_id", "name_en"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = Event
    fields = ["created_at", "kind", "actor", "is_internal", "body", "data"]
    readonly_fields = fields
    ordering = ["created_at", "id"]


class TierPeriodInline(ReadOnlyInline):
    model = TierPeriod
    fields = ["tier", "team", "started_at", "ended_at", "end_reason"]
    readonly_fields = fields


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "subject",
        "organization",
        "priority",
        "status",
        "tier",
        "team",
        "assignee",
        "created_at",
    ]
    list_filter = ["status", "priority", "tier", "team", "channel"]
    list_select_related = ["organization", "tier", "team", "assignee"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    inlines = [TierPeriodInline, EventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
