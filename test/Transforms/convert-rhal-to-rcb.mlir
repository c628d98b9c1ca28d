// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --convert-rhal-to-rcb | FileCheck %s
// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --convert-rhal-to-rcb=host-dispatch=true | FileCheck %s --check-prefix=HOST

// Every rhal op of a scheduled program, on an interface, a memory and a compute tile.
// DDR: two constants as allocated (a weight at 0, an inline table at 256), the two distinct
// parameter blocks after them from 320, each at a multiple of 64; then I/O and scratch.

// With host-dispatch (the baseline schedule) the program says so; its records are the same.
// HOST-LABEL: module attributes {rcbc.weight_store = "w.rcbw"
// HOST:         "rcb.barrier"()
// HOST-NEXT:    "rcb.end"()
// HOST-NEXT:  }) {rcb.host_dispatch, target = #rhal.target<"aie-ml"

// CHECK-LABEL: module attributes {rcbc.weight_store = "w.rcbw"
// CHECK-NEXT:    "rcb.program"() ({
// CHECK-NEXT:      "rcb.data"() {address = 0 : i64, contents = "conv.weight", size = 256 : i64, sym_name = "conv.weight"}
// CHECK-NEXT:      "rcb.data"() {address = 256 : i64, contents = array<i32: 1, 2, 3, 4>, size = 16 : i64, sym_name = "table"}
// CHECK-NEXT:      "rcb.data"() {address = 320 : i64, contents = array<i32: 0, 1024, 16, 4, 4, 2048>, size = 24 : i64, sym_name = "global_avgpool.params.0"}
// CHECK-NEXT:      "rcb.data"() {address = 384 : i64, contents = array<i32: 0, 2048, 0, 2240, 16, 0, 1, 0, 0>, size = 36 : i64, sym_name = "eltwise.params.0"}
// CHECK-NEXT:      "rcb.io"() {address = 512 : i64, direction = "input", dtype = "f32", shape = array<i64: 1, 8, 8, 8>, sym_name = "x"}
// CHECK-NEXT:      "rcb.io"() {address = 2560 : i64, direction = "output", dtype = "f32", shape = array<i64: 1, 16>, sym_name = "y"}
// CHECK-NEXT:      "rcb.data"() {address = 2624 : i64, contents, size = 256 : i64, sym_name = "act"}
// The used tiles in the order of their rhal.tile ops; (5,5) is not used. Then initial lock values.
// CHECK-NEXT:      "rcb.configure_tile"() {col = 2 : i64, row = 0 : i64}
// CHECK-NEXT:      "rcb.configure_tile"() {col = 2 : i64, row = 1 : i64}
// CHECK-NEXT:      "rcb.configure_tile"() {col = 2 : i64, row = 3 : i64}
// CHECK-NEXT:      "rcb.lock_release"() {col = 2 : i64, id = 0 : i64, row = 0 : i64, value = 1 : i64}
// CHECK-NEXT:      "rcb.lock_release"() {col = 2 : i64, id = 1 : i64, row = 1 : i64, value = 2 : i64}
// DDR to memory tile: the pattern's offset 1024 is added to @x's address 512.
// CHECK-NEXT:      "rcb.dma_start"() {acquires = array<i64: 2, 0, 0, 1>, dst_address = 0 : i64, dst_channel = 0 : i64, dst_col = 2 : i64, dst_row = 1 : i64, dst_sizes = array<i64: 1024>, dst_strides = array<i64: 1>, releases = array<i64: 2, 1, 0, 1>, src_address = 1536 : i64, src_channel = 0 : i64, src_col = 2 : i64, src_row = 0 : i64, src_sizes = array<i64: 1024>, src_strides = array<i64: 1>}
// Memory tile to compute tile, 4-d on the memory tile, locks on both sides.
// CHECK-NEXT:      "rcb.dma_start"() {acquires = array<i64: 2, 1, 0, 1>, dst_address = 1024 : i64, dst_channel = 1 : i64, dst_col = 2 : i64, dst_row = 3 : i64, dst_sizes = array<i64: 8, 128>, dst_strides = array<i64: 128, 1>, releases = array<i64: 2, 1, 1, 1, 2, 3, 0, 1>, src_address = 0 : i64, src_channel = 5 : i64, src_col = 2 : i64, src_row = 1 : i64, src_sizes = array<i64: 2, 2, 2, 128>, src_strides = array<i64: 128, 512, 256, 1>}
// Each kernel: its parameter block into its params buffer, then the launch. The same block
// twice is one data entry.
// CHECK-NEXT:      "rcb.write_params"() {address = 2112 : i64, col = 2 : i64, entry = "global_avgpool.params.0", row = 3 : i64}
// CHECK-NEXT:      "rcb.launch"() {acquires = array<i64: 2, 3, 0, 1>, col = 2 : i64, kernel = "global_avgpool", params_address = 2112 : i64, releases = array<i64: 2, 3, 1, 1>, row = 3 : i64}
// CHECK-NEXT:      "rcb.wait_core"() {col = 2 : i64, row = 3 : i64}
// CHECK-NEXT:      "rcb.write_params"() {address = 2176 : i64, col = 2 : i64, entry = "global_avgpool.params.0", row = 3 : i64}
// CHECK-NEXT:      "rcb.launch"() {acquires = array<i64>, col = 2 : i64, kernel = "global_avgpool", params_address = 2176 : i64, releases = array<i64>, row = 3 : i64}
// CHECK-NEXT:      "rcb.write_params"() {address = 2304 : i64, col = 2 : i64, entry = "eltwise.params.0", row = 3 : i64}
// CHECK-NEXT:      "rcb.launch"() {acquires = array<i64>, col = 2 : i64, kernel = "eltwise", params_address = 2304 : i64, releases = array<i64>, row = 3 : i64}
// CHECK-NEXT:      "rcb.lock_acquire"() {col = 2 : i64, id = 1 : i64, row = 3 : i64, value = 1 : i64}
// CHECK-NEXT:      "rcb.dma_start"() {acquires = array<i64>, dst_address = 2560 : i64, dst_channel = 0 : i64, dst_col = 2 : i64, dst_row = 0 : i64, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, releases = array<i64>, src_address = 2240 : i64, src_channel = 1 : i64, src_col = 2 : i64, src_row = 3 : i64, src_sizes = array<i64: 64>, src_strides = array<i64: 1>}
// CHECK-NEXT:      "rcb.wait"() {channel = 0 : i64, col = 2 : i64, direction = "s2mm", row = 0 : i64}
// CHECK-NEXT:      "rcb.lock_release"() {col = 2 : i64, id = 1 : i64, row = 1 : i64, value = 2 : i64}
// CHECK-NEXT:      "rcb.barrier"()
// CHECK-NEXT:      "rcb.end"()
// CHECK-NEXT:    }) {target = #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64, 65536 : i64, 524288 : i64, 28 : i64>}
// CHECK-NEXT:  }
// CHECK-NOT:   rhal.
// CHECK-NOT:   func.func
module attributes {rcbc.weight_store = "w.rcbw", rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %mem = "rhal.tile"() {col = 2, row = 1, kind = "memory"} : () -> !rhal.tile_ref
    %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %unused = "rhal.tile"() {col = 5, row = 5, kind = "compute"} : () -> !rhal.tile_ref
    %w = "rhal.ddr_buffer"() {sym_name = "conv.weight", role = "constant", size = 256, address = 0} : () -> !rhal.buffer_ref
    %t = "rhal.ddr_buffer"() {sym_name = "table", role = "constant", size = 16, address = 256, rcbc.contents = array<i32: 1, 2, 3, 4>} : () -> !rhal.buffer_ref
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 2048, address = 512, rcbc.shape = array<i64: 1, 8, 8, 8>, rcbc.dtype = "f32"} : () -> !rhal.buffer_ref
    %y = "rhal.ddr_buffer"() {sym_name = "y", role = "output", size = 64, address = 2560, rcbc.shape = array<i64: 1, 16>, rcbc.dtype = "f32"} : () -> !rhal.buffer_ref
    %act = "rhal.ddr_buffer"() {sym_name = "act", role = "scratch", size = 256, address = 2624} : () -> !rhal.buffer_ref
    %s = "rhal.buffer"(%mem) {sym_name = "s", size = 1024, address = 0} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %a = "rhal.buffer"(%core) {sym_name = "a", size = 1024, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b = "rhal.buffer"(%core) {sym_name = "b", size = 64, address = 2048} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p = "rhal.buffer"(%core) {sym_name = "p", size = 64, address = 2112} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p2 = "rhal.buffer"(%core) {sym_name = "p2", size = 64, address = 2176} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %c = "rhal.buffer"(%core) {sym_name = "c", size = 64, address = 2240} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p3 = "rhal.buffer"(%core) {sym_name = "p3", size = 64, address = 2304} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %shim_free = "rhal.lock"(%shim) {id = 0, init = 1} : (!rhal.tile_ref) -> !rhal.lock_ref
    %s_full = "rhal.lock"(%mem) {id = 0, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
    %s_empty = "rhal.lock"(%mem) {id = 1, init = 2} : (!rhal.tile_ref) -> !rhal.lock_ref
    %full = "rhal.lock"(%core) {id = 0, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
    %done = "rhal.lock"(%core) {id = 1, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
    %done_again = "rhal.lock"(%core) {id = 1, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
    "rhal.dma"(%x, %s, %shim, %mem, %shim_free, %s_full) {
        acquire_values = array<i64: 1>, release_values = array<i64: 1>,
        src_channel = 0, src_pattern = #rhal.pattern<1024, array<i64: 1024>, array<i64: 1>>,
        dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 1024>, array<i64: 1>>,
        operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1>}
        : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref, !rhal.lock_ref) -> ()
    "rhal.dma"(%s, %a, %mem, %core, %s_full, %s_empty, %full) {
        acquire_values = array<i64: 1>, release_values = array<i64: 1, 1>,
        src_channel = 5, src_pattern = #rhal.pattern<0, array<i64: 2, 2, 2, 128>, array<i64: 128, 512, 256, 1>>,
        dst_channel = 1, dst_pattern = #rhal.pattern<0, array<i64: 8, 128>, array<i64: 128, 1>>,
        operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 2>}
        : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref, !rhal.lock_ref, !rhal.lock_ref) -> ()
    "rhal.kernel"(%core, %p, %a, %b, %full, %done) {
        kernel = "global_avgpool", bindings = ["params", "in_addr", "out_addr"],
        params = array<i32: 0, 1024, 16, 4, 4, 2048>,
        acquire_values = array<i64: 1>, release_values = array<i64: 1>,
        operandSegmentSizes = array<i32: 1, 3, 1, 1>}
        : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.lock_ref, !rhal.lock_ref) -> ()
    "rhal.wait_core"(%core) : (!rhal.tile_ref) -> ()
    "rhal.kernel"(%core, %p2, %a, %b) {
        kernel = "global_avgpool", bindings = ["params", "in_addr", "out_addr"],
        params = array<i32: 0, 1024, 16, 4, 4, 2048>,
        acquire_values = array<i64>, release_values = array<i64>,
        operandSegmentSizes = array<i32: 1, 3, 0, 0>}
        : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.kernel"(%core, %p3, %b, %c) {
        kernel = "eltwise", bindings = ["params", "a_addr", "out_addr"],
        params = array<i32: 0, 2048, 0, 2240, 16, 0, 1, 0, 0>,
        acquire_values = array<i64>, release_values = array<i64>,
        operandSegmentSizes = array<i32: 1, 3, 0, 0>}
        : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    "rhal.acquire"(%done) {value = 1} : (!rhal.lock_ref) -> ()
    "rhal.dma"(%c, %y, %core, %shim) {
        acquire_values = array<i64>, release_values = array<i64>,
        src_channel = 1, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>,
        dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>,
        operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>}
        : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.wait"(%shim) {direction = "s2mm", channel = 0} : (!rhal.tile_ref) -> ()
    "rhal.release"(%s_empty) {value = 2} : (!rhal.lock_ref) -> ()
    "rhal.barrier"() : () -> ()
    func.return
  }
}

