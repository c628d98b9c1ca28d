// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(rhal-verify)' -o /dev/null

// Two buffers alive at the same time share bytes of one tile.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 1>} {
  func.func @main() {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 256, address = 0} : () -> !rhal.buffer_ref
    %a = "rhal.buffer"(%t) {sym_name = "a", size = 256, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    // expected-error @+1 {{rhal-verify: buffer @b (bytes 1152..1408) overlaps buffer @a (bytes 1024..1280) of compute tile (2,3) while both are alive}}
    %b = "rhal.buffer"(%t) {sym_name = "b", size = 256, address = 1152} : (!rhal.tile_ref) -> !rhal.buffer_ref
    "rhal.dma"(%x, %a, %shim, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 256>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 256>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.dma"(%x, %b, %shim, %t) {acquire_values = array<i64>, dst_channel = 1, dst_pattern = #rhal.pattern<0, array<i64: 256>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 1, src_pattern = #rhal.pattern<0, array<i64: 256>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    return
  }
}

// -----

// A transfer drains a tile buffer nothing has written.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 1>} {
  func.func @main() {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %y = "rhal.ddr_buffer"() {sym_name = "y", role = "output", size = 256, address = 0} : () -> !rhal.buffer_ref
    %a = "rhal.buffer"(%t) {sym_name = "a", size = 256, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    // expected-error @+1 {{rhal-verify: reads buffer @a (bytes 1024..1280 of compute tile (2,3)) before anything writes it}}
    "rhal.dma"(%a, %y, %t, %shim) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 256>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 256>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    return
  }
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 1>} {
  func.func @main() {
    %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    // expected-error @+1 {{rhal-verify: buffer @a has no address; run rhal-allocate first}}
    %a = "rhal.buffer"(%t) {sym_name = "a", size = 256, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
    return
  }
}

// -----

// expected-error @+1 {{rhal-verify: the module has no rhal.target; run rhal-set-target first}}
module {
}

// -----

// expected-error @+1 {{rhal-verify: the module has no func.func @main}}
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
}
