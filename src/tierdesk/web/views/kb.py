"""L0 on the web: the knowledge base for customers (and visitors, when allowed), article
suggestions while a ticket is written, and the agents' article editor and search."""

from __future__ import annotations

from datetime import timedelta

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierdesk.errors import DomainError
from tierdesk.kb import actions as kb_actions
from tierdesk.kb.models import ArticleStatus, Language, Visibility
from tierdesk.kb.queries import (
    article_counts,
    deflection_rate,
    get_visible_article,
    may_read_anonymously,
    search_articles,
    search_desk,
    suggest_articles,
    translations,
    visible_articles,
)
from tierdesk.kb.visitors import visitor_key
from tierdesk.tickets.models import Category
from tierdesk.web.views.desk import staff_required
from tierdesk.web.views.portal import customer_required

SOURCES_FROM_LINKS = {"ticket_form", "search", "portal", "email", "desk"}
FORMS_STARTED_KEY = "kb_forms_started"


def _reader_or_login(request):
    """Signed-in people read what they may; visitors only when public reading is allowed."""
    if request.user.is_authenticated or may_read_anonymously():
        return None
    return redirect_to_login(request.get_full_path())


def _reader(request):
    return request.user if request.user.is_authenticated else None


def kb_home(request):
    if (response := _reader_or_login(request)) is not None:
        return response
    articles = (
        visible_articles(_reader(request))
        .filter(status=ArticleStatus.PUBLISHED)
        .select_related("category")
        .order_by("category__slug", "title")
    )
    language = (get_language() or "id")[:2]
    if request.GET.get("all") != "1":
        articles = articles.filter(language=language)
    by_category: dict[str, list] = {}
    for article in articles[:500]:
        label = article.category.name if article.category_id else _("Other")
        by_category.setdefault(label, []).append(article)
    return render(request, "web/kb/home.html", {"by_category": by_category, "language": language})


def kb_search(request):
    if (response := _reader_or_login(request)) is not None:
        return response
    text = request.GET.get("q", "")[:1000]
    language = request.GET.get("language", "")
    language = language if language in Language.values else None
    try:
        results = search_articles(_reader(request), text, language=language, limit=20)
    except DomainError as error:
        return render(
            request, "web/kb/search.html", {"q": text, "error": str(error.message)}, status=422
        )
    return render(request, "web/kb/search.html", {"q": text, "results": results})


def kb_article(request, article_id: int):
    if (response := _reader_or_login(request)) is not None:
        return response
    article = get_visible_article(_reader(request), article_id)
    source = request.GET.get("from", "portal")
    if article.status == ArticleStatus.PUBLISHED:
        kb_actions.record_view(
            actor=_reader(request),
            article_id=article.pk,
            source=source if source in SOURCES_FROM_LINKS else "portal",
            visitor=visitor_key(request),
        )
    return render(
        request,
        "web/kb/article.html",
        {
            "article": article,
            "translations": translations(article, _reader(request)),
            "from_ticket_form": source == "ticket_form",
            "query": request.GET.get("q", "")[:500],
        },
    )


@require_POST
def kb_feedback(request, article_id: int):
    if (response := _reader_or_login(request)) is not None:
        return response
    helpful = request.POST.get("helpful")
    if helpful not in ("yes", "no"):
        messages.error(request, _("Say whether the article helped: yes or no."))
    else:
        kb_actions.record_feedback(
            actor=_reader(request),
            article_id=article_id,
            helpful=helpful == "yes",
            comment=request.POST.get("comment", "")[:2000],
            visitor=visitor_key(request),
        )
        messages.success(request, _("Thank you for your feedback."))
    return redirect("web:kb_article", article_id=article_id)


@require_POST
def kb_solved(request, article_id: int):
    """“This solved my problem”: an L0 resolution instead of a ticket."""
    if (response := _reader_or_login(request)) is not None:
        return response
    kb_actions.record_deflection(
        actor=_reader(request),
        article_id=article_id,
        query=request.POST.get("q", "")[:500],
        visitor=visitor_key(request),
    )
    return render(request, "web/kb/solved.html")


@customer_required
def portal_suggestions(request):
    """The articles that match what the customer is typing into a new ticket (htmx)."""
    text = f"{request.GET.get('subject', '')} {request.GET.get('description', '')}".strip()
    token = request.GET.get("form", "")[:40]
    started = request.session.get(FORMS_STARTED_KEY, [])
    if text and token and token not in started:
        kb_actions.record_form_started(actor=request.user, visitor=visitor_key(request))
        request.session[FORMS_STARTED_KEY] = [*started[-20:], token]
    try:
        hits = suggest_articles(request.user, text[:2000], language=get_language(), limit=5)
    except DomainError:
        hits = []
    return render(request, "web/kb/_suggestions.html", {"hits": hits, "q": text[:500]})


