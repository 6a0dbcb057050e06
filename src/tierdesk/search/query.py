"""From what a person typed to what the engines match: words, corrections, synonyms, stems.

A parsed query is a list of *groups*, one per word (or phrase) of the query. A group matches
when any of its *alternatives* matches; an alternative is one or more index terms that must
all be present. Example: ``reset katasandi`` becomes

    [("reset",)]                                  # reset
    [("sandi",), ("password",), ("kata", "sandi")]  # katasandi -> kata sandi, and its synonyms

The engines match "all groups" first and relax to "any group" when that finds too little;
index terms are plain letters and digits, so nothing a person types reaches the engines'
own query syntax.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tierdesk.search import language

MAX_QUERY_CHARACTERS = 1_000
MAX_QUERY_WORDS = 24
MAX_SYNONYM_WORDS = 3
MIN_CORRECTION_SIMILARITY = 0.45
# A typo this close wins over splitting the word in two known words (pasword: password).
CLOSE_SIMILARITY = 0.6

Alternative = tuple[str, ...]
Group = tuple[Alternative, ...]


@dataclass
class ParsedQuery:
    groups: list[Group]
    words: list[str]  # the folded words, after corrections
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> used instead
    # Groups that add to a document's rank but do not make it match (a description's
    # common words: search.index._telling).
    ranked_also: list[Group] = field(default_factory=list)

    @property
    def terms(self) -> set[str]:
        """Every index term the query may match (for highlighting)."""
        return {term for group in self.groups for alternative in group for term in alternative}

    @property
    def corrected_text(self) -> str | None:
        """The query as searched when a word was corrected ("did you mean"), else None."""
        return " ".join(self.words) if self.corrections else None


class Vocabulary:
    """What the index knows, asked of the engine in as few round trips as possible, plus
    ``extra`` words (those of the synonym table, so ``pasword`` finds ``password`` even where
    only ``kata sandi`` is written)."""

    def __init__(
        self,
        known: Callable[[Iterable[str]], set[str]],
        similar: Callable[[str], list[str]],
        extra: Iterable[str] = (),
    ) -> None:
        self._known = known
        self._similar = similar
        self.extra = set(extra)

    def known(self, candidates: Iterable[str]) -> set[str]:
        candidates = {candidate for candidate in candidates if candidate}
        found = self._known(candidates) if candidates else set()
        return found | (candidates & self.extra)

    def similar(self, word: str) -> list[str]:
        if len(word) < 3:
            return []
        grams = language.trigrams(word)
        extra = [other for other in self.extra if grams & language.trigrams(other)]
        return [*self._similar(word), *extra]


def _variants(word: str) -> tuple[Alternative, ...]:
    return tuple((variant,) for variant in language.query_variants(word))


def _phrase_key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(language.stem_indonesian(word) for word in words)


class Synonyms:
    """Synonym phrases by the stems of their words, and the alternatives each one brings."""

    @functools.cached_property
    def words(self) -> set[str]:
        return {
            word
            for phrases in self.groups
            for phrase in phrases
            for word in language.tokens(phrase)
        }

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self.groups = [list(phrases) for phrases in groups]
        self.by_key: dict[tuple[str, ...], set[Alternative]] = {}
        for phrases in self.groups:
            alternatives: set[Alternative] = set()
            keys = []
            for phrase in phrases:
                words = language.tokens(phrase)[:MAX_SYNONYM_WORDS]
                if not words:
                    continue
                keys.append(_phrase_key(words))
                if len(words) == 1:
                    alternatives.update(_variants(words[0]))
                else:
                    alternatives.add(_phrase_key(words))
            for key in keys:
                self.by_key.setdefault(key, set()).update(alternatives)

    def longest_match(self, words: list[str], start: int) -> tuple[int, set[Alternative]]:
        for length in range(min(MAX_SYNONYM_WORDS, len(words) - start), 0, -1):
            alternatives = self.by_key.get(_phrase_key(words[start : start + length]))
            if alternatives:
                return length, alternatives
        return 0, set()


def _correct(words: list[str], vocabulary: Vocabulary) -> tuple[list[str], dict[str, str]]:
    """Replace words the index has never seen: the closest known word by trigram similarity
    when it is close (``pasword`` -> ``password``), else a split in two known words
    (``katasandi`` -> ``kata sandi``), else a less close known word."""
    candidates: set[str] = set()
    for word in words:
        candidates.add(word)
        candidates.update(language.query_variants(word))
        for cut in range(2, len(word) - 1):
            candidates.update((word[:cut], word[cut:]))
    known = vocabulary.known(candidates)
    corrected: list[str] = []
    corrections: dict[str, str] = {}
    for word in words:
        is_known = word in known or any(v in known for v in language.query_variants(word))
        if word.isdigit() or is_known:
            corrected.append(word)
            continue
        splits = [
            (min(cut, len(word) - cut), [word[:cut], word[cut:]])
            for cut in range(2, len(word) - 1)
            if word[:cut] in known and word[cut:] in known
        ]
        scored = sorted(
            (
                (language.closeness(word, other), other)
                for other in vocabulary.similar(word)
                if other != word and not other.isdigit()
            ),
            reverse=True,
        )
        best_similarity, closest = scored[0] if scored else (0.0, "")
        replacement: list[str] | None = None
        if best_similarity >= CLOSE_SIMILARITY:
            replacement = [closest]
        elif splits:
            replacement = max(splits)[1]
        elif best_similarity >= MIN_CORRECTION_SIMILARITY:
            replacement = [closest]
        if replacement is None:
            corrected.append(word)
        else:
            corrected.extend(replacement)
            corrections[word] = " ".join(replacement)
    return corrected, corrections


def parse(
    text: str,
    *,
    vocabulary: Vocabulary,
    synonyms: Synonyms,
    fuzzy: bool = True,
) -> ParsedQuery:
    """Words of ``text`` (at most MAX_QUERY_WORDS of its first MAX_QUERY_CHARACTERS), with
    corrections when ``fuzzy``, turned into groups of alternatives."""
    words = list(dict.fromkeys(language.tokens(text[:MAX_QUERY_CHARACTERS])))[:MAX_QUERY_WORDS]
    corrections: dict[str, str] = {}
    if fuzzy and words:
        words, corrections = _correct(words, vocabulary)
    joined_known = vocabulary.known(first + second for first, second in itertools.pairwise(words))
    groups: list[Group] = []
    position = 0
    while position < len(words):
        length, alternatives = synonyms.longest_match(words, position)
        if length:
            alternatives = set(alternatives)
            if length > 1:
                alternatives.add(_phrase_key(words[position : position + length]))
            else:
                alternatives.update(_variants(words[position]))
        else:
            length = 1
            word = words[position]
            alternatives = set(_variants(word))
            following = words[position + 1] if position + 1 < len(words) else None
            if following is not None and word + following in joined_known:
                # "pass word" also finds "password": the pair becomes one group.
                length = 2
                alternatives = {
                    (language.stem_indonesian(word), language.stem_indonesian(following)),
                    *_variants(word + following),
                }
        group = tuple(sorted(alternatives))
        if group not in groups:
            groups.append(group)
        position += length
    return ParsedQuery(groups=groups, words=words, corrections=corrections)


def facet_term(name: str, value: str) -> str:
    """The index term standing for an attribute value, e.g. ``zzzstatuspublished``."""
    return "zzz" + name + "".join(language.tokens(str(value)))


def neighbours(words: Iterable[str], vocabulary: Vocabulary) -> list[list[str]]:
    """For the fuzzy second pass: each word with the closest other indexed word, as synonym
    pairs (the word still counts; its neighbour becomes an alternative)."""
    pairs = []
    for word in words:
        if word.isdigit() or len(word) < 4:
            continue
        own = set(language.query_variants(word)) | {word}
        scored = sorted(
            (
                (language.closeness(word, other), other)
                for other in vocabulary.similar(word)
                if other not in own and not other.isdigit()
            ),
            reverse=True,
        )
        if scored and scored[0][0] >= MIN_CORRECTION_SIMILARITY:
            pairs.append([word, scored[0][1]])
    return pairs
