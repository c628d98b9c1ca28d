// RUN: %PYTHON -c "import numpy as np; from rcbc.frontend.weights import WeightStore; s = WeightStore(); s.add('conv.quant', np.array([-3, -128, 0, 0, 0, -128, 127], np.int32)); s.add('wrong.quant', np.array([1, 2], np.int32)); s.add('pool.quant', np.array([-3], np.int32)); f, i = np.float32, np.int32; [s.add(k, np.array([v], t)) for k, v, t in [('x.scale', 0.03125, f), ('x.zero_point', -3, i), ('output.scale', 0.0625, f), ('output.zero_point', -128, i), ('wide.scale', 0.5, np.float64), ('wide.zero_point', 0, i), ('negative.scale', -0.5, f), ('negative.zero_point', 0, i), ('far.scale', 0.5, f), ('far.zero_point', 200, i)]]; s.save('%t.rcbw')"
// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(rhal-quantize{weights=%t.rcbw})' | FileCheck %s
// RUN: not rcbc-opt %s --split-input-file --pass-pipeline='builtin.module(rhal-quantize{weights=%t.rcbw},rhal-set-target{tiles=2},rhal-partition)' 2>/dev/null | FileCheck %s --check-prefix=BLOCK

// A convolution of the quantized model: its op says it computes in int8, with the int8
// kernel's quantization fields (conv2d_i8: in_zp, out_zp, res_zp, res_mult, res_shift, q_min,
// q_max) from `conv.quant` of the weight store, which rhal-partition then reads.
// The input and the output get their scale and zero point from `x.scale`, `x.zero_point`,
// `output.scale` and `output.zero_point`, which rhal-place stores in the program.
// CHECK-LABEL: func.func @main
// CHECK-SAME:    {rcbc.input = "x", rhal.qparams = {scale = 3.125000e-02 : f32, zero_point = -3 : i32}}
// CHECK-SAME:    {rcbc.weight = "conv.weight"}
// CHECK-SAME:    -> (tensor<1x8x8x8xf32> {rcbc.output = "output", rhal.qparams = {scale = 6.250000e-02 : f32, zero_point = -128 : i32}})
// CHECK:       "rhal.conv2d"
// CHECK-SAME:    rhal.dtype = "i8"
// CHECK-SAME:    rhal.quant = {in_zp = -3 : i32, out_zp = -128 : i32, q_max = 127 : i32, q_min = -128 : i32, res_mult = 0 : i32, res_shift = 0 : i32, res_zp = 0 : i32}
// BLOCK-LABEL: func.func @main
// BLOCK:       rhal.block = array<i64: {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}, 4>
func.func @main(%x: tensor<1x4x8x8xf32> {rcbc.input = "x"}, %w: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %b: tensor<8xf32> {rcbc.weight = "conv.bias"}) -> (tensor<1x8x8x8xf32> {rcbc.output = "output"}) {
  %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  return %y : tensor<1x8x8x8xf32>
}

// -----

// A layer the quantized model does not have.
func.func @main(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{rhal-quantize: layer other (pool2d) is not in the quantized model: the weight store has no 'other.quant'}}
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "other", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// Fields that are not the kernel's.
func.func @main(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{rhal-quantize: 'wrong.quant' holds 2 values; pool2d_i8 has 1 quantization fields (zero_point)}}
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "wrong", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// An input the quantized model does not have: unnamed inputs are input<N>, as rhal-place names them.
// expected-error @+1 {{rhal-quantize: input 'input0' is not in the quantized model: the weight store has no 'input0.scale'}}
func.func @main(%x: tensor<1x4x8x8xf32>) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "pool", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// A scale of the wrong type: the program stores one float32.
// expected-error @+1 {{rhal-quantize: 'wide.scale' is float64 of shape [1]; it must hold one float32}}
func.func @main(%x: tensor<1x4x8x8xf32> {rcbc.input = "wide"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "pool", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// expected-error @+1 {{rhal-quantize: input 'negative' of the quantized model: the scale -0.5 is not positive and finite}}
func.func @main(%x: tensor<1x4x8x8xf32> {rcbc.input = "negative"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "pool", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// expected-error @+1 {{rhal-quantize: input 'far' of the quantized model: the zero point 200 is outside the int8 range [-128, 127]}}
func.func @main(%x: tensor<1x4x8x8xf32> {rcbc.input = "far"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "pool", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// The output's parameters are the quantized model's too.
// expected-error @+1 {{rhal-quantize: output 'logits' is not in the quantized model: the weight store has no 'logits.scale'}}
func.func @main(%x: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "logits"}) {
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "pool", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}
