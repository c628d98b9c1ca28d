// RUN: rcbc-opt %s --pass-pipeline='builtin.module(rhal-set-target{tiles=2},rhal-place)' | FileCheck %s

// A convolution in two blocks of 4 channels on two tiles, marked by rhal-partition
// {stage-inputs=true}: both blocks read the whole input, which is read from DDR once into a
// slot of a memory tile (on the port's input channel and the memory tile's channel 1; staged
// weights arrive on its channel 0) and loaded from there by each tile on its input channel, sent
// on the memory tile's channels 3 and 4 in turn (the upper half of its 6: weights take the lower).
// Weights and bias still come from DDR.
// CHECK-LABEL: func.func @main() {
// CHECK:       %[[SHIM:.*]] = "rhal.tile"() {col = 2 : i64, kind = "interface", row = 0 : i64}
// CHECK:       %[[T0:.*]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64}
// CHECK:       %[[T1:.*]] = "rhal.tile"() {col = 3 : i64, kind = "compute", row = 3 : i64}
// CHECK:       %[[MEM:.*]] = "rhal.tile"() {col = 2 : i64, kind = "memory", row = 1 : i64}
// CHECK:       %[[X:.*]] = "rhal.ddr_buffer"() {{.*}}sym_name = "x"
// CHECK:       %[[W:.*]] = "rhal.ddr_buffer"() {{.*}}sym_name = "conv.weight"
// CHECK:       %[[IN0:.*]] = "rhal.buffer"(%[[T0]]) {address, size = 576 : i64, sym_name = "conv/in0@(2,3)"}
// CHECK:       %[[STAGE:.*]] = "rhal.buffer"(%[[MEM]]) {address, size = 576 : i64, sym_name = "conv/instage0@(2,1)"}
// CHECK:       "rhal.dma"(%[[X]], %[[STAGE]], %[[SHIM]], %[[MEM]]) {{{.*}}dst_channel = 1 : i64, {{.*}}src_channel = 0 : i64
// CHECK:       "rhal.dma"(%[[STAGE]], %[[IN0]], %[[MEM]], %[[T0]]) {{{.*}}dst_channel = 0 : i64, {{.*}}src_channel = 3 : i64
// CHECK:       "rhal.dma"(%[[W]], %{{.*}}, %[[SHIM]], %[[T0]])
// CHECK:       "rhal.kernel"(%[[T0]], %{{.*}}, %[[IN0]],
// CHECK:       %[[IN1:.*]] = "rhal.buffer"(%[[T1]]) {address, size = 576 : i64, sym_name = "conv/in0@(3,3)"}
// CHECK-NOT:   "rhal.dma"(%[[X]]
// CHECK:       "rhal.dma"(%[[STAGE]], %[[IN1]], %[[MEM]], %[[T1]]) {{{.*}}dst_channel = 0 : i64, {{.*}}src_channel = 4 : i64
// CHECK:       "rhal.kernel"(%[[T1]], %{{.*}}, %[[IN1]],
// CHECK-NOT:   "rhal.dma"(%[[X]]
func.func @main(%x: tensor<1x4x6x6xf32> {rcbc.input = "x"}, %w: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %b: tensor<8xf32> {rcbc.weight = "conv.bias"}) -> (tensor<1x8x6x6xf32> {rcbc.output = "y"}) {
  %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, rhal.block = array<i64: 4, 6, 6, 4>, rhal.staged_inputs} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}