// -----

// Without constants and kernels the data image is empty and I/O may start at 0. Other
// functions and the module's attributes stay.

// CHECK-LABEL: module attributes {rhal.target
// CHECK-NEXT:    "rcb.program"() ({
// CHECK-NEXT:      "rcb.io"() {address = 0 : i64, direction = "input", dtype = "i8", shape = array<i64: 64>, sym_name = "in"}
// CHECK-NEXT:      "rcb.barrier"()
// CHECK-NEXT:      "rcb.end"()
// CHECK-NEXT:    })
// CHECK-NEXT:    func.func @helper()
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    %in = "rhal.ddr_buffer"() {sym_name = "in", role = "input", size = 64, address = 0, rcbc.shape = array<i64: 64>, rcbc.dtype = "i8"} : () -> !rhal.buffer_ref
    "rhal.barrier"() : () -> ()
    func.return
  }
  func.func @helper() {
    func.return
  }
}

// -----

// expected-error @+1 {{convert-rhal-to-rcb: the module has no 'rhal.target' attribute}}
module {
  func.func @main() {
    func.return
  }
}

// -----

// expected-error @+1 {{convert-rhal-to-rcb: the module has no func.func @main holding a scheduled rhal program}}
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @forward() {
    func.return
  }
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{convert-rhal-to-rcb: @main must have one block, no arguments and no results, as a scheduled program does}}
  func.func @main(%arg0: tensor<4xf32>) {
    func.return
  }
}

