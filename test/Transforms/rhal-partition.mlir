// The last chunk is an error case, so the whole file fails: `not`, and its output is checked.
// RUN: not rcbc-opt %s --split-input-file --pass-pipeline='builtin.module(rhal-set-target{tiles=2},rhal-partition)' 2>/dev/null | FileCheck %s
// RUN: not rcbc-opt %s --split-input-file --pass-pipeline='builtin.module(rhal-set-target{target=npu2 tiles=32},rhal-partition)' 2>/dev/null | FileCheck %s --check-prefix=NPU2
// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(rhal-set-target{tiles=2},rhal-partition)' -o /dev/null

// A small convolution: the budget of 2 tiles gets 2 blocks of 4 output channels, each with
// every input channel in one launch; the modeled cost is recorded beside the shape. On npu2's
// 32 tiles it takes 4 blocks of 2 channels: more would cost the controller more records than
// they save.
// CHECK-LABEL: func.func @main
// CHECK:       "rhal.conv2d"
// CHECK-SAME:    rhal.block = array<i64: 4, 6, 6, 4>
// CHECK-SAME:    rhal.cost = {compute_cycles = 490 : i64, cycles = 490 : i64, ddr_bytes = 3728 : i64, transfer_cycles = 278 : i64}
// NPU2-LABEL:  func.func @main
// NPU2:        rhal.block = array<i64: 2, 6, 6, 4>
func.func @main(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x6x6xf32> {
  %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

// A layer whose input-channel reduction does not fit whole is split into chunks that a
// launch accumulates: 256 input channels of a 3x3 convolution at 14x14.
// CHECK-LABEL: func.func @main
// CHECK:       "rhal.conv2d"
// CHECK-SAME:    rhal.block = array<i64: {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}, {{([0-9]|[0-9][0-9]|1[0-9][0-9])}}>
func.func @main(%x: tensor<1x256x14x14xf32>, %w: tensor<256x256x3x3xf32>) -> tensor<1x256x14x14xf32> {
  %y = "rhal.conv2d"(%x, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "deep", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x256x14x14xf32>, tensor<256x256x3x3xf32>) -> tensor<1x256x14x14xf32>
  return %y : tensor<1x256x14x14xf32>
}

// -----

// A layer nothing fits is one error at the layer, with the smallest footprint.
func.func @main(%x: tensor<1x1x200x200xf32>) -> tensor<1x1x1x1xf32> {
  // expected-error @+1 {{rhal-partition: layer gap: the smallest block (1 channels x 1 x 1, 1 input channels per launch) needs 320200 bytes of tile memory, but a aie-ml compute tile has 64512 after its 1024-byte stack}}
  %y = "rhal.global_avgpool"(%x) {layer = "gap"} : (tensor<1x1x200x200xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}
