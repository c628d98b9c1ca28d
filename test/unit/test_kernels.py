"""The kernel contract is complete: layers split into blocks, windows and input-channel chunks,
computed launch by launch in a tile's memory, reproduce PyTorch."""

import doctest
import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rcbc.kernels import library, reference
from rcbc.kernels.library import Activation, ConvFlags, EltwiseOp, KernelError, PoolMode


class Tile:
    """A tile memory with a bump allocator, as the executor and the allocator would see it."""

    def __init__(self, size=1 << 20):
        self.mem = np.full(size // 4, np.nan, dtype=np.float32)
        self.top = 0

    def put(self, array):
        addr = self.top
        flat = np.ascontiguousarray(array, dtype=np.float32).ravel()
        self.mem[addr // 4 : addr // 4 + flat.size] = flat
        self.top += 4 * flat.size
        return addr

    def alloc(self, count):
        addr = self.top
        self.top += 4 * count
        return addr

    def read(self, addr, count):
        return self.mem[addr // 4 : addr // 4 + count]

    def write(self, addr, array):
        flat = array.ravel()
        self.mem[addr // 4 : addr // 4 + flat.size] = flat

    def launch(self, name, **fields):
        kernel = library.by_name(name)
        params = library.unpack(kernel.id, library.pack(name, **fields))
        reference.run(kernel.id, params, self.read, self.write)


def blocks(total, size):
    return [(start, min(size, total - start)) for start in range(0, total, size)]


def conv_by_blocks(x, w, b, stride, pad, dil, groups, block, chunk, residual=None, act=Activation.NONE,
                   preload=False):
    """A convolution computed as the lowering will: output blocks, each over input-channel chunks."""
    _, cin, ih, iw = x.shape
    cout, cin_g, kh, kw = w.shape
    oh = (ih + 2 * pad - dil * (kh - 1) - 1) // stride + 1
    ow = (iw + 2 * pad - dil * (kw - 1) - 1) // stride + 1
    out = np.zeros((cout, oh, ow), np.float32)
    depthwise = groups == cin and cin_g == 1 and groups > 1
    cout_g = cout // groups
    for (oc0, ocn), (oy0, oyn), (ox0, oxn) in itertools.product(
        blocks(cout, block[0]), blocks(oh, block[1]), blocks(ow, block[2])
    ):
        y_lo, y_hi = library.input_span(oy0, oyn, kh, stride, dil, pad, ih)
        x_lo, x_hi = library.input_span(ox0, oxn, kw, stride, dil, pad, iw)
        tile = Tile()
        geometry = dict(
            dtype=0, in_h=y_hi - y_lo, in_w=x_hi - x_lo, in_y0=y_lo, in_x0=x_lo,
            out_c=ocn, out_h=oyn, out_w=oxn, out_y0=oy0, out_x0=ox0, kh=kh, kw=kw,
            stride_h=stride, stride_w=stride, dil_h=dil, dil_w=dil, pad_top=pad, pad_left=pad,
            image_h=ih, image_w=iw, activation=int(act), act_min=0.0, act_max=6.0,
        )
        res_block = residual[oc0 : oc0 + ocn, oy0 : oy0 + oyn, ox0 : ox0 + oxn] if residual is not None else None
        # preload: the residual starts the sum in the output block (ACCUMULATE | BIAS first).
        out_addr = tile.put(res_block) if preload else tile.alloc(ocn * oyn * oxn)
        bias_addr = tile.put(b[oc0 : oc0 + ocn])
        res_addr = tile.put(res_block) if res_block is not None and not preload else 0
        residual_flag = ConvFlags.RESIDUAL if res_addr else 0
        if depthwise:
            tile.launch(
                "depthwise_conv2d", **geometry, in_c=ocn,
                in_addr=tile.put(x[0, oc0 : oc0 + ocn, y_lo:y_hi, x_lo:x_hi]),
                w_addr=tile.put(w[oc0 : oc0 + ocn]), bias_addr=bias_addr, out_addr=out_addr,
                flags=ConvFlags.BIAS | ConvFlags.FINALIZE | residual_flag, res_addr=res_addr,
            )
        else:
            assert oc0 // cout_g == (oc0 + ocn - 1) // cout_g, "blocks stay inside one group"
            g0 = (oc0 // cout_g) * cin_g
            chunks = blocks(cin_g, chunk)
            for i, (ic0, icn) in enumerate(chunks):
                flags = ConvFlags.ACCUMULATE if i or preload else 0
                flags |= ConvFlags.BIAS if i == 0 else 0
                if i == len(chunks) - 1:
                    flags |= ConvFlags.FINALIZE | residual_flag
                tile.launch(
                    "conv2d", **geometry, in_c=icn,
                    in_addr=tile.put(x[0, g0 + ic0 : g0 + ic0 + icn, y_lo:y_hi, x_lo:x_hi]),
                    w_addr=tile.put(w[oc0 : oc0 + ocn, ic0 : ic0 + icn]), bias_addr=bias_addr,
                    out_addr=out_addr, flags=int(flags), res_addr=res_addr,
                )
        out[oc0 : oc0 + ocn, oy0 : oy0 + oyn, ox0 : ox0 + oxn] = tile.read(out_addr, ocn * oyn * oxn).reshape(ocn, oyn, oxn)
    return out


@pytest.mark.parametrize(
    "cin, cout, size, k, stride, pad, dil, groups, block, chunk",
    [
        (3, 16, 15, 7, 2, 3, 1, 1, (5, 4, 3), 3),  # conv1-like, odd size, remainder blocks
        (16, 16, 14, 3, 1, 1, 1, 1, (8, 5, 14), 5),  # input-channel chunks with a remainder
        (16, 32, 14, 3, 2, 1, 1, 1, (32, 7, 7), 16),  # strided, whole-channel block
        (8, 8, 9, 3, 1, 2, 2, 1, (3, 4, 4), 8),  # dilation
        (16, 16, 11, 1, 2, 0, 1, 1, (16, 3, 6), 16),  # 1x1 downsample
        (12, 12, 10, 3, 1, 1, 1, 12, (5, 3, 4), 1),  # depthwise
        (8, 12, 10, 3, 1, 1, 1, 4, (3, 10, 10), 2),  # grouped: blocks within each group
    ],
)
def test_conv_blocks_match_torch(cin, cout, size, k, stride, pad, dil, groups, block, chunk):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, cin, size, size), dtype=np.float32)
    w = rng.standard_normal((cout, cin // groups, k, k), dtype=np.float32)
    b = rng.standard_normal(cout, dtype=np.float32)
    expected = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride, pad, dil, groups)[0].numpy()
    got = conv_by_blocks(x, w, b, stride, pad, dil, groups, block, chunk)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("preload", [False, True], ids=["residual-buffer", "residual-preloaded"])
def test_conv_residual_and_relu6_apply_once_on_the_final_chunk(preload):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 8, 8, 8), dtype=np.float32)
    w = rng.standard_normal((8, 8, 3, 3), dtype=np.float32)
    b = rng.standard_normal(8, dtype=np.float32)
    res = rng.standard_normal((8, 8, 8), dtype=np.float32)
    conv = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), 1, 1)[0]
    expected = F.relu6(conv + torch.from_numpy(res)).numpy()
    got = conv_by_blocks(x, w, b, 1, 1, 1, 1, (4, 3, 8), 3, residual=res, act=Activation.CLAMP, preload=preload)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize(
    "mode, k, stride, pad",
    [(PoolMode.MAX, 3, 2, 1), (PoolMode.AVG, 3, 2, 1), (PoolMode.AVG_VALID, 3, 2, 1), (PoolMode.AVG, 2, 2, 0)],
)
def test_pool_blocks_match_torch(mode, k, stride, pad):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, 6, 13, 13), dtype=np.float32)
    t = torch.from_numpy(x)
    if mode is PoolMode.MAX:
        expected = F.max_pool2d(t, k, stride, pad)
    else:
        expected = F.avg_pool2d(t, k, stride, pad, count_include_pad=mode is PoolMode.AVG)
    expected = expected[0].numpy()
    oh = expected.shape[1]
    got = np.zeros_like(expected)
    for (oy0, oyn), (ox0, oxn) in itertools.product(blocks(oh, 3), blocks(oh, 4)):
        y_lo, y_hi = library.input_span(oy0, oyn, k, stride, 1, pad, 13)
        x_lo, x_hi = library.input_span(ox0, oxn, k, stride, 1, pad, 13)
        tile = Tile()
        out_addr = tile.alloc(6 * oyn * oxn)
        tile.launch(
            "pool2d", dtype=0, in_addr=tile.put(x[0, :, y_lo:y_hi, x_lo:x_hi]), in_c=6,
            in_h=y_hi - y_lo, in_w=x_hi - x_lo, in_y0=y_lo, in_x0=x_lo, out_addr=out_addr,
            out_c=6, out_h=oyn, out_w=oxn, out_y0=oy0, out_x0=ox0, kh=k, kw=k, stride_h=stride,
            stride_w=stride, dil_h=1, dil_w=1, pad_top=pad, pad_left=pad, image_h=13, image_w=13,
            mode=int(mode),
        )
        got[:, oy0 : oy0 + oyn, ox0 : ox0 + oxn] = tile.read(out_addr, 6 * oyn * oxn).reshape(6, oyn, oxn)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