// -----

// Tensor-level rhal ops and other dialects' ops are not part of a scheduled program.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    // expected-error @+1 {{convert-rhal-to-rcb: 'arith.constant' is not part of a scheduled rhal program (tiles, buffers, locks, transfers, kernels, waits, lock uses, barriers)}}
    %zero = arith.constant 0 : i32
    func.return
  }
}

// -----

// Every unallocated buffer is reported, once, at its op; its users are not.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    // expected-error @+1 {{convert-rhal-to-rcb: input DDR buffer @x of 4096 bytes has no address; run rhal-allocate first}}
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address, rcbc.shape = array<i64: 1024>, rcbc.dtype = "f32"} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: buffer @a of 4096 bytes on compute tile (2,3) has no address; run rhal-allocate first}}
    %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b = "rhal.buffer"(%core) {sym_name = "b", size = 64, address = 5120} : (!rhal.tile_ref) -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: buffer @p of 24 bytes on compute tile (2,3) has no address; run rhal-allocate first}}
    %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
    "rhal.dma"(%x, %a, %shim, %core) {
        acquire_values = array<i64>, release_values = array<i64>,
        src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>,
        dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>,
        operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>}
        : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
    "rhal.kernel"(%core, %p, %a, %b) {
        kernel = "global_avgpool", bindings = ["params", "in_addr", "out_addr"],
        params = array<i32: 0, 0, 16, 8, 8, 5120>,
        acquire_values = array<i64>, release_values = array<i64>,
        operandSegmentSizes = array<i32: 1, 3, 0, 0>}
        : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    func.return
  }
}

