"""`bulk_allocation()`: fewer cyclic garbage collections while big, acyclic data is built.

Parsing and validating a large deck, or writing its rows and notes, allocates hundreds of
thousands of objects and almost no reference cycles. With the default thresholds the cyclic
collector runs over them again and again and can take half the time; reference counting
frees them all the same.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BULK_THRESHOLDS", "bulk_allocation"]

BULK_THRESHOLDS = (100_000, 50, 100)
"""Collector thresholds while building: a young collection per 100,000 allocations."""


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Raise the collector's thresholds for the block, then put back what they were."""
    before = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(before, BULK_THRESHOLDS, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*before)
