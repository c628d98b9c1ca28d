"""Conformance of `rcb-run` (the C engine on its host RHAL backend) with the Python executor.

A case is "an RCB file and its inputs". For every case both engines run the file and must agree:

- a file the Python decoder rejects, rcb-run rejects with the same rule id at the same byte
  offset, printed as ``rcb-run: prog.rcb: byte 0x1a4: <rule-id>: <message>``;
- a program the Python executor runs, rcb-run runs to the same outputs (the largest difference is
  at most 1e-5 of the reference's largest magnitude) and the same modeled cycle count;
- a program the executor refuses (deadlock, undefined read, access outside a memory, lock
  overflow, unclaimed tile, broken kernel contract), rcb-run refuses with the same kind of
  message. Data races are the one exception: the host backend does not track happens-before,
  so a racy program may run there to an answer (runtime/README.md says so).

Cases: the valid corpus, every program of test_executor.py, single launches of every kernel
with its flags and activations, a double-buffered pipeline through a memory tile, and any
``*.rcb`` (with its inputs in ``<name>.npz``) under $RCB_CONFORMANCE_DIR — where ResNet-18
programs go once the compiler emits them. The tests skip, saying why, when rcb-run is not
built; `make test` builds it first.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

import test_executor as ex
from rcbc.bytecode import BytecodeError, decode, encode
from rcbc.bytecode.codec import build
from rcbc.bytecode.program import (
    Barrier,
    ConfigureTile,
    DataEntry,
    DmaLock,
    Direction,
    DmaStart,
    DType,
    End,
    IoBinding,
    IoDirection,
    Launch,
    Lock,
    LockAcquire,
    LockRelease,
    Pattern,
    Program,
    Side,
    Tile,
    Wait,
    WaitCore,
    WriteParams,
)
from rcbc.kernels import library
from rcbc.runtime import executor

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "test" / "Bytecode" / "corpus"
RCB_RUN = Path(os.environ.get("RCB_RUN") or ROOT / "build" / "runtime" / "rcb-run")
TOLERANCE = 1e-5

pytestmark = pytest.mark.skipif(
    not RCB_RUN.is_file(),
    reason=f"rcb-run is not built at {RCB_RUN}: run `make test` (or cmake --build build), "
    "or set RCB_RUN",
)

NUMPY = {DType.U8: np.uint8, DType.I8: np.int8, DType.I16: np.int16, DType.I32: np.int32,
         DType.F32: np.float32}


# -- running both engines -------------------------------------------------------------------------


def run_c(path: Path, inputs: dict[str, np.ndarray], outputs: list[str], tmp: Path):
    """rcb-run on `path`: (exit code, stderr, outputs by name, modeled cycles or None)."""
    args = [str(RCB_RUN), str(path), "--stats"]  # the core queue depth is each engine's default
    for name, value in inputs.items():
        np.save(tmp / f"in-{name}.npy", value)
        args += ["--input", f"{name}={tmp / f'in-{name}.npy'}"]
    for name in outputs:
        args += ["--output", f"{name}={tmp / f'out-{name}.npy'}"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    if done.returncode:
        return done.returncode, done.stderr, {}, None
    cycles = float(re.search(r"^modeled cycles: (\S+)$", done.stdout, re.M).group(1))
    return 0, done.stderr, {n: np.load(tmp / f"out-{n}.npy") for n in outputs}, cycles


# What a Python execution error says, and what rcb-run must then say.
FAILURE_KINDS = (
    ("deadlock: nothing is running", "deadlock: nothing is running and nothing can start"),
    ("which nothing wrote before", "which nothing wrote before"),
    ("outside", "outside"),
    ("above its maximum", "above its maximum"),
    ("which no configure_tile claimed", "which no configure_tile claimed"),
    ("missing input", "missing input"),
)


def conform(data: bytes, inputs: dict[str, np.ndarray], tmp: Path) -> str:
    """Run `data` on both engines and check they agree; returns what happened, for messages."""
    path = tmp / "prog.rcb"
    path.write_bytes(data)
    try:
        program = decode(data)
    except BytecodeError as e:
        code, err, _, _ = run_c(path, {}, [], tmp)
        assert code == 1, err
        assert f"rcb-run: {path}: byte 0x{e.offset:x}: {e.rule}: " in err, (str(e), err)
        return f"rejected: {e.rule}"
    outputs = [b.name for b in program.io if b.direction is IoDirection.OUTPUT]
    code, err, got, cycles = run_c(path, inputs, outputs, tmp)
    try:
        result = executor.execute(program, inputs)
    except executor.ExecutionError as e:
        message = str(e)
        if "concurrently with" in message:  # a race: the host backend does not detect them
            return "race (Python only)"
        assert code == 1, f"the Python executor failed ({message}) but rcb-run did not"
        expected = [c for p, c in FAILURE_KINDS if p in message]
        assert not expected or expected[0] in err, (message, err)
        return f"failed alike: {message.splitlines()[0]}"
    assert code == 0, f"rcb-run failed where the Python executor ran: {err}"
    for name, want in result.outputs.items():
        have = got[name]
        assert have.shape == want.shape and have.dtype == want.dtype, name
        scale = float(np.max(np.abs(want.astype(np.float64)))) if want.size else 0.0
        diff = float(np.max(np.abs(have.astype(np.float64) - want.astype(np.float64)))) if want.size else 0.0
        assert diff <= TOLERANCE * max(scale, 1e-30) or diff == 0.0, (name, diff, scale)
    assert math.isclose(cycles, result.cycles, rel_tol=1e-12, abs_tol=1e-9), (cycles, result.cycles)
    return "ran alike"


def any_bytes(program: Program) -> bytes:
    """The program's bytes, valid or not: a program the encoder refuses is written unvalidated,
    so both loaders get to refuse it."""
    try:
        return encode(program)
    except BytecodeError:
        return build(program).to_bytes()


def random_inputs(program: Program, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    inputs = {}
    for b in program.io:
        if b.direction is IoDirection.INPUT:
            dtype = NUMPY[b.dtype]
            if dtype is np.float32:
                inputs[b.name] = rng.standard_normal(b.shape).astype(np.float32)
            else:
                inputs[b.name] = rng.integers(0, 100, b.shape).astype(dtype)
    return inputs


# -- the malformed and valid corpus ---------------------------------------------------------------


def manifest():
    for line in (CORPUS / "manifest.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, rule, offset = line.split()[:3]
            yield name, rule, int(offset, 16)


@pytest.mark.parametrize("name,rule,offset", list(manifest()), ids=lambda v: str(v))
def test_malformed_files_are_rejected_with_the_manifest_rule_and_offset(name, rule, offset):
    done = subprocess.run([str(RCB_RUN), str(CORPUS / name)], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith(f"rcb-run: {CORPUS / name}: byte 0x{offset:x}: {rule}: "), done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("path", sorted(CORPUS.glob("valid/*.rcb")), ids=lambda p: p.stem)
def test_valid_corpus(path, tmp_path):
    program = decode(path.read_bytes())
    assert conform(path.read_bytes(), random_inputs(program), tmp_path) == "ran alike"


# -- the executor tests' programs -----------------------------------------------------------------


def executor_cases():
    launch = ex.program().records[5]
    return {
        "convolution": ex.program(),
        "dropped release": ex.program(input=ex.move(ex.DDR_X, ex.IN, ex.x.nbytes, 0)),
        "dropped acquire": ex.program(launch=Launch(launch.tile, launch.kernel, launch.params,
                                                    launch.acquires[1:], launch.releases)),
        "shifted offset": ex.program(input=ex.move(ex.DDR_X + 4, ex.IN, ex.x.nbytes, 0,
                                                   releases=(DmaLock(Side.DST, 0, 1),))),
        "wrong stride": ex.program(input=DmaStart(
            src=ex.SHIM, src_channel=0, src_offset=ex.DDR_X, src_pattern=Pattern((3, 256), (0, 1)),
            dst=ex.CORE, dst_channel=0, dst_offset=ex.IN, dst_pattern=Pattern.contiguous(768),
            releases=(DmaLock(Side.DST, 0, 1),))),
        "kernel outside memory": ex.program(launch=Launch(launch.tile, launch.kernel, 65536 - 8,
                                                          launch.acquires, launch.releases)),
        "unconfigured tile": ex.program(configure=None),
        "host-dispatched": ex.host_dispatched(),
    }


EXPECTED = {
    "convolution": "ran alike",
    "dropped release": "failed alike: deadlock: nothing is running and nothing can start",
    "dropped acquire": "race (Python only)",
    "shifted offset": "failed alike",
    "wrong stride": "ran alike",
    "kernel outside memory": "rejected: params-out-of-bounds",
    "unconfigured tile": "failed alike",
    "host-dispatched": "ran alike",
}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_executor_programs(case, tmp_path):
    outcome = conform(any_bytes(executor_cases()[case]), {"x": ex.x}, tmp_path)
    assert outcome.startswith(EXPECTED[case]), outcome


def test_a_missing_input_is_refused_alike(tmp_path):
    assert conform(encode(ex.program()), {}, tmp_path).startswith("failed alike: missing input 'x'")


# -- every kernel, one launch at a time -----------------------------------------------------------

SHIM, CORE = Tile(2, 0), Tile(2, 3)


def launch_program(kernel: str, fields: dict, arrays: dict[str, np.ndarray], out: str,
                   out_shape: tuple[int, ...], x: str) -> Program:
    """One launch of `kernel` on tile (2,3). Every array of `arrays` (by the address field it
    fills) is moved from DDR into the tile; `x` names the one that is the program's input, the
    others travel in the data image. The launch waits for all of them (each DMA adds 1 to lock
    0, the launch takes them all at once), then its output block
    (field `out`, which may also be an input: ACCUMULATE) goes back to DDR as output `y`."""
    tile_at, ddr_at = 2048, 0
    addresses, data, moves = {}, [], []
    for i, (field, array) in enumerate(arrays.items()):
        addresses[field] = tile_at
        tile_at += -(-array.nbytes // 64) * 64
        if field == x:
            continue
        data.append(DataEntry(f"{field}", ddr_at, DType.F32, array.shape, array.astype(np.float32).tobytes()))
        ddr_at += -(-array.nbytes // 64) * 64
    if out not in addresses:
        addresses[out] = tile_at
    params = library.pack(kernel, **fields, **addresses)
    data.append(DataEntry("params", ddr_at, DType.U8, (len(params),), params))
    ddr_at += -(-len(params) // 64) * 64
    x_at = ddr_at
    ddr_at += -(-arrays[x].nbytes // 64) * 64
    y_at = ddr_at
    y_bytes = 4 * math.prod(out_shape)
    ddr_at += -(-y_bytes // 64) * 64
    entries = {e.name: e for e in data}
    for i, (field, array) in enumerate(arrays.items()):
        src = x_at if field == x else entries[field].offset
        moves.append(DmaStart(
            src=SHIM, src_channel=0, src_offset=src, src_pattern=Pattern.contiguous(array.nbytes),
            dst=CORE, dst_channel=i % 2, dst_offset=addresses[field],
            dst_pattern=Pattern.contiguous(array.nbytes), releases=(DmaLock(Side.DST, 0, 1),)))
    records = (
        ConfigureTile(CORE),
        WriteParams(CORE, 1024, "params"),
        *moves,
        Launch(CORE, library.by_name(kernel).id, 1024,
               acquires=(Lock(0, len(arrays)),), releases=(Lock(15, 1),)),
        DmaStart(src=CORE, src_channel=0, src_offset=addresses[out], src_pattern=Pattern.contiguous(y_bytes),
                 dst=SHIM, dst_channel=0, dst_offset=y_at, dst_pattern=Pattern.contiguous(y_bytes),
                 acquires=(DmaLock(Side.SRC, 15, 1),)),
        End(),
    )
    io = (IoBinding("x", IoDirection.INPUT, DType.F32, arrays[x].shape, x_at),
          IoBinding("y", IoDirection.OUTPUT, DType.F32, out_shape, y_at))
    return Program("aie-ml", ddr_size=ddr_at + 4096, records=records, data=tuple(data), io=io)


rng = np.random.default_rng(7)


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def conv_case(depthwise=False, cin=3, cout=4, h=9, w=7, k=3, stride=1, pad=1, dil=1, flags=6,
              activation=1, act=(0.0, 0.0), window=None, out_block=None):
    """A conv2d or depthwise_conv2d launch over a whole image or a window of it."""
    oh = (h + 2 * pad - dil * (k - 1) - 1) // stride + 1
    ow = (w + 2 * pad - dil * (k - 1) - 1) // stride + 1
    oy0, oh = out_block or (0, oh)
    y0, rows = window or library.input_span(oy0, oh, k, stride, dil, pad, h)
    rows = rows - y0 if window is None else rows
    cin = cout if depthwise else cin
    arrays = {"in_addr": f32(cin, rows, w), "w_addr": f32(cout, 1 if depthwise else cin, k, k),
              "bias_addr": f32(cout), "res_addr": f32(cout, oh, ow)}
    if flags & 1:
        arrays["out_addr"] = f32(cout, oh, ow)
    fields = dict(dtype=0, in_c=cin, in_h=rows, in_w=w, in_y0=y0, in_x0=0, out_c=cout, out_h=oh,
                  out_w=ow, out_y0=oy0, out_x0=0, kh=k, kw=k, stride_h=stride, stride_w=stride,
                  dil_h=dil, dil_w=dil, pad_top=pad, pad_left=pad, image_h=h, image_w=w,
                  flags=flags, activation=activation, act_min=act[0], act_max=act[1])
    name = "depthwise_conv2d" if depthwise else "conv2d"
    return launch_program(name, fields, arrays, "out_addr", (cout, oh, ow), "in_addr")


def pool_case(mode, k=3, stride=2, pad=1, c=3, h=9, w=8):
    oh = (h + 2 * pad - k) // stride + 1
    ow = (w + 2 * pad - k) // stride + 1
    fields = dict(dtype=0, in_c=c, in_h=h, in_w=w, in_y0=0, in_x0=0, out_c=c, out_h=oh, out_w=ow,
                  out_y0=0, out_x0=0, kh=k, kw=k, stride_h=stride, stride_w=stride, dil_h=1,
                  dil_w=1, pad_top=pad, pad_left=pad, image_h=h, image_w=w, mode=mode)
    return launch_program("pool2d", fields, {"in_addr": f32(c, h, w)}, "out_addr", (c, oh, ow), "in_addr")


def matmul_case(flags, activation, m=2, k=40, n=10):
    arrays = {"in_addr": f32(m, k), "w_addr": f32(n, k), "bias_addr": f32(n)}
    if flags & 1:
        arrays["out_addr"] = f32(m, n)
    fields = dict(dtype=0, m=m, k=k, n=n, flags=flags, activation=activation, act_min=-0.5, act_max=0.5)
    return launch_program("matmul", fields, arrays, "out_addr", (m, n), "in_addr")


def eltwise_case(op, activation, count=96):
    arrays = {"a_addr": f32(count), "b_addr": f32(count)}
    fields = dict(dtype=0, count=count, op=op, activation=activation, act_min=-1.0, act_max=0.25)
    return launch_program("eltwise", fields, arrays, "out_addr", (count,), "a_addr")


KERNEL_CASES = {
    "conv 3x3 bias relu": lambda: conv_case(),
    "conv 5x5 stride 2 pad 2 no activation": lambda: conv_case(k=5, stride=2, pad=2, flags=6, activation=0),
    "conv dilation 2": lambda: conv_case(dil=2, pad=2, cin=2, cout=3),
    "conv first chunk (no bias, no finalize)": lambda: conv_case(flags=0),
    "conv last chunk: accumulate, residual, relu6": lambda: conv_case(flags=1 | 4 | 8, activation=2, act=(0.0, 6.0)),
    "conv row block of a window": lambda: conv_case(out_block=(2, 2), h=11, stride=2),
    "conv 1x1 stride 2": lambda: conv_case(k=1, pad=0, stride=2, cin=8, cout=5),
    "conv window missing rows": lambda: conv_case(out_block=(2, 3), window=(4, 3)),
    "depthwise 3x3 hardswish": lambda: conv_case(depthwise=True, cout=5, activation=4),
    "depthwise stride 2 sigmoid": lambda: conv_case(depthwise=True, cout=3, stride=2, activation=3),
    "max pool": lambda: pool_case(0),
    "average pool": lambda: pool_case(1),
    "average pool of valid positions": lambda: pool_case(2, k=3, stride=1, pad=1),
    "max pool 2x2": lambda: pool_case(0, k=2, stride=2, pad=0),
    "global average pool": lambda: launch_program(
        "global_avgpool", dict(dtype=0, channels=6, height=5, width=7), {"in_addr": f32(6, 5, 7)},
        "out_addr", (6,), "in_addr"),
    "matmul bias": lambda: matmul_case(2 | 4, 0),
    "matmul accumulate sigmoid": lambda: matmul_case(1 | 4, 3),
    "matmul first chunk clamp ignored": lambda: matmul_case(0, 2),
    "eltwise add relu": lambda: eltwise_case(1, 1),
    "eltwise multiply clamp": lambda: eltwise_case(2, 2),
    "eltwise copy hardswish": lambda: eltwise_case(0, 4),
}


@pytest.mark.parametrize("case", list(KERNEL_CASES))
def test_kernels(case, tmp_path):
    program = KERNEL_CASES[case]()
    outcome = conform(encode(program), random_inputs(program, seed=len(case)), tmp_path)
    expected = "failed alike" if "missing rows" in case else "ran alike"
    assert outcome.startswith(expected), outcome


# -- a pipeline: double buffering through a memory tile, two cores --------------------------------


def pipeline_program(blocks: int = 6, block: int = 64) -> Program:
    """DDR -> memory tile -> two compute tiles in turn, eltwise add of a bias block and ReLU,
    results back to DDR. Memory-tile slots and core buffers are guarded by full/empty lock
    pairs; the controller waits on a queue for the bias and takes a slot credit midway, as
    compiled schedules do.

    Core locks: 0 input full, 1 output full, 2 input empty, 3 output empty. Memory-tile locks:
    0/1 slot full, 2/3 slot empty.
    """
    mem, cores = Tile(2, 1), (Tile(2, 3), Tile(3, 3))
    n = block * 4
    bias = rng.standard_normal(block).astype(np.float32)
    x_at, y_at, bias_at = 1024, 1024 + blocks * n, 0
    data = [DataEntry("bias", bias_at, DType.F32, (block,), bias.tobytes())]
    records = [ConfigureTile(SHIM), ConfigureTile(mem), *(ConfigureTile(c) for c in cores)]
    for c, core in enumerate(cores):
        params = library.pack("eltwise", dtype=0, a_addr=2048, b_addr=4096, out_addr=6144,
                              count=block, op=1, activation=1, act_min=0.0, act_max=0.0)
        data.append(DataEntry(f"params{c}", 512 + 128 * c, DType.U8, (len(params),), params))
        records += [WriteParams(core, 1024, f"params{c}"),
                    DmaStart(src=SHIM, src_channel=1, src_offset=bias_at, src_pattern=Pattern.contiguous(n),
                             dst=core, dst_channel=1, dst_offset=4096, dst_pattern=Pattern.contiguous(n)),
                    Wait(core, Direction.S2MM, 1),
                    LockRelease(core, 2, 1), LockRelease(core, 3, 1)]
    records += [LockRelease(mem, 2, 1), LockRelease(mem, 3, 1)]
    for i in range(blocks):
        slot, core = i % 2, cores[i % 2]
        records += [
            DmaStart(src=SHIM, src_channel=0, src_offset=x_at + i * n, src_pattern=Pattern.contiguous(n),
                     dst=mem, dst_channel=0, dst_offset=slot * n, dst_pattern=Pattern.contiguous(n),
                     acquires=(DmaLock(Side.DST, 2 + slot, 1),), releases=(DmaLock(Side.DST, slot, 1),)),
            DmaStart(src=mem, src_channel=slot, src_offset=slot * n, src_pattern=Pattern((4, block), (block, 1)),
                     dst=core, dst_channel=0, dst_offset=2048, dst_pattern=Pattern.contiguous(n),
                     acquires=(DmaLock(Side.SRC, slot, 1), DmaLock(Side.DST, 2, 1)),
                     releases=(DmaLock(Side.SRC, 2 + slot, 1), DmaLock(Side.DST, 0, 1))),
            Launch(core, 6, 1024, acquires=(Lock(0, 1), Lock(3, 1)), releases=(Lock(2, 1), Lock(1, 1))),
            DmaStart(src=core, src_channel=0, src_offset=6144, src_pattern=Pattern.contiguous(n),
                     dst=SHIM, dst_channel=0, dst_offset=y_at + i * n, dst_pattern=Pattern.contiguous(n),
                     acquires=(DmaLock(Side.SRC, 1, 1),), releases=(DmaLock(Side.SRC, 3, 1),)),
        ]
        if i == 2:
            records += [LockAcquire(mem, 2 + slot, 1), LockRelease(mem, 2 + slot, 1)]
    records += [WaitCore(cores[0]), Wait(SHIM, Direction.S2MM, 0), Barrier(), End()]
    io = (IoBinding("x", IoDirection.INPUT, DType.F32, (blocks, block), x_at),
          IoBinding("y", IoDirection.OUTPUT, DType.F32, (blocks, block), y_at))
    return Program("aie-ml", ddr_size=y_at + blocks * n, records=tuple(records), data=tuple(data), io=io)


def test_a_double_buffered_pipeline(tmp_path):
    program = pipeline_program()
    inputs = random_inputs(program, seed=3)
    assert conform(encode(program), inputs, tmp_path) == "ran alike"


def overlapping_move_program() -> Program:
    """A DMA inside one tile whose destination overlaps its source, 4 bytes up. The Python
    executor calls it a race (the channel reading and the one writing are different agents);
    the host backend runs it, and reads the whole source before overwriting any of it."""
    n = 256
    records = (
        ConfigureTile(CORE),
        DmaStart(src=SHIM, src_channel=0, src_offset=0, src_pattern=Pattern.contiguous(n),
                 dst=CORE, dst_channel=0, dst_offset=2048, dst_pattern=Pattern.contiguous(n),
                 releases=(DmaLock(Side.DST, 0, 1),)),
        DmaStart(src=CORE, src_channel=0, src_offset=2048, src_pattern=Pattern((2, n // 2), (n // 2, 1)),
                 dst=CORE, dst_channel=1, dst_offset=2052, dst_pattern=Pattern.contiguous(n),
                 acquires=(DmaLock(Side.SRC, 0, 1),), releases=(DmaLock(Side.DST, 1, 1),)),
        DmaStart(src=CORE, src_channel=1, src_offset=2052, src_pattern=Pattern.contiguous(n),
                 dst=SHIM, dst_channel=0, dst_offset=n, dst_pattern=Pattern.contiguous(n),
                 acquires=(DmaLock(Side.SRC, 1, 1),)),
        End(),
    )
    io = (IoBinding("x", IoDirection.INPUT, DType.F32, (n // 4,), 0),
          IoBinding("y", IoDirection.OUTPUT, DType.F32, (n // 4,), n))
    return Program("aie-ml", ddr_size=2 * n, records=records, io=io)


def test_a_move_onto_itself_copies(tmp_path):
    program = overlapping_move_program()
    inputs = random_inputs(program, seed=5)
    assert conform(encode(program), inputs, tmp_path) == "race (Python only)"
    code, err, outputs, _ = run_c(tmp_path / "prog.rcb", inputs, ["y"], tmp_path)
    assert code == 0, err
    np.testing.assert_array_equal(outputs["y"], inputs["x"])


def launch_burst_program(launches: int = 12) -> Program:
    """More launches on one core than its queue holds, issued back to back, then a long
    independent DMA into a memory tile: the controller reaches that DMA only once the core queue
    has room for the last launch, so the modeled cycles tell whether both engines give the core
    queue the spec's depth."""
    n = 64 * 4
    params = library.pack("eltwise", dtype=0, a_addr=2048, b_addr=2048, out_addr=4096, count=64,
                          op=1, activation=0, act_min=0.0, act_max=0.0)
    records = [
        ConfigureTile(CORE),
        ConfigureTile(Tile(2, 1)),
        WriteParams(CORE, 1024, "params"),
        DmaStart(src=SHIM, src_channel=0, src_offset=64, src_pattern=Pattern.contiguous(n),
                 dst=CORE, dst_channel=0, dst_offset=2048, dst_pattern=Pattern.contiguous(n)),
        Wait(CORE, Direction.S2MM, 0),
        *(Launch(CORE, 6, 1024) for _ in range(launches)),
        DmaStart(src=SHIM, src_channel=1, src_offset=64, src_pattern=Pattern((256, n), (0, 1)),
                 dst=Tile(2, 1), dst_channel=0, dst_offset=0, dst_pattern=Pattern.contiguous(256 * n)),
        WaitCore(CORE),
        DmaStart(src=CORE, src_channel=0, src_offset=4096, src_pattern=Pattern.contiguous(n),
                 dst=SHIM, dst_channel=0, dst_offset=64 + n, dst_pattern=Pattern.contiguous(n)),
        End(),
    ]
    io = (IoBinding("x", IoDirection.INPUT, DType.F32, (64,), 64),
          IoBinding("y", IoDirection.OUTPUT, DType.F32, (64,), 64 + n))
    data = (DataEntry("params", 0, DType.U8, (len(params),), params),)
    return Program("aie-ml", ddr_size=64 + 2 * n, records=tuple(records), data=data, io=io)


def test_a_burst_of_launches_fills_the_core_queue(tmp_path):
    program = launch_burst_program()
    assert conform(encode(program), random_inputs(program, seed=9), tmp_path) == "ran alike"


# -- programs from elsewhere: ResNet-18 and friends, when the compiler emits them -----------------


def external_cases():
    root = os.environ.get("RCB_CONFORMANCE_DIR")
    return sorted(Path(root).glob("*.rcb")) if root else []


@pytest.mark.parametrize("path", external_cases() or [None], ids=lambda p: p.stem if p else "none")
def test_external_programs(path, tmp_path):
    """`$RCB_CONFORMANCE_DIR/<name>.rcb` with its inputs in `<name>.npz` (arrays by binding name;
    without one, seeded random inputs)."""
    if path is None:
        pytest.skip("no RCB_CONFORMANCE_DIR with *.rcb programs (and their .npz inputs) given")
    data = path.read_bytes()
    npz = path.with_suffix(".npz")
    inputs = dict(np.load(npz)) if npz.exists() else random_inputs(decode(data))
    conform(data, inputs, tmp_path)  # agreement, whether the program runs or fails