def test_matmul_chunks_over_k_with_bias_match_linear():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, 50), dtype=np.float32)
    w = rng.standard_normal((30, 50), dtype=np.float32)
    b = rng.standard_normal(30, dtype=np.float32)
    expected = F.relu(F.linear(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b))).numpy()
    got = np.zeros_like(expected)
    for n0, nn in blocks(30, 8):
        tile = Tile()
        out_addr = tile.alloc(nn)
        bias_addr = tile.put(b[n0 : n0 + nn])
        chunks = blocks(50, 16)
        for i, (k0, kn) in enumerate(chunks):
            flags = (ConvFlags.ACCUMULATE if i else ConvFlags.BIAS) | (ConvFlags.FINALIZE if i == len(chunks) - 1 else 0)
            tile.launch(
                "matmul", dtype=0, in_addr=tile.put(x[:, k0 : k0 + kn]), m=1, k=kn,
                w_addr=tile.put(w[n0 : n0 + nn, k0 : k0 + kn]), bias_addr=bias_addr,
                out_addr=out_addr, n=nn, flags=int(flags), activation=int(Activation.RELU),
                act_min=0.0, act_max=0.0,
            )
        got[0, n0 : n0 + nn] = tile.read(out_addr, nn)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_global_avgpool_and_eltwise_match_torch():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((5, 7, 7), dtype=np.float32)
    y = rng.standard_normal((5, 7, 7), dtype=np.float32)
    tile = Tile()
    pooled = tile.alloc(5)
    tile.launch("global_avgpool", dtype=0, in_addr=tile.put(x), channels=5, height=7, width=7, out_addr=pooled)
    np.testing.assert_allclose(tile.read(pooled, 5), x.mean(axis=(1, 2)), rtol=1e-6)
    for op, act, expected in [
        (EltwiseOp.ADD, Activation.RELU, F.relu(torch.from_numpy(x + y))),
        (EltwiseOp.MUL, Activation.SIGMOID, torch.sigmoid(torch.from_numpy(x * y))),
        (EltwiseOp.COPY, Activation.HARDSWISH, F.hardswish(torch.from_numpy(x))),
    ]:
        out = tile.alloc(x.size)
        tile.launch(
            "eltwise", dtype=0, a_addr=tile.put(x), b_addr=tile.put(y), out_addr=out, count=x.size,
            op=int(op), activation=int(act), act_min=0.0, act_max=0.0,
        )
        np.testing.assert_allclose(tile.read(out, x.size), expected.numpy().ravel(), rtol=1e-5, atol=1e-6)


