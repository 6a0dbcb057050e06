"""Signing in and out, choosing the language, and sending each person to their place."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from tierdesk.accounts.actions import set_language


def home(request):
    """`/`: staff to the desk, customers to the portal, everyone else to sign in."""
    user = request.user
    if not user.is_authenticated:
        return redirect("web:login")
    if user.is_staff_member:
        return redirect("web:desk")
    return redirect("web:portal")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes after too many failed sign-ins for one username and address."""
    return render(request, "web/errors/locked_out.html", status=429)


@require_POST
def choose_language(request):
    """The language switcher: remembered on the profile when signed in, else in a cookie."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("web:home")
    response = HttpResponseRedirect(next_url)
    if language in ("id", "en") and check_for_language(language):
        if request.user.is_authenticated:
            set_language(user=request.user, language=language)
        from django.conf import settings

        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
