# RUN: %PYTHON %s | FileCheck %s
"""The rhal dialect from Python: loading, builders, accessors, verifiers and the emitted IRDL."""

import gc

from rcbc.dialects import load_all, rhal
from rcbc.mlir import func, ir, tensor


def run(f):
    print("\nTEST:", f.__name__)
    f()
    gc.collect()
    return f


def target_module(name="aie-ml", tiles=28) -> ir.Module:
    module = ir.Module.create()
    module.operation.attributes["rhal.target"] = rhal.target(name, tiles)
    return module


# CHECK-LABEL: TEST: testLoadIsIdempotent
@run
def testLoadIsIdempotent():
    with ir.Context() as ctx:
        load_all(ctx)
        load_all(ctx)
        load_all()
        # CHECK: True True
        print(ctx.is_registered_operation("rhal.dma"), ctx.is_registered_operation("rcb.launch"))
    with ir.Context() as other:
        # CHECK: False
        print(other.is_registered_operation("rhal.dma"))
        load_all()
        # CHECK: True
        print(other.is_registered_operation("rhal.dma"))


# CHECK-LABEL: TEST: testAttributes
@run
def testAttributes():
    with ir.Context(), ir.Location.unknown():
        load_all()
        t = rhal.target("aie-ml", 28)
        # CHECK: #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64, 65536 : i64, 524288 : i64, 28 : i64>
        print(t)
        machine = t.machine()
        # CHECK: compute tile (2,3) 65536 1024
        tile = machine.tile(2, 3)
        print(tile, tile.spec.memory, tile.stack)
        # CHECK: #rhal.target<"aie", 50 : i64, 9 : i64, 0 : i64, 32768 : i64, 0 : i64, 400 : i64>
        print(rhal.target("aie", 400))
        p = rhal.pattern(64, [4, 16], [64, 1])
        # CHECK: #rhal.pattern<64 : i64, array<i64: 4, 16>, array<i64: 64, 1>>
        print(p)
        # CHECK: True Pattern(offset=64, sizes=(4, 16), strides=(64, 1)) 64 272
        pattern = p.pattern("source")
        print(isinstance(p, rhal.PatternAttr), pattern, pattern.bytes, pattern.end)
        parsed = ir.Attribute.parse("#rhal.pattern<0, array<i64: 8>, array<i64: 1>>")
        # CHECK: PatternAttr
        print(type(parsed).__name__)