# --- the agents' side --------------------------------------------------------------------


class ArticleForm(django_forms.Form):
    title = django_forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = django_forms.CharField(
        label=gettext_lazy("Text (Markdown)"),
        max_length=200_000,
        widget=django_forms.Textarea(attrs={"rows": 16}),
    )
    language = django_forms.ChoiceField(label=gettext_lazy("Language"), choices=Language.choices)
    category = django_forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    visibility = django_forms.ChoiceField(
        label=gettext_lazy("Who may read it"), choices=Visibility.choices
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [
            (category.slug, category.name)
            for category in Category.objects.filter(is_active=True).order_by("slug")
        ]


@staff_required
def desk_articles(request):
    articles = visible_articles(request.user).select_related("category", "author")
    status = request.GET.get("status", "")
    if status in ArticleStatus.values:
        articles = articles.filter(status=status)
    page = Paginator(articles.order_by("-updated_at", "-id"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "web/kb/desk_list.html",
        {"page": page, "status": status, "statuses": ArticleStatus.choices},
    )


def _article_form_page(request, form, article=None, status=200):
    context = {"form": form, "article": article}
    if article is not None:
        context["counts"] = article_counts(article.pk)
    return render(request, "web/kb/desk_edit.html", context, status=status)


@staff_required
def desk_article_new(request):
    form = ArticleForm(request.POST or None, initial={"language": (get_language() or "id")[:2]})
    if request.method == "POST" and form.is_valid():
        try:
            article = kb_actions.create_article(
                actor=request.user, **{k: v or None for k, v in form.cleaned_data.items()}
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
            return _article_form_page(request, form, status=error.status)
        messages.success(request, _("Draft saved."))
        return redirect("web:desk_article_edit", article_id=article.pk)
    return _article_form_page(request, form, status=422 if request.method == "POST" else 200)


@staff_required
def desk_article_edit(request, article_id: int):
    article = get_visible_article(request.user, article_id)
    initial = {
        "title": article.title,
        "body": article.body,
        "language": article.language,
        "category": article.category.slug if article.category_id else "",
        "visibility": article.visibility,
    }
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kb_actions.revise_article(
                actor=request.user,
                article_id=article.pk,
                title=data["title"],
                body=data["body"],
                language=data["language"],
                category=data["category"] or None,
                visibility=data["visibility"],
                tiers=list(article.tiers.values_list("level", flat=True)),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
            return _article_form_page(request, form, article, status=error.status)
        messages.success(request, _("Article saved."))
        return redirect("web:desk_article_edit", article_id=article.pk)
    return _article_form_page(
        request, form, article, status=422 if request.method == "POST" else 200
    )


@staff_required
@require_POST
def desk_article_move(request, article_id: int, move: str):
    verbs = {
        "publish": (kb_actions.publish_article, _("Article published.")),
        "retire": (kb_actions.retire_article, _("Article retired.")),
        "restore": (kb_actions.restore_article, _("Article is a draft again.")),
    }
    if move not in verbs:
        return redirect("web:desk_article_edit", article_id=article_id)
    action, done = verbs[move]
    try:
        action(actor=request.user, article_id=article_id)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return redirect("web:desk_article_edit", article_id=article_id)


@staff_required
@require_POST
def desk_article_from_ticket(request, ticket_id: int):
    """KCS: turn a resolved ticket into a draft article that links back to it."""
    try:
        article = kb_actions.create_kcs_draft(actor=request.user, ticket_id=ticket_id)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("web:ticket", ticket_id=ticket_id)
    messages.success(request, _("Draft article created from the ticket. Edit, then publish it."))
    return redirect("web:desk_article_edit", article_id=article.pk)


@staff_required
def desk_search(request):
    text = request.GET.get("q", "")[:1000]
    try:
        hits = search_desk(request.user, text, limit=30) if text.strip() else []
        error = None
    except DomainError as refusal:
        hits, error = [], str(refusal.message)
    return render(
        request,
        "web/kb/desk_search.html",
        {"q": text, "hits": hits, "error": error},
        status=422 if error else 200,
    )


@staff_required
def desk_deflection(request):
    end = timezone.now()
    start = end - timedelta(weeks=12)
    return render(
        request,
        "web/kb/deflection.html",
        {
            "weeks": deflection_rate(start, end, per="week"),
            "articles": deflection_rate(start, end, per="article")[:30],
            "start": start,
            "end": end,
        },
    )
