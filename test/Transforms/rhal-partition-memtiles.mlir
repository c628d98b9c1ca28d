// RUN: rcbc-opt %s --pass-pipeline='builtin.module(rhal-set-target{tiles=28},rhal-partition)' | FileCheck %s --check-prefix=PLAIN
// RUN: rcbc-opt %s --pass-pipeline='builtin.module(rhal-set-target{tiles=28},rhal-partition{stage-inputs=true})' | FileCheck %s --check-prefix=STAGED
// RUN: rcbc-opt %s --pass-pipeline='builtin.module(rhal-set-target{target=aie tiles=28},rhal-partition{stage-inputs=true})' | FileCheck %s --check-prefix=AIE

// int8 ResNet-18's layer1 convolution on 28 tiles moves far more input than weights: every
// block reads all 64 input channels of its window, and the tiles of every channel range load it.
// Without memory tiles to stage them in, its blocks run spatial-major so that a tile keeps a
// window for several channel ranges (input stationary); with stage-inputs, each window is read
// from DDR once into a memory tile instead, and the blocks stay channel-major.
// PLAIN:       "rhal.conv2d"
// PLAIN-SAME:    rhal.input_stationary
// PLAIN-NOT:     rhal.staged_inputs
// STAGED:      "rhal.conv2d"
// STAGED-NOT:    rhal.input_stationary
// STAGED-SAME:   rhal.staged_inputs
// aie has no memory tiles: nothing is staged.
// AIE:         "rhal.conv2d"
// AIE-NOT:       rhal.staged_inputs
func.func @main(%x: tensor<1x64x56x56xf32> {rcbc.input = "x"}, %w: tensor<64x64x3x3xf32> {rcbc.weight = "conv.weight"}, %b: tensor<64xf32> {rcbc.weight = "conv.bias"}) -> (tensor<1x64x56x56xf32> {rcbc.output = "y"}) {
  %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, rhal.dtype = "i8", rhal.quant = {in_zp = -3 : i32, out_zp = -128 : i32, q_max = 127 : i32, q_min = -128 : i32, res_mult = 0 : i32, res_shift = 0 : i32, res_zp = 0 : i32}} : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  return %y : tensor<1x64x56x56xf32>
}
