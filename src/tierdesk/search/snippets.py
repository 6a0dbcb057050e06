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
    """``text`` from the first of ``words`` to the end of the last, escaped, the words whose
    indexes are ``marked`` in <mark>. Escaped a stretch at a time, from one marked word to the
    next (escaping word by word was a tenth of a search's time)."""
    if not words:
        return ""
    parts = []
    position = words[0][0]
    for index in sorted(marked):
        start, end, _word = words[index]
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position : words[-1][1]]))
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
    # Start a little before the first match of the window, for context after the matches
    # too (the window found ends at its last match; moved up, it still holds every one of
    # them), but not so late that the passage would be short of words the text has.
    first_match = next(
        (i for i in range(best_start, min(len(words), best_start + SNIPPET_WORDS)) if flags[i]),
        best_start,
    )
    start = max(0, min(first_match - 3, len(words) - SNIPPET_WORDS))
    window = words[start : start + SNIPPET_WORDS]
    marked = {i - start for i in range(start, start + len(window)) if flags[i]}
    rendered = _render(scanned, window, marked)
    # The text around the words (an opening quote, a closing "?") when the passage reaches
    # the start or the end; an ellipsis where it leaves text out.
    prefix = "… " if start > 0 else escape(scanned[: words[0][0]].lstrip())
    if start + len(window) < len(words) or len(text) > len(scanned):
        suffix = " …"
    else:
        suffix = escape(scanned[words[-1][1] :].rstrip())
    return prefix + rendered + suffix
