"""Reference implementations of the kernel library in numpy.

`run(kernel_id, params, read, write)` executes one launch: `read(addr, count, dtype)` returns
`count` elements of `dtype` (f32 unless given) of the tile's memory at byte address `addr`,
`write(addr, array)` stores the bytes of `array` (f32 for the f32 kernels; int8, or int32
accumulators, for the int8 ones). The executors supply both, so a kernel touches exactly the
regions `library.accesses` declares. A reader may return `[..., count]` arrays: the leading axes
are independent runs of the launch (the reference executor's batch, a replay's launches), which
every kernel carries through to what it writes, computing each run as it would alone. A leading
axis the reader broadcasts (stride 0: the runs read the same bytes there) the kernels compute
over once where they can: the windows of a convolution or pooling, padded and unfolded once for
all the runs; what they write then keeps that axis at length 1 where nothing else varies along it.

    >>> import numpy as np
    >>> from rcbc.kernels import library, reference
    >>> mem = np.zeros(64, np.float32); mem[:8] = np.arange(8)
    >>> read = lambda addr, n: mem[addr // 4 : addr // 4 + n]
    >>> def write(addr, a): mem[addr // 4 : addr // 4 + a.size] = a.ravel()
    >>> p = library.unpack(4, library.pack("global_avgpool", dtype=0, in_addr=0, channels=2,
    ...                                    height=2, width=2, out_addr=128))
    >>> reference.run(4, p, read, write); mem[32:34]
    array([1.5, 5.5], dtype=float32)
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from rcbc.kernels.fixed_point import MAX_SHIFT, rescale, round_div, wrap_i32
from rcbc.kernels.library import (
    Activation,
    ConvFlags,
    EltwiseOp,
    KernelError,
    PoolMode,
    by_id,
)

Read = Callable[..., np.ndarray]  # read(addr, count, dtype=np.float32)
Write = Callable[[int, np.ndarray], None]

INT8_MIN, INT8_MAX = -128, 127


def run(kernel_id: int, p: dict, read: Read, write: Write) -> None:
    """Execute one launch of kernel `kernel_id` with parameter values `p`."""
    kernel = by_id(kernel_id)
    if p["dtype"] != kernel.dtype:
        raise KernelError(
            f"{kernel.name}: dtype {p['dtype']} is not {kernel.dtype.value} "
            f"({kernel.dtype.name.lower()})"
        )
    _IMPLEMENTATIONS[kernel.name](dict(p, _kernel=kernel.name), read, write)


def _code(kind: type, p: dict, field: str):
    """Field `field` of `p` as a member of the enum `kind`, or a KernelError naming the codes
    (where the kernel first uses the field, as the C kernels check it)."""
    try:
        return kind(p[field])
    except ValueError:
        codes = ", ".join(f"{c.value} ({c.name.lower()})" for c in kind)
        raise KernelError(f"{p['_kernel']}: {field} {p[field]} is not one of {codes}") from None


def activate(x: np.ndarray, p: dict) -> np.ndarray:
    act = _code(Activation, p, "activation")
    if act is Activation.NONE:
        return x
    if act is Activation.RELU:
        return np.maximum(x, np.float32(0))
    if act is Activation.CLAMP:
        return np.clip(x, np.float32(p["act_min"]), np.float32(p["act_max"]))
    if act is Activation.SIGMOID:
        return (1 / (1 + np.exp(-x))).astype(np.float32)
    return x * np.clip(x + np.float32(3), 0, 6) / np.float32(6)  # HARDSWISH


def _needed_region(p: dict) -> tuple[int, int, int, int]:
    """First input row and column the output block needs (may be negative), and how many."""
    rows = (p["out_h"] - 1) * p["stride_h"] + (p["kh"] - 1) * p["dil_h"] + 1
    cols = (p["out_w"] - 1) * p["stride_w"] + (p["kw"] - 1) * p["dil_w"] + 1
    y_lo = p["out_y0"] * p["stride_h"] - p["pad_top"]
    x_lo = p["out_x0"] * p["stride_w"] - p["pad_left"]
    return y_lo, x_lo, rows, cols


def _padded_window(p: dict, fill: float, kernel: str, dtype: type = np.float32) -> np.ndarray:
    """The input positions the output block needs, from the window, padding filled with `fill`.

    Returns `[..., C, rows, cols]` of `dtype` from `_needed_region`. A needed position inside the
    image but outside the window, or a window reaching past the image, is an error.
    """
    c, h, w = p["in_c"], p["in_h"], p["in_w"]
    window = _distinct(read_block(p, "in_addr", (c, h, w), dtype), 3)
    y_lo, x_lo, rows, cols = _needed_region(p)
    need_y = (max(y_lo, 0), min(y_lo + rows, p["image_h"]))
    need_x = (max(x_lo, 0), min(x_lo + cols, p["image_w"]))
    have_y = (p["in_y0"], p["in_y0"] + h)
    have_x = (p["in_x0"], p["in_x0"] + w)
    block = f"output block at ({p['out_y0']},{p['out_x0']}) of {p['out_h']}x{p['out_w']}"
    if have_y[1] > p["image_h"] or have_x[1] > p["image_w"]:
        raise KernelError(
            f"{kernel}: {block}: input window rows [{have_y[0]},{have_y[1]}) cols "
            f"[{have_x[0]},{have_x[1]}) exceeds the image of {p['image_h']}x{p['image_w']}"
        )
    covered = (
        have_y[0] <= need_y[0] and need_y[1] <= have_y[1]
        and have_x[0] <= need_x[0] and need_x[1] <= have_x[1]
    )
    if need_y[0] < need_y[1] and need_x[0] < need_x[1] and not covered:
        raise KernelError(
            f"{kernel}: {block} needs input rows [{need_y[0]},{need_y[1]}) cols "
            f"[{need_x[0]},{need_x[1]}) but its window holds rows [{have_y[0]},{have_y[1]}) "
            f"cols [{have_x[0]},{have_x[1]})"
        )
    if (y_lo, x_lo, y_lo + rows, x_lo + cols) == (need_y[0], need_x[0], need_y[1], need_x[1]):
        # No padding: the needed positions are a block of the window.
        return window[..., y_lo - have_y[0] : y_lo - have_y[0] + rows, x_lo - have_x[0] : x_lo - have_x[0] + cols]
    padded = np.full((*window.shape[:-3], c, rows, cols), fill, dtype=dtype)
    if need_y[0] < need_y[1] and need_x[0] < need_x[1]:
        padded[..., need_y[0] - y_lo : need_y[1] - y_lo, need_x[0] - x_lo : need_x[1] - x_lo] = window[
            ..., need_y[0] - have_y[0] : need_y[1] - have_y[0], need_x[0] - have_x[0] : need_x[1] - have_x[0]
        ]
    return padded


def _windows(padded: np.ndarray, p: dict) -> np.ndarray:
    """`[..., C, out_h, out_w, kh, kw]` views of the sliding windows over a padded
    `[..., C, rows, cols]` input."""
    ext = ((p["kh"] - 1) * p["dil_h"] + 1, (p["kw"] - 1) * p["dil_w"] + 1)
    if padded.shape[-2] < ext[0] or padded.shape[-1] < ext[1]:  # let numpy say what is wrong
        sliding_window_view(padded, ext, axis=(-2, -1))
    y, x = padded.strides[-2:]
    # What sliding_window_view(...)[..., ::stride_h, ::stride_w, ::dil_h, ::dil_w] views, in one step.
    out_h = min(p["out_h"], (padded.shape[-2] - ext[0]) // p["stride_h"] + 1)
    out_w = min(p["out_w"], (padded.shape[-1] - ext[1]) // p["stride_w"] + 1)
    return as_strided(
        padded,
        (*padded.shape[:-2], out_h, out_w, p["kh"], p["kw"]),
        (*padded.strides[:-2], y * p["stride_h"], x * p["stride_w"], y * p["dil_h"], x * p["dil_w"]),
        writeable=False,
    )


def _window_max(windows: np.ndarray) -> np.ndarray:
    """`windows.max(axis=(-2, -1))`, a window position at a time: numpy reduces a strided
    window view an element at a time, this a whole output block at a time."""
    result = windows[..., 0, 0]
    for i in range(windows.shape[-2]):
        for j in range(windows.shape[-1]):
            if i or j:
                result = np.maximum(result, windows[..., i, j])
    return result


def _distinct(a: np.ndarray, trailing: int) -> np.ndarray:
    """`a` with each leading axis (all but the `trailing` last) that is broadcast (stride 0)
    cut to length 1: what is computed from it is computed once, and broadcasts back.

        >>> a = np.broadcast_to(np.arange(6.0).reshape(2, 1, 3), (2, 4, 3))
        >>> _distinct(a, 1).shape
        (2, 1, 3)
    """
    return a[tuple(slice(0, 1) if stride == 0 else slice(None) for stride in a.strides[:a.ndim - trailing])]


def read_block(p: dict, field: str, shape: tuple[int, ...], dtype: type = np.float32) -> np.ndarray:
    """The `shape` block of `dtype` at the address in field `field` (`[..., *shape]`: the
    reader's leading axes first).

    f32 blocks are read as ``read(addr, count)``: a reader without the dtype parameter serves
    the f32 kernels.
    """
    typed = () if dtype is np.float32 else (dtype,)
    flat = p["_read"](int(p[field]), math.prod(shape), *typed)
    return flat.reshape(*flat.shape[:-1], *shape)


def _inside_counts(p: dict) -> np.ndarray:
    """`[out_h, out_w]`: how many positions of each output's window lie inside the image."""
    y_lo, x_lo, rows, cols = _needed_region(p)
    ys = np.arange(y_lo, y_lo + rows)
    xs = np.arange(x_lo, x_lo + cols)
    inside = ((ys >= 0) & (ys < p["image_h"]))[:, None] & ((xs >= 0) & (xs < p["image_w"]))[None, :]
    return _windows(inside[None].astype(np.int64), p).sum(axis=(-2, -1))[0]


def _conv(p: dict, read: Read, write: Write, depthwise: bool) -> None:
    name = "depthwise_conv2d" if depthwise else "conv2d"
    p = dict(p, _read=read)
    if depthwise and p["in_c"] != p["out_c"]:
        raise KernelError(f"{name}: in_c {p['in_c']} differs from out_c {p['out_c']}")
    windows = _windows(_padded_window(p, 0.0, name), p)
    weights = read_block(p, "w_addr", (p["out_c"], *(() if depthwise else (p["in_c"],)), p["kh"], p["kw"]))
    out_shape = (p["out_c"], p["out_h"], p["out_w"])
    _finish(p, _conv_product(windows, weights, depthwise).astype(np.float32, copy=False), out_shape, (-1, 1, 1), write)


def _conv_product(windows: np.ndarray, weights: np.ndarray, depthwise: bool) -> np.ndarray:
    """`[..., out_c, out_h, out_w]`: the windows `[..., C, out_h, out_w, kh, kw]` times the
    weights (`[..., out_c, C, kh, kw]`; depthwise `[..., C, kh, kw]`), summed over C, kh, kw.

    These are the matrix products np.einsum("chwij,ocij->ohw" / "chwij,cij->chw",
    optimize=True) makes, with the same operands in the same layouts (so the same sums, bit for
    bit), unplanned; each run of a batch is one matrix of a stack, and windows broadcast over
    runs (length 1 on a leading axis) are unfolded once, their matrix broadcast in the stack.
    """
    *lead, c, oh, ow, kh, kw = windows.shape
    columns = np.moveaxis(windows, (-2, -1), (-4, -3)).reshape(*lead, c, kh * kw, oh * ow)
    if depthwise:
        result = weights.reshape(*weights.shape[:-3], c, 1, kh * kw) @ columns
        return result.reshape(*result.shape[:-3], c, oh, ow)
    result = weights.reshape(*weights.shape[:-4], -1, c * kh * kw) @ columns.reshape(*lead, c * kh * kw, oh * ow)
    return result.reshape(*result.shape[:-2], -1, oh, ow)


def _finish(
    p: dict, result: np.ndarray, out_shape: tuple[int, ...], bias_shape: tuple[int, ...], write: Write
) -> None:
    """Accumulation and bias, then residual and activation on the final chunk; store.

    `bias_shape` broadcasts the bias vector over the output: `(-1, 1, 1)` for `[C, H, W]`
    blocks, `(1, -1)` for `[M, N]` ones (after the leading axes of `result`).
    """
    flags = ConvFlags(p["flags"])
    if flags & ConvFlags.ACCUMULATE:
        result = result + read_block(p, "out_addr", out_shape)
    if flags & ConvFlags.BIAS:
        channels = out_shape[bias_shape.index(-1)]
        bias = read_block(p, "bias_addr", (channels,))
        result = result + bias.reshape(*bias.shape[:-1], *bias_shape)
    if flags & ConvFlags.FINALIZE:
        if flags & ConvFlags.RESIDUAL:
            result = result + read_block(p, "res_addr", out_shape)
        result = activate(result, p)
    write(int(p["out_addr"]), result.astype(np.float32, copy=False))


def _pool(p: dict, read: Read, write: Write) -> None:
    p = dict(p, _read=read)
    mode = _code(PoolMode, p, "mode")
    if p["in_c"] != p["out_c"]:
        raise KernelError(f"pool2d: in_c {p['in_c']} differs from out_c {p['out_c']}")
    fill = -np.inf if mode is PoolMode.MAX else 0.0
    windows = _windows(_padded_window(p, fill, "pool2d"), p)
    if mode is PoolMode.MAX:
        result = _window_max(windows)
    elif mode is PoolMode.AVG:
        result = windows.sum(axis=(-2, -1)) / np.float32(p["kh"] * p["kw"])
    else:
        result = windows.sum(axis=(-2, -1)) / _inside_counts(p).astype(np.float32)
    write(int(p["out_addr"]), result.astype(np.float32, copy=False))


def _global_avgpool(p: dict, read: Read, write: Write) -> None:
    x = read(int(p["in_addr"]), p["channels"] * p["height"] * p["width"])
    x = x.reshape(*x.shape[:-1], p["channels"], p["height"] * p["width"])
    write(int(p["out_addr"]), (x.sum(axis=-1) / np.float32(p["height"] * p["width"])).astype(np.float32))


def _matmul(p: dict, read: Read, write: Write) -> None:
    p = dict(p, _read=read)
    x = read_block(p, "in_addr", (p["m"], p["k"]))
    w = read_block(p, "w_addr", (p["n"], p["k"]))
    _finish(p, (x @ np.swapaxes(w, -1, -2)).astype(np.float32, copy=False), (p["m"], p["n"]), (1, -1), write)


def _eltwise(p: dict, read: Read, write: Write) -> None:
    a = read(int(p["a_addr"]), p["count"])
    op = _code(EltwiseOp, p, "op")
    if op is EltwiseOp.ADD:
        a = a + read(int(p["b_addr"]), p["count"])
    elif op is EltwiseOp.MUL:
        a = a * read(int(p["b_addr"]), p["count"])
    write(int(p["out_addr"]), activate(a.astype(np.float32), p).astype(np.float32))


# -- int8 kernels: exact integer arithmetic (rcbc.kernels.fixed_point) ---------------------------


def _check_range(kernel: str, what: str, values: np.ndarray | int, lo: int, hi: int) -> None:
    """Raise unless every value lies in `[lo, hi]`; `what` names it ({} the first bad index
    along the last axis: other axes, a batch's runs, hold the same values in a valid program)."""
    values = np.asarray(values)
    bad = np.argwhere((values < lo) | (values > hi))
    if len(bad):
        index = tuple(bad[0])
        raise KernelError(
            f"{kernel}: {what.format(*index[-1:])} {values[index]} is outside [{lo}, {hi}]"
        )


def _check_fields(
    p: dict, kernel: str, int8: tuple[str, ...], shifts: tuple[str, ...] = ()
) -> None:
    """Zero points and clamp bounds are int8 values, the clamp is not empty, shifts are shifts."""
    for field in int8:
        _check_range(kernel, field, p[field], INT8_MIN, INT8_MAX)
    if "q_min" in int8 and p["q_min"] > p["q_max"]:
        raise KernelError(f"{kernel}: q_min {p['q_min']} is above q_max {p['q_max']}")
    for field in shifts:
        _check_range(kernel, field, p[field], 0, MAX_SHIFT)


def _exact(sums: np.ndarray) -> np.ndarray:
    """Sums of products of int8-range integers, made in float64 (BLAS), as int64: exact.

    Each product is below 2**15 and a launch sums fewer than 2**31 of them: every partial sum
    is an integer below 2**53, which float64 holds exactly in any order of summation.
    """
    return sums.astype(np.int64)


def _conv_i8(p: dict, read: Read, write: Write, depthwise: bool) -> None:
    name = "depthwise_conv2d_i8" if depthwise else "conv2d_i8"
    p = dict(p, _read=read)
    _check_fields(p, name, ("in_zp", "out_zp", "res_zp", "q_min", "q_max"), ("res_shift",))
    if depthwise and p["in_c"] != p["out_c"]:
        raise KernelError(f"{name}: in_c {p['in_c']} differs from out_c {p['out_c']}")
    # Padding holds the input zero point (the real 0), so it adds nothing to the sum.
    padded = _padded_window(p, p["in_zp"], name, np.int8).astype(np.float64) - p["in_zp"]
    shape = (p["out_c"], *(() if depthwise else (p["in_c"],)), p["kh"], p["kw"])
    weights = read_block(p, "w_addr", shape, np.int8).astype(np.float64)
    acc = _exact(_conv_product(_windows(padded, p), weights, depthwise))
    _finish_i8(p, acc, (p["out_c"], p["out_h"], p["out_w"]), (-1, 1, 1), write, name)


def _finish_i8(
    p: dict, acc: np.ndarray, out_shape: tuple[int, ...], channel_shape: tuple[int, ...],
    write: Write, kernel: str,
) -> None:
    """int32 accumulation and bias; on the final chunk requantization, residual and clamp.

    Without FINALIZE the int32 accumulators are stored at `out_addr`; with it the int8 result.
    """
    flags = ConvFlags(p["flags"])
    channels = out_shape[channel_shape.index(-1)]
    if flags & ConvFlags.ACCUMULATE:
        acc = acc + read_block(p, "out_addr", out_shape, np.int32)
    if flags & ConvFlags.BIAS:
        bias = read_block(p, "bias_addr", (channels,), np.int32)
        acc = acc + bias.reshape(*bias.shape[:-1], *channel_shape)
    acc = wrap_i32(acc)
    if not flags & ConvFlags.FINALIZE:
        write(int(p["out_addr"]), acc)
        return
    table = read_block(p, "requant_addr", (channels, 2), np.int32)
    multipliers, shifts = (table[..., column].reshape(*table.shape[:-2], *channel_shape) for column in (0, 1))
    _check_range(kernel, "channel {}: requantization multiplier", table[..., 0], 0, 2**31 - 1)
    _check_range(kernel, "channel {}: requantization shift", table[..., 1], 0, MAX_SHIFT)
    value = rescale(acc, multipliers, shifts)
    if flags & ConvFlags.RESIDUAL and "res_addr" in p:  # matmul_i8 has no residual
        residual = read_block(p, "res_addr", out_shape, np.int8).astype(np.int64) - p["res_zp"]
        value = value + rescale(residual, p["res_mult"], p["res_shift"])
    write(int(p["out_addr"]), np.clip(value + p["out_zp"], p["q_min"], p["q_max"]).astype(np.int8))


def _pool_i8(p: dict, read: Read, write: Write) -> None:
    p = dict(p, _read=read)
    mode = _code(PoolMode, p, "mode")
    _check_fields(p, "pool2d_i8", ("zero_point",))
    if p["in_c"] != p["out_c"]:
        raise KernelError(f"pool2d_i8: in_c {p['in_c']} differs from out_c {p['out_c']}")
    zp = p["zero_point"]
    fill = INT8_MIN if mode is PoolMode.MAX else zp
    windows = _windows(_padded_window(p, fill, "pool2d_i8", np.int8).astype(np.int64), p)
    if mode is PoolMode.MAX:
        result = _window_max(windows)
    else:
        sums = (windows - zp).sum(axis=(-2, -1))
        count = p["kh"] * p["kw"] if mode is PoolMode.AVG else np.maximum(_inside_counts(p), 1)
        result = zp + round_div(sums, count)
    write(int(p["out_addr"]), result.astype(np.int8))


def _global_avgpool_i8(p: dict, read: Read, write: Write) -> None:
    _check_fields(p, "global_avgpool_i8", ("zero_point",))
    plane = p["height"] * p["width"]
    x = read(int(p["in_addr"]), p["channels"] * plane, np.int8)
    sums = (x.reshape(*x.shape[:-1], p["channels"], plane).astype(np.int64) - p["zero_point"]).sum(axis=-1)
    write(int(p["out_addr"]), (p["zero_point"] + round_div(sums, max(plane, 1))).astype(np.int8))


def _matmul_i8(p: dict, read: Read, write: Write) -> None:
    p = dict(p, _read=read)
    _check_fields(p, "matmul_i8", ("in_zp", "out_zp", "q_min", "q_max"))
    x = read_block(p, "in_addr", (p["m"], p["k"]), np.int8).astype(np.float64) - p["in_zp"]
    w = read_block(p, "w_addr", (p["n"], p["k"]), np.int8).astype(np.float64)
    _finish_i8(p, _exact(x @ np.swapaxes(w, -1, -2)), (p["m"], p["n"]), (1, -1), write, "matmul_i8")


def _eltwise_i8(p: dict, read: Read, write: Write) -> None:
    _check_fields(
        p, "eltwise_i8", ("a_zp", "b_zp", "out_zp", "q_min", "q_max"), ("a_shift", "b_shift")
    )
    op = _code(EltwiseOp, p, "op")
    a = read(int(p["a_addr"]), p["count"], np.int8).astype(np.int64) - p["a_zp"]
    if op is not EltwiseOp.COPY:
        b = read(int(p["b_addr"]), p["count"], np.int8).astype(np.int64) - p["b_zp"]
    if op is EltwiseOp.MUL:
        a = a * b
    value = rescale(a, p["a_mult"], p["a_shift"])
    if op is EltwiseOp.ADD:
        value = value + rescale(b, p["b_mult"], p["b_shift"])
    write(int(p["out_addr"]), np.clip(value + p["out_zp"], p["q_min"], p["q_max"]).astype(np.int8))


_IMPLEMENTATIONS = {
    "conv2d": lambda p, r, w: _conv(p, r, w, depthwise=False),
    "depthwise_conv2d": lambda p, r, w: _conv(p, r, w, depthwise=True),
    "pool2d": _pool,
    "global_avgpool": _global_avgpool,
    "matmul": _matmul,
    "eltwise": _eltwise,
    "conv2d_i8": lambda p, r, w: _conv_i8(p, r, w, depthwise=False),
    "depthwise_conv2d_i8": lambda p, r, w: _conv_i8(p, r, w, depthwise=True),
    "pool2d_i8": _pool_i8,
    "global_avgpool_i8": _global_avgpool_i8,
    "matmul_i8": _matmul_i8,
    "eltwise_i8": _eltwise_i8,
}
