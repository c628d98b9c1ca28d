"""The int8 kernels: their arithmetic, their contract, and numpy and C agreeing bit for bit.

The C reference kernels (runtime/host/kernels.c) are called through ctypes on the same bytes
as the numpy ones (`rcbc.kernels.reference`), on random launches of every int8 kernel with
every flag combination, and on launches that break the contract (same message). The tests
that need the C library skip, saying why, when it is not built; `make test` builds it.
"""

from __future__ import annotations

import ctypes
import itertools
import os
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rcbc.kernels import fixed_point, library, reference
from rcbc.kernels.arena import Arena
from rcbc.kernels.library import ConvFlags, DType, KernelError

ROOT = Path(__file__).resolve().parents[2]
SHIM = Path(os.environ.get("RCB_KERNEL_SHIM") or ROOT / "build" / "runtime" / "librcb-kernel-shim.so")
needs_shim = pytest.mark.skipif(
    not SHIM.is_file(),
    reason=f"the C kernels are not built at {SHIM}: run `make test` (or cmake --build build), "
    "or set RCB_KERNEL_SHIM",
)


# -- fixed point --------------------------------------------------------------------------------


def test_rescale_rounds_once_half_away_from_zero():
    m, s = fixed_point.multiplier(0.5)
    assert fixed_point.rescale(np.array([1, -1, 3, -3, 4]), m, s).tolist() == [1, -1, 2, -2, 2]
    assert fixed_point.round_shift(np.array([5, -5, 6, -6]), 2).tolist() == [1, -1, 2, -2]
    assert fixed_point.round_div(np.array([3, -3, 5, -5, 7]), 2).tolist() == [2, -2, 3, -3, 4]
    assert fixed_point.rescale(np.array([2**31 - 1, -(2**31)]), 2**31 - 1, 0).tolist() == [
        (2**31 - 1) ** 2, -(2**31) * (2**31 - 1)]
    assert fixed_point.wrap_i32(np.array([2**31, -(2**31) - 1])).tolist() == [-(2**31), 2**31 - 1]


@pytest.mark.parametrize("real", [1.0, 0.75, 2.5e-4, 1 / 3, 1000.5, 2.0**-31, 2.0**29 * 1.999])
def test_a_multiplier_holds_31_significant_bits(real):
    m, s = fixed_point.multiplier(real)
    assert 2**30 <= m < 2**31 and 0 <= s <= fixed_point.MAX_SHIFT
    assert abs(m / 2**s - real) <= real * 2**-31


def test_multipliers_too_small_are_zero_and_too_large_refused():
    assert fixed_point.multiplier(0.0) == (0, 0)
    assert fixed_point.multiplier(2.0**-40) == (0, 0)
    with pytest.raises(ValueError, match=r"must lie in \[0, 2\*\*30\), not 1073741824.0"):
        fixed_point.multiplier(2.0**30)


# -- the contract -------------------------------------------------------------------------------


def test_each_kind_has_an_int8_kernel_with_the_int8_dtype():
    for kind in ("conv2d", "depthwise_conv2d", "pool2d", "global_avgpool", "matmul", "eltwise"):
        f32, i8 = library.kernel_for(kind, DType.F32), library.kernel_for(kind, DType.I8)
        assert (f32.name, f32.dtype, i8.kind, i8.dtype, i8.id) == (kind, DType.F32, kind, DType.I8, f32.id + 6)


def test_zero_points_and_clamps_may_be_negative_other_fields_not():
    fields = dict(dtype=1, a_addr=0, b_addr=0, out_addr=0, count=1, op=0, a_zp=-128, a_mult=1,
                  a_shift=0, b_zp=0, b_mult=0, b_shift=0, out_zp=-5, q_min=-128, q_max=127)
    assert library.unpack(12, library.pack("eltwise_i8", **fields))["a_zp"] == -128
    with pytest.raises(KernelError, match="field a_mult = -1 does not fit a non-negative i32"):
        library.pack("eltwise_i8", **dict(fields, a_mult=-1))


def test_an_unfinished_int8_block_holds_int32_accumulators():
    p = dict(dtype=1, in_addr=0, m=1, k=16, w_addr=64, bias_addr=128, out_addr=256, n=8,
             flags=int(ConvFlags.BIAS), in_zp=0, requant_addr=512, out_zp=0, q_min=-128, q_max=127)
    sizes = [(a.what, a.size, a.writes) for a in library.accesses(11, p)]
    assert sizes == [("in_addr", 16, False), ("w_addr", 128, False), ("bias_addr", 32, False),
                     ("out_addr", 32, True)]
    last = dict(p, flags=int(ConvFlags.ACCUMULATE | ConvFlags.FINALIZE))
    sizes = [(a.what, a.size, a.writes) for a in library.accesses(11, last)]
    assert sizes == [("in_addr", 16, False), ("w_addr", 128, False), ("out_addr", 32, False),
                     ("requant_addr", 64, False), ("out_addr", 8, True)]


