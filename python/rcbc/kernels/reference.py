"""Reference implementations of the kernel library in numpy.

`run(kernel_id, params, read, write)` executes one launch: `read(addr, count)` returns `count`
f32 elements of the tile's memory at byte address `addr`, `write(addr, array)` stores them. The
executors supply both, so a kernel touches exactly the regions `library.accesses` declares.

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

from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from rcbc.kernels.library import (
    Activation,
    ConvFlags,
    EltwiseOp,
    KernelError,
    PoolMode,
    by_id,
)

Read = Callable[[int, int], np.ndarray]
Write = Callable[[int, np.ndarray], None]


def run(kernel_id: int, p: dict, read: Read, write: Write) -> None:
    """Execute one launch of kernel `kernel_id` with parameter values `p`."""
    _IMPLEMENTATIONS[by_id(kernel_id).name](p, read, write)


def activate(x: np.ndarray, p: dict) -> np.ndarray:
    act = Activation(p["activation"])
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


def _padded_window(p: dict, fill: float, kernel: str) -> np.ndarray:
    """The input positions the output block needs, from the window, padding filled with `fill`.

    Returns `[C, rows, cols]` from `_needed_region`. A needed position inside the image but
    outside the window, or a window reaching past the image, is an error.
    """
    c, h, w = p["in_c"], p["in_h"], p["in_w"]
    window = read_block(p, "in_addr", (c, h, w))
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
    padded = np.full((c, rows, cols), fill, dtype=np.float32)
    if need_y[0] < need_y[1] and need_x[0] < need_x[1]:
        padded[:, need_y[0] - y_lo : need_y[1] - y_lo, need_x[0] - x_lo : need_x[1] - x_lo] = window[
            :, need_y[0] - have_y[0] : need_y[1] - have_y[0], need_x[0] - have_x[0] : need_x[1] - have_x[0]
        ]
    return padded


def _windows(padded: np.ndarray, p: dict) -> np.ndarray:
    """`[C, out_h, out_w, kh, kw]` views of the sliding windows over a padded input."""
    ext = ((p["kh"] - 1) * p["dil_h"] + 1, (p["kw"] - 1) * p["dil_w"] + 1)
    views = sliding_window_view(padded, ext, axis=(1, 2))
    return views[:, :: p["stride_h"], :: p["stride_w"], :: p["dil_h"], :: p["dil_w"]][
        :, : p["out_h"], : p["out_w"]
    ]


def read_block(p: dict, field: str, shape: tuple[int, ...]) -> np.ndarray:
    return p["_read"](int(p[field]), int(np.prod(shape))).reshape(shape)


def _conv(p: dict, read: Read, write: Write, depthwise: bool) -> None:
    name = "depthwise_conv2d" if depthwise else "conv2d"
    p = dict(p, _read=read)
    if depthwise and p["in_c"] != p["out_c"]:
        raise KernelError(f"{name}: in_c {p['in_c']} differs from out_c {p['out_c']}")
    windows = _windows(_padded_window(p, 0.0, name), p)
    out_shape = (p["out_c"], p["out_h"], p["out_w"])
    if depthwise:
        weights = read_block(p, "w_addr", (p["out_c"], p["kh"], p["kw"]))
        result = np.einsum("chwij,cij->chw", windows, weights, optimize=True)
    else:
        weights = read_block(p, "w_addr", (p["out_c"], p["in_c"], p["kh"], p["kw"]))
        result = np.einsum("chwij,ocij->ohw", windows, weights, optimize=True)
    _finish(p, result.astype(np.float32), out_shape, (-1, 1, 1), write)


def _finish(
    p: dict, result: np.ndarray, out_shape: tuple[int, ...], bias_shape: tuple[int, ...], write: Write
) -> None:
    """Accumulation and bias, then residual and activation on the final chunk; store.

    `bias_shape` broadcasts the bias vector over the output: `(-1, 1, 1)` for `[C, H, W]`
    blocks, `(1, -1)` for `[M, N]` ones.
    """
    flags = ConvFlags(p["flags"])
    if flags & ConvFlags.ACCUMULATE:
        result = result + read_block(p, "out_addr", out_shape)
    if flags & ConvFlags.BIAS:
        channels = out_shape[bias_shape.index(-1)]
        result = result + read_block(p, "bias_addr", (channels,)).reshape(bias_shape)
    if flags & ConvFlags.FINALIZE:
        if flags & ConvFlags.RESIDUAL:
            result = result + read_block(p, "res_addr", out_shape)
        result = activate(result, p)
    write(int(p["out_addr"]), result.astype(np.float32))


def _pool(p: dict, read: Read, write: Write) -> None:
    p = dict(p, _read=read)
    mode = PoolMode(p["mode"])
    if p["in_c"] != p["out_c"]:
        raise KernelError(f"pool2d: in_c {p['in_c']} differs from out_c {p['out_c']}")
    fill = -np.inf if mode is PoolMode.MAX else 0.0
    windows = _windows(_padded_window(p, fill, "pool2d"), p)
    if mode is PoolMode.MAX:
        result = windows.max(axis=(3, 4))
    elif mode is PoolMode.AVG:
        result = windows.sum(axis=(3, 4)) / np.float32(p["kh"] * p["kw"])
    else:
        y_lo, x_lo, rows, cols = _needed_region(p)
        ys = np.arange(y_lo, y_lo + rows)
        xs = np.arange(x_lo, x_lo + cols)
        inside = ((ys >= 0) & (ys < p["image_h"]))[:, None] & ((xs >= 0) & (xs < p["image_w"]))[None, :]
        counts = _windows(inside[None].astype(np.float32), p).sum(axis=(3, 4))
        result = windows.sum(axis=(3, 4)) / counts
    write(int(p["out_addr"]), result.astype(np.float32))


def _global_avgpool(p: dict, read: Read, write: Write) -> None:
    x = read(int(p["in_addr"]), p["channels"] * p["height"] * p["width"])
    x = x.reshape(p["channels"], p["height"] * p["width"])
    write(int(p["out_addr"]), (x.sum(axis=1) / np.float32(p["height"] * p["width"])).astype(np.float32))


def _matmul(p: dict, read: Read, write: Write) -> None:
    p = dict(p, _read=read)
    x = read_block(p, "in_addr", (p["m"], p["k"]))
    w = read_block(p, "w_addr", (p["n"], p["k"]))
    _finish(p, (x @ w.T).astype(np.float32), (p["m"], p["n"]), (1, -1), write)


def _eltwise(p: dict, read: Read, write: Write) -> None:
    a = read(int(p["a_addr"]), p["count"])
    op = EltwiseOp(p["op"])
    if op is EltwiseOp.ADD:
        a = a + read(int(p["b_addr"]), p["count"])
    elif op is EltwiseOp.MUL:
        a = a * read(int(p["b_addr"]), p["count"])
    write(int(p["out_addr"]), activate(a.astype(np.float32), p).astype(np.float32))


_IMPLEMENTATIONS = {
    "conv2d": lambda p, r, w: _conv(p, r, w, depthwise=False),
    "depthwise_conv2d": lambda p, r, w: _conv(p, r, w, depthwise=True),
    "pool2d": _pool,
    "global_avgpool": _global_avgpool,
    "matmul": _matmul,
    "eltwise": _eltwise,
}
