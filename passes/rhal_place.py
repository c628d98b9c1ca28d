"""rhal-place: map every layer's blocks onto the budget's tiles as kernels and transfers."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import ClassVar

from rcbc.bytecode.quantization import check_qparams, entry_names
from rcbc.dialects import rhal
from rcbc.kernels import library
from rcbc.kernels.library import ConvFlags
from rcbc.lowering import blocking, patterns, tiles
from rcbc.lowering.data_image import align
from rcbc.lowering.ir_layers import (
    BLOCK_ATTR, COMPUTE_OPS, DTYPE_ATTR, INPUT_STATIONARY_ATTR, QPARAMS_ATTR, STAGED_ATTR, STAGED_INPUTS_ATTR,
    IoValue, io_attribute, io_values, layer_of, main_function, weight_name,
)
from rcbc.lowering.layers import Block, Layer, Region, Step, length
from rcbc.mlir import func, ir
from rcbc.passes.convert_rhal_to_rcb import CONTENTS_ATTR, DTYPE_ATTR as IO_DTYPE_ATTR, SHAPE_ATTR
from rcbc.passes.rhal_allocate import TILE_ALIGNMENT
from rcbc.registry import ModulePass

VIEW_OPS = ("tensor.collapse_shape", "tensor.expand_shape")
CONCAT = "tensor.concat"
ELEMENT = blocking.ELEMENT_BYTES
# Slots per buffer role. Data roles alternate between two (ping-pong); parameter blocks, which
# the controller writes when it issues a kernel, get more so that it seldom waits for a kernel.
SLOTS = {"params": blocking.PARAM_SLOTS}
# A compute tile's DMA channels by what they carry (routing is abstracted: any interface channel
# reaches any tile). A DDR port serves it on these channels rotated by its lane (TileSlots).
INPUT_CHANNEL, SIDE_CHANNEL, OUTPUT_CHANNEL = 0, 1, 0


@dataclass
class TileSlots:
    """One compute tile of the budget while a layer is placed: its two slots per buffer role,
    declared at their first use, which slot each role uses next, and what the input window,
    weight and bias slots hold."""

    tile: ir.Value
    port: ir.Value
    name: str
    # Its rank among the tiles its port serves: the port's channels serve it rotated by it, so
    # that one tile's inputs share a channel with another's weights instead of all weights
    # taking one channel of the port, and the other idling.
    lane: int = 0
    layer: str = ""
    sizes: dict[str, int] = field(default_factory=dict)
    slots: dict[tuple[str, int], ir.Value] = field(default_factory=dict)
    uses: dict[str, int] = field(default_factory=dict)
    holds: dict[str, tuple[ir.Value, object]] = field(default_factory=dict)

    def port_channel(self, channel: int, channels: int) -> int:
        """The channel of its port, of `channels`, that serves its `channel`."""
        return (channel + self.lane) % channels

    def start(self, layer: str, sizes: blocking.Buffers) -> None:
        """Forget the previous layer's slots; this layer's have the sizes of its block shape."""
        self.layer, self.slots, self.uses, self.holds = layer, {}, {}, {}
        self.sizes = {"params": sizes.params, "in": sizes.input, "w": sizes.weights,
                      "bias": sizes.bias, "out": sizes.output, "b": sizes.second,
                      "requant": sizes.requant}

    def next(self, role: str) -> ir.Value:
        """The slot `role` uses next: its slots take turns."""
        use = self.uses.get(role, 0)
        self.uses[role] = use + 1
        key = (role, use % SLOTS.get(role, 2))
        if key not in self.slots:
            self.slots[key] = rhal.buffer(tile=self.tile, size=self.sizes[role],
                                          sym_name=f"{self.layer}/{role}{key[1]}@{self.name}")
        return self.slots[key]

    def resident(self, role: str, key: object) -> ir.Value | None:
        """The slot of `role` that already holds `key` (an input window, weights or bias kept
        across blocks)."""
        held = self.holds.get(role)
        return held[0] if held is not None and held[1] == key else None


@dataclass
class Staging:
    """The memory tiles of the budget while a layer is placed, for one role (`role`: ``w`` the
    weight chunks, ``in`` the input windows): the chunks of the layer that are loaded more than
    once, each read from DDR into a slot of a memory tile and loaded from there by the tiles
    that use it. Chunks are dealt to the memory tiles in order of first use; a chunk's loads
    take `blocking.STAGE_SEND_CHANNELS` of its memory tile's channels in turn, the memory
    tile's next chunk the next ones. Each memory tile's slots take turns, and a chunk whose
    slot has been taken over by another is staged again. The roles share the memory tiles
    (`tiles`), each with its part of their memory while both stage."""

    memtiles: tuple[tuple[int, int], ...]  # (col, row)
    memory: int  # bytes of a memory tile
    block: ir.Block  # where the tiles are declared, before every other op
    role: str = "w"
    receive_channel: int = 0  # of the memory tile, on which the chunks arrive from DDR
    first_send_channel: int = 0  # of the memory tile: the roles send on channels of their own
    tiles: dict[int, ir.Value] = field(default_factory=dict)  # rhal.tile, declared at first use
    layer: str = ""
    size: int = 0  # bytes of a slot
    slot_count: int = 0  # slots of a memory tile for this role in this layer
    # chunk -> (its memory tile, how many chunks that memory tile got before it)
    places: dict[object, tuple[int, int]] = field(default_factory=dict)
    slots: dict[tuple[int, int], ir.Value] = field(default_factory=dict)
    uses: dict[int, int] = field(default_factory=dict)  # memory tile -> slots used
    held: dict[object, ir.Value] = field(default_factory=dict)  # chunk -> slot holding it
    holder: dict[ir.Value, object] = field(default_factory=dict)  # slot -> chunk it holds
    sends: dict[object, int] = field(default_factory=dict)  # chunk -> loads so far

    def start(self, layer: str, keys: list[object], size: int, share: int = 1) -> None:
        """Stage `keys` (in order of first use), chunks of `size` bytes, in 1/`share` of each
        memory tile: none if that cannot hold two."""
        # rhal-allocate places the slots at its alignment: they fit as counted at it.
        self.slot_count = self.memory // share // align(size, TILE_ALIGNMENT) if size else 0
        if not self.memtiles or self.slot_count < 2:
            keys = []
        self.layer, self.size = layer, size
        n = len(self.memtiles)
        self.places = {key: (i % n, i // n) for i, key in enumerate(keys)}
        self.slots, self.uses, self.held, self.holder, self.sends = {}, {}, {}, {}, {}

    def slot(self, key: object) -> tuple[ir.Value, int, bool]:
        """The slot of `key`'s memory tile that holds it or will (`True`: it must be loaded),
        and the memory tile's index."""
        memtile, _ = self.places[key]
        if key in self.held:
            return self.held[key], memtile, False
        use = self.uses.get(memtile, 0)
        self.uses[memtile] = use + 1
        index = (memtile, use % self.slot_count)
        if index not in self.slots:
            col, row = self.memtiles[memtile]
            self.slots[index] = rhal.buffer(tile=self.tile(memtile), size=self.size,
                                            sym_name=f"{self.layer}/{self.role}stage{index[1]}@({col},{row})")
        slot = self.slots[index]
        self.held.pop(self.holder.get(slot), None)
        self.held[key], self.holder[slot] = slot, key
        return slot, memtile, True

    def send_channel(self, key: object, channels: int) -> int:
        """The channel of `key`'s memory tile that sends it to its next load."""
        sends = self.sends.get(key, 0)
        self.sends[key] = sends + 1
        nth = self.places[key][1]
        return (self.first_send_channel + nth * blocking.STAGE_SEND_CHANNELS
                + sends % blocking.STAGE_SEND_CHANNELS) % channels

    def tile(self, memtile: int) -> ir.Value:
        """The `rhal.tile` of a memory tile, declared after the tiles declared so far."""
        if memtile not in self.tiles:
            col, row = self.memtiles[memtile]
            after_tiles = next(op for op in self.block.operations if not isinstance(op, rhal.TileOp))
            with ir.InsertionPoint(after_tiles):
                self.tiles[memtile] = rhal.tile(col=col, row=row, kind="memory")
        return self.tiles[memtile]