// -----

// DDR buffers become named declarations: one name, one buffer.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    %a = "rhal.ddr_buffer"() {sym_name = "act", role = "scratch", size = 64, address = 0} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: a DDR buffer named @act is declared twice}}
    %b = "rhal.ddr_buffer"() {sym_name = "act", role = "scratch", size = 64, address = 64} : () -> !rhal.buffer_ref
    func.return
  }
}

// -----

// Inputs and outputs carry their tensor type; it must describe the buffer.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    // expected-error @+1 {{convert-rhal-to-rcb: input DDR buffer @x needs its tensor shape as 'rcbc.shape = array<i64: ...>'}}
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 64, address = 0, rcbc.dtype = "f32"} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: output DDR buffer @y needs its element type as 'rcbc.dtype', one of u8, i8, i16, i32, bf16, f32; got "f64"}}
    %y = "rhal.ddr_buffer"() {sym_name = "y", role = "output", size = 64, address = 64, rcbc.shape = array<i64: 8>, rcbc.dtype = "f64"} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: output DDR buffer @z needs its element type as 'rcbc.dtype', one of u8, i8, i16, i32, bf16, f32}}
    %z = "rhal.ddr_buffer"() {sym_name = "z", role = "output", size = 64, address = 128, rcbc.shape = array<i64: 16>} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: input DDR buffer @u holds 64 bytes but its f32 tensor of shape 1x8 has 32}}
    %u = "rhal.ddr_buffer"() {sym_name = "u", role = "input", size = 64, address = 192, rcbc.shape = array<i64: 1, 8>, rcbc.dtype = "f32"} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: input DDR buffer @v has shape [1, 1, 1, 1, 16]; an I/O tensor has rank 0 to 4 and positive extents}}
    %v = "rhal.ddr_buffer"() {sym_name = "v", role = "input", size = 64, address = 256, rcbc.shape = array<i64: 1, 1, 1, 1, 16>, rcbc.dtype = "f32"} : () -> !rhal.buffer_ref
    func.return
  }
}

