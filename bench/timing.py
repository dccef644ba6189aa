"""Timing helpers for the benchmark: repeated samples summarised as median, min and max."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Stat:
    """Samples of one measurement (seconds, or another unit for memory)."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def minimum(self) -> float:
        return min(self.samples)

    @property
    def maximum(self) -> float:
        return max(self.samples)

    @property
    def count(self) -> int:
        return len(self.samples)

    def scaled(self, factor: float) -> Stat:
        return Stat(tuple(s * factor for s in self.samples))


def stat(samples: Sequence[float]) -> Stat:
    if not samples:
        raise ValueError("a measurement needs at least one sample")
    return Stat(tuple(float(s) for s in samples))


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def repeat(fn: Callable[[], object], times: int, warmup: int = 1) -> Stat:
    """Median-ready samples of ``fn`` after ``warmup`` unmeasured calls (caches, imports, fonts)."""
    for _ in range(warmup):
        fn()
    return stat([timed(fn)[0] for _ in range(times)])