@dataclass(frozen=True)
class Place(ModulePass):
    """Map every layer's blocks onto the budget's compute tiles as explicit kernels and DMAs.

    Layers run one after another; each layer's blocks (shape from `rhal-partition`) are dealt to
    the budget's tiles (`rcbc.lowering.tiles`) in contiguous runs, so that a tile keeps its
    weight block across the spatial blocks that share it (or, in a layer marked
    `rhal.input_stationary`, whose blocks run spatial-major, its input window across the
    channel blocks that share it). Every tensor gets a DDR buffer
    (weights by their store name, the input and output with their shapes, activations in the
    arena, views aliasing their source, a concatenation along the channels the buffer its
    operands' layers each store their slice into); every tile gets, per layer, two slots of every buffer
    role (input window, weights, bias, output block, an elementwise op's second operand,
    parameter block) that successive uses alternate between. Per block, a residual is loaded
    into the output block, which the launches accumulate onto; per launch: a DMA of its input
    window, of its weight chunk unless the slot already holds it, of the bias and second
    operand it needs, then the kernel; per block a DMA of the output block back to DDR. A tile
    takes its input windows on one of its channels, the rest on the other; the tiles sharing a
    DDR port take the port's channels rotated by their rank there, so that the port's channels
    carry as many weight loads as input loads instead of one channel all the weights. The
    controller order deals out one launch per tile in turn, and a `rhal.barrier` separates the
    layers. In a layer marked `rhal.staged` (rhal-partition{stage-weights=true}), a weight
    chunk the tiles load more than once comes from a memory tile (`Staging`), read there from
    DDR once while the memory tile holds it; in a layer marked `rhal.staged_inputs`
    (rhal-partition{stage-inputs=true}), so does an input window.

    Layers marked `rhal.dtype = "i8"` (rhal-quantize; a program is all int8 or all f32) run
    their int8 kernel with the op's `rhal.quant` fields: activations are int8 in DDR (I/O
    bindings too, buffers in whole words; the scale and zero point of an input or output, its
    `rhal.qparams`, become the inline constants ``<name>.scale`` and ``<name>.zero_point``), the
    weights are the quantized store's ``<layer>.weight`` (int8), ``.bias`` (int32) and
    ``.requant`` (int32 rows loaded per block like the bias, bound on the finalizing launch); a
    residual is loaded into a buffer of its own and read by the final launch (RESIDUAL), since
    the int32 accumulator cannot start from it; an output block that ends off a word
    (blocking.padded_tail) is first filled with defined bytes and stored as whole words.
    Addresses, channels' synchronization and the order between layers are left to
    `rhal-allocate` and `rhal-schedule-dma`: the result is correct if run one op at a time.

    Before:

        func.func @main(%x: tensor<1x64x56x56xf32> {rcbc.input = "x"}, ...) -> ... {
          %y = "rhal.conv2d"(%x, %w, %b) {layer = "conv", rhal.block = array<i64: 16, 8, 56, 64>, ...}

    After:

        func.func @main() {
          %t0 = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64}
          %x = "rhal.ddr_buffer"() {address, rcbc.dtype = "f32", rcbc.shape = array<i64: 1, 64, 56, 56>,
                                   role = "input", size = 802816 : i64, sym_name = "x"}
          %in0 = "rhal.buffer"(%t0) {address, size = 23040 : i64, sym_name = "conv/in0@(2,3)"}
          "rhal.dma"(%x, %in0, %shim, %t0) {src_pattern = #rhal.pattern<0 : i64, ...>, ...}
          "rhal.kernel"(%t0, %p0, %in0, %w0, %b0, %out0) {bindings = ["params", "in_addr", ...],
                                                       kernel = "conv2d", ...}
          "rhal.dma"(%out0, %y, %t0, %shim) {...}
          ...
    """

    argument: ClassVar[str] = "rhal-place"

    def run(self, module: ir.Operation) -> None:
        if rhal.TARGET_ATTR not in module.attributes:
            self.fail(module, "rhal-place: the module has no rhal.target; run rhal-set-target first")
        machine = rhal.TargetAttr(module.attributes[rhal.TARGET_ATTR]).machine()
        old = main_function(module)
        if old is None:
            self.fail(module, "rhal-place: the module has no func.func @main")
        body = old.body.blocks[0]
        for op in body.operations:
            if isinstance(op, COMPUTE_OPS) and BLOCK_ATTR not in op.attributes:
                self.fail(op, f"rhal-place: layer {op.layer.value} has no {BLOCK_ATTR}; run rhal-partition first")
        with ir.InsertionPoint(old):
            new = func.FuncOp("main", ir.FunctionType.get([], []))
        dtypes = {ir.StringAttr(op.attributes[DTYPE_ATTR]).value if DTYPE_ATTR in op.attributes else "f32"
                  for op in body.operations if isinstance(op, COMPUTE_OPS)}
        if len(dtypes) > 1:
            self.fail(old, f"rhal-place: layers compute in {' and '.join(sorted(dtypes))}; "
                           "a program computes in one precision")
        int8 = dtypes == {"i8"}
        with ir.InsertionPoint(new.add_entry_block()):
            _Placer(self, machine.target, tiles.select(machine.target, machine.tiles), int8).place(old)
            func.ReturnOp([])
        old.operation.erase()


