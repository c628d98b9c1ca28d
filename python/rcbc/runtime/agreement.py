"""How closely a program's output matches a reference (PyTorch's): ``rcbc run --check``'s figures.

The difference is measured against the reference's scale: the largest absolute difference over
the largest absolute reference value. For a batch of class scores (a 2-D output), the top-1
class of each row must agree as well::

    >>> import numpy as np
    >>> a = agreement(np.array([[0.1, 0.9]]), np.array([[0.1, 0.8]]))
    >>> print(a)
    max |difference| 0.1 = 0.125 of max |reference| 0.8; top-1 agrees on 1 of 1
    >>> a.failures(tolerance=1e-4)
    ['relative difference 0.125 exceeds 0.0001']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Agreement:
    error: float  # max |actual - reference|
    scale: float  # max |reference|, or 1 for an all-zero reference
    top1: tuple[int, int] | None  # (rows whose top-1 agrees, rows) for a 2-D output

    @property
    def relative(self) -> float:
        return self.error / self.scale

    def __str__(self) -> str:
        text = (
            f"max |difference| {self.error:.3g} = {self.relative:.3g} of max |reference| "
            f"{self.scale:.3g}"
        )
        if self.top1 is not None:
            text += f"; top-1 agrees on {self.top1[0]} of {self.top1[1]}"
        return text

    def failures(self, tolerance: float) -> list[str]:
        """What makes the output differ from the reference, with `tolerance` on the relative
        difference; empty when they agree."""
        failures = []
        if self.top1 is not None and self.top1[0] != self.top1[1]:
            failures.append("top-1 differs")
        if self.relative > tolerance:
            failures.append(f"relative difference {self.relative:.3g} exceeds {tolerance:g}")
        return failures


def agreement(actual: np.ndarray, reference: np.ndarray) -> Agreement:
    """Compare `actual` with `reference`, two arrays of one shape."""
    if actual.shape != reference.shape:
        raise ValueError(f"shapes differ: {list(actual.shape)} and {list(reference.shape)}")
    top1 = None
    if reference.ndim == 2:
        top1 = (int((actual.argmax(axis=1) == reference.argmax(axis=1)).sum()), reference.shape[0])
    return Agreement(
        error=float(np.abs(actual - reference).max()),
        scale=float(np.abs(reference).max()) or 1.0,
        top1=top1,
    )
