// RUN: rcbc-opt %s --split-input-file --verify-diagnostics

// One chunk per verifier message of the rcb dialect (and a few of the IRDL constraints and
// MLIR's own rules). The program comes first.

// expected-error @+1 {{'rcb.program' op 'target' must be a #rhal.target, got "aie-ml"}}
"rcb.program"() ({
  "rcb.end"() : () -> ()
}) {target = "aie-ml"} : () -> ()

// -----

// expected-error @+1 {{'rcb.program' op tile budget 0 is not in 1..304, the compute tiles of 'aie-ml'}}
"rcb.program"() ({
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 0>} : () -> ()

// -----

// expected-error @+1 {{'rcb.program' op body must have one block, got 0}}
"rcb.program"() ({
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// expected-error @+1 {{empty block: expect at least a terminator}}
"rcb.program"() ({
^bb0:
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// expected-error @+1 {{'rcb.program' op body may hold only rcb records and declarations, got 'rhal.barrier'}}
"rcb.program"() ({
  "rhal.barrier"() : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// expected-error @+1 {{'rcb.program' op body may hold only rcb records and declarations, got 'rcb.program'}}
"rcb.program"() ({
  "rcb.program"() ({
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// expected-error @+1 {{'rcb.program' op declaration @p follows the first record}}
"rcb.program"() ({
  "rcb.configure_tile"() {col = 2, row = 3} : () -> ()
  "rcb.data"() {sym_name = "p", address = 0, size = 8, contents = array<i32: 1, 2>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// expected-error @+1 {{'rcb.program' op declaration @x is declared twice}}
"rcb.program"() ({
  "rcb.io"() {sym_name = "x", direction = "input", address = 0, shape = array<i64: 4>, dtype = "f32"} : () -> ()
  "rcb.data"() {sym_name = "x", address = 64, size = 8, contents = array<i32: 1, 2>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.end' op must be the last operation in the parent block}}
  "rcb.end"() : () -> ()
  "rcb.barrier"() : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// expected-error @+1 {{'rcb.barrier' op expects parent op 'rcb.program'}}
"rcb.barrier"() : () -> ()

// -----

// rcb.data and rcb.io

"rcb.program"() ({
  // expected-error @+1 {{'rcb.data' op data DDR address -4 is negative}}
  "rcb.data"() {sym_name = "p", address = -4, size = 8, contents = array<i32: 1, 2>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.data' op data-image entry address 4100 is not a multiple of 64}}
  "rcb.data"() {sym_name = "p", address = 4100, size = 8, contents = array<i32: 1, 2>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.data' op size 0 is not positive}}
  "rcb.data"() {sym_name = "arena", address = 0, size = 0, contents} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.data' op inline contents hold 8 bytes, not 12}}
  "rcb.data"() {sym_name = "p", address = 0, size = 12, contents = array<i32: 1, 2>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.data' op inline contents hold 4 bytes, not 8}}
  "rcb.data"() {sym_name = "x.scale", address = 0, size = 8, contents = array<f32: 0.5>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.data' op weight entry name is empty}}
  "rcb.data"() {sym_name = "w", address = 0, size = 12, contents = ""} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.data' op 'contents' must be array<i32>, array<f32>, a weight entry name or unit, got array<i64: 1, 2>}}
  "rcb.data"() {sym_name = "p", address = 0, size = 8, contents = array<i64: 1, 2>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.io' op output DDR address -4 is negative}}
  "rcb.io"() {sym_name = "y", direction = "output", address = -4, shape = array<i64: 4>, dtype = "f32"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.io' op shape extent 0 in dim 1 is not positive}}
  "rcb.io"() {sym_name = "x", direction = "input", address = 0, shape = array<i64: 1, 0>, dtype = "f32"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.io' op shape has rank 5; at most 4 dims are encodable}}
  "rcb.io"() {sym_name = "x", direction = "input", address = 0, shape = array<i64: 1, 1, 3, 224, 224>, dtype = "u8"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.io' op 'shape' must be array<i64>, got array<i32: 1, 1000>}}
  "rcb.io"() {sym_name = "x", direction = "input", address = 0, shape = array<i32: 1, 1000>, dtype = "f32"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'"f64"' does not satisfy the constraint}}
  "rcb.io"() {sym_name = "x", direction = "input", address = 0, shape = array<i64: 4>, dtype = "f64"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// rcb.configure_tile and rcb.write_params

"rcb.program"() ({
  // expected-error @+1 {{'rcb.configure_tile' op tile (4,3) is outside the 4x6 array of 'npu1'}}
  "rcb.configure_tile"() {col = 4, row = 3} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"npu1", 4, 6, 1, 65536, 524288, 16>} : () -> ()

// -----

"rcb.program"() ({
  "rcb.data"() {sym_name = "p", address = 0, size = 8, contents = array<i32: 1, 2>} : () -> ()
  // expected-error @+1 {{'rcb.write_params' op parameters must be on a compute or memory tile, not on interface tile (2,0)}}
  "rcb.write_params"() {col = 2, row = 0, address = 0, entry = "p"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  "rcb.io"() {sym_name = "p", direction = "input", address = 0, shape = array<i64: 4>, dtype = "f32"} : () -> ()
  // expected-error @+1 {{'rcb.write_params' op entry @p is not an 'rcb.data' of this program}}
  "rcb.write_params"() {col = 2, row = 3, address = 1024, entry = "p"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  "rcb.data"() {sym_name = "arena", address = 0, size = 4096, contents} : () -> ()
  // expected-error @+1 {{'rcb.write_params' op entry @arena has no contents in the data image}}
  "rcb.write_params"() {col = 2, row = 3, address = 1024, entry = "arena"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  "rcb.data"() {sym_name = "p", address = 0, size = 24, contents = array<i32: 0, 1024, 16, 8, 8, 5120>} : () -> ()
  // expected-error @+1 {{'rcb.write_params' op entry @p of 24 bytes at address 65520 does not fit compute tile (2,3): 65536 bytes}}
  "rcb.write_params"() {col = 2, row = 3, address = 65520, entry = "p"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  "rcb.data"() {sym_name = "p", address = 0, size = 8, contents = array<i32: 1, 2>} : () -> ()
  // expected-error @+1 {{'rcb.write_params' op entry @p address -8 is negative}}
  "rcb.write_params"() {col = 2, row = 1, address = -8, entry = "p"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  "rcb.data"() {sym_name = "p", address = 0, size = 8, contents = array<i32: 1, 2>} : () -> ()
  // expected-error @+1 {{'rcb.write_params' op entry @p address 1026 is not a multiple of the 4-byte word}}
  "rcb.write_params"() {col = 2, row = 3, address = 1026, entry = "p"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  "rcb.data"() {sym_name = "p", address = 0, size = 8, contents = array<i32: 1, 2>} : () -> ()
  // expected-error @+1 {{'rcb.write_params' op entry @p at address 0 overlaps the 1024-byte stack of compute tile (2,3)}}
  "rcb.write_params"() {col = 2, row = 3, address = 0, entry = "p"} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// rcb.dma_start

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op source channel 2 is out of range: compute tile (2,3) has 2 MM2S channels}}
  "rcb.dma_start"() {src_col = 2, src_row = 3, src_channel = 2, src_address = 1024, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 0, dst_channel = 0, dst_address = 0, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op 'src_sizes' must be array<i64>, got array<i32: 64>}}
  "rcb.dma_start"() {src_col = 2, src_row = 3, src_channel = 0, src_address = 1024, src_sizes = array<i32: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 0, dst_channel = 0, dst_address = 0, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op destination pattern has 5 dims; 1 to 4 are allowed}}
  "rcb.dma_start"() {src_col = 2, src_row = 3, src_channel = 0, src_address = 1024, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 1, dst_channel = 0, dst_address = 0, dst_sizes = array<i64: 1, 1, 1, 1, 64>, dst_strides = array<i64: 64, 64, 64, 64, 1>, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op source pattern has 4 dims but the DMA of interface tile (2,0) walks at most 3}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 1, 1, 1, 64>, src_strides = array<i64: 64, 64, 64, 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op destination pattern offset 1026 is not a multiple of the 4-byte word}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1026, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op source pattern offset -64 is negative}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = -64, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op source interface tile (1,0) does not reach DDR; the DDR columns of 'aie-ml' are 2, 3, 6, 7, 14, 15, 22, 23, 30, 31, 34, 35}}
  "rcb.dma_start"() {src_col = 1, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op destination pattern of 4096 bytes at address 63488 does not fit compute tile (2,3): 65536 bytes}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 4096>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 63488, dst_sizes = array<i64: 64, 64>, dst_strides = array<i64: 64, 1>, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op destination pattern at address 512 overlaps the 1024-byte stack of compute tile (2,3)}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 512, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op source pattern moves 4096 bytes but destination pattern moves 2048}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 4096>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 2048>, dst_strides = array<i64: 1>, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op 'acquires' must hold (col, row, id, value) quads, got 5 integers}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64: 2, 3, 1, 1, 0>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op 'releases' lock is on compute tile (5,3), not on (2,0) or (2,3)}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64>, releases = array<i64: 5, 3, 0, 1>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op tile (2,11) is outside the 38x11 array of 'aie-ml'}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64: 2, 11, 0, 1>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op lock id 16 is out of range: interface tile (2,0) has 16 locks}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64: 2, 0, 16, 1>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.dma_start' op 'acquires' value 0 is out of range 1..63 for a lock of compute tile (2,3)}}
  "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 0, src_sizes = array<i64: 64>, src_strides = array<i64: 1>, dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, acquires = array<i64: 2, 3, 0, 0>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// rcb.launch

"rcb.program"() ({
  // expected-error @+1 {{'rcb.launch' op kernel must be on a compute tile, not on memory tile (2,1)}}
  "rcb.launch"() {col = 2, row = 1, kernel = "global_avgpool", params_address = 1024, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.launch' op unknown kernel 'softmax'; known kernels: conv2d, depthwise_conv2d, pool2d, global_avgpool, matmul, eltwise}}
  "rcb.launch"() {col = 2, row = 3, kernel = "softmax", params_address = 1024, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.launch' op 'global_avgpool' parameter block of 24 bytes at address 65520 does not fit compute tile (2,3): 65536 bytes}}
  "rcb.launch"() {col = 2, row = 3, kernel = "global_avgpool", params_address = 65520, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.launch' op 'global_avgpool' parameter block address 1026 is not a multiple of the 4-byte word}}
  "rcb.launch"() {col = 2, row = 3, kernel = "global_avgpool", params_address = 1026, acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.launch' op 'acquires' lock is on compute tile (2,4), not on (2,3)}}
  "rcb.launch"() {col = 2, row = 3, kernel = "global_avgpool", params_address = 1024, acquires = array<i64: 2, 4, 0, 1>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// rcb.wait, rcb.wait_core, rcb.lock_acquire, rcb.lock_release

"rcb.program"() ({
  // expected-error @+1 {{'rcb.wait' op wait channel 2 is out of range: interface tile (2,0) has 2 S2MM channels}}
  "rcb.wait"() {col = 2, row = 0, direction = "s2mm", channel = 2} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.wait' op wait interface tile (1,0) does not reach DDR; the DDR columns of 'aie-ml' are 2, 3, 6, 7, 14, 15, 22, 23, 30, 31, 34, 35}}
  "rcb.wait"() {col = 1, row = 0, direction = "mm2s", channel = 0} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'"read"' does not satisfy the constraint}}
  "rcb.wait"() {col = 2, row = 0, direction = "read", channel = 0} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.wait_core' op core wait must be on a compute tile, not on memory tile (2,1)}}
  "rcb.wait_core"() {col = 2, row = 1} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.lock_acquire' op lock id 64 is out of range: memory tile (2,1) has 64 locks}}
  "rcb.lock_acquire"() {col = 2, row = 1, id = 64, value = 1} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

"rcb.program"() ({
  // expected-error @+1 {{'rcb.lock_release' op lock value 2 is out of range 1..1 for a lock of compute tile (2,3)}}
  "rcb.lock_release"() {col = 2, row = 3, id = 0, value = 2} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 28>} : () -> ()
