"""The abstract machine of the RCB bytecode spec, as a deterministic discrete-event simulation.

Agents run concurrently: the controller walks a list of `Step`s in order; each DMA channel and
each core has a queue of `Task`s it runs one at a time. Locks are counting semaphores. Every
agent carries a vector clock, joined along the spec's happens-before edges (issue, queue order,
lock release -> acquire, wait/barrier), and every memory access is checked against its memory's
history (`rcbc.runtime.memory`), so that a program with a missing synchronization fails with a
race error instead of computing by luck.

    machine = Machine(dispatch_cycles=1)
    q = machine.queue("core (2,3)", capacity_key=(2, 3), capacity=2)
    machine.run([Issue(Task(record=0, queues=(q,), duration=10, execute=...)), End(record=1)])

Time is in cycles of the target clock; durations come from the timing model. Ties are broken by
record index, so a run is reproducible to the cycle. A machine made with ``timeline=True`` also
records when each task ran and when the controller stalled (`Span`), for traces and reports.

The event loop does work only where something changed: the queues of a task are looked at when
it becomes the head of all of them (issued to empty queues, or the tasks ahead of it completed),
or when a lock it waits for is released; the queues looked at in one instant
are taken in the order they were made, as a scan of every queue would meet them. Clocks are numpy
arrays indexed by agent (sized when `run` starts), never changed in place once made, so a task
or lock keeps a reference instead of a copy.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from rcbc.runtime.memory import Clock, Stamp


class MachineError(Exception):
    """A program the machine cannot run: deadlock, lock overflow, or a failing task."""


def join(first: np.ndarray, *clocks: np.ndarray | None) -> np.ndarray:
    """The pointwise maximum of vector clocks (None: a clock of zeros), as a new array."""
    result = None
    for clock in clocks:
        if clock is not None:
            if result is None:
                result = np.maximum(first, clock)
            else:
                np.maximum(result, clock, out=result)
    return first.copy() if result is None else result


@dataclass
class Lock:
    """A counting semaphore of a tile."""

    name: str
    max_value: int
    value: int = 0
    clock: np.ndarray | None = None  # of the releases so far (None: none)
    waiters: list[Task] = field(default_factory=list, repr=False)  # head tasks short of it


@dataclass
class Queue:
    """The task queue of one agent (a DMA channel or a core)."""

    name: str
    agent: int
    capacity_key: object  # tasks outstanding are limited per key (a tile's BDs)
    tasks: list[Task] = field(default_factory=list)
    busy: bool = False
    epoch: int = 0
    clock: np.ndarray | None = None  # of its last completed task (None: none yet)
    busy_cycles: float = 0.0

    def stamp(self, record: int) -> Stamp:
        """The stamp of the accesses of the task now starting on this queue."""
        return Stamp(self.agent, self.epoch + 1, record)


@dataclass
class TaskContext:
    """What a task sees while it runs: its clock and one stamp per queue it occupies."""

    clock: Clock
    stamps: tuple[Stamp, ...]


@dataclass
class Task:
    """Work for one or two queues (a DMA occupies its source and its destination channel)."""

    record: int
    queues: tuple[Queue, ...]
    duration: float  # cycles; `execute` may return the actual figure once it knows it
    execute: Callable[[TaskContext], float | None]
    acquires: Sequence[tuple[Lock, int]] = ()
    releases: Sequence[tuple[Lock, int]] = ()
    what: str = ""
    issue_clock: np.ndarray | None = None
    start_clock: np.ndarray | None = None


def shortfall(task: Task) -> list[tuple[Lock, int]]:
    """The locks `task` cannot take now, with the amount it needs of each: a lock acquired
    twice needs the sum, as all acquires are taken at once."""
    if len(task.acquires) == 1:
        lock, value = task.acquires[0]
        return [(lock, value)] if lock.value < value else []
    needed: dict[int, list] = {}
    for lock, value in task.acquires:
        needed.setdefault(id(lock), [lock, 0])[1] += value
    return [(lock, value) for lock, value in needed.values() if lock.value < value]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of modeled time, in cycles: task `record` running on its queues, or the
    controller stalled at controller record `record` (waiting for it to become ready)."""

    record: int
    start: float
    end: float
    task: bool  # False: the controller
    host: bool = False  # the controller waiting for a host round trip (a host-dispatched barrier)


class Step:
    """One controller record. `ready` says whether it can run now; `run` performs it."""

    record: int

    def ready(self, machine: Machine) -> bool:
        return True

    def run(self, machine: Machine) -> None:
        raise NotImplementedError

    def blocked_on(self, machine: Machine) -> str:
        return "nothing"


