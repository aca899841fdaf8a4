"""Fast "is this offset inside one of these spans?" tests.

Extraction checks every candidate name against the spans already taken by
laws, organisations and the title; a linear scan over them for each of the
~100 candidates of a statement was a visible share of extraction time.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate

__all__ = ["SpanIndex"]


class SpanIndex:
    """Spans ``(a, b)`` sorted by start, with the running maximum of their ends:
    a span with ``a <= x`` reaching past ``x`` exists iff that maximum does."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._max_end = list(accumulate((b for _, b in ordered), max))

    def holds(self, offset: int) -> bool:
        """Some span has ``a <= offset < b``."""
        i = bisect_right(self._starts, offset)
        return i > 0 and self._max_end[i - 1] > offset

    def holds_end(self, end: int) -> bool:
        """Some span has ``a < end <= b`` (a text ending at ``end`` ends inside it)."""
        i = bisect_left(self._starts, end)
        return i > 0 and self._max_end[i - 1] >= end
