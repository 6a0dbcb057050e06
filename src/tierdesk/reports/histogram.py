"""Duration histograms that add up across days, so medians and p90s come from roll-ups.

A duration in whole minutes falls in a bucket: one bucket per minute below two hours (exact),
then buckets 2 % wide (a p90 of "3 days" is off by at most 2 %). Buckets are kept as
``{"<bucket>": count}`` so a JSON column holds them and two histograms merge by adding.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

EXACT_BELOW = 120  # minutes
GROWTH = 1.02
_LOG_GROWTH = math.log(GROWTH)


def bucket_of(minutes: int) -> int:
    if minutes < EXACT_BELOW:
        return max(minutes, 0)
    return EXACT_BELOW + int(math.log(minutes / EXACT_BELOW) / _LOG_GROWTH)


def bucket_floor(bucket: int) -> int:
    """The smallest whole number of minutes in ``bucket``: what a percentile reports."""
    if bucket < EXACT_BELOW:
        return bucket
    return math.ceil(EXACT_BELOW * GROWTH ** (bucket - EXACT_BELOW) - 1e-9)


def add(into: dict[str, int], minutes: int) -> None:
    key = str(bucket_of(minutes))
    into[key] = into.get(key, 0) + 1


def merge(histograms: Iterable[Mapping[str, int]]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for histogram in histograms:
        for key, count in histogram.items():
            bucket = int(key)
            merged[bucket] = merged.get(bucket, 0) + count
    return merged


def percentile(histogram: Mapping[int, int], fraction: float) -> int | None:
    """The nearest-rank percentile: the smallest duration such that at least ``fraction`` of
    all durations are at most it. None for an empty histogram."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return bucket_floor(bucket)
    return None  # pragma: no cover - rank never exceeds total