def conv_i8(x, w, b, zp_in, table, zp_out, stride, pad, block, chunk, q=(-128, 127), residual=None):
    """A layer of conv2d_i8 computed as the lowering would: blocks over input-channel chunks."""
    cin, ih, iw = x.shape
    cout, _, kh, kw = w.shape
    oh, ow = (ih + 2 * pad - kh) // stride + 1, (iw + 2 * pad - kw) // stride + 1
    out = np.zeros((cout, oh, ow), np.int8)
    res_zp, res_m, res_s = residual[1:] if residual is not None else (0, 0, 0)
    for (oc0, ocn), (oy0, oyn), (ox0, oxn) in itertools.product(
        blocks(cout, block[0]), blocks(oh, block[1]), blocks(ow, block[2])
    ):
        y_lo, y_hi = library.input_span(oy0, oyn, kh, stride, 1, pad, ih)
        x_lo, x_hi = library.input_span(ox0, oxn, kw, stride, 1, pad, iw)
        arena = Arena()
        out_addr = arena.alloc(4 * ocn * oyn * oxn)  # int32 accumulators until FINALIZE
        res_addr = 0 if residual is None else arena.put(residual[0][oc0 : oc0 + ocn, oy0 : oy0 + oyn, ox0 : ox0 + oxn])
        chunks = blocks(cin, chunk)
        for i, (ic0, icn) in enumerate(chunks):
            flags = ConvFlags.ACCUMULATE if i else ConvFlags.BIAS
            if i == len(chunks) - 1:
                flags |= ConvFlags.FINALIZE | (ConvFlags.RESIDUAL if residual is not None else 0)
            arena.launch(
                "conv2d_i8", dtype=1, in_addr=arena.put(x[ic0 : ic0 + icn, y_lo:y_hi, x_lo:x_hi]),
                in_c=icn, in_h=y_hi - y_lo, in_w=x_hi - x_lo, in_y0=y_lo, in_x0=x_lo,
                w_addr=arena.put(w[oc0 : oc0 + ocn, ic0 : ic0 + icn]),
                bias_addr=arena.put(b[oc0 : oc0 + ocn]), out_addr=out_addr, out_c=ocn, out_h=oyn,
                out_w=oxn, out_y0=oy0, out_x0=ox0, kh=kh, kw=kw, stride_h=stride,
                stride_w=stride, dil_h=1, dil_w=1, pad_top=pad, pad_left=pad, image_h=ih,
                image_w=iw, flags=int(flags), res_addr=res_addr, in_zp=zp_in,
                requant_addr=arena.put(table[oc0 : oc0 + ocn]), out_zp=zp_out, res_zp=res_zp,
                res_mult=res_m, res_shift=res_s, q_min=q[0], q_max=q[1],
            )
        out[oc0 : oc0 + ocn, oy0 : oy0 + oyn, ox0 : ox0 + oxn] = arena.read(out_addr, ocn * oyn * oxn, np.int8).reshape(ocn, oyn, oxn)
    return out


def blocks(total, size):
    return [(start, min(size, total - start)) for start in range(0, total, size)]


def test_conv2d_i8_blocks_and_chunks_give_the_whole_layer_exactly():
    """Blocking is invisible: the result is the formula of docs/kernels.md, computed directly."""
    rng = np.random.default_rng(0)
    x = rng.integers(-128, 128, (10, 9, 9), dtype=np.int8)
    w = rng.integers(-127, 128, (12, 10, 3, 3), dtype=np.int8)
    b = rng.integers(-5000, 5000, 12).astype(np.int32)
    res = rng.integers(-128, 128, (12, 5, 5), dtype=np.int8)
    table = np.array([fixed_point.multiplier(r) for r in rng.uniform(1e-4, 3e-3, 12)], np.int32)
    residual = (res, 7, *fixed_point.multiplier(0.8))
    acc = F.conv2d(torch.from_numpy(x.astype(np.float64) + 3)[None], torch.from_numpy(w.astype(np.float64)),
                   torch.from_numpy(b.astype(np.float64)), 2, 1)[0].numpy().astype(np.int64)
    value = fixed_point.rescale(acc, table[:, :1, None], table[:, 1:, None])
    value += fixed_point.rescale(res.astype(np.int64) - 7, residual[2], residual[3])
    expected = np.clip(value - 20, -20, 100)
    whole = conv_i8(x, w, b, -3, table, -20, 2, 1, (12, 5, 5), 10, (-20, 100), residual)
    blocked = conv_i8(x, w, b, -3, table, -20, 2, 1, (5, 2, 3), 4, (-20, 100), residual)
    np.testing.assert_array_equal(whole, expected)
    np.testing.assert_array_equal(blocked, expected)


