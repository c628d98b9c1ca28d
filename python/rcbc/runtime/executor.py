"""The reference executor: runs an RCB program as `docs/rcb-bytecode.md` specifies, nothing more.

It sees only a decoded `Program` and the input tensors: DDR, every memory tile and every compute
tile is a `Memory` with the target's capacity; DMA records move exactly their patterns; kernels
(`rcbc.kernels.reference`) read and write their tile's memory through the regions their
parameter blocks name; locks and queues follow the machine model (`rcbc.runtime.machine`). A
wrong placement or DMA schedule therefore gives a clean error naming the record (a race, an
undefined read, an access outside a memory, a deadlock) — never a silently wrong answer.

    result = execute(program, {"input": x})
    result.outputs["output"], result.cycles

A batch of inputs (N inputs of the program's shape along the first dimension, `runs_of`) runs
the program N times at once: every memory holds the bytes of the N runs, every DMA and kernel
moves and computes them all, and the checks and the timing, which do not depend on the data,
are made once. The outputs are the N runs' outputs along the first dimension, bit for bit those
of N runs one at a time. Each run has its own copy of every memory, the data image in DDR
included, so a batch of more than `RUNS_AT_ONCE` runs goes in groups of that many.

``execute(..., timeline=True)`` also keeps the `Span` of every task and controller stall
(`Result.timeline`), which traces and reports read; without it the run costs nothing more.

``execute(..., sources=Sources(program))`` is a recording run (`rcbc.runtime.replay`): the
memories hold, for each byte, the id of its source — a byte of the DDR image, or one a launch
wrote — in place of the byte (its 4 bytes as 4 runs of a batch), so DMAs move ids as they move
bytes, every check applies, and each launch, instead of computing, records the ids of what it
reads and gives what it writes new ones.

``execute(..., numerics=False)`` is a timing-only run: the same event simulation, with every
check of the accesses (undefined reads, races, bounds, deadlocks), the same modeled cycles,
timeline, bytes moved and MACs, but no kernel arithmetic and no data copies (DMAs, the data
image, the inputs), so no outputs (`Result.outputs` is empty, `Result.numerics` False). Kernels
then access the regions `rcbc.kernels.library.accesses` declares; only their parameter blocks
are real bytes, written by `write_params` (a timing-only run refuses a parameter block that a
DMA or a kernel wrote, whose bytes it did not compute). The checks a kernel makes of its own
parameters (windows, codes) need its arithmetic and are not made.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from rcbc import targets
from rcbc.bytecode import program as rcb
from rcbc.bytecode.program import NUMPY_DTYPES
from rcbc.kernels import library, reference
from rcbc.runtime import machine as m
from rcbc.runtime.memory import AccessError, Memory, Stamp
from rcbc.runtime.timing import DISPATCH_CYCLES, TimingModel

if TYPE_CHECKING:
    from rcbc.runtime.replay import Sources

RUNS_AT_ONCE = 16
"""Runs of a batch one execution holds at most: each has its own copy of every memory, so
ResNet-18's 47 MB of fp32 weights in DDR are as many copies."""
CORE_QUEUE_CAPACITY = 8  # kernels outstanding per core: the RHAL's launch ring (spec section 2)


class ExecutionError(Exception):
    """The program cannot run: the message names the record and what went wrong."""


@dataclass
class Result:
    outputs: dict[str, np.ndarray]
    cycles: float
    seconds: float  # modeled
    queue_busy_cycles: dict[str, float] = field(default_factory=dict)
    bytes_moved: dict[str, int] = field(default_factory=dict)  # by level: ddr, memtile, tile
    macs: dict[int, int] = field(default_factory=dict)  # of each launch, by record index
    timeline: list[m.Span] | None = None  # with timeline=True: when each task ran, in cycles
    numerics: bool = True  # False: a timing-only run (no outputs)
    runs: int = 1  # runs of the program the inputs held (a batch), each with the same timing


