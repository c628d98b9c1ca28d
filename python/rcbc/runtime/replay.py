"""Replay: a program's data flow, recorded by one checked run, run again on new inputs.

What an RCB program reads and writes does not depend on its inputs: the reference executor
refuses a parameter block whose bytes do. So one checked run can record, for every byte each
launch reads, where it comes from (a byte of the data image, of an input, or of what an earlier
launch wrote), and a replay then needs only the arithmetic: each launch's operands are gathered
straight from their sources, every DMA between them composed into the gather. `record` makes
that run with `Sources` in memory in place of the bytes (`execute(..., sources=...)`), so DMAs
move the ids exactly as they move bytes and every check of the executor applies: a program the
executor refuses cannot be recorded.

    replay = record(program)                 # the checks and the timing, once
    replay.run({"input": x})["output"]       # the arithmetic: execute(program, ...).outputs

The replay runs the launches in *groups*: launches of one kernel with the same arithmetic
(`library.arithmetic_key`: their parameters but addresses and where their blocks lie in the
image) whose operands are ready at the same step run as one call of the reference kernel, each
launch a leading row of its operands, as a batch's runs are. Their results lie side by side in
one value array, so that a later group reads them in one slice or one gather. The outputs are
`execute`'s bit for bit: the same kernels compute each launch on the same operands (numpy
multiplies a stack of matrices one matrix at a time), and a deferred accumulation (`Replay`)
makes the kernel's addition. The groups of a step run in parts on a thread per core.
"""

from __future__ import annotations

import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from rcbc.bytecode import program as rcb
from rcbc.bytecode.program import NUMPY_DTYPES
from rcbc.kernels import library, reference
from rcbc.runtime.executor import (
    ExecutionError, Result, execute, join_runs, runs_of, split_runs,
)
from rcbc.runtime.memory import Clock, Memory, Stamp

WORD = 4
THREADS = min(8, os.cpu_count() or 1)  # a replay's threads: one per core
SPLIT = 32  # launches a group has at least, to run in parts on the threads
Runs = tuple[np.ndarray, np.ndarray]  # ids as runs of consecutive ones: first ids, lengths


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
    inputs, at their addresses); each byte a launch writes gets a new id above them.
    """

    ID_BYTES = 4  # an id's bytes: the runs of the executor's memories in a recording

    def __init__(self, program: rcb.Program):
        self.ddr_size = program.ddr_size
        self.next_id = program.ddr_size
        self.image = np.zeros(program.ddr_size, np.uint8)  # the data entries' bytes
        self.constant = np.zeros(program.ddr_size, bool)
        for entry in program.data:
            self.image[entry.offset : entry.offset + entry.size] = np.frombuffer(entry.payload, np.uint8)
            self.constant[entry.offset : entry.offset + entry.size] = True
        self.launches: list[RecordedLaunch] = []
        self.outputs: dict[str, np.ndarray] = {}  # the ids of each output binding's bytes

    @staticmethod
    def of(first: int, count: int) -> np.ndarray:
        """The bytes, `[ID_BYTES, count]`, of the ids `first, ..., first + count - 1`."""
        if first + count > 2**32:
            raise ExecutionError(f"the program's launches write more than {2**32:,} bytes: too many to record")
        return np.arange(first, first + count, dtype=np.uint32).view(np.uint8).reshape(count, 4).T

    @staticmethod
    def decode(raw: np.ndarray) -> np.ndarray:
        """The ids `[n]` of the bytes `raw` (`[ID_BYTES, n]`, as `of` gives them)."""
        ids = np.empty(raw.size, np.uint8)
        for k, lane in enumerate(raw):
            ids[k :: Sources.ID_BYTES] = lane
        return ids.view(np.uint32)

    def constant_bytes(self, raw: np.ndarray, what: str) -> bytes:
        """The bytes of a parameter block whose ids are `raw`: it must come from the data image."""
        ids = self.decode(raw)
        if (ids >= self.ddr_size).any() or not self.constant[ids].all():
            raise ExecutionError(
                f"{what}: its parameter block holds bytes the run computes or takes from an "
                f"input, not from the data image: a replay cannot record it; run with execute()"
            )
        return self.image[ids].tobytes()

    def launch(self, index: int, r: rcb.Launch, params: dict, memory: Memory, stamp: Stamp,
               clock: Clock) -> None:
        """Record launch `r` (record `index`): read the ids of its regions, give its writes new ones."""
        reads, writes = [], []
        for access in library.accesses(r.kernel, params):
            if access.writes:
                memory.write(access.address, self.of(self.next_id, access.size), stamp, clock)
                writes.append((access, self.next_id))
                self.next_id += access.size
            else:
                reads.append((access, _runs(self.decode(memory.read(access.address, access.size, stamp, clock)))))
        self.launches.append(RecordedLaunch(index, r.tile, r.kernel, params, reads, writes))


def record(program: rcb.Program) -> Replay:
    """One checked run of `program` (every check `execute` makes), recorded for replays."""
    sources = Sources(program)
    result = execute(program, {}, sources=sources)
    return Replay(program, sources, result)


@dataclass
class _Operand:
    """A region a group reads: `[launches, size]` bytes, each launch's row from its sources."""

    size: int  # bytes a launch reads
    constant: np.ndarray | None  # the bytes themselves, when all come from the data image
    words: slice | np.ndarray | None  # else word indices of the values (a slice: consecutive)
    bytes: np.ndarray | None  # else byte indices