def conv_fields(**overrides):
    fields = dict(
        dtype=0, in_addr=0, in_c=1, in_h=4, in_w=8, in_y0=0, in_x0=0, w_addr=512, bias_addr=600,
        out_addr=700, out_c=1, out_h=4, out_w=8, out_y0=0, out_x0=0, kh=3, kw=3, stride_h=1,
        stride_w=1, dil_h=1, dil_w=1, pad_top=1, pad_left=1, image_h=8, image_w=8,
        flags=int(ConvFlags.BIAS), res_addr=0, activation=0, act_min=0.0, act_max=0.0,
    )
    fields.update(overrides)
    return fields


def test_a_window_missing_needed_rows_is_rejected_not_padded():
    tile = Tile()
    tile.put(np.ones(1024))
    with pytest.raises(
        KernelError,
        match=r"conv2d: output block at \(0,0\) of 4x8 needs input rows \[0,5\) cols \[0,8\) "
        r"but its window holds rows \[0,4\) cols \[0,8\)",
    ):
        tile.launch("conv2d", **conv_fields())


def test_a_window_past_the_image_is_rejected():
    tile = Tile()
    tile.put(np.ones(1024))
    with pytest.raises(KernelError, match=r"input window rows \[6,11\) cols \[0,8\) exceeds the image of 8x8"):
        tile.launch("conv2d", **conv_fields(in_y0=6, in_h=5, out_y0=6, out_h=2))