class _Run:
    """The state of one execution: memories, queues and locks of the tiles in use."""

    def __init__(self, program: rcb.Program, timeline: bool, numerics: bool = True, runs: int = 1,
                 sources: Sources | None = None):
        self.program = program
        self.numerics = numerics
        self.sources = sources
        if sources:
            self.runs = sources.ID_BYTES  # an id's bytes, a run each
        else:
            self.runs = runs if numerics else 1  # a timing-only run moves no bytes
        self.target = program.machine
        self.machine = m.Machine(dispatch_cycles=DISPATCH_CYCLES, timeline=timeline)
        self.ddr = Memory("DDR", program.ddr_size, self.runs)
        self.memories: dict[rcb.Tile, Memory] = {}
        self.locks: dict[tuple[int, int, int], m.Lock] = {}
        self.tile_locks: dict[rcb.Tile, list[m.Lock]] = {}
        self.queues: dict[tuple, m.Queue] = {}
        self.entries = {entry.name: entry for entry in program.data}
        self.payloads: dict[str, np.ndarray] = {}
        ddr_channels = {
            (r.src if r.src.row == 0 else r.dst, r.src_channel if r.src.row == 0 else r.dst_channel)
            for r in program.records
            if isinstance(r, rcb.DmaStart) and 0 in (r.src.row, r.dst.row)
        }
        self.timing = TimingModel(self.target, ddr_channels=len(ddr_channels))
        self.host_cycles = self.timing.host_round_trip_cycles() if program.host_dispatch else 0.0
        self.bytes_moved = {"ddr": 0, "memtile": 0, "tile": 0}
        self.macs: dict[int, int] = {}
        self.blocks: dict[tuple[int, bytes], tuple[dict, int, float]] = {}  # decoded parameter blocks

    # -- resources ----------------------------------------------------------------------------

    def kind(self, tile: rcb.Tile) -> targets.TileKindName:
        return self.target.kind_of(tile.row)

    def memory(self, tile: rcb.Tile, record: int) -> Memory:
        if tile.row == 0:
            return self.ddr
        try:
            return self.memories[tile]
        except KeyError:
            raise ExecutionError(f"record {record} uses tile {tile}, which no configure_tile claimed") from None

    # Resources are found by plain tuples of ints (hashed in C; a Tile hashes in Python).

    def lock(self, tile: rcb.Tile, lock_id: int) -> m.Lock:
        key = (tile.col, tile.row, lock_id)
        lock = self.locks.get(key)
        if lock is None:
            spec = self.target.spec(self.kind(tile))
            lock = self.locks[key] = m.Lock(f"lock {lock_id} of {tile}", spec.max_lock_value)
            self.tile_locks.setdefault(tile, []).append(lock)
        return lock

    def dma_queue(self, tile: rcb.Tile, direction: rcb.Direction, channel: int) -> m.Queue:
        key = (tile.col, tile.row, int(direction), channel)
        q = self.queues.get(key)
        if q is None:
            q = self.queues[key] = self.machine.queue(
                f"{direction} {channel} of {tile}",
                capacity_key=f"the buffer descriptors of {tile}",
                capacity=self.target.spec(self.kind(tile)).bds,
            )
        return q

    def core_queue(self, tile: rcb.Tile) -> m.Queue:
        key = (tile.col, tile.row, -1, 0)
        q = self.queues.get(key)
        if q is None:
            q = self.queues[key] = self.machine.queue(
                f"core {tile}", capacity_key=f"core {tile}", capacity=CORE_QUEUE_CAPACITY
            )
        return q

    def payload(self, name: str, record: int = -1) -> np.ndarray:
        if name not in self.payloads:
            if name not in self.entries:
                raise ExecutionError(f"record {record} (write_params) names no data entry '{name}'")
            self.payloads[name] = np.frombuffer(self.entries[name].payload, dtype=np.uint8)
        return self.payloads[name]

    # -- records ------------------------------------------------------------------------------

    def steps(self) -> list[m.Step]:
        return [self.step(index, record) for index, record in enumerate(self.program.records)]

    def step(self, i: int, r: rcb.Record) -> m.Step:
        if isinstance(r, rcb.DmaStart):
            return m.Issue(self.dma_task(i, r))
        if isinstance(r, rcb.WriteParams):
            memory = self.memory(r.tile, i)
            payload = self.payload(r.entry, i)
            if self.sources:  # the bytes' sources: those of the entry in the data image
                payload = self.sources.of(self.entries[r.entry].offset, len(payload))
            return m.Immediate(i, lambda stamp, clock: memory.write(r.offset, payload, stamp, clock))
        if isinstance(r, rcb.Launch):
            return m.Issue(self.launch_task(i, r))
        if isinstance(r, rcb.LockAcquire):
            return m.Acquire(i, self.lock(r.tile, r.id), r.value)
        if isinstance(r, rcb.ConfigureTile):
            if r.tile not in self.memories:
                self.memories[r.tile] = Memory(
                    f"tile {r.tile}", self.target.spec(self.kind(r.tile)).memory, self.runs)
            return m.Immediate(i, lambda stamp, clock, tile=r.tile: self.configure(tile))
        if isinstance(r, rcb.LockRelease):
            return m.Release(i, self.lock(r.tile, r.id), r.value)
        if isinstance(r, rcb.Wait):
            return m.Wait(i, (self.dma_queue(r.tile, r.direction, r.channel),))
        if isinstance(r, rcb.WaitCore):
            return m.Wait(i, (self.core_queue(r.tile),))
        if isinstance(r, rcb.Barrier):
            return m.Barrier(i, self.host_cycles)
        if isinstance(r, rcb.End):
            return m.End(i, self.host_cycles)
        raise ExecutionError(f"record {i}: unknown record {r!r}")

    def configure(self, tile: rcb.Tile) -> None:
        """Locks of the tile become 0 and its memory undefined (spec section 2)."""
        self.memories[tile].reset()
        for lock in self.tile_locks.get(tile, ()):
            lock.value = 0

    def dma_task(self, i: int, r: rcb.DmaStart) -> m.Task:
        src, dst = self.memory(r.src, i), self.memory(r.dst, i)
        nbytes = r.src_pattern.byte_count
        if r.dst_pattern.byte_count != nbytes:
            raise ExecutionError(
                f"record {i} (dma_start): src pattern moves {nbytes} bytes, dst pattern "
                f"{r.dst_pattern.byte_count}"
            )
        level = "ddr" if 0 in (r.src.row, r.dst.row) else (
            "memtile" if "memory" in (self.kind(r.src), self.kind(r.dst)) else "tile")
        self.bytes_moved[level] += nbytes
        src_at, src_sizes, src_strides = r.src_offset, r.src_pattern.sizes, r.src_pattern.strides
        dst_at, dst_sizes, dst_strides = r.dst_offset, r.dst_pattern.sizes, r.dst_pattern.strides

        if self.numerics:
            def execute(ctx: m.TaskContext) -> None:
                data = src.read_pattern(src_at, src_sizes, src_strides, ctx.stamps[0], ctx.clock)
                dst.write_pattern(dst_at, dst_sizes, dst_strides, data, ctx.stamps[1], ctx.clock)
        else:
            def execute(ctx: m.TaskContext) -> None:
                src.check_pattern(src_at, src_sizes, src_strides, ctx.stamps[0], ctx.clock, writes=False)
                dst.check_pattern(dst_at, dst_sizes, dst_strides, ctx.stamps[1], ctx.clock, writes=True)

        def locks(uses: tuple[rcb.DmaLock, ...]) -> list[tuple[m.Lock, int]]:
            return [(self.lock(r.src if l.side == rcb.Side.SRC else r.dst, l.id), l.value) for l in uses]

        return m.Task(
            record=i,
            queues=(self.dma_queue(r.src, rcb.Direction.MM2S, r.src_channel),
                    self.dma_queue(r.dst, rcb.Direction.S2MM, r.dst_channel)),
            duration=self.timing.dma_cycles(nbytes, ddr=level == "ddr"),
            execute=execute,
            acquires=locks(r.acquires),
            releases=locks(r.releases),
            what=f"dma_start {r.src} -> {r.dst}",
        )

    def launch_task(self, i: int, r: rcb.Launch) -> m.Task:
        memory = self.memory(r.tile, i)
        kernel = library.by_id(r.kernel)
        numerics = self.numerics

        def execute(ctx: m.TaskContext) -> float:
            stamp, clock = ctx.stamps[0], ctx.clock
            block = memory.read(r.params, kernel.block_size, stamp, clock)
            if self.sources:
                block = self.sources.constant_bytes(block, f"record {i} (launch {kernel.name} on {r.tile})")
                params, macs, cycles = self.decode_block(kernel, block)
                self.sources.launch(i, r, params, memory, stamp, clock)
                self.macs[i] = macs
                return cycles
            if not numerics:
                self.check_block(i, r, memory)
            if len(block) > 1 and (block != block[0]).any():
                run = int(np.argmax((block != block[0]).any(axis=1)))
                raise ExecutionError(
                    f"record {i} (launch {kernel.name} on {r.tile}): its parameter block "
                    f"[{r.params},{r.params + kernel.block_size}) differs between runs 0 and {run} "
                    f"of the batch: its bytes depend on the input; run the inputs one at a time"
                )
            block = block[0].tobytes()
            params, macs, cycles = self.decode_block(kernel, block)

            if numerics:
                def read(addr: int, count: int, dtype: type = np.float32) -> np.ndarray:
                    return memory.read(addr, count * np.dtype(dtype).itemsize, stamp, clock).view(dtype)

                def write(addr: int, array: np.ndarray) -> None:  # [runs, ...]
                    array = np.ascontiguousarray(array, dtype=np.float32 if array.dtype.kind == "f" else None)
                    memory.write(addr, array.reshape(memory.runs, -1).view(np.uint8), stamp, clock)

                try:
                    reference.run(kernel.id, params, read, write)
                except library.KernelError as e:
                    raise ExecutionError(f"record {i} (launch {kernel.name} on {r.tile}): {e}") from None
            else:
                for access in library.accesses(kernel.id, params):
                    memory._check_bounds(access.address, access.size, stamp)
                    if access.writes:
                        memory.check_write(access.address, access.size, stamp, clock)
                    else:
                        memory.check_read(access.address, access.size, stamp, clock)
            self.macs[i] = macs
            return cycles

        return m.Task(
            record=i,
            queues=(self.core_queue(r.tile),),
            duration=0.0,  # known once the parameter block is read
            execute=execute,
            acquires=[(self.lock(r.tile, l.id), l.value) for l in r.acquires],
            releases=[(self.lock(r.tile, l.id), l.value) for l in r.releases],
            what=f"launch {kernel.name}",
        )

    def decode_block(self, kernel: library.Kernel, block: bytes) -> tuple[dict, int, float]:
        """The parameters of a block, its MACs and modeled cycles (once per distinct block)."""
        key = (kernel.id, block)
        if key not in self.blocks:
            params = library.unpack(kernel.id, block)
            macs = library.macs(kernel.id, params)
            self.blocks[key] = params, macs, self.timing.kernel_cycles(kernel.name, macs)
        params, macs, cycles = self.blocks[key]
        return dict(params), macs, cycles

    def check_block(self, i: int, r: rcb.Launch, memory: Memory) -> None:
        """A timing-only run knows only the bytes `write_params` wrote (and the loader's)."""
        size = library.by_id(r.kernel).block_size
        for writer in memory.writers(r.params, size):
            if writer is not None and writer.agent != m.Machine.CONTROLLER:
                raise ExecutionError(
                    f"record {i} (launch on {r.tile}): its parameter block [{r.params},{r.params + size}) "
                    f"was written by record {writer.record}, not by write_params: a timing-only run "
                    f"(numerics=False) does not compute it; run with numerics"
                )


