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

A tile runs a contiguous run of the layer's blocks and keeps what consecutive blocks share:
channel-major, their weight chunk. Where every output channel reads the same input and a block
sums its input channels in one launch, a shape is also costed *input stationary*: its blocks
spatial-major, so that a tile loads each input window once for the blocks of several channel
ranges and their weights in turn. It is chosen when that is faster by more than `TOLERANCE`
(int8 ResNet-18's first layers, which move far more activations than weights, where their
input windows are not staged in memory tiles).

Asked to (`rhal-partition{stage-weights=true}`, `{stage-inputs=true}`), on a target with
memory tiles, a shape whose weight chunks (input windows) are loaded more than once is also
costed *staged* (`rhal-place`): each shared chunk read from DDR once into a memory tile and sent
from there to every tile that loads it, one load after another on each of its channels. That
spares DDR traffic and costs time on the memory tile's channels; the shape is staged when that
is faster by more than `TOLERANCE`.

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

import functools
import math
from dataclasses import dataclass

from rcbc import targets
from rcbc.kernels import library
from rcbc.lowering import patterns
from rcbc.lowering.layers import Block, Layer, word_window_extent
from rcbc.runtime.timing import DISPATCH_CYCLES, DMA_TASK_CYCLES, TimingModel

ELEMENT_BYTES = 4  # f32
PARAM_SLOTS = 8  # parameter blocks the controller can write ahead of the kernels on one tile
TOLERANCE = 0.05  # modeled costs this close to the cheapest count as equal
BALANCED_MULTIPLE = 8  # a block size cut to spread a dimension evenly is a multiple of this
# A staged chunk (weights or an input window) arrives in its memory tile on one channel and
# leaves on two, its loads taking them in turn: its arrival releases a lock per sending channel
# (rhal-schedule-dma makes a lock per pair of channels), and a record holds two releases.
STAGE_SEND_CHANNELS = 2


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
    staged: bool = False  # weight chunks several loads share go through memory tiles
    input_stationary: bool = False  # a tile's blocks run spatial-major, keeping input windows
    staged_inputs: bool = False  # input windows several loads share go through memory tiles

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
    second: int  # an elementwise op's second operand, an int8 convolution's residual
    params: int
    requant: int = 0  # an int8 layer's requantization table: (multiplier, shift) per channel

    @property
    def footprint(self) -> int:
        data = self.input + self.weights + self.bias + self.output + self.second + self.requant
        return 2 * data + PARAM_SLOTS * self.params


def buffers(layer: Layer, shape: tuple[int, int, int], chunk: int) -> Buffers:
    """The buffers of a block. f32: 4 bytes an element. int8 (`layer.dtype` ``i8``):
    activations, weights and residual 1 byte an element, bias 4 and requantization table 8 a
    channel, and the output block 4 bytes an element (the int32 accumulator) when it takes more
    than one input-channel chunk, else 1 (docs/kernels.md)."""
    cb, hb, wb = shape
    c_in, h_in, w_in = layer.in_shape
    element = layer.element
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
        if layer.int8:  # windows widened to whole words (Layer.input_region)
            rows, cols = word_window_extent(rows, cols, h_in, w_in)
        in_elems = channels * rows * cols
    taps = layer.kernel[0] * layer.kernel[1]
    weights = {"conv2d": cb * chunk * taps, "depthwise_conv2d": cb * taps, "matmul": cb * chunk}
    out_elems = cb * hb * wb
    if layer.int8:
        chunks = math.ceil(layer.group_in / chunk) if layer.reduces_channels else 1
        output = out_elems * (library.ACC_SIZE if chunks > 1 else 1)
        # The residual is read at FINALIZE from a buffer of its own (int8 vs int32 accumulator).
        second = out_elems if layer.has_second_input or layer.has_residual else 0
        requant = cb * 8 if layer.kind in ("conv2d", "depthwise_conv2d", "matmul") else 0
    else:
        output = out_elems * ELEMENT_BYTES
        # A convolution's residual is loaded into its output block, which accumulates onto it.
        second = out_elems * ELEMENT_BYTES if layer.has_second_input else 0
        requant = 0
    word = round_word if layer.int8 else (lambda n: n)  # int8 buffers in whole words
    return Buffers(
        input=word(in_elems * element),
        weights=word(weights.get(layer.kind, 0) * element),
        bias=cb * library.ACC_SIZE if layer.has_bias else 0,
        output=word(output),
        second=word(second),
        params=kernel_of(layer).block_size,
        requant=requant,
    )


WORD = 4  # DMA granularity: offsets, innermost sizes and outer strides are whole words


@functools.lru_cache(maxsize=1 << 16)
def _word_pattern(shape: tuple[int, ...], *ranges: tuple[int, int]) -> bool:
    p = patterns.region_pattern(shape, *ranges, element=1)
    return p.offset % WORD == 0 and p.sizes[-1] % WORD == 0 and all(st % WORD == 0 for st in p.strides[:-1])