def test_pack_refuses_missing_unknown_and_out_of_range_fields():
    with pytest.raises(KernelError, match="kernel eltwise: missing fields act_min, act_max; unknown fields alpha"):
        library.pack("eltwise", dtype=0, a_addr=0, b_addr=0, out_addr=0, count=1, op=0, activation=0, alpha=1)
    with pytest.raises(KernelError, match=r"kernel global_avgpool: field in_addr = -4 does not fit a non-negative i32"):
        library.pack("global_avgpool", dtype=0, in_addr=-4, channels=1, height=1, width=1, out_addr=0)
    with pytest.raises(KernelError, match="unknown kernel 'softmax'; known kernels: conv2d, depthwise_conv2d"):
        library.by_name("softmax")
    with pytest.raises(KernelError, match="unknown kernel id 99"):
        library.by_id(99)


def test_unpack_refuses_a_short_block():
    with pytest.raises(KernelError, match="kernel matmul: parameter block of 8 bytes is shorter than its 48 bytes"):
        library.unpack(5, bytes(8))


def test_accesses_of_a_first_and_a_later_chunk():
    first = library.unpack(1, library.pack("conv2d", **conv_fields(in_h=8, out_h=8)))
    regions = {(a.what, a.writes) for a in library.accesses(1, first)}
    assert regions == {("in_addr", False), ("w_addr", False), ("bias_addr", False), ("out_addr", True)}
    later = dict(first, flags=int(ConvFlags.ACCUMULATE | ConvFlags.FINALIZE | ConvFlags.RESIDUAL))
    regions = {(a.what, a.writes) for a in library.accesses(1, later)}
    assert regions == {("in_addr", False), ("w_addr", False), ("out_addr", False), ("res_addr", False), ("out_addr", True)}
    preloaded = dict(first, flags=int(ConvFlags.ACCUMULATE | ConvFlags.BIAS))
    regions = [(a.what, a.writes) for a in library.accesses(1, preloaded)]
    assert regions == [("in_addr", False), ("w_addr", False), ("out_addr", False), ("bias_addr", False), ("out_addr", True)]
    assert library.macs(1, first) == 1 * 8 * 8 * 1 * 3 * 3


