"""Synonyms are business settings, edited here; they apply to the next search."""

from django.contrib import admin

from tierdesk.search.models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["terms", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["terms"]
