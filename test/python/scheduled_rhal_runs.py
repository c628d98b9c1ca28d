# RUN: %PYTHON %s | FileCheck %s
"""Hand-scheduled rhal programs, through convert-rhal-to-rcb and the emitter, compute what numpy
and PyTorch compute when the reference executor runs their bytes.

Each program is written as a scheduler would leave it (tiles, allocated buffers, locks, DMAs with
channels and patterns, kernels with final parameter blocks, waits), the DDR laid out as
``rhal-allocate`` does: constants from 0, room for the parameter blocks
(`parameter_image_size`), then I/O. The bytes are decoded again before they run, so the
executor sees only the file, as an engine would.
"""

import gc
import tempfile
from pathlib import Path

import numpy as np
import torch

from rcbc import pipeline
from rcbc.bytecode import decode
from rcbc.bytecode.from_ir import emit, find_program, weight_store
from rcbc.context import make_context
from rcbc.frontend.weights import WeightStore
from rcbc.kernels import library
from rcbc.mlir import ir
from rcbc.lowering.data_image import align, parameter_image_size
from rcbc.runtime.executor import ExecutionError, execute

TARGET = '#rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>'
BUFFER, LOCK = "!rhal.buffer_ref", "!rhal.lock_ref"


def run(f):
    print("\nTEST:", f.__name__)
    f()
    gc.collect()
    return f


def words(kernel: str, **fields) -> list[int]:
    """A parameter block as the int32 words of `rhal.kernel`'s `params`."""
    return np.frombuffer(library.pack(kernel, **fields), "<i4").tolist()


def array(values) -> str:
    return ", ".join(map(str, values))


def i64s(values) -> str:
    """``array<i64: ...>``, or ``array<i64>`` when empty."""
    values = list(values)
    return f"array<i64: {array(values)}>" if values else "array<i64>"


class Schedule:
    """The text of a scheduled @main, op by op."""

    def __init__(self):
        self.lines = [
            '%shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref',
            '%core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref',
        ]

    def ddr(self, name, role, size, address, shape=None):
        extra = f', rcbc.shape = array<i64: {array(shape)}>, rcbc.dtype = "f32"' if shape else ""
        self.lines.append(
            f'%{name} = "rhal.ddr_buffer"() {{sym_name = "{name}", role = "{role}", '
            f"size = {size}, address = {address}{extra}}} : () -> !rhal.buffer_ref"
        )

    def buffer(self, name, size, address):
        self.lines.append(
            f'%{name} = "rhal.buffer"(%core) {{sym_name = "{name}", size = {size}, '
            f"address = {address}}} : (!rhal.tile_ref) -> !rhal.buffer_ref"
        )

    def lock(self, name, id):
        self.lines.append(
            f'%{name} = "rhal.lock"(%core) {{id = {id}, init = 0}} : (!rhal.tile_ref) -> !rhal.lock_ref'
        )

    def dma(self, src, dst, inbound, pattern, nbytes, acquires=(), releases=()):
        """A transfer between DDR and the core, `pattern` (offset, sizes, strides) on the DDR
        side, the tile side contiguous; lock uses are (lock, value) pairs."""
        ports = ("%shim", "%core") if inbound else ("%core", "%shim")
        offset, sizes, strides = pattern
        ddr = f"#rhal.pattern<{offset}, array<i64: {array(sizes)}>, array<i64: {array(strides)}>>"
        tile = f"#rhal.pattern<0, array<i64: {nbytes}>, array<i64: 1>>"
        src_pattern, dst_pattern = (ddr, tile) if inbound else (tile, ddr)
        locks = [lock for lock, _ in (*acquires, *releases)]
        operands = ", ".join([f"%{src}", f"%{dst}", *ports, *(f"%{lock}" for lock in locks)])
        types = ", ".join(["!rhal.buffer_ref"] * 2 + ["!rhal.tile_ref"] * 2 + [LOCK] * len(locks))
        self.lines.append(
            f'"rhal.dma"({operands}) {{src_channel = 0, dst_channel = 0, '
            f"src_pattern = {src_pattern}, dst_pattern = {dst_pattern}, "
            f"acquire_values = {i64s(v for _, v in acquires)}, "
            f"release_values = {i64s(v for _, v in releases)}, "
            f"operandSegmentSizes = array<i32: 1, 1, 1, 1, {len(acquires)}, {len(releases)}>}} "
            f": ({types}) -> ()"
        )

    def kernel(self, kernel, bindings, params, acquires=(), releases=()):
        locks = [lock for lock, _ in (*acquires, *releases)]
        operands = ", ".join(["%core", *(f"%{b}" for _, b in bindings), *(f"%{l}" for l in locks)])
        types = ", ".join(["!rhal.tile_ref"] + [BUFFER] * len(bindings) + [LOCK] * len(locks))
        names = ", ".join(f'"{field}"' for field, _ in bindings)
        self.lines.append(
            f'"rhal.kernel"({operands}) {{kernel = "{kernel}", bindings = [{names}], '
            f"params = array<i32: {array(params)}>, "
            f"acquire_values = {i64s(v for _, v in acquires)}, "
            f"release_values = {i64s(v for _, v in releases)}, "
            f"operandSegmentSizes = array<i32: 1, {len(bindings)}, {len(acquires)}, "
            f"{len(releases)}>}} "
            f": ({types}) -> ()"
        )

    def module(self, store: str = "") -> str:
        attributes = f'rcbc.weight_store = "{store}", ' if store else ""
        body = "\n    ".join([*self.lines, "func.return"])
        return (
            f"module attributes {{{attributes}rhal.target = {TARGET}}} {{\n"
            f"  func.func @main() {{\n    {body}\n  }}\n}}\n"
        )


