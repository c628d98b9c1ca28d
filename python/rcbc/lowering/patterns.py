"""Byte access patterns of tensor regions, within a DMA's dimension limit.

A tensor lives in a buffer dense and row-major. `region_pattern` is the pattern that visits one
box of it in row-major order; `coalesce` merges dimensions that continue each other; `split`
cuts a pattern with more dimensions than a DMA allows into several transfers, each with the
offset of its part in the visiting order (where its bytes sit in a contiguous tile buffer)::

    >>> region_pattern((8, 14, 14), (0, 2), (0, 14), (4, 8), element=4)
    Pattern(offset=16, sizes=(28, 16), strides=(56, 1))
    >>> region_pattern((8, 14, 14), (0, 2), (1, 13), (4, 8), element=4)
    Pattern(offset=72, sizes=(2, 12, 16), strides=(784, 56, 1))
    >>> region_pattern((8, 14, 14), (2, 4), (0, 14), (0, 14), element=4)
    Pattern(offset=1568, sizes=(1568,), strides=(1,))
    >>> [(p.offset, p.sizes, at) for p, at in split(Pattern(0, (2, 3, 8), (64, 16, 1)), 1)]
    [(0, (8,), 0), (16, (8,), 8), (32, (8,), 16), (64, (8,), 24), (80, (8,), 32), (96, (8,), 40)]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Pattern:
    offset: int
    sizes: tuple[int, ...]
    strides: tuple[int, ...]

    @property
    def nbytes(self) -> int:
        return math.prod(self.sizes)


def coalesce(offset: int, sizes: Sequence[int], strides: Sequence[int]) -> Pattern:
    """The same visit with size-1 dimensions dropped and contiguous dimensions merged."""
    dims = [(s, st) for s, st in zip(sizes, strides) if s != 1] or [(1, 1)]
    merged = [dims[-1]]
    for size, stride in reversed(dims[:-1]):
        inner_size, inner_stride = merged[0]
        if stride == inner_size * inner_stride:
            merged[0] = (size * inner_size, inner_stride)
        else:
            merged.insert(0, (size, stride))
    return Pattern(offset, tuple(s for s, _ in merged), tuple(st for _, st in merged))


def region_pattern(
    shape: Sequence[int], *ranges: tuple[int, int], element: int
) -> Pattern:
    """The pattern of the box `ranges` (one (start, stop) per dimension) of a dense tensor."""
    strides = [element]
    for size in reversed(shape[1:]):
        strides.insert(0, strides[0] * size)
    offset = sum(start * stride for (start, _), stride in zip(ranges, strides))
    sizes = [stop - start for start, stop in ranges]
    # The innermost dimension moves whole elements: its size and stride are in bytes.
    sizes[-1] *= element
    strides[-1] = 1
    return coalesce(offset, sizes, strides)


def split(pattern: Pattern, max_dims: int) -> list[tuple[Pattern, int]]:
    """`pattern` as transfers of at most `max_dims` dimensions, each with its position in the
    visiting order, in bytes."""
    if len(pattern.sizes) <= max_dims:
        return [(pattern, 0)]
    outer = len(pattern.sizes) - max_dims
    inner = Pattern(0, pattern.sizes[outer:], pattern.strides[outer:])
    parts = []
    for position, index in enumerate(itertools.product(*(range(s) for s in pattern.sizes[:outer]))):
        offset = pattern.offset + sum(i * st for i, st in zip(index, pattern.strides))
        parts.append((Pattern(offset, inner.sizes, inner.strides), position * inner.nbytes))
    return parts
