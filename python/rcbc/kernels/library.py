"""The kernel library contract: kernel ids and the layout of each kernel's parameter block.

A `launch` record names a kernel by id and points at its parameter block in the tile's memory.
The block is a sequence of 32-bit little-endian words, one per field, in the order declared here;
float fields are stored as their IEEE-754 bits. The compiler packs blocks with `pack`, executors
read them with `unpack`; both ask `accesses` which tile-memory regions a launch reads and writes.

    >>> from rcbc.kernels import library
    >>> k = library.by_name("global_avgpool")
    >>> k.id, k.fields
    (4, ('dtype', 'in_addr', 'channels', 'height', 'width', 'out_addr'))
    >>> block = library.pack("global_avgpool", dtype=0, in_addr=1024, channels=8, height=7,
    ...                      width=7, out_addr=4096)
    >>> len(block), library.unpack(4, block)["width"]
    (24, 7)

Tensors in tile buffers are dense and row-major: a feature-map block is `[C, H, W]`, a
convolution weight block `[O, I, KH, KW]`, a matmul weight block `[N, K]` (PyTorch's `Linear`
layout). Spatial blocks of feature maps are *windows*: the rows `[y0, y0 + h)` and columns
`[x0, x0 + w)` of the (unpadded) image of `image_h` x `image_w`. Positions a kernel needs outside the
image are padding: zero for convolutions and average pooling, ignored by max pooling. Every
needed position inside the image must lie inside the input window; a kernel rejects a launch
whose window misses one (a scheduling bug, never silently read as padding).

Kernel ids 1 to 6 compute in f32. Ids 7 to 12 are their int8 counterparts (`conv2d_i8`, ...):
int8 activations and weights, int32 bias and accumulators, requantized to int8 by fixed-point
multipliers (`rcbc.kernels.fixed_point`), with zero points and clamps among their fields. The
kernel of a layer is `kernel_for(kind, dtype)`::

    >>> kernel_for("conv2d", DType.I8).id, kernel_for("conv2d", DType.I8).kind
    (7, 'conv2d')

The full semantics of each kernel are in `docs/kernels.md`; `rcbc.kernels.reference` implements
them with numpy.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum, IntFlag


class DType(IntEnum):
    """Element type of a kernel's activations and weights (the `dtype` field of every block).

    Its lower-case name is the key of `Target.macs_per_cycle`.
    """

    F32 = 0
    I8 = 1  # int32 bias and accumulators


DTYPE_SIZE = {DType.F32: 4, DType.I8: 1}
ACC_SIZE = 4
"""Bytes of an accumulator (f32 or int32) and of a bias element, for every dtype."""


class Activation(IntEnum):
    """Applied to a kernel's result: conv, matmul and eltwise share these codes."""

    NONE = 0
    RELU = 1
    CLAMP = 2  # clamp to [act_min, act_max]: ReLU6, hardtanh
    SIGMOID = 3
    HARDSWISH = 4


class ConvFlags(IntFlag):
    """Flags of the convolution and matmul kernels.

    Input channels may be split into chunks computed by successive launches on one output
    block: the first launch starts from the bias (BIAS) or zero, later ones ACCUMULATE into the
    output block, and the last one FINALIZEs it: adds the residual block (RESIDUAL) and applies
    the activation. ACCUMULATE and BIAS together start from the output block's contents plus
    the bias (a residual loaded into the output block beforehand).
    """

    ACCUMULATE = 1
    BIAS = 2
    FINALIZE = 4
    RESIDUAL = 8


class PoolMode(IntEnum):
    MAX = 0
    AVG = 1  # divides by the window size (PyTorch's count_include_pad=True)
    AVG_VALID = 2  # divides by the positions inside the image (count_include_pad=False)


class EltwiseOp(IntEnum):
    COPY = 0  # out = act(a)
    ADD = 1  # out = act(a + b)
    MUL = 2  # out = act(a * b)


