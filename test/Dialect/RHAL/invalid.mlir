// RUN: rcbc-opt %s --split-input-file --verify-diagnostics

// One chunk per verifier message of the rhal dialect (and a few of the IRDL constraints).
// The target comes first.

module {
  // expected-error @+1 {{'rhal.tile' op needs a target: no enclosing op has a 'rhal.target' attribute}}
  %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
}

// -----

module attributes {rhal.target = "aie-ml"} {
  // expected-error @+1 {{'rhal.target' of 'builtin.module' must be a #rhal.target, got "aie-ml"}}
  %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml2", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{unknown target 'aie-ml2'; known targets: aie-ml, aie, npu1, npu2}}
  %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 40, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{#rhal.target has columns = 40, but target 'aie-ml' has 38}}
  %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie", 50, 9, 0, 32768, 524288, 28>} {
  // expected-error @+1 {{#rhal.target has memtile_memory = 524288, but target 'aie' has 0}}
  %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
}

// -----

module attributes {rhal.target = #rhal.target<"npu1", 4, 6, 1, 65536, 524288, 17>} {
  // expected-error @+1 {{tile budget 17 is not in 1..16, the compute tiles of 'npu1'}}
  %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
}

// -----

// expected-error @+1 {{expected base attribute 'builtin.integer' but got 'builtin.string'}}
module attributes {rhal.target = #rhal.target<"aie-ml", "38", 11, 2, 65536, 524288, 28>} {
}

// -----

// rhal.tile

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{'rhal.tile' op tile (38,3) is outside the 38x11 array of 'aie-ml'}}
  %t = "rhal.tile"() {col = 38, row = 3, kind = "compute"} : () -> !rhal.tile_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{'rhal.tile' op tile (2,1) is a memory tile, not compute}}
  %t = "rhal.tile"() {col = 2, row = 1, kind = "compute"} : () -> !rhal.tile_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{'"core"' does not satisfy the constraint}}
  %t = "rhal.tile"() {col = 2, row = 3, kind = "core"} : () -> !rhal.tile_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{'rhal.tile' op attribute "row" is expected but not provided}}
  %t = "rhal.tile"() {col = 2, kind = "compute"} : () -> !rhal.tile_ref
}

// -----

// rhal.buffer and rhal.ddr_buffer

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @f(%tile: !rhal.tile_ref) {
    // expected-error @+1 {{'rhal.buffer' op tile operand must be defined by 'rhal.tile'}}
    %a = "rhal.buffer"(%tile) {sym_name = "a", size = 64, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
    return
  }
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.buffer' op buffer size 0 is not positive}}
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 0, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.buffer' op buffer address 1026 is not a multiple of the 4-byte word}}
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 64, address = 1026} : (!rhal.tile_ref) -> !rhal.buffer_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.buffer' op buffer must be on a compute or memory tile, not on interface tile (2,0)}}
  %a = "rhal.buffer"(%shim) {sym_name = "a", size = 64, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %mem = "rhal.tile"() {col = 2, row = 1, kind = "memory"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.buffer' op buffer address -4 is negative}}
  %a = "rhal.buffer"(%mem) {sym_name = "a", size = 64, address = -4} : (!rhal.tile_ref) -> !rhal.buffer_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 3, row = 4, kind = "compute"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.buffer' op buffer of 70144 bytes at address 0 does not fit compute tile (3,4): 65536 bytes}}
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 70144, address = 0} : (!rhal.tile_ref) -> !rhal.buffer_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %mem = "rhal.tile"() {col = 3, row = 2, kind = "memory"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.buffer' op buffer of 4096 bytes at address 522240 does not fit memory tile (3,2): 524288 bytes}}
  %a = "rhal.buffer"(%mem) {sym_name = "a", size = 4096, address = 522240} : (!rhal.tile_ref) -> !rhal.buffer_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 3, row = 4, kind = "compute"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.buffer' op buffer at address 512 overlaps the 1024-byte stack of compute tile (3,4)}}
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 64, address = 512} : (!rhal.tile_ref) -> !rhal.buffer_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{'rhal.ddr_buffer' op buffer DDR address -64 is negative}}
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 64, address = -64} : () -> !rhal.buffer_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{'"weights"' does not satisfy the constraint}}
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "weights", size = 64, address} : () -> !rhal.buffer_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-note @+1 {{see existing symbol definition here}}
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 64, address} : () -> !rhal.buffer_ref
  // expected-error @+1 {{redefinition of symbol named 'x'}}
  %y = "rhal.ddr_buffer"() {sym_name = "x", role = "output", size = 64, address} : () -> !rhal.buffer_ref
}

