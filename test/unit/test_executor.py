"""The reference executor runs a hand-written RCB program (one convolution on one tile) to the
PyTorch result, and every mutation of its schedule fails or changes the answer."""

import dataclasses

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rcbc.bytecode.program import (
    Barrier, ConfigureTile, DataEntry, DmaLock, DmaStart, DType, End, IoBinding, IoDirection, Launch, Lock,
    Pattern, Program, Side, Tile, WriteParams,
)
from rcbc.kernels import library
from rcbc.kernels.library import ConvFlags
from rcbc.runtime import executor
from rcbc.runtime.executor import ExecutionError, execute
from rcbc.runtime.timing import HOST_ROUND_TRIP_SECONDS

SHIM, CORE = Tile(2, 0), Tile(2, 3)
# Tile memory: stack below 1024, then parameter block, input, weights, bias, output.
PARAMS, IN, W, BIAS, OUT = 1024, 2048, 3072, 3584, 4096
# DDR: data image (weights, bias, parameter block) then input and output.
DDR_W, DDR_BIAS, DDR_PARAMS, DDR_X, DDR_Y = 0, 512, 576, 1024, 2048

rng = np.random.default_rng(0)
x = rng.standard_normal((1, 3, 8, 8), dtype=np.float32)
w = rng.standard_normal((4, 3, 3, 3), dtype=np.float32)
b = rng.standard_normal(4, dtype=np.float32)


def params_block():
    return library.pack(
        "conv2d", dtype=0, in_addr=IN, in_c=3, in_h=8, in_w=8, in_y0=0, in_x0=0, w_addr=W,
        bias_addr=BIAS, out_addr=OUT, out_c=4, out_h=8, out_w=8, out_y0=0, out_x0=0, kh=3, kw=3,
        stride_h=1, stride_w=1, dil_h=1, dil_w=1, pad_top=1, pad_left=1, image_h=8, image_w=8,
        flags=int(ConvFlags.BIAS | ConvFlags.FINALIZE), res_addr=0, activation=1, act_min=0.0,
        act_max=0.0,
    )


def move(src_offset, dst_offset, nbytes, channel, to_core=True, **locks):
    src, dst = (SHIM, CORE) if to_core else (CORE, SHIM)
    return DmaStart(
        src=src, src_channel=channel, src_offset=src_offset, src_pattern=Pattern.contiguous(nbytes),
        dst=dst, dst_channel=channel, dst_offset=dst_offset, dst_pattern=Pattern.contiguous(nbytes),
        **locks,
    )


def host_dispatched(**replace):
    """The convolution as two dispatches from the host: a barrier before the output's transfer,
    the program marked host-dispatched."""
    return dataclasses.replace(program(barrier=Barrier(), **replace), host_dispatch=True)


def program(**replace):
    records = {
        "configure": ConfigureTile(CORE),
        "params": WriteParams(CORE, PARAMS, "conv.params"),
        "input": move(DDR_X, IN, x.nbytes, 0, releases=(DmaLock(Side.DST, 0, 1),)),
        "weights": move(DDR_W, W, w.nbytes, 1, releases=(DmaLock(Side.DST, 1, 1),)),
        "bias": move(DDR_BIAS, BIAS, b.nbytes, 1, releases=(DmaLock(Side.DST, 2, 1),)),
        "launch": Launch(CORE, kernel=1, params=PARAMS, acquires=(Lock(0, 1), Lock(1, 1), Lock(2, 1)),
                         releases=(Lock(3, 1),)),
        "barrier": None,
        "output": move(OUT, DDR_Y, 4 * 8 * 8 * 4, 0, to_core=False, acquires=(DmaLock(Side.SRC, 3, 1),)),
        "end": End(),
    }
    records.update(replace)
    return Program(
        "aie-ml",
        ddr_size=4096,
        records=tuple(r for r in records.values() if r is not None),
        data=(
            DataEntry("conv.weight", DDR_W, DType.F32, w.shape, w.tobytes()),
            DataEntry("conv.bias", DDR_BIAS, DType.F32, b.shape, b.tobytes()),
            DataEntry("conv.params", DDR_PARAMS, DType.I32, (len(params_block()) // 4,), params_block()),
        ),
        io=(
            IoBinding("x", IoDirection.INPUT, DType.F32, (1, 3, 8, 8), DDR_X),
            IoBinding("y", IoDirection.OUTPUT, DType.F32, (1, 4, 8, 8), DDR_Y),
        ),
    )


def expected():
    return F.relu(F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), padding=1)).numpy()


def test_a_hand_written_convolution_matches_pytorch():
    result = execute(program(), {"x": x})
    np.testing.assert_allclose(result.outputs["y"], expected(), rtol=1e-5, atol=1e-5)
    assert result.bytes_moved == {"ddr": x.nbytes + w.nbytes + b.nbytes + 1024, "memtile": 0, "tile": 0}
    assert result.cycles > 0 and result.seconds == result.cycles / 1.25e9


