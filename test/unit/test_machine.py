"""The abstract machine runs a synchronized program and rejects unsynchronized ones.

The scenario is the shape of every rcbc schedule: DMA an input block from DDR into one of two
tile slots (ping-pong), a kernel transforms it, a DMA drains the result to DDR; full/empty locks
order each slot's producer and consumer.
"""

import numpy as np
import pytest

from rcbc.runtime.machine import (
    Barrier, End, Issue, Lock, Machine, MachineError, Release, Span, Task, Wait,
)
from rcbc.runtime.memory import AccessError, Memory

BLOCK = 16  # bytes: 4 floats


def build(blocks=4, drop_release_of=None, empty_init=1, wait_before_end=True):
    machine = Machine(dispatch_cycles=1)
    ddr = Memory("DDR", 1024)
    tile = Memory("tile (2,3)", 256)
    ddr.load(0, np.arange(blocks * 4, dtype=np.float32).view(np.uint8))
    mm2s_shim = machine.queue("mm2s 0 of (2,0)", capacity_key=(2, 0), capacity=16)
    s2mm_shim = machine.queue("s2mm 0 of (2,0)", capacity_key=(2, 0), capacity=16)
    s2mm = machine.queue("s2mm 0 of (2,3)", capacity_key=(2, 3), capacity=16)
    mm2s = machine.queue("mm2s 0 of (2,3)", capacity_key=(2, 3), capacity=16)
    core = machine.queue("core (2,3)", capacity_key=("core", 2, 3), capacity=2)
    full = [Lock(f"lock {i} of (2,3)", 63) for i in range(2)]
    empty = [Lock(f"lock {2 + i} of (2,3)", 63) for i in range(2)]
    done = [Lock(f"lock {4 + i} of (2,3)", 63) for i in range(2)]
    program = [Release(0, empty[0], empty_init), Release(1, empty[1], empty_init)]

    def dma(src, src_off, dst, dst_off):
        def execute(ctx):
            data = src.read(src_off, BLOCK, ctx.stamps[0], ctx.clock)
            dst.write(dst_off, data.copy(), ctx.stamps[1], ctx.clock)
        return execute

    def kernel(slot):
        def execute(ctx):
            data = tile.read(slot * BLOCK, BLOCK, ctx.stamps[0], ctx.clock).view(np.float32)
            tile.write(128 + slot * BLOCK, (data * 2).view(np.uint8), ctx.stamps[0], ctx.clock)
        return execute

    record = 2
    for i in range(blocks):
        s = i % 2
        program.append(Issue(Task(record, (mm2s_shim, s2mm), 10, dma(ddr, i * BLOCK, tile, s * BLOCK),
                                  acquires=[(empty[s], 1)], releases=[(full[s], 1)], what="input")))
        kernel_releases = [] if drop_release_of == ("kernel", i) else [(done[s], 1)]
        program.append(Issue(Task(record + 1, (core,), 20, kernel(s), acquires=[(full[s], 1)],
                                  releases=kernel_releases, what="kernel")))
        program.append(Issue(Task(record + 2, (mm2s, s2mm_shim), 10, dma(tile, 128 + s * BLOCK, ddr, 512 + i * BLOCK),
                                  acquires=[(done[s], 1)], releases=[(empty[s], 1)], what="output")))
        record += 3
    if wait_before_end:
        program.append(Wait(record, (s2mm_shim,)))
    program.append(End(record + 1))
    return machine, ddr, program


def test_a_synchronized_pipeline_computes_and_overlaps():
    machine, ddr, program = build()
    cycles = machine.run(program)
    result = ddr.data[0, 512 : 512 + 4 * BLOCK].view(np.float32)
    np.testing.assert_array_equal(result, np.arange(16, dtype=np.float32) * 2)
    # 4 blocks of 10 + 20 + 10 cycles would take 160 serially; ping-pong overlaps them.
    assert cycles < 120, cycles


def test_runs_are_reproducible_to_the_cycle():
    (m1, _, p1), (m2, _, p2) = build(), build()
    assert m1.run(p1) == m2.run(p2)


