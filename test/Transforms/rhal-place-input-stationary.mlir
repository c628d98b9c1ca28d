// RUN: rcbc-opt %s --pass-pipeline='builtin.module(rhal-set-target{tiles=1},rhal-place)' | FileCheck %s

// A convolution in 4 blocks of 4 channels x 3 rows on one tile, marked input stationary by
// rhal-partition: its blocks run spatial-major, (rows 0-2: channels 0-3, 4-7), (rows 3-5: ...),
// and the tile loads each input window once, for the blocks of both channel ranges, and each
// block's weights in turn.
// CHECK-LABEL: func.func @main() {
// CHECK:       %[[X:.*]] = "rhal.ddr_buffer"() {{.*}}sym_name = "x"
// CHECK:       %[[W:.*]] = "rhal.ddr_buffer"() {{.*}}sym_name = "conv.weight"
// Rows 0-2 need input rows 0-3 (padding 1): 4 channels x 4 rows x 6 columns x 4 bytes.
// CHECK:       "rhal.dma"(%[[X]], %[[IN0:.*]], %{{.*}}, %{{.*}}) {{.*}}src_pattern = #rhal.pattern<0 : i64, array<i64: 4, 96>, array<i64: 144, 1>>
// CHECK:       "rhal.dma"(%[[W]], %[[W0:.*]], %{{.*}}, %{{.*}}) {{.*}}src_pattern = #rhal.pattern<0 : i64, array<i64: 576>, array<i64: 1>>
// CHECK:       "rhal.kernel"({{.*}}, %[[IN0]], %[[W0]], {{.*}})
// CHECK-NOT:   "rhal.dma"(%[[X]]
// CHECK:       "rhal.dma"(%[[W]], %[[W1:.*]], %{{.*}}, %{{.*}}) {{.*}}src_pattern = #rhal.pattern<576 : i64, array<i64: 576>, array<i64: 1>>
// CHECK:       "rhal.kernel"({{.*}}, %[[IN0]], %[[W1]], {{.*}})
// Rows 3-5 need input rows 2-5, into the other input slot.
// CHECK:       "rhal.dma"(%[[X]], %[[IN1:.*]], %{{.*}}, %{{.*}}) {{.*}}src_pattern = #rhal.pattern<48 : i64, array<i64: 4, 96>, array<i64: 144, 1>>
// CHECK:       "rhal.kernel"({{.*}}, %[[IN1]], {{.*}})
// CHECK-NOT:   "rhal.dma"(%[[X]]
// CHECK:       "rhal.kernel"({{.*}}, %[[IN1]], {{.*}})
// CHECK-NOT:   "rhal.dma"(%[[X]]
func.func @main(%x: tensor<1x4x6x6xf32> {rcbc.input = "x"}, %w: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %b: tensor<8xf32> {rcbc.weight = "conv.bias"}) -> (tensor<1x8x6x6xf32> {rcbc.output = "y"}) {
  %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, rhal.block = array<i64: 4, 3, 6, 4>, rhal.input_stationary} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}
