// RUN: rcbc-opt %s --split-input-file --pass-pipeline='builtin.module(rhal-set-target{tiles=1},rhal-partition,rhal-place,rhal-allocate,rhal-schedule-dma,rhal-verify)' | FileCheck %s

// One launch on one tile: the input DMA (channel 0) and the weight and bias DMAs (channel 1)
// each release a lock of their pair with the core; the kernel acquires 1 from the first and 2
// from the second, and releases the lock its output DMA acquires.
// CHECK-LABEL: func.func @main
// CHECK:       %[[CORE:.*]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64}
// CHECK:       %[[IN:.*]] = "rhal.lock"(%[[CORE]]) {id = 0 : i64, init = 0 : i64}
// CHECK:       %[[SIDE:.*]] = "rhal.lock"(%[[CORE]]) {id = 1 : i64, init = 0 : i64}
// CHECK:       %[[DONE:.*]] = "rhal.lock"(%[[CORE]]) {id = 2 : i64, init = 0 : i64}
// CHECK:       "rhal.dma"(%{{.*}}, %{{.*}}, %{{.*}}, %[[CORE]], %[[IN]]) {acquire_values = array<i64>, dst_channel = 0 : i64, {{.*}}release_values = array<i64: 1>
// CHECK:       "rhal.dma"(%{{.*}}, %{{.*}}, %{{.*}}, %[[CORE]], %[[SIDE]]) {acquire_values = array<i64>, dst_channel = 1 : i64, {{.*}}release_values = array<i64: 1>
// CHECK:       "rhal.dma"(%{{.*}}, %{{.*}}, %{{.*}}, %[[CORE]], %[[SIDE]]) {acquire_values = array<i64>, dst_channel = 1 : i64, {{.*}}release_values = array<i64: 1>
// CHECK:       "rhal.kernel"(%[[CORE]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[IN]], %[[SIDE]], %[[DONE]]) {acquire_values = array<i64: 1, 2>, {{.*}}release_values = array<i64: 1>}
// CHECK:       "rhal.dma"(%{{.*}}, %{{.*}}, %[[CORE]], %{{.*}}, %[[DONE]]) {acquire_values = array<i64: 1>, {{.*}}release_values = array<i64>
module {
  func.func @main(%x: tensor<1x4x6x6xf32> {rcbc.input = "x"}, %w: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %b: tensor<8xf32> {rcbc.weight = "conv.bias"}) -> (tensor<1x8x6x6xf32> {rcbc.output = "y"}) {
    %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
    return %y : tensor<1x8x6x6xf32>
  }
}

// -----

// Two layers hand a tensor over in DDR behind the barrier placement puts between layers;
// the pass adds no other.
// CHECK-LABEL: func.func @main
// CHECK-NOT:   "rhal.barrier"
// CHECK:       kernel = "pool2d"
// CHECK:       "rhal.barrier"() : () -> ()
// CHECK-NOT:   "rhal.barrier"
// CHECK:       kernel = "global_avgpool"
// CHECK-NOT:   "rhal.barrier"
// CHECK:       return
module {
  func.func @main(%x: tensor<1x2x9x9xf32> {rcbc.input = "x"}) -> (tensor<1x2x1x1xf32> {rcbc.output = "y"}) {
    %p = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "pool", mode = "max", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x9x9xf32>) -> tensor<1x2x5x5xf32>
    %g = "rhal.global_avgpool"(%p) {layer = "gap"} : (tensor<1x2x5x5xf32>) -> tensor<1x2x1x1xf32>
    return %g : tensor<1x2x1x1xf32>
  }
}