# -- numpy and C, bit for bit -------------------------------------------------------------------


class Shim:
    """The C kernels of librcb-kernel-shim: one launch on a copy of an arena's bytes."""

    def __init__(self):
        self.lib = ctypes.CDLL(str(SHIM))
        self.lib.rcb_shim_kernel.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint16,
                                             ctypes.c_uint32, ctypes.c_char_p, ctypes.c_size_t]

    def run(self, data: np.ndarray, kernel: int, params: int) -> tuple[np.ndarray, str | None]:
        data = data.copy()
        msg = ctypes.create_string_buffer(1024)
        status = self.lib.rcb_shim_kernel(data.ctypes.data, data.size, kernel, params, msg, 1024)
        text = msg.value.decode()
        prefix = f"record 0 (launch {library.by_id(kernel).name} on (0,0)): "
        return data, (text.removeprefix(prefix) if status else None)


def run_numpy(arena: Arena, kernel: int, params: int) -> tuple[np.ndarray, str | None]:
    block = bytes(arena.data[params : params + library.by_id(kernel).block_size])
    try:
        reference.run(kernel, library.unpack(kernel, block), arena.read, arena.write)
    except KernelError as e:
        return arena.data, str(e)
    return arena.data, None


def random_requant(rng, channels):
    """Per-channel (multiplier, shift): mostly realistic, sometimes extreme."""
    rows = []
    for _ in range(channels):
        pick = rng.integers(4)
        if pick == 0:
            rows.append((int(rng.integers(0, 2**31)), int(rng.integers(0, 63))))
        else:
            rows.append(fixed_point.multiplier(float(10 ** rng.uniform(-5, 0.5))))
    return np.array(rows, np.int32)


