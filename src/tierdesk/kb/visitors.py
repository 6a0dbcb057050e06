"""Who an anonymous reader is: their session, so one browser counts once (one feedback vote
per article and person, see ``actions.record_feedback``)."""

from __future__ import annotations

from django.http import HttpRequest


def visitor_key(request: HttpRequest) -> str:
    """The reader's session key, starting a session when there is none yet (the response then
    sets its cookie, so the same browser or API client with a cookie jar is recognised)."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    if not session.session_key:
        session.save()
    return session.session_key or ""