// -----

// rhal.lock

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.lock' op lock id 16 is out of range: compute tile (2,3) has 16 locks}}
  %l = "rhal.lock"(%core) {id = 16, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %mem = "rhal.tile"() {col = 2, row = 1, kind = "memory"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.lock' op initial value 64 is out of range 0..63 for a lock of memory tile (2,1)}}
  %l = "rhal.lock"(%mem) {id = 63, init = 64} : (!rhal.tile_ref) -> !rhal.lock_ref
}

// -----

// rhal.dma: buffers and ports

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @f(%x: !rhal.buffer_ref) {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    // expected-error @+1 {{'rhal.dma' op source buffer must be defined by 'rhal.buffer' or 'rhal.ddr_buffer'}}
    "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    return
  }
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %other = "rhal.tile"() {col = 2, row = 4, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op destination port compute tile (2,4) is not the tile of buffer @a, compute tile (2,3)}}
  "rhal.dma"(%x, %a, %shim, %other) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source port of DDR buffer @x must be an interface tile to reach DDR, not a compute tile (2,3)}}
  "rhal.dma"(%x, %a, %core, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 4, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source port of DDR buffer @x interface tile (4,0) does not reach DDR; the DDR columns of 'aie-ml' are 2, 3, 6, 7, 14, 15, 22, 23, 30, 31, 34, 35}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{expected base type 'rhal.buffer_ref' but got 'rhal.tile_ref'}}
  "rhal.dma"(%shim, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

// rhal.dma: patterns

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op 'source pattern sizes' must be array<i64>, got array<i32: 4096>}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i32: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source pattern has 2 sizes but 1 strides}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64, 64>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source pattern has 0 dims; 1 to 4 are allowed}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64>, array<i64>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op destination pattern has 4 dims but the DMA of compute tile (2,3) walks at most 3}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 2, 2, 16, 64>, array<i64: 2048, 1024, 64, 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source pattern offset -4 is negative}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<-4, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source pattern size 0 in dim 0 is not positive}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 0, 4096>, array<i64: 4096, 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source pattern stride -64 in dim 0 is negative}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<4032, array<i64: 64, 64>, array<i64: -64, 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 8192, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source pattern has innermost stride 2, not 1}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 2>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 8192, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source pattern offset 2 is not a multiple of the 4-byte word}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<2, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 8192, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op destination pattern innermost size 6 is not a multiple of the 4-byte word}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 2, 6>, array<i64: 8, 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 12>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 8192, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source pattern stride in dim 0 66 is not a multiple of the 4-byte word}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64, 64>, array<i64: 66, 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source pattern reaches byte 4099 of buffer @x, which has 4096 bytes}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<4, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 2048, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source pattern moves 4096 bytes but destination pattern moves 2048}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 2048>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op destination pattern has 2 dims but the DMA of compute tile (2,3) walks at most 1}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64, 64>, array<i64: 64, 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