# CHECK-LABEL: TEST: testBuildSchedule
@run
def testBuildSchedule():
    with ir.Context(), ir.Location.unknown():
        load_all()
        module = target_module()
        with ir.InsertionPoint(module.body):
            shim = rhal.tile(col=2, row=0, kind="interface")
            core = rhal.tile(col=2, row=3, kind="compute")
            x = rhal.ddr_buffer(size=4096, sym_name="x", role="input", address=0)
            y = rhal.ddr_buffer(size=64, sym_name="y", role="output")
            a = rhal.buffer(tile=core, size=4096, sym_name="a", address=1024)
            b = rhal.buffer(tile=core, size=64, sym_name="b")
            p = rhal.buffer(tile=core, size=24, sym_name="p")
            full = rhal.lock(tile=core, id=0)
            empty = rhal.lock(tile=core, id=1, init=1)
            rhal.dma(
                src=x, dst=a, src_port=shim, dst_port=core,
                src_pattern=rhal.pattern(0, [4096], [1]),
                dst_pattern=rhal.pattern(0, [64, 64], [64, 1]),
                src_channel=0, dst_channel=0,
                acquires=[(empty, 1)], releases=[(full, 1)],
            )  # fmt: skip
            rhal.kernel(
                tile=core, kernel="global_avgpool", params=[0, 1024, 16, 8, 8, 5120],
                buffers=[("params", p), ("in_addr", a), ("out_addr", b)],
                acquires=[(full, 1)], releases=[(empty, 1)],
            )  # fmt: skip
            rhal.wait_core(tile=core)
            rhal.dma(
                src=b, dst=y, src_port=core, dst_port=shim,
                src_pattern=rhal.pattern(0, [64], [1]), dst_pattern=rhal.pattern(0, [64], [1]),
                src_channel=1, dst_channel=1,
            )  # fmt: skip
            rhal.wait(tile=shim, direction="s2mm", channel=1)
            rhal.acquire(lock=empty, value=1)
            rhal.release(lock=empty, value=1)
            rhal.barrier()
        module.operation.verify()
        # CHECK:      %[[SHIM:.*]] = "rhal.tile"() {col = 2 : i64, kind = "interface", row = 0 : i64} : () -> !rhal.tile_ref
        # CHECK:      %[[CORE:.*]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64} : () -> !rhal.tile_ref
        # CHECK:      %[[X:.*]] = "rhal.ddr_buffer"() {address = 0 : i64, role = "input", size = 4096 : i64, sym_name = "x"}
        # CHECK:      %[[Y:.*]] = "rhal.ddr_buffer"() {address, role = "output", size = 64 : i64, sym_name = "y"}
        # CHECK:      %[[A:.*]] = "rhal.buffer"(%[[CORE]]) {address = 1024 : i64, size = 4096 : i64, sym_name = "a"}
        # CHECK:      %[[B:.*]] = "rhal.buffer"(%[[CORE]]) {address, size = 64 : i64, sym_name = "b"}
        # CHECK:      %[[P:.*]] = "rhal.buffer"(%[[CORE]]) {address, size = 24 : i64, sym_name = "p"}
        # CHECK:      %[[FULL:.*]] = "rhal.lock"(%[[CORE]]) {id = 0 : i64, init = 0 : i64}
        # CHECK:      %[[EMPTY:.*]] = "rhal.lock"(%[[CORE]]) {id = 1 : i64, init = 1 : i64}
        # CHECK:      "rhal.dma"(%[[X]], %[[A]], %[[SHIM]], %[[CORE]], %[[EMPTY]], %[[FULL]])
        # CHECK-SAME:   operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1>
        # CHECK:      "rhal.kernel"(%[[CORE]], %[[P]], %[[A]], %[[B]], %[[FULL]], %[[EMPTY]])
        # CHECK-SAME:   bindings = ["params", "in_addr", "out_addr"], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 3, 1, 1>, params = array<i32: 0, 1024, 16, 8, 8, 5120>
        # CHECK:      "rhal.wait_core"(%[[CORE]])
        # CHECK:      "rhal.dma"(%[[B]], %[[Y]], %[[CORE]], %[[SHIM]])
        # CHECK-SAME:   acquire_values = array<i64>
        # CHECK-SAME:   operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>
        # CHECK:      "rhal.wait"(%[[SHIM]]) {channel = 1 : i64, direction = "s2mm"}
        # CHECK:      "rhal.acquire"(%[[EMPTY]]) {value = 1 : i64}
        # CHECK:      "rhal.release"(%[[EMPTY]]) {value = 1 : i64}
        # CHECK:      "rhal.barrier"() : () -> ()
        print(module)


# CHECK-LABEL: TEST: testAccessors
@run
def testAccessors():
    with ir.Context(), ir.Location.unknown():
        load_all()
        module = target_module()
        with ir.InsertionPoint(module.body):
            core = rhal.tile(col=2, row=3, kind="compute")
            a = rhal.buffer(tile=core, size=64, sym_name="a", address=1024)
            full = rhal.lock(tile=core, id=0)
            op = rhal.kernel(
                tile=core, kernel="eltwise", params=[0] * 9, buffers=[("params", a)],
                releases=[(full, 1)],
            )
        # CHECK: KernelOp eltwise 1 1 [1]
        print(type(op).__name__, op.kernel.value, len(op.buffers), len(op.releases),
              list(op.release_values))  # fmt: skip
        # CHECK: BufferOp a 64 1024
        buffer = a.owner
        print(type(buffer).__name__, buffer.sym_name.value, buffer.size.value, buffer.address.value)
        # CHECK: TileRefType BufferRefType LockRefType
        print(type(core.type).__name__, type(a.type).__name__, type(full.type).__name__)


# CHECK-LABEL: TEST: testVerifierMessages
@run
def testVerifierMessages():
    with ir.Context(), ir.Location.unknown():
        load_all()

        def report(build, module=None):
            module = module or target_module()
            with ir.InsertionPoint(module.body):
                build()
            try:
                module.operation.verify()
            except ir.MLIRError as e:
                for d in e.error_diagnostics:
                    print(d.message)

        # CHECK: 'rhal.buffer' op buffer of 70144 bytes at address 0 does not fit compute tile (3,4): 65536 bytes
        report(
            lambda: rhal.buffer(
                tile=rhal.tile(col=3, row=4, kind="compute"), size=70144, sym_name="big", address=0
            )
        )
        # CHECK: 'rhal.tile' op needs a target: no enclosing op has a 'rhal.target' attribute
        report(lambda: rhal.tile(col=3, row=4, kind="compute"), ir.Module.create())
        # CHECK: 'rhal.tile' op tile budget 400 is not in 1..304, the compute tiles of 'aie-ml'
        report(lambda: rhal.tile(col=3, row=4, kind="compute"), target_module(tiles=400))
        # CHECK: 'rhal.lock' op initial value 2 is out of range 0..1 for a lock of compute tile (3,4)
        report(
            lambda: rhal.lock(tile=rhal.tile(col=3, row=4, kind="compute"), id=0, init=2),
            target_module("aie"),
        )

        def transfer_too_long():
            shim = rhal.tile(col=2, row=0, kind="interface")
            core = rhal.tile(col=2, row=3, kind="compute")
            rhal.dma(
                src=rhal.ddr_buffer(size=4096, sym_name="x", role="input"),
                dst=rhal.buffer(tile=core, size=4096, sym_name="a"),
                src_port=shim, dst_port=core,
                src_pattern=rhal.pattern(0, [2, 4096], [0, 1]),
                dst_pattern=rhal.pattern(0, [4096], [1]), src_channel=0, dst_channel=0,
            )  # fmt: skip

        # CHECK: 'rhal.dma' op source pattern moves 8192 bytes but destination pattern moves 4096
        report(transfer_too_long)


