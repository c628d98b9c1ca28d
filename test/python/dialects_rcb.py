# RUN: %PYTHON %s | FileCheck %s
"""The rcb dialect from Python: building a program, accessors, verifiers and the emitted IRDL."""

import gc

from rcbc.dialects import load_all, rcb, rhal
from rcbc.mlir import ir


def run(f):
    print("\nTEST:", f.__name__)
    f()
    gc.collect()
    return f


def build_program(target: rhal.TargetAttr, records) -> ir.Module:
    """A module holding one program whose body `records()` builds, ended by `rcb.end`."""
    module = ir.Module.create()
    with ir.InsertionPoint(module.body):
        program = rcb.program(target=target)
    with ir.InsertionPoint(program.body.blocks[0]):
        records()
        rcb.end()
    return module


# CHECK-LABEL: TEST: testBuildProgram
@run
def testBuildProgram():
    with ir.Context(), ir.Location.unknown():
        load_all()

        def records():
            rcb.io(sym_name="x", direction="input", address=0, shape=[1, 16, 8, 8], dtype="f32")
            rcb.io(sym_name="y", direction="output", address=4096, shape=[1, 16], dtype="f32")
            rcb.data(sym_name="gap.params", address=4160, size=24,
                     contents=[0, 1024, 16, 8, 8, 5120])  # fmt: skip
            rcb.data(sym_name="fc.weight", address=4224, size=4096, contents="fc.weight")
            rcb.data(sym_name="arena", address=8320, size=65536, contents=None)
            rcb.configure_tile(col=2, row=0)
            rcb.configure_tile(col=2, row=3)
            rcb.lock_release(col=2, row=3, id=1, value=1)
            rcb.write_params(col=2, row=3, address=6144, entry="gap.params")
            rcb.dma_start(
                src=(2, 0), src_channel=0, src_address=0, src_sizes=[4096], src_strides=[1],
                dst=(2, 3), dst_channel=0, dst_address=1024, dst_sizes=[64, 64],
                dst_strides=[64, 1], acquires=[(2, 3, 1, 1)], releases=[(2, 3, 0, 1)],
            )  # fmt: skip
            rcb.launch(col=2, row=3, kernel="global_avgpool", params_address=6144,
                       acquires=[(2, 3, 0, 1)], releases=[(2, 3, 1, 1)])  # fmt: skip
            rcb.wait_core(col=2, row=3)
            rcb.dma_start(
                src=(2, 3), src_channel=1, src_address=5120, src_sizes=[64], src_strides=[1],
                dst=(2, 0), dst_channel=1, dst_address=4096, dst_sizes=[64], dst_strides=[1],
            )  # fmt: skip
            rcb.wait(col=2, row=0, direction="s2mm", channel=1)
            rcb.lock_acquire(col=2, row=3, id=1, value=1)
            rcb.barrier()

        module = build_program(rhal.target("aie-ml", 28), records)
        module.operation.verify()
        # CHECK:      "rcb.program"() ({
        # CHECK-NEXT:   "rcb.io"() {address = 0 : i64, direction = "input", dtype = "f32", shape = array<i64: 1, 16, 8, 8>, sym_name = "x"}
        # CHECK-NEXT:   "rcb.io"() {address = 4096 : i64, direction = "output", dtype = "f32", shape = array<i64: 1, 16>, sym_name = "y"}
        # CHECK-NEXT:   "rcb.data"() {address = 4160 : i64, contents = array<i32: 0, 1024, 16, 8, 8, 5120>, size = 24 : i64, sym_name = "gap.params"}
        # CHECK-NEXT:   "rcb.data"() {address = 4224 : i64, contents = "fc.weight", size = 4096 : i64, sym_name = "fc.weight"}
        # CHECK-NEXT:   "rcb.data"() {address = 8320 : i64, contents, size = 65536 : i64, sym_name = "arena"}
        # CHECK-NEXT:   "rcb.configure_tile"() {col = 2 : i64, row = 0 : i64}
        # CHECK-NEXT:   "rcb.configure_tile"() {col = 2 : i64, row = 3 : i64}
        # CHECK-NEXT:   "rcb.lock_release"() {col = 2 : i64, id = 1 : i64, row = 3 : i64, value = 1 : i64}
        # CHECK-NEXT:   "rcb.write_params"() {address = 6144 : i64, col = 2 : i64, entry = "gap.params", row = 3 : i64}
        # CHECK-NEXT:   "rcb.dma_start"() {acquires = array<i64: 2, 3, 1, 1>, dst_address = 1024 : i64, dst_channel = 0 : i64, dst_col = 2 : i64, dst_row = 3 : i64, dst_sizes = array<i64: 64, 64>, dst_strides = array<i64: 64, 1>, releases = array<i64: 2, 3, 0, 1>, src_address = 0 : i64, src_channel = 0 : i64, src_col = 2 : i64, src_row = 0 : i64, src_sizes = array<i64: 4096>, src_strides = array<i64: 1>}
        # CHECK-NEXT:   "rcb.launch"() {acquires = array<i64: 2, 3, 0, 1>, col = 2 : i64, kernel = "global_avgpool", params_address = 6144 : i64, releases = array<i64: 2, 3, 1, 1>, row = 3 : i64}
        # CHECK-NEXT:   "rcb.wait_core"() {col = 2 : i64, row = 3 : i64}
        # CHECK-NEXT:   "rcb.dma_start"() {acquires = array<i64>, {{.*}}, releases = array<i64>,
        # CHECK-NEXT:   "rcb.wait"() {channel = 1 : i64, col = 2 : i64, direction = "s2mm", row = 0 : i64}
        # CHECK-NEXT:   "rcb.lock_acquire"() {col = 2 : i64, id = 1 : i64, row = 3 : i64, value = 1 : i64}
        # CHECK-NEXT:   "rcb.barrier"() : () -> ()
        # CHECK-NEXT:   "rcb.end"() : () -> ()
        # CHECK-NEXT: }) {target = #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64, 65536 : i64, 524288 : i64, 28 : i64>} : () -> ()
        print(module)

        program = module.body.operations[0]
        # CHECK: ProgramOp aie-ml ['x', 'y', 'gap.params', 'fc.weight', 'arena']
        print(type(program).__name__, program.machine().target.name,
              [d.sym_name.value for d in program.declarations()])  # fmt: skip


