"""Block shapes: what fits a tile, what it costs, and the choice per layer.

A block shape is output channels x rows x columns, plus the input-channel chunk one launch
sums. Its *footprint* is the tile memory the schedule of `rhal-place` needs for it: two slots
(ping-pong) of every buffer a launch reads or writes, and of the parameter block. Its *cost*
is the modeled time of the whole layer on the tile budget, the slowest of

- the busiest tile: its blocks one after another, each taking the longest of its compute, its
  input transfers and its output transfer (double buffering overlaps them);
- off-chip traffic: all bytes the layer moves to or from DDR over the bandwidth the interface
  channels and DDR give together;
- the controller: it dispatches every record of the layer one after another.

Shapes that do not fit are discarded. Among the rest, the shapes within `TOLERANCE` of the
cheapest are taken as equally fast — the model is not finer than that — and the one with the
fewest records wins: a smaller program, less work for the controller. Layers move between
memory- and compute-bound, so each layer gets its own.

    >>> from rcbc import targets
    >>> from rcbc.lowering.layers import Layer
    >>> conv = Layer("layer1.0.conv1", "conv2d", (64, 56, 56), (64, 56, 56), kernel=(3, 3),
    ...              padding=(1, 1), has_bias=True)
    >>> choice = choose(conv, targets.get("aie-ml"), tiles=28, ddr_channels=8)
    >>> choice.footprint <= 65536 - 1024
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from rcbc import targets
from rcbc.kernels import library
from rcbc.lowering.layers import Block, Layer
from rcbc.runtime.timing import DISPATCH_CYCLES, DMA_TASK_CYCLES, TimingModel

ELEMENT_BYTES = 4  # f32
PARAM_SLOTS = 8  # parameter blocks the controller can write ahead of the kernels on one tile
TOLERANCE = 0.05  # modeled costs this close to the cheapest count as equal


class NoFit(ValueError):
    """No block shape of a layer fits a tile's memory."""


@dataclass(frozen=True)
class BlockChoice:
    """A layer's block shape with its footprint and modeled cost."""

    shape: tuple[int, int, int]  # output channels, rows, columns
    chunk: int  # input channels per launch
    footprint: int  # bytes of tile memory
    cycles: float  # modeled cycles of the layer on the budget
    compute_cycles: float  # of the busiest tile
    transfer_cycles: float  # the slowest of the busiest tile's transfers and off-chip traffic
    ddr_bytes: int
    launches: int
    transfers: int

    @property
    def records(self) -> int:
        """Control records of the layer: a parameter write and a launch per launch, a DMA per
        transfer."""
        return 2 * self.launches + self.transfers


def input_extent(out: int, kernel: int, stride: int, dilation: int, image: int) -> int:
    """Input rows (or columns) that `out` consecutive outputs read, at most."""
    return min((out - 1) * stride + (kernel - 1) * dilation + 1, image)


@dataclass(frozen=True)
class Buffers:
    """Bytes of each buffer role of one block (one slot)."""

    input: int
    weights: int
    bias: int
    output: int
    second: int  # an elementwise op's second operand
    params: int

    @property
    def footprint(self) -> int:
        return 2 * (self.input + self.weights + self.bias + self.output + self.second) + PARAM_SLOTS * self.params


def buffers(layer: Layer, shape: tuple[int, int, int], chunk: int) -> Buffers:
    cb, hb, wb = shape
    c_in, h_in, w_in = layer.in_shape
    if layer.kind == "matmul":
        in_elems = chunk
    elif layer.kind == "global_avgpool":
        in_elems = cb * h_in * w_in
    elif layer.kind == "eltwise":
        in_elems = cb * hb * wb
    else:
        channels = chunk if layer.kind == "conv2d" else cb
        rows = input_extent(hb, layer.kernel[0], layer.stride[0], layer.dilation[0], h_in)
        cols = input_extent(wb, layer.kernel[1], layer.stride[1], layer.dilation[1], w_in)
        in_elems = channels * rows * cols
    taps = layer.kernel[0] * layer.kernel[1]
    weights = {"conv2d": cb * chunk * taps, "depthwise_conv2d": cb * taps, "matmul": cb * chunk}
    out_elems = cb * hb * wb
    return Buffers(
        input=in_elems * ELEMENT_BYTES,
        weights=weights.get(layer.kind, 0) * ELEMENT_BYTES,
        bias=cb * ELEMENT_BYTES if layer.has_bias else 0,
        output=out_elems * ELEMENT_BYTES,
        # A convolution's residual is loaded into its output block, which accumulates onto it.
        second=out_elems * ELEMENT_BYTES if layer.has_second_input else 0,
        params=library.by_name(layer.kind).block_size,
    )


def candidates(n: int, minimum: int = 1) -> list[int]:
    """Sizes worth trying for a dimension of `n`: powers of two, divisors of `n`, `n` itself."""
    sizes = {n} | {d for d in range(minimum, n + 1) if n % d == 0}
    sizes |= {1 << k for k in range(0, n.bit_length()) if (1 << k) >= minimum}
    return sorted(s for s in sizes if minimum <= s <= n)