// rhal.dma: channels and locks

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.dma' op source channel 2 is out of range: interface tile (2,0) has 2 MM2S channels}}
  "rhal.dma"(%x, %a, %shim, %core) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 2, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %full = "rhal.lock"(%core) {id = 0, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
  // expected-error @+1 {{'rhal.dma' op 'release_values' has 2 values for 1 locks}}
  "rhal.dma"(%x, %a, %shim, %core, %full) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1>, release_values = array<i64: 1, 1>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %empty = "rhal.lock"(%core) {id = 1, init = 1} : (!rhal.tile_ref) -> !rhal.lock_ref
  // expected-error @+1 {{'rhal.dma' op 'acquire_values' must be array<i64>, got array<i32: 1>}}
  "rhal.dma"(%x, %a, %shim, %core, %empty) {acquire_values = array<i32: 1>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @f(%lock: !rhal.lock_ref) {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
    %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    // expected-error @+1 {{'rhal.dma' op acquired lock must be defined by 'rhal.lock'}}
    "rhal.dma"(%x, %a, %shim, %core, %lock) {acquire_values = array<i64: 1>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref) -> ()
    return
  }
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %other = "rhal.tile"() {col = 3, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %lock = "rhal.lock"(%other) {id = 0, init = 1} : (!rhal.tile_ref) -> !rhal.lock_ref
  // expected-error @+1 {{'rhal.dma' op acquired lock is on compute tile (3,3), not on (2,0) or (2,3)}}
  "rhal.dma"(%x, %a, %shim, %core, %lock) {acquire_values = array<i64: 1>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %full = "rhal.lock"(%core) {id = 0, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
  // expected-error @+1 {{'rhal.dma' op released value 64 is out of range 1..63 for a lock of compute tile (2,3)}}
  "rhal.dma"(%x, %a, %shim, %core, %full) {acquire_values = array<i64>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1>, release_values = array<i64: 64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %lock = "rhal.lock"(%shim) {id = 0, init = 1} : (!rhal.tile_ref) -> !rhal.lock_ref
  // expected-error @+1 {{'rhal.dma' op acquired value 2 is out of range 1..1 for a lock of interface tile (2,0)}}
  "rhal.dma"(%x, %a, %shim, %core, %lock) {acquire_values = array<i64: 2>, dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0>, release_values = array<i64>, src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>} : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref) -> ()
}

// -----

// rhal.kernel

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %mem = "rhal.tile"() {col = 2, row = 1, kind = "memory"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.kernel' op kernel must be on a compute tile, not on memory tile (2,1)}}
  "rhal.kernel"(%mem) {acquire_values = array<i64>, bindings = [], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 0, 0, 0>, params = array<i32: 0, 1024, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.kernel' op unknown kernel 'conv3d'; known kernels: conv2d, depthwise_conv2d, pool2d, global_avgpool, matmul, eltwise}}
  "rhal.kernel"(%core) {acquire_values = array<i64>, bindings = [], kernel = "conv3d", operandSegmentSizes = array<i32: 1, 0, 0, 0>, params = array<i32>, release_values = array<i64>} : (!rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.kernel' op 'params' must be array<i32>, got array<i64: 0, 1024, 16, 8, 8, 5120>}}
  "rhal.kernel"(%core) {acquire_values = array<i64>, bindings = [], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 0, 0, 0>, params = array<i64: 0, 1024, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.kernel' op 'params' has 4 words but kernel 'global_avgpool' takes 6: dtype, in_addr, channels, height, width, out_addr}}
  "rhal.kernel"(%core) {acquire_values = array<i64>, bindings = [], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 0, 0, 0>, params = array<i32: 0, 1024, 16, 8>, release_values = array<i64>} : (!rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.kernel' op buffer operand #0 must be defined by 'rhal.buffer'}}
  "rhal.kernel"(%core, %x) {acquire_values = array<i64>, bindings = ["in_addr"], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 1, 0, 0>, params = array<i32: 0, 1024, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %mem = "rhal.tile"() {col = 2, row = 1, kind = "memory"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %m = "rhal.buffer"(%mem) {sym_name = "m", size = 4096, address = 0} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.kernel' op kernel buffer @m must be on a compute tile, not on memory tile (2,1)}}
  "rhal.kernel"(%core, %m) {acquire_values = array<i64>, bindings = ["in_addr"], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 1, 0, 0>, params = array<i32: 0, 1024, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %north = "rhal.tile"() {col = 2, row = 4, kind = "compute"} : () -> !rhal.tile_ref
  %lock = "rhal.lock"(%north) {id = 0, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
  // expected-error @+1 {{'rhal.kernel' op released lock is on compute tile (2,4), not on (2,3)}}
  "rhal.kernel"(%core, %lock) {acquire_values = array<i64>, bindings = [], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 0, 0, 1>, params = array<i32: 0, 1024, 16, 8, 8, 5120>, release_values = array<i64: 1>} : (!rhal.tile_ref, !rhal.lock_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 2048} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.kernel' op 'bindings' must hold strings, got [1, 2]}}
  "rhal.kernel"(%core, %p, %a) {acquire_values = array<i64>, bindings = [1, 2], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 2, 0, 0>, params = array<i32: 0, 2048, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 2048} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.kernel' op 'bindings' names 1 buffers but the kernel has 2}}
  "rhal.kernel"(%core, %p, %a) {acquire_values = array<i64>, bindings = ["params"], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 2, 0, 0>, params = array<i32: 0, 2048, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 2048} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.kernel' op binding 'w_addr' is neither 'params' nor an address field of kernel 'global_avgpool' (in_addr, out_addr)}}
  "rhal.kernel"(%core, %p, %a) {acquire_values = array<i64>, bindings = ["params", "w_addr"], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 2, 0, 0>, params = array<i32: 0, 2048, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 2048} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.kernel' op binding 'in_addr' names two buffers}}
  "rhal.kernel"(%core, %p, %a, %a) {acquire_values = array<i64>, bindings = ["params", "in_addr", "in_addr"], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 3, 0, 0>, params = array<i32: 0, 2048, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 2048} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %small = "rhal.buffer"(%core) {sym_name = "small", size = 16, address = 8192} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.kernel' op parameter buffer @small of 16 bytes is smaller than the 24-byte block of 'global_avgpool'}}
  "rhal.kernel"(%core, %small, %a) {acquire_values = array<i64>, bindings = ["params", "in_addr"], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 2, 0, 0>, params = array<i32: 0, 2048, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 2048} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.kernel' op 'params' word in_addr is 1024 but its buffer @a is at address 2048}}
  "rhal.kernel"(%core, %p, %a) {acquire_values = array<i64>, bindings = ["params", "in_addr"], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 2, 0, 0>, params = array<i32: 0, 1024, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 2048} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // expected-error @+1 {{'rhal.kernel' op no buffer is bound to 'params': the kernel needs one for its parameter block}}
  "rhal.kernel"(%core, %a) {acquire_values = array<i64>, bindings = ["in_addr"], kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 1, 0, 0>, params = array<i32: 0, 2048, 16, 8, 8, 5120>, release_values = array<i64>} : (!rhal.tile_ref, !rhal.buffer_ref) -> ()
}

// -----

// rhal.wait, rhal.wait_core, rhal.acquire, rhal.release

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %mem = "rhal.tile"() {col = 2, row = 1, kind = "memory"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.wait' op wait channel 6 is out of range: memory tile (2,1) has 6 MM2S channels}}
  "rhal.wait"(%mem) {channel = 6, direction = "mm2s"} : (!rhal.tile_ref) -> ()
}


// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 37, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.wait' op wait interface tile (37,0) does not reach DDR; the DDR columns of 'aie-ml' are 2, 3, 6, 7, 14, 15, 22, 23, 30, 31, 34, 35}}
  "rhal.wait"(%shim) {channel = 1, direction = "s2mm"} : (!rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  // expected-error @+1 {{'rhal.wait_core' op core wait must be on a compute tile, not on interface tile (2,0)}}
  "rhal.wait_core"(%shim) : (!rhal.tile_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %lock = "rhal.lock"(%core) {id = 0, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
  // expected-error @+1 {{'rhal.acquire' op lock value 0 is out of range 1..63 for a lock of compute tile (2,3)}}
  "rhal.acquire"(%lock) {value = 0} : (!rhal.lock_ref) -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @f(%lock: !rhal.lock_ref) {
    // expected-error @+1 {{'rhal.release' op lock operand must be defined by 'rhal.lock'}}
    "rhal.release"(%lock) {value = 1} : (!rhal.lock_ref) -> ()
    return
  }
}

// -----

// Tensor-level ops: operands, attributes and shapes.

func.func @f(%x: tensor<1x4x8x8xi8>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op input must be a static rank-4 tensor of f32, got tensor<1x4x8x8xi8>}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xi8>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op 'layer' is empty}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 1, layer = "", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op groups 0 is not positive}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 0, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op 4 input and 6 output channels are not both divisible by 4 groups}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 4, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %y : tensor<1x6x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op weight 8x4x3x3 has 4 input channels per group, but 4 input channels in 2 groups need 2}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 2, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op 'strides' has 3 values, expected 2}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op 'padding' value -1 is negative}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, -1, 0, 1>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op 'dilations' value 0 is not positive}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 0, 1>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x5x5xf32>) -> tensor<1x8x1x1xf32> {
  // expected-error @+1 {{'rhal.conv2d' op a 5x5 window with dilations 2x2 does not fit the 8x8 input padded to 8x8}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 2, 2>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x5x5xf32>) -> tensor<1x8x1x1xf32>
  return %y : tensor<1x8x1x1xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{'rhal.conv2d' op result is 1x8x8x8, expected 1x8x4x4 from input 1x4x8x8 and a 3x3 window with strides [2, 2], padding [1, 1, 1, 1] and dilations [1, 1]}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32>
  return %y : tensor<1x8x8x8xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op bias has 4 elements for 8 output channels}}
  %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<4xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %r: tensor<1x8x8x8xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op residual is 1x8x8x8, but the result is 1x8x6x6}}
  %y = "rhal.conv2d"(%x, %w, %r) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 1>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op 'act_max' must be an f32 attribute, got 6.000000e+00 : f64}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 6.0 : f64, act_min = 0.0 : f32, activation = "clamp", dilations = array<i64: 1, 1>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'rhal.conv2d' op clamp bounds act_min = 6.0 and act_max = 0.0 are not ordered}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 6.0 : f32, activation = "clamp", dilations = array<i64: 1, 1>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'"gelu"' does not satisfy the constraint}}
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "gelu", dilations = array<i64: 1, 1>, groups = 1, layer = "c", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'rhal.pool2d' op 'kernel' value 0 is not positive}}
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 0, 2>, layer = "p", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'rhal.pool2d' op result is 1x4x4x4, expected 1x4x3x3 from input 1x4x8x8 and a 3x3 window with strides [2, 2], padding [0, 0, 0, 0] and dilations [1, 1]}}
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "p", mode = "avg", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x1xf32> {
  // expected-error @+1 {{'rhal.global_avgpool' op result must be a static rank-4 tensor of f32, got tensor<1x4x1xf32>}}
  %y = "rhal.global_avgpool"(%x) {layer = "g"} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1xf32>
  return %y : tensor<1x4x1xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) -> tensor<1x8x1x1xf32> {
  // expected-error @+1 {{'rhal.global_avgpool' op result is 1x8x1x1, expected 1x4x1x1 from input 1x4x8x8}}
  %y = "rhal.global_avgpool"(%x) {layer = "g"} : (tensor<1x4x8x8xf32>) -> tensor<1x8x1x1xf32>
  return %y : tensor<1x8x1x1xf32>
}

