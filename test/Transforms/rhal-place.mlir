// RUN: rcbc-opt %s --split-input-file --pass-pipeline='builtin.module(rhal-set-target{tiles=2},rhal-partition,rhal-place)' | FileCheck %s

// A convolution on two tiles: one block of 4 output channels each. Every tensor gets a DDR
// buffer (the input and output with their shapes, weights by their store names); each tile
// loads its input window, its weight and bias blocks on the side channel, runs the kernel and
// drains its output block into its part of the output.
// CHECK-LABEL: func.func @main() {
// CHECK-DAG:   %[[SHIM:.*]] = "rhal.tile"() {col = 2 : i64, kind = "interface", row = 0 : i64}
// CHECK-DAG:   %[[T0:.*]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64}
// CHECK-DAG:   %[[T1:.*]] = "rhal.tile"() {col = 3 : i64, kind = "compute", row = 3 : i64}
// CHECK:       %[[X:.*]] = "rhal.ddr_buffer"() {address, rcbc.dtype = "f32", rcbc.shape = array<i64: 1, 4, 6, 6>, role = "input", size = 576 : i64, sym_name = "x"}
// CHECK:       %[[W:.*]] = "rhal.ddr_buffer"() {address, role = "constant", size = 1152 : i64, sym_name = "conv.weight"}
// CHECK:       %[[B:.*]] = "rhal.ddr_buffer"() {address, role = "constant", size = 32 : i64, sym_name = "conv.bias"}
// CHECK:       %[[Y:.*]] = "rhal.ddr_buffer"() {address, rcbc.dtype = "f32", rcbc.shape = array<i64: 1, 8, 6, 6>, role = "output", size = 1152 : i64, sym_name = "y"}
// CHECK:       %[[OUT0:.*]] = "rhal.buffer"(%[[T0]]) {address, size = 576 : i64, sym_name = "conv/out0@(2,3)"}
// CHECK:       %[[P0:.*]] = "rhal.buffer"(%[[T0]]) {address, size = 120 : i64, sym_name = "conv/params0@(2,3)"}
// CHECK:       %[[IN0:.*]] = "rhal.buffer"(%[[T0]]) {address, size = 576 : i64, sym_name = "conv/in0@(2,3)"}
// CHECK:       "rhal.dma"(%[[X]], %[[IN0]], %[[SHIM]], %[[T0]])
// CHECK-SAME:    dst_channel = 0 : i64, dst_pattern = #rhal.pattern<0 : i64, array<i64: 576>, array<i64: 1>>
// CHECK-SAME:    src_channel = 0 : i64, src_pattern = #rhal.pattern<0 : i64, array<i64: 576>, array<i64: 1>>
// CHECK:       %[[W0:.*]] = "rhal.buffer"(%[[T0]]) {address, size = 576 : i64, sym_name = "conv/w0@(2,3)"}
// CHECK:       "rhal.dma"(%[[W]], %[[W0]], %[[SHIM]], %[[T0]]) {{.*}}dst_channel = 1 : i64{{.*}}src_pattern = #rhal.pattern<0 : i64, array<i64: 576>, array<i64: 1>>
// CHECK:       %[[B0:.*]] = "rhal.buffer"(%[[T0]]) {address, size = 16 : i64, sym_name = "conv/bias0@(2,3)"}
// CHECK:       "rhal.dma"(%[[B]], %[[B0]], %[[SHIM]], %[[T0]])
// CHECK:       "rhal.kernel"(%[[T0]], %[[P0]], %[[IN0]], %[[W0]], %[[B0]], %[[OUT0]])
// CHECK-SAME:    bindings = ["params", "in_addr", "w_addr", "bias_addr", "out_addr"], kernel = "conv2d"
// in_c 4, window 6x6 at (0,0); out_c 4, 6x6 at (0,0); 3x3, stride 1, dilation 1, pad 1; image 6x6;
// flags BIAS|FINALIZE; ReLU.
// CHECK-SAME:    params = array<i32: 0, 0, 4, 6, 6, 0, 0, 0, 0, 0, 4, 6, 6, 0, 0, 3, 3, 1, 1, 1, 1, 1, 1, 6, 6, 6, 0, 1, 0, 0>
// CHECK:       "rhal.dma"(%[[OUT0]], %[[Y]], %[[T0]], %[[SHIM]]) {{.*}}dst_pattern = #rhal.pattern<0 : i64, array<i64: 576>, array<i64: 1>>
// The second tile takes output channels 4..8: the second half of the weights and bias.
// CHECK:       "rhal.dma"(%[[W]], %{{.*}}, %{{.*}}, %[[T1]]) {{.*}}src_pattern = #rhal.pattern<576 : i64, array<i64: 576>, array<i64: 1>>
// CHECK:       "rhal.dma"(%[[B]], %{{.*}}, %{{.*}}, %[[T1]]) {{.*}}src_pattern = #rhal.pattern<16 : i64, array<i64: 16>, array<i64: 1>>
// CHECK:       "rhal.dma"(%{{.*}}, %[[Y]], %[[T1]], %{{.*}}) {{.*}}dst_pattern = #rhal.pattern<576 : i64, array<i64: 576>, array<i64: 1>>
// CHECK-NOT:   "rhal.conv2d"
// CHECK:       return
func.func @main(%x: tensor<1x4x6x6xf32> {rcbc.input = "x"}, %w: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %b: tensor<8xf32> {rcbc.weight = "conv.bias"}) -> (tensor<1x8x6x6xf32> {rcbc.output = "y"}) {
  %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

// Pooling after flattening: a view aliases its source, so the pooled tensor and the flattened
// output share one DDR buffer; the window of a block of rows is its input span.
// CHECK-LABEL: func.func @main() {
// CHECK:       "rhal.ddr_buffer"() {address, rcbc.dtype = "f32", rcbc.shape = array<i64: 1, 2, 9, 9>, role = "input", size = 648 : i64, sym_name = "x"}
// CHECK:       "rhal.ddr_buffer"() {address, role = "scratch", size = 200 : i64, sym_name = "pool.out"}
// CHECK:       "rhal.kernel"({{.*}}) {{{.*}}bindings = ["params", "in_addr", "out_addr"], kernel = "pool2d"
// CHECK:       "rhal.ddr_buffer"() {address, rcbc.dtype = "f32", rcbc.shape = array<i64: 1, 2>, role = "output", size = 8 : i64, sym_name = "y"}
// CHECK:       kernel = "global_avgpool"
func.func @main(%x: tensor<1x2x9x9xf32> {rcbc.input = "x"}) -> (tensor<1x2xf32> {rcbc.output = "y"}) {
  %p = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "pool", mode = "max", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x9x9xf32>) -> tensor<1x2x5x5xf32>
  %g = "rhal.global_avgpool"(%p) {layer = "gap"} : (tensor<1x2x5x5xf32>) -> tensor<1x2x1x1xf32>
  %f = tensor.collapse_shape %g [[0], [1, 2, 3]] : tensor<1x2x1x1xf32> into tensor<1x2xf32>
  return %f : tensor<1x2xf32>
}

