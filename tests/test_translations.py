"""Indonesian and English are both first-class: no message ships untranslated."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation

import tierdesk

LOCALE = Path(tierdesk.__file__).parent / "locale"


def test_every_message_has_an_indonesian_translation():
    catalogue = polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue if not entry.translated() and not entry.obsolete]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated: {missing}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"


def test_translations_keep_their_placeholders():
    catalogue = polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))
    import re

    placeholder = re.compile(r"\{\w+\}|%\(\w+\)s")
    broken = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if sorted(placeholder.findall(entry.msgid)) != sorted(placeholder.findall(entry.msgstr))
    ]
    assert broken == []


def test_english_catalogue_exists_for_every_indonesian_entry():
    indonesian = {e.msgid for e in polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))}
    english = {e.msgid for e in polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))}
    assert indonesian == english


@pytest.mark.parametrize("language", ["id", "en"])
def test_compiled_catalogue_is_used(language):
    with translation.override(language):
        text = str(translation.gettext("Ticket not found."))
    if language == "id":
        assert text != "Ticket not found."
    else:
        assert text == "Ticket not found."