def random_int8_launch(rng, kind):
    """A random valid launch of the int8 kernel of `kind`: (arena, fields)."""
    arena = Arena()
    i8 = lambda *shape: rng.integers(-128, 128, shape, dtype=np.int8)
    i32 = lambda *shape: rng.integers(-(2**31), 2**31, shape, dtype=np.int64).astype(np.int32)
    zp = lambda: int(rng.integers(-128, 128))
    q_lo = int(rng.integers(-128, 128))
    clamp = dict(q_min=q_lo, q_max=int(rng.integers(q_lo, 128)))
    if kind in ("conv2d", "depthwise_conv2d", "pool2d"):
        kh, kw = (int(v) for v in rng.integers(1, 4, 2))
        sh, sw, dh, dw = (int(v) for v in rng.integers(1, 3, 4))
        image_h, image_w = (int(v) for v in rng.integers(max(kh, kw) * 2, 10, 2))
        pad_top, pad_left = int(rng.integers(0, kh)), int(rng.integers(0, kw))
        full_h = (image_h + 2 * pad_top - dh * (kh - 1) - 1) // sh + 1
        full_w = (image_w + 2 * pad_left - dw * (kw - 1) - 1) // sw + 1
        out_y0, out_x0 = int(rng.integers(0, full_h)), int(rng.integers(0, full_w))
        out_h, out_w = int(rng.integers(1, full_h - out_y0 + 1)), int(rng.integers(1, full_w - out_x0 + 1))
        y_lo, y_hi = library.input_span(out_y0, out_h, kh, sh, dh, pad_top, image_h)
        x_lo, x_hi = library.input_span(out_x0, out_w, kw, sw, dw, pad_left, image_w)
        out_c = int(rng.integers(1, 6))
        in_c = out_c if kind != "conv2d" else int(rng.integers(1, 6))
        fields = dict(
            dtype=1, in_addr=arena.put(i8(in_c, y_hi - y_lo, x_hi - x_lo)), in_c=in_c,
            in_h=y_hi - y_lo, in_w=x_hi - x_lo, in_y0=y_lo, in_x0=x_lo, out_c=out_c, out_h=out_h,
            out_w=out_w, out_y0=out_y0, out_x0=out_x0, kh=kh, kw=kw, stride_h=sh, stride_w=sw,
            dil_h=dh, dil_w=dw, pad_top=pad_top, pad_left=pad_left, image_h=image_h,
            image_w=image_w,
        )
        count = out_c * out_h * out_w
        if kind == "pool2d":
            return arena, dict(fields, out_addr=arena.put(i8(count)), mode=int(rng.integers(3)), zero_point=zp())
        flags = int(rng.integers(16))
        per_filter = in_c if kind == "conv2d" else 1
        return arena, dict(
            fields, **clamp, w_addr=arena.put(i8(out_c, per_filter, kh, kw)),
            bias_addr=arena.put(i32(out_c) >> int(rng.integers(0, 32))),
            out_addr=arena.put(i32(count) >> int(rng.integers(0, 32))), flags=flags,
            res_addr=arena.put(i8(count)), in_zp=zp(), requant_addr=arena.put(random_requant(rng, out_c)),
            out_zp=zp(), res_zp=zp(), res_mult=int(rng.integers(0, 2**31)), res_shift=int(rng.integers(20, 63)),
        )
    if kind == "global_avgpool":
        c, h, w = (int(v) for v in rng.integers(1, 7, 3))
        return arena, dict(dtype=1, in_addr=arena.put(i8(c, h, w)), channels=c, height=h, width=w,
                           out_addr=arena.put(i8(c)), zero_point=zp())
    if kind == "matmul":
        m, k, n = (int(v) for v in rng.integers(1, 9, 3))
        return arena, dict(
            dtype=1, in_addr=arena.put(i8(m, k)), m=m, k=k, w_addr=arena.put(i8(n, k)),
            bias_addr=arena.put(i32(n) >> 12), out_addr=arena.put(i32(m * n) >> 8), n=n,
            flags=int(rng.integers(16)), in_zp=zp(), requant_addr=arena.put(random_requant(rng, n)),
            out_zp=zp(), **clamp,
        )
    count = int(rng.integers(1, 40))
    a_m, a_s = fixed_point.multiplier(float(10 ** rng.uniform(-3, 1)))
    b_m, b_s = fixed_point.multiplier(float(10 ** rng.uniform(-3, 1)))
    return arena, dict(
        dtype=1, a_addr=arena.put(i8(count)), b_addr=arena.put(i8(count)), out_addr=arena.put(i8(count)),
        count=count, op=int(rng.integers(3)), a_zp=zp(), a_mult=a_m, a_shift=a_s, b_zp=zp(),
        b_mult=b_m, b_shift=b_s, out_zp=zp(), **clamp,
    )


KINDS = ("conv2d", "depthwise_conv2d", "pool2d", "global_avgpool", "matmul", "eltwise")


@needs_shim
@pytest.mark.parametrize("kind", KINDS)
def test_numpy_and_c_int8_kernels_agree_bit_for_bit(kind):
    shim = Shim()
    rng = np.random.default_rng(KINDS.index(kind))
    kernel = library.kernel_for(kind, DType.I8)
    for case in range(150):
        arena, fields = random_int8_launch(rng, kind)
        params = arena.put(np.frombuffer(library.pack(kernel.name, **fields), np.uint8))
        c_data, c_error = shim.run(arena.data, kernel.id, params)
        py_data, py_error = run_numpy(arena, kernel.id, params)
        assert (py_error, c_error) == (None, None), (case, fields)
        assert np.array_equal(py_data, c_data), (case, fields)


BROKEN = [
    ("conv2d", dict(in_zp=200), "conv2d_i8: in_zp 200 is outside [-128, 127]"),
    ("conv2d", dict(q_min=5, q_max=-5), "conv2d_i8: q_min 5 is above q_max -5"),
    ("conv2d", dict(res_shift=63), "conv2d_i8: res_shift 63 is outside [0, 62]"),
    ("conv2d", dict(dtype=0), "conv2d_i8: dtype 0 is not 1 (i8)"),
    ("depthwise_conv2d", dict(out_c=9), "depthwise_conv2d_i8: in_c"),
    ("matmul", dict(flags=int(ConvFlags.FINALIZE), requant_addr="bad shift"),
     "matmul_i8: channel 0: requantization shift 70 is outside [0, 62]"),
    ("matmul", dict(flags=int(ConvFlags.FINALIZE), requant_addr="bad multiplier"),
     "matmul_i8: channel 0: requantization multiplier -7 is outside [0, 2147483647]"),
    ("pool2d", dict(mode=3), "pool2d_i8: mode 3 is not one of 0 (max), 1 (avg), 2 (avg_valid)"),
    ("global_avgpool", dict(zero_point=-129), "global_avgpool_i8: zero_point -129 is outside [-128, 127]"),
    ("eltwise", dict(op=7), "eltwise_i8: op 7 is not one of 0 (copy), 1 (add), 2 (mul)"),
    ("eltwise", dict(b_shift=99), "eltwise_i8: b_shift 99 is outside [0, 62]"),
]