@dataclass
class _Group:
    """Launches run as one call of their kernel (`_run_group`)."""

    kernel: library.Kernel
    params: dict  # the first launch's
    first: RecordedLaunch
    count: int  # launches
    reads: dict[int, _Operand]  # by the first launch's address
    writes: dict[int, tuple[int, int]]  # by the first launch's address: first byte, bytes a launch


@dataclass
class _Sums:
    """Deferred accumulations: each word `into[i]` (a partial sum) += word `add[i]`, both of
    `dtype` (f32, or int32 modulo 2**32 as numpy adds them), made in pieces: a slice of
    consecutive words on both sides, or (for many short ones) index arrays."""

    dtype: type
    pieces: list[tuple[slice | np.ndarray, slice | np.ndarray]]

    @classmethod
    def of(cls, dtype: type, into: np.ndarray, add: np.ndarray) -> _Sums:
        starts = np.concatenate(([0], np.flatnonzero((np.diff(into) != 1) | (np.diff(add) != 1)) + 1))
        if len(starts) > len(into) // 256:
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

    def segment(self, i: int) -> Runs:
        return self.firsts[self.bounds[i] : self.bounds[i + 1]], self.lengths[self.bounds[i] : self.bounds[i + 1]]


class _Plan:
    """When each launch runs: its level, one more than the latest *ready* level of the launches
    it reads from; and its group, the launches of a level with the same kernel arithmetic
    (`library.arithmetic_key`). A deferred launch (see `Replay`) is ready once its partial sum
    and the block it accumulates into are; its `depth` orders the additions of one level."""

    def __init__(self, launches: list[RecordedLaunch], table: _RunTable, read_index: np.ndarray,
                 replay: Replay):
        self.launches, self.read_index = launches, read_index
        producers = replay._producers(table.firsts)
        count = len(launches)
        self.level, self.ready, self.depth = (np.zeros(count, np.int64) for _ in range(3))
        self.deferred = np.zeros(count, bool)
        members: dict[tuple, list[int]] = defaultdict(list)
        for n, launch in enumerate(launches):
            accumulates = self.accumulator_read(n)
            for k in range(len(launch.reads)):
                segment = read_index[n] + k
                found = producers[table.bounds[segment] : table.bounds[segment + 1]]
                found = found[found >= 0]
                if k == accumulates and len(found) == len(table.segment(segment)[0]) and _words(*table.segment(segment)):
                    self.deferred[n] = True
                    deferred_from = found
                elif len(found):
                    self.level[n] = max(self.level[n], self.ready[found].max())
            self.level[n] += 1
            self.ready[n] = self.level[n]
            if self.deferred[n]:
                self.ready[n] = max(self.level[n], self.ready[deferred_from].max())
                self.depth[n] = max(self.depth[p] + 1 if self.deferred[p] and self.ready[p] == self.ready[n] else 0
                                    for p in deferred_from)
            key = library.arithmetic_key(launch.kernel, launch.params)
            members[(int(self.level[n]), bool(self.deferred[n]), key)].append(n)
        # A group's launches by depth, so that each addition of the deferred chains adds slices.
        self.groups = sorted((sorted(group, key=lambda n: (self.depth[n], n)) for group in members.values()),
                             key=lambda group: (self.level[group[0]], min(group)))

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

    def parts(self, count: int) -> list[tuple[_Group, int, int]]:
        """The groups, each with `SPLIT` launches or more in `count` parts (its launches `lo` to
        `hi`): as many threads run them (numpy computes without the GIL), and a smaller group is
        not worth the Python its part would run."""
        return [(group, group.count * i // n, group.count * (i + 1) // n)
                for group in self.groups for n in [min(count, group.count) if group.count >= SPLIT else 1]
                for i in range(n)]


class Replay:
    """The recorded data flow of a program: its steps and where their values lie.

    The value array holds the DDR image at its addresses, then each group's results: of each
    region the kernel writes, the launches' bytes side by side.

    A launch that only adds its partial sum to an output block (`library.accumulator`) is
    *deferred*: it runs in a group as soon as its other operands are ready, without
    `ACCUMULATE` (its partial sum alone), and a `_Sums` step adds the block to the partial sum
    once the block is final: the addition the kernel makes (f32, or int32 modulo 2**32). So a
    chain of input-channel chunks runs as a few groups, not a group per chunk.
    """

    def __init__(self, program: rcb.Program, sources: Sources, result: Result):
        self.program = program
        self.result = result  # the recording run's: modeled cycles, bytes moved (no outputs)
        self.image = sources.image
        self.ddr_size = sources.ddr_size
        entries = sorted((e.offset, e.offset + e.size) for e in program.data if e.size)
        self.entry_starts = np.array([lo for lo, _ in entries], np.int64)
        self.entry_ends = np.array([hi for _, hi in entries], np.int64)
        launches = sources.launches
        self.write_starts = np.array([start for l in launches for _, start in l.writes], np.int64)
        self.writer_of = np.array([n for n, l in enumerate(launches) for _ in l.writes], np.int64)
        write_index = np.cumsum([0] + [len(l.writes) for l in launches])
        read_index = np.cumsum([0] + [len(l.reads) for l in launches])
        table = self._table([runs for launch in launches for _, runs in launch.reads])
        plan = _Plan(launches, table, read_index, self)

        # Where each launch's writes go in the value array: a group's side by side.
        self.moved = np.zeros(len(self.write_starts), np.int64)  # as write_starts
        cursor = self.ddr_size
        for group in plan.groups:
            for k in range(len(launches[group[0]].writes)):
                for n in group:
                    self.moved[write_index[n] + k] = cursor
                    cursor += launches[n].writes[k][0].size
        self.size = _round_up(cursor, WORD)
        table = self._placed(table)

        levels: dict[int, _Level] = defaultdict(_Level)
        for group in plan.groups:
            first = launches[group[0]]
            operands = {}
            params = first.params
            for k, (access, _) in enumerate(first.reads):
                if plan.deferred[group[0]] and k == plan.accumulator_read(group[0]):
                    params = dict(params, flags=0)  # its partial sum alone
                    continue
                located = [table.segment(read_index[n] + k) for n in group]
                operands.setdefault(access.address, self._operand(
                    access.size, np.concatenate([f for f, _ in located]), np.concatenate([l for _, l in located])))
            writes = {access.address: (int(self.moved[write_index[group[0]] + k]), access.size)
                      for k, (access, _) in enumerate(first.writes)}
            levels[int(plan.level[group[0]])].groups.append(_Group(
                library.by_id(first.kernel), params, first, len(group), operands, writes))
        sums: dict[tuple[int, int, bool], list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
        for n in np.flatnonzero(plan.deferred):
            [(written, _)] = launches[n].writes
            into = self.moved[write_index[n]] // WORD + np.arange(written.size // WORD)
            firsts, lengths = table.segment(read_index[n] + plan.accumulator_read(n))
            f32 = library.by_id(launches[n].kernel).dtype is library.DType.F32
            sums[(int(plan.ready[n]), int(plan.depth[n]), f32)].append((into, _expand(firsts // WORD, lengths // WORD)))
        for level, depth, f32 in sorted(sums):
            pairs = sums[level, depth, f32]
            levels[level].sums.append(_Sums.of(np.float32 if f32 else np.int32, np.concatenate([i for i, _ in pairs]),
                                               np.concatenate([a for _, a in pairs])))
        self.levels = [levels[level] for level in sorted(levels)]

        outputs = self._placed(self._table([_runs(ids) for ids in sources.outputs.values()]))
        self.outputs = {name: self._operand(int(outputs.segment(i)[1].sum()), *outputs.segment(i))
                        for i, name in enumerate(sources.outputs)}
        self._values: np.ndarray | None = None

    def _writes(self, ids: np.ndarray) -> np.ndarray:
        """The index in `write_starts` of the write that gave each of `ids` (results' ids)."""
        return np.searchsorted(self.write_starts, ids, side="right") - 1

    def _table(self, segments: list[Runs]) -> _RunTable:
        """The runs of all `segments` in one table, each run of results' ids cut where it passes
        from one launch's write to the next."""
        empty = np.zeros(0, np.int64)
        firsts = np.concatenate([empty, *(f for f, _ in segments)])
        lengths = np.concatenate([empty, *(l for _, l in segments)])
        per_segment = np.array([len(f) for f, _ in segments], np.int64)
        after_first = self._writes(firsts) + 1
        after_last = self._writes(firsts + lengths - 1) + 1
        pieces = np.where(firsts >= self.ddr_size, after_last - after_first + 1, 1)
        if (pieces > 1).any():
            run = np.repeat(np.arange(len(firsts)), pieces)
            within = np.arange(len(run)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
            last = len(self.write_starts) - 1
            starts = np.where(within == 0, firsts[run],
                              self.write_starts[np.minimum(after_first[run] + within - 1, last)])
            ends = np.where(within == pieces[run] - 1, firsts[run] + lengths[run],
                            self.write_starts[np.minimum(after_first[run] + within, last)])
            firsts, lengths = starts, ends - starts
            segment = np.repeat(np.arange(len(per_segment)), per_segment)
            per_segment = np.bincount(segment, weights=pieces, minlength=len(per_segment)).astype(np.int64)
        return _RunTable(firsts, lengths, np.concatenate(([0], np.cumsum(per_segment))))

    def _producers(self, firsts: np.ndarray) -> np.ndarray:
        """The launch that wrote each run of results' ids (-1 for the DDR image's)."""
        producers = np.full(len(firsts), -1, np.int64)
        results = firsts >= self.ddr_size
        producers[results] = self.writer_of[self._writes(firsts[results])]
        return producers

    def _placed(self, table: _RunTable) -> _RunTable:
        """`table` with results' ids moved to their place in the value array."""
        firsts = table.firsts.copy()
        results = firsts >= self.ddr_size
        at = self._writes(firsts[results])
        firsts[results] = self.moved[at] + firsts[results] - self.write_starts[at]
        return _RunTable(firsts, table.lengths, table.bounds)

    def _operand(self, size: int, firsts: np.ndarray, lengths: np.ndarray) -> _Operand:
        """How to read the bytes of the runs `firsts`, `lengths` (launches' rows of `size` bytes,
        one after the other) from the value array."""
        firsts, lengths = _merged(firsts, lengths)
        entry = np.searchsorted(self.entry_starts, firsts, side="right") - 1
        if (entry >= 0).all() and (firsts + lengths <= self.entry_ends[np.maximum(entry, 0)]).all():
            return _Operand(size, self.image[_expand(firsts, lengths)].reshape(-1, size), None, None)
        if _words(firsts, lengths):
            if len(firsts) == 1:
                return _Operand(size, None, slice(int(firsts[0]) // WORD, int(firsts[0] + lengths[0]) // WORD), None)
            return _Operand(size, None, _expand(firsts // WORD, lengths // WORD).reshape(-1, size // WORD), None)
        return _Operand(size, None, None, _expand(firsts, lengths).reshape(-1, size))

    def run(self, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The program's outputs on `inputs` (by binding name; a batch as `execute` takes, run
        one input at a time)."""
        runs = runs_of(self.program, inputs)
        if runs > 1:
            return join_runs(self.program, [self.run(one) for _, one in split_runs(self.program, inputs, runs, 1)], runs)
        if self._values is None:
            self._values = np.empty(self.size, np.uint8)
            self._values[: len(self.image)] = self.image
        values = self._values
        for binding in self.program.io:
            if binding.direction is rcb.IoDirection.INPUT:
                value = np.asarray(inputs[binding.name], dtype=NUMPY_DTYPES[binding.dtype])
                values[binding.offset : binding.offset + binding.size] = np.ascontiguousarray(value).reshape(-1).view(np.uint8)
        with ThreadPoolExecutor(THREADS) as pool:
            for level in self.levels:
                for _ in pool.map(lambda part: _run_group(values, *part), level.parts(THREADS)):
                    pass
                for sums in level.sums:
                    sums.run(values)
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


def _run_group(values: np.ndarray, group: _Group, lo: int, hi: int) -> None:
    """Launches `lo` to `hi` of `group`, as one call of its kernel."""

    def read(addr: int, count: int, dtype: type = np.float32) -> np.ndarray:
        return _gather(group.reads[addr], values, lo, hi).view(dtype)[:, :count]

    def write(addr: int, array: np.ndarray) -> None:
        first, size = group.writes[addr]
        array = np.ascontiguousarray(array, dtype=np.float32 if array.dtype.kind == "f" else None)
        values[first + lo * size : first + hi * size] = array.reshape(-1).view(np.uint8)

    try:
        reference.run(group.kernel.id, dict(group.params), read, write)
    except library.KernelError as e:
        raise ExecutionError(f"record {group.first.record} (launch {group.kernel.name} on "
                             f"{group.first.tile}): {e}") from None