FLOAT_FIELDS = frozenset({"act_min", "act_max"})
"""Fields stored as IEEE-754 f32 bits."""
SIGNED_FIELDS = frozenset(
    {"in_zp", "out_zp", "res_zp", "zero_point", "a_zp", "b_zp", "q_min", "q_max"}
)
"""Integer fields that may be negative (zero points and int8 clamps); the others may not."""

_WINDOW_IN = ("in_addr", "in_c", "in_h", "in_w", "in_y0", "in_x0")
_WINDOW_OUT = ("out_addr", "out_c", "out_h", "out_w", "out_y0", "out_x0")
_SLIDING = ("kh", "kw", "stride_h", "stride_w", "dil_h", "dil_w", "pad_top", "pad_left")
_CONV = ("dtype", *_WINDOW_IN, "w_addr", "bias_addr", *_WINDOW_OUT, *_SLIDING, "image_h",
         "image_w", "flags", "res_addr")
_REQUANT = ("requant_addr", "out_zp")
_CLAMP = ("q_min", "q_max")


@dataclass(frozen=True)
class Kernel:
    """One kernel of the library: its stable id, name, parameter-block fields and dtype."""

    id: int
    name: str
    fields: tuple[str, ...]
    summary: str
    dtype: DType = DType.F32

    @property
    def block_size(self) -> int:
        return 4 * len(self.fields)

    @property
    def kind(self) -> str:
        """The layer kind it computes, the same for every dtype: ``conv2d`` for ``conv2d_i8``."""
        return self.name.removesuffix("_i8")


KERNELS: tuple[Kernel, ...] = (
    Kernel(
        1,
        "conv2d",
        (*_CONV, "activation", "act_min", "act_max"),
        "dense 2-D convolution of an input-channel chunk into an output block",
    ),
    Kernel(
        2,
        "depthwise_conv2d",
        (*_CONV, "activation", "act_min", "act_max"),
        "depthwise 2-D convolution (one filter per channel) of a channel block",
    ),
    Kernel(
        3,
        "pool2d",
        ("dtype", *_WINDOW_IN, *_WINDOW_OUT, *_SLIDING, "image_h", "image_w", "mode"),
        "max or average pooling of a channel block",
    ),
    Kernel(
        4,
        "global_avgpool",
        ("dtype", "in_addr", "channels", "height", "width", "out_addr"),
        "mean over H and W of a [C, H, W] block into [C]",
    ),
    Kernel(
        5,
        "matmul",
        ("dtype", "in_addr", "m", "k", "w_addr", "bias_addr", "out_addr", "n", "flags",
         "activation", "act_min", "act_max"),
        "out[m, n] (+)= in[m, k] @ w[n, k]^T (+ bias[n]), for fully connected layers",
    ),
    Kernel(
        6,
        "eltwise",
        ("dtype", "a_addr", "b_addr", "out_addr", "count", "op", "activation", "act_min",
         "act_max"),
        "elementwise add, multiply or copy of `count` elements, then an activation",
    ),
    Kernel(
        7,
        "conv2d_i8",
        (*_CONV, "in_zp", *_REQUANT, "res_zp", "res_mult", "res_shift", *_CLAMP),
        "conv2d on int8, int32 accumulator, requantized per output channel",
        DType.I8,
    ),
    Kernel(
        8,
        "depthwise_conv2d_i8",
        (*_CONV, "in_zp", *_REQUANT, "res_zp", "res_mult", "res_shift", *_CLAMP),
        "depthwise_conv2d on int8, int32 accumulator, requantized per channel",
        DType.I8,
    ),
    Kernel(
        9,
        "pool2d_i8",
        ("dtype", *_WINDOW_IN, *_WINDOW_OUT, *_SLIDING, "image_h", "image_w", "mode",
         "zero_point"),
        "pool2d on int8, output with the input's scale and zero point",
        DType.I8,
    ),
    Kernel(
        10,
        "global_avgpool_i8",
        ("dtype", "in_addr", "channels", "height", "width", "out_addr", "zero_point"),
        "global_avgpool on int8, output with the input's scale and zero point",
        DType.I8,
    ),
    Kernel(
        11,
        "matmul_i8",
        ("dtype", "in_addr", "m", "k", "w_addr", "bias_addr", "out_addr", "n", "flags", "in_zp",
         *_REQUANT, *_CLAMP),
        "matmul on int8, int32 accumulator, requantized per output column",
        DType.I8,
    ),
    Kernel(
        12,
        "eltwise_i8",
        ("dtype", "a_addr", "b_addr", "out_addr", "count", "op", "a_zp", "a_mult", "a_shift",
         "b_zp", "b_mult", "b_shift", "out_zp", *_CLAMP),
        "eltwise on int8: each operand rescaled to the output's scale, then clamped",
        DType.I8,
    ),
)

