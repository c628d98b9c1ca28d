"""Locks for the orderings of a schedule: counting semaphores, or binary locks.

`rhal-schedule-dma` finds the orderings a schedule needs, each a `Link`: op `source` (a transfer
or kernel, a task of one agent of a tile) completes before op `target` (a task of another agent
of that tile, or the controller's next record) starts, ops numbered in issue order. This module
chooses the locks that carry them and returns, per op, its `Uses`: the locks it acquires and
releases (by key, the tile's coordinates first), the queues the controller waits for before
issuing it and whether a barrier comes first::

    uses = semaphores(links, barriers, lock_count)                 # aie-ml, npu1, npu2
    uses = binary(links, barriers, fences, agents, lock_count)     # aie: locks hold 0 or 1

Agents are ``("core", col, row)``, ``("s2mm" | "mm2s", col, row, channel)`` or
``("controller",)``; each runs its tasks in issue order, which both schemes rely on. Why
`binary` is correct is told in `rhal-schedule-dma`'s docstring.
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
    `controller_acquires`) and releases, the agents whose queues the controller waits for and
    whether a barrier comes first."""

    acquires: list[tuple] = field(default_factory=list)
    releases: list[tuple] = field(default_factory=list)
    controller_acquires: list[tuple] = field(default_factory=list)
    waits: list[Agent] = field(default_factory=list)
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
    tiles: dict[tuple[Agent, Agent], tuple[int, int]] = {}  # pair -> its lock's tile
    for link in links:
        tile = tiles.get(link.pair)
        if tile is None:
            tile = tiles[link.pair] = lock_tile(link.pair)
            pairs[tile].add(link.pair)
            if len(pairs[tile]) > lock_count(tile):
                raise OutOfLocks(tile, lock_count(tile))
        key = (tile, link.pair)
        uses[link.source].releases.append(key)
        target = uses[link.target]
        (target.controller_acquires if link.pair[1] == CONTROLLER else target.acquires).append(key)
    return uses


def binary(links: list[Link], barriers: set[int], fences: set[int], agents: dict[int, Agent],
           lock_count: Callable[[tuple[int, int]], int]) -> dict[int, Uses]:
    """Binary locks: a lock is released again only once its last release has been acquired.

    `barriers` as for `semaphores`; `fences`: the ops before which everything issued earlier
    has completed (barriers, given or added; no link crosses one); `agents`: the agent of every
    transfer and kernel. Raises `OutOfLocks`.
    """
    return _BinaryLocks(agents, lock_count).run(links, barriers, fences)


@dataclass
class _Lock:
    acquirer: Agent
    last: int  # the target of the last link the lock carried