def test_the_kernel_document_lists_every_kernel_with_its_fields():
    import pathlib

    doc = (pathlib.Path(__file__).parents[2] / "docs" / "kernels.md").read_text()
    for kernel in library.KERNELS:
        row = f"| {kernel.id} | {kernel.name} | {', '.join(kernel.fields)} |"
        assert row in doc, f"docs/kernels.md is out of date for {kernel.name}; expected the row\n{row}"


BAD_CODES = [
    ("conv2d", conv_fields(in_h=8, flags=int(ConvFlags.BIAS | ConvFlags.FINALIZE), activation=9),
     "conv2d: activation 9 is not one of 0 (none), 1 (relu), 2 (clamp), 3 (sigmoid), 4 (hardswish)"),
    ("pool2d", dict(dtype=0, in_addr=0, in_c=1, in_h=4, in_w=4, in_y0=0, in_x0=0, out_addr=64,
                    out_c=1, out_h=2, out_w=2, out_y0=0, out_x0=0, kh=2, kw=2, stride_h=2, stride_w=2,
                    dil_h=1, dil_w=1, pad_top=0, pad_left=0, image_h=4, image_w=4, mode=5),
     "pool2d: mode 5 is not one of 0 (max), 1 (avg), 2 (avg_valid)"),
    ("eltwise", dict(dtype=0, a_addr=0, b_addr=0, out_addr=64, count=4, op=3, activation=0,
                     act_min=0.0, act_max=0.0),
     "eltwise: op 3 is not one of 0 (copy), 1 (add), 2 (mul)"),
]


@pytest.mark.parametrize("name, fields, message", BAD_CODES, ids=[case[0] for case in BAD_CODES])
def test_an_unknown_code_is_one_kernel_error_alike_in_numpy_and_c(name, fields, message):
    from rcbc.kernels.arena import Arena
    from test_int8_kernels import SHIM, Shim, run_numpy

    arena = Arena(4096)
    arena.put(np.ones(1024, np.float32))
    kernel = library.by_name(name)
    params = arena.put(np.frombuffer(library.pack(name, **fields), np.uint8))
    _, numpy_error = run_numpy(arena, kernel.id, params)
    assert numpy_error == message
    if SHIM.is_file():
        _, c_error = Shim().run(arena.data, kernel.id, params)
        assert c_error == message


@pytest.mark.parametrize("module", [library, reference], ids=["library", "reference"])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


def test_the_arithmetic_key_tells_launches_that_compute_alike():
    """Blocks of one layer whose windows fall alike on the image's padding have one key; a
    block at an edge, another input-channel chunk (its flags) or another shape does not."""
    p = library.unpack(1, library.pack(
        "conv2d", dtype=0, in_addr=0, in_c=8, in_h=6, in_w=16, in_y0=0, in_x0=0, w_addr=0, bias_addr=0,
        out_addr=0, out_c=8, out_h=4, out_w=16, out_y0=0, out_x0=0, kh=3, kw=3, stride_h=1, stride_w=1,
        dil_h=1, dil_w=1, pad_top=1, pad_left=1, image_h=16, image_w=16, flags=1, res_addr=0,
        activation=0, act_min=0.0, act_max=0.0))
    block = lambda y, **more: library.arithmetic_key(1, {**p, "out_y0": y, "in_y0": y - 1, **more})
    assert block(4) == block(8) == block(4, in_addr=4096, w_addr=8192, out_addr=1024)
    assert block(4) != block(0, in_y0=0) and block(4) != block(12, in_h=5)  # the top, the bottom
    assert block(4) != block(4, flags=2) and block(4) != block(4, out_c=4)
    assert block(4, act_min=0.0) != block(4, act_min=-0.0)  # clamping to each differs in a zero's sign


