"""From rcb IR to a `Program`: the last step of compilation before the bytes.

An `rcb.program` mirrors the bytecode record for record; this module reads it into the
in-memory `rcbc.bytecode.program.Program` that `rcbc.bytecode.encode` turns into a file. Weights
are named in the IR and live in the weight store, so the payload of every ``rcb.data`` whose
contents are a name is read from a store given by the caller::

    store = weight_store(module, directory="build")      # the module's rcbc.weight_store
    program, data = emit(find_program(module), store)    # a Program, and its bytes

The conversion:

- data entries: an ``rcb.data`` with contents becomes a `DataEntry` at its address, in address
  order. Inline words (``array<i32>``) are an ``i32`` vector. A weight keeps its store dtype (f32,
  i8, u8, i16 or i32) and shape; a rank above 4, which the format cannot hold, has its leading
  dimensions merged into one. ``rcb.data`` without contents (the activation arena) is no entry;
- ``rcb.io`` becomes an `IoBinding`; records become records, lock quads `Lock` and `DmaLock`
  uses (the side is the tile the quad names), kernels their library id;
- ``ddr_size`` is the end of the highest declaration (entry, binding or arena buffer).

Every problem, the encoder's rule violations included, is an `EmitError` naming the op that
caused it (the record, the entry, or else the program), so that a pass reports it at that op.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rcbc.bytecode import codec
from rcbc.bytecode import program as P
from rcbc.bytecode.errors import BytecodeError
from rcbc.bytecode.layout import ENTRY_SIZE, SectionKind
from rcbc.dialects import rcb
from rcbc.dialects.common import int_array
from rcbc.frontend.interface import WEIGHT_STORE
from rcbc.frontend.weights import WeightStore
from rcbc.kernels import library
from rcbc.mlir import ir

WEIGHT_DTYPES = {np.dtype(spelling).newbyteorder("="): dtype for dtype, spelling in P.NUMPY_DTYPES.items()}
"""The weight-store dtypes a data entry can hold (the format's bf16 has no numpy dtype)."""
INLINE_DTYPES = {ir.DenseI32ArrayAttr: P.DType.I32, ir.DenseF32ArrayAttr: P.DType.F32}
"""The element type of an `rcb.data`'s inline contents, by attribute."""


class EmitError(Exception):
    """An `rcb.program` that cannot become bytes; `op` is where to report it."""

    def __init__(self, op: ir.OpView | ir.Operation, message: str):
        super().__init__(message)
        self.op = op
        self.message = message


@dataclass(frozen=True)
class Emitted:
    """A program and, for each of its records, data entries and bindings, the op it came from."""

    program: P.Program
    records: tuple[ir.OpView, ...]
    entries: tuple[ir.OpView, ...]
    bindings: tuple[ir.OpView, ...]
    source: ir.OpView  # the rcb.program

    def op_at(self, offset: int) -> ir.OpView:
        """The op behind the byte at `offset` of the encoded file (the program if none is)."""
        rf = codec.build(self.program)
        rows = {
            SectionKind.CODE: self.records,
            SectionKind.DIRECTORY: self.entries,
            SectionKind.BINDINGS: self.bindings,
        }
        for kind, start in rf.sections:
            if kind in rows and start <= offset < start + ENTRY_SIZE[kind] * len(rows[kind]):
                return rows[kind][(offset - start) // ENTRY_SIZE[kind]]
        return self.source


def find_program(module: ir.Module | ir.Operation) -> rcb.ProgramOp:
    """The one `rcb.program` in the body of `module`."""
    operation = module.operation
    body = operation.regions[0].blocks[0]
    programs = [op for op in body.operations if isinstance(op, rcb.ProgramOp)]
    if len(programs) != 1:
        raise EmitError(
            operation,
            f"expected one 'rcb.program' in the module, found {len(programs)}"
            + ("; run convert-rhal-to-rcb first" if not programs else ""),
        )
    return programs[0]


def weight_names(program: rcb.ProgramOp) -> list[str]:
    """The weight-store entries the program's data entries name, in order."""
    return [
        op.contents.value
        for op in program.declarations()
        if isinstance(op, rcb.DataOp) and isinstance(op.contents, ir.StringAttr)
    ]


def weight_store(
    module: ir.Module | ir.Operation, directory: str | Path = ".", path: str | Path | None = None
) -> WeightStore | None:
    """The weight store of `module`: the file at `path` if given, else the module's
    ``rcbc.weight_store`` resolved against `directory` (the IR file's directory). None when
    the program names no weight; `EmitError` when it does and no store can be read."""
    operation = module.operation
    program = find_program(module)
    names = weight_names(program)
    if not names:
        return None
    if path is None:
        attributes = operation.attributes
        attribute = attributes[WEIGHT_STORE] if WEIGHT_STORE in attributes else None
        if not isinstance(attribute, ir.StringAttr):
            raise EmitError(
                program,
                f"the program names {len(names)} weights (such as '{names[0]}') but the module "
                f"has no '{WEIGHT_STORE}' attribute and no weight store was given",
            )
        path = Path(directory) / attribute.value
    try:
        return WeightStore.load(path)
    except Exception as e:  # WeightStoreError: unreadable or malformed
        raise EmitError(program, f"cannot load the weight store: {e}") from None


def to_program(program: rcb.ProgramOp, weights: Mapping[str, np.ndarray] | None) -> Emitted:
    """The `Program` an `rcb.program` describes, weights read from `weights`."""
    target = program.machine().target.name
    entries, bindings, ddr_end = [], [], 0
    for op in program.declarations():
        end = op.address.value + (op.size.value if isinstance(op, rcb.DataOp) else 0)
        if isinstance(op, rcb.IoOp):
            binding = P.IoBinding(
                op.sym_name.value,
                P.IoDirection.parse(op.direction.value),
                P.DType.parse(op.dtype.value),
                tuple(int_array(op.shape, "shape")),
                op.address.value,
            )
            bindings.append((binding, op))
            end += binding.size
        elif not isinstance(op.contents, ir.UnitAttr):
            entries.append((_entry(op, weights), op))
        ddr_end = max(ddr_end, end)
    entries.sort(key=lambda pair: pair[0].offset)
    reader, records, record_ops = _Records(), [], []
    for op in program.body.blocks[0].operations:
        if isinstance(op, (rcb.DataOp, rcb.IoOp)):
            continue
        records.append(reader.record(op))
        record_ops.append(op)
    result = P.Program(
        target,
        ddr_end,
        tuple(records),
        tuple(e for e, _ in entries),
        tuple(b for b, _ in bindings),
        host_dispatch=rcb.HOST_DISPATCH_ATTR in program.attributes,
    )
    entry_ops = tuple(op for _, op in entries)
    binding_ops = tuple(op for _, op in bindings)
    return Emitted(result, tuple(record_ops), entry_ops, binding_ops, program)


def emit(
    program: rcb.ProgramOp, weights: Mapping[str, np.ndarray] | None
) -> tuple[P.Program, bytes]:
    """The `Program` of an `rcb.program` and its encoded bytes."""
    emitted = to_program(program, weights)
    try:
        data = codec.encode(emitted.program)
    except BytecodeError as e:
        raise EmitError(emitted.op_at(e.offset), f"{e.rule}: {e.message}") from None
    return emitted.program, data


def _entry(op: rcb.DataOp, weights: Mapping[str, np.ndarray] | None) -> P.DataEntry:
    name, address, size = op.sym_name.value, op.address.value, op.size.value
    contents = op.contents
    for array_type, dtype in INLINE_DTYPES.items():
        if isinstance(contents, array_type):
            values = np.array(list(contents), dtype=P.NUMPY_DTYPES[dtype])
            return P.DataEntry(name, address, dtype, (len(values),), values.tobytes())
    weight = contents.value
    if weights is None or weight not in weights:
        where = "the weight store" if weights is not None else "no weight store (none was given)"
        raise EmitError(op, f"weight '{weight}' of data entry @{name} is not in {where}")
    array = np.asarray(weights[weight])
    dtype = WEIGHT_DTYPES.get(array.dtype.newbyteorder("="))
    if dtype is None:
        supported = ", ".join(str(d) for d in WEIGHT_DTYPES)
        raise EmitError(
            op, f"weight '{weight}' has dtype {array.dtype}; a data entry holds {supported}"
        )
    if array.nbytes != size:
        raise EmitError(
            op,
            f"weight '{weight}' ({array.dtype} {'x'.join(map(str, array.shape))}) has "
            f"{array.nbytes} bytes but data entry @{name} has {size}",
        )
    shape = array.shape
    if len(shape) > rcb.MAX_RANK:
        shape = (math.prod(shape[: 1 - rcb.MAX_RANK]), *shape[1 - rcb.MAX_RANK :])
    payload = np.ascontiguousarray(array, array.dtype.newbyteorder("<")).tobytes()
    return P.DataEntry(name, address, dtype, shape, payload)


class _Records:
    """Reads rcb records into `Program` records. Array attributes are uniqued by MLIR, so each
    distinct one (a pattern's sizes, a lock list) is converted once: ResNet-18's 117,000
    records hold a few hundred."""

    def __init__(self):
        self.arrays: dict[ir.Attribute, tuple[int, ...]] = {}

    def ints(self, attr: ir.Attribute) -> tuple[int, ...]:
        if attr not in self.arrays:
            self.arrays[attr] = tuple(int_array(attr, "array"))
        return self.arrays[attr]

    def quads(self, attr: ir.Attribute) -> list[tuple[int, int, int, int]]:
        return list(zip(*[iter(self.ints(attr))] * 4))

    def pattern(self, op: rcb.DmaStartOp, side: str) -> P.Pattern:
        sizes, strides = (getattr(op, f"{side}_{field}") for field in ("sizes", "strides"))
        return P.Pattern(self.ints(sizes), self.ints(strides))

    def record(self, op: ir.OpView) -> P.Record:
        if isinstance(op, rcb.DmaStartOp):
            src, dst = _tile(op, "src_"), _tile(op, "dst_")
            side = {src: P.Side.SRC, dst: P.Side.DST}  # a transfer within one tile: either side

            def locks(attr: ir.Attribute) -> tuple[P.DmaLock, ...]:
                return tuple(P.DmaLock(side[P.Tile(c, r)], i, v) for c, r, i, v in self.quads(attr))

            return P.DmaStart(
                src=src,
                src_channel=op.src_channel.value,
                src_offset=op.src_address.value,
                src_pattern=self.pattern(op, "src"),
                dst=dst,
                dst_channel=op.dst_channel.value,
                dst_offset=op.dst_address.value,
                dst_pattern=self.pattern(op, "dst"),
                acquires=locks(op.acquires),
                releases=locks(op.releases),
            )
        if isinstance(op, rcb.LaunchOp):
            return P.Launch(
                _tile(op),
                library.by_name(op.kernel.value).id,
                op.params_address.value,
                tuple(P.Lock(i, v) for _, _, i, v in self.quads(op.acquires)),
                tuple(P.Lock(i, v) for _, _, i, v in self.quads(op.releases)),
            )
        if isinstance(op, rcb.WriteParamsOp):
            return P.WriteParams(_tile(op), op.address.value, op.entry.value)
        if isinstance(op, rcb.ConfigureTileOp):
            return P.ConfigureTile(_tile(op))
        if isinstance(op, rcb.LockAcquireOp):
            return P.LockAcquire(_tile(op), op.id.value, op.value.value)
        if isinstance(op, rcb.LockReleaseOp):
            return P.LockRelease(_tile(op), op.id.value, op.value.value)
        if isinstance(op, rcb.WaitOp):
            return P.Wait(_tile(op), P.Direction.parse(op.direction.value), op.channel.value)
        if isinstance(op, rcb.WaitCoreOp):
            return P.WaitCore(_tile(op))
        if isinstance(op, rcb.BarrierOp):
            return P.Barrier()
        if isinstance(op, rcb.EndOp):
            return P.End()
        raise EmitError(op, f"'{op.name}' is not an rcb record")


def _tile(op, prefix: str = "") -> P.Tile:
    return P.Tile(getattr(op, f"{prefix}col").value, getattr(op, f"{prefix}row").value)
