"""The one place where refusals become JSON ``{detail, code}`` with the right 4xx status."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tierdesk.errors import DomainError

# Pydantic error types in words a person reads, in their language.
VALIDATION_MESSAGES = {
    "missing": gettext_lazy("this field is required"),
    "string_type": gettext_lazy("must be text"),
    "int_type": gettext_lazy("must be a whole number"),
    "int_parsing": gettext_lazy("must be a whole number"),
    "int_from_float": gettext_lazy("must be a whole number"),
    "bool_type": gettext_lazy("must be true or false"),
    "bool_parsing": gettext_lazy("must be true or false"),
    "list_type": gettext_lazy("must be a list"),
    "dict_type": gettext_lazy("must be an object"),
    "model_attributes_type": gettext_lazy("must be an object"),
    "enum": gettext_lazy("is not one of the allowed values"),
    "literal_error": gettext_lazy("is not one of the allowed values"),
    "string_too_long": gettext_lazy("is too long"),
    "too_long": gettext_lazy("has too many items"),
    "greater_than_equal": gettext_lazy("is too small"),
    "less_than_equal": gettext_lazy("is too large"),
    "extra_forbidden": gettext_lazy("is not a known field"),
}


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, code: str, **extra
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def _location(loc: tuple) -> str:
    # ("body", "payload", "subject") -> "subject"; ("query", "page") -> "page"
    parts = [
        str(part) for part in loc if part not in ("body", "query", "path", "payload", "header")
    ]
    return ".".join(parts) or str(loc[-1] if loc else "")


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        extra = {"field": exc.field} if exc.field else {}
        return error_response(api, request, exc.status, str(exc.message), exc.code, **extra)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = []
        for error in exc.errors:
            field = _location(tuple(error.get("loc", ())))
            message = VALIDATION_MESSAGES.get(error.get("type", ""), error.get("msg", ""))
            errors.append({"field": field, "message": str(message), "type": error.get("type")})
        first = errors[0] if errors else {"field": "", "message": ""}
        detail = str(
            format_lazy(
                gettext_lazy("Invalid input: {field} {message}."),
                field=first["field"],
                message=first["message"],
            )
        )
        return error_response(api, request, 422, detail, "invalid_input", errors=errors)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            401,
            _("Sign in first: send the header “Authorization: Bearer <token>”."),
            "not_authenticated",
        )

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error_response(api, request, 413, _("The request is too large."), "too_large")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, RequestDataTooBig):
            return too_large(request, cause)
        if isinstance(cause, DomainError):
            return domain_error(request, cause)
        if cause is not None and exc.status_code == 400:
            # ninja could not parse the body: bad JSON, bad encoding, nesting too deep.
            return error_response(
                api, request, 400, _("The request body is not valid JSON."), "malformed_json"
            )
        if exc.status_code == 403:
            return error_response(api, request, 403, _("You may not do this."), "permission_denied")
        if exc.status_code == 429:
            return error_response(
                api, request, 429, _("Too many requests; try again shortly."), "throttled"
            )
        return error_response(api, request, exc.status_code, str(exc), "http_error")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, _("Not found."), "not_found")
