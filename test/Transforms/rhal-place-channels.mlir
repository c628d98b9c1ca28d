// RUN: rcbc-opt %s --pass-pipeline='builtin.module(rhal-set-target{tiles=3},rhal-partition,rhal-place)' | FileCheck %s

// Three tiles, two DDR ports: tiles are dealt over the ports in turn, so (2,3) and (2,4) share
// the port of column 2. A tile takes its input on its channel 0 and its weights and bias on
// channel 1; the port serves its second tile on its channels the other way round, so that each
// port channel carries one tile's input and another's weights, not every weight of the port.
// CHECK-DAG:   %[[SHIM:.*]] = "rhal.tile"() {col = 2 : i64, kind = "interface", row = 0 : i64}
// CHECK-DAG:   %[[T0:.*]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64}
// CHECK-DAG:   %[[T2:.*]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 4 : i64}
// CHECK:       "rhal.dma"(%[[X:.*]], %{{.*}}, %[[SHIM]], %[[T0]]) {{{.*}}dst_channel = 0 : i64{{.*}}src_channel = 0 : i64
// CHECK-NEXT:  "rhal.buffer"
// CHECK-NEXT:  "rhal.dma"(%[[W:.*]], %{{.*}}, %[[SHIM]], %[[T0]]) {{{.*}}dst_channel = 1 : i64{{.*}}src_channel = 1 : i64
// CHECK:       "rhal.dma"(%{{.*}}, %[[Y:.*]], %[[T0]], %[[SHIM]]) {{{.*}}dst_channel = 0 : i64{{.*}}src_channel = 0 : i64
// CHECK:       "rhal.dma"(%[[X]], %{{.*}}, %[[SHIM]], %[[T2]]) {{{.*}}dst_channel = 0 : i64{{.*}}src_channel = 1 : i64
// CHECK-NEXT:  "rhal.buffer"
// CHECK-NEXT:  "rhal.dma"(%[[W]], %{{.*}}, %[[SHIM]], %[[T2]]) {{{.*}}dst_channel = 1 : i64{{.*}}src_channel = 0 : i64
// CHECK:       "rhal.dma"(%{{.*}}, %[[Y]], %[[T2]], %[[SHIM]]) {{{.*}}dst_channel = 1 : i64{{.*}}src_channel = 0 : i64
func.func @main(%x: tensor<1x4x6x6xf32> {rcbc.input = "x"}, %w: tensor<12x4x3x3xf32> {rcbc.weight = "conv.weight"}, %b: tensor<12xf32> {rcbc.weight = "conv.bias"}) -> (tensor<1x12x6x6xf32> {rcbc.output = "y"}) {
  %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xf32>, tensor<12x4x3x3xf32>, tensor<12xf32>) -> tensor<1x12x6x6xf32>
  return %y : tensor<1x12x6x6xf32>
}