@needs_shim
@pytest.mark.parametrize("kind, change, message", BROKEN, ids=[m.split(":")[1].strip() for _, _, m in BROKEN])
def test_numpy_and_c_refuse_a_broken_launch_alike(kind, change, message):
    rng = np.random.default_rng(5)
    arena, fields = random_int8_launch(rng, kind)
    tables = {"bad shift": [(1 << 30, 70)], "bad multiplier": [(-7, 3)]}
    for field, value in change.items():
        fields[field] = arena.put(np.array(tables[value] * fields["n"], np.int32)) if isinstance(value, str) else value
    kernel = library.kernel_for(kind, DType.I8)
    params = arena.put(np.frombuffer(library.pack(kernel.name, **fields), np.uint8))
    _, c_error = Shim().run(arena.data, kernel.id, params)
    _, py_error = run_numpy(arena, kernel.id, params)
    assert py_error == c_error and py_error.startswith(message), (py_error, c_error)


def test_a_batch_names_the_bad_channel_of_the_requantization_table_not_its_index_across_runs():
    rng = np.random.default_rng(5)
    arena, fields = next((a, f) for a, f in (random_int8_launch(rng, "matmul") for _ in range(50)) if f["n"] > 1)
    n = fields["n"]
    good = arena.put(np.array([(1 << 30, 3)] * n, np.int32))
    bad = arena.put(np.array([(1 << 30, 3)] * (n - 1) + [(1 << 30, 70)], np.int32))
    fields.update(flags=int(ConvFlags.FINALIZE), requant_addr=bad)
    kernel = library.kernel_for("matmul", DType.I8)

    def read_two_runs(addr, count, dtype=np.float32):  # run 0 reads a good table, run 1 the bad one
        first = good if addr == fields["requant_addr"] else addr
        return np.stack([arena.read(first, count, dtype), arena.read(addr, count, dtype)])

    with pytest.raises(KernelError, match=f"^matmul_i8: channel {n - 1}: requantization shift 70 is outside"):
        reference.run(kernel.id, fields, read_two_runs, lambda addr, array: None)


@needs_shim
def test_c_refuses_negative_fields_the_contract_keeps_non_negative():
    arena, fields = random_int8_launch(np.random.default_rng(6), "eltwise")
    block = bytearray(library.pack("eltwise_i8", **fields))
    block[4 * 7 : 4 * 8] = (-1).to_bytes(4, "little", signed=True)  # a_mult
    params = arena.put(np.frombuffer(bytes(block), np.uint8))
    _, c_error = Shim().run(arena.data, 12, params)
    assert c_error == "eltwise_i8: parameter field 7 is -1; fields are non-negative"


class CArena(Arena):
    """An arena whose launches run the C kernels."""

    shim: Shim | None = None

    def launch(self, name: str, **fields: int | float) -> None:
        kernel = library.by_name(name)
        params = self.put(np.frombuffer(library.pack(name, **fields), np.uint8))
        self.data, error = CArena.shim.run(self.data, kernel.id, params)
        assert error is None, error


@needs_shim
def test_resnet18_in_int8_is_bit_identical_in_numpy_and_c():
    """Every value of the quantized ResNet-18 (random weights, 64x64), layer by layer."""
    torchvision = pytest.importorskip("torchvision")
    from rcbc.quantize import simulate
    from rcbc.quantize.calibration import random_samples
    from rcbc.quantize.quantizer import quantize_model
    from rcbc.quantize.scheme import quantize

    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    qmodel = quantize_model(model, random_samples((3, 64, 64), count=4, seed=0), "percentile")
    x = quantize(random_samples((3, 64, 64), count=1, seed=1)[0], qmodel.input)
    CArena.shim = Shim()
    in_c = simulate.run(qmodel, x, memory=CArena)
    in_numpy = simulate.run(qmodel, x)
    assert in_c.keys() == in_numpy.keys() and len(in_c) == 1 + 23  # the input, 23 layers
    for name, value in in_numpy.items():
        np.testing.assert_array_equal(in_c[name], value, err_msg=name)
    assert len(np.unique(in_numpy[qmodel.network.output])) > 50  # not saturated
