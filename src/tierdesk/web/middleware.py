"""Speak each signed-in person's language and show times in their organization's zone."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone, translation

from tierdesk.accounts.queries import time_zone_of


class PersonalLocaleMiddleware:
    """After authentication: the profile's language beats Accept-Language (LocaleMiddleware
    already applied the browser's choice, else Indonesian), and times are shown in the
    organization's time zone (Asia/Jakarta by default)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        if user is not None and user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            zone = time_zone_of(user)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class DomainErrorMiddleware:
    """A refusal that escapes a page view becomes a page in the reader's language with the
    right status (404 for what may not be seen), never a 500. The API maps its own."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from tierdesk.errors import DomainError, NotFound

        if isinstance(exception, NotFound):
            return render(request, "web/errors/404.html", status=404)
        if isinstance(exception, DomainError):
            return render(
                request,
                "web/errors/refused.html",
                {"message": str(exception.message)},
                status=exception.status,
            )
        return None