_BY_ID = {k.id: k for k in KERNELS}
_BY_NAME = {k.name: k for k in KERNELS}


class KernelError(ValueError):
    """A parameter block that does not match its kernel's contract."""


def by_id(kernel_id: int) -> Kernel:
    try:
        return _BY_ID[kernel_id]
    except KeyError:
        raise KernelError(f"unknown kernel id {kernel_id}") from None


def by_name(name: str) -> Kernel:
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(_BY_NAME)
        raise KernelError(f"unknown kernel '{name}'; known kernels: {known}") from None


def kernel_for(kind: str, dtype: DType) -> Kernel:
    """The kernel computing a layer of `kind` (``conv2d``, ``pool2d``, ...) in `dtype`."""
    return by_name(kind if dtype is DType.F32 else f"{kind}_{dtype.name.lower()}")


def quant_fields(name: str) -> tuple[str, ...]:
    """The quantization fields of an int8 kernel, in its parameter block's order: the fields
    its f32 counterpart has not, addresses (``requant_addr``) aside; none for an f32 kernel.

        >>> quant_fields("matmul_i8")
        ('in_zp', 'out_zp', 'q_min', 'q_max')
    """
    kernel = by_name(name)
    f32 = set(kernel_for(kernel.kind, DType.F32).fields)
    return tuple(f for f in kernel.fields if f not in f32 and not f.endswith("_addr"))


def pack(name: str, **values: int | float) -> bytes:
    """The parameter block of kernel `name`; every field must be given and fit its word."""
    kernel = by_name(name)
    missing = [f for f in kernel.fields if f not in values]
    extra = [f for f in values if f not in kernel.fields]
    if missing or extra:
        raise KernelError(
            f"kernel {name}: "
            + "; ".join(
                part
                for part in (
                    f"missing fields {', '.join(missing)}" if missing else "",
                    f"unknown fields {', '.join(extra)}" if extra else "",
                )
                if part
            )
        )
    words = []
    for field in kernel.fields:
        value = values[field]
        if field in FLOAT_FIELDS:
            words.append(struct.pack("<f", float(value)))
            continue
        low, what = (-(2**31), "an i32") if field in SIGNED_FIELDS else (0, "a non-negative i32")
        if not isinstance(value, int) or not low <= value < 2**31:
            raise KernelError(f"kernel {name}: field {field} = {value!r} does not fit {what}")
        words.append(struct.pack("<i", value))
    return b"".join(words)


def unpack(kernel_id: int, block: bytes) -> dict[str, int | float]:
    """The fields of a parameter block of kernel `kernel_id` (block may be longer)."""
    kernel = by_id(kernel_id)
    if len(block) < kernel.block_size:
        raise KernelError(
            f"kernel {kernel.name}: parameter block of {len(block)} bytes is shorter than "
            f"its {kernel.block_size} bytes"
        )
    values: dict[str, int | float] = {}
    for i, field in enumerate(kernel.fields):
        word = block[4 * i : 4 * i + 4]
        values[field] = struct.unpack("<f" if field in FLOAT_FIELDS else "<i", word)[0]
    return values


