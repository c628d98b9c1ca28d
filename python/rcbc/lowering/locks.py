"""Locks for the orderings of a schedule.

`rhal-schedule-dma` finds the orderings a schedule needs, each a `Link`: op `source` (a transfer
or kernel, a task of one agent of a tile) completes before op `target` (a task of another agent
of that tile, or the controller's next record) starts, ops numbered in issue order. This module
chooses the locks that carry them and returns, per op, its `Uses`: the locks it acquires and
releases (by key, the tile's coordinates first) and whether a barrier comes first::

    uses = semaphores(links, barriers, lock_count)

Agents are ``("core", col, row)``, ``("s2mm" | "mm2s", col, row, channel)`` or
``("controller",)``; each runs its tasks in issue order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

Agent = tuple
CONTROLLER: Agent = ("controller",)


@dataclass(frozen=True)
class Link:
    """An ordering the schedule needs: op `source`, on agent `pair[0]`, completes before op
    `target`, on agent `pair[1]`, starts. Links of one pair come with both ends increasing."""

    source: int
    target: int
    pair: tuple[Agent, Agent]


@dataclass
class Uses:
    """What one op gets: lock keys it acquires (the controller, before issuing it:
    `controller_acquires`) and releases, and whether a barrier comes first."""

    acquires: list[tuple] = field(default_factory=list)
    releases: list[tuple] = field(default_factory=list)
    controller_acquires: list[tuple] = field(default_factory=list)
    barrier_before: bool = False


class OutOfLocks(Exception):
    """A tile has too few locks for the links that must be in flight at once on it."""

    def __init__(self, tile: tuple[int, int], available: int):
        super().__init__(tile, available)
        self.tile, self.available = tile, available


def lock_tile(pair: tuple[Agent, Agent]) -> tuple[int, int]:
    """The tile whose lock orders `pair`: the non-controller agents' tile (they share it)."""
    agents = [a for a in pair if a != CONTROLLER]
    return (agents[0][1], agents[0][2])


def semaphores(links: list[Link], barriers: set[int],
               lock_count: Callable[[tuple[int, int]], int]) -> dict[int, Uses]:
    """One counting semaphore per pair of agents: each link's source releases 1 and its target
    acquires 1, so the n-th acquire of a pair waits for the n-th release. `barriers`: the ops
    that get a barrier before them; `lock_count`: the locks of a tile. Raises `OutOfLocks`."""
    uses: dict[int, Uses] = defaultdict(Uses)
    for index in barriers:
        uses[index].barrier_before = True
    pairs: dict[tuple[int, int], set] = defaultdict(set)
    for link in links:
        tile = lock_tile(link.pair)
        pairs[tile].add(link.pair)
        if len(pairs[tile]) > lock_count(tile):
            raise OutOfLocks(tile, lock_count(tile))
        key = (tile, link.pair)
        uses[link.source].releases.append(key)
        target = uses[link.target]
        (target.controller_acquires if link.pair[1] == CONTROLLER else target.acquires).append(key)
    return uses
