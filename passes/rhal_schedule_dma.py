"""rhal-schedule-dma: make a placed, allocated schedule safe to run concurrently."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import ClassVar

from rcbc.dialects import rhal
from rcbc.lowering import locks
from rcbc.lowering.ir_layers import main_function
from rcbc.lowering.locks import CONTROLLER, Agent, Link, Uses
from rcbc.mlir import ir
from rcbc.registry import ModulePass
from rcbc.runtime.memory import pattern_runs


@dataclass
class _History:
    """Who last wrote a tile buffer and who read it since; its bytes and those buffers of its
    tile seen so far that share some (itself included)."""

    start: int
    end: int
    overlapping: list[_History]
    writer: tuple[int, Agent] | None = None
    readers: dict[Agent, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ScheduleDma(ModulePass):
    """Add the synchronization that makes the sequential schedule of `rhal-place` concurrent.

    Walking the ops in issue order, every pair of accesses to overlapping bytes of a tile's
    memory by different agents (a DMA channel, a core, the controller writing a parameter
    block), at least one of them a write, must be ordered (bytecode spec, rule 3.4). Bytes, not
    buffers: allocation gives a later buffer the bytes of one whose last use was issued earlier,
    and that use may still be running. Each such ordering (a link) becomes a lock on the tile:
    the earlier op releases it when it completes and the later one acquires it before it
    starts; a link already implied by queue order, by an earlier link between the two agents or
    by a barrier is skipped. Before the controller rewrites a kernel's parameter slot it
    acquires the lock the slot's previous kernel released. Accesses to DDR by different agents
    that conflict (a layer reading what the previous one wrote) get a `rhal.barrier` before the
    later one. How links become locks (`rcbc.lowering.locks`) depends on the target's locks:

    - Counting locks (aie-ml, npu1, npu2): one semaphore serves all links between two agents;
      each agent runs its tasks in issue order, so the n-th acquire waits for the n-th release.
    - Binary locks (aie: 0 or 1): a lock may be released again only after its last release has
      been acquired. Per target and source agent only the latest source's link is kept. Walking
      in issue order, the pass knows for each task which tasks of its tile completed before it
      starts: what its queue predecessor knew, what the controller knew when it issued the task
      (from its acquires and waits), what the tasks it acquires from knew. A task releases a
      link on a lock whose last acquire it knows done, if by the same acquirer (whose acquires
      follow its queue order), or that the controller knew done when it issued the task; else
      on a new lock of the tile. A link the controller acquires first moves to the next task of
      its agent if that is issued before the target (its completion implies the first's) and
      merges with that task's link to the controller, if any; as a last resort the controller
      waits for the queue of a lock's last acquirer before issuing the task. So when a task
      releases a lock, its last release has been taken, and the acquire that follows takes
      this one: by induction in issue order every lock alternates release and acquire, never
      above 1. Locks are 0 again at every barrier (no link crosses one). Every link and wait
      still points forward in issue order, so no deadlock is added.

    A transfer between two tiles (a memory tile to a compute tile) is a task of both tiles'
    queues; each side's accesses are its own tile's agent's, so every link joins two agents of one
    tile. Binary locks assume one tile agent per task: such a transfer is an error there.

    A tile needing more locks at once than it has is an error naming the tile and the count.

    Before:

        "rhal.dma"(%x, %in0, %shim, %t0) {...}
        "rhal.kernel"(%t0, %p0, %in0, %w0, %out0) {...}

    After:

        %l0 = "rhal.lock"(%t0) {id = 0 : i64, init = 0 : i64}
        "rhal.dma"(%x, %in0, %shim, %t0, %l0) {release_values = array<i64: 1>, ...}
        "rhal.kernel"(%t0, %p0, %in0, %w0, %out0, %l0) {acquire_values = array<i64: 1>, ...}
    """

    argument: ClassVar[str] = "rhal-schedule-dma"

    def run(self, module: ir.Operation) -> None:
        if rhal.TARGET_ATTR not in module.attributes:
            self.fail(module, "rhal-schedule-dma: the module has no rhal.target; run rhal-set-target first")
        machine = rhal.TargetAttr(module.attributes[rhal.TARGET_ATTR]).machine()
        function = main_function(module)
        if function is None:
            self.fail(module, "rhal-schedule-dma: the module has no func.func @main")
        ops = list(function.body.blocks[0].operations)
        for op in ops:
            if isinstance(op, (rhal.BufferOp, rhal.DdrBufferOp)) and not isinstance(op.address, ir.IntegerAttr):
                self.fail(op, "rhal-schedule-dma: buffers have no addresses; run rhal-allocate first")
        analysis = _Analysis()
        analysis.run(ops)
        target = machine.target
        tiles = {(op.col.value, op.row.value): op for op in ops if isinstance(op, rhal.TileOp)}

        def lock_count(coords: tuple[int, int]) -> int:
            return target.spec(target.kind_of(coords[1])).locks

        try:
            if target.compute.max_lock_value > 1:
                uses = locks.semaphores(analysis.links, analysis.barriers, lock_count)
            elif analysis.tile_to_tile:
                self.fail(ops[analysis.tile_to_tile[0]],
                          "rhal-schedule-dma: a transfer between two tiles' memories cannot be "
                          f"ordered with {target.name}'s binary locks (a task of two queues)")
            else:
                uses = locks.binary(analysis.links, analysis.barriers, analysis.fences, analysis.agents,
                                    lock_count)
        except locks.OutOfLocks as e:
            tile = tiles[e.tile]
            self.fail(tile, f"rhal-schedule-dma: {tile.kind.value} tile ({tile.col.value},"
                            f"{tile.row.value}) needs more than its {e.available} locks")
        self.rewrite(ops, tiles, uses)

    def rewrite(self, ops: list[ir.OpView], tiles: dict[tuple[int, int], rhal.TileOp],
                uses: dict[int, Uses]) -> None:
        last_tile = max(i for i, op in enumerate(ops) if isinstance(op, rhal.TileOp))
        values: dict[tuple, ir.Value] = {}
        ids: dict[tuple[int, int], int] = defaultdict(int)

        def lock(key: tuple) -> ir.Value:
            """The lock of `key`, declared at its first use; a tile's locks numbered from 0."""
            if key not in values:
                coords = key[0]
                with ir.InsertionPoint(ops[last_tile + 1]):
                    values[key] = rhal.lock(tile=tiles[coords].result, id=ids[coords])
                ids[coords] += 1
            return values[key]

        for index, op in enumerate(ops):
            use = uses.get(index)
            if use is None:
                continue
            with ir.InsertionPoint(op):
                if use.barrier_before:
                    rhal.barrier()
                for agent in use.waits:
                    tile = tiles[agent[1:3]].result
                    rhal.wait_core(tile) if agent[0] == "core" else rhal.wait(tile, agent[0], agent[3])
                for key in use.controller_acquires:
                    rhal.acquire(lock=lock(key), value=1)
                acquires = [(lock(k), n) for k, n in Counter(use.acquires).items()]
                releases = [(lock(k), n) for k, n in Counter(use.releases).items()]
                if isinstance(op, (rhal.DmaOp, rhal.KernelOp)):
                    rhal.with_locks(op, acquires, releases)
                    op.operation.erase()


class _Analysis:
    """Walks the ops in issue order and finds the orderings the schedule needs."""

    def __init__(self):
        self.links: list[Link] = []
        self.barriers: set[int] = set()  # ops that need a barrier before them
        self.fences: set[int] = set()  # ops before which everything is complete: barriers
        self.agents: dict[int, Agent] = {}  # the tile agent of each transfer and kernel
        self.tile_to_tile: list[int] = []  # transfers between two tiles' memories
        self.tiles: dict[ir.Value, tuple[int, int]] = {}  # tile coordinates, as looked up
        self.kinds: dict[ir.Value, bool] = {}  # buffer -> on a tile, as looked up
        self.history: dict[ir.Value, _History] = {}
        self.regions: dict[tuple[int, int], list[_History]] = defaultdict(list)
        self.last_source: dict[tuple[Agent, Agent], int] = {}
        self.barrier: float = -1  # ops at or before this index are complete
        self.ddr_writes: dict[ir.Value, _Runs] = defaultdict(_Runs)
        self.ddr_readers: dict[ir.Value, set[Agent]] = defaultdict(set)
        self.ddr_writers: dict[ir.Value, set[Agent]] = defaultdict(set)

    def run(self, ops: list[ir.OpView]) -> None:
        for index, op in enumerate(ops):
            if isinstance(op, rhal.BarrierOp):
                self.fences.add(index)
                self.start_barrier(index)
            elif isinstance(op, rhal.DmaOp):
                self.dma(index, op)
            elif isinstance(op, rhal.KernelOp):
                self.kernel(index, op)

    def start_barrier(self, index: float) -> None:
        """Everything before `index` is complete: no later access needs an edge from it."""
        self.barrier = index
        self.history.clear()
        self.regions.clear()
        self.ddr_writes.clear()
        self.ddr_readers.clear()
        self.ddr_writers.clear()

    # -- ops --------------------------------------------------------------------------------------

    def dma(self, index: int, op: rhal.DmaOp) -> None:
        operands = op.operands  # src, dst, src_port, dst_port, then the locks
        src, dst = operands[0], operands[1]
        src_tile = self.on_tile(src)
        dst_tile = self.on_tile(dst)
        # A transfer is a task of the source tile's mm2s queue and the destination's s2mm
        # queue; each tile's memory is accessed by that tile's agent.
        writer = ("s2mm", *self.coords(operands[3]), op.dst_channel.value)
        reader = ("mm2s", *self.coords(operands[2]), op.src_channel.value) if src_tile else None
        agent = writer if dst_tile or reader is None else reader
        self.agents[index] = agent
        if src_tile and dst_tile:
            self.tile_to_tile.append(index)
        # DDR conflicts first: a barrier before this op orders it after everything.
        if not src_tile and self.ddr_conflict(src, agent, None):
            self.insert_barrier(index)
        runs = None if dst_tile else _runs(op.dst_pattern)
        if not dst_tile and self.ddr_conflict(dst, agent, runs):
            self.insert_barrier(index)
        if src_tile:
            self.access(index, reader, src, writes=False)
        else:
            self.ddr_readers[src].add(agent)
        if dst_tile:
            self.access(index, writer, dst, writes=True)
        else:
            self.ddr_writers[dst].add(agent)
            self.ddr_writes[dst].add(runs)

    def kernel(self, index: int, op: rhal.KernelOp) -> None:
        [tile], buffers, _, _ = rhal.operand_groups(op)
        agent = self.agents[index] = ("core", *self.coords(tile))
        touched = op.accesses()
        reads = {a.what for a in touched if not a.writes}
        writes = {a.what for a in touched if a.writes}
        for name, buffer in zip(op.binding_names(), buffers):
            if name == rhal.PARAMS_BINDING:
                # The controller writes the block when it issues the kernel.
                self.access(index, CONTROLLER, buffer, writes=True)
                self.access(index, agent, buffer, writes=False)
                continue
            if name in reads:
                self.access(index, agent, buffer, writes=False)
            if name in writes:
                self.access(index, agent, buffer, writes=True)

    def coords(self, tile: ir.Value) -> tuple[int, int]:
        coords = self.tiles.get(tile)
        if coords is None:
            coords = self.tiles[tile] = _coords(tile)
        return coords

    def on_tile(self, buffer: ir.Value) -> bool:
        """Whether `buffer` is in a tile's memory (else in DDR)."""
        kind = self.kinds.get(buffer)
        if kind is None:
            kind = self.kinds[buffer] = isinstance(buffer.owner, rhal.BufferOp)
        return kind

    # -- edges ------------------------------------------------------------------------------------

    def access(self, index: int, agent: Agent, buffer: ir.Value, writes: bool) -> None:
        history = self.buffer_history(buffer)
        for other in history.overlapping:
            earlier = [other.writer] if other.writer else []
            if writes:
                earlier += [(i, a) for a, i in other.readers.items()]
            for source_index, source in earlier:
                self.order(source_index, source, index, agent)
        if writes:
            history.writer = (index, agent)
            history.readers = {}
        else:
            history.readers[agent] = index

    def buffer_history(self, buffer: ir.Value) -> _History:
        history = self.history.get(buffer)
        if history is None:
            op = buffer.owner
            start = ir.IntegerAttr(op.address).value
            history = self.history[buffer] = _History(start, start + op.size.value, [])
            region = self.regions[self.coords(op.tile)]
            for other in region:
                if other.start < history.end and history.start < other.end:
                    other.overlapping.append(history)
                    history.overlapping.append(other)
            history.overlapping.append(history)
            region.append(history)
        return history

    def order(self, source_index: int, source: Agent, index: int, agent: Agent) -> None:
        if source == agent or source == CONTROLLER or source_index <= self.barrier or source_index == index:
            return
        pair = (source, agent)
        if source_index <= self.last_source.get(pair, -1):
            return  # implied: the source's queue and the previous edge of this pair order it
        self.last_source[pair] = source_index
        self.links.append(Link(source_index, index, pair))

    def ddr_conflict(self, buffer: ir.Value, agent: Agent, writes: list[tuple[int, int]] | None) -> bool:
        """Whether an access to a DDR buffer conflicts with one since the last barrier: a read
        (`writes` None) with any write, a write of the byte runs `writes` with another agent's
        read or an overlapping write."""
        written = self.ddr_writes.get(buffer)
        if writes is None:
            return bool(written)
        if self.ddr_readers.get(buffer, set()) - {agent}:
            return True
        return written is not None and written.overlaps(writes)

    def insert_barrier(self, index: int) -> None:
        self.barriers.add(index)
        self.fences.add(index)
        self.start_barrier(index - 0.5)  # the ops before this one are complete; this one is not


class _Runs:
    """Disjoint byte runs `[start, end)` of a buffer, sorted; runs that touch are merged, so a
    layer writing its output block by block holds a few long runs, not one per block row."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def __bool__(self) -> bool:
        return bool(self.starts)

    def overlaps(self, runs: list[tuple[int, int]]) -> bool:
        for start, end in runs:
            i = bisect.bisect_right(self.starts, start) - 1
            if i >= 0 and self.ends[i] > start or i + 1 < len(self.starts) and self.starts[i + 1] < end:
                return True
        return False

    def add(self, runs: list[tuple[int, int]]) -> None:
        """Add runs that overlap none held (`overlaps` said so)."""
        starts, ends = self.starts, self.ends
        for start, end in runs:
            i = bisect.bisect_right(starts, start)
            joins_next = i < len(starts) and starts[i] == end
            if i and ends[i - 1] == start:
                if joins_next:
                    ends[i - 1] = ends[i]
                    del starts[i], ends[i]
                else:
                    ends[i - 1] = end
            elif joins_next:
                starts[i] = start
            else:
                starts.insert(i, start)
                ends.insert(i, end)


def _coords(tile: ir.Value) -> tuple[int, int]:
    return (tile.owner.col.value, tile.owner.row.value)


def _runs(pattern: rhal.PatternAttr) -> list[tuple[int, int]]:
    starts, run = pattern_runs(ir.IntegerAttr(pattern.offset).value,
                               list(ir.DenseI64ArrayAttr(pattern.sizes)),
                               list(ir.DenseI64ArrayAttr(pattern.strides)))
    return [(s, s + run) for s in starts.tolist()]