def test_dropping_a_release_is_a_deadlock():
    broken = program(input=move(DDR_X, IN, x.nbytes, 0))
    with pytest.raises(ExecutionError, match=r"core \(2,3\): record 5 \(launch conv2d\) waits for acquire of lock 0 of \(2,3\)"):
        execute(broken, {"x": x})


def test_dropping_an_acquire_is_a_race():
    launch = program().records[5]
    broken = program(launch=dataclasses.replace(launch, acquires=launch.acquires[1:]))
    with pytest.raises(ExecutionError, match=r"record 5 reads bytes \[2048,2816\) of tile \(2,3\) concurrently with record 2, which writes them"):
        execute(broken, {"x": x})


def test_shifting_a_dma_offset_reads_undefined_ddr():
    broken = program(input=move(DDR_X + 4, IN, x.nbytes, 0, releases=(DmaLock(Side.DST, 0, 1),)))
    with pytest.raises(ExecutionError, match=r"record 2 reads bytes \[1792,1796\) of DDR, which nothing wrote before"):
        execute(broken, {"x": x})


def test_a_wrong_stride_changes_the_answer():
    # A channel stride of 0 instead of 256 feeds channel 0 three times: a valid program whose
    # answer differs, which the comparison with PyTorch catches.
    one_channel_thrice = dataclasses.replace(
        program().records[2], src_pattern=Pattern((3, 256), (0, 1)))
    got = execute(program(input=one_channel_thrice), {"x": x}).outputs["y"]
    assert not np.allclose(got, expected(), atol=1e-3)


def test_a_kernel_outside_its_tile_memory_is_an_error():
    broken = program(launch=dataclasses.replace(program().records[5], params=65536 - 8))
    with pytest.raises(ExecutionError, match=r"record 5 accesses bytes \[65528,65648\) outside tile \(2,3\) of 65536 bytes"):
        execute(broken, {"x": x})


def test_inputs_are_checked_by_name_and_shape():
    with pytest.raises(ExecutionError, match=r"missing input 'x' of shape \[1, 3, 8, 8\]"):
        execute(program(), {})
    with pytest.raises(ExecutionError, match=r"input 'x' has shape \[3, 8, 8\]; the program takes \[1, 3, 8, 8\], or a batch of them, \[N, 3, 8, 8\]"):
        execute(program(), {"x": x[0]})
    two_images = dataclasses.replace(program(), io=(dataclasses.replace(program().io[0], shape=(2, 3, 8, 8)),))
    with pytest.raises(ExecutionError, match=r"input 'x' has shape \[3, 8, 8\]; the program takes \[2, 3, 8, 8\], or a batch of them, \[N x 2, 3, 8, 8\]"):
        execute(two_images, {"x": x[0]})
    two_inputs = dataclasses.replace(
        program(), io=program().io + (IoBinding("z", IoDirection.INPUT, DType.F32, (1, 4), 3072),))
    with pytest.raises(ExecutionError, match=r"the inputs hold different numbers of runs: \[2, 3\]"):
        execute(two_inputs, {"x": np.concatenate([x, x]), "z": np.zeros((3, 4), np.float32)})


def test_a_batch_runs_at_once_and_each_run_is_the_run_alone():
    xs = rng.standard_normal((3, 3, 8, 8), dtype=np.float32)
    batch = execute(program(), {"x": xs})
    assert batch.runs == 3 and batch.outputs["y"].shape == (3, 4, 8, 8)
    for i in range(3):
        alone = execute(program(), {"x": xs[i : i + 1]})
        assert alone.cycles == batch.cycles and alone.bytes_moved == batch.bytes_moved
        np.testing.assert_array_equal(batch.outputs["y"][i : i + 1], alone.outputs["y"])


def test_a_batch_larger_than_runs_at_once_runs_in_groups(monkeypatch):
    monkeypatch.setattr(executor, "RUNS_AT_ONCE", 2)
    xs = rng.standard_normal((5, 3, 8, 8), dtype=np.float32)
    batch = execute(program(), {"x": xs})
    assert batch.runs == 5 and batch.outputs["y"].shape == (5, 4, 8, 8)
    alone = [execute(program(), {"x": xs[i : i + 1]}) for i in range(5)]
    assert {r.cycles for r in alone} == {batch.cycles}
    np.testing.assert_array_equal(batch.outputs["y"], np.concatenate([r.outputs["y"] for r in alone]))


def test_a_scalar_output_of_a_batch_has_a_value_per_run():
    scalar = IoBinding("y0", IoDirection.OUTPUT, DType.F32, (), DDR_Y)  # the first value of y
    first_value = dataclasses.replace(program(), io=program().io[:1] + (scalar,))
    xs = rng.standard_normal((2, 3, 8, 8), dtype=np.float32)
    batch = execute(first_value, {"x": xs}).outputs["y0"]
    assert batch.shape == (2,) and execute(first_value, {"x": xs[:1]}).outputs["y0"].shape == ()
    np.testing.assert_array_equal(batch, [execute(program(), {"x": xs[i : i + 1]}).outputs["y"].flat[0] for i in range(2)])