def runs_of(program: rcb.Program, inputs: dict[str, np.ndarray]) -> int:
    """How many runs of `program` `inputs` (by binding name) hold: 1 for inputs of the
    bindings' shapes, N for a batch of N of them along the first dimension (the same N for
    every input)."""
    counts = set()
    for binding in program.io:
        if binding.direction is not rcb.IoDirection.INPUT:
            continue
        if binding.name not in inputs:
            raise ExecutionError(f"missing input '{binding.name}' of shape {list(binding.shape)}")
        shape, want = tuple(np.shape(inputs[binding.name])), tuple(binding.shape)
        if shape == want:
            counts.add(1)
            continue
        if not want or len(shape) != len(want) or shape[1:] != want[1:] or not shape[0] or shape[0] % want[0]:
            batch = [f"N x {want[0]}" if want[0] != 1 else "N", *map(str, want[1:])] if want else []
            raise ExecutionError(
                f"input '{binding.name}' has shape {list(shape)}; the program takes {list(want)}"
                + (f", or a batch of them, [{', '.join(batch)}]" if want else "")
            )
        counts.add(shape[0] // want[0])
    if len(counts) > 1:
        raise ExecutionError(f"the inputs hold different numbers of runs: {sorted(counts)}")
    return counts.pop() if counts else 1


def _batched_shape(shape: tuple[int, ...], runs: int) -> tuple[int, ...]:
    """The shape of `runs` runs' values of a binding of `shape`, stacked along the first
    dimension (a scalar's gain one)."""
    if not shape:
        return (runs,) if runs > 1 else ()
    return (runs * shape[0], *shape[1:])


def execute(program: rcb.Program, inputs: dict[str, np.ndarray], *, timeline: bool = False,
            numerics: bool = True, sources: Sources | None = None) -> Result:
    """Run `program` on `inputs` (by binding name: of the bindings' shapes, or a batch of them,
    `runs_of`); returns its outputs and modeled time, and with `timeline` the span of every
    task and controller stall. With `numerics=False`, a timing-only run: the same checks,
    cycles and timeline, no arithmetic, no outputs. With `sources`, a recording run for
    `rcbc.runtime.replay` (no inputs, no outputs)."""
    if sources:
        if inputs or not numerics:
            raise ValueError("a recording run (sources=...) takes no inputs and moves bytes")
        return _execute(program, inputs, sources.ID_BYTES, timeline, numerics=True, sources=sources)
    runs = runs_of(program, inputs)
    if numerics and runs > RUNS_AT_ONCE:
        return _execute_in_groups(program, inputs, runs, timeline)
    return _execute(program, inputs, runs, timeline, numerics)


def _execute_in_groups(program: rcb.Program, inputs: dict[str, np.ndarray], runs: int,
                       timeline: bool) -> Result:
    """`execute` of a batch of `runs` runs, `RUNS_AT_ONCE` at a time: the outputs of the
    groups, joined; the rest is the first group's, as every group checks and times the same."""
    results = [_execute(program, group, count, timeline, numerics=True)
               for count, group in split_runs(program, inputs, runs, RUNS_AT_ONCE)]
    return replace(results[0], outputs=join_runs(program, [r.outputs for r in results], runs), runs=runs)


def split_runs(program: rcb.Program, inputs: dict[str, np.ndarray], runs: int,
               size: int) -> list[tuple[int, dict[str, np.ndarray]]]:
    """The program's inputs of a batch of `runs` runs as consecutive groups of at most `size`
    runs: (runs in the group, its inputs by binding name)."""
    firsts = {b.name: b.shape[0] for b in program.io if b.direction is rcb.IoDirection.INPUT}
    values = {name: np.asarray(inputs[name]) for name in firsts}
    return [(count, {name: values[name][start * n : (start + count) * n] for name, n in firsts.items()})
            for start in range(0, runs, size) for count in [min(size, runs - start)]]


def join_runs(program: rcb.Program, parts: list[dict[str, np.ndarray]], runs: int) -> dict[str, np.ndarray]:
    """The outputs of a batch of `runs` runs from those of its consecutive groups (`parts`)."""
    return {
        b.name: np.concatenate([part[b.name].reshape(-1, *b.shape[1:]) for part in parts])
        .reshape(_batched_shape(b.shape, runs))
        for b in program.io if b.direction is rcb.IoDirection.OUTPUT
    }


def _execute(program: rcb.Program, inputs: dict[str, np.ndarray], runs: int, timeline: bool,
             numerics: bool, sources: Sources | None = None) -> Result:
    run = _Run(program, timeline, numerics, runs, sources)
    for entry in program.data:
        if sources:
            run.ddr.load(entry.offset, sources.of(entry.offset, entry.size))
        elif numerics:
            run.ddr.load(entry.offset, run.payload(entry.name))
        else:
            run.ddr.define(entry.offset, entry.size)
    for binding in program.io:
        if binding.direction is not rcb.IoDirection.INPUT:
            continue
        if sources:
            run.ddr.load(binding.offset, sources.of(binding.offset, binding.size))
        elif numerics:
            value = np.asarray(inputs[binding.name], dtype=NUMPY_DTYPES[binding.dtype])
            run.ddr.load(binding.offset, np.ascontiguousarray(value).reshape(runs, -1).view(np.uint8))
        else:
            run.ddr.define(binding.offset, binding.size)
    # Nothing but DMAs into DDR (and parameter writes, there in no valid program) writes DDR.
    run.ddr.seal(
        [(r.dst_offset, r.dst_pattern.extent(r.dst_offset)) for r in program.records
         if isinstance(r, rcb.DmaStart) and r.dst.row == 0]
        + [(r.offset, r.offset + run.entries[r.entry].size) for r in program.records
           if isinstance(r, rcb.WriteParams) and r.tile.row == 0 and r.entry in run.entries]
    )
    # The run makes and keeps many small objects and no garbage cycles to speak of: the cyclic
    # collector would only walk them again and again (a sixth of the run's time on ResNet-18).
    collecting = gc.isenabled()
    gc.disable()
    try:
        cycles = run.machine.run(run.steps())
    except (m.MachineError, AccessError) as e:
        raise ExecutionError(str(e)) from None
    finally:
        if collecting:
            gc.enable()
    outputs = {}
    # Outputs are read as the host would after `end`: every byte must have been written.
    host = Stamp(m.Machine.CONTROLLER, run.machine.controller_epoch + 1, len(program.records))
    for binding in program.io:
        if binding.direction is rcb.IoDirection.OUTPUT:
            try:
                raw = run.ddr.read(binding.offset, binding.size, host, run.machine.controller_clock)
            except AccessError as e:
                raise ExecutionError(f"output '{binding.name}': {e}") from None
            if sources:
                sources.outputs[binding.name] = sources.decode(raw)
            elif numerics:
                value = raw.view(NUMPY_DTYPES[binding.dtype])
                outputs[binding.name] = value.reshape(_batched_shape(binding.shape, runs)).copy()
    return Result(
        outputs=outputs,
        cycles=cycles,
        seconds=run.timing.seconds(cycles),
        queue_busy_cycles={q.name: q.busy_cycles for q in run.machine.queues},
        bytes_moved=run.bytes_moved,
        macs=run.macs,
        timeline=run.machine.timeline,
        numerics=numerics,
        runs=runs,
    )