def cost(
    layer: Layer, shape: tuple[int, int, int], chunk: int, timing: TimingModel, tiles: int
) -> BlockChoice:
    """The modeled cost of a layer blocked by `shape` and `chunk` on `tiles` tiles."""
    cb, hb, wb = shape
    sizes = buffers(layer, shape, chunk)
    groups = layer.groups if layer.kind == "conv2d" else 1
    blocks = (
        groups
        * math.ceil(layer.group_out / cb)
        * math.ceil(layer.out_shape[1] / hb)
        * math.ceil(layer.out_shape[2] / wb)
    )
    steps = math.ceil(layer.group_in / chunk) if layer.reduces_channels else 1
    per_tile = math.ceil(blocks / tiles)
    spatial = math.ceil(layer.out_shape[1] / hb) * math.ceil(layer.out_shape[2] / wb)
    resident = steps == 1  # one chunk: the weight block stays for every block of its channels
    weight_loads = (min(per_tile, math.ceil(per_tile / spatial) + 1) if resident else per_tile * steps)
    launch_macs = layer.macs(_full_block(shape), (0, chunk))
    compute = per_tile * steps * timing.kernel_cycles(layer.kind, launch_macs)
    input_bytes = per_tile * steps * sizes.input
    second = sizes.output if layer.has_residual else sizes.second  # bytes per block
    side_bytes = weight_loads * (sizes.weights + sizes.bias) + per_tile * (second + steps * sizes.params)
    output_bytes = per_tile * sizes.output
    input_tasks = per_tile * steps
    side_tasks = weight_loads + per_tile * (second > 0)
    tile_transfer = max(
        timing.dma_cycles(input_bytes, ddr=True) + (input_tasks - 1) * DMA_TASK_CYCLES,
        timing.dma_cycles(side_bytes, ddr=True) + (side_tasks - 1) * DMA_TASK_CYCLES,
        timing.dma_cycles(output_bytes, ddr=True) + (per_tile - 1) * DMA_TASK_CYCLES,
    )
    used = min(tiles, blocks)
    ddr_bytes = used * (input_bytes + side_bytes + output_bytes)
    ddr_rate = timing.ddr_channels * timing.target.stream_bytes_per_cycle
    if timing.target.ddr_bandwidth is not None:
        ddr_rate = min(ddr_rate, timing.target.ddr_bandwidth / timing.target.clock_hz)
    transfer = max(tile_transfer, ddr_bytes / ddr_rate)
    # Per launch: its parameter block and the launch; per step an input transfer; weights as
    # loaded; per block the output, and bias and residual where the layer has them.
    transfers = blocks * steps + used * weight_loads + blocks * (1 + (second > 0))
    choice = BlockChoice(
        shape=shape,
        chunk=chunk,
        footprint=sizes.footprint,
        cycles=max(compute, transfer),
        compute_cycles=compute,
        transfer_cycles=transfer,
        ddr_bytes=ddr_bytes,
        launches=blocks * steps,
        transfers=transfers,
    )
    dispatch = choice.records * DISPATCH_CYCLES
    return replace(choice, cycles=max(choice.cycles, dispatch)) if dispatch > choice.cycles else choice


def _full_block(shape: tuple[int, int, int]) -> Block:
    cb, hb, wb = shape
    return Block((0, cb), (0, hb), (0, wb))


def choose(layer: Layer, target: targets.Target, tiles: int, ddr_channels: int) -> BlockChoice:
    """The cheapest block shape of `layer` whose footprint fits a compute tile."""
    budget = target.compute.memory - target.stack_bytes
    timing = TimingModel(target, ddr_channels=ddr_channels)
    out_c, out_h, out_w = layer.out_shape
    chunks = candidates(layer.group_in) if layer.reduces_channels else [1]
    fitting = []
    smallest = None
    for cb in candidates(layer.group_out):
        for hb in candidates(out_h):
            for wb in candidates(out_w):
                for chunk in chunks:
                    footprint = buffers(layer, (cb, hb, wb), chunk).footprint
                    if smallest is None or footprint < smallest[0]:
                        smallest = (footprint, (cb, hb, wb), chunk)
                    if footprint > budget:
                        break  # larger chunks only grow the footprint
                    fitting.append(cost(layer, (cb, hb, wb), chunk, timing, tiles))
    if not fitting:
        footprint, shape, chunk = smallest
        raise NoFit(
            f"layer {layer.name}: the smallest block ({shape[0]} channels x {shape[1]} x "
            f"{shape[2]}, {chunk} input channels per launch) needs {footprint} bytes of tile "
            f"memory, but a {target.name} compute tile has {budget} after its "
            f"{target.stack_bytes}-byte stack"
        )
    cheapest = min(choice.cycles for choice in fitting)
    return min(
        (choice for choice in fitting if choice.cycles <= cheapest * (1 + TOLERANCE)),
        key=lambda choice: (choice.records, choice.cycles),
    )
