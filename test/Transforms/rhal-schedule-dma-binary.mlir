// RUN: rcbc-opt %s --split-input-file --pass-pipeline='builtin.module(rhal-schedule-dma,rhal-verify)' | FileCheck %s

// Binary locks (aie): a lock is released again only once its last release has been acquired.
// Four launches on one tile, double-buffered (slots in0/in1, out0/out1). L0 carries the load of
// in0 to launch 0, then the store of out0 to launch 2, which writes out0 again: the store took
// L1 from launch 0, so launch 0 had taken L0 before the store releases it. L1 likewise serves
// launch 0 to its store, then launch 2 to its store (launch 2 took L0 from the first store).
// CHECK-LABEL: func.func @main
// CHECK:       %[[T:[0-9]+]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 1 : i64}
// CHECK-NEXT:  %[[L0:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 0 : i64, init = 0 : i64}
// CHECK-NEXT:  %[[L1:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 1 : i64, init = 0 : i64}
// CHECK-NEXT:  %[[L2:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 2 : i64, init = 0 : i64}
// CHECK-NEXT:  %[[L3:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 3 : i64, init = 0 : i64}
// CHECK-NEXT:  %[[L4:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 4 : i64, init = 0 : i64}
// CHECK-NEXT:  %[[L5:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 5 : i64, init = 0 : i64}
// CHECK-NEXT:  %[[L6:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 6 : i64, init = 0 : i64}
// CHECK-NEXT:  %[[L7:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 7 : i64, init = 0 : i64}
// CHECK-NOT:   "rhal.lock"
// CHECK:       "rhal.dma"(%{{[0-9]+}}, %[[IN0:[0-9]+]], %{{[0-9]+}}, %[[T]], %[[L0]]) {acquire_values = array<i64>, {{.*}}release_values = array<i64: 1>
// CHECK-NEXT:  "rhal.kernel"(%[[T]], %{{[0-9]+}}, %[[IN0]], %[[OUT0:[0-9]+]], %[[L0]], %[[L1]], %[[L2]]) {acquire_values = array<i64: 1>, {{.*}}release_values = array<i64: 1, 1>}
// CHECK-NEXT:  "rhal.dma"(%[[OUT0]], %{{[0-9]+}}, %[[T]], %{{[0-9]+}}, %[[L1]], %[[L0]]) {acquire_values = array<i64: 1>, {{.*}}release_values = array<i64: 1>
// CHECK:       "rhal.dma"(%{{[0-9]+}}, %[[IN1:[0-9]+]], %{{[0-9]+}}, %[[T]], %[[L3]]) {acquire_values = array<i64>, {{.*}}release_values = array<i64: 1>
// CHECK-NEXT:  "rhal.kernel"(%[[T]], %{{[0-9]+}}, %[[IN1]], %[[OUT1:[0-9]+]], %[[L3]], %[[L4]], %[[L5]]) {acquire_values = array<i64: 1>, {{.*}}release_values = array<i64: 1, 1>}
// CHECK-NEXT:  "rhal.dma"(%[[OUT1]], %{{[0-9]+}}, %[[T]], %{{[0-9]+}}, %[[L4]], %[[L3]]) {acquire_values = array<i64: 1>, {{.*}}release_values = array<i64: 1>
// CHECK-NEXT:  "rhal.dma"(%{{[0-9]+}}, %[[IN0]], %{{[0-9]+}}, %[[T]], %[[L2]], %[[L6]]) {acquire_values = array<i64: 1>, {{.*}}release_values = array<i64: 1>
// CHECK-NEXT:  "rhal.kernel"(%[[T]], %{{[0-9]+}}, %[[IN0]], %[[OUT0]], %[[L0]], %[[L6]], %[[L1]]) {acquire_values = array<i64: 1, 1>, {{.*}}release_values = array<i64: 1>}
// CHECK-NEXT:  "rhal.dma"(%[[OUT0]], %{{[0-9]+}}, %[[T]], %{{[0-9]+}}, %[[L1]]) {acquire_values = array<i64: 1>, {{.*}}release_values = array<i64>
// CHECK-NEXT:  "rhal.dma"(%{{[0-9]+}}, %[[IN1]], %{{[0-9]+}}, %[[T]], %[[L5]], %[[L7]]) {acquire_values = array<i64: 1>, {{.*}}release_values = array<i64: 1>
// CHECK-NEXT:  "rhal.kernel"(%[[T]], %{{[0-9]+}}, %[[IN1]], %[[OUT1]], %[[L3]], %[[L7]], %[[L4]]) {acquire_values = array<i64: 1, 1>, {{.*}}release_values = array<i64: 1>}
// CHECK-NEXT:  "rhal.dma"(%[[OUT1]], %{{[0-9]+}}, %[[T]], %{{[0-9]+}}, %[[L4]]) {acquire_values = array<i64: 1>, {{.*}}release_values = array<i64>
module attributes {rhal.target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 1>} {
  func.func @main() {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %t = "rhal.tile"() {col = 2, row = 1, kind = "compute"} : () -> !rhal.tile_ref
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 16384, address = 0} : () -> !rhal.buffer_ref
    %y = "rhal.ddr_buffer"() {sym_name = "y", role = "output", size = 16384, address = 16384} : () -> !rhal.buffer_ref
    %out0 = "rhal.buffer"(%t) {sym_name = "out0", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p0 = "rhal.buffer"(%t) {sym_name = "p0", size = 36, address = 5120} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %in0 = "rhal.buffer"(%t) {sym_name = "in0", size = 4096, address = 5168} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %out1 = "rhal.buffer"(%t) {sym_name = "out1", size = 4096, address = 9264} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p1 = "rhal.buffer"(%t) {sym_name = "p1", size = 36, address = 13360} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %in1 = "rhal.buffer"(%t) {sym_name = "in1", size = 4096, address = 13408} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p2 = "rhal.buffer"(%t) {sym_name = "p2", size = 36, address = 17504} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p3 = "rhal.buffer"(%t) {sym_name = "p3", size = 36, address = 17552} : (!rhal.tile_ref) -> !rhal.buffer_ref
    "rhal.dma"(%x, %in0, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.kernel"(%t, %p0, %in0, %out0) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 5168, 0, 1024, 1024, 0, 1, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.dma"(%out0, %y, %t, %shim) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %in1, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<4096, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.kernel"(%t, %p1, %in1, %out1) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 13408, 0, 9264, 1024, 0, 1, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.dma"(%out1, %y, %t, %shim) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<4096, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %in0, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<8192, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.kernel"(%t, %p2, %in0, %out0) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 5168, 0, 1024, 1024, 0, 1, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.dma"(%out0, %y, %t, %shim) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<8192, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %in1, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<12288, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.kernel"(%t, %p3, %in1, %out1) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 13408, 0, 9264, 1024, 0, 1, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.dma"(%out1, %y, %t, %shim) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<12288, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    return
  }
}

// -----

// One link per target and pair: the kernel acquires from the second transfer into b only, the
// channel's order implies the first. The controller rewrites p0 for launch 2 after launch 0
// read it: that link moves to launch 1, issued before launch 2, and merges with launch 1's own
// link (for launch 3), which the acquire before launch 2 implies.
// CHECK-LABEL: func.func @main
// CHECK:       %[[T:[0-9]+]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 1 : i64}
// CHECK-NEXT:  %[[L0:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 0 : i64, init = 0 : i64}
// CHECK-NEXT:  %[[L1:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 1 : i64, init = 0 : i64}
// CHECK-NOT:   "rhal.lock"
// CHECK:       "rhal.dma"({{.*}}) {acquire_values = array<i64>, {{.*}}release_values = array<i64>,
// CHECK-NEXT:  "rhal.dma"({{.*}}, %[[L0]]) {acquire_values = array<i64>, {{.*}}release_values = array<i64: 1>,
// CHECK-NEXT:  "rhal.kernel"({{.*}}, %[[L0]]) {acquire_values = array<i64: 1>, {{.*}}release_values = array<i64>}
// CHECK-NEXT:  "rhal.kernel"({{.*}}, %[[L1]]) {acquire_values = array<i64>, {{.*}}release_values = array<i64: 1>}
// CHECK-NEXT:  "rhal.acquire"(%[[L1]]) {value = 1 : i64}
// CHECK-NEXT:  "rhal.kernel"({{.*}}) {acquire_values = array<i64>, {{.*}}release_values = array<i64>}
// CHECK-NEXT:  "rhal.kernel"({{.*}}) {acquire_values = array<i64>, {{.*}}release_values = array<i64>}
module attributes {rhal.target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 1>} {
  func.func @main() {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %t = "rhal.tile"() {col = 2, row = 1, kind = "compute"} : () -> !rhal.tile_ref
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 64, address = 0} : () -> !rhal.buffer_ref
    %b = "rhal.buffer"(%t) {sym_name = "b", size = 64, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %o = "rhal.buffer"(%t) {sym_name = "o", size = 64, address = 1088} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p0 = "rhal.buffer"(%t) {sym_name = "p0", size = 36, address = 1152} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p1 = "rhal.buffer"(%t) {sym_name = "p1", size = 36, address = 1216} : (!rhal.tile_ref) -> !rhal.buffer_ref
    "rhal.dma"(%x, %b, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 32>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 32>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<32, array<i64: 32>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<32, array<i64: 32>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.kernel"(%t, %p0, %b, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1024, 0, 1088, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p1, %b, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1024, 0, 1088, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p0, %b, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1024, 0, 1088, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p1, %b, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1024, 0, 1088, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    return
  }
}

// -----

// Sixteen transfers, each into a buffer a later kernel reads, hold all sixteen locks of the
// tile. No lock is known free for the seventeenth and the transfer has no later task on its
// channel to pass its link to, so the controller waits for the core, whose only kernel took L0.
// CHECK-LABEL: func.func @main
// CHECK:       %[[T:[0-9]+]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 1 : i64}
// CHECK-NEXT:  %[[L0:[0-9]+]] = "rhal.lock"(%[[T]]) {id = 0 : i64, init = 0 : i64}
// CHECK:       "rhal.lock"(%[[T]]) {id = 15 : i64, init = 0 : i64}
// CHECK-NOT:   "rhal.lock"
// CHECK:       "rhal.kernel"(%[[T]], %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %[[L0]]) {acquire_values = array<i64: 1>,
// CHECK-NEXT:  "rhal.wait_core"(%[[T]]) : (!rhal.tile_ref) -> ()
// CHECK-NEXT:  "rhal.dma"(%{{[0-9]+}}, %[[B17:[0-9]+]], %{{[0-9]+}}, %[[T]], %[[L0]]) {acquire_values = array<i64>, {{.*}}release_values = array<i64: 1>
// CHECK:       "rhal.kernel"(%[[T]], %{{[0-9]+}}, %[[B17]], %{{[0-9]+}}, %[[L0]]) {acquire_values = array<i64: 1>,
// CHECK-NEXT:  return
module attributes {rhal.target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 1>} {
  func.func @main() {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %t = "rhal.tile"() {col = 2, row = 1, kind = "compute"} : () -> !rhal.tile_ref
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 64, address = 0} : () -> !rhal.buffer_ref
    %o = "rhal.buffer"(%t) {sym_name = "o", size = 64, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b1 = "rhal.buffer"(%t) {sym_name = "b1", size = 64, address = 1088} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b2 = "rhal.buffer"(%t) {sym_name = "b2", size = 64, address = 1152} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b3 = "rhal.buffer"(%t) {sym_name = "b3", size = 64, address = 1216} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b4 = "rhal.buffer"(%t) {sym_name = "b4", size = 64, address = 1280} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b5 = "rhal.buffer"(%t) {sym_name = "b5", size = 64, address = 1344} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b6 = "rhal.buffer"(%t) {sym_name = "b6", size = 64, address = 1408} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b7 = "rhal.buffer"(%t) {sym_name = "b7", size = 64, address = 1472} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b8 = "rhal.buffer"(%t) {sym_name = "b8", size = 64, address = 1536} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b9 = "rhal.buffer"(%t) {sym_name = "b9", size = 64, address = 1600} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b10 = "rhal.buffer"(%t) {sym_name = "b10", size = 64, address = 1664} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b11 = "rhal.buffer"(%t) {sym_name = "b11", size = 64, address = 1728} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b12 = "rhal.buffer"(%t) {sym_name = "b12", size = 64, address = 1792} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b13 = "rhal.buffer"(%t) {sym_name = "b13", size = 64, address = 1856} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b14 = "rhal.buffer"(%t) {sym_name = "b14", size = 64, address = 1920} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b15 = "rhal.buffer"(%t) {sym_name = "b15", size = 64, address = 1984} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b16 = "rhal.buffer"(%t) {sym_name = "b16", size = 64, address = 2048} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b17 = "rhal.buffer"(%t) {sym_name = "b17", size = 64, address = 2112} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p1 = "rhal.buffer"(%t) {sym_name = "p1", size = 36, address = 4160} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p2 = "rhal.buffer"(%t) {sym_name = "p2", size = 36, address = 4224} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p3 = "rhal.buffer"(%t) {sym_name = "p3", size = 36, address = 4288} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p4 = "rhal.buffer"(%t) {sym_name = "p4", size = 36, address = 4352} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p5 = "rhal.buffer"(%t) {sym_name = "p5", size = 36, address = 4416} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p6 = "rhal.buffer"(%t) {sym_name = "p6", size = 36, address = 4480} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p7 = "rhal.buffer"(%t) {sym_name = "p7", size = 36, address = 4544} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p8 = "rhal.buffer"(%t) {sym_name = "p8", size = 36, address = 4608} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p9 = "rhal.buffer"(%t) {sym_name = "p9", size = 36, address = 4672} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p10 = "rhal.buffer"(%t) {sym_name = "p10", size = 36, address = 4736} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p11 = "rhal.buffer"(%t) {sym_name = "p11", size = 36, address = 4800} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p12 = "rhal.buffer"(%t) {sym_name = "p12", size = 36, address = 4864} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p13 = "rhal.buffer"(%t) {sym_name = "p13", size = 36, address = 4928} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p14 = "rhal.buffer"(%t) {sym_name = "p14", size = 36, address = 4992} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p15 = "rhal.buffer"(%t) {sym_name = "p15", size = 36, address = 5056} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p16 = "rhal.buffer"(%t) {sym_name = "p16", size = 36, address = 5120} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p17 = "rhal.buffer"(%t) {sym_name = "p17", size = 36, address = 5184} : (!rhal.tile_ref) -> !rhal.buffer_ref
    "rhal.dma"(%x, %b1, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b2, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b3, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b4, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b5, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b6, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b7, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b8, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b9, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b10, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b11, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b12, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b13, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b14, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b15, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b16, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.kernel"(%t, %p1, %b1, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1088, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.dma"(%x, %b17, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.kernel"(%t, %p2, %b2, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1152, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p3, %b3, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1216, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p4, %b4, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1280, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p5, %b5, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1344, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p6, %b6, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1408, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p7, %b7, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1472, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p8, %b8, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1536, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p9, %b9, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1600, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p10, %b10, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1664, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p11, %b11, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1728, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p12, %b12, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1792, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p13, %b13, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1856, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p14, %b14, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1920, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p15, %b15, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1984, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p16, %b16, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 2048, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%t, %p17, %b17, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 2112, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    return
  }
}