@dataclass
class Issue(Step):
    """Append a task to its queues (blocks while a queue's capacity is exhausted)."""

    task: Task

    @property
    def record(self) -> int:
        return self.task.record

    def ready(self, machine: Machine) -> bool:
        outstanding, capacity = machine._outstanding, machine.capacity
        for q in self.task.queues:
            if outstanding.get(q.capacity_key, 0) >= capacity[q.capacity_key]:
                return False
        return True

    def run(self, machine: Machine) -> None:
        task = self.task
        task.issue_clock = machine.controller_clock
        for q in task.queues:
            q.tasks.append(task)
        if all(q.tasks[0] is task for q in task.queues):  # else it starts after those ahead of it
            for q in task.queues:
                machine._pending[q.agent] = q
        for key in {q.capacity_key for q in self.task.queues}:
            machine._outstanding[key] = machine.outstanding(key) + 1
        machine._in_flight += 1

    def blocked_on(self, machine: Machine) -> str:
        full = [str(k) for k in {q.capacity_key for q in self.task.queues}
                if machine.outstanding(k) >= machine.capacity[k]]
        return f"capacity of {', '.join(full)}"


@dataclass
class Immediate(Step):
    """A controller action that runs at once: `action(stamp, clock)` (configure, write params)."""

    record: int
    action: Callable[[Stamp, Clock], None]

    def run(self, machine: Machine) -> None:
        machine.controller_epoch += 1
        stamp = Stamp(machine.CONTROLLER, machine.controller_epoch, self.record)
        self.action(stamp, machine.controller_clock)
        clock = machine.controller_clock.copy()
        clock[machine.CONTROLLER] = machine.controller_epoch
        machine.controller_clock = clock


@dataclass
class Acquire(Step):
    record: int
    lock: Lock
    value: int

    def ready(self, machine: Machine) -> bool:
        return self.lock.value >= self.value

    def run(self, machine: Machine) -> None:
        self.lock.value -= self.value
        machine.controller_clock = join(machine.controller_clock, self.lock.clock)

    def blocked_on(self, machine: Machine) -> str:
        return f"{self.lock.name} (value {self.lock.value}, needs {self.value})"


@dataclass
class Release(Step):
    record: int
    lock: Lock
    value: int

    def run(self, machine: Machine) -> None:
        machine.release(self.lock, self.value, machine.controller_clock, self.record)


@dataclass
class Wait(Step):
    """Block until every task issued so far to `queues` has completed."""

    record: int
    queues: tuple[Queue, ...]

    def ready(self, machine: Machine) -> bool:
        return all(not q.tasks and not q.busy for q in self.queues)

    def run(self, machine: Machine) -> None:
        machine.controller_clock = join(machine.controller_clock, *(q.clock for q in self.queues))

    def blocked_on(self, machine: Machine) -> str:
        return ", ".join(q.name for q in self.queues if q.tasks or q.busy)


class Barrier(Wait):
    """Block until every task issued so far, on every queue, has completed; then, in a
    host-dispatched program, for `host_cycles` more while the host takes its round trip."""

    def __init__(self, record: int, host_cycles: float = 0.0):
        super().__init__(record, ())
        self.host_cycles = host_cycles

    def ready(self, machine: Machine) -> bool:
        if machine._in_flight:
            return False
        self.queues = tuple(machine.queues)
        return True

    def run(self, machine: Machine) -> None:
        super().run(machine)
        if self.host_cycles:  # nothing is running: time may pass without events
            if machine.timeline is not None:
                machine.timeline.append(
                    Span(self.record, machine.now, machine.now + self.host_cycles, False, host=True))
            machine.now += self.host_cycles

    def blocked_on(self, machine: Machine) -> str:
        self.queues = tuple(machine.queues)
        return super().blocked_on(machine)


class End(Barrier):
    """The last record: the run is over once everything issued has completed."""


