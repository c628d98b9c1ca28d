"""Observers: the range of real values a tensor takes over the calibration samples.

An observer sees every value of a tensor, batch after batch, and gives the range `[lo, hi]` its
int8 quantization must cover. `MinMaxObserver` covers everything seen; `PercentileObserver`
leaves out the rarest `100 - percentile` % at each end, which spends fewer steps on outliers::

    >>> minmax, pct = MinMaxObserver(), PercentileObserver(99.0)
    >>> for obs in (minmax, pct):
    ...     obs.observe(np.arange(1000.0))
    >>> minmax.range()
    (0.0, 999.0)
    >>> [round(v) for v in pct.range()]
    [10, 990]
"""

from __future__ import annotations

import math

import numpy as np

from rcbc.frontend.errors import FrontendError


class MinMaxObserver:
    """The smallest and the largest value seen."""

    def __init__(self) -> None:
        self.lo, self.hi = math.inf, -math.inf

    def observe(self, values: np.ndarray) -> None:
        if values.size:
            self.lo = min(self.lo, float(values.min()))
            self.hi = max(self.hi, float(values.max()))

    def range(self) -> tuple[float, float]:
        """`[lo, hi]` of everything seen; `(0, 0)` before any value."""
        return (self.lo, self.hi) if self.lo <= self.hi else (0.0, 0.0)


class PercentileObserver:
    """The `100 - percentile` and `percentile` percentiles of the values seen.

    Values are counted in a histogram of `BINS` equal bins over `[-limit, limit]`; when a value
    falls outside, the limit doubles and pairs of bins merge, so memory stays fixed and the
    result does not depend on how the values were split into batches. A percentile is the outer
    edge of the bin it falls in, within the range actually seen.
    """

    BINS = 4096

    def __init__(self, percentile: float = 99.99):
        if not 50.0 < percentile <= 100.0:
            raise FrontendError(
                f"a percentile observer needs a percentile in (50, 100], not {percentile}"
            )
        self.percentile = percentile
        self.extremes = MinMaxObserver()
        self.counts = np.zeros(self.BINS, np.int64)
        self.limit = 0.0

    def observe(self, values: np.ndarray) -> None:
        values = np.asarray(values, np.float64).ravel()
        if not values.size:
            return
        self.extremes.observe(values)
        top = float(np.abs(values).max())
        if self.limit == 0.0:
            self.limit = 2.0 ** math.ceil(math.log2(top)) if top > 0 else 1.0
        while top > self.limit:
            merged = self.counts.reshape(-1, 2).sum(axis=1)
            quarter = np.zeros(self.BINS // 4, np.int64)
            self.counts = np.concatenate([quarter, merged, quarter])
            self.limit *= 2
        bins = ((values + self.limit) * (self.BINS / (2 * self.limit))).astype(np.int64)
        self.counts += np.bincount(np.clip(bins, 0, self.BINS - 1), minlength=self.BINS)

    def range(self) -> tuple[float, float]:
        lo, hi = self.extremes.range()
        total = int(self.counts.sum())
        if not total:
            return lo, hi
        tail = total * round(100.0 - self.percentile, 9) / 100.0  # 100 - 99.9 is 0.1, not less
        cumulative = np.cumsum(self.counts)
        width = 2 * self.limit / self.BINS
        first = int(np.searchsorted(cumulative, tail, side="right"))
        last = int(np.searchsorted(cumulative, total - tail, side="left"))
        return max(lo, -self.limit + first * width), min(hi, -self.limit + (last + 1) * width)


OBSERVERS = {"minmax": MinMaxObserver, "percentile": PercentileObserver}
"""Observers by the name a command line gives them."""


def make_observer(name: str, **options: float) -> MinMaxObserver | PercentileObserver:
    """A new observer of kind `name` (`OBSERVERS`)."""
    if name not in OBSERVERS:
        raise FrontendError(f"unknown observer '{name}'; observers: {', '.join(OBSERVERS)}")
    return OBSERVERS[name](**options)
