"""JSON and query-string parsing that refuses what no field may hold."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from ninja.parser import Parser

from tierdesk.errors import InvalidInput

NUL = "\x00"


def _refuse_nul(value: Any) -> None:
    """NUL characters are never meaningful in a desk's text, and PostgreSQL refuses them."""
    if isinstance(value, str):
        if NUL in value:
            raise InvalidInput(_("Text must not contain NUL characters."), code="invalid_input")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item)


class StrictParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        _refuse_nul(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            _refuse_nul(key)
            _refuse_nul(values)
        return super().parse_querydict(data, list_fields, request)