class Machine:
    """Queues, locks and the event loop; memories and kernels live with the executor."""

    CONTROLLER = 0

    def __init__(self, dispatch_cycles: float = 1.0, timeline: bool = False):
        self.dispatch_cycles = dispatch_cycles
        self.timeline: list[Span] | None = [] if timeline else None
        self.queues: list[Queue] = []
        self.capacity: dict[object, int] = {}
        self._outstanding: dict[object, int] = {}
        self._in_flight = 0  # tasks issued and not completed
        self._pending: dict[int, Queue] = {}  # queues to look at, by agent
        self.controller_clock: np.ndarray = np.zeros(1, dtype=np.int64)
        self.controller_epoch = 0
        self.now = 0.0
        self._running: list[tuple[float, int, int, Task]] = []
        self._sequence = 0

    def queue(self, name: str, capacity_key: object, capacity: int) -> Queue:
        q = Queue(name=name, agent=len(self.queues) + 1, capacity_key=capacity_key)
        self.queues.append(q)
        self.capacity.setdefault(capacity_key, capacity)
        return q

    def outstanding(self, key: object) -> int:
        return self._outstanding.get(key, 0)

    def release(self, lock: Lock, value: int, clock: np.ndarray, record: int) -> None:
        if lock.value + value > lock.max_value:
            raise MachineError(
                f"record {record} releases {lock.name} by {value} to {lock.value + value}, "
                f"above its maximum {lock.max_value}"
            )
        lock.value += value
        lock.clock = clock if lock.clock is None else np.maximum(lock.clock, clock)
        for task in lock.waiters:
            for q in task.queues:
                self._pending[q.agent] = q
        lock.waiters.clear()

    # -- the event loop -----------------------------------------------------------------------

    def run(self, program: Sequence[Step]) -> float:
        """Run the controller program to its end; returns the cycle count."""
        agents = len(self.queues) + 1
        if len(self.controller_clock) < agents:
            clock = np.zeros(agents, dtype=np.int64)
            clock[: len(self.controller_clock)] = self.controller_clock
            self.controller_clock = clock
        pc, end = 0, len(program)
        controller_free_at = 0.0
        pending = self._pending
        timeline = self.timeline
        while True:
            progressed = True
            while progressed:
                progressed = False
                while pc < end and controller_free_at <= self.now and program[pc].ready(self):
                    if timeline is not None and controller_free_at < self.now:
                        timeline.append(Span(program[pc].record, controller_free_at, self.now, False))
                    program[pc].run(self)
                    pc += 1
                    controller_free_at = self.now + self.dispatch_cycles
                    progressed = True
                if pending:
                    # Starting a task never lets another start, so one pass, in agent order.
                    queues = [pending[agent] for agent in sorted(pending)]
                    pending.clear()
                    for q in queues:
                        if self._try_start(q):
                            progressed = True
            if pc == end and not self._running:
                return self.now
            if self._running:
                next_time = self._running[0][0]
                if pc < end and self.now < controller_free_at < next_time:
                    next_time = controller_free_at
            elif pc < end and controller_free_at > self.now:
                next_time = controller_free_at
            else:
                raise MachineError(self._deadlock_report(program[pc] if pc < end else None))
            self.now = next_time
            while self._running and self._running[0][0] <= self.now:
                _, _, _, task = heapq.heappop(self._running)
                self._complete(task)

    def _try_start(self, q: Queue) -> bool:
        if q.busy or not q.tasks:
            return False
        task = q.tasks[0]
        for other in task.queues:
            if other is not q and (other.busy or not other.tasks or other.tasks[0] is not task):
                return False
        if task.acquires:
            short = shortfall(task)
            if short:
                for lock, _ in short:
                    lock.waiters.append(task)
                return False
            for lock, value in task.acquires:
                lock.value -= value
        clock = join(task.issue_clock, *(other.clock for other in task.queues),
                     *(lock.clock for lock, _ in task.acquires))
        task.start_clock = clock
        duration = task.execute(TaskContext(clock, tuple(other.stamp(task.record) for other in task.queues)))
        if duration is not None:
            task.duration = duration
        if self.timeline is not None:
            self.timeline.append(Span(task.record, self.now, self.now + task.duration, True))
        for other in task.queues:
            other.busy = True
            other.busy_cycles += task.duration
        self._sequence += 1
        heapq.heappush(self._running, (self.now + task.duration, task.record, self._sequence, task))
        return True

    def _complete(self, task: Task) -> None:
        clock = task.start_clock.copy()
        for q in task.queues:
            q.epoch += 1
            clock[q.agent] = q.epoch
        pending = self._pending
        for q in task.queues:
            q.busy = False
            q.tasks.pop(0)
            q.clock = clock
        for q in task.queues:
            if q.tasks:  # a new head: it may start if it heads all its queues
                head = q.tasks[0]
                if all(other.tasks[0] is head for other in head.queues):
                    for other in head.queues:
                        pending[other.agent] = other
        for key in {q.capacity_key for q in task.queues}:
            self._outstanding[key] -= 1
        self._in_flight -= 1
        for lock, value in task.releases:
            self.release(lock, value, clock, task.record)

    def _deadlock_report(self, step: Step | None) -> str:
        lines = ["deadlock: nothing is running and nothing can start"]
        if step is not None:
            lines.append(f"  the controller waits at record {step.record} for {step.blocked_on(self)}")
        for q in self.queues:
            if q.tasks:
                task = q.tasks[0]
                waiting = [f"{lock.name} (value {lock.value}, needs {v})" for lock, v in shortfall(task)]
                others = [o.name for o in task.queues if o is not q and (o.busy or o.tasks[0] is not task)]
                reason = "; ".join(
                    part for part in (
                        f"acquire of {', '.join(waiting)}" if waiting else "",
                        f"{', '.join(others)} to reach it" if others else "",
                    ) if part
                )
                lines.append(f"  {q.name}: record {task.record} ({task.what}) waits for {reason}")
        return "\n".join(lines)
