// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(rhal-schedule-dma)' -o /dev/null

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 1>} {
  func.func @main() {
    %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    // expected-error @+1 {{rhal-schedule-dma: buffers have no addresses; run rhal-allocate first}}
    %a = "rhal.buffer"(%t) {sym_name = "a", size = 64, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
    return
  }
}

// -----

// expected-error @+1 {{rhal-schedule-dma: the module has no func.func @main}}
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 1>} {
}

// -----

// Binary locks (aie): seventeen transfers into buffers that seventeen later kernels read. Each
// link holds its lock until its kernel starts, and none has started when the last transfer,
// the last task of its channel, needs one.
module attributes {rhal.target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 1>} {
  func.func @main() {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    // expected-error @+1 {{rhal-schedule-dma: compute tile (2,1) needs more than its 16 locks}}
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
    "rhal.dma"(%x, %b17, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.kernel"(%t, %p1, %b1, %o) {acquire_values = array<i64>, bindings = ["params", "a_addr", "out_addr"], kernel = "eltwise", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 1088, 0, 1024, 16, 0, 0, 0, 0>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
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

// -----

// Binary locks (aie): a transfer from one tile's memory to another's is a task of both tiles'
// queues, which the binary scheme (one tile agent per task) does not order.
module attributes {rhal.target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 2>} {
  func.func @main() {
    %t0 = "rhal.tile"() {col = 2, row = 1, kind = "compute"} : () -> !rhal.tile_ref
    %t1 = "rhal.tile"() {col = 3, row = 1, kind = "compute"} : () -> !rhal.tile_ref
    %a = "rhal.buffer"(%t0) {sym_name = "a", size = 64, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b = "rhal.buffer"(%t1) {sym_name = "b", size = 64, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    // expected-error @+1 {{rhal-schedule-dma: a transfer between two tiles' memories cannot be ordered with aie's binary locks (a task of two queues)}}
    "rhal.dma"(%a, %b, %t0, %t1) {src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>, src_channel = 0, dst_channel = 0, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, acquire_values = array<i64>, release_values = array<i64>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    return
  }
}