def _sample(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The first, second and last of evenly spaced ranges: offsets are linear in the index, so
    these show every residue of an offset modulo a word and every size."""
    return list(dict.fromkeys(pieces[:2] + pieces[-1:]))


def round_word(nbytes: int) -> int:
    return -(-nbytes // WORD) * WORD


def padded_tail(shape: tuple[int, int, int], block: Block) -> patterns.Pattern | None:
    """For an int8 output block whose bytes are the contiguous tail of its tensor, from a word
    boundary (a classifier's 10 outputs): the word-rounded pattern that stores it, running into
    the padding of the tensor's DDR buffer (sized in whole words). None otherwise."""
    p = patterns.region_pattern(shape, block.c, block.y, block.x, element=1)
    total = shape[0] * shape[1] * shape[2]
    if len(p.sizes) == 1 and p.offset % WORD == 0 and p.offset + p.sizes[0] == total:
        return patterns.Pattern(p.offset, (round_word(p.sizes[0]),), (1,))
    return None


def word_aligned(layer: Layer, shape: tuple[int, int, int], chunk: int) -> bool:
    """Whether every int8 transfer of `layer` blocked by `shape` and `chunk` moves whole words
    (docs/rcb-bytecode.md: DMA granularity 4 bytes). Always true in f32. The transfers of the
    layer's blocks repeat with the block index, so a sample of blocks and chunks decides."""
    if not layer.int8:
        return True
    from rcbc.lowering.layers import Block, ranges

    cb, hb, wb = shape
    groups = layer.groups if layer.kind == "conv2d" else 1
    cs = _sample([(g * layer.group_out + lo, g * layer.group_out + hi) for g in range(groups)
                  for lo, hi in ranges(layer.group_out, min(cb, layer.group_out))])
    ys, xs = _sample(ranges(layer.out_shape[1], hb)), _sample(ranges(layer.out_shape[2], wb))
    weight = layer.weight_shape
    chunks = _sample(ranges(layer.group_in, chunk)) if layer.reduces_channels else [(0, 1)]
    for c in cs:
        for y in ys:
            for x in xs:
                block = Block(c, y, x)
                if not _word_pattern(layer.out_shape, c, y, x) and padded_tail(layer.out_shape, block) is None:
                    return False
                for ch in chunks:
                    r = layer.input_region(block, ch)
                    if not _word_pattern(layer.in_shape, r.c, r.y, r.x):
                        return False
                    if weight is not None:
                        if layer.kind == "matmul":
                            region = (c, ch)
                        else:
                            region = (c, ch if layer.kind == "conv2d" else (0, 1),
                                      (0, weight[2]), (0, weight[3]))
                        if not _word_pattern(weight, *region):
                            return False
    return True


def kernel_of(layer: Layer) -> library.Kernel:
    """The library kernel computing `layer` in its dtype."""
    return library.kernel_for(layer.kind, library.DType.I8 if layer.int8 else library.DType.F32)


def candidates(n: int, minimum: int = 1, parts: int = 1) -> list[int]:
    """Sizes worth trying for a dimension of `n`: powers of two, divisors of `n`, `n` itself,
    and the sizes that cut it into 2 to `parts` near-equal blocks, rounded up to a multiple of
    `BALANCED_MULTIPLE` (256 channels in 11 blocks: 24), so that a budget of tiles that is no
    power of two can keep them all busy.

        >>> candidates(14), candidates(256, minimum=16, parts=16)
        ([1, 2, 4, 7, 8, 14], [16, 24, 32, 40, 48, 56, 64, 88, 128, 256])
    """
    sizes = {n} | {d for d in range(minimum, n + 1) if n % d == 0}
    sizes |= {1 << k for k in range(0, n.bit_length()) if (1 << k) >= minimum}
    sizes |= {_round_up(-(-n // k), BALANCED_MULTIPLE) for k in range(2, parts + 1)}
    return sorted(s for s in sizes if minimum <= s <= n)


def _round_up(value: int, multiple: int) -> int:
    return -(-value // multiple) * multiple


def cost(
    layer: Layer, shape: tuple[int, int, int], chunk: int, timing: TimingModel, tiles: int,
    stage_weights: bool = False, stage_inputs: bool = False,
) -> BlockChoice:
    """The modeled cost of a layer blocked by `shape` and `chunk` on `tiles` tiles; with
    `stage_weights` (`stage_inputs`), its shared weight chunks (input windows) staged in memory
    tiles if that is faster."""
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
    channel_blocks = blocks // spatial
    resident = steps == 1  # one chunk: a block's weights and input window are whole
    # Channel-major, a tile keeps a weight chunk across the blocks of its channels.
    weight_loads = min(per_tile, math.ceil(per_tile / spatial) + 1) if resident else per_tile * steps
    launch_macs = layer.macs(_full_block(shape), (0, chunk))
    in_dmas, weight_dmas, out_dmas = _dmas_per_load(layer, shape, chunk,
                                                    timing.target.interface.max_dims)
    compute = per_tile * steps * timing.kernel_cycles(layer.kind, launch_macs, layer.dtype)
    used = min(tiles, blocks)
    # bytes per block: an f32 residual is loaded into the output block
    second = sizes.second or (sizes.output if layer.has_residual else 0)
    output_bytes = per_tile * sizes.output
    ddr_rate = timing.ddr_channels * timing.target.stream_bytes_per_cycle
    if timing.target.ddr_bandwidth is not None:
        ddr_rate = min(ddr_rate, timing.target.ddr_bandwidth / timing.target.clock_hz)
    chunks = channel_blocks * steps if sizes.weights else 0  # distinct weight chunks
    windows = spatial * steps  # distinct input windows of a layer that shares its input

    def variant(staged: bool, input_stationary: bool = False, staged_inputs: bool = False) -> BlockChoice:
        # A tile's blocks are a run of the layer's (rhal-place), in which a tile keeps what
        # consecutive blocks share. Channel-major, they share a weight chunk, and where the
        # layer shares its input and has one spatial window, the input window; spatial-major
        # (input stationary), they share the input window and each takes its weights.
        if input_stationary:
            input_loads = min(per_tile, math.ceil(per_tile / channel_blocks) + 1)
            chunk_loads = per_tile
        else:
            input_loads = 1 if resident and spatial == 1 and layer.shares_input else per_tile * steps
            chunk_loads = weight_loads
        input_bytes = input_loads * sizes.input
        input_tasks = input_loads * in_dmas
        side_bytes = (chunk_loads * (sizes.weights + sizes.bias + sizes.requant)
                      + per_tile * (second + steps * sizes.params))
        # Staged: each shared chunk read from DDR once into a memory tile, whose channels for
        # the chunk send it to the tiles loading it, one after another (rhal-place).
        readers = math.ceil(used * chunk_loads / chunks / STAGE_SEND_CHANNELS) if staged else 0
        staged_bytes = chunk_loads * sizes.weights if staged else 0
        side_tasks = chunk_loads * (1 if staged else weight_dmas) + per_tile * (second > 0) * out_dmas
        if staged_inputs:  # likewise each input window, one DMA a load from its memory tile
            window_readers = math.ceil(used * input_loads / windows / STAGE_SEND_CHANNELS)
            input_time = timing.dma_cycles(input_bytes * window_readers, ddr=False)
            input_ddr = windows * sizes.input
            input_tasks = input_loads
        else:
            input_time = timing.dma_cycles(input_bytes, ddr=True)
            input_ddr = used * input_bytes
        # Each dma_cycles counts one task's start; the rest of a channel's tasks are added.
        tile_transfer = max(
            input_time + (input_tasks - 1) * DMA_TASK_CYCLES,
            timing.dma_cycles(side_bytes - staged_bytes, ddr=True)
            + timing.dma_cycles(staged_bytes * readers, ddr=False) + (side_tasks - 2) * DMA_TASK_CYCLES,
            timing.dma_cycles(output_bytes, ddr=True) + (per_tile * out_dmas - 1) * DMA_TASK_CYCLES,
        )
        ddr_bytes = input_ddr + used * (side_bytes - staged_bytes + output_bytes)
        ddr_bytes += chunks * sizes.weights if staged else 0
        transfer = max(tile_transfer, ddr_bytes / ddr_rate)
        # Per launch: its parameter block and the launch; per step an input transfer; weights
        # as loaded (staged: a chunk's DMAs into its memory tile, one DMA per load); per block
        # the output, and bias and residual where the layer has them; each transfer from DDR as
        # the DMAs its pattern takes.
        if staged_inputs:  # a window's DMAs into its memory tile, one DMA per load
            input_transfers = windows * in_dmas + used * input_loads
        else:
            loads = blocks * steps if input_loads == per_tile * steps else used * input_loads
            input_transfers = loads * in_dmas
        transfers = (input_transfers + blocks * out_dmas * (1 + (second > 0))
                     + (chunks * weight_dmas + used * chunk_loads if staged
                        else used * chunk_loads * weight_dmas))
        records = 2 * blocks * steps + transfers
        return BlockChoice(
            shape=shape,
            chunk=chunk,
            footprint=sizes.footprint,
            cycles=max(compute, transfer, records * DISPATCH_CYCLES),  # the controller's too
            compute_cycles=compute,
            transfer_cycles=transfer,
            ddr_bytes=ddr_bytes,
            launches=blocks * steps,
            transfers=transfers,
            staged=staged,
            input_stationary=input_stationary,
            staged_inputs=staged_inputs,
        )

    # The alternatives only when clearly faster: the model is not finer than TOLERANCE.
    best = direct = variant(False)
    if resident and layer.shares_input and spatial > 1 and channel_blocks > 1:
        stationary = variant(False, input_stationary=True)
        if stationary.cycles < direct.cycles * (1 - TOLERANCE):
            best = stationary
    memtiles = timing.target.memtile_rows > 0
    weights_staged = stage_weights and memtiles and used * weight_loads > chunks > 0
    if weights_staged:
        staged = variant(True)
        if staged.cycles < best.cycles * (1 - TOLERANCE):
            best = staged
    if stage_inputs and memtiles and layer.shares_input and channel_blocks > 1:
        for weights_too in (False, True) if weights_staged else (False,):
            inputs = variant(weights_too, staged_inputs=True)
            if inputs.cycles < best.cycles * (1 - TOLERANCE):
                best = inputs
    return best


def _dmas_per_load(layer: Layer, shape: tuple[int, int, int], chunk: int,
                   max_dims: int) -> tuple[int, int, int]:
    """The DMAs that load a block's input window and weights and store its output: a region
    with more dimensions than an interface DMA has is split into several (`patterns.split`;
    `aie` moves one contiguous run per DMA)."""
    block = _full_block(shape)
    window = layer.input_region(block, (0, chunk))
    weight = layer.weight_shape
    element = layer.element
    if weight is None:
        weight_dmas = 1
    elif layer.kind == "matmul":
        weight_dmas = _dmas(weight, (block.c, (0, chunk)), element, max_dims)
    else:
        weight_dmas = _dmas(weight, (block.c, (0, chunk if layer.kind == "conv2d" else 1),
                                     (0, weight[2]), (0, weight[3])), element, max_dims)
    return (_dmas(layer.in_shape, (window.c, window.y, window.x), element, max_dims), weight_dmas,
            _dmas(layer.out_shape, (block.c, block.y, block.x), element, max_dims))


@functools.lru_cache(maxsize=1 << 16)
def _dmas(shape: tuple[int, ...], ranges: tuple[tuple[int, int], ...], element: int,
          max_dims: int) -> int:
    sizes = patterns.region_pattern(shape, *ranges, element=element).sizes
    return math.prod(sizes[: max(0, len(sizes) - max_dims)])


def _full_block(shape: tuple[int, int, int]) -> Block:
    cb, hb, wb = shape
    return Block((0, cb), (0, hb), (0, wb))


def choose(layer: Layer, target: targets.Target, tiles: int, ddr_channels: int,
           stage_weights: bool = False, stage_inputs: bool = False) -> BlockChoice:
    """The cheapest block shape of `layer` whose footprint fits a compute tile (`stage_weights`,
    `stage_inputs`: `cost`'s)."""
    budget = target.compute.memory - target.stack_bytes
    timing = TimingModel(target, ddr_channels=ddr_channels)
    score = functools.partial(cost, timing=timing, tiles=tiles, stage_weights=stage_weights,
                              stage_inputs=stage_inputs)
    out_c, out_h, out_w = layer.out_shape
    chunks = candidates(layer.group_in) if layer.reduces_channels else [1]
    fitting = []
    smallest = None
    unaligned = 0
    for cb in candidates(layer.group_out, parts=tiles):
        for hb in candidates(out_h, parts=tiles):
            for wb in candidates(out_w, parts=tiles):
                tried = iter(chunks)
                for chunk in tried:
                    footprint = buffers(layer, (cb, hb, wb), chunk).footprint
                    if smallest is None or footprint < smallest[0]:
                        smallest = (footprint, (cb, hb, wb), chunk)
                    if footprint > budget:
                        # Larger chunks only grow the footprint, but for the whole reduction in
                        # one chunk: an int8 block then has no int32 accumulator.
                        if layer.int8 and chunk != chunks[-1]:
                            tried = iter(chunks[-1:])
                            for chunk in tried:
                                footprint = buffers(layer, (cb, hb, wb), chunk).footprint
                                if footprint <= budget and word_aligned(layer, (cb, hb, wb), chunk):
                                    fitting.append(score(layer, (cb, hb, wb), chunk))
                        break
                    if not word_aligned(layer, (cb, hb, wb), chunk):
                        unaligned += 1
                        continue
                    fitting.append(score(layer, (cb, hb, wb), chunk))
    if not fitting and unaligned:
        raise NoFit(
            f"layer {layer.name}: no int8 block shape that fits a {target.name} compute tile "
            f"moves whole 4-byte words ({unaligned} fit but would move a row or an offset "
            f"that is not a multiple of 4 bytes: output {list(layer.out_shape)}, input "
            f"{list(layer.in_shape)})"
        )
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