def compile_and_run(text: str, directory: Path, inputs: dict[str, np.ndarray]):
    """convert-rhal-to-rcb, emission, decoding and execution; the result and the file size."""
    with make_context() as context:
        module = ir.Module.parse(text)
        spec = pipeline.resolve(pipeline.parse_pipeline("builtin.module(convert-rhal-to-rcb)"))
        spec.build(context).run(module.operation)
        _, data = emit(find_program(module), weight_store(module, directory))
    return execute(decode(data), inputs), len(data)


# CHECK-LABEL: TEST: testGlobalAvgPoolOnOneTile
def global_avgpool(synchronized: bool):
    """The kernel waits for its input by a lock; without the lock the executor rejects the
    program, naming the race."""
    c, h, w = 16, 8, 8
    s = Schedule()
    params = words(
        "global_avgpool", dtype=0, in_addr=1024, channels=c, height=h, width=w, out_addr=5120
    )
    image = align(parameter_image_size([params]))  # no constants: the parameter block alone
    s.ddr("x", "input", 4 * c * h * w, image, [1, c, h, w])
    s.ddr("y", "output", 4 * c, image + 4 * c * h * w, [1, c, 1, 1])
    s.buffer("a", 4 * c * h * w, 1024)
    s.buffer("b", 4 * c, 5120)
    s.buffer("p", 4 * len(params), 5184)
    s.lock("full", 0)
    s.lock("done", 1)
    s.dma("x", "a", True, (0, [4 * c * h * w], [1]), 4 * c * h * w, releases=[("full", 1)])
    s.kernel(
        "global_avgpool", [("params", "p"), ("in_addr", "a"), ("out_addr", "b")], params,
        acquires=[("full", 1)] if synchronized else [], releases=[("done", 1)],
    )
    s.dma("b", "y", False, (0, [4 * c], [1]), 4 * c, acquires=[("done", 1)])
    s.lines.append('"rhal.wait"(%shim) {direction = "s2mm", channel = 0} : (!rhal.tile_ref) -> ()')

    x = np.random.default_rng(0).standard_normal((1, c, h, w), dtype=np.float32)
    with tempfile.TemporaryDirectory() as directory:
        try:
            result, size = compile_and_run(s.module(), Path(directory), {"x": x})
        except ExecutionError as e:
            # CHECK: without the lock: record 4 reads bytes [1024,5120) of tile (2,3) concurrently with record 2, which writes them
            print("without the lock:", str(e).splitlines()[0])
            return
    y = result.outputs["y"]
    # CHECK: y (1, 16, 1, 1) max abs diff < 1e-6: True
    error = np.abs(y - x.mean(axis=(2, 3), keepdims=True)).max()
    print("y", y.shape, "max abs diff < 1e-6:", bool(error < 1e-6))
    # CHECK: file 792 bytes, modeled cycles > 0: True
    print("file", size, "bytes, modeled cycles > 0:", result.cycles > 0)


@run
def testGlobalAvgPoolOnOneTile():
    for synchronized in (False, True):
        global_avgpool(synchronized)


