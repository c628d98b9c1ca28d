// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(rhal-allocate)' -o /dev/null

// Two buffers live at the same time that together exceed the tile's memory above its stack.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 1>} {
  func.func @main() {
    %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %a = "rhal.buffer"(%t) {sym_name = "a", size = 40000, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
    // expected-error @+1 {{rhal-allocate: buffers live at the same time on compute tile (2,3) need 80000 bytes, but it has 64512 above its 1024-byte stack}}
    %b = "rhal.buffer"(%t) {sym_name = "b", size = 40000, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
    "rhal.dma"(%a, %b, %t, %t) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 40000>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 40000>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    return
  }
}

// -----

// expected-error @+1 {{rhal-allocate: the module has no rhal.target; run rhal-set-target first}}
module {
}