class _Placer:
    """Builds the placed body of `@main` at the current insertion point."""

    def __init__(self, pass_: Place, target, placement: tiles.Placement, int8: bool = False):
        self.pass_ = pass_
        self.target = target
        # An int8 program: activations are int8, its weights the quantized store's (by layer).
        self.int8 = int8
        self.element = 1 if int8 else ELEMENT
        self.ports = {col: rhal.tile(col=col, row=0, kind="interface") for col in placement.ports}
        self.tiles = [
            TileSlots(rhal.tile(col=col, row=row, kind="compute"),
                      self.ports[placement.port_of(i)], f"({col},{row})", lane=i // len(placement.ports))
            for i, (col, row) in enumerate(placement.compute)
        ]
        memtile_bytes, block = target.memory.memory if target.memory else 0, ir.InsertionPoint.current.block
        self.staging = Staging(placement.memtiles, memtile_bytes, block)
        upper_half = target.memory.mm2s_channels // 2 if target.memory else 0
        self.input_staging = Staging(placement.memtiles, memtile_bytes, block, role="in", receive_channel=1,
                                     first_send_channel=upper_half, tiles=self.staging.tiles)
        self.ddr: dict[ir.Value, ir.Value] = {}  # tensor -> DDR buffer
        self.slices: dict[ir.Value, tuple[ir.Value, int]] = {}  # concatenated -> (whole, channel)
        self.shapes: dict[ir.Value, tuple[int, ...]] = {}  # DDR buffer -> tensor shape

    # -- DDR --------------------------------------------------------------------------------------

    def ddr_buffer(self, tensor: ir.Value, name: str, role: str, shaped_as: ir.Value | None = None,
                   qparams: tuple[float, int] | None = None) -> ir.Value:
        """The DDR buffer of `tensor`, laid out as `tensor`; an input or output is bound with the
        shape of `shaped_as` (the returned view of `tensor`) if given, and its `qparams` (the
        scale and zero point rhal-quantize recorded) become two constants beside it."""
        shape = tuple(ir.RankedTensorType(tensor.type).shape)
        buffer = self.constant(name, shape, self.element, role)
        if self.int8:  # whole words: a padded tail store (blocking.padded_tail) may end past it
            size = ir.IntegerAttr(buffer.owner.attributes["size"]).value
            buffer.owner.attributes["size"] = ir.IntegerAttr.get(
                ir.IntegerType.get_signless(64), blocking.round_word(size))
        if role in ("input", "output"):
            bound = ir.RankedTensorType((shaped_as or tensor).type).shape
            buffer.owner.attributes[SHAPE_ATTR] = ir.DenseI64ArrayAttr.get(list(bound))
            buffer.owner.attributes[IO_DTYPE_ATTR] = ir.StringAttr.get("i8" if self.int8 else "f32")
        if qparams is not None:
            scale_name, zero_point_name = entry_names(name)
            scale, zero_point = qparams
            for entry, values in ((scale_name, ir.DenseF32ArrayAttr.get([scale])),
                                  (zero_point_name, ir.DenseI32ArrayAttr.get([zero_point]))):
                self.constant(entry, (1,), 4).owner.attributes[CONTENTS_ATTR] = values
        self.ddr[tensor] = buffer
        return buffer

    def qparams(self, function: func.FuncOp, io: IoValue) -> tuple[float, int] | None:
        """The scale and zero point rhal-quantize recorded on input or output `io`, if any."""
        attr = io_attribute(function, io, QPARAMS_ATTR)
        if attr is None:
            return None
        try:
            fields = ir.DictAttr(attr)
            scale = ir.FloatAttr(fields["scale"]).value
            zero_point = ir.IntegerAttr(fields["zero_point"]).value
        except (ValueError, KeyError):
            self.pass_.fail(function, f"rhal-place: {io.role} '{io.name}' has {QPARAMS_ATTR} = {attr}; "
                                      "expected {scale = <f32>, zero_point = <i32>}")
        problem = check_qparams(scale, zero_point)
        if problem:
            self.pass_.fail(function, f"rhal-place: {io.role} '{io.name}': {problem}")
        return scale, zero_point

    def slice_of(self, tensor: ir.Value) -> tuple[ir.Value, int]:
        """The tensor whose DDR buffer holds `tensor` and the channel it starts at there: a
        concatenation's, or `tensor` itself at 0."""
        return self.slices.get(tensor, (tensor, 0))

    def constant(self, name: str, shape: tuple[int, ...], element: int, role: str = "constant") -> ir.Value:
        """A DDR buffer of `shape` at `element` bytes an element (a weight of the store: `name`)."""
        size = element
        for d in shape:
            size *= d
        buffer = rhal.ddr_buffer(size=size, sym_name=name, role=role)
        self.shapes[buffer] = shape
        return buffer

    def place(self, old: func.FuncOp) -> None:
        body = old.body.blocks[0]
        ios = io_values(old)
        inputs = {io.index: io for io in ios if io.role == "input"}
        for index, arg in enumerate(body.arguments):
            if index in inputs:
                io = inputs[index]
                self.ddr_buffer(arg, io.name, "input", qparams=self.qparams(old, io))
            elif not self.int8:  # an int8 layer's weights are its own in the quantized store
                self.ddr_buffer(arg, weight_name(old, index), "constant")
        returned = list(body.operations)[-1].operands
        outputs: dict[ir.Value, tuple[IoValue, ir.Value]] = {  # value -> (output, returned value)
            returned[io.index]: (io, returned[io.index]) for io in ios if io.role == "output"
        }
        for op in reversed(list(body.operations)):  # a returned view makes its source an output
            if op.operation.name in VIEW_OPS and op.result in outputs:
                outputs[op.operands[0]] = outputs[op.result]
        for op in body.operations:  # a layer whose result is concatenated stores into the whole
            if op.operation.name == CONCAT:
                if self.int8:
                    self.pass_.fail(op, "rhal-place: a concatenation in an int8 program is not supported")
                offset = 0
                for operand in op.operands:
                    self.slices[operand] = (op.result, offset)
                    offset += _fmap(operand)[0]
        first_layer = True
        for op in body.operations:
            if isinstance(op, COMPUTE_OPS):
                # At the layer's location (the model's source line): what a later pass says
                # about these ops names it.
                with op.location:
                    if not first_layer:
                        rhal.barrier()  # layers run one after another
                    whole, _ = self.slice_of(op.result)
                    if whole not in self.ddr:
                        if whole in outputs:
                            io, returned = outputs[whole]
                            self.ddr_buffer(whole, io.name, "output", shaped_as=returned,
                                            qparams=self.qparams(old, io))
                        else:
                            self.ddr_buffer(whole, f"{op.layer.value}.out", "scratch")
                    self.ddr[op.result] = self.ddr[whole]
                    self.place_layer(op)
                first_layer = False
            elif op.operation.name in VIEW_OPS:
                self.ddr[op.result] = self.ddr[op.operands[0]]
            elif op.operation.name == CONCAT:
                pass  # its operands' layers wrote it
            elif op.operation.name != "func.return":
                self.pass_.fail(op, f"rhal-place: cannot place '{op.operation.name}'; "
                                    "run convert-linalg-to-rhal first")

    # -- layers -----------------------------------------------------------------------------------

    def place_layer(self, op: ir.OpView) -> None:
        layer = layer_of(op)
        *shape, chunk = list(ir.DenseI64ArrayAttr(op.attributes[BLOCK_ATTR]))
        shape = tuple(shape)
        sizes = blocking.buffers(layer, shape, chunk)
        blocks = layer.blocks(shape, input_stationary=INPUT_STATIONARY_ATTR in op.attributes)
        used = self.tiles[: len(blocks)]
        for slots in used:
            slots.start(layer.name, sizes)
        per_tile = [blocks[i * len(blocks) // len(used): (i + 1) * len(blocks) // len(used)] for i in range(len(used))]
        staged = shared_loads(per_tile, layer, chunk, _weight_key) if STAGED_ATTR in op.attributes else []
        staged_inputs = (shared_loads(per_tile, layer, chunk, _input_key)
                         if STAGED_INPUTS_ATTR in op.attributes else [])
        share = 2 if staged and staged_inputs else 1
        self.staging.start(layer.name, staged, sizes.weights, share)
        self.input_staging.start(layer.name, staged_inputs, sizes.input, share)
        second = (self.ddr[op.residual] if getattr(op, "residual", None) is not None
                  else self.ddr[op.b] if getattr(op, "b", None) is not None else None)
        if layer.int8:
            # <layer>.weight (int8), .bias (int32), .requant (int32 [channels, 2]): the quantized
            # weight store's names (rcbc.quantize.quantizer.QuantizedModel.weights).
            out_c = layer.out_shape[0]
            weight = (self.constant(f"{layer.name}.weight", tuple(ir.RankedTensorType(op.weight.type).shape), 1)
                      if hasattr(op, "weight") else None)
            bias = self.constant(f"{layer.name}.bias", (out_c,), library.ACC_SIZE) if layer.has_bias else None
            requant = (self.constant(f"{layer.name}.requant", (out_c, 2), library.ACC_SIZE)
                       if sizes.requant else None)
        else:
            weight = self.ddr[op.weight] if hasattr(op, "weight") else None
            bias = self.ddr[op.bias] if getattr(op, "bias", None) is not None else None
            requant = None
        whole, channel = self.slice_of(op.result)
        operands = _LayerOperands(input=self.ddr[op.operands[0]], weight=weight, bias=bias,
                                  second=second, output=self.ddr[op.result], requant=requant,
                                  input_fmap=_fmap(op.operands[0]), output_fmap=_fmap(op.result),
                                  store_fmap=_fmap(whole), store_channel=channel)
        # The controller deals out one launch per tile in turn, so that every tile has work.
        pending = [self.place_blocks(layer, chunk, units, slots, operands)
                   for slots, units in zip(used, per_tile)]
        done = object()
        while pending:
            pending = [steps for steps in pending if next(steps, done) is not done]

    def place_blocks(self, layer: Layer, chunk: int, blocks: list[Block], slots: TileSlots,
                     ops: _LayerOperands) -> Iterator[None]:
        """Emit a tile's blocks, pausing after every launch."""
        for block in blocks:
            yield from self.place_block(layer, chunk, block, slots, ops)

    def place_block(self, layer: Layer, chunk: int, block: Block, slots: TileSlots,
                    ops: _LayerOperands) -> Iterator[None]:
        out = slots.next("out")
        element = layer.element
        # f32: the residual block is where the sum starts. int8: the residual is int8, the
        # accumulator int32: the final launch reads it from a buffer of its own.
        preloaded = layer.has_residual and not layer.int8
        if preloaded:
            self.load(ops.second, ops.output_fmap, block.region, out, slots, SIDE_CHANNEL)
        tail = None
        if layer.int8:
            region = block.region
            exact = patterns.region_pattern(ops.output_fmap, region.c, region.y, region.x, element=1)
            if exact.offset % blocking.WORD or exact.sizes[-1] % blocking.WORD:
                tail = blocking.padded_tail(ops.output_fmap, block)
                # The word the kernel leaves partly unwritten: filled first with defined bytes
                # (any: they land in the padding of the DDR buffer, which no one reads).
                filler = ops.input if self.nbytes(ops.input) >= tail.nbytes else ops.weight
                self.transfer_in(filler, patterns.Pattern(0, tail.sizes, (1,)), out, slots, SIDE_CHANNEL)
        for step in layer.steps(block, chunk):
            bindings = [("params", slots.next("params"))]
            window = self.input_window(step, ops, slots, element)
            bindings.append(("a_addr" if layer.kind == "eltwise" else "in_addr", window))
            if step.weights is not None:
                bindings.append(("w_addr", self.weights(layer, block, step, ops.weight, slots)))
            if step.first and layer.has_bias:
                bindings.append(("bias_addr", self.bias(block, ops.bias, slots)))
            if step.last and ops.requant is not None:
                bindings.append(("requant_addr", self.bias(block, ops.requant, slots, "requant")))
            if layer.has_second_input or (layer.int8 and layer.has_residual and step.last):
                second = slots.next("b")
                self.load(ops.second, ops.output_fmap, block.region, second, slots, SIDE_CHANNEL, element)
                bindings.append(("b_addr" if layer.has_second_input else "res_addr", second))
            bindings.append(("out_addr", out))
            rhal.kernel(tile=slots.tile, kernel=blocking.kernel_of(layer).name, buffers=bindings,
                        params=kernel_params(layer, block, step, accumulate=preloaded or not step.first))
            if not step.last:
                yield
        c = block.region.c
        region = replace(block.region, c=(c[0] + ops.store_channel, c[1] + ops.store_channel))
        self.store(out, ops.output, ops.store_fmap, region, slots, element, tail)
        yield

    def input_window(self, step: Step, ops: _LayerOperands, slots: TileSlots, element: int) -> ir.Value:
        """The slot holding the launch's input window: loaded, unless the slot still holds it
        from the tile's previous block (blocks of one window, input stationary)."""
        held = slots.resident("in", step.input)
        if held is not None:
            return held
        window = slots.next("in")
        if step.input in self.input_staging.places:
            region = step.input
            pattern = patterns.region_pattern(ops.input_fmap, region.c, region.y, region.x, element=element)
            self.stage(self.input_staging, ops.input, pattern, step.input, window, slots, INPUT_CHANNEL)
        else:
            self.load(ops.input, ops.input_fmap, step.input, window, slots, INPUT_CHANNEL, element)
        slots.holds["in"] = (window, step.input)
        return window

    def weights(self, layer: Layer, block: Block, step: Step, weight: ir.Value, slots: TileSlots) -> ir.Value:
        key = (block.c, step.weights)
        held = slots.resident("w", key)
        if held is not None:
            return held
        buffer = slots.next("w")
        shape = self.shapes[weight]
        if layer.kind == "matmul":
            region = (block.c, step.weights)
        else:
            region = (block.c, step.weights if layer.kind == "conv2d" else (0, 1), (0, shape[2]), (0, shape[3]))
        pattern = patterns.region_pattern(shape, *region, element=layer.element)
        if key in self.staging.places:
            self.stage(self.staging, weight, pattern, key, buffer, slots, SIDE_CHANNEL)
        else:
            self.transfer_in(weight, pattern, buffer, slots, SIDE_CHANNEL)
        slots.holds["w"] = (buffer, key)
        return buffer

    def stage(self, staging: Staging, ddr: ir.Value, pattern: patterns.Pattern, key: object,
              buffer: ir.Value, slots: TileSlots, channel: int) -> None:
        """Load a shared chunk (`pattern` of `ddr`) into `buffer` on the tile's `channel` from
        its memory tile, reading it from DDR into the memory tile first (on the port's
        `channel`) unless the memory tile still holds it."""
        staged, memtile, load = staging.slot(key)
        memory_tile = staging.tile(memtile)
        if load:
            port = list(self.ports.values())[memtile % len(self.ports)]
            self.from_ddr(ddr, pattern, staged, port, memory_tile, channel, staging.receive_channel)
        send = staging.send_channel(key, self.target.memory.mm2s_channels)
        whole = [pattern.nbytes]
        rhal.dma(src=staged, dst=buffer, src_port=memory_tile, dst_port=slots.tile,
                 src_pattern=rhal.pattern(0, whole, [1]), dst_pattern=rhal.pattern(0, whole, [1]),
                 src_channel=send, dst_channel=channel)

    def bias(self, block: Block, bias: ir.Value, slots: TileSlots, role: str = "bias") -> ir.Value:
        """The bias (or, `role` requant, the requantization table) rows of the block's channels."""
        held = slots.resident(role, block.c)
        if held is not None:
            return held
        buffer = slots.next(role)
        shape = self.shapes[bias]
        pattern = patterns.region_pattern(shape, block.c, *[(0, d) for d in shape[1:]], element=ELEMENT)
        self.transfer_in(bias, pattern, buffer, slots, SIDE_CHANNEL)
        slots.holds[role] = (buffer, block.c)
        return buffer

    # -- transfers --------------------------------------------------------------------------------

    def nbytes(self, buffer: ir.Value) -> int:
        return ir.IntegerAttr(buffer.owner.attributes["size"]).value

    def load(self, ddr: ir.Value, fmap: tuple[int, int, int], region: Region, buffer: ir.Value,
             slots: TileSlots, channel: int, element: int = ELEMENT) -> None:
        pattern = patterns.region_pattern(fmap, region.c, region.y, region.x, element=element)
        self.transfer_in(ddr, pattern, buffer, slots, channel)

    def transfer_in(self, ddr: ir.Value, pattern: patterns.Pattern, buffer: ir.Value, slots: TileSlots,
                    channel: int) -> None:
        port_channel = slots.port_channel(channel, self.target.interface.mm2s_channels)
        self.from_ddr(ddr, pattern, buffer, slots.port, slots.tile, port_channel, channel)

    def from_ddr(self, ddr: ir.Value, pattern: patterns.Pattern, buffer: ir.Value, port: ir.Value,
                 tile: ir.Value, src_channel: int, dst_channel: int) -> None:
        """The bytes of `pattern` in `ddr` into `buffer` of `tile`, packed, through `port`."""
        for part, at in patterns.split(pattern, self.target.interface.max_dims):
            rhal.dma(src=ddr, dst=buffer, src_port=port, dst_port=tile,
                     src_pattern=rhal.pattern(part.offset, part.sizes, part.strides),
                     dst_pattern=rhal.pattern(at, [part.nbytes], [1]),
                     src_channel=src_channel, dst_channel=dst_channel)

    def store(self, buffer: ir.Value, ddr: ir.Value, fmap: tuple[int, int, int], region: Region,
              slots: TileSlots, element: int = ELEMENT, pattern: patterns.Pattern | None = None) -> None:
        """The finished output block to DDR (an int8 block: its first `count` bytes, FINALIZE's;
        `pattern`: a padded tail's word-rounded store)."""
        if pattern is None:
            pattern = patterns.region_pattern(fmap, region.c, region.y, region.x, element=element)
        for part, at in patterns.split(pattern, self.target.interface.max_dims):
            rhal.dma(src=buffer, dst=ddr, src_port=slots.tile, dst_port=slots.port,
                     src_pattern=rhal.pattern(at, [part.nbytes], [1]),
                     dst_pattern=rhal.pattern(part.offset, part.sizes, part.strides),
                     src_channel=OUTPUT_CHANNEL,
                     dst_channel=slots.port_channel(OUTPUT_CHANNEL, self.target.interface.s2mm_channels))


def shared_loads(per_tile: list[list[Block]], layer: Layer, chunk: int,
                 key_of: Callable[[Block, Step], object]) -> list[object]:
    """The chunks (`key_of` a launch: its weight chunk or input window, None if none) the tiles
    load more than once in all, a tile keeping its chunk across launches that use it, in the
    order the controller first needs them (one launch per tile in turn)."""
    loads: dict[object, int] = {}
    first: dict[object, tuple[int, int]] = {}
    for tile, blocks in enumerate(per_tile):
        held, launch = None, 0
        for block in blocks:
            for step in layer.steps(block, chunk):
                key = key_of(block, step)
                if key is not None and key != held:
                    loads[key] = loads.get(key, 0) + 1
                    first.setdefault(key, (launch, tile))
                    held = key
                launch += 1
    return sorted((key for key, n in loads.items() if n > 1), key=first.__getitem__)


def _weight_key(block: Block, step: Step) -> object:
    return (block.c, step.weights) if step.weights is not None else None


def _input_key(block: Block, step: Step) -> object:
    return step.input


@dataclass(frozen=True)
class _LayerOperands:
    """The DDR buffers of a layer's tensors, and the input's and the output's feature maps as
    the layer sees them (a buffer may hold another view: AlexNet's classifier reads its
    [1, 256, 6, 6] input as [1, 9216])."""

    input: ir.Value
    weight: ir.Value | None
    bias: ir.Value | None
    second: ir.Value | None  # a convolution's residual, or an eltwise op's second operand
    output: ir.Value
    input_fmap: tuple[int, int, int]
    output_fmap: tuple[int, int, int]  # the second operand's too (same shape)
    store_fmap: tuple[int, int, int]  # the output buffer's: a concatenation's, or output_fmap
    store_channel: int  # where the output starts in it
    requant: ir.Value | None = None  # an int8 layer's requantization table


def _fmap(tensor: ir.Value) -> tuple[int, int, int]:
    """`tensor` as (channels, rows, cols): [N, C, H, W], or [M, K] as K channels of 1x1."""
    shape = ir.RankedTensorType(tensor.type).shape
    return tuple(shape[1:]) if len(shape) == 4 else (shape[-1], 1, 1)


def kernel_params(layer: Layer, block: Block, step: Step, accumulate: bool) -> list[int]:
    """The parameter block of one launch as 32-bit words, every address field 0 until
    `rhal-allocate` writes the addresses of the bound buffers. `accumulate`: the sum starts from
    the output block's contents (an earlier chunk's, or a residual loaded there)."""
    flags = 0
    quant = dict(layer.quant)  # an int8 layer's quantization fields
    if layer.kind in ("conv2d", "depthwise_conv2d", "matmul"):
        flags = ConvFlags.ACCUMULATE if accumulate else 0
        if step.first and layer.has_bias:
            flags |= ConvFlags.BIAS
        if step.last:
            flags |= ConvFlags.FINALIZE
    window = dict(
        in_c=length(step.input.c), in_h=length(step.input.y), in_w=length(step.input.x),
        in_y0=step.input.y[0], in_x0=step.input.x[0],
        out_c=length(block.c), out_h=length(block.y), out_w=length(block.x),
        out_y0=block.y[0], out_x0=block.x[0],
        kh=layer.kernel[0], kw=layer.kernel[1], stride_h=layer.stride[0], stride_w=layer.stride[1],
        dil_h=layer.dilation[0], dil_w=layer.dilation[1], pad_top=layer.padding[0],
        pad_left=layer.padding[1], image_h=layer.in_shape[1], image_w=layer.in_shape[2],
    )
    if layer.int8:
        # The int8 kernels end with the clamp of their quantization fields: no activation.
        activation = dict(layer.quant)
        if layer.has_residual and step.last:
            flags |= ConvFlags.RESIDUAL
    else:
        activation = dict(activation=layer.activation, act_min=layer.act_min, act_max=layer.act_max)
    by_kind = {
        "conv2d": lambda: dict(**window, flags=int(flags), **activation),
        "depthwise_conv2d": lambda: dict(**window, flags=int(flags), **activation),
        "pool2d": lambda: dict(**window, mode=layer.mode, **quant),
        "global_avgpool": lambda: dict(channels=length(block.c), height=layer.in_shape[1],
                                       width=layer.in_shape[2], **quant),
        "matmul": lambda: dict(m=1, k=length(step.chunk), n=length(block.c), flags=int(flags), **activation),
        "eltwise": lambda: dict(count=block.region.elements, op=layer.mode, **activation),
    }
    kernel = blocking.kernel_of(layer)
    addresses = {f: 0 for f in kernel.fields if f.endswith("_addr")}
    values = addresses | {"dtype": int(kernel.dtype)} | by_kind[layer.kind]()
    return list(struct.unpack(f"<{len(kernel.fields)}i", library.pack(kernel.name, **values)))