class _BinaryLocks:
    """Walks the tasks in issue order. For each it knows, per agent of its tile, the last task
    known to have completed before it starts (a `seen` map; the controller's entry is the task
    itself: every earlier record was issued before it), and gives the links it releases locks
    whose last acquire is then known done."""

    def __init__(self, agents: dict[int, Agent], lock_count: Callable[[tuple[int, int]], int]):
        self.agents = agents
        self.lock_count = lock_count
        self.uses: dict[int, Uses] = defaultdict(Uses)
        self.released: dict[Link, int] = {}  # link -> the task that releases it
        self.done: dict[int, dict[Agent, int]] = {}  # releasing task -> seen when it completes
        self.start_segment()

    def start_segment(self) -> None:
        """At a fence every task issued so far has completed and every lock is 0."""
        self.seen_by: dict[Agent, dict[Agent, int]] = {}  # by each agent's last task
        self.controller: dict[tuple[int, int], dict[Agent, int]] = defaultdict(dict)
        self.locks: dict[tuple[int, int], list[_Lock]] = defaultdict(list)
        self.deferred: dict[Agent, list[Link]] = defaultdict(list)

    def run(self, links: list[Link], barriers: set[int], fences: set[int]) -> dict[int, Uses]:
        latest: dict[tuple[int, tuple[Agent, Agent]], Link] = {}
        for link in links:  # per target and pair, the latest source: queue order implies the rest
            key = (link.target, link.pair)
            if key not in latest or latest[key].source < link.source:
                latest[key] = link
        self.outgoing: dict[int, list[Link]] = defaultdict(list)
        self.incoming: dict[int, list[Link]] = defaultdict(list)
        for link in latest.values():
            self.outgoing[link.source].append(link)
            self.incoming[link.target].append(link)
        self.next_task: dict[int, int] = {}  # task -> the next of its agent
        previous: dict[Agent, int] = {}
        for index in sorted(self.agents):
            agent = self.agents[index]
            if agent in previous:
                self.next_task[previous[agent]] = index
            previous[agent] = index
        self.last_task: dict[Agent, int] = {}  # agent -> its last task issued so far
        for index in barriers:
            self.uses[index].barrier_before = True
        for index in sorted(fences | self.agents.keys()):
            if index in fences:
                self.start_segment()
            for link in self.incoming.get(index, ()):
                if link.pair[1] == CONTROLLER and link in self.released:
                    _join(self.controller[lock_tile(link.pair)], self.done[self.released[link]])
            if index in self.agents:
                self.task(index, self.agents[index])
        return self.uses

    def task(self, index: int, agent: Agent) -> None:
        tile = agent[1:3]
        seen = self.seen_by.setdefault(agent, {})  # what the agent's previous task saw, and it
        _join(seen, self.controller[tile])
        for link in self.incoming.get(index, ()):
            if link.pair[1] == agent and link in self.released:
                _join(seen, self.done[self.released[link]])
        seen[CONTROLLER] = index
        seen[agent] = index  # for the links it releases (to other agents), its completion
        releasing = self.outgoing.get(index, []) + self.deferred.pop(agent, [])
        if releasing:
            by_acquirer: dict[Agent, list[Link]] = defaultdict(list)
            for link in releasing:
                by_acquirer[link.pair[1]].append(link)
            for group in by_acquirer.values():
                # The first target acquires; the acquirer's later ones follow it in its order.
                self.release(index, agent, tile, seen, min(group, key=lambda link: link.target))
            self.done[index] = dict(seen)
        self.last_task[agent] = index

    def release(self, index: int, agent: Agent, tile: tuple[int, int], seen: dict[Agent, int],
                link: Link) -> None:
        """Give `link`, released by task `index` of `agent`, a free lock: one it may reuse, else
        a new one (a link the controller acquires first moves to `agent`'s next task, if that
        comes before its target), else one a controller wait frees."""
        acquirer = link.pair[1]
        pool = self.locks[tile]
        count = self.lock_count(tile)
        free = [i for i, lock in enumerate(pool) if self.reusable(lock, acquirer, index, tile, seen)]
        unused = [len(pool)] if len(pool) < count else []
        if not free and acquirer != CONTROLLER:
            free = unused
        if not free and self.next_task.get(index, link.target) < link.target:
            self.deferred[agent].append(link)
            return
        free = free or unused
        if not free:
            issued = [lock for lock in pool if lock.last < index]
            if not issued:
                raise OutOfLocks(tile, count)
            lock = min(issued, key=lambda lock: lock.last)
            self.uses[index].waits.append(lock.acquirer)
            self.controller[tile][lock.acquirer] = self.last_task[lock.acquirer]
            free = [pool.index(lock)]
        if free[0] == len(pool):
            pool.append(_Lock(acquirer, -1))
        pool[free[0]].acquirer, pool[free[0]].last = acquirer, link.target
        key = (tile, free[0])
        self.uses[index].releases.append(key)
        target = self.uses[link.target]
        (target.controller_acquires if acquirer == CONTROLLER else target.acquires).append(key)
        self.released[link] = index

    def reusable(self, lock: _Lock, acquirer: Agent, index: int, tile: tuple[int, int],
                 seen: dict[Agent, int]) -> bool:
        """Whether the last acquire of `lock` happens before task `index` starts, so that the
        task may release it for `acquirer`: known done then by the same acquirer (whose
        acquires follow its order), or, by any, before the controller issues the task."""
        if lock.acquirer == acquirer and lock.last <= seen.get(acquirer, -1):
            return True
        issued = index if lock.acquirer == CONTROLLER else self.controller[tile].get(lock.acquirer, -1)
        return lock.last <= issued


def _join(into: dict[Agent, int], other: dict[Agent, int]) -> None:
    for agent, index in other.items():
        if into.get(agent, -1) < index:
            into[agent] = index
