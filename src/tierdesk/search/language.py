"""Language handling shared by both engines: folding, tokens, stems.

Every word goes through the same steps at index time and at query time, in Python, so the
SQLite and PostgreSQL engines index the same terms and rank comparable sets:

- fold: Unicode compatibility form, accents removed, case folded (``Kata Sandi`` -> ``kata
  sandi``, ``café`` -> ``cafe``);
- tokens: runs of letters and digits; single letters are dropped, digits kept;
- stems: Indonesian words through Sastrawi (``pemasangan``/``memasang`` -> ``pasang``);
  a word Sastrawi leaves alone, and every word of an English document, through the Snowball
  English stemmer (``installing printers`` -> ``instal printer``).

A query does not say its language, and Indonesian IT text is full of English words, so a
query word matches through either of its stems (:func:`query_variants`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

LANGUAGES = ("id", "en")
MAX_TOKEN_LENGTH = 40
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_WORD_WITH_OFFSETS = re.compile(r"[^\W_]+", re.UNICODE)

_indonesian = StemmerFactory().create_stemmer()
_english = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Accents removed and case folded."""
    if text.isascii():  # most words: nothing to decompose, and casefold() is lower() here
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits), single letters left out."""
    return [
        token[:MAX_TOKEN_LENGTH]
        for token in _TOKEN.findall(fold(text))
        if len(token) > 1 or token.isdigit()
    ]


@lru_cache(maxsize=200_000)
def stem_english(token: str) -> str:
    if len(token) < 3 or not token.isalpha():
        return token
    return _english.stemWord(token)


@lru_cache(maxsize=200_000)
def stem_indonesian(token: str) -> str:
    """Sastrawi's stem; a word it leaves unchanged (often an English loan word) gets the English
    stem, so ``printers`` in an Indonesian article still meets ``printer``."""
    if len(token) < 4:
        return token
    if not (token.isascii() and token.isalpha()):
        # Codes, host names and numbers (``kode123``, ``lt3``) have no Indonesian affixes,
        # and Sastrawi would spend milliseconds on each new one.
        return stem_english(token)
    stem = _indonesian.stem(token)
    if not stem or stem == token:
        return stem_english(token)
    return stem


def stem(token: str, language: str) -> str:
    return stem_english(token) if language == "en" else stem_indonesian(token)


def analyze(text: str, language: str) -> list[str]:
    """The index terms of a document's text in its language."""
    return [stem(token, language) for token in tokens(text)]


def query_variants(token: str) -> tuple[str, ...]:
    """The terms a folded query word may match: its Indonesian and its English stem."""
    return tuple(dict.fromkeys((stem_indonesian(token), stem_english(token))))


def words_with_offsets(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for each word of the original text, for highlighting."""
    return [
        (match.start(), match.end(), fold(match.group()))
        for match in _WORD_WITH_OFFSETS.finditer(text)
    ]


@lru_cache(maxsize=50_000)
def trigrams(word: str) -> frozenset[str]:
    """pg_trgm-style trigrams of a word (padded with two spaces before, one after). Cached:
    correcting one typed word compares it with up to 200 indexed words and every synonym."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(first: str, second: str) -> float:
    """Shared trigrams over all trigrams, as pg_trgm's ``similarity``."""
    a, b = trigrams(first), trigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def edit_distance(first: str, second: str, limit: int = 3) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts once), or
    ``limit + 1`` when it is larger than ``limit``."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, 1):
            cost = 0 if a == b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def closeness(typed: str, known: str) -> float:
    """How likely ``known`` is what was meant by ``typed``: trigram similarity, raised for
    one or two slips (a swapped, missing, extra or wrong letter) in a long enough word."""
    score = similarity(typed, known)
    allowed = 1 if len(typed) <= 6 else 2
    if len(typed) >= 4:
        distance = edit_distance(typed, known, allowed)
        if distance <= allowed:
            score = max(score, 0.9 - 0.15 * distance)
    return score
