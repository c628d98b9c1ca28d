// RUN: rcbc-opt %s --pass-pipeline='builtin.module(rhal-schedule-dma)' | FileCheck %s

// A tensor handed over in DDR with no barrier: the second transfer reads what the first wrote,
// through another interface channel, so the pass puts a barrier before it.
// CHECK-LABEL: module @handover
// CHECK:       "rhal.dma"(%[[A:.*]], %[[D:.*]], %{{.*}}, %{{.*}})
// CHECK-NEXT:  "rhal.barrier"() : () -> ()
// CHECK-NEXT:  "rhal.dma"(%[[D]], %{{.*}}, %{{.*}}, %{{.*}})
module @handover attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 2>} {
  func.func @main() {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %t0 = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %t1 = "rhal.tile"() {col = 3, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %d = "rhal.ddr_buffer"() {sym_name = "d", role = "scratch", size = 256, address = 0} : () -> !rhal.buffer_ref
    %a = "rhal.buffer"(%t0) {sym_name = "a", size = 256, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b = "rhal.buffer"(%t1) {sym_name = "b", size = 256, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    "rhal.dma"(%a, %d, %t0, %shim) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 256>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 256>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%d, %b, %shim, %t1) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 256>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 256>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    return
  }
}