def test_a_timing_only_batch_finds_an_output_nothing_wrote_as_one_run_does():
    for runs in (1, 2):
        with pytest.raises(ExecutionError, match=r"^output 'y': .*\[2048,3072\) of DDR, which nothing wrote before"):
            execute(program(output=None), {"x": np.concatenate([x] * runs)}, numerics=False)


def test_a_parameter_block_computed_from_the_input_cannot_run_as_a_batch():
    size = len(params_block())
    from_input = DmaStart(
        src=SHIM, src_channel=1, src_offset=DDR_X, src_pattern=Pattern.contiguous(size),
        dst=CORE, dst_channel=1, dst_offset=PARAMS, dst_pattern=Pattern.contiguous(size),
        releases=(DmaLock(Side.DST, 4, 1),),
    )
    launch = program().records[5]
    broken = program(params=from_input, launch=dataclasses.replace(launch, acquires=launch.acquires + (Lock(4, 1),)))
    xs = rng.standard_normal((2, 3, 8, 8), dtype=np.float32)
    with pytest.raises(ExecutionError, match=r"record 5 \(launch conv2d on \(2,3\)\): its parameter block \[1024,1144\) differs between runs 0 and 1 of the batch: its bytes depend on the input; run the inputs one at a time"):
        execute(broken, {"x": xs})


def test_a_tile_used_before_it_is_configured_is_an_error():
    with pytest.raises(ExecutionError, match=r"record 0 uses tile \(2,3\), which no configure_tile claimed"):
        execute(program(configure=None), {"x": x})


def test_a_timing_only_run_has_the_full_runs_timing_and_no_outputs():
    full = execute(program(), {"x": x}, timeline=True)
    timing = execute(program(), {"x": x}, timeline=True, numerics=False)
    assert (timing.cycles, timing.timeline, timing.bytes_moved, timing.macs, timing.queue_busy_cycles) == (
        full.cycles, full.timeline, full.bytes_moved, full.macs, full.queue_busy_cycles)
    assert timing.outputs == {} and not timing.numerics and full.numerics


@pytest.mark.parametrize("mutation, message", [
    (dict(input=move(DDR_X, IN, x.nbytes, 0)), r"record 5 \(launch conv2d\) waits for acquire of lock 0"),
    (dict(input=move(DDR_X + 4, IN, x.nbytes, 0, releases=(DmaLock(Side.DST, 0, 1),))),
     r"record 2 reads bytes \[1792,1796\) of DDR, which nothing wrote before"),
    (dict(configure=None), r"record 0 uses tile \(2,3\), which no configure_tile claimed"),
])
def test_a_timing_only_run_rejects_what_a_full_run_rejects(mutation, message):
    for numerics in (True, False):
        with pytest.raises(ExecutionError, match=message):
            execute(program(**mutation), {"x": x}, numerics=numerics)


def test_a_timing_only_run_finds_a_kernels_race():
    launch = program().records[5]
    broken = program(launch=dataclasses.replace(launch, acquires=launch.acquires[1:]))
    with pytest.raises(ExecutionError, match=r"record 5 reads bytes \[2048,2816\) of tile \(2,3\) concurrently with record 2, which writes them"):
        execute(broken, {"x": x}, numerics=False)


def test_a_timing_only_run_refuses_a_parameter_block_it_did_not_write():
    # The parameter block comes by DMA instead of write_params: its bytes are not computed.
    by_dma = move(DDR_PARAMS, PARAMS, len(params_block()), 0, releases=(DmaLock(Side.DST, 4, 1),))
    launch = dataclasses.replace(program().records[5], acquires=program().records[5].acquires + (Lock(4, 1),))
    p = program(params=by_dma, launch=launch)
    np.testing.assert_allclose(execute(p, {"x": x}).outputs["y"], expected(), rtol=1e-5, atol=1e-5)
    with pytest.raises(ExecutionError, match=r"record 5 \(launch on \(2,3\)\): its parameter block \[1024,1144\) was written by record 1, not by write_params"):
        execute(p, {"x": x}, numerics=False)


def test_a_host_dispatched_program_pays_a_host_round_trip_per_barrier_and_at_the_end():
    device = execute(dataclasses.replace(host_dispatched(), host_dispatch=False), {"x": x}, timeline=True)
    host = execute(host_dispatched(), {"x": x}, timeline=True)
    round_trip = HOST_ROUND_TRIP_SECONDS * 1.25e9  # aie-ml's clock
    assert host.cycles == pytest.approx(device.cycles + 2 * round_trip)
    np.testing.assert_array_equal(host.outputs["y"], device.outputs["y"])
    trips = [(s.record, s.end - s.start) for s in host.timeline if s.host]
    assert trips == [(6, pytest.approx(round_trip)), (8, pytest.approx(round_trip))]
    assert not any(s.host for s in device.timeline)