# CHECK-LABEL: TEST: testConvInTwoRowBlocks
@run
def testConvInTwoRowBlocks():
    """A 3x3 convolution (padding 1, bias, ReLU) of a 4x8x8 input into 8 channels, in two blocks
    of 4 output rows on one tile: weights and bias from the weight store, each block with its
    own input window (rows clipped to the image), output block and parameter block, locks
    between every transfer and kernel."""
    cin, cout, h, w = 4, 8, 8, 8
    rng = np.random.default_rng(1)
    weight = rng.standard_normal((cout, cin, 3, 3), dtype=np.float32)
    bias = rng.standard_normal(cout, dtype=np.float32)
    x = rng.standard_normal((1, cin, h, w), dtype=np.float32)
    rows = 4  # output rows per block
    windows = [(0, 5), (3, 5)]  # input rows (y0, count) each block needs, clipped to the image
    window_bytes = 4 * cin * 5 * w
    out_bytes = 4 * cout * rows * w

    s = Schedule()
    # Tile memory above the 1024-byte stack: two input windows, weights, bias, two output
    # blocks, two parameter blocks.
    tile = {"in0": 1024, "in1": 1024 + window_bytes}
    tile["w"] = tile["in1"] + window_bytes
    tile["bias"] = tile["w"] + weight.nbytes
    tile["out0"] = tile["bias"] + bias.nbytes
    tile["out1"] = tile["out0"] + out_bytes
    tile["p0"] = tile["out1"] + out_bytes
    tile["p1"] = tile["p0"] + 4 * len(library.by_name("conv2d").fields)
    blocks = []
    for block, (y0, count) in enumerate(windows):
        blocks.append(words(
            "conv2d", dtype=0, in_addr=tile[f"in{block}"], in_c=cin, in_h=count, in_w=w, in_y0=y0,
            in_x0=0, w_addr=tile["w"], bias_addr=tile["bias"], out_addr=tile[f"out{block}"],
            out_c=cout, out_h=rows, out_w=w, out_y0=rows * block, out_x0=0, kh=3, kw=3,
            stride_h=1, stride_w=1, dil_h=1, dil_w=1, pad_top=1, pad_left=1, image_h=h,
            image_w=w, flags=library.ConvFlags.BIAS | library.ConvFlags.FINALIZE, res_addr=0,
            activation=library.Activation.RELU, act_min=0.0, act_max=0.0,
        ))
    # DDR as rhal-allocate lays it out: constants, the parameter blocks' room, then I/O.
    constants_end = weight.nbytes + bias.nbytes  # 1152 + 32; both 64-aligned
    x_at = align(constants_end + parameter_image_size(blocks))
    s.ddr("conv.weight", "constant", weight.nbytes, 0)
    s.ddr("conv.bias", "constant", bias.nbytes, weight.nbytes)
    s.ddr("x", "input", x.nbytes, x_at, list(x.shape))
    s.ddr("y", "output", 4 * cout * h * w, x_at + x.nbytes, [1, cout, h, w])
    for name in tile:
        size = {"w": weight.nbytes, "bias": bias.nbytes, "out0": out_bytes, "out1": out_bytes,
                "p0": 120, "p1": 120}.get(name, window_bytes)
        s.buffer(name, size, tile[name])
    locks = ["weights", "biases", "in_full0", "in_full1", "out_full0", "out_full1"]
    for id, name in enumerate(locks):
        s.lock(name, id)
    # each kernel takes one of the two units the weights' and the bias' transfers release
    s.dma("conv.weight", "w", True, (0, [weight.nbytes], [1]), weight.nbytes, [], [("weights", 2)])
    s.dma("conv.bias", "bias", True, (0, [bias.nbytes], [1]), bias.nbytes, [], [("biases", 2)])
    for block, (y0, count) in enumerate(windows):
        # channel c, rows y0 .. y0 + count of x: 4 runs of count * 32 bytes, 256 bytes apart
        window = (4 * y0 * w, [cin, 4 * count * w], [4 * h * w, 1])
        s.dma("x", f"in{block}", True, window, window_bytes, releases=[(f"in_full{block}", 1)])
    for block in range(2):
        s.kernel(
            "conv2d",
            [("params", f"p{block}"), ("in_addr", f"in{block}"), ("w_addr", "w"),
             ("bias_addr", "bias"), ("out_addr", f"out{block}")],
            blocks[block],
            acquires=[("weights", 1), ("biases", 1), (f"in_full{block}", 1)],
            releases=[(f"out_full{block}", 1)],
        )
    for block in range(2):
        rows_out = (4 * rows * w * block, [cout, 4 * rows * w], [4 * h * w, 1])
        s.dma(f"out{block}", "y", False, rows_out, out_bytes, acquires=[(f"out_full{block}", 1)])
    s.lines.append('"rhal.barrier"() : () -> ()')

    with tempfile.TemporaryDirectory() as directory:
        store = WeightStore()
        store.add("conv.weight", weight)
        store.add("conv.bias", bias)
        store.save(Path(directory) / "conv.rcbw")
        result, size = compile_and_run(s.module("conv.rcbw"), Path(directory), {"x": x})
    expected = torch.relu(torch.nn.functional.conv2d(
        torch.from_numpy(x), torch.from_numpy(weight), torch.from_numpy(bias), padding=1
    )).numpy()
    y = result.outputs["y"]
    error = np.abs(y - expected).max() / np.abs(expected).max()
    # CHECK: y (1, 8, 8, 8) relative error < 1e-6: True
    print("y", y.shape, "relative error < 1e-6:", bool(error < 1e-6))
    # CHECK: bytes moved: {'ddr': 4512, 'memtile': 0, 'tile': 0}
    print("bytes moved:", result.bytes_moved)
