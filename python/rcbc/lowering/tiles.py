"""Which tiles a budget uses: compute tiles placed compactly next to DDR-connected columns.

`select(target, n)` returns `n` compute tiles filling a window of consecutive columns, lowest
rows first (nearest the memory tiles and the interface), and the interface tiles of the DDR
columns inside the window, which carry every transfer to and from DDR, and the memory tiles of
the window's columns, which stage what several compute tiles load. The window is at most
twice as wide as the budget needs; among those, the one reaching the most DDR columns wins
(off-chip bandwidth is the usual bottleneck), counting only as many as it takes for their
channels to saturate DDR, then the narrowest, then the leftmost::

    >>> from rcbc import targets
    >>> placement = select(targets.get("aie-ml"), 28)
    >>> placement.columns, placement.rows, placement.ports
    ((2, 3, 4, 5, 6, 7), (3, 4, 5, 6, 7), (2, 3, 6, 7))
    >>> placement.compute[:3]
    ((2, 3), (3, 3), (4, 3))
    >>> placement.memtiles[:3]
    ((2, 1), (3, 1), (4, 1))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rcbc import targets


@dataclass(frozen=True)
class Placement:
    columns: tuple[int, ...]
    rows: tuple[int, ...]
    compute: tuple[tuple[int, int], ...]  # (col, row), row-major from the lowest row
    ports: tuple[int, ...]  # interface columns that reach DDR
    memtiles: tuple[tuple[int, int], ...] = ()  # (col, row) of the columns' memory tiles, row-major

    def port_of(self, tile_index: int) -> int:
        """The interface column serving compute tile `tile_index`: tiles are dealt over the
        ports in turn, so every port carries an even share."""
        return self.ports[tile_index % len(self.ports)]


def select(target: targets.Target, n: int) -> Placement:
    """The `n` compute tiles of a budget and the DDR ports serving them."""
    if not 1 <= n <= target.compute_tiles:
        raise ValueError(
            f"a budget of {n} tiles does not fit target {target.name}, which has "
            f"{target.compute_tiles} compute tiles"
        )
    best = None
    narrowest = math.ceil(n / target.compute_rows)
    useful = saturating_ports(target)
    for width in range(narrowest, min(target.columns, n, 2 * narrowest) + 1):
        for first in range(target.columns - width + 1):
            window = range(first, first + width)
            ddr = min(sum(c in target.ddr_columns for c in window), useful)
            key = (-ddr, width, first)
            if best is None or key < best[0]:
                best = (key, window)
    window = tuple(best[1])
    rows = tuple(range(target.first_compute_row, target.first_compute_row + math.ceil(n / len(window))))
    compute = tuple((col, row) for row in rows for col in window)[:n]
    ports = tuple(c for c in window if c in target.ddr_columns) or (
        min(target.ddr_columns, key=lambda c: (abs(c - window[0]), c)),
    )
    memtiles = tuple((col, row) for row in range(1, target.first_compute_row) for col in window)
    return Placement(window, rows, compute, ports, memtiles)


def saturating_ports(target: targets.Target) -> int:
    """DDR columns whose interface channels together reach the target's DDR bandwidth."""
    if target.ddr_bandwidth is None:
        return len(target.ddr_columns)
    per_port = target.interface.mm2s_channels * target.stream_bytes_per_cycle * target.clock_hz
    return math.ceil(target.ddr_bandwidth / per_port)
