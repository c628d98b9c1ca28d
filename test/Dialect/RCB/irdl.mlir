// RUN: cat %rcbc_src_root/dialects/rhal.irdl.mlir %rcbc_src_root/dialects/rcb.irdl.mlir > %t.irdl.mlir
// RUN: torch-mlir-opt --irdl-file=%t.irdl.mlir %s --split-input-file --verify-diagnostics | FileCheck %s

// MLIR tools parse rcb IR with the checked-in IRDL (rcb's target attribute comes from rhal, so
// both files are loaded as one). They check the IRDL constraints but not the Python verifiers,
// and, as IRDL has no traits, they do not know that `rcb.end` is a terminator.

// CHECK-LABEL: module @records
// CHECK:         "rcb.data"() {address = 0 : i64, contents = array<i32: 0, 1024, 16, 8, 8, 5120>, size = 24 : i64, sym_name = "gap.params"} : () -> ()
// CHECK:         "rcb.dma_start"() {acquires = array<i64: 2, 3, 1, 1>, dst_address = 1024 : i64
// CHECK:         "rcb.launch"() {acquires = array<i64: 2, 3, 0, 1>, col = 2 : i64, kernel = "global_avgpool"
module @records {
  "rcb.data"() {sym_name = "gap.params", address = 0, size = 24, contents = array<i32: 0, 1024, 16, 8, 8, 5120>} : () -> ()
  "rcb.dma_start"() {
      src_col = 2, src_row = 0, src_channel = 0, src_address = 0,
      src_sizes = array<i64: 4096>, src_strides = array<i64: 1>,
      dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024,
      dst_sizes = array<i64: 64, 64>, dst_strides = array<i64: 64, 1>,
      acquires = array<i64: 2, 3, 1, 1>, releases = array<i64: 2, 3, 0, 1>} : () -> ()
  "rcb.launch"() {col = 2, row = 3, kernel = "global_avgpool", params_address = 6144,
                  acquires = array<i64: 2, 3, 0, 1>, releases = array<i64: 2, 3, 1, 1>} : () -> ()
}

// -----

"rcb.program"() ({
  // expected-error @+1 {{block with no terminator}}
  "rcb.end"() : () -> ()
}) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()

// -----

// expected-error @+1 {{'"output"' does not satisfy the constraint}}
"rcb.wait"() {col = 2, row = 0, direction = "output", channel = 0} : () -> ()
