"""Error pages in the reader's language: never Django's English defaults, never a 500 for
a mistake of the user's."""

from __future__ import annotations

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    return render(request, "web/errors/csrf.html", status=403)


def not_found(request, exception=None):
    return render(request, "web/errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "web/errors/403.html", status=403)


def server_error(request):
    return render(request, "web/errors/500.html", status=500)