@dataclass(frozen=True)
class Access:
    """A region of tile memory a launch reads or writes."""

    address: int
    size: int
    writes: bool
    what: str  # the parameter naming the region, for messages


def accesses(kernel_id: int, p: dict[str, int | float]) -> list[Access]:
    """The regions of tile memory a launch with parameters `p` reads and writes.

    Activations and weights take `DTYPE_SIZE[kernel.dtype]` bytes an element; biases and
    accumulators 4. An int8 conv or matmul block that is not finalized holds int32 accumulators
    at `out_addr`, the finalizing launch writes int8 over their first bytes.
    """
    kernel = by_id(kernel_id)
    esize = DTYPE_SIZE[kernel.dtype]
    quantized = kernel.dtype is not DType.F32
    regions: list[Access] = []

    def region(addr_field: str, size: int, writes: bool = False) -> None:
        regions.append(Access(int(p[addr_field]), size, writes, addr_field))

    def finish(out_elems: int, channels: int, residual: bool) -> None:
        flags = ConvFlags(p["flags"])
        if flags & ConvFlags.ACCUMULATE:
            region("out_addr", out_elems * ACC_SIZE)
        if flags & ConvFlags.BIAS:
            region("bias_addr", channels * ACC_SIZE)
        if flags & ConvFlags.FINALIZE and quantized:
            region("requant_addr", channels * 8)
        if flags & ConvFlags.FINALIZE and residual and flags & ConvFlags.RESIDUAL:
            region("res_addr", out_elems * esize)
        final = flags & ConvFlags.FINALIZE
        region("out_addr", out_elems * (esize if final else ACC_SIZE), writes=True)

    if kernel.kind in ("conv2d", "depthwise_conv2d"):
        region("in_addr", p["in_c"] * p["in_h"] * p["in_w"] * esize)
        in_per_filter = p["in_c"] if kernel.kind == "conv2d" else 1
        region("w_addr", p["out_c"] * in_per_filter * p["kh"] * p["kw"] * esize)
        finish(p["out_c"] * p["out_h"] * p["out_w"], p["out_c"], residual=True)
    elif kernel.kind == "pool2d":
        region("in_addr", p["in_c"] * p["in_h"] * p["in_w"] * esize)
        region("out_addr", p["out_c"] * p["out_h"] * p["out_w"] * esize, writes=True)
    elif kernel.kind == "global_avgpool":
        region("in_addr", p["channels"] * p["height"] * p["width"] * esize)
        region("out_addr", p["channels"] * esize, writes=True)
    elif kernel.kind == "matmul":
        region("in_addr", p["m"] * p["k"] * esize)
        region("w_addr", p["n"] * p["k"] * esize)
        finish(p["m"] * p["n"], p["n"], residual=False)
    elif kernel.kind == "eltwise":
        region("a_addr", p["count"] * esize)
        if p["op"] != EltwiseOp.COPY:
            region("b_addr", p["count"] * esize)
        region("out_addr", p["count"] * esize, writes=True)
    return regions


def accumulator(kernel_id: int, p: dict[str, int | float]) -> Access | None:
    """The output block a launch only adds its partial sum to, or None.

    That is a conv2d, depthwise_conv2d or matmul launch (f32 or int8) whose flags are
    `ACCUMULATE` alone: it stores `partial + out` at `out_addr`, an f32 sum or an int32 one
    modulo 2**32, and its partial sum does not depend on the earlier chunks. (With `BIAS` or
    `FINALIZE` it does more.)
    """
    kernel = by_id(kernel_id)
    if kernel.kind not in ("conv2d", "depthwise_conv2d", "matmul") or p["flags"] != ConvFlags.ACCUMULATE:
        return None
    return next(a for a in accesses(kernel_id, p) if a.what == "out_addr" and not a.writes)


