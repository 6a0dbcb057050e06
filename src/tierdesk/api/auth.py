"""Who is calling: a bearer token (tools, integrations) or the browser session (the desk)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer, SessionAuth

from tierdesk.accounts.actions import authenticate_api_token
from tierdesk.accounts.models import User


def _speak_their_language(request: HttpRequest, user: User) -> None:
    """Errors and labels come back in the caller's profile language when they chose one;
    otherwise LocaleMiddleware already followed Accept-Language."""
    if user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_api_token(token)
        if user is not None:
            request.user = user
            _speak_their_language(request, user)
        return user


class BrowserSession(SessionAuth):
    """The signed-in desk or portal user; ninja checks the CSRF token for unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if user is not None:
            _speak_their_language(request, user)
        return user
