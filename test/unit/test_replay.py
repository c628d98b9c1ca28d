"""A replay (`rcbc.runtime.replay`) computes exactly what the reference executor computes: on the
hand-written convolution of test_executor, on convolutions compiled into chunks of input
channels (deferred accumulations, f32 and int8), on int8 programs and on ResNet-18, one input
or a batch. A
program the executor refuses is refused by the recording with the same message, and a wrong
stride changes the replayed answer: the replay follows the schedule's data movement."""

import dataclasses
import multiprocessing

import numpy as np
import pytest
import torch

import test_executor as ex
import test_int8_pipeline as int8
from rcbc.bytecode.program import (
    ConfigureTile, DataEntry, DmaLock, DmaStart, DType, End, IoBinding, IoDirection, Launch, Lock, Pattern,
    Program, Side, Tile, WriteParams,
)
from rcbc.compiler import compile_model
from rcbc.frontend.models import torchvision_model
from rcbc.kernels import library
from rcbc.quantize.scheme import quantize
from rcbc.runtime.executor import ExecutionError, execute
from rcbc.runtime import replay as replay_module
from rcbc.runtime.engines import engine
from rcbc.runtime.replay import HelperLost, NotRecordable, Replay, record


def assert_replays(program, inputs) -> Replay:
    replay = record(program)
    expected = execute(program, inputs)
    got = replay.run(inputs)
    assert got.keys() == expected.outputs.keys()
    for name, value in got.items():
        assert value.dtype == expected.outputs[name].dtype and value.shape == expected.outputs[name].shape
        np.testing.assert_array_equal(value, expected.outputs[name])
    assert replay.result.cycles == expected.cycles
    return replay


def test_the_hand_written_convolution():
    assert_replays(ex.program(), {"x": ex.x})
    np.testing.assert_allclose(record(ex.program()).run({"x": ex.x})["y"], ex.expected(), rtol=1e-5, atol=1e-5)


def test_a_replay_runs_new_inputs_and_batches():
    replay = record(ex.program())
    xs = np.random.default_rng(1).standard_normal((3, 3, 8, 8), dtype=np.float32)
    batch = replay.run({"x": xs})["y"]
    assert batch.shape == (3, 4, 8, 8)
    for i in range(3):
        np.testing.assert_array_equal(replay.run({"x": xs[i : i + 1]})["y"], batch[i : i + 1])
        np.testing.assert_array_equal(execute(ex.program(), {"x": xs[i : i + 1]}).outputs["y"], batch[i : i + 1])
    with pytest.raises(ExecutionError, match=r"missing input 'x' of shape \[1, 3, 8, 8\]"):
        replay.run({})


BROKEN = {
    "a dropped release": lambda: ex.program(input=ex.move(ex.DDR_X, ex.IN, ex.x.nbytes, 0)),
    "a dropped acquire": lambda: ex.program(launch=dataclasses.replace(
        ex.program().records[5], acquires=ex.program().records[5].acquires[1:])),
    "a shifted DMA": lambda: ex.program(input=ex.move(
        ex.DDR_X + 4, ex.IN, ex.x.nbytes, 0, releases=(DmaLock(Side.DST, 0, 1),))),
    "a launch outside its tile": lambda: ex.program(launch=dataclasses.replace(ex.program().records[5], params=65536 - 8)),
}


@pytest.mark.parametrize("mutation", BROKEN)
def test_what_the_executor_refuses_cannot_be_recorded(mutation):
    with pytest.raises(ExecutionError) as executed:
        execute(BROKEN[mutation](), {"x": ex.x})
    with pytest.raises(ExecutionError) as recorded:
        record(BROKEN[mutation]())
    assert str(recorded.value) == str(executed.value)


def test_a_wrong_stride_changes_the_replayed_answer():
    one_channel_thrice = dataclasses.replace(ex.program().records[2], src_pattern=Pattern((3, 256), (0, 1)))
    got = assert_replays(ex.program(input=one_channel_thrice), {"x": ex.x}).run({"x": ex.x})["y"]
    assert not np.allclose(got, ex.expected(), atol=1e-3)


def test_a_kernel_error_is_the_executors():
    """A window too small for its output block: the recording (which replays zeros once, for
    the kernels' own checks) says what execute says."""
    block = library.unpack(1, ex.params_block())
    small = library.pack("conv2d", **dict(block, in_h=4))
    program = ex.program()
    program = dataclasses.replace(program, data=tuple(
        DataEntry(e.name, e.offset, e.dtype, e.shape, small) if e.name == "conv.params" else e for e in program.data))
    with pytest.raises(ExecutionError) as executed:
        execute(program, {"x": ex.x})
    with pytest.raises(ExecutionError) as recorded:
        record(program)
    assert str(recorded.value) == str(executed.value)
    assert str(recorded.value).startswith("record 5 (launch conv2d on (2,3)): conv2d: output block at (0,0) of 8x8 needs input rows")


