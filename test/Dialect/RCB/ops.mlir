// RUN: rcbc-opt %s --split-input-file | rcbc-opt --split-input-file | FileCheck %s

// The rhal schedule of test/Dialect/RHAL/ops.mlir, lowered: every rcb op, as the docstrings
// show them.

// CHECK-LABEL: "rcb.program"() ({
// CHECK-NEXT:    "rcb.io"() {address = 0 : i64, direction = "input", dtype = "f32", shape = array<i64: 1, 16, 8, 8>, sym_name = "x"} : () -> ()
// CHECK-NEXT:    "rcb.io"() {address = 4096 : i64, direction = "output", dtype = "f32", shape = array<i64: 1, 16>, sym_name = "y"} : () -> ()
// CHECK-NEXT:    "rcb.data"() {address = 4160 : i64, contents = array<i32: 0, 1024, 16, 8, 8, 5120>, size = 24 : i64, sym_name = "gap.params"} : () -> ()
// CHECK-NEXT:    "rcb.data"() {address = 4224 : i64, contents = "fc.weight", size = 4096 : i64, sym_name = "fc.weight"} : () -> ()
// CHECK-NEXT:    "rcb.data"() {address = 8320 : i64, contents, size = 65536 : i64, sym_name = "arena"} : () -> ()
// CHECK-NEXT:    "rcb.configure_tile"() {col = 2 : i64, row = 0 : i64} : () -> ()
// CHECK-NEXT:    "rcb.configure_tile"() {col = 2 : i64, row = 3 : i64} : () -> ()
// CHECK-NEXT:    "rcb.lock_release"() {col = 2 : i64, id = 1 : i64, row = 3 : i64, value = 1 : i64} : () -> ()
// CHECK-NEXT:    "rcb.write_params"() {address = 6144 : i64, col = 2 : i64, entry = "gap.params", row = 3 : i64} : () -> ()
// CHECK-NEXT:    "rcb.dma_start"() {acquires = array<i64: 2, 3, 1, 1>, dst_address = 1024 : i64, dst_channel = 0 : i64, dst_col = 2 : i64, dst_row = 3 : i64, dst_sizes = array<i64: 64, 64>, dst_strides = array<i64: 64, 1>, releases = array<i64: 2, 3, 0, 1>, src_address = 0 : i64, src_channel = 0 : i64, src_col = 2 : i64, src_row = 0 : i64, src_sizes = array<i64: 4096>, src_strides = array<i64: 1>} : () -> ()
// CHECK-NEXT:    "rcb.launch"() {acquires = array<i64: 2, 3, 0, 1>, col = 2 : i64, kernel = "global_avgpool", params_address = 6144 : i64, releases = array<i64: 2, 3, 1, 1>, row = 3 : i64} : () -> ()
// CHECK-NEXT:    "rcb.wait_core"() {col = 2 : i64, row = 3 : i64} : () -> ()
// CHECK-NEXT:    "rcb.dma_start"() {acquires = array<i64>, dst_address = 4096 : i64, dst_channel = 1 : i64, dst_col = 2 : i64, dst_row = 0 : i64, dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>, releases = array<i64>, src_address = 5120 : i64, src_channel = 1 : i64, src_col = 2 : i64, src_row = 3 : i64, src_sizes = array<i64: 64>, src_strides = array<i64: 1>} : () -> ()
// CHECK-NEXT:    "rcb.wait"() {channel = 1 : i64, col = 2 : i64, direction = "s2mm", row = 0 : i64} : () -> ()
// CHECK-NEXT:    "rcb.lock_acquire"() {col = 2 : i64, id = 1 : i64, row = 3 : i64, value = 1 : i64} : () -> ()
// CHECK-NEXT:    "rcb.barrier"() : () -> ()
// CHECK-NEXT:    "rcb.end"() : () -> ()
// CHECK-NEXT:  }) {target = #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64, 65536 : i64, 524288 : i64, 28 : i64>} : () -> ()
"rcb.program"() ({
  "rcb.io"() {sym_name = "x", direction = "input", address = 0, shape = array<i64: 1, 16, 8, 8>, dtype = "f32"} : () -> ()
  "rcb.io"() {sym_name = "y", direction = "output", address = 4096, shape = array<i64: 1, 16>, dtype = "f32"} : () -> ()
  "rcb.data"() {sym_name = "gap.params", address = 4160, size = 24, contents = array<i32: 0, 1024, 16, 8, 8, 5120>} : () -> ()
  "rcb.data"() {sym_name = "fc.weight", address = 4224, size = 4096, contents = "fc.weight"} : () -> ()
  "rcb.data"() {sym_name = "arena", address = 8320, size = 65536, contents} : () -> ()
  "rcb.configure_tile"() {col = 2, row = 0} : () -> ()
  "rcb.configure_tile"() {col = 2, row = 3} : () -> ()
  "rcb.lock_release"() {col = 2, row = 3, id = 1, value = 1} : () -> ()
  "rcb.write_params"() {col = 2, row = 3, address = 6144, entry = "gap.params"} : () -> ()
  "rcb.dma_start"() {
      src_col = 2, src_row = 0, src_channel = 0, src_address = 0,
      src_sizes = array<i64: 4096>, src_strides = array<i64: 1>,
      dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024,
      dst_sizes = array<i64: 64, 64>, dst_strides = array<i64: 64, 1>,
      acquires = array<i64: 2, 3, 1, 1>, releases = array<i64: 2, 3, 0, 1>} : () -> ()
  "rcb.launch"() {col = 2, row = 3, kernel = "global_avgpool", params_address = 6144,
                  acquires = array<i64: 2, 3, 0, 1>, releases = array<i64: 2, 3, 1, 1>} : () -> ()
  "rcb.wait_core"() {col = 2, row = 3} : () -> ()
  "rcb.dma_start"() {
      src_col = 2, src_row = 3, src_channel = 1, src_address = 5120,
      src_sizes = array<i64: 64>, src_strides = array<i64: 1>,
      dst_col = 2, dst_row = 0, dst_channel = 1, dst_address = 4096,
      dst_sizes = array<i64: 64>, dst_strides = array<i64: 1>,
      acquires = array<i64>, releases = array<i64>} : () -> ()
  "rcb.wait"() {col = 2, row = 0, direction = "s2mm", channel = 1} : () -> ()
  "rcb.lock_acquire"() {col = 2, row = 3, id = 1, value = 1} : () -> ()
  "rcb.barrier"() : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// A memory tile walks 4-d patterns and has 6 channels each way and 64 locks.

// CHECK-LABEL: "rcb.program"() ({
// CHECK:         "rcb.dma_start"()
// CHECK-SAME:      acquires = array<i64: 0, 1, 63, 2>
// CHECK-SAME:      dst_channel = 5 : i64
// CHECK-SAME:      dst_sizes = array<i64: 2, 3, 7, 224>, dst_strides = array<i64: 1568, 3136, 224, 1>
// CHECK:       }) {target = #rhal.target<"npu1", 4 : i64, 6 : i64, 1 : i64, 65536 : i64, 524288 : i64, 16 : i64>}
"rcb.program"() ({
  "rcb.data"() {sym_name = "w", address = 0, size = 9408, contents = "conv1.weight"} : () -> ()
  "rcb.configure_tile"() {col = 0, row = 1} : () -> ()
  "rcb.lock_release"() {col = 0, row = 1, id = 63, value = 2} : () -> ()
  "rcb.dma_start"() {
      src_col = 0, src_row = 0, src_channel = 1, src_address = 0,
      src_sizes = array<i64: 9408>, src_strides = array<i64: 1>,
      dst_col = 0, dst_row = 1, dst_channel = 5, dst_address = 514880,
      dst_sizes = array<i64: 2, 3, 7, 224>, dst_strides = array<i64: 1568, 3136, 224, 1>,
      acquires = array<i64: 0, 1, 63, 2>, releases = array<i64>} : () -> ()
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"npu1", 4, 6, 1, 65536, 524288, 16>} : () -> ()

// -----

// The smallest program.

// CHECK-LABEL: "rcb.program"() ({
// CHECK-NEXT:    "rcb.end"() : () -> ()
// CHECK-NEXT:  }) {target = #rhal.target<"aie", 50 : i64, 9 : i64, 0 : i64, 32768 : i64, 0 : i64, 1 : i64>}
"rcb.program"() ({
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 1>} : () -> ()
