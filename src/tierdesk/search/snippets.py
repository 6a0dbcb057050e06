"""Highlighted snippets, cut from the original text in Python so both engines show the same.

A word is highlighted when its stem (in the document's language) or the word itself is one of
the query's index terms. The output is HTML-escaped text with ``<mark>`` around matches: safe
to put in a page as it is.
"""

from __future__ import annotations

from html import escape

from tierdesk.search import language

SNIPPET_WORDS = 30
MAX_SCANNED_CHARACTERS = 20_000


def _matches(word: str, terms: set[str], document_language: str) -> bool:
    return word in terms or language.stem(word, document_language) in terms


def _render(text: str, words: list[tuple[int, int, str]], marked: set[int]) -> str:
    parts = []
    position = words[0][0] if words else 0
    for index, (start, end, _word) in enumerate(words):
        parts.append(escape(text[position:start]))
        if index in marked:
            parts.append(f"<mark>{escape(text[start:end])}</mark>")
        else:
            parts.append(escape(text[start:end]))
        position = end
    return "".join(parts)


def highlight(text: str, terms: set[str], document_language: str) -> str:
    """All of ``text`` (a title), escaped, with matching words in <mark>."""
    words = language.words_with_offsets(text)
    marked = {i for i, (_, _, word) in enumerate(words) if _matches(word, terms, document_language)}
    if not words:
        return escape(text)
    return escape(text[: words[0][0]]) + _render(text, words, marked) + escape(text[words[-1][1] :])


def snippet(text: str, terms: set[str], document_language: str) -> str:
    """The passage of about SNIPPET_WORDS words with the most matches, escaped, with matching
    words in <mark> and an ellipsis where text was left out."""
    scanned = text[:MAX_SCANNED_CHARACTERS]
    words = language.words_with_offsets(scanned)
    if not words:
        return ""
    flags = [_matches(word, terms, document_language) for _, _, word in words]
    best_start, best_count, count = 0, -1, 0
    for index, flag in enumerate(flags):
        count += flag
        if index >= SNIPPET_WORDS:
            count -= flags[index - SNIPPET_WORDS]
        if count > best_count:
            best_count, best_start = count, max(0, index - SNIPPET_WORDS + 1)
    # Start a little before the first match of the window, for context.
    first_match = next(
        (i for i in range(best_start, min(len(words), best_start + SNIPPET_WORDS)) if flags[i]),
        best_start,
    )
    start = max(0, min(best_start, first_match - 3))
    window = words[start : start + SNIPPET_WORDS]
    marked = {i - start for i in range(start, start + len(window)) if flags[i]}
    rendered = _render(scanned, window, marked)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + len(window) < len(words) or len(text) > len(scanned) else ""
    return prefix + rendered + suffix
