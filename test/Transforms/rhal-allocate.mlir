// RUN: rcbc-opt %s --split-input-file --pass-pipeline='builtin.module(rhal-set-target{tiles=1},rhal-partition,rhal-place,rhal-allocate)' | FileCheck %s

// One tile: its buffers sit above the 1024-byte stack, 16-byte aligned. DDR holds the data
// image first (weights, then room for the one parameter block at 1216), then the input and
// the output; every kernel's parameter block holds the addresses of its bound buffers.
// CHECK-LABEL: module attributes {rhal.memory = {arena_bytes = 0 : i64, ddr_bytes = 3072 : i64, tile_peak_bytes = 4064 : i64}
// CHECK-DAG:   "rhal.ddr_buffer"() {address = 1344 : i64, {{.*}}sym_name = "x"}
// CHECK-DAG:   "rhal.ddr_buffer"() {address = 0 : i64, role = "constant", size = 1152 : i64, sym_name = "conv.weight"}
// CHECK-DAG:   "rhal.ddr_buffer"() {address = 1152 : i64, role = "constant", size = 32 : i64, sym_name = "conv.bias"}
// CHECK-DAG:   "rhal.ddr_buffer"() {address = 1920 : i64, {{.*}}sym_name = "y"}
// CHECK-DAG:   "rhal.buffer"(%{{.*}}) {address = 1024 : i64, size = 1152 : i64, sym_name = "conv/out0@(2,3)"}
// CHECK-DAG:   "rhal.buffer"(%{{.*}}) {address = 2176 : i64, size = 120 : i64, sym_name = "conv/params0@(2,3)"}
// CHECK-DAG:   "rhal.buffer"(%{{.*}}) {address = 2304 : i64, size = 576 : i64, sym_name = "conv/in0@(2,3)"}
// CHECK-DAG:   "rhal.buffer"(%{{.*}}) {address = 2880 : i64, size = 1152 : i64, sym_name = "conv/w0@(2,3)"}
// CHECK-DAG:   "rhal.buffer"(%{{.*}}) {address = 4032 : i64, size = 32 : i64, sym_name = "conv/bias0@(2,3)"}
// in_addr 2304, w_addr 2880, bias_addr 4032, out_addr 1024:
// CHECK:       params = array<i32: 0, 2304, 4, 6, 6, 0, 0, 2880, 4032, 1024, 8, 6, 6,
module {
  func.func @main(%x: tensor<1x4x6x6xf32> {rcbc.input = "x"}, %w: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %b: tensor<8xf32> {rcbc.weight = "conv.bias"}) -> (tensor<1x8x6x6xf32> {rcbc.output = "y"}) {
    %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
    return %y : tensor<1x8x6x6xf32>
  }
}

// -----

// Four pooling layers in a row: the first layer's output is dead once the second has read it,
// so the third layer's output reuses its bytes and the arena holds two activations, not three;
// each layer's slots reuse the previous layer's tile memory.
// CHECK-LABEL: module attributes {rhal.memory = {arena_bytes = 8192 : i64,
// CHECK:       "rhal.ddr_buffer"() {address = [[A:[0-9]+]] : i64, role = "scratch", size = 4096 : i64, sym_name = "p1.out"}
// CHECK:       "rhal.buffer"(%{{.*}}) {address = [[T:[0-9]+]] : i64, size = 4096 : i64, sym_name = "p1/in0@(2,3)"}
// CHECK:       "rhal.ddr_buffer"() {address = [[B:[0-9]+]] : i64, role = "scratch", size = 4096 : i64, sym_name = "p2.out"}
// CHECK:       "rhal.buffer"(%{{.*}}) {address = [[T]] : i64, size = 4096 : i64, sym_name = "p2/in0@(2,3)"}
// CHECK:       "rhal.ddr_buffer"() {address = [[A]] : i64, role = "scratch", size = 4096 : i64, sym_name = "p3.out"}
module {
  func.func @main(%x: tensor<1x16x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x16x8x8xf32> {rcbc.output = "y"}) {
    %1 = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "p1", mode = "max", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
    %2 = "rhal.pool2d"(%1) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "p2", mode = "max", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
    %3 = "rhal.pool2d"(%2) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "p3", mode = "max", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
    %4 = "rhal.pool2d"(%3) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "p4", mode = "max", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
    return %4 : tensor<1x16x8x8xf32>
  }
}