// -----

// Constants keep their allocated addresses: 64-aligned and disjoint; inline contents fit.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    %w = "rhal.ddr_buffer"() {sym_name = "w", role = "constant", size = 256, address = 0} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: constant @v at DDR [128, 192) overlaps constant @w at [0, 256)}}
    %v = "rhal.ddr_buffer"() {sym_name = "v", role = "constant", size = 64, address = 128} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: constant @b is at DDR address 260, which is not a multiple of 64: data-image entries are 64-byte aligned}}
    %b = "rhal.ddr_buffer"() {sym_name = "b", role = "constant", size = 16, address = 260} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: 'rcbc.contents' of constant @t holds 8 bytes but the buffer has 16}}
    %t = "rhal.ddr_buffer"() {sym_name = "t", role = "constant", size = 16, address = 320, rcbc.contents = array<i32: 1, 2>} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: 'rcbc.contents' of constant @s must be array<i32> or array<f32>, got array<i64: 1, 2>}}
    %s = "rhal.ddr_buffer"() {sym_name = "s", role = "constant", size = 16, address = 384, rcbc.contents = array<i64: 1, 2>} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: 'rcbc.contents' of constant @x.scale holds 4 bytes but the buffer has 8}}
    %f = "rhal.ddr_buffer"() {sym_name = "x.scale", role = "constant", size = 8, address = 448, rcbc.contents = array<f32: 0.5>} : () -> !rhal.buffer_ref
    func.return
  }
}

// -----