def test_a_missing_release_is_a_deadlock_naming_the_waiting_record():
    machine, _, program = build(drop_release_of=("kernel", 0))
    with pytest.raises(MachineError) as e:
        machine.run(program)
    message = str(e.value)
    assert message.startswith("deadlock: nothing is running and nothing can start")
    assert "mm2s 0 of (2,3): record 4 (output) waits for acquire of lock 4 of (2,3) (value 0, needs 1)" in message


def test_an_extra_slot_credit_lets_a_dma_overwrite_a_buffer_still_being_read():
    # Two credits on each "empty" lock let block 2's input DMA overwrite slot 0 without waiting
    # for block 0's output DMA: the race is reported, not computed through.
    machine, _, program = build(empty_init=2)
    with pytest.raises(AccessError, match=r"record 8 writes bytes \[0,16\) of tile \(2,3\) concurrently with record 3, which reads them"):
        machine.run(program)


def test_a_read_of_undefined_bytes_is_an_error():
    machine = Machine()
    tile = Memory("tile (2,3)", 64)
    core = machine.queue("core (2,3)", capacity_key="core", capacity=2)
    task = Task(0, (core,), 1, lambda ctx: tile.read(0, 4, ctx.stamps[0], ctx.clock), what="kernel")
    with pytest.raises(AccessError, match=r"record 0 reads bytes \[0,4\) of tile \(2,3\), which nothing wrote before"):
        machine.run([Issue(task), End(1)])


def test_the_controller_blocks_on_capacity_and_resumes():
    machine = Machine()
    core = machine.queue("core (2,3)", capacity_key="core", capacity=1)
    order = []
    tasks = [Task(i, (core,), 5, lambda ctx, i=i: order.append(i)) for i in range(3)]
    assert machine.run([*map(Issue, tasks), Barrier(3), End(4)]) >= 15
    assert order == [0, 1, 2]


def test_a_release_above_the_maximum_is_an_error():
    machine = Machine()
    lock = Lock("lock 0 of (2,3)", max_value=1)
    with pytest.raises(MachineError, match=r"record 1 releases lock 0 of \(2,3\) by 1 to 2, above its maximum 1"):
        machine.run([Release(0, lock, 1), Release(1, lock, 1), End(2)])


def test_a_lock_acquired_twice_by_one_task_needs_the_sum():
    machine = Machine()
    core = machine.queue("core (2,3)", capacity_key="core", capacity=2)
    lock = Lock("lock 0 of (2,3)", max_value=63)
    ran = []
    task = Task(1, (core,), 1, lambda ctx: ran.append(True), acquires=[(lock, 1), (lock, 1)], what="kernel")
    with pytest.raises(MachineError, match=r"record 1 \(kernel\) waits for acquire of lock 0 of \(2,3\) \(value 1, needs 2\)"):
        machine.run([Release(0, lock, 1), Issue(task), End(2)])
    assert not ran and lock.value == 1


def test_a_timeline_records_each_task_and_each_controller_stall():
    machine = Machine(dispatch_cycles=1, timeline=True)
    core = machine.queue("core (2,3)", capacity_key="core", capacity=1)
    tasks = [Task(i, (core,), 5, lambda ctx: None) for i in range(2)]
    cycles = machine.run([Issue(tasks[0]), Issue(tasks[1]), Wait(2, (core,)), End(3)])
    # Task 0 runs 0-5; the controller stalls at record 1 (capacity) until 5, task 1 runs 5-10;
    # the wait stalls from 6 (dispatched at 5, one cycle) until 10.
    assert machine.timeline == [
        Span(0, 0, 5, True), Span(1, 1, 5, False), Span(1, 5, 10, True), Span(2, 6, 10, False),
    ]
    assert cycles == 11


def test_without_a_timeline_nothing_is_recorded():
    machine, _, program = build()
    machine.run(program)
    assert machine.timeline is None


def test_a_deadlock_at_the_end_names_the_queues_it_waits_for():
    machine = Machine()
    core = machine.queue("core (2,3)", capacity_key="core", capacity=2)
    lock = Lock("lock 0 of (2,3)", max_value=63)
    task = Task(0, (core,), 1, lambda ctx: None, acquires=[(lock, 1)], what="kernel")
    with pytest.raises(MachineError, match=r"the controller waits at record 1 for core \(2,3\)\n"):
        machine.run([Issue(task), End(1)])