_POSITION_FIELDS = frozenset({"in_y0", "in_x0", "out_y0", "out_x0", "pad_top", "pad_left",
                              "image_h", "image_w"})


def arithmetic_key(kernel_id: int, p: dict[str, int | float]) -> tuple:
    """What a launch's arithmetic depends on besides its operands: two launches with the same
    key compute the same function of the bytes they read (and reject the same way).

    That is every field but the addresses; of a window (conv2d, depthwise_conv2d, pool2d), not
    where its blocks lie in the image but, along each axis, where the input the output block
    needs starts in the input window, how much of it is padding before and after the image,
    and whether the window reaches past the image::

        >>> p = dict(unpack(3, bytes(4 * len(by_id(3).fields))), in_c=8, out_c=8, in_h=6,
        ...          in_w=8, out_h=4, out_w=8, kh=3, kw=3, stride_h=1, stride_w=1, dil_h=1,
        ...          dil_w=1, pad_top=1, pad_left=1, image_h=16, image_w=8)
        >>> inner = lambda y: arithmetic_key(3, dict(p, out_y0=y, in_y0=y - 1))
        >>> inner(4) == inner(8), inner(0) == inner(4)   # the top block is padded
        (True, False)
    """
    kernel = by_id(kernel_id)
    fields = tuple((f, struct.pack("<f", p[f]) if f in FLOAT_FIELDS else p[f]) for f in kernel.fields
                   if not f.endswith("_addr") and f not in _POSITION_FIELDS)  # floats by their bits: -0.0 is not 0.0
    if "image_h" not in kernel.fields:
        return (kernel_id, fields)

    def axis(out0: str, in0: str, out_n: str, in_n: str, k: str, stride: str, dil: str, pad: str,
             image: str) -> tuple[int, int, int, bool]:
        lo = p[out0] * p[stride] - p[pad]
        extent = (p[out_n] - 1) * p[stride] + (p[k] - 1) * p[dil] + 1
        return lo - p[in0], max(0, -lo), max(0, lo + extent - p[image]), p[in0] + p[in_n] > p[image]

    return (kernel_id, fields,
            axis("out_y0", "in_y0", "out_h", "in_h", "kh", "stride_h", "dil_h", "pad_top", "image_h"),
            axis("out_x0", "in_x0", "out_w", "in_w", "kw", "stride_w", "dil_w", "pad_left", "image_w"))


def input_span(
    out_start: int, out_count: int, kernel: int, stride: int, dilation: int, pad: int, image: int
) -> tuple[int, int]:
    """The input rows (or columns) `[lo, hi)` inside the image that `out_count` outputs need.

    Output `o` reads inputs `o * stride - pad + j * dilation` for `j < kernel`; positions outside
    `[0, image)` are padding. This is the window a block's input transfer must cover::

        >>> input_span(0, 28, kernel=3, stride=2, dilation=1, pad=1, image=56)
        (0, 56)
        >>> input_span(14, 14, kernel=3, stride=2, dilation=1, pad=1, image=56)
        (27, 56)
    """
    lo = out_start * stride - pad
    hi = (out_start + out_count - 1) * stride - pad + (kernel - 1) * dilation + 1
    return max(lo, 0), min(hi, image)


def macs(kernel_id: int, p: dict[str, int | float]) -> int:
    """Multiply-accumulates of one launch, for the timing model (elementwise work counts 1)."""
    name = by_id(kernel_id).kind
    out_elems = p.get("out_c", 0) * p.get("out_h", 0) * p.get("out_w", 0)
    if name == "conv2d":
        return out_elems * p["in_c"] * p["kh"] * p["kw"]
    if name in ("depthwise_conv2d", "pool2d"):
        return out_elems * p["kh"] * p["kw"]
    if name == "global_avgpool":
        return p["channels"] * p["height"] * p["width"]
    if name == "matmul":
        return p["m"] * p["n"] * p["k"]
    return p["count"]