# CHECK-LABEL: TEST: testBuildTensorOps
@run
def testBuildTensorOps():
    """The tensor-level builders infer the result type from the operands and the window."""
    with ir.Context(), ir.Location.unknown():
        load_all()
        f32 = ir.F32Type.get()
        types = [ir.RankedTensorType.get(s, f32) for s in ([1, 8, 16, 16], [8, 1, 3, 3], [8],
                                                           [10, 8])]  # fmt: skip
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            function = func.FuncOp("layers", (types, []))
            with ir.InsertionPoint(function.add_entry_block()):
                x, dw, b, fc = function.arguments
                d = rhal.conv2d(x, dw, layer="dw", strides=[2, 2], padding=[1, 1, 0, 0],
                                groups=8, bias=b, activation="clamp", act_max=6.0)  # fmt: skip
                p = rhal.pool2d(d, mode="max", kernel=[3, 3], layer="pool2d.0", padding=[1, 1, 1, 1])
                s = rhal.eltwise("add", p, d, layer="eltwise.0", activation="relu")
                g = rhal.global_avgpool(s, layer="global_avgpool.0")
                flat = tensor.collapse_shape(
                    ir.RankedTensorType.get([1, 8], f32), g, [[0], [1, 2, 3]]
                )
                y = rhal.matmul(flat, fc, layer="head")
                func.ReturnOp([])
        module.operation.verify()
        # CHECK: tensor<1x8x8x8xf32> tensor<1x8x8x8xf32> tensor<1x8x8x8xf32> tensor<1x8x1x1xf32> tensor<1x10xf32>
        print(*(v.type for v in (d, p, s, g, y)))
        conv = d.owner
        # CHECK: Conv2dOp dw 8 clamp 0.0 6.0 True None
        print(type(conv).__name__, conv.layer.value, conv.groups.value, conv.activation.value,
              conv.act_min.value, conv.act_max.value, conv.bias == b, conv.residual)  # fmt: skip
        # CHECK: [2, 2] [1, 1, 0, 0] [1, 1]
        print(list(conv.strides), list(conv.padding), list(conv.dilations))
        # CHECK: EltwiseOp add relu True
        print(type(s.owner).__name__, s.owner.op.value, s.owner.activation.value, s.owner.b == d)


# CHECK-LABEL: TEST: testEmittedIrdl
@run
def testEmittedIrdl():
    with ir.Context():
        load_all()
        # CHECK:      irdl.dialect @rhal {
        # CHECK:        irdl.type @tile_ref
        # CHECK:        irdl.attribute @target {
        # CHECK:        irdl.attribute @pattern {
        # CHECK:          %[[SIZES:.*]] = irdl.base "#builtin.dense_array"
        # CHECK:        irdl.operation @tile {
        # CHECK:          %[[KIND:.*]] = irdl.any_of(
        # CHECK:          irdl.attributes {"col" = %{{.*}}, "row" = %{{.*}}, "kind" = %[[KIND]]}
        # CHECK:        irdl.operation @dma {
        # CHECK:          irdl.operands(src: %{{.*}}, dst: %{{.*}}, src_port: %{{.*}}, dst_port: %{{.*}}, acquires: variadic %{{.*}}, releases: variadic %{{.*}})
        # CHECK:        irdl.operation @kernel {
        # CHECK:          irdl.operands(tile: %{{.*}}, buffers: variadic %{{.*}}, acquires: variadic %{{.*}}, releases: variadic %{{.*}})
        # CHECK:        irdl.operation @conv2d {
        # CHECK:          irdl.operands(input: %{{.*}}, weight: %{{.*}}, bias: optional %{{.*}}, residual: optional %{{.*}})
        print(rhal.Rhal._mlir_module)