// -----

// A Linear layer reads its flattened input as the layer sees it, [1, 16] (16 channels of 1x1),
// not as the DDR buffer was made, [1, 4, 2, 2]: one contiguous run of its 64 bytes.
// CHECK-LABEL: func.func @main() {
// CHECK:       %[[X:.*]] = "rhal.ddr_buffer"() {address, rcbc.dtype = "f32", rcbc.shape = array<i64: 1, 4, 2, 2>, role = "input", size = 64 : i64, sym_name = "x"}
// CHECK:       "rhal.dma"(%[[X]], {{.*}}src_pattern = #rhal.pattern<0 : i64, array<i64: 64>, array<i64: 1>>
// CHECK:       kernel = "matmul"
func.func @main(%x: tensor<1x4x2x2xf32> {rcbc.input = "x"}, %w: tensor<8x16xf32> {rcbc.weight = "fc.weight"}) -> (tensor<1x8xf32> {rcbc.output = "y"}) {
  %f = tensor.collapse_shape %x [[0], [1, 2, 3]] : tensor<1x4x2x2xf32> into tensor<1x16xf32>
  %y = "rhal.matmul"(%f, %w) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "fc", operandSegmentSizes = array<i32: 1, 1, 0>} : (tensor<1x16xf32>, tensor<8x16xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// A concatenation along the channels is one buffer: each operand's layer stores its blocks into
// its slice (layer b from channel 2, byte 128), and nothing copies them afterwards.
// CHECK-LABEL: func.func @main() {
// CHECK:       %[[Y:.*]] = "rhal.ddr_buffer"() {address, rcbc.dtype = "f32", rcbc.shape = array<i64: 1, 4, 4, 4>, role = "output", size = 256 : i64, sym_name = "y"}
// CHECK:       kernel = "eltwise"
// CHECK:       "rhal.dma"({{.*}}, %[[Y]], {{.*}}dst_pattern = #rhal.pattern<0 : i64, array<i64: 128>, array<i64: 1>>
// CHECK:       "rhal.barrier"
// CHECK:       kernel = "eltwise"
// CHECK:       "rhal.dma"({{.*}}, %[[Y]], {{.*}}dst_pattern = #rhal.pattern<128 : i64, array<i64: 128>, array<i64: 1>>
// CHECK-NOT:   "rhal.dma"({{.*}}, %[[Y]],
func.func @main(%x: tensor<1x2x4x4xf32> {rcbc.input = "x"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "y"}) {
  %a = "rhal.eltwise"(%x) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", layer = "a", op = "copy", operandSegmentSizes = array<i32: 1, 0>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %b = "rhal.eltwise"(%x) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "b", op = "copy", operandSegmentSizes = array<i32: 1, 0>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = tensor.concat dim(1) %a, %b : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// An int8 program: its input and output are int8, and the scale and zero point rhal-quantize
// recorded on each become two inline constants beside it, which the program stores
// (docs/rcb-bytecode.md, Quantized I/O).
// CHECK-LABEL: func.func @main() {
// CHECK:       "rhal.ddr_buffer"() {address, rcbc.dtype = "i8", rcbc.shape = array<i64: 1, 4, 8, 8>, role = "input", size = 256 : i64, sym_name = "x"}
// CHECK-NEXT:  "rhal.ddr_buffer"() {address, rcbc.contents = array<f32: 3.125000e-02>, role = "constant", size = 4 : i64, sym_name = "x.scale"}
// CHECK-NEXT:  "rhal.ddr_buffer"() {address, rcbc.contents = array<i32: -3>, role = "constant", size = 4 : i64, sym_name = "x.zero_point"}
// CHECK:       "rhal.ddr_buffer"() {address, rcbc.dtype = "i8", rcbc.shape = array<i64: 1, 4, 4, 4>, role = "output", size = 64 : i64, sym_name = "y"}
// CHECK-NEXT:  "rhal.ddr_buffer"() {address, rcbc.contents = array<f32: 6.250000e-02>, role = "constant", size = 4 : i64, sym_name = "y.scale"}
// CHECK-NEXT:  "rhal.ddr_buffer"() {address, rcbc.contents = array<i32: 5>, role = "constant", size = 4 : i64, sym_name = "y.zero_point"}
func.func @main(%x: tensor<1x4x8x8xf32> {rcbc.input = "x", rhal.qparams = {scale = 0.03125 : f32, zero_point = -3 : i32}}) -> (tensor<1x4x4x4xf32> {rcbc.output = "y", rhal.qparams = {scale = 0.0625 : f32, zero_point = 5 : i32}}) {
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "pool", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, rhal.dtype = "i8", rhal.quant = {zero_point = -3 : i32}} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}