def test_only_launches_that_only_accumulate_have_an_accumulator():
    p = dict(library.unpack(5, bytes(4 * len(library.by_name("matmul").fields))), m=2, k=4, n=3, out_addr=64)
    assert library.accumulator(5, dict(p, flags=int(ConvFlags.ACCUMULATE))) == library.Access(64, 24, False, "out_addr")
    for flags in (0, ConvFlags.ACCUMULATE | ConvFlags.BIAS, ConvFlags.ACCUMULATE | ConvFlags.FINALIZE):
        assert library.accumulator(5, dict(p, flags=int(flags))) is None
    int8 = library.kernel_for("matmul", library.DType.I8)  # int32 accumulators: 4 bytes too
    p8 = dict(library.unpack(int8.id, bytes(4 * len(int8.fields))), m=2, k=4, n=3, out_addr=64)
    assert library.accumulator(int8.id, dict(p8, flags=int(ConvFlags.ACCUMULATE))) == library.Access(64, 24, False, "out_addr")
    assert library.accumulator(6, library.unpack(6, bytes(4 * len(library.by_id(6).fields)))) is None  # eltwise


def runs_of_launch(name, fields, shared, runs=3, seed=7):
    """What launch `name` writes in each of `runs` runs whose memories are random but for the
    region at field `shared`, the same in every run: read as one broadcast row (stride 0), or,
    with `shared=None`, as a copy per run."""
    kernel = library.by_name(name)
    params = library.unpack(kernel.id, library.pack(name, **fields))
    mem = np.random.default_rng(seed).standard_normal((runs, 4096), dtype=np.float32)
    window = params["in_addr"] // 4
    mem[1:, window:] = mem[0, window:]  # the window and all above it alike in every run
    written, computed = {}, {}

    def read(addr, count):
        if shared is not None and addr == params[shared]:
            return np.broadcast_to(mem[:1, addr // 4 : addr // 4 + count], (runs, count))
        return mem[:, addr // 4 : addr // 4 + count]

    def write(addr, array):
        computed[addr] = array.shape[0]  # 1: once for all the runs
        written[addr] = np.broadcast_to(array, (runs, *array.shape[1:])).reshape(runs, -1)

    reference.run(kernel.id, params, read, write)
    return written, computed


@pytest.mark.parametrize("name, fields", [
    ("conv2d", conv_fields(in_addr=8192, in_c=3, in_h=5, w_addr=0, bias_addr=1024, out_addr=4096, out_c=4,
                           flags=int(ConvFlags.BIAS | ConvFlags.FINALIZE), activation=int(Activation.RELU))),
    ("depthwise_conv2d", conv_fields(in_addr=8192, in_c=3, in_h=5, w_addr=0, bias_addr=1024, out_addr=4096,
                                     out_c=3)),
    ("pool2d", {**{k: v for k, v in conv_fields(in_addr=8192, in_c=3, in_h=5, out_addr=4096, out_c=3).items()
                   if k not in ("w_addr", "bias_addr", "flags", "res_addr", "activation", "act_min", "act_max")},
                "mode": int(PoolMode.MAX)}),
])
def test_a_window_every_run_reads_alike_is_computed_once_to_the_same_bits(name, fields):
    """A reader may broadcast a window the runs share (a replay's launches that differ only in
    their weights): the kernel pads and unfolds it once, and each run's result is bit for bit
    what it is when every run reads its own copy."""
    alike, once = runs_of_launch(name, fields, shared="in_addr")
    apart, _ = runs_of_launch(name, fields, shared=None)
    assert alike.keys() == apart.keys()
    for addr in alike:
        np.testing.assert_array_equal(alike[addr], apart[addr])
    if name == "pool2d":  # nothing else varies from run to run: the window is pooled once
        assert once == {fields["out_addr"]: 1}
    else:  # the weights differ from run to run, and so do the results
        assert not np.array_equal(apart[fields["out_addr"]][0], apart[fields["out_addr"]][1])