# CHECK-LABEL: TEST: testVerifierMessages
@run
def testVerifierMessages():
    with ir.Context(), ir.Location.unknown():
        load_all()

        def report(target, records):
            try:
                build_program(target, records).operation.verify()
            except ir.MLIRError as e:
                for d in e.error_diagnostics:
                    print(d.message)

        aie_ml = rhal.target("aie-ml", 28)
        # CHECK: 'rcb.launch' op 'conv2d' parameter block of 120 bytes at address 65500 does not fit compute tile (2,3): 65536 bytes
        report(aie_ml, lambda: rcb.launch(col=2, row=3, kernel="conv2d", params_address=65500))
        # CHECK: 'rcb.write_params' op entry @missing is not an 'rcb.data' of this program
        report(aie_ml, lambda: rcb.write_params(col=2, row=3, address=1024, entry="missing"))
        # CHECK: 'rcb.dma_start' op destination pattern has 4 dims but the DMA of compute tile (0,2) walks at most 3
        report(
            rhal.target("npu2", 32),
            lambda: rcb.dma_start(
                src=(0, 1), src_channel=5, src_address=0, src_sizes=[64], src_strides=[1],
                dst=(0, 2), dst_channel=1, dst_address=1024, dst_sizes=[1, 1, 4, 16],
                dst_strides=[64, 64, 16, 1],
            ),
        )  # fmt: skip
        # CHECK: 'rcb.lock_acquire' op lock id 16 is out of range: compute tile (0,2) has 16 locks
        report(rhal.target("npu2", 32), lambda: rcb.lock_acquire(col=0, row=2, id=16, value=1))


# CHECK-LABEL: TEST: testEmittedIrdl
@run
def testEmittedIrdl():
    with ir.Context():
        load_all()
        # CHECK:      irdl.dialect @rcb {
        # CHECK:        irdl.operation @program {
        # CHECK-NEXT:     %[[TARGET:.*]] = irdl.any
        # CHECK-NEXT:     irdl.attributes {"target" = %[[TARGET]]}
        # CHECK-NEXT:     %[[BODY:.*]] = irdl.region
        # CHECK-NEXT:     irdl.regions(body: %[[BODY]])
        # CHECK:        irdl.operation @dma_start {
        # CHECK:          irdl.attributes {"src_col" = %{{.*}}, "src_row" = %{{.*}}, "src_channel" = %{{.*}}, "src_address" = %{{.*}}, "src_sizes" = %{{.*}}, "src_strides" = %{{.*}}, "dst_col" = %{{.*}}
        # CHECK:        irdl.operation @end
        print(rcb.Rcb._mlir_module)
