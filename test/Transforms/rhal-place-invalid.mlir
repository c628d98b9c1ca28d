// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(rhal-set-target{tiles=2},rhal-place)' -o /dev/null

func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32> {
  // expected-error @+1 {{rhal-place: layer gap has no rhal.block; run rhal-partition first}}
  %g = "rhal.global_avgpool"(%x) {layer = "gap"} : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  return %g : tensor<1x2x1x1xf32>
}

// -----

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{rhal-place: cannot place 'arith.addf'; run convert-linalg-to-rhal first}}
  %y = arith.addf %x, %x : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// expected-error @+1 {{rhal-place: the module has no func.func @main}}
module {
}

// -----

// int8 has no concatenation: the quantization scales of the operands would have to agree.
func.func @main(%x: tensor<1x2x4x4xf32> {rcbc.input = "x"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "y"}) {
  %a = "rhal.eltwise"(%x) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", layer = "a", op = "copy", operandSegmentSizes = array<i32: 1, 0>, rhal.block = array<i64: 2, 4, 4, 1>, rhal.dtype = "i8"} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %b = "rhal.eltwise"(%x) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "b", op = "copy", operandSegmentSizes = array<i32: 1, 0>, rhal.block = array<i64: 2, 4, 4, 1>, rhal.dtype = "i8"} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // expected-error @+1 {{rhal-place: a concatenation in an int8 program is not supported}}
  %y = tensor.concat dim(1) %a, %b : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// The scale and zero point of an int8 input or output (rhal-quantize's rhal.qparams) must be
// there whole, and valid, to be stored in the program.
// expected-error @+1 {{rhal-place: input 'x' has rhal.qparams = {scale = 5.000000e-01 : f32}; expected {scale = <f32>, zero_point = <i32>}}}
func.func @main(%x: tensor<1x4x8x8xf32> {rcbc.input = "x", rhal.qparams = {scale = 0.5 : f32}}) -> tensor<1x4x4x4xf32> {
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "pool", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, rhal.block = array<i64: 4, 2, 4, 1>, rhal.dtype = "i8", rhal.quant = {zero_point = 0 : i32}} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// expected-error @+1 {{rhal-place: output 'y': the scale -0.5 is not positive and finite; the zero point 300 is outside the int8 range [-128, 127]}}
func.func @main(%x: tensor<1x4x8x8xf32>) -> (tensor<1x4x4x4xf32> {rcbc.output = "y", rhal.qparams = {scale = -0.5 : f32, zero_point = 300 : i32}}) {
  %y = "rhal.pool2d"(%x) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "pool", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, rhal.block = array<i64: 4, 2, 4, 1>, rhal.dtype = "i8", rhal.quant = {zero_point = 0 : i32}} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}
