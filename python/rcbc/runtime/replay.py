"""Replay: a program's data flow, recorded by one checked run, run again on new inputs.

What an RCB program reads and writes does not depend on its inputs: the reference executor
refuses a parameter block whose bytes do. So one checked run can record, for every byte each
launch reads, where it comes from (a byte of the data image, of an input, or of what an earlier
launch wrote), and a replay then needs only the arithmetic: each launch's operands are gathered
straight from their sources, every DMA between them composed into the gather. `record` makes
that run with `Sources` in memory in place of the bytes (`execute(..., sources=...)`), so DMAs
move the ids exactly as they move bytes and every check of the executor applies, and then
replays zeros once for the kernels' own checks: a program the executor refuses cannot be
recorded (nor one whose parameter blocks it computes: `NotRecordable`).

    with record(program) as replay:          # the checks and the timing, once
        replay.run({"input": x})["output"]   # the arithmetic: execute(program, ...).outputs

The replay runs the launches in *groups*: launches of one kernel with the same arithmetic
(`library.arithmetic_key`: their parameters but addresses and where their blocks lie in the
image) whose operands are ready at the same step run as one call of the reference kernel, each
launch a leading row of its operands, as a batch's runs are. Their results lie side by side in
one value array, so that a later group reads them in one slice or one gather. The outputs are
`execute`'s bit for bit: the same kernels compute each launch on the same operands (numpy
multiplies a stack of matrices one matrix at a time), and a deferred accumulation (`Replay`)
makes the kernel's addition. Launches of a group that read the same window (the chunks of
output channels of a convolution) get it as one row broadcast over them, so the kernel pads
and unfolds it once (`_Plan`). The groups of a step run in parts on a process per core, dealt
by their cost (`_Level.lanes`, `_Crew`).
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import signal
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

import numpy as np

from rcbc.bytecode import program as rcb
from rcbc.bytecode.program import NUMPY_DTYPES
from rcbc.kernels import library, reference
from rcbc.runtime.executor import (
    ExecutionError, Result, execute, join_runs, runs_of, split_runs,
)
from rcbc.runtime.memory import Clock, Memory, Stamp

WORD = 4  # bytes: how DMAs move data, and how the replay gathers what it can
# A replay's processes: one per core this process may run on, at most 8 (more parts cost Python).
PROCESSES = min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
SPLIT = 32  # launches a group has at least, to run in parts on the processes
Runs = tuple[np.ndarray, np.ndarray]  # ids as runs of consecutive ones: first ids, lengths


class NotRecordable(ExecutionError):
    """A program the executor runs but a replay cannot record (see `Sources.constant_bytes`)."""


@dataclass
class RecordedLaunch:
    """One launch as the checked run saw it: its parameters, where the bytes of each region it
    reads come from (their ids, in the region's order), and the first id of each region it writes."""

    record: int
    tile: rcb.Tile
    kernel: int
    params: dict
    reads: list[tuple[library.Access, Runs]]
    writes: list[tuple[library.Access, int]]


class Sources:
    """Source ids in place of bytes, for a recording run (`execute(..., sources=...)`).

    Ids below the program's DDR size are the bytes of the DDR image (the data entries and the
    inputs, at their addresses); each region a launch writes gets new ids above them, one
    aligned word apart from any other, so that a run of consecutive ids never spans two writes.
    """

    ID_BYTES = 4  # an id's bytes: the runs of the executor's memories in a recording

    def __init__(self, program: rcb.Program):
        self.ddr_size = program.ddr_size
        self.next_id = _round_up(program.ddr_size, WORD) + WORD
        self.image = np.zeros(program.ddr_size, np.uint8)  # the data entries' bytes
        for entry in program.data:
            self.image[entry.offset : entry.offset + entry.size] = np.frombuffer(entry.payload, np.uint8)
        entries = sorted((e.offset, e.offset + e.size) for e in program.data if e.size)
        self.entry_starts = np.array([lo for lo, _ in entries], np.int64)
        self.entry_ends = np.array([hi for _, hi in entries], np.int64)
        self.launches: list[RecordedLaunch] = []
        self.outputs: dict[str, np.ndarray] = {}  # the ids of each output binding's bytes

    @staticmethod
    def of(first: int, count: int) -> np.ndarray:
        """The bytes, `[ID_BYTES, count]`, of the ids `first, ..., first + count - 1`."""
        ids = np.arange(first, first + count, dtype=np.uint32)
        return ids.view(np.uint8).reshape(count, Sources.ID_BYTES).T

    @staticmethod
    def decode(raw: np.ndarray) -> np.ndarray:
        """The ids `[n]` of the bytes `raw` (`[ID_BYTES, n]`, as `of` gives them)."""
        ids = np.empty(raw.size, np.uint8)
        for k, lane in enumerate(raw):
            ids[k :: Sources.ID_BYTES] = lane
        return ids.view(np.uint32)

    def in_data(self, firsts: np.ndarray, lengths: np.ndarray) -> bool:
        """Whether the runs of ids `firsts`, `lengths` are all bytes of data entries (constant)."""
        entry = np.searchsorted(self.entry_starts, firsts, side="right") - 1
        return bool((entry >= 0).all() and (firsts + lengths <= self.entry_ends[np.maximum(entry, 0)]).all())

    def constant_bytes(self, raw: np.ndarray, what: str) -> bytes:
        """The bytes of a parameter block whose ids are `raw`: it must come from the data image."""
        ids = self.decode(raw)
        if not self.in_data(*_runs(ids)):
            raise NotRecordable(
                f"{what}: its parameter block holds bytes the run computes or takes from an "
                f"input, not from the data image: a replay cannot record it; run it with execute()"
            )
        return self.image[ids].tobytes()

    def launch(self, index: int, r: rcb.Launch, params: dict, memory: Memory, stamp: Stamp,
               clock: Clock) -> None:
        """Record launch `r` (record `index`): read the ids of its regions, give its writes new ones."""
        reads, writes = [], []
        for access in library.accesses(r.kernel, params):
            if not access.writes:
                reads.append((access, _runs(self.decode(memory.read(access.address, access.size, stamp, clock)))))
                continue
            if self.next_id + access.size >= 2**32:
                raise NotRecordable(f"record {index} (launch on {r.tile}): the launches write more "
                                    f"than {2**32:,} bytes, more than a replay can number")
            memory.write(access.address, self.of(self.next_id, access.size), stamp, clock)
            writes.append((access, self.next_id))
            self.next_id = _round_up(self.next_id + access.size, WORD) + WORD
        self.launches.append(RecordedLaunch(index, r.tile, r.kernel, params, reads, writes))


def record(program: rcb.Program) -> Replay:
    """One checked run of `program` (every check `execute` makes), recorded for replays, and
    one replay of it on zeros, which makes the kernels' own checks of their parameters: a
    program `execute` refuses raises its `ExecutionError`; one it runs but a replay cannot
    record (a parameter block computed or taken from an input), `NotRecordable`."""
    sources = Sources(program)
    replay = Replay(program, sources, execute(program, {}, sources=sources))
    replay.run({b.name: np.zeros(b.shape, NUMPY_DTYPES[b.dtype])
                for b in program.io if b.direction is rcb.IoDirection.INPUT}, processes=1)
    return replay


@dataclass
class _Operand:
    """A region a group reads: `[launches, size]` bytes, each launch's row from its sources."""

    size: int  # bytes a launch reads
    constant: np.ndarray | None  # the bytes themselves, when all come from the data image
    words: slice | np.ndarray | None  # else word indices of the values (a slice: consecutive)
    bytes: np.ndarray | None  # else byte indices


@dataclass
class _Group:
    """Launches run as one call of their kernel (`_run_group`), with the parameters of one of
    them (`params`: without `ACCUMULATE` when they are deferred, see `Replay`). Read `shared`
    (-1: none) is the same bytes for each run of `repeat` launches: its operand holds a row per
    run, which the kernel gets broadcast over them (see `_Plan`)."""

    kernel: library.Kernel
    launches: list[RecordedLaunch]
    deferred: bool
    reads: list[_Operand | None]  # by read of the kernel (None: the accumulator of a deferred launch)
    writes: list[tuple[int, int, int]]  # by write: first byte, bytes a launch, bytes between launches
    shared: int = -1
    repeat: int = 1

    @property
    def count(self) -> int:
        return len(self.launches)

    def cost(self, lo: int, hi: int) -> int:
        """A rough cost of running launches `lo` to `hi`, to share the work among processes: their
        multiply-accumulates (`library.macs`), 4 per byte they write, and 2,000,000 for the call."""
        launch = self.launches[lo]
        per_launch = library.macs(launch.kernel, launch.params) + 4 * sum(size for _, size, _ in self.writes)
        return (hi - lo) * per_launch + 2_000_000

    def params(self, launch: RecordedLaunch) -> dict:
        return dict(launch.params, flags=0) if self.deferred else launch.params


@dataclass
class _Sums:
    """Deferred accumulations: each word `into[i]` (a partial sum) += word `add[i]`, both of
    `dtype` (f32, or int32 modulo 2**32 as numpy adds them), made in pieces: a slice of
    consecutive words on both sides, or index arrays where the pieces would average fewer than
    `PIECE` words (a slice's Python costs more than their gather then)."""

    PIECE = 256

    dtype: type
    pieces: list[tuple[slice | np.ndarray, slice | np.ndarray]]

    @classmethod
    def of(cls, dtype: type, into: np.ndarray, add: np.ndarray) -> _Sums:
        starts = np.concatenate(([0], np.flatnonzero((np.diff(into) != 1) | (np.diff(add) != 1)) + 1))
        if len(starts) > len(into) // cls.PIECE:
            return cls(dtype, [(into, add)])
        ends = np.append(starts[1:], len(into))
        return cls(dtype, [(slice(int(into[a]), int(into[a]) + int(b - a)), slice(int(add[a]), int(add[a]) + int(b - a)))
                           for a, b in zip(starts, ends)])

    def run(self, values: np.ndarray) -> None:
        words = values.view(self.dtype)
        for into, add in self.pieces:
            words[into] += words[add]


@dataclass
class _RunTable:
    """Runs of ids of many segments (the regions launches read) in one table: segment `i` is
    the runs `bounds[i]` to `bounds[i + 1]`."""

    firsts: np.ndarray
    lengths: np.ndarray
    bounds: np.ndarray

    @classmethod
    def of(cls, segments: list[Runs]) -> _RunTable:
        empty = np.zeros(0, np.int64)
        return cls(np.concatenate([empty, *(f for f, _ in segments)]),
                   np.concatenate([empty, *(l for _, l in segments)]),
                   np.concatenate(([0], np.cumsum([len(f) for f, _ in segments], dtype=np.int64))))

    def segment(self, i: int) -> Runs:
        return self.firsts[self.bounds[i] : self.bounds[i + 1]], self.lengths[self.bounds[i] : self.bounds[i + 1]]


class _Plan:
    """When each launch runs: its level, one more than the latest *ready* level of the launches
    it reads from; and its group, the launches of a level with the same kernel arithmetic
    (`library.arithmetic_key`) whose reads share addresses alike. A deferred launch
    (see `Replay`) is ready once its partial sum and the block it accumulates into are; its
    `depth` orders the additions of one level.

    A group's launches are ordered by depth, so that each addition of the deferred chains adds
    slices, and then by what they read of the operand they share most (`ordered`): the chunks of
    output channels of one convolution read the same window of activations, which the kernel
    then pads and unfolds once for all of them."""

    def __init__(self, launches: list[RecordedLaunch], table: _RunTable, read_index: np.ndarray,
                 producers: np.ndarray, constant: Callable[[np.ndarray, np.ndarray], bool]):
        self.launches = launches
        self.table, self.read_index, self.constant = table, read_index, constant
        count = len(launches)
        self.level, self.ready, self.depth = (np.zeros(count, np.int64) for _ in range(3))
        self.deferred = np.zeros(count, bool)
        members: dict[tuple, list[int]] = defaultdict(list)
        for n, launch in enumerate(launches):
            accumulates = self.accumulator_read(n)
            for k in range(len(launch.reads)):
                segment = read_index[n] + k
                found = producers[table.bounds[segment] : table.bounds[segment + 1]]
                if k == accumulates and (found >= 0).all() and _words(*table.segment(segment)):
                    self.deferred[n] = True
                    deferred_from = found
                elif (found >= 0).any():
                    self.level[n] = max(self.level[n], self.ready[found[found >= 0]].max())
            self.level[n] += 1
            self.ready[n] = self.level[n]
            if self.deferred[n]:
                self.ready[n] = max(self.level[n], self.ready[deferred_from].max())
                self.depth[n] = max(self.depth[p] + 1 if self.deferred[p] and self.ready[p] == self.ready[n] else 0
                                    for p in deferred_from)
            addresses = [access.address for access, _ in launch.reads]
            aliases = tuple(addresses.index(address) for address in addresses)
            key = (int(self.level[n]), bool(self.deferred[n]), aliases,
                   library.arithmetic_key(launch.kernel, launch.params))
            members[key].append(n)
        # Each group: its launches in order, the read they share, in runs of how many.
        self.groups = sorted((self.ordered(group) for group in members.values()),
                             key=lambda ordered: (self.level[ordered[0][0]], min(ordered[0])))

    def ordered(self, group: list[int]) -> tuple[list[int], int, int]:
        """The group's launches in order, the read `k` they share in runs of `repeat` launches
        (-1 and 1: none), the one with the longest runs of the reads whose bytes are computed or
        input (a constant, from the data image, is a slice of its bytes, shared or not).

        Launches share a read when each has the same bytes there as `repeat` - 1 others of its
        depth, for every launch of the group.
        """
        best = (sorted(group, key=lambda n: (self.depth[n], n)), -1, 1)
        skip = self.accumulator_read(group[0]) if self.deferred[group[0]] else -1
        for k in range(len(self.launches[group[0]].reads)):
            rows = {n: self.table.segment(self.read_index[n] + k) for n in group}
            if k == skip or all(self.constant(*rows[n]) for n in group):
                continue
            same = {n: (self.depth[n], firsts.tobytes(), lengths.tobytes()) for n, (firsts, lengths) in rows.items()}
            repeats = set(Counter(same.values()).values())
            if len(repeats) == 1 and (repeat := repeats.pop()) > best[2]:
                first_id = {n: int(firsts[0]) if len(firsts) else -1 for n, (firsts, _) in rows.items()}
                best = (sorted(group, key=lambda n: (self.depth[n], first_id[n], same[n], n)), k, repeat)
        return best

    def accumulator_read(self, n: int) -> int:
        """Which read of launch `n` is the block it only accumulates into, or -1."""
        launch = self.launches[n]
        accumulator = library.accumulator(launch.kernel, launch.params)
        return next((k for k, (access, _) in enumerate(launch.reads) if access == accumulator), -1)


@dataclass
class _Level:
    """What runs at one level: its groups, independent of one another, then the additions of
    its deferred accumulations, in order of depth."""

    groups: list[_Group] = field(default_factory=list)
    sums: list[_Sums] = field(default_factory=list)
    dealt: dict[int, list] = field(default_factory=dict, repr=False)  # `lanes`, by process count

    def parts(self, count: int) -> list[tuple[_Group, int, int]]:
        """The groups, each with `SPLIT` launches or more in `count` parts (its launches `lo` to
        `hi`): as many processes run them (`_Crew`), and a smaller group is
        not worth the Python its part would run."""
        return [(group, group.repeat * (runs * i // n), group.repeat * (runs * (i + 1) // n))
                for group in self.groups for runs in [group.count // group.repeat]
                for n in [min(count, runs) if group.count >= SPLIT else 1] for i in range(n)]

    def lanes(self, count: int) -> list[list[tuple[int, tuple[_Group, int, int]]]]:
        """The parts (by index) dealt to `count` processes, the costliest first, each to the
        one with the least work so far (`_Group.cost`)."""
        if count not in self.dealt:
            self.dealt[count] = self._deal(count)
        return self.dealt[count]

    def _deal(self, count: int) -> list[list[tuple[int, tuple[_Group, int, int]]]]:
        lanes: list[list[tuple[int, tuple[_Group, int, int]]]] = [[] for _ in range(count)]
        loads = [0] * count
        parts = list(enumerate(self.parts(count)))
        for index, part in sorted(parts, key=lambda item: (-item[1][0].cost(*item[1][1:]), item[0])):
            lane = loads.index(min(loads))
            lanes[lane].append((index, part))
            loads[lane] += part[0].cost(*part[1:])
        return lanes


class Replay:
    """The recorded data flow of a program: its steps and where their values lie.

    The value array holds the DDR image at its addresses, then each group's results: of each
    region the kernel writes, the launches' bytes side by side (each from an aligned word).

    A launch that only adds its partial sum to an output block (`library.accumulator`) is
    *deferred*: it runs in a group as soon as its other operands are ready, without
    `ACCUMULATE` (its partial sum alone), and a `_Sums` step adds the block to the partial sum
    once the block is final: the addition the kernel makes (f32, or int32 modulo 2**32). So a
    chain of input-channel chunks runs as a few groups, not a group per chunk.

    A replay runs one input at a time: `run` is not for two threads at once.
    """

    def __init__(self, program: rcb.Program, sources: Sources, result: Result):
        self.program = program
        self.result = result  # the recording run's: modeled cycles, bytes moved (no outputs)
        self.sources = sources
        self.image = sources.image
        self.ddr_size = sources.ddr_size
        launches = sources.launches
        self.write_starts = np.array([start for l in launches for _, start in l.writes], np.int64)
        writer_of = np.array([n for n, l in enumerate(launches) for _ in l.writes], np.int64)
        self.write_index = np.cumsum([0] + [len(l.writes) for l in launches])
        self.read_index = np.cumsum([0] + [len(l.reads) for l in launches])
        table = _RunTable.of([runs for launch in launches for _, runs in launch.reads])
        producers = np.full(len(table.firsts), -1, np.int64)
        results = table.firsts >= self.ddr_size
        producers[results] = writer_of[self._writes(table.firsts[results])]
        plan = _Plan(launches, table, self.read_index, producers, sources.in_data)
        self.moved, self.strides, self.size = self._layout(plan)
        self.levels = self._levels(plan, self._placed(table))
        outputs = self._placed(_RunTable.of([_runs(ids) for ids in sources.outputs.values()]))
        self.outputs = {name: self._operand(1, len(ids), *outputs.segment(i))
                        for i, (name, ids) in enumerate(sources.outputs.items())}
        self._values: np.ndarray | None = None
        self._crews: dict[int, _Crew] = {}  # by process count
        self._owner = os.getpid()  # the process whose are the value array and the crews

    def close(self) -> None:
        """End the replay's helper processes now, not when it is garbage-collected (a later
        run starts others)."""
        for crew in self._crews.values():
            crew.dismiss()
        self._crews = {}

    def __enter__(self) -> Replay:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _layout(self, plan: _Plan) -> tuple[np.ndarray, np.ndarray, int]:
        """Where each write lies in the value array (as `write_starts`), the bytes between the
        launches of its group, and the array's size."""
        moved = np.zeros(len(self.write_starts), np.int64)
        strides = np.zeros(len(self.write_starts), np.int64)
        cursor = _round_up(self.ddr_size, WORD)
        for group, _, _ in plan.groups:
            for k, (access, _) in enumerate(plan.launches[group[0]].writes):
                stride = _round_up(access.size, WORD)
                for n in group:
                    moved[self.write_index[n] + k], strides[self.write_index[n] + k] = cursor, stride
                    cursor += stride
        return moved, strides, cursor

    def _levels(self, plan: _Plan, table: _RunTable) -> list[_Level]:
        """The groups and the deferred additions, level by level."""
        launches = plan.launches
        levels: dict[int, _Level] = defaultdict(_Level)
        for group, shared, repeat in plan.groups:
            first, deferred = group[0], bool(plan.deferred[group[0]])
            operands: list[_Operand | None] = []
            for k, (access, _) in enumerate(launches[first].reads):
                rows = group[::repeat] if k == shared else group
                located = [table.segment(self.read_index[n] + k) for n in rows]
                operands.append(None if deferred and k == plan.accumulator_read(first) else self._operand(
                    len(rows), access.size, np.concatenate([f for f, _ in located]), np.concatenate([l for _, l in located])))
            writes = [(int(self.moved[self.write_index[first] + k]), access.size, int(self.strides[self.write_index[first] + k]))
                      for k, (access, _) in enumerate(launches[first].writes)]
            levels[int(plan.level[first])].groups.append(_Group(
                library.by_id(launches[first].kernel), [launches[n] for n in group], deferred, operands, writes,
                shared, repeat))
        sums: dict[tuple[int, int, bool], list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
        for n in np.flatnonzero(plan.deferred):
            [(written, _)] = launches[n].writes
            start = self.moved[self.write_index[n]]
            firsts, lengths = table.segment(self.read_index[n] + plan.accumulator_read(n))
            assert start % WORD == 0 and _words(firsts, lengths), "a deferred block is whole words"
            into = start // WORD + np.arange(written.size // WORD)
            f32 = library.by_id(launches[n].kernel).dtype is library.DType.F32
            sums[(int(plan.ready[n]), int(plan.depth[n]), f32)].append((into, _expand(firsts // WORD, lengths // WORD)))
        for level, depth, f32 in sorted(sums):
            pairs = sums[level, depth, f32]
            into, add = np.concatenate([i for i, _ in pairs]), np.concatenate([a for _, a in pairs])
            order = np.argsort(into, kind="stable")  # as the partial sums lie
            levels[level].sums.append(_Sums.of(np.float32 if f32 else np.int32, into[order], add[order]))
        return [levels[level] for level in sorted(levels)]

    def _writes(self, ids: np.ndarray) -> np.ndarray:
        """The index in `write_starts` of the write that gave each of `ids` (results' ids)."""
        return np.searchsorted(self.write_starts, ids, side="right") - 1

    def _placed(self, table: _RunTable) -> _RunTable:
        """`table` with results' ids moved to their place in the value array."""
        firsts = table.firsts.copy()
        results = firsts >= self.ddr_size
        at = self._writes(firsts[results])
        firsts[results] = self.moved[at] + firsts[results] - self.write_starts[at]
        return _RunTable(firsts, table.lengths, table.bounds)

    def _operand(self, count: int, size: int, firsts: np.ndarray, lengths: np.ndarray) -> _Operand:
        """How to read the bytes of the runs `firsts`, `lengths` (`count` launches' rows of
        `size` bytes, one after the other) from the value array."""
        firsts, lengths = _merged(firsts, lengths)
        if self.sources.in_data(firsts, lengths):  # placed ids of the DDR image are its ids
            return _Operand(size, self.image[_expand(firsts, lengths)].reshape(count, size), None, None)
        if _words(firsts, lengths):
            if len(firsts) == 1:
                return _Operand(size, None, slice(int(firsts[0]) // WORD, int(firsts[0] + lengths[0]) // WORD), None)
            return _Operand(size, None, _expand(firsts // WORD, lengths // WORD).reshape(count, size // WORD), None)
        return _Operand(size, None, None, _expand(firsts, lengths).reshape(count, size))

    def run(self, inputs: dict[str, np.ndarray], processes: int | None = None) -> dict[str, np.ndarray]:
        """The program's outputs on `inputs` (by binding name; a batch as `execute` takes, run
        one input at a time), on `processes` processes (`PROCESSES` unless given; this one alone
        where it cannot fork helpers)."""
        runs = runs_of(self.program, inputs)
        if runs > 1:
            return join_runs(self.program, [self.run(one, processes) for _, one in split_runs(self.program, inputs, runs, 1)], runs)
        if self._values is None or self._owner != os.getpid():
            # Shared with the crews' processes, which fork after this; a process forked from
            # this one makes its own (and crews of its own).
            self._values = np.frombuffer(mmap.mmap(-1, self.size), np.uint8) if self.size else np.empty(0, np.uint8)
            self._values[: len(self.image)] = self.image
            self._owner, self._crews = os.getpid(), {}
        values = self._values
        for binding in self.program.io:
            if binding.direction is rcb.IoDirection.INPUT:
                value = np.asarray(inputs[binding.name], dtype=NUMPY_DTYPES[binding.dtype])
                values[binding.offset : binding.offset + binding.size] = np.ascontiguousarray(value).reshape(-1).view(np.uint8)
        count = processes or PROCESSES
        if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
            count = 1
        crew = self._crews.get(count) or self._crews.setdefault(count, _Crew(self.levels, values, count))
        try:
            crew.run()
        finally:
            if crew.broken:
                del self._crews[count]
                crew.dismiss()
        outputs = {}
        for binding in self.program.io:
            if binding.direction is rcb.IoDirection.OUTPUT:
                raw = _gather(self.outputs[binding.name], values, 0, 1)
                outputs[binding.name] = raw.view(NUMPY_DTYPES[binding.dtype]).reshape(binding.shape).copy()
        return outputs


def _round_up(value: int, step: int) -> int:
    return -(-value // step) * step


def _runs(ids: np.ndarray) -> Runs:
    """`ids` as runs of consecutive ids."""
    if not len(ids):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(ids) != 1) + 1))
    return ids[starts].astype(np.int64), np.diff(np.append(starts, len(ids)))


def _words(firsts: np.ndarray, lengths: np.ndarray) -> bool:
    """Whether the runs are of whole words."""
    return not (firsts % WORD).any() and not (lengths % WORD).any()


def _merged(firsts: np.ndarray, lengths: np.ndarray) -> Runs:
    """The same ids, runs that continue one another joined."""
    joins = firsts[1:] == firsts[:-1] + lengths[:-1]
    if not joins.any():
        return firsts, lengths
    starts = np.concatenate(([0], np.flatnonzero(~joins) + 1))
    return firsts[starts], np.add.reduceat(lengths, starts)


def _expand(firsts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The ids of the runs, in order."""
    before = np.cumsum(lengths) - lengths
    return np.repeat(firsts - before, lengths) + np.arange(int(lengths.sum()))


def _gather(operand: _Operand, values: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The bytes of launches `lo` to `hi` of the operand: `[hi - lo, size]`."""
    if operand.constant is not None:
        return operand.constant[lo:hi]
    if operand.bytes is not None:
        return values.take(operand.bytes[lo:hi])
    words = values.view(np.uint32)
    if isinstance(operand.words, slice):
        per = operand.size // WORD
        words = words[operand.words.start + lo * per : operand.words.start + hi * per]
    else:
        words = words.take(operand.words[lo:hi])
    return words.view(np.uint8).reshape(hi - lo, operand.size)


class HelperLost(RuntimeError):
    """A helper process of a replay ended (killed, or out of memory); the next run starts another."""


class _Crew:
    """This process and `count` - 1 helper processes that run a replay's levels: each level's
    parts, each process its lane (`_Level.lanes`), then the level's deferred sums here. The
    helpers fork from this process once and share its value array; each is told, on a pipe, the
    levels where its lane has parts, and answers with what they raised. Processes, not threads:
    threads would contend for the GIL between numpy calls (on 2 cores they were 15-20% slower).

    A failing part is raised once its level's parts are done: the first in the level's order
    of parts, as running them one after another would. Any other exception leaves the crew
    `broken` (a helper may be mid-level): its replay starts another.
    """

    def __init__(self, levels: list[_Level], values: np.ndarray, count: int):
        self.levels, self.values = levels, values
        self.runs = 0
        self.broken = False
        self.links: list[tuple[multiprocessing.Process, Connection]] = []
        self.dismiss = weakref.finalize(self, _dismiss, self.links, os.getpid())
        self.lanes = [level.lanes(count) for level in levels]  # before the helpers fork: theirs too
        context = multiprocessing.get_context("fork")
        for k in range(1, count):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(values, [lanes[k] for lanes in self.lanes], theirs, ours),
                                      daemon=True, name=f"rcbc replay helper {k}")
            try:
                process.start()
            except OSError:  # no fork now: this process alone
                ours.close()
                self.dismiss()
                self.lanes = [level.lanes(1) for level in levels]
                break
            finally:
                theirs.close()
            self.links.append((process, ours))

    def run(self) -> None:
        self.runs += 1
        try:
            failures = self._levels()
        except BaseException:
            self.broken = True
            raise
        if failures:
            raise min(failures, key=lambda failure: failure[0])[1]

    def _levels(self) -> list[tuple[int, Exception]]:
        """Run the levels up to the first whose parts fail: those failures."""
        for level, lanes in enumerate(self.lanes):
            told = [(process, link) for (process, link), lane in zip(self.links, lanes[1:]) if lane]
            for process, link in told:
                try:
                    link.send((self.runs, level))
                except OSError:
                    raise HelperLost(_lost(process)) from None
            failures = _lane(self.values, lanes[0])
            for process, link in told:
                failures += self._answer(process, link, (self.runs, level))
            if failures:
                return failures
            for sums in self.levels[level].sums:
                sums.run(self.values)
        return []

    @staticmethod
    def _answer(process, link, asked: tuple[int, int]) -> list[tuple[int, Exception]]:
        """The failures of `process`'s lane of the level `asked`."""
        while not link.poll(0.5):
            if not process.is_alive():
                raise HelperLost(_lost(process))
        try:
            answered, failures = link.recv()
        except (EOFError, OSError):
            raise HelperLost(_lost(process)) from None
        assert answered == asked, f"a helper answered {answered} to {asked}"
        return [(index, ExecutionError(message) if executing else RuntimeError(message))
                for index, executing, message in failures]


def _lost(process) -> str:
    process.join(timeout=1)
    return f"a replay's helper process ended (exit status {process.exitcode}); the next run starts another"


def _lane(values: np.ndarray, lane: list[tuple[int, tuple[_Group, int, int]]]) -> list[tuple[int, Exception]]:
    """Run the parts of `lane`: what each part that failed raised, by its index."""
    failures = []
    for index, part in lane:
        try:
            _run_group(values, *part)
        except Exception as e:  # raised by the crew once the level's parts are done
            failures.append((index, e))
    return failures


def _serve(values: np.ndarray, lanes: list[list[tuple[int, tuple[_Group, int, int]]]], link: Connection,
           crew_end: Connection) -> None:
    """A helper process of a `_Crew`: its lane of each level it is told (`lanes`, by level),
    until told None or its crew's process ends. An interrupt (^C) is its crew's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    crew_end.close()  # this process's copy of the crew's end of the pipe
    parent = multiprocessing.parent_process()
    while True:
        if link not in wait([link, parent.sentinel]):
            return
        try:
            message = link.recv()
        except EOFError:
            return
        if message is None:
            return
        failures = _lane(values, lanes[message[1]])
        try:
            link.send((message, [(index, isinstance(e, ExecutionError), str(e) if isinstance(e, ExecutionError)
                                  else f"{type(e).__name__}: {e}") for index, e in failures]))
        except OSError:  # the crew gave up on this run and this helper
            return


def _dismiss(links: list, owner: int) -> None:
    """Tell the helpers to end, and wait for them (in the process that started them only: a
    process forked from it holds copies of their pipes, not their children)."""
    if os.getpid() != owner:
        return
    for process, link in links:
        try:
            link.send(None)
        except OSError:
            pass
        link.close()
        process.join(timeout=1)
        if process.is_alive():
            process.terminate()
            process.join()
    links.clear()


def _run_group(values: np.ndarray, group: _Group, lo: int, hi: int) -> None:
    """Launches `lo` to `hi` of `group`, as one call of its kernel with the first one's
    parameters. If the kernel refuses them, the launch that fails is run alone with its own, so
    that the error is the one `execute` gives, naming that launch."""
    try:
        _call(values, group, group.launches[lo], lo, hi)
    except ExecutionError:
        for i in range(lo, hi):
            _call(values, group, group.launches[i], i, i + 1)
        raise


def _call(values: np.ndarray, group: _Group, launch: RecordedLaunch, lo: int, hi: int) -> None:
    """One call of the group's kernel on its launches `lo` to `hi` (whole runs of its
    `repeat`, or one launch), with the parameters (and so the addresses) of `launch`: its
    operands are `[runs, repeat, count]`, the shared one broadcast over the runs' launches."""
    if lo % group.repeat == 0 == (hi - lo) % group.repeat:
        runs, repeat = (hi - lo) // group.repeat, group.repeat
    else:
        assert hi - lo == 1, f"launches {lo} to {hi} are neither whole runs of {group.repeat} nor one"
        runs, repeat = 1, 1
    reads = {access.address: k for k, (access, _) in reversed(list(enumerate(launch.reads)))
             if group.reads[k] is not None}
    writes = {access.address: group.writes[k] for k, (access, _) in enumerate(launch.writes)}

    def read(addr: int, count: int, dtype: type = np.float32) -> np.ndarray:
        k = reads[addr]
        if k != group.shared:
            return _gather(group.reads[k], values, lo, hi).view(dtype)[:, :count].reshape(runs, repeat, count)
        row = lo // group.repeat
        rows = _gather(group.reads[k], values, row, row + runs).view(dtype)[:, None, :count]
        return np.broadcast_to(rows, (runs, repeat, count))

    def write(addr: int, array: np.ndarray) -> None:
        first, size, stride = writes[addr]
        rows = values[first + lo * stride : first + hi * stride].reshape(runs, repeat, stride)
        array = np.ascontiguousarray(array, dtype=np.float32 if array.dtype.kind == "f" else None)
        rows[..., :size] = array.reshape(runs, array.shape[1], -1).view(np.uint8)

    try:
        reference.run(group.kernel.id, group.params(launch), read, write)
    except library.KernelError as e:
        raise ExecutionError(f"record {launch.record} (launch {group.kernel.name} on {launch.tile}): {e}") from None
