"""Articles in the admin are read-mostly: writing, publishing and retiring go through the kb
actions (desk pages, API) so every save keeps its version and its search entry."""

from django.contrib import admin

from tierdesk.kb.models import Article, ArticleEvent, ArticleVersion


class ArticleVersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    can_delete = False
    fields = ["number", "created_at", "editor", "status", "visibility", "title"]
    readonly_fields = fields
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "language",
        "category",
        "visibility",
        "status",
        "version",
        "updated_at",
    ]
    list_filter = ["status", "visibility", "language", "category"]
    search_fields = ["title"]
    inlines = [ArticleVersionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ArticleEvent)
class ArticleEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "article", "actor"]
    list_filter = ["kind"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