// The parameter blocks follow the constants; allocation must leave them room below I/O and
// scratch buffers.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %w = "rhal.ddr_buffer"() {sym_name = "w", role = "constant", size = 100, address = 0} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: input DDR buffer @x at address 128 lies inside the data image, which ends at 152 (constants up to 100, then 1 parameter block): rhal-allocate must place inputs, outputs and scratch at or above 152}}
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 64, address = 128, rcbc.shape = array<i64: 16>, rcbc.dtype = "f32"} : () -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: scratch DDR buffer @act at address 64 lies inside the data image, which ends at 152}}
    %act = "rhal.ddr_buffer"() {sym_name = "act", role = "scratch", size = 64, address = 64} : () -> !rhal.buffer_ref
    %ok = "rhal.ddr_buffer"() {sym_name = "ok", role = "output", size = 64, address = 192, rcbc.shape = array<i64: 16>, rcbc.dtype = "f32"} : () -> !rhal.buffer_ref
    %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b = "rhal.buffer"(%core) {sym_name = "b", size = 64, address = 5120} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address = 5184} : (!rhal.tile_ref) -> !rhal.buffer_ref
    "rhal.kernel"(%core, %p, %a, %b) {
        kernel = "global_avgpool", bindings = ["params", "in_addr", "out_addr"],
        params = array<i32: 0, 1024, 16, 8, 8, 5120>,
        acquire_values = array<i64>, release_values = array<i64>,
        operandSegmentSizes = array<i32: 1, 3, 0, 0>}
        : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    func.return
  }
}

// -----

// A core reads its parameter block from its own memory, even when its data sits in a
// neighbour's.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %north = "rhal.tile"() {col = 2, row = 4, kind = "compute"} : () -> !rhal.tile_ref
    %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b = "rhal.buffer"(%core) {sym_name = "b", size = 64, address = 5120} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p = "rhal.buffer"(%north) {sym_name = "p", size = 24, address = 5184} : (!rhal.tile_ref) -> !rhal.buffer_ref
    // expected-error @+1 {{convert-rhal-to-rcb: parameter buffer @p is on tile (2,4), not on the kernel's tile (2,3): a core reads its parameter block from its own memory}}
    "rhal.kernel"(%core, %p, %a, %b) {
        kernel = "global_avgpool", bindings = ["params", "in_addr", "out_addr"],
        params = array<i32: 0, 1024, 16, 8, 8, 5120>,
        acquire_values = array<i64>, release_values = array<i64>,
        operandSegmentSizes = array<i32: 1, 3, 0, 0>}
        : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref) -> ()
    func.return
  }
}

// -----

// A lock has one initial value.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    %mem = "rhal.tile"() {col = 2, row = 1, kind = "memory"} : () -> !rhal.tile_ref
    %l = "rhal.lock"(%mem) {id = 7, init = 1} : (!rhal.tile_ref) -> !rhal.lock_ref
    // expected-error @+1 {{convert-rhal-to-rcb: lock 7 of memory tile (2,1) is declared twice, with initial values 1 and 2}}
    %m = "rhal.lock"(%mem) {id = 7, init = 2} : (!rhal.tile_ref) -> !rhal.lock_ref
    func.return
  }
}

// -----

// An inline float constant (an int8 input's scale, which rhal-place stores beside the input) is
// an f32 entry of the data image.
// CHECK-LABEL: "rcb.data"() {address = 0 : i64, contents = array<f32: 3.125000e-02>, size = 4 : i64, sym_name = "x.scale"}
// CHECK-NEXT:    "rcb.data"() {address = 64 : i64, contents = array<i32: -3>, size = 4 : i64, sym_name = "x.zero_point"}
// CHECK-NEXT:    "rcb.io"() {address = 128 : i64, direction = "input", dtype = "i8", shape = array<i64: 1, 64>, sym_name = "x"}
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    %scale = "rhal.ddr_buffer"() {sym_name = "x.scale", role = "constant", size = 4, address = 0, rcbc.contents = array<f32: 0.03125>} : () -> !rhal.buffer_ref
    %zero_point = "rhal.ddr_buffer"() {sym_name = "x.zero_point", role = "constant", size = 4, address = 64, rcbc.contents = array<i32: -3>} : () -> !rhal.buffer_ref
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 64, address = 128, rcbc.shape = array<i64: 1, 64>, rcbc.dtype = "i8"} : () -> !rhal.buffer_ref
    func.return
  }
}
