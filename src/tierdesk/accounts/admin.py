from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import (
    ApiToken,
    Membership,
    Organization,
    OrganizationDomain,
    Team,
    Tier,
    User,
)


class OrganizationDomainInline(admin.TabularInline):
    model = OrganizationDomain
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_internal", "time_zone", "customers_see_all_tickets"]
    search_fields = ["name", "slug", "domains__domain"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganizationDomainInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["team"]


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "organization",
        "is_active",
    ]
    list_filter = ["role", "organization", "is_active"]
    list_select_related = ["organization"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Service desk"), {"fields": ["role", "organization", "language", "sees_all_tickets"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Service desk"), {"fields": ["email", "role", "organization", "language"]}),
    ]
    inlines = [MembershipInline]


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["level", "name_id", "name_en", "handles_tickets"]
    ordering = ["level"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["slug", "tier", "name_id", "name_en", "is_active"]
    list_filter = ["tier", "is_active"]
    search_fields = ["slug", "name_id", "name_en"]
    list_select_related = ["tier"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        # Tokens are issued by `tierdesk token` or the API, which show the secret once.
        return False
