"""Layers and their blocks: the geometry the partition, place and cost model share.

A `Layer` is what one tensor-level rhal op computes, reduced to the numbers a schedule needs:
input and output feature maps as `[C, H, W]` (batch 1; a matmul's `[K]` and `[N]` are
`[K, 1, 1]` and `[N, 1, 1]`), the sliding window, groups, fused extras, and the kernel of the
library that computes it. A `Block` is a box of the output, `[c0, c0+cn) x [y0, y0+hn) x
[x0, x0+wn)`; a `Chunk` is a range of the input channels summed by one launch. `steps` lists,
for one block, the launches and the regions of every tensor each one reads::

    >>> layer = Layer("conv", "conv2d", in_shape=(64, 56, 56), out_shape=(64, 56, 56),
    ...               kernel=(3, 3), stride=(1, 1), padding=(1, 1), has_bias=True)
    >>> block = Block(c=(0, 16), y=(0, 8), x=(0, 56))
    >>> [s.input for s in layer.steps(block, chunk=32)]
    [Region(c=(0, 32), y=(0, 9), x=(0, 56)), Region(c=(32, 64), y=(0, 9), x=(0, 56))]
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from rcbc.kernels.library import input_span

Range = tuple[int, int]  # [start, stop)


def ranges(total: int, size: int) -> list[Range]:
    """`[0, total)` in pieces of `size`, the last one shorter if `size` does not divide."""
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def length(r: Range) -> int:
    return r[1] - r[0]


WORD = 4  # DMA granularity in bytes


def word_window(ys: Range, xs: Range, height: int, width: int) -> tuple[Range, Range]:
    """An int8 input window widened, inside the image, so that its rows start and end on
    4-byte words where the image's layout allows (a kernel accepts any window that holds the
    positions it needs): columns to multiples of 4 when the width is one, else whole rows, and
    then rows to multiples of `4 / gcd(width, 4)`."""
    if width % WORD == 0:
        return ys, (xs[0] // WORD * WORD, min(-(-xs[1] // WORD) * WORD, width))
    step = WORD // math.gcd(width, WORD)
    return (ys[0] // step * step, min(-(-ys[1] // step) * step, height)), (0, width)


def word_window_extent(rows: int, cols: int, height: int, width: int) -> tuple[int, int]:
    """The most rows and columns `word_window` makes of a window of `rows` x `cols`."""
    if width % WORD == 0:
        return rows, min(cols + 2 * (WORD - 1), width)
    step = WORD // math.gcd(width, WORD)
    return min(rows + 2 * (step - 1), height), width


@dataclass(frozen=True)
class Region:
    """A box of a `[C, H, W]` tensor."""

    c: Range
    y: Range
    x: Range

    @property
    def shape(self) -> tuple[int, int, int]:
        return (length(self.c), length(self.y), length(self.x))

    @property
    def elements(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class Block:
    """A box of a layer's output, computed by one tile."""

    c: Range
    y: Range
    x: Range

    @property
    def region(self) -> Region:
        return Region(self.c, self.y, self.x)


@dataclass(frozen=True)
class Step:
    """One launch of a block: the input channels it sums and the regions it reads."""

    chunk: Range  # input channels summed, relative to the block's group
    input: Region  # of the input feature map
    weights: Range | None  # input channels of the weight block (None: no weights)
    first: bool  # starts the block: bias or zero
    last: bool  # finishes the block: residual and activation


