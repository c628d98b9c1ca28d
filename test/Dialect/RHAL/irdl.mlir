// RUN: torch-mlir-opt --irdl-file=%rcbc_src_root/dialects/rhal.irdl.mlir %s --split-input-file --verify-diagnostics | FileCheck %s

// MLIR tools parse rhal IR with the checked-in IRDL alone, no Python. They check the IRDL
// constraints (attribute kinds, enumerations, operand types) but not the Python verifiers.

// CHECK-LABEL: module @schedule
// CHECK:         %[[CORE:.*]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64} : () -> !rhal.tile_ref
// CHECK:         %[[A:.*]] = "rhal.buffer"(%[[CORE]]) {address = 1024 : i64, size = 4096 : i64, sym_name = "a"} : (!rhal.tile_ref) -> !rhal.buffer_ref
// CHECK:         "rhal.dma"(%{{.*}}, %[[A]], %{{.*}}, %[[CORE]])
// CHECK-SAME:      dst_pattern = #rhal.pattern<0 : i64, array<i64: 64, 64>, array<i64: 64, 1>>
// CHECK:         "rhal.barrier"() : () -> ()
module @schedule attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  "rhal.dma"(%x, %a, %shim, %core) {
      acquire_values = array<i64>, dst_channel = 0,
      dst_pattern = #rhal.pattern<0, array<i64: 64, 64>, array<i64: 64, 1>>,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>,
      src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>}
      : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
  "rhal.barrier"() : () -> ()
}

// -----

// The Python verifiers do not run here: a tile outside the array passes.

// CHECK-LABEL: module @unchecked
// CHECK:         "rhal.tile"() {col = 99 : i64, kind = "compute", row = 3 : i64}
module @unchecked attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %t = "rhal.tile"() {col = 99, row = 3, kind = "compute"} : () -> !rhal.tile_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{'"core"' does not satisfy the constraint}}
  %t = "rhal.tile"() {col = 2, row = 3, kind = "core"} : () -> !rhal.tile_ref
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  // expected-error @+1 {{expected base type 'rhal.lock_ref' but got '!rhal.buffer_ref'}}
  %l = "rhal.lock"(%t) {id = 0, init = 0} : (!rhal.tile_ref) -> !rhal.buffer_ref
}

// -----

// Tensor-level ops: the IRDL checks attribute kinds and enumerations, not shapes.

// CHECK-LABEL: func.func @tensor_ops
// CHECK:         "rhal.pool2d"(%{{.*}}) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "pool2d.0", mode = "max", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
func.func @tensor_ops(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "pool2d.0", mode = "max", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

func.func @f(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'"min"' does not satisfy the constraint}}
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "pool2d.0", mode = "min", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}
