"""Indonesian and English are both first-class: no message ships untranslated."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

import tierdesk

LOCALE = Path(tierdesk.__file__).parent / "locale"


def test_every_message_has_an_indonesian_translation():
    catalogue = polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue if not entry.translated() and not entry.obsolete]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated: {missing}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    """Extract the messages afresh from a copy of the code: a string added without
    `make messages` fails here, not in front of an Indonesian user."""
    copy = tmp_path / "tierdesk"
    shutil.copytree(LOCALE.parent, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["id"], verbosity=0, no_obsolete=True)
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/id/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))}
    assert sorted(extracted - committed) == [], "run `make messages` and translate"
    assert sorted(committed - extracted) == [], "obsolete entries: run `make messages`"


def test_translations_keep_their_placeholders():
    catalogue = polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))
    import re

    placeholder = re.compile(r"\{\w+\}|%\(\w+\)s")
    broken = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if sorted(placeholder.findall(entry.msgid))
        != sorted(
            placeholder.findall(
                entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            )
        )
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