// -----

func.func @f(%x: tensor<1x512xf32>, %w: tensor<10x256xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'rhal.matmul' op input 1x512 and weight 10x256 disagree on K: 512 vs 256}}
  %y = "rhal.matmul"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "fc", operandSegmentSizes = array<i32: 1, 1, 0>}
      : (tensor<1x512xf32>, tensor<10x256xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

func.func @f(%x: tensor<1x256xf32>, %w: tensor<10x256xf32>, %b: tensor<256xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'rhal.matmul' op bias has 256 elements for 10 outputs}}
  %y = "rhal.matmul"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "fc", operandSegmentSizes = array<i32: 1, 1, 1>}
      : (tensor<1x256xf32>, tensor<10x256xf32>, tensor<256xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

func.func @f(%a: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'rhal.eltwise' op 'copy' takes one operand, but 'b' is given}}
  %y = "rhal.eltwise"(%a, %a) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", layer = "e", op = "copy", operandSegmentSizes = array<i32: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

func.func @f(%a: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'rhal.eltwise' op 'add' needs operand 'b'}}
  %y = "rhal.eltwise"(%a) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "e", op = "add", operandSegmentSizes = array<i32: 1, 0>}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

func.func @f(%a: tensor<1x4x8x8xf32>, %b: tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'rhal.eltwise' op operands are 1x4x8x8 and 1x4x1x1; rhal.eltwise does not broadcast}}
  %y = "rhal.eltwise"(%a, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "e", op = "mul", operandSegmentSizes = array<i32: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

func.func @f(%a: tensor<1x4x8x8xf32>, %b: tensor<1x4x8x8xf32>) -> tensor<1x256xf32> {
  // expected-error @+1 {{'rhal.eltwise' op result must be a static rank-4 tensor of f32, got tensor<1x256xf32>}}
  %y = "rhal.eltwise"(%a, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "e", op = "add", operandSegmentSizes = array<i32: 1, 1>}
      : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x256xf32>
  return %y : tensor<1x256xf32>
}