def params_from_input():
    """test_executor's convolution with its parameter block copied from the input."""
    dma = ex.move(ex.DDR_X, ex.PARAMS, len(ex.params_block()), 2, releases=(DmaLock(Side.DST, 4, 1),))
    launch = dataclasses.replace(ex.program().records[5], acquires=(*ex.program().records[5].acquires, Lock(4, 1)))
    return ex.program(params=dma, launch=launch)


def test_a_parameter_block_the_input_writes_cannot_be_recorded(tmp_path):
    with pytest.raises(NotRecordable, match=(
            r"^record 5 \(launch conv2d on \(2,3\)\): its parameter block holds bytes the run computes or "
            r"takes from an input, not from the data image: a replay cannot record it; run it with execute\(\)$")):
        record(params_from_input())
    # The Python engine runs such a program on the executor instead: here the input's bytes
    # are no parameter block the kernel takes, which execute says.
    with pytest.raises(ExecutionError) as executed:
        execute(params_from_input(), {"x": ex.x})
    with pytest.raises(ExecutionError) as ran:
        engine("python", params_from_input(), tmp_path / "unused.rcb")({"x": ex.x})
    assert str(ran.value) == str(executed.value) and "record 5" in str(ran.value)


def two_products(b_of_second: int):
    """Two eltwise products on one tile at the same step: x * x, then x * (y or x again)."""
    core, shim = Tile(2, 3), Tile(2, 0)
    X, Y, Z1, Z2, P1, P2 = 2048, 2112, 2176, 2240, 1024, 1088

    def block(a, b, out):
        return library.pack("eltwise", dtype=0, a_addr=a, b_addr=b, out_addr=out, count=16, op=2,
                            activation=0, act_min=0.0, act_max=0.0)

    def move(src, dst, channel, to_core=True, **locks):
        ends = (shim, core) if to_core else (core, shim)
        return DmaStart(src=ends[0], src_channel=channel, src_offset=src, src_pattern=Pattern.contiguous(64),
                        dst=ends[1], dst_channel=channel, dst_offset=dst, dst_pattern=Pattern.contiguous(64), **locks)

    records = (
        ConfigureTile(core), WriteParams(core, P1, "p1"), WriteParams(core, P2, "p2"),
        move(0, X, 0, releases=(DmaLock(Side.DST, 0, 2),)), move(64, Y, 1, releases=(DmaLock(Side.DST, 1, 1),)),
        Launch(core, kernel=6, params=P1, acquires=(Lock(0, 1),), releases=(Lock(2, 1),)),
        Launch(core, kernel=6, params=P2, acquires=(Lock(0, 1), Lock(1, 1)), releases=(Lock(3, 1),)),
        move(Z1, 128, 0, to_core=False, acquires=(DmaLock(Side.SRC, 2, 1),)),
        move(Z2, 192, 1, to_core=False, acquires=(DmaLock(Side.SRC, 3, 1),)),
        End(),
    )
    params = (block(X, X, Z1), block(X, b_of_second, Z2))
    return Program("aie-ml", ddr_size=512, records=records,
                   data=tuple(DataEntry(f"p{i + 1}", 256 + 64 * i, DType.I32, (len(p) // 4,), p) for i, p in enumerate(params)),
                   io=(IoBinding("x", IoDirection.INPUT, DType.F32, (16,), 0),
                       IoBinding("y", IoDirection.INPUT, DType.F32, (16,), 64),
                       IoBinding("z1", IoDirection.OUTPUT, DType.F32, (16,), 128),
                       IoBinding("z2", IoDirection.OUTPUT, DType.F32, (16,), 192)))


@pytest.mark.parametrize("second", ["x * y", "x * x"])
def test_launches_that_read_one_buffer_twice_are_not_grouped_with_others(second):
    """Reads at one address in one launch and at two in another, of one kernel with the same
    arithmetic: each computes its own product."""
    program = two_products(2112 if second == "x * y" else 2048)
    x, y = np.arange(16, dtype=np.float32), np.arange(16, 32, dtype=np.float32)
    replay = assert_replays(program, {"x": x, "y": y})
    np.testing.assert_array_equal(replay.run({"x": x, "y": y})["z2"], x * (y if second == "x * y" else x))


def test_a_program_without_launches():
    """A copy through a tile: the output's sources are the input's bytes."""
    records = ex.program().records
    copy = dataclasses.replace(ex.program(), records=(
        records[0], ex.move(ex.DDR_X, ex.OUT, ex.x.nbytes, 0, releases=(DmaLock(Side.DST, 3, 1),)),
        ex.move(ex.OUT, ex.DDR_Y, ex.x.nbytes, 0, to_core=False, acquires=(DmaLock(Side.SRC, 3, 1),)), records[-1]),
        io=(ex.program().io[0], dataclasses.replace(ex.program().io[1], shape=(1, 3, 8, 8))))
    replay = assert_replays(copy, {"x": ex.x})
    np.testing.assert_array_equal(replay.run({"x": ex.x})["y"], ex.x)


@pytest.fixture(scope="module")
def chunked():
    """A convolution of 64 input channels on 28 tiles (in chunks of them), and two inputs."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(64, 64, 3, padding=1), torch.nn.ReLU()).eval()
    x = np.random.default_rng(5).standard_normal((1, 64, 28, 28)).astype(np.float32)
    program = compile_model(model, (torch.from_numpy(x),), tiles=28).program
    return model, program, np.random.default_rng(6).standard_normal((2, 64, 28, 28)).astype(np.float32)


def test_chunks_of_input_channels_accumulate_as_the_kernels_do(monkeypatch, chunked):
    """64 input channels on 28 tiles run in chunks: the middle chunks are deferred (summed by
    `_Sums` steps) and the result is still the executor's, bit for bit, for every input of a batch."""
    model, program, xs = chunked
    [binding, output] = program.io
    replay = assert_replays(program, {binding.name: xs})
    assert any(level.sums for level in replay.levels)
    # The chunks of output channels of a block read the same window: one row for all of them.
    assert any(group.repeat > 1 for level in replay.levels for group in level.groups)
    monkeypatch.setattr(replay_module, "PROCESSES", 1)  # the same on one process
    np.testing.assert_array_equal(replay.run({binding.name: xs})[output.name],
                                  execute(program, {binding.name: xs}).outputs[output.name])
    with torch.no_grad():
        expected = model(torch.from_numpy(xs)).numpy()
    got = replay.run({binding.name: xs})[output.name]
    assert np.abs(got - expected).max() <= 1e-4 * np.abs(expected).max()


def test_int8_chunks_accumulate_modulo_2_to_the_32():
    """256 input channels in int8 run in chunks too: their int32 sums are deferred and added as
    the kernels add them, so the replay is the executor's, bit for bit."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(256, 64, 3, padding=1), torch.nn.ReLU()).eval()
    x = np.random.default_rng(5).standard_normal((1, 256, 14, 14)).astype(np.float32)
    result = compile_model(model, (torch.from_numpy(x),), tiles=28, precision="int8")
    [binding, _] = result.program.io
    xs = quantize(np.random.default_rng(6).standard_normal((2, 256, 14, 14)).astype(np.float32), result.quantized.input)
    replay = assert_replays(result.program, {binding.name: xs})
    assert any(sums.dtype is np.int32 for level in replay.levels for sums in level.sums)
    assert any(group.repeat > 1 for level in replay.levels for group in level.groups)


def test_an_int8_program():
    model = int8.small_cnn()
    x = np.random.default_rng(3).uniform(-2, 2, (1, 3, 32, 32)).astype(np.float32)
    result = compile_model(model, (torch.from_numpy(x),), tiles=4, precision="int8")
    xs = quantize(np.random.default_rng(4).uniform(-2, 2, (3, 3, 32, 32)).astype(np.float32), result.quantized.input)
    [binding, _] = result.program.io
    assert_replays(result.program, {binding.name: xs})


def test_resnet18():
    x = np.random.default_rng(0).standard_normal((2, 3, 64, 64), dtype=np.float32)
    model = torchvision_model("resnet18", seed=0).eval()
    program = compile_model(model, (torch.from_numpy(x[:1]),), tiles=28).program
    [binding, _] = program.io
    assert_replays(program, {binding.name: x})


def test_the_python_engine_records_once_and_replays(monkeypatch, tmp_path):
    import rcbc.runtime.engines as engines

    recorded = []
    monkeypatch.setattr(engines, "record", lambda program: recorded.append(program) or record(program))
    run = engines.engine("python", ex.program(), tmp_path / "unused.rcb")
    xs = np.random.default_rng(2).standard_normal((2, 1, 3, 8, 8), dtype=np.float32)
    for x in xs:
        np.testing.assert_array_equal(run({"x": x})["y"], execute(ex.program(), {"x": x}).outputs["y"])
    assert len(recorded) == 1
    with pytest.raises(ExecutionError, match=r"missing input 'x'"):
        engines.engine("python", ex.program(), tmp_path / "unused.rcb")({})


class Part:
    """A stand-in group for `_run_levels`: what `_Level.lanes` asks of one."""

    repeat = 1

    def __init__(self, name: str, cost: int, count: int = 1):
        self.name, self.count, self._cost = name, count, cost

    def cost(self, lo, hi):
        return self._cost


def test_the_first_failing_part_of_a_level_is_raised_whichever_process_ran_it(monkeypatch):
    """Parts run on two processes, dealt by cost; a level with failing parts raises the failure
    of the first in its order (as running them one by one would), after the level, and nothing
    later runs."""
    ran, summed = [], []

    class Sums:
        def run(self, values):
            summed.append(True)

    def run_group(values, group, lo, hi):
        ran.append(group.name)
        if group.name.startswith("bad"):
            raise ExecutionError(group.name)

    monkeypatch.setattr(replay_module, "_run_group", run_group)  # before the helper forks
    parts = [Part("fine", cost=40), Part("bad 1", cost=30), Part("other", cost=50), Part("bad 2", cost=100)]
    first = replay_module._Level(parts, [Sums()])
    later = replay_module._Level([Part("later", cost=1)], [Sums()])
    lanes = first.lanes(2)  # the second lane runs on the helper process
    assert [[part[0].name for _, part in lane] for lane in lanes] == [["bad 2"], ["other", "fine", "bad 1"]]
    crew = replay_module._Crew([first, later], np.zeros(4, np.uint8), 2)
    with pytest.raises(ExecutionError, match="^bad 1$"):
        crew.run()
    assert ran == ["bad 2"] and not summed  # this process's lane; not the sums, nor the next level
    with pytest.raises(ExecutionError, match="^bad 1$"):  # the crew runs again
        crew.run()
    assert not crew.broken


def test_a_helper_process_that_ended_is_reported_and_its_crew_replaced(monkeypatch, chunked):
    _, program, xs = chunked
    [binding, output] = program.io
    monkeypatch.setattr(replay_module, "PROCESSES", 2)
    replay = record(program)
    expected = execute(program, {binding.name: xs[:1]}).outputs[output.name]
    np.testing.assert_array_equal(replay.run({binding.name: xs[:1]})[output.name], expected)
    crew = replay._crews[2]
    [(process, _)] = crew.links
    process.kill()
    with pytest.raises(HelperLost, match=r"^a replay's helper process ended \(exit status -9\); "
                                         r"the next run starts another$"):
        replay.run({binding.name: xs[:1]})
    assert crew.broken and 2 not in replay._crews
    np.testing.assert_array_equal(replay.run({binding.name: xs[:1]})[output.name], expected)


def test_closing_a_replay_ends_its_helpers(monkeypatch, chunked):
    _, program, xs = chunked
    [binding, output] = program.io
    monkeypatch.setattr(replay_module, "PROCESSES", 2)
    with record(program) as replay:
        first = replay.run({binding.name: xs[:1]})[output.name]
        [(process, _)] = replay._crews[2].links
    assert not process.is_alive() and not replay._crews
    np.testing.assert_array_equal(replay.run({binding.name: xs[:1]})[output.name], first)  # with new ones
    replay.close()


def test_a_process_forked_from_a_replays_makes_its_own_values_and_helpers(monkeypatch, chunked):
    """The value array is shared with the crew's helpers: a process forked later (a worker of a
    pool, say) must not write into it, nor dismiss the helpers of the process it came from."""
    _, program, xs = chunked
    [binding, output] = program.io
    monkeypatch.setattr(replay_module, "PROCESSES", 2)
    replay = record(program)
    first = replay.run({binding.name: xs[:1]})[output.name]
    values = replay._values.copy()
    context = multiprocessing.get_context("fork")
    monkeypatch.setitem(FORKED, "job", (replay, {binding.name: xs[1:]}, output.name))
    with context.Pool(1) as pool:  # its worker, a daemon, has the replay by the fork; runs it alone
        [forked] = pool.map(run_forked_job, [None])
    process = context.Process(target=run_forked_job, args=(None,))
    process.start()  # not a daemon: it starts helpers of its own, and ends them as it ends
    process.join()
    assert process.exitcode == 0
    np.testing.assert_array_equal(replay._values, values)
    np.testing.assert_array_equal(forked, execute(program, {binding.name: xs[1:]}).outputs[output.name])
    np.testing.assert_array_equal(replay.run({binding.name: xs[:1]})[output.name], first)


FORKED = {}  # what a forked process runs (it has it by the fork: a replay does not pickle)


def run_forked_job(_):
    replay, inputs, name = FORKED["job"]
    return replay.run(inputs)[name]