@dataclass(frozen=True)
class Layer:
    """What one tensor-level rhal op computes. Kinds are the kernels of the library."""

    name: str
    kind: str  # conv2d | depthwise_conv2d | pool2d | global_avgpool | matmul | eltwise
    in_shape: tuple[int, int, int]
    out_shape: tuple[int, int, int]
    kernel: tuple[int, int] = (1, 1)
    stride: tuple[int, int] = (1, 1)
    dilation: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)  # top, left (bottom and right follow from the shapes)
    groups: int = 1
    has_bias: bool = False
    has_residual: bool = False  # conv: a residual added before the activation
    has_second_input: bool = False  # eltwise add/mul
    mode: int = 0  # pool2d mode or eltwise op (rcbc.kernels.library codes)
    activation: int = 0
    act_min: float = 0.0
    act_max: float = 0.0
    dtype: str = "f32"  # the kernels' operand type: f32 or i8 (`rhal.dtype` on the op)
    quant: tuple[tuple[str, int], ...] = ()  # an i8 layer's quantization fields (`rhal.quant`)

    @property
    def int8(self) -> bool:
        return self.dtype == "i8"

    @property
    def element(self) -> int:
        """Bytes of an activation or weight element."""
        return 1 if self.int8 else 4

    # -- shape facts ---------------------------------------------------------------------------

    @property
    def reduces_channels(self) -> bool:
        """True when a launch sums over input channels that are not its output channels."""
        return self.kind in ("conv2d", "matmul")

    @property
    def group_in(self) -> int:
        """Input channels each output channel reads (the chunkable reduction)."""
        if self.kind == "conv2d":
            return self.in_shape[0] // self.groups
        if self.kind == "matmul":
            return self.in_shape[0]
        return 1

    @property
    def group_out(self) -> int:
        return self.out_shape[0] // self.groups if self.kind == "conv2d" else self.out_shape[0]

    @property
    def weight_shape(self) -> tuple[int, ...] | None:
        if self.kind == "conv2d":
            return (self.out_shape[0], self.group_in, *self.kernel)
        if self.kind == "depthwise_conv2d":
            return (self.out_shape[0], 1, *self.kernel)
        if self.kind == "matmul":
            return (self.out_shape[0], self.in_shape[0])
        return None

    def macs(self, block: Block, chunk: Range) -> int:
        """MACs of one launch (elementwise work counts one per output element)."""
        out = block.region.elements
        taps = self.kernel[0] * self.kernel[1]
        if self.kind == "conv2d":
            return out * length(chunk) * taps
        if self.kind in ("depthwise_conv2d", "pool2d"):
            return out * taps
        if self.kind == "global_avgpool":
            return length(block.c) * self.in_shape[1] * self.in_shape[2]
        if self.kind == "matmul":
            return length(block.c) * length(chunk)
        return out

    # -- blocks --------------------------------------------------------------------------------

    @property
    def shares_input(self) -> bool:
        """Whether every output channel reads the same input channels (a convolution of one
        group, a matmul): blocks of one spatial window then read the same input window."""
        return self.kind == "matmul" or (self.kind == "conv2d" and self.groups == 1)

    def blocks(self, shape: tuple[int, int, int], input_stationary: bool = False) -> list[Block]:
        """The output in blocks of `shape` (C, H, W), remainders last: channel-major, so that
        consecutive blocks share their weights, or with `input_stationary` spatial-major, so
        that they share their input window (where the layer `shares_input`).

        Convolution blocks never straddle a group, so grouped layers split channels per group.
        """
        cb, hb, wb = shape
        channel_ranges = [
            (g * self.group_out + lo, g * self.group_out + hi)
            for g in range(self.groups if self.kind == "conv2d" else 1)
            for lo, hi in ranges(self.group_out, min(cb, self.group_out))
        ]
        windows = [(y, x) for y in ranges(self.out_shape[1], hb) for x in ranges(self.out_shape[2], wb)]
        if input_stationary:
            return [Block(c, y, x) for y, x in windows for c in channel_ranges]
        return [Block(c, y, x) for c in channel_ranges for y, x in windows]

    def steps(self, block: Block, chunk: int) -> list[Step]:
        """The launches of one block, `chunk` input channels at a time."""
        chunks = ranges(self.group_in, chunk) if self.reduces_channels else [(0, 1)]
        return [
            Step(
                chunk=ch,
                input=self.input_region(block, ch),
                weights=ch if self.weight_shape else None,
                first=i == 0,
                last=i == len(chunks) - 1,
            )
            for i, ch in enumerate(chunks)
        ]

    def input_region(self, block: Block, chunk: Range) -> Region:
        """The part of the input feature map a launch reads."""
        _, in_h, in_w = self.in_shape
        if self.kind == "matmul":
            return Region(chunk, (0, 1), (0, 1))
        if self.kind == "global_avgpool":
            return Region(block.c, (0, in_h), (0, in_w))
        if self.kind == "eltwise":
            return block.region
        if self.kind == "conv2d":
            base = (block.c[0] // self.group_out) * self.group_in
            channels = (base + chunk[0], base + chunk[1])
        else:
            channels = block.c
        ys = input_span(block.y[0], length(block.y), self.kernel[0], self.stride[0],
                        self.dilation[0], self.padding[0], in_h)
        xs = input_span(block.x[0], length(block.x), self.kernel[1], self.stride[1],
                        self.dilation[1], self.padding[1], in_w)
        if self.int8:
            ys, xs = word_window(ys, xs, in_h, in_w)
        return Region(channels, ys, xs)

    def iter_steps(self, shape: tuple[int, int, int], chunk: int) -> Iterator[tuple[Block, Step]]:
        for block in self.blocks(shape):
            for step in self.steps(block, chunk):
                yield block, step
