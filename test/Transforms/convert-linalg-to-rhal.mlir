// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(convert-linalg-to-rhal)' | FileCheck %s
// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(convert-linalg-to-rhal{fuse=false})' | FileCheck %s --check-prefix=UNFUSED

// Each chunk is one function as the frontend imports a small PyTorch module (test/Frontend
// and rcbc.frontend.coverage list the idioms); the last chunks are variants of them that the
// pass rejects, one per diagnostic.

// A convolution: the zero tensor.pad becomes `padding`, the broadcast bias the third operand.

// CHECK-LABEL: func.func @conv_bias_padding_stride(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.conv2d"(%arg2, %arg0, %arg1) {act_max = 0.000000e+00 : f32, act_min = 0.000000e+00 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "weight", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NEXT:    return %[[Y]] : tensor<1x8x4x4xf32>
func.func @conv_bias_padding_stride(%arg0: tensor<8x4x3x3xf32> {rcbc.weight = "weight"}, %arg1: tensor<8xf32> {rcbc.weight = "bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %arg2 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg3: index, %arg4: index, %arg5: index, %arg6: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x8x4x4xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x4x4xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%padded, %arg0 : tensor<1x4x10x10xf32>, tensor<8x4x3x3xf32>) outs(%broadcasted : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// Without bias the accumulator is a zero linalg.fill: no bias operand. Dilation.

// CHECK-LABEL: func.func @conv_dilation_no_bias(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.conv2d"(%arg1, %arg0)
// CHECK-SAME:      dilations = array<i64: 2, 2>, groups = 1 : i64, layer = "weight", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
// CHECK-NEXT:    return %[[Y]]
func.func @conv_dilation_no_bias(%arg0: tensor<8x4x3x3xf32> {rcbc.weight = "weight"}, %arg1: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x8x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<2> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg1, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) outs(%1 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// Padding is [top, left, bottom, right]; strides and kernels may differ per axis.

// CHECK-LABEL: func.func @conv_asymmetric(
// CHECK-NEXT:    "rhal.conv2d"(%arg2, %arg0, %arg1)
// CHECK-SAME:      padding = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x1xf32>, tensor<8xf32>) -> tensor<1x8x4x8xf32>
func.func @conv_asymmetric(%arg0: tensor<8x4x3x1xf32> {rcbc.weight = "weight"}, %arg1: tensor<8xf32> {rcbc.weight = "bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x4x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %arg2 low[0, 0, 1, 0] high[0, 0, 1, 0] {
  ^bb0(%arg3: index, %arg4: index, %arg5: index, %arg6: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x8xf32>
  %0 = tensor.empty() : tensor<1x8x4x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x4x8xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<[2, 1]> : vector<2xi64>} ins(%padded, %arg0 : tensor<1x4x10x8xf32>, tensor<8x4x3x1xf32>) outs(%broadcasted : tensor<1x8x4x8xf32>) -> tensor<1x8x4x8xf32>
  return %1 : tensor<1x8x4x8xf32>
}

// -----

// Depthwise: the weight is taken before its tensor.collapse_shape; groups = channels.

// CHECK-LABEL: func.func @depthwise(
// CHECK-NEXT:    "rhal.conv2d"(%arg2, %arg0, %arg1)
// CHECK-SAME:      groups = 4 : i64
// CHECK-SAME:      padding = array<i64: 1, 1, 1, 1>
// CHECK-SAME:      : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NOT:     tensor.collapse_shape
func.func @depthwise(%arg0: tensor<4x1x3x3xf32> {rcbc.weight = "weight"}, %arg1: tensor<4xf32> {rcbc.weight = "bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %arg2 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg3: index, %arg4: index, %arg5: index, %arg6: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<4xf32>) outs(%0 : tensor<1x4x8x8xf32>) dimensions = [0, 2, 3]
  %collapsed = tensor.collapse_shape %arg0 [[0, 1], [2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
  %1 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%padded, %collapsed : tensor<1x4x10x10xf32>, tensor<4x3x3xf32>) outs(%broadcasted : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %1 : tensor<1x4x8x8xf32>
}

// -----

// Grouped: the expand_shape / conv_2d_ngchw_gfchw / collapse_shape sandwich is one op.

// CHECK-LABEL: func.func @grouped(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.conv2d"(%arg2, %arg0, %arg1)
// CHECK-SAME:      groups = 2 : i64
// CHECK-SAME:      : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @grouped(%arg0: tensor<8x2x3x3xf32> {rcbc.weight = "weight"}, %arg1: tensor<8xf32> {rcbc.weight = "bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x6x6xf32> {rcbc.output = "output"}) {
  %0 = tensor.empty() : tensor<1x8x6x6xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x6x6xf32>) dimensions = [0, 2, 3]
  %expanded = tensor.expand_shape %arg2 [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 8, 8] : tensor<1x4x8x8xf32> into tensor<1x2x2x8x8xf32>
  %expanded_0 = tensor.expand_shape %arg0 [[0, 1], [2], [3], [4]] output_shape [2, 4, 2, 3, 3] : tensor<8x2x3x3xf32> into tensor<2x4x2x3x3xf32>
  %expanded_1 = tensor.expand_shape %broadcasted [[0], [1, 2], [3], [4]] output_shape [1, 2, 4, 6, 6] : tensor<1x8x6x6xf32> into tensor<1x2x4x6x6xf32>
  %1 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%expanded, %expanded_0 : tensor<1x2x2x8x8xf32>, tensor<2x4x2x3x3xf32>) outs(%expanded_1 : tensor<1x2x4x6x6xf32>) -> tensor<1x2x4x6x6xf32>
  %collapsed = tensor.collapse_shape %1 [[0], [1, 2], [3], [4]] : tensor<1x2x4x6x6xf32> into tensor<1x8x6x6xf32>
  return %collapsed : tensor<1x8x6x6xf32>
}

// -----

// Grouped without bias (a zero fill of the expanded accumulator), padded.

// CHECK-LABEL: func.func @grouped_no_bias_padded(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.conv2d"(%arg1, %arg0)
// CHECK-SAME:      groups = 2 : i64, layer = "weight", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 1, 1, 1, 1>
// CHECK-NEXT:    return %[[Y]]
func.func @grouped_no_bias_padded(%arg0: tensor<8x2x3x3xf32> {rcbc.weight = "weight"}, %arg1: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %arg1 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg2: index, %arg3: index, %arg4: index, %arg5: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x8x8x8xf32>
  %expanded = tensor.expand_shape %padded [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 10, 10] : tensor<1x4x10x10xf32> into tensor<1x2x2x10x10xf32>
  %expanded_0 = tensor.expand_shape %arg0 [[0, 1], [2], [3], [4]] output_shape [2, 4, 2, 3, 3] : tensor<8x2x3x3xf32> into tensor<2x4x2x3x3xf32>
  %expanded_1 = tensor.expand_shape %0 [[0], [1, 2], [3], [4]] output_shape [1, 2, 4, 8, 8] : tensor<1x8x8x8xf32> into tensor<1x2x4x8x8xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%expanded_1 : tensor<1x2x4x8x8xf32>) -> tensor<1x2x4x8x8xf32>
  %2 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%expanded, %expanded_0 : tensor<1x2x2x10x10xf32>, tensor<2x4x2x3x3xf32>) outs(%1 : tensor<1x2x4x8x8xf32>) -> tensor<1x2x4x8x8xf32>
  %collapsed = tensor.collapse_shape %2 [[0], [1, 2], [3], [4]] : tensor<1x2x4x8x8xf32> into tensor<1x8x8x8xf32>
  return %collapsed : tensor<1x8x8x8xf32>
}

// -----

// Depthwise with a channel multiplier arrives as a grouped convolution.

// CHECK-LABEL: func.func @channel_multiplier(
// CHECK-NEXT:    "rhal.conv2d"(%arg2, %arg0, %arg1)
// CHECK-SAME:      groups = 4 : i64
// CHECK-SAME:      : (tensor<1x4x8x8xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
func.func @channel_multiplier(%arg0: tensor<8x1x3x3xf32> {rcbc.weight = "weight"}, %arg1: tensor<8xf32> {rcbc.weight = "bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %arg2 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg3: index, %arg4: index, %arg5: index, %arg6: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x8x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x8x8xf32>) dimensions = [0, 2, 3]
  %expanded = tensor.expand_shape %padded [[0], [1, 2], [3], [4]] output_shape [1, 4, 1, 10, 10] : tensor<1x4x10x10xf32> into tensor<1x4x1x10x10xf32>
  %expanded_0 = tensor.expand_shape %arg0 [[0, 1], [2], [3], [4]] output_shape [4, 2, 1, 3, 3] : tensor<8x1x3x3xf32> into tensor<4x2x1x3x3xf32>
  %expanded_1 = tensor.expand_shape %broadcasted [[0], [1, 2], [3], [4]] output_shape [1, 4, 2, 8, 8] : tensor<1x8x8x8xf32> into tensor<1x4x2x8x8xf32>
  %1 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%expanded, %expanded_0 : tensor<1x4x1x10x10xf32>, tensor<4x2x1x3x3xf32>) outs(%expanded_1 : tensor<1x4x2x8x8xf32>) -> tensor<1x4x2x8x8xf32>
  %collapsed = tensor.collapse_shape %1 [[0], [1, 2], [3], [4]] : tensor<1x4x2x8x8xf32> into tensor<1x8x8x8xf32>
  return %collapsed : tensor<1x8x8x8xf32>
}

// -----

// ReLU fuses into the convolution that computes its input.

// Without fusion (the baseline schedule), the activation is a layer of its own.
// UNFUSED-LABEL: func.func @relu(
// UNFUSED-NEXT:    %[[C:.*]] = "rhal.conv2d"(%arg2, %arg0, %arg1) {{{.*}}activation = "none"
// UNFUSED-NEXT:    %[[Y:.*]] = "rhal.eltwise"(%[[C]]) {{{.*}}activation = "relu", layer = "eltwise.0", op = "copy"
// UNFUSED-NEXT:    return %[[Y]]

// CHECK-LABEL: func.func @relu(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.conv2d"(%arg2, %arg0, %arg1) {act_max = 0.000000e+00 : f32, act_min = 0.000000e+00 : f32, activation = "relu",
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @relu(%arg0: tensor<8x4x1x1xf32> {rcbc.weight = "0.weight"}, %arg1: tensor<8xf32> {rcbc.weight = "0.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x8x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x8x8xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg2, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>) outs(%broadcasted : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1 : tensor<1x8x8x8xf32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %3 = arith.cmpf ugt, %in, %cst : f32
    %4 = arith.select %3, %in, %cst : f32
    linalg.yield %4 : f32
  } -> tensor<1x8x8x8xf32>
  return %2 : tensor<1x8x8x8xf32>
}

// -----

// ReLU6 is two generics against rank-0 constants (max 0, then min 6): one clamp [0, 6].

// CHECK-LABEL: func.func @relu6(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.conv2d"(%arg2, %arg0, %arg1) {act_max = 6.000000e+00 : f32, act_min = 0.000000e+00 : f32, activation = "clamp",
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> ()>
func.func @relu6(%arg0: tensor<8x4x1x1xf32> {rcbc.weight = "0.weight"}, %arg1: tensor<8xf32> {rcbc.weight = "0.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant dense<6.000000e+00> : tensor<f32>
  %cst_0 = arith.constant dense<0.000000e+00> : tensor<f32>
  %0 = tensor.empty() : tensor<1x8x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x8x8xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg2, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>) outs(%broadcasted : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1, %cst_0 : tensor<1x8x8x8xf32>, tensor<f32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %4 = arith.cmpf ogt, %in, %in_1 : f32
    %5 = arith.select %4, %in, %in_1 : f32
    linalg.yield %5 : f32
  } -> tensor<1x8x8x8xf32>
  %3 = linalg.generic {indexing_maps = [#map1, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cst, %2 : tensor<f32>, tensor<1x8x8x8xf32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %4 = arith.cmpf olt, %in, %in_1 : f32
    %5 = arith.select %4, %in, %in_1 : f32
    linalg.yield %5 : f32
  } -> tensor<1x8x8x8xf32>
  return %3 : tensor<1x8x8x8xf32>
}

// -----

// Hardtanh: the same two generics with other bounds.

// CHECK-LABEL: func.func @hardtanh(
// CHECK-NEXT:    "rhal.conv2d"(%arg2, %arg0, %arg1) {act_max = 3.000000e+00 : f32, act_min = -2.000000e+00 : f32, activation = "clamp",
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> ()>
func.func @hardtanh(%arg0: tensor<8x4x1x1xf32> {rcbc.weight = "0.weight"}, %arg1: tensor<8xf32> {rcbc.weight = "0.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant dense<3.000000e+00> : tensor<f32>
  %cst_0 = arith.constant dense<-2.000000e+00> : tensor<f32>
  %0 = tensor.empty() : tensor<1x8x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x8x8xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg2, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>) outs(%broadcasted : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1, %cst_0 : tensor<1x8x8x8xf32>, tensor<f32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %4 = arith.cmpf ogt, %in, %in_1 : f32
    %5 = arith.select %4, %in, %in_1 : f32
    linalg.yield %5 : f32
  } -> tensor<1x8x8x8xf32>
  %3 = linalg.generic {indexing_maps = [#map1, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cst, %2 : tensor<f32>, tensor<1x8x8x8xf32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %4 = arith.cmpf olt, %in, %in_1 : f32
    %5 = arith.select %4, %in, %in_1 : f32
    linalg.yield %5 : f32
  } -> tensor<1x8x8x8xf32>
  return %3 : tensor<1x8x8x8xf32>
}

// -----

// Sigmoid: negf, exp, addf 1, divf.

// CHECK-LABEL: func.func @sigmoid(
// CHECK-NEXT:    "rhal.conv2d"(%arg2, %arg0, %arg1) {{{.*}}activation = "sigmoid",
// CHECK-NEXT:    return
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @sigmoid(%arg0: tensor<8x4x1x1xf32> {rcbc.weight = "0.weight"}, %arg1: tensor<8xf32> {rcbc.weight = "0.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 1.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x8x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x8x8xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg2, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>) outs(%broadcasted : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1 : tensor<1x8x8x8xf32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %3 = arith.negf %in : f32
    %4 = math.exp %3 : f32
    %5 = arith.addf %4, %cst : f32
    %6 = arith.divf %cst, %5 : f32
    linalg.yield %6 : f32
  } -> tensor<1x8x8x8xf32>
  return %2 : tensor<1x8x8x8xf32>
}

// -----

// Hardswish: five generics (x + 3, max 0, min 6, times x, divided by 6), one activation.

// CHECK-LABEL: func.func @hardswish(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.conv2d"(%arg2, %arg0, %arg1) {{{.*}}activation = "hardswish",
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @hardswish(%arg0: tensor<8x4x1x1xf32> {rcbc.weight = "0.weight"}, %arg1: tensor<8xf32> {rcbc.weight = "0.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 3.000000e+00 : f32
  %cst_0 = arith.constant 0.000000e+00 : f32
  %cst_1 = arith.constant 6.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x8x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x8x8xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg2, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>) outs(%broadcasted : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1 : tensor<1x8x8x8xf32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %7 = arith.addf %in, %cst : f32
    linalg.yield %7 : f32
  } -> tensor<1x8x8x8xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2 : tensor<1x8x8x8xf32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %7 = arith.cmpf ult, %in, %cst_0 : f32
    %8 = arith.select %7, %cst_0, %in : f32
    linalg.yield %8 : f32
  } -> tensor<1x8x8x8xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%3 : tensor<1x8x8x8xf32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %7 = arith.cmpf ugt, %in, %cst_1 : f32
    %8 = arith.select %7, %cst_1, %in : f32
    linalg.yield %8 : f32
  } -> tensor<1x8x8x8xf32>
  %5 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1, %4 : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %7 = arith.mulf %in, %in_2 : f32
    linalg.yield %7 : f32
  } -> tensor<1x8x8x8xf32>
  %6 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%5 : tensor<1x8x8x8xf32>) outs(%0 : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %7 = arith.divf %in, %cst_1 : f32
    linalg.yield %7 : f32
  } -> tensor<1x8x8x8xf32>
  return %6 : tensor<1x8x8x8xf32>
}

// -----

// A residual add fuses into the convolution (its only use), then the ReLU.

// UNFUSED-LABEL: func.func @residual(
// UNFUSED-NEXT:    %[[C:.*]] = "rhal.conv2d"(%arg2, %arg0, %arg1) {{{.*}}activation = "none"
// UNFUSED-NEXT:    %[[S:.*]] = "rhal.eltwise"(%[[C]], %arg2) {{{.*}}activation = "none", layer = "eltwise.0", op = "add"
// UNFUSED-NEXT:    %[[Y:.*]] = "rhal.eltwise"(%[[S]]) {{{.*}}activation = "relu", layer = "eltwise.1", op = "copy"
// UNFUSED-NEXT:    return %[[Y]]

// CHECK-LABEL: func.func @residual(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.conv2d"(%arg2, %arg0, %arg1, %arg2) {{{.*}}activation = "relu", {{.*}}layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 1>
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @residual(%arg0: tensor<4x4x3x3xf32> {rcbc.weight = "conv.weight"}, %arg1: tensor<4xf32> {rcbc.weight = "conv.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %arg2 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg3: index, %arg4: index, %arg5: index, %arg6: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<4xf32>) outs(%0 : tensor<1x4x8x8xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%padded, %arg0 : tensor<1x4x10x10xf32>, tensor<4x4x3x3xf32>) outs(%broadcasted : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1, %arg2 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %4 = arith.addf %in, %in_0 : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x8x8xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %4 = arith.cmpf ugt, %in, %cst : f32
    %5 = arith.select %4, %in, %cst : f32
    linalg.yield %5 : f32
  } -> tensor<1x4x8x8xf32>
  return %3 : tensor<1x4x8x8xf32>
}

// -----

// The add's first operand has two uses; it fuses into the convolution of the second.

// CHECK-LABEL: func.func @residual_second_operand(
// CHECK-NEXT:    %[[A:.*]] = "rhal.conv2d"(%arg4, %arg0, %arg1) {{{.*}}layer = "a", operandSegmentSizes = array<i32: 1, 1, 1, 0>
// CHECK-NEXT:    %[[B:.*]] = "rhal.conv2d"(%[[A]], %arg2, %arg3, %[[A]]) {{{.*}}layer = "b", operandSegmentSizes = array<i32: 1, 1, 1, 1>
// CHECK-NEXT:    return %[[B]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @residual_second_operand(%arg0: tensor<4x4x1x1xf32> {rcbc.weight = "a.weight"}, %arg1: tensor<4xf32> {rcbc.weight = "a.bias"}, %arg2: tensor<4x4x1x1xf32> {rcbc.weight = "b.weight"}, %arg3: tensor<4xf32> {rcbc.weight = "b.bias"}, %arg4: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<4xf32>) outs(%0 : tensor<1x4x8x8xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg4, %arg0 : tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) outs(%broadcasted : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %broadcasted_0 = linalg.broadcast ins(%arg3 : tensor<4xf32>) outs(%0 : tensor<1x4x8x8xf32>) dimensions = [0, 2, 3]
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%1, %arg2 : tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) outs(%broadcasted_0 : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1, %2 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %4 = arith.addf %in, %in_1 : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x8x8xf32>
  return %3 : tensor<1x4x8x8xf32>
}

// -----

// The residual comes after the convolution's ReLU, and kernels add it before: an eltwise add.

// CHECK-LABEL: func.func @residual_after_activation(
// CHECK-NEXT:    %[[C:.*]] = "rhal.conv2d"(%arg2, %arg0, %arg1) {{{.*}}activation = "relu", {{.*}}operandSegmentSizes = array<i32: 1, 1, 1, 0>
// CHECK-NEXT:    %[[Y:.*]] = "rhal.eltwise"(%[[C]], %arg2) {act_max = 0.000000e+00 : f32, act_min = 0.000000e+00 : f32, activation = "none", layer = "eltwise.0", op = "add", operandSegmentSizes = array<i32: 1, 1>}
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @residual_after_activation(%arg0: tensor<4x4x1x1xf32> {rcbc.weight = "conv.weight"}, %arg1: tensor<4xf32> {rcbc.weight = "conv.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<4xf32>) outs(%0 : tensor<1x4x8x8xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg2, %arg0 : tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) outs(%broadcasted : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %4 = arith.cmpf ugt, %in, %cst : f32
    %5 = arith.select %4, %in, %cst : f32
    linalg.yield %5 : f32
  } -> tensor<1x4x8x8xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2, %arg2 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %4 = arith.addf %in, %in_0 : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x8x8xf32>
  return %3 : tensor<1x4x8x8xf32>
}

// -----

// The convolution's result has another use: no fusion; eltwise add, then eltwise mul.

// CHECK-LABEL: func.func @residual_multiple_uses(
// CHECK-NEXT:    %[[C:.*]] = "rhal.conv2d"(%arg2, %arg0, %arg1) {{{.*}}operandSegmentSizes = array<i32: 1, 1, 1, 0>
// CHECK-NEXT:    %[[S:.*]] = "rhal.eltwise"(%[[C]], %arg2) {{{.*}}layer = "eltwise.0", op = "add"
// CHECK-NEXT:    %[[P:.*]] = "rhal.eltwise"(%[[S]], %[[C]]) {{{.*}}layer = "eltwise.1", op = "mul"
// CHECK-NEXT:    return %[[P]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @residual_multiple_uses(%arg0: tensor<4x4x1x1xf32> {rcbc.weight = "conv.weight"}, %arg1: tensor<4xf32> {rcbc.weight = "conv.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<4xf32>) outs(%0 : tensor<1x4x8x8xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg2, %arg0 : tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) outs(%broadcasted : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1, %arg2 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %4 = arith.addf %in, %in_0 : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x8x8xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2, %1 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %4 = arith.mulf %in, %in_0 : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x8x8xf32>
  return %3 : tensor<1x4x8x8xf32>
}

// -----

// An activation of a function argument is an eltwise copy; x + relu(x) an eltwise add.

// CHECK-LABEL: func.func @add_of_activation(
// CHECK-NEXT:    %[[R:.*]] = "rhal.eltwise"(%arg0) {{{.*}}activation = "relu", layer = "eltwise.0", op = "copy", operandSegmentSizes = array<i32: 1, 0>}
// CHECK-NEXT:    %[[Y:.*]] = "rhal.eltwise"(%arg0, %[[R]]) {{{.*}}activation = "none", layer = "eltwise.1", op = "add"
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @add_of_activation(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %3 = arith.cmpf ugt, %in, %cst : f32
    %4 = arith.select %3, %in, %cst : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x8x8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %1 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %3 = arith.addf %in, %in_0 : f32
    linalg.yield %3 : f32
  } -> tensor<1x4x8x8xf32>
  return %2 : tensor<1x4x8x8xf32>
}

// -----

// A same-shape product: eltwise mul.

// CHECK-LABEL: func.func @mul(
// CHECK-NEXT:    %[[R:.*]] = "rhal.eltwise"(%arg0) {{{.*}}op = "copy"
// CHECK-NEXT:    %[[Y:.*]] = "rhal.eltwise"(%arg0, %[[R]]) {{{.*}}op = "mul"
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @mul(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %3 = arith.cmpf ugt, %in, %cst : f32
    %4 = arith.select %3, %in, %cst : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x8x8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %1 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %3 = arith.mulf %in, %in_0 : f32
    linalg.yield %3 : f32
  } -> tensor<1x4x8x8xf32>
  return %2 : tensor<1x4x8x8xf32>
}

// -----

// An activation with nothing to fuse into.

// CHECK-LABEL: func.func @activation_of_argument(
// CHECK-NEXT:    "rhal.eltwise"(%arg0) {act_max = 0.000000e+00 : f32, act_min = 0.000000e+00 : f32, activation = "relu", layer = "eltwise.0", op = "copy", operandSegmentSizes = array<i32: 1, 0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @activation_of_argument(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %2 = arith.cmpf ugt, %in, %cst : f32
    %3 = arith.select %2, %in, %cst : f32
    linalg.yield %3 : f32
  } -> tensor<1x4x8x8xf32>
  return %1 : tensor<1x4x8x8xf32>
}

// -----

// Max pooling: the -inf tensor.pad becomes `padding`; the window size comes from the window operand.

// CHECK-LABEL: func.func @max_pool(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.pool2d"(%arg0) {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "pool2d.0", mode = "max", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @max_pool(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0xFF800000 : f32
  %padded = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg1: index, %arg2: index, %arg3: index, %arg4: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x4x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %2 = tensor.empty() : tensor<3x3xf32>
  %3 = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%padded, %2 : tensor<1x4x10x10xf32>, tensor<3x3xf32>) outs(%1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %3 : tensor<1x4x4x4xf32>
}

// -----

// ceil_mode pads the bottom and right only.

// CHECK-LABEL: func.func @max_pool_ceil_mode(
// CHECK-NEXT:    "rhal.pool2d"(%arg0) {{{.*}}mode = "max", padding = array<i64: 0, 0, 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
func.func @max_pool_ceil_mode(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0xFF800000 : f32
  %padded = tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 2, 2] {
  ^bb0(%arg1: index, %arg2: index, %arg3: index, %arg4: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x4x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %2 = tensor.empty() : tensor<3x3xf32>
  %3 = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%padded, %2 : tensor<1x4x10x10xf32>, tensor<3x3xf32>) outs(%1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %3 : tensor<1x4x4x4xf32>
}

// -----

// Here torch-mlir pads a stride more than ceil_mode needs: with 2 rows of padding the output
// would be 5x5, not 4x4. The padding is cut to what gives the linalg op's output.

// CHECK-LABEL: func.func @max_pool_ceil_mode_overpadded(
// CHECK-NEXT:    "rhal.pool2d"(%arg0) {{{.*}}mode = "max", padding = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x9x9xf32>) -> tensor<1x4x4x4xf32>
func.func @max_pool_ceil_mode_overpadded(%arg0: tensor<1x4x9x9xf32> {rcbc.input = "input"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0xFF800000 : f32
  %padded = tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 2, 2] {
  ^bb0(%arg1: index, %arg2: index, %arg3: index, %arg4: index):
    tensor.yield %cst : f32
  } : tensor<1x4x9x9xf32> to tensor<1x4x11x11xf32>
  %0 = tensor.empty() : tensor<1x4x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %2 = tensor.empty() : tensor<3x3xf32>
  %3 = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%padded, %2 : tensor<1x4x11x11xf32>, tensor<3x3xf32>) outs(%1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %3 : tensor<1x4x4x4xf32>
}

// -----

// Dilated max pooling without padding.

// CHECK-LABEL: func.func @max_pool_dilated(
// CHECK-NEXT:    "rhal.pool2d"(%arg0) {dilations = array<i64: 2, 2>, kernel = array<i64: 2, 2>, layer = "pool2d.0", mode = "max", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32>
func.func @max_pool_dilated(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x6x6xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0xFF800000 : f32
  %0 = tensor.empty() : tensor<1x4x6x6xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %2 = tensor.empty() : tensor<2x2xf32>
  %3 = linalg.pooling_nchw_max {dilations = dense<2> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg0, %2 : tensor<1x4x8x8xf32>, tensor<2x2xf32>) outs(%1 : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %3 : tensor<1x4x6x6xf32>
}

// -----

// Average pooling: sum pooling, then a division by the window size.

// CHECK-LABEL: func.func @avg_pool(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.pool2d"(%arg0) {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, layer = "pool2d.0", mode = "avg", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @avg_pool(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 4.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %2 = tensor.empty() : tensor<2x2xf32>
  %3 = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%arg0, %2 : tensor<1x4x8x8xf32>, tensor<2x2xf32>) outs(%1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%3 : tensor<1x4x4x4xf32>) outs(%0 : tensor<1x4x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %5 = arith.divf %in, %cst_0 : f32
    linalg.yield %5 : f32
  } -> tensor<1x4x4x4xf32>
  return %4 : tensor<1x4x4x4xf32>
}

// -----

// Padded average pooling that counts the padding (count_include_pad=True): divisor 9.

// CHECK-LABEL: func.func @avg_pool_padded(
// CHECK-NEXT:    "rhal.pool2d"(%arg0) {{{.*}}kernel = array<i64: 3, 3>, {{.*}}mode = "avg", padding = array<i64: 1, 1, 1, 1>
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @avg_pool_padded(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 9.000000e+00 : f32
  %padded = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg1: index, %arg2: index, %arg3: index, %arg4: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %2 = tensor.empty() : tensor<3x3xf32>
  %3 = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%padded, %2 : tensor<1x4x10x10xf32>, tensor<3x3xf32>) outs(%1 : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%3 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %5 = arith.divf %in, %cst_0 : f32
    linalg.yield %5 : f32
  } -> tensor<1x4x8x8xf32>
  return %4 : tensor<1x4x8x8xf32>
}

// -----

// count_include_pad=False: the divisor computed from linalg.index counts the positions inside the image.

// CHECK-LABEL: func.func @avg_pool_count_include_pad_false(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.pool2d"(%arg0) {{{.*}}kernel = array<i64: 3, 3>, {{.*}}mode = "avg_valid", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @avg_pool_count_include_pad_false(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %c1_i64 = arith.constant 1 : i64
  %c8_i64 = arith.constant 8 : i64
  %c0_i64 = arith.constant 0 : i64
  %c9_i64 = arith.constant 9 : i64
  %c2_i64 = arith.constant 2 : i64
  %padded = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg1: index, %arg2: index, %arg3: index, %arg4: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %2 = tensor.empty() : tensor<3x3xf32>
  %3 = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%padded, %2 : tensor<1x4x10x10xf32>, tensor<3x3xf32>) outs(%1 : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%3 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %5 = linalg.index 2 : index
    %6 = arith.index_cast %5 : index to i64
    %7 = arith.subi %6, %c1_i64 : i64
    %8 = arith.addi %6, %c2_i64 : i64
    %9 = arith.minsi %8, %c9_i64 : i64
    %10 = arith.minsi %9, %c8_i64 : i64
    %11 = arith.subi %c1_i64, %6 : i64
    %12 = arith.maxsi %11, %c0_i64 : i64
    %13 = arith.subi %10, %7 : i64
    %14 = arith.subi %13, %12 : i64
    %15 = arith.maxsi %14, %c0_i64 : i64
    %16 = linalg.index 3 : index
    %17 = arith.index_cast %16 : index to i64
    %18 = arith.subi %17, %c1_i64 : i64
    %19 = arith.addi %17, %c2_i64 : i64
    %20 = arith.minsi %19, %c9_i64 : i64
    %21 = arith.minsi %20, %c8_i64 : i64
    %22 = arith.subi %c1_i64, %17 : i64
    %23 = arith.maxsi %22, %c0_i64 : i64
    %24 = arith.subi %21, %18 : i64
    %25 = arith.subi %24, %23 : i64
    %26 = arith.maxsi %25, %c0_i64 : i64
    %27 = arith.muli %15, %26 : i64
    %28 = arith.sitofp %27 : i64 to f32
    %29 = arith.divf %in, %28 : f32
    linalg.yield %29 : f32
  } -> tensor<1x4x8x8xf32>
  return %4 : tensor<1x4x8x8xf32>
}

// -----

// Adaptive average pooling to 1x1: a reduction over H and W, divided by H * W.

// CHECK-LABEL: func.func @adaptive_avg_pool_1x1(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.global_avgpool"(%arg0) {layer = "global_avgpool.0"} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
func.func @adaptive_avg_pool_1x1(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x1x1xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 6.400000e+01 : f32
  %0 = tensor.empty() : tensor<1x4x1x1xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<1x4x8x8xf32>) outs(%1 : tensor<1x4x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %4 = arith.addf %in, %out : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x1x1xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2 : tensor<1x4x1x1xf32>) outs(%0 : tensor<1x4x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %4 = arith.divf %in, %cst_0 : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x1x1xf32>
  return %3 : tensor<1x4x1x1xf32>
}

// -----

// Over a 1x1 image (ResNet-18 on 32x32 inputs) the import folds the division by 1 away.

// CHECK-LABEL: func.func @adaptive_avg_pool_of_one_position(
// CHECK-NEXT:    %[[Y:.*]] = "rhal.global_avgpool"(%arg0) {layer = "global_avgpool.0"} : (tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
func.func @adaptive_avg_pool_of_one_position(%arg0: tensor<1x4x1x1xf32> {rcbc.input = "input"}) -> (tensor<1x4x1x1xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x1x1xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<1x4x1x1xf32>) outs(%1 : tensor<1x4x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %4 = arith.addf %in, %out : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x1x1xf32>
  return %2 : tensor<1x4x1x1xf32>
}

// -----

// Adaptive average pooling to a size that divides the input is plain average pooling.

// CHECK-LABEL: func.func @adaptive_avg_pool_2x2(
// CHECK-NEXT:    "rhal.pool2d"(%arg0) {{{.*}}kernel = array<i64: 4, 4>, {{.*}}mode = "avg", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 4, 4>}
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @adaptive_avg_pool_2x2(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x2x2xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 1.600000e+01 : f32
  %0 = tensor.empty() : tensor<1x4x2x2xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %2 = tensor.empty() : tensor<4x4xf32>
  %3 = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<4> : vector<2xi64>} ins(%arg0, %2 : tensor<1x4x8x8xf32>, tensor<4x4xf32>) outs(%1 : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%3 : tensor<1x4x2x2xf32>) outs(%0 : tensor<1x4x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %5 = arith.divf %in, %cst_0 : f32
    linalg.yield %5 : f32
  } -> tensor<1x4x2x2xf32>
  return %4 : tensor<1x4x2x2xf32>
}

// -----

// Adaptive average pooling to the input's own size: a 1x1 sum, without division.

// CHECK-LABEL: func.func @adaptive_avg_pool_same_size(
// CHECK-NEXT:    "rhal.pool2d"(%arg0) {dilations = array<i64: 1, 1>, kernel = array<i64: 1, 1>, layer = "pool2d.0", mode = "avg", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
func.func @adaptive_avg_pool_same_size(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %2 = tensor.empty() : tensor<1x1xf32>
  %3 = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg0, %2 : tensor<1x4x8x8xf32>, tensor<1x1xf32>) outs(%1 : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %3 : tensor<1x4x8x8xf32>
}

// -----

// Linear: the transpose is absorbed (the weight stays [N, K]), the bias add fuses.

// CHECK-LABEL: func.func @linear(
// CHECK-NEXT:    %[[X:.*]] = tensor.collapse_shape %arg2 {{\[\[}}0], [1, 2, 3]] : tensor<1x4x8x8xf32> into tensor<1x256xf32>
// CHECK-NEXT:    %[[Y:.*]] = "rhal.matmul"(%[[X]], %arg0, %arg1) {act_max = 0.000000e+00 : f32, act_min = 0.000000e+00 : f32, activation = "none", layer = "1", operandSegmentSizes = array<i32: 1, 1, 1>} : (tensor<1x256xf32>, tensor<10x256xf32>, tensor<10xf32>) -> tensor<1x10xf32>
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
func.func @linear(%arg0: tensor<10x256xf32> {rcbc.weight = "1.weight"}, %arg1: tensor<10xf32> {rcbc.weight = "1.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x10xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %collapsed = tensor.collapse_shape %arg2 [[0], [1, 2, 3]] : tensor<1x4x8x8xf32> into tensor<1x256xf32>
  %0 = tensor.empty() : tensor<256x10xf32>
  %transposed = linalg.transpose ins(%arg0 : tensor<10x256xf32>) outs(%0 : tensor<256x10xf32>) permutation = [1, 0]
  %1 = tensor.empty() : tensor<1x10xf32>
  %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<1x10xf32>) -> tensor<1x10xf32>
  %3 = linalg.matmul ins(%collapsed, %transposed : tensor<1x256xf32>, tensor<256x10xf32>) outs(%2 : tensor<1x10xf32>) -> tensor<1x10xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%3, %arg1 : tensor<1x10xf32>, tensor<10xf32>) outs(%1 : tensor<1x10xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %5 = arith.addf %in, %in_0 : f32
    linalg.yield %5 : f32
  } -> tensor<1x10xf32>
  return %4 : tensor<1x10xf32>
}

// -----

// Linear, then ReLU: bias and activation fuse.

// CHECK-LABEL: func.func @linear_relu(
// CHECK-NEXT:    tensor.collapse_shape
// CHECK-NEXT:    "rhal.matmul"(%{{.*}}, %arg0, %arg1) {{{.*}}activation = "relu"
// CHECK-NEXT:    return
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
func.func @linear_relu(%arg0: tensor<10x256xf32> {rcbc.weight = "1.weight"}, %arg1: tensor<10xf32> {rcbc.weight = "1.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x10xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %collapsed = tensor.collapse_shape %arg2 [[0], [1, 2, 3]] : tensor<1x4x8x8xf32> into tensor<1x256xf32>
  %0 = tensor.empty() : tensor<256x10xf32>
  %transposed = linalg.transpose ins(%arg0 : tensor<10x256xf32>) outs(%0 : tensor<256x10xf32>) permutation = [1, 0]
  %1 = tensor.empty() : tensor<1x10xf32>
  %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<1x10xf32>) -> tensor<1x10xf32>
  %3 = linalg.matmul ins(%collapsed, %transposed : tensor<1x256xf32>, tensor<256x10xf32>) outs(%2 : tensor<1x10xf32>) -> tensor<1x10xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%3, %arg1 : tensor<1x10xf32>, tensor<10xf32>) outs(%1 : tensor<1x10xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %6 = arith.addf %in, %in_0 : f32
    linalg.yield %6 : f32
  } -> tensor<1x10xf32>
  %5 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%4 : tensor<1x10xf32>) outs(%1 : tensor<1x10xf32>) {
  ^bb0(%in: f32, %out: f32):
    %6 = arith.cmpf ugt, %in, %cst : f32
    %7 = arith.select %6, %in, %cst : f32
    linalg.yield %7 : f32
  } -> tensor<1x10xf32>
  return %5 : tensor<1x10xf32>
}

// -----

// Linear without bias.

// CHECK-LABEL: func.func @linear_no_bias(
// CHECK-NEXT:    %[[X:.*]] = tensor.collapse_shape %arg1
// CHECK-NEXT:    "rhal.matmul"(%[[X]], %arg0) {{{.*}}operandSegmentSizes = array<i32: 1, 1, 0>} : (tensor<1x256xf32>, tensor<10x256xf32>) -> tensor<1x10xf32>
func.func @linear_no_bias(%arg0: tensor<10x256xf32> {rcbc.weight = "1.weight"}, %arg1: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x10xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %collapsed = tensor.collapse_shape %arg1 [[0], [1, 2, 3]] : tensor<1x4x8x8xf32> into tensor<1x256xf32>
  %0 = tensor.empty() : tensor<256x10xf32>
  %transposed = linalg.transpose ins(%arg0 : tensor<10x256xf32>) outs(%0 : tensor<256x10xf32>) permutation = [1, 0]
  %1 = tensor.empty() : tensor<1x10xf32>
  %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<1x10xf32>) -> tensor<1x10xf32>
  %3 = linalg.matmul ins(%collapsed, %transposed : tensor<1x256xf32>, tensor<256x10xf32>) outs(%2 : tensor<1x10xf32>) -> tensor<1x10xf32>
  return %3 : tensor<1x10xf32>
}

// -----

// A flatten stays a tensor.collapse_shape (a view); nothing else is left.

// CHECK-LABEL: func.func @flatten(
// CHECK-NEXT:    %[[Y:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0], [1, 2, 3]] : tensor<1x4x8x8xf32> into tensor<1x256xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @flatten(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x256xf32> {rcbc.output = "output"}) {
  %collapsed = tensor.collapse_shape %arg0 [[0], [1, 2, 3]] : tensor<1x4x8x8xf32> into tensor<1x256xf32>
  return %collapsed : tensor<1x256xf32>
}

// -----

// Diagnostics: each op left gets one error naming it and why; the ops that only prepare its
// operands (tensor.pad, linalg.broadcast, linalg.fill, tensor.empty) are covered by it.

// A convolution absorbs zero padding only.
func.func @conv_padded_with_one(%arg0: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %arg1: tensor<8xf32> {rcbc.weight = "conv.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 1.000000e+00 : f32
  %padded = tensor.pad %arg2 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg3: index, %arg4: index, %arg5: index, %arg6: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x8x4x4xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x4x4xf32>) dimensions = [0, 2, 3]
  // expected-error @+1 {{convert-linalg-to-rhal: cannot lower 'linalg.conv_2d_nchw_fchw' (its input is padded with 1; a convolution absorbs padding with 0 only)}}
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%padded, %arg0 : tensor<1x4x10x10xf32>, tensor<8x4x3x3xf32>) outs(%broadcasted : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// Padding of the channels is not a window's padding.
func.func @conv_channels_padded(%arg0: tensor<8x5x3x3xf32> {rcbc.weight = "conv.weight"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %arg2 low[0, 0, 1, 1] high[0, 1, 1, 1] {
  ^bb0(%arg3: index, %arg4: index, %arg5: index, %arg6: index):
    tensor.yield %cst : f32
  } : tensor<1x4x8x8xf32> to tensor<1x5x10x10xf32>
  %0 = tensor.empty() : tensor<1x8x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  // expected-error @+1 {{cannot lower 'linalg.conv_2d_nchw_fchw' (its input is padded in the batch or channel dimensions (low [0, 0, 1, 1], high [0, 1, 1, 1]))}}
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%padded, %arg0 : tensor<1x5x10x10xf32>, tensor<8x5x3x3xf32>) outs(%1 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

func.func @conv_padded_with_argument(%arg0: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %arg1: f32 {rcbc.input = "value"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %arg2 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg3: index, %arg4: index, %arg5: index, %arg6: index):
    tensor.yield %arg1 : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x8x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  // expected-error @+1 {{cannot lower 'linalg.conv_2d_nchw_fchw' (its input is padded with a value that is not a constant)}}
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%padded, %arg0 : tensor<1x4x10x10xf32>, tensor<8x4x3x3xf32>) outs(%1 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// Weights come from the weight store: an argument with rcbc.weight.
func.func @conv_weight_is_an_input(%arg0: tensor<8x4x3x3xf32> {rcbc.input = "w"}, %arg1: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x6x6xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x8x6x6xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  // expected-error @+1 {{cannot lower 'linalg.conv_2d_nchw_fchw' (its weight is not a weight argument (an argument with rcbc.weight))}}
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg1, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) outs(%1 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %2 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_accumulator_starts_at_one(%arg0: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %arg1: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x6x6xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 1.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x8x6x6xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  // expected-error @+1 {{cannot lower 'linalg.conv_2d_nchw_fchw' (its accumulator starts at 1, not 0 or a bias)}}
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg1, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) outs(%1 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %2 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_bias_along_columns(%arg0: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %arg1: tensor<6xf32> {rcbc.weight = "conv.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x6x6xf32> {rcbc.output = "output"}) {
  %0 = tensor.empty() : tensor<1x8x6x6xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<6xf32>) outs(%0 : tensor<1x8x6x6xf32>) dimensions = [0, 1, 2]
  // expected-error @+1 {{cannot lower 'linalg.conv_2d_nchw_fchw' (its accumulator broadcasts along dimensions [0, 1, 2], not a bias per channel)}}
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg2, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) outs(%broadcasted : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %1 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_accumulator_uninitialized(%arg0: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %arg1: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x6x6xf32> {rcbc.output = "output"}) {
  %0 = tensor.empty() : tensor<1x8x6x6xf32>
  // expected-error @+1 {{cannot lower 'linalg.conv_2d_nchw_fchw' (its accumulator is neither a bias broadcast nor a zero fill)}}
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg1, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) outs(%0 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %1 : tensor<1x8x6x6xf32>
}

// -----

// rhal ops compute every output their window takes over the padded input.
func.func @conv_cropped(%arg0: tensor<8x4x3x3xf32> {rcbc.weight = "conv.weight"}, %arg1: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x5x5xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x8x5x5xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  // expected-error @+1 {{cannot lower 'linalg.conv_2d_nchw_fchw' (it computes 5x5 outputs, fewer than the 6x6 its window takes over the 8x8 input with padding [0, 0, 0, 0])}}
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg1, %arg0 : tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) outs(%1 : tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  return %2 : tensor<1x8x5x5xf32>
}

// -----

// A depthwise weight is a PyTorch weight [C, 1, KH, KW], collapsed.
func.func @depthwise_weight_not_collapsed(%arg0: tensor<4x3x3xf32> {rcbc.weight = "dw.weight"}, %arg1: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x6x6xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x6x6xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  // expected-error @+1 {{cannot lower 'linalg.depthwise_conv_2d_nchw_chw' (its weight is not a tensor.collapse_shape [[0, 1], [2], [3]] of a tensor)}}
  %2 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg1, %arg0 : tensor<1x4x8x8xf32>, tensor<4x3x3xf32>) outs(%1 : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %2 : tensor<1x4x6x6xf32>
}

// -----

// A grouped convolution's result is collapsed back to NCHW; the reshapes and the bias
// broadcast that only feed it are covered by its error.
func.func @grouped_not_collapsed(%arg0: tensor<8x2x3x3xf32> {rcbc.weight = "conv.weight"}, %arg1: tensor<8xf32> {rcbc.weight = "conv.bias"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x2x4x6x6xf32> {rcbc.output = "output"}) {
  %0 = tensor.empty() : tensor<1x8x6x6xf32>
  %broadcasted = linalg.broadcast ins(%arg1 : tensor<8xf32>) outs(%0 : tensor<1x8x6x6xf32>) dimensions = [0, 2, 3]
  %expanded = tensor.expand_shape %arg2 [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 8, 8] : tensor<1x4x8x8xf32> into tensor<1x2x2x8x8xf32>
  %expanded_0 = tensor.expand_shape %arg0 [[0, 1], [2], [3], [4]] output_shape [2, 4, 2, 3, 3] : tensor<8x2x3x3xf32> into tensor<2x4x2x3x3xf32>
  %expanded_1 = tensor.expand_shape %broadcasted [[0], [1, 2], [3], [4]] output_shape [1, 2, 4, 6, 6] : tensor<1x8x6x6xf32> into tensor<1x2x4x6x6xf32>
  // expected-error @+1 {{cannot lower 'linalg.conv_2d_ngchw_gfchw' (its result is not collapsed back to NCHW by one tensor.collapse_shape)}}
  %1 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%expanded, %expanded_0 : tensor<1x2x2x8x8xf32>, tensor<2x4x2x3x3xf32>) outs(%expanded_1 : tensor<1x2x4x6x6xf32>) -> tensor<1x2x4x6x6xf32>
  return %1 : tensor<1x2x4x6x6xf32>
}

// -----

// Max pooling absorbs -inf padding only.
func.func @max_pool_padded_with_zero(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.000000e+00 : f32
  %padded = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg1: index, %arg2: index, %arg3: index, %arg4: index):
    tensor.yield %zero : f32
  } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
  %0 = tensor.empty() : tensor<1x4x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %2 = tensor.empty() : tensor<3x3xf32>
  // expected-error @+1 {{cannot lower 'linalg.pooling_nchw_max' (its input is padded with 0; max pooling absorbs padding with -inf only)}}
  %3 = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%padded, %2 : tensor<1x4x10x10xf32>, tensor<3x3xf32>) outs(%1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %3 : tensor<1x4x4x4xf32>
}

// -----

func.func @max_pool_from_zero(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %2 = tensor.empty() : tensor<2x2xf32>
  // expected-error @+1 {{cannot lower 'linalg.pooling_nchw_max' (its accumulator starts at 0, not -inf)}}
  %3 = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%arg0, %2 : tensor<1x4x8x8xf32>, tensor<2x2xf32>) outs(%1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %3 : tensor<1x4x4x4xf32>
}

// -----

#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @avg_pool_from_one(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 1.000000e+00 : f32
  %cst_0 = arith.constant 4.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %2 = tensor.empty() : tensor<2x2xf32>
  // expected-error @+1 {{cannot lower 'linalg.pooling_nchw_sum' (its accumulator is not a linalg.fill of 0)}}
  %3 = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%arg0, %2 : tensor<1x4x8x8xf32>, tensor<2x2xf32>) outs(%1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (an elementwise op that is not an activation, residual add or bias)}}
  %4 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%3 : tensor<1x4x4x4xf32>) outs(%0 : tensor<1x4x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %5 = arith.divf %in, %cst_0 : f32
    linalg.yield %5 : f32
  } -> tensor<1x4x4x4xf32>
  return %4 : tensor<1x4x4x4xf32>
}

// -----

// Sum pooling is average pooling only with its division.
func.func @sum_pool(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %2 = tensor.empty() : tensor<2x2xf32>
  // expected-error @+1 {{cannot lower 'linalg.pooling_nchw_sum' (its sums are not divided by a divisor that depends only on position)}}
  %3 = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%arg0, %2 : tensor<1x4x8x8xf32>, tensor<2x2xf32>) outs(%1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %3 : tensor<1x4x4x4xf32>
}

// -----

// AvgPool2d(2, divisor_override=3): the kernels divide by the window size or by the positions
// inside the image.
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @avg_pool_divisor_override(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x4x4xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 3.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %2 = tensor.empty() : tensor<2x2xf32>
  // expected-error @+1 {{cannot lower 'linalg.pooling_nchw_sum' (its window sums are divided by 3, neither the window size 4 nor the count of window positions inside the image)}}
  %3 = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%arg0, %2 : tensor<1x4x8x8xf32>, tensor<2x2xf32>) outs(%1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (an elementwise op that is not an activation, residual add or bias)}}
  %4 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%3 : tensor<1x4x4x4xf32>) outs(%0 : tensor<1x4x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %5 = arith.divf %in, %cst_0 : f32
    linalg.yield %5 : f32
  } -> tensor<1x4x4x4xf32>
  return %4 : tensor<1x4x4x4xf32>
}

// -----

#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
func.func @global_avg_pool_wrong_divisor(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x1x1xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 3.200000e+01 : f32
  %0 = tensor.empty() : tensor<1x4x1x1xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (its sums over 8x8 positions are divided by 32, not 64)}}
  %2 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<1x4x8x8xf32>) outs(%1 : tensor<1x4x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %4 = arith.addf %in, %out : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x1x1xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (an elementwise op that is not an activation, residual add or bias)}}
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2 : tensor<1x4x1x1xf32>) outs(%0 : tensor<1x4x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %4 = arith.divf %in, %cst_0 : f32
    linalg.yield %4 : f32
  } -> tensor<1x4x1x1xf32>
  return %3 : tensor<1x4x1x1xf32>
}

// -----

#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
func.func @global_sum(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x4x1x1xf32> {rcbc.output = "output"}) {
  %0 = tensor.empty() : tensor<1x4x1x1xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (its sums do not start from a linalg.fill of 0)}}
  %1 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %2 = arith.addf %in, %out : f32
    linalg.yield %2 : f32
  } -> tensor<1x4x1x1xf32>
  return %1 : tensor<1x4x1x1xf32>
}

// -----

// A reduction over the channels is neither elementwise nor a global average pooling.
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @channel_sum(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x1x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x1x8x8xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x1x8x8xf32>) -> tensor<1x1x8x8xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (neither elementwise nor a global average pooling)}}
  %2 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "reduction", "parallel", "parallel"]} ins(%arg0 : tensor<1x4x8x8xf32>) outs(%1 : tensor<1x1x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %3 = arith.addf %in, %out : f32
    linalg.yield %3 : f32
  } -> tensor<1x1x8x8xf32>
  return %2 : tensor<1x1x8x8xf32>
}

// -----

// A matmul is a Linear layer: input times a transposed weight, from zero.
func.func @matmul_of_weight(%arg0: tensor<256x10xf32> {rcbc.weight = "fc.weight"}, %arg1: tensor<1x256xf32> {rcbc.input = "input"}) -> (tensor<1x10xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x10xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x10xf32>) -> tensor<1x10xf32>
  // expected-error @+1 {{cannot lower 'linalg.matmul' (its right operand is not a linalg.transpose of a weight, as in a Linear layer)}}
  %2 = linalg.matmul ins(%arg1, %arg0 : tensor<1x256xf32>, tensor<256x10xf32>) outs(%1 : tensor<1x10xf32>) -> tensor<1x10xf32>
  return %2 : tensor<1x10xf32>
}

// -----

func.func @matmul_from_one(%arg0: tensor<10x256xf32> {rcbc.weight = "fc.weight"}, %arg1: tensor<1x256xf32> {rcbc.input = "input"}) -> (tensor<1x10xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 1.000000e+00 : f32
  %0 = tensor.empty() : tensor<256x10xf32>
  %transposed = linalg.transpose ins(%arg0 : tensor<10x256xf32>) outs(%0 : tensor<256x10xf32>) permutation = [1, 0]
  %1 = tensor.empty() : tensor<1x10xf32>
  %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<1x10xf32>) -> tensor<1x10xf32>
  // expected-error @+1 {{cannot lower 'linalg.matmul' (its accumulator is not a linalg.fill of 0)}}
  %3 = linalg.matmul ins(%arg1, %transposed : tensor<1x256xf32>, tensor<256x10xf32>) outs(%2 : tensor<1x10xf32>) -> tensor<1x10xf32>
  return %3 : tensor<1x10xf32>
}

// -----

// The bias add of a matmul whose result is also used elsewhere cannot fuse into it.
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
func.func @bias_add_of_shared_matmul(%arg0: tensor<10x256xf32> {rcbc.weight = "fc.weight"}, %arg1: tensor<10xf32> {rcbc.weight = "fc.bias"}, %arg2: tensor<1x256xf32> {rcbc.input = "input"}) -> (tensor<1x10xf32> {rcbc.output = "output"}, tensor<1x10xf32> {rcbc.output = "logits"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<256x10xf32>
  %transposed = linalg.transpose ins(%arg0 : tensor<10x256xf32>) outs(%0 : tensor<256x10xf32>) permutation = [1, 0]
  %1 = tensor.empty() : tensor<1x10xf32>
  %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<1x10xf32>) -> tensor<1x10xf32>
  %3 = linalg.matmul ins(%arg2, %transposed : tensor<1x256xf32>, tensor<256x10xf32>) outs(%2 : tensor<1x10xf32>) -> tensor<1x10xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (a bias add of tensor<10xf32> to a value that is not the result of a Linear layer's matmul used only here)}}
  %4 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%3, %arg1 : tensor<1x10xf32>, tensor<10xf32>) outs(%1 : tensor<1x10xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %5 = arith.addf %in, %in_0 : f32
    linalg.yield %5 : f32
  } -> tensor<1x10xf32>
  return %4, %3 : tensor<1x10xf32>, tensor<1x10xf32>
}

// -----

// x + 3 is no activation, residual add or bias.
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @add_scalar(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 3.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (an elementwise op that is not an activation, residual add or bias)}}
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %2 = arith.addf %in, %cst : f32
    linalg.yield %2 : f32
  } -> tensor<1x4x8x8xf32>
  return %1 : tensor<1x4x8x8xf32>
}

// -----

// A batch norm the frontend could not fold (after a concat): its scale and shift.
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>
func.func @batch_norm(%arg0: tensor<4x1x1xf32> {rcbc.weight = "scale"}, %arg1: tensor<4x1x1xf32> {rcbc.weight = "shift"}, %arg2: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (a per-channel scale by weight 'scale' (tensor<4x1x1xf32>): a batch norm that is not folded into a convolution is not supported)}}
  %1 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg2, %arg0 : tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %3 = arith.mulf %in, %in_0 : f32
    linalg.yield %3 : f32
  } -> tensor<1x4x8x8xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (a per-channel shift by weight 'shift' (tensor<4x1x1xf32>): a batch norm that is not folded into a convolution is not supported)}}
  %2 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1, %arg1 : tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %3 = arith.addf %in, %in_0 : f32
    linalg.yield %3 : f32
  } -> tensor<1x4x8x8xf32>
  return %2 : tensor<1x4x8x8xf32>
}

// -----

// A squeeze-and-excitation product broadcasts; the global average pooling before it lowers.
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
func.func @mul_broadcast(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 6.400000e+01 : f32
  %0 = tensor.empty() : tensor<1x4x1x1xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<1x4x8x8xf32>) outs(%1 : tensor<1x4x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %6 = arith.addf %in, %out : f32
    linalg.yield %6 : f32
  } -> tensor<1x4x1x1xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2 : tensor<1x4x1x1xf32>) outs(%0 : tensor<1x4x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %6 = arith.divf %in, %cst_0 : f32
    linalg.yield %6 : f32
  } -> tensor<1x4x1x1xf32>
  %4 = tensor.empty() : tensor<1x4x8x8xf32>
  // expected-error @+1 {{cannot lower 'linalg.generic' (an elementwise mul of tensor<1x4x8x8xf32> and tensor<1x4x1x1xf32> broadcasts; rhal.eltwise takes same-shape operands)}}
  %5 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %3 : tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) outs(%4 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %6 = arith.mulf %in, %in_1 : f32
    linalg.yield %6 : f32
  } -> tensor<1x4x8x8xf32>
  return %5 : tensor<1x4x8x8xf32>
}

// -----

// A concatenation along the channels stays, for rhal-place to have each operand's layer store
// its slice; an operand that is no layer's result used only there (here the input) is copied.
// CHECK-LABEL: func.func @concat(
// CHECK-NEXT:    %[[R:.*]] = "rhal.eltwise"(%arg0) {{{.*}}activation = "relu", layer = "eltwise.0", op = "copy"
// CHECK-NEXT:    %[[C:.*]] = "rhal.eltwise"(%arg0) {{{.*}}activation = "none", layer = "eltwise.1", op = "copy"
// CHECK-NEXT:    %[[Y:.*]] = tensor.concat dim(1) %[[C]], %[[R]]
// CHECK-NEXT:    return %[[Y]]
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @concat(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x8x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<1x4x8x8xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %2 = arith.cmpf ugt, %in, %cst : f32
    %3 = arith.select %2, %in, %cst : f32
    linalg.yield %3 : f32
  } -> tensor<1x4x8x8xf32>
  %concat = tensor.concat dim(1) %arg0, %1 : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %concat : tensor<1x8x8x8xf32>
}

// -----

func.func @concat_rows(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<1x4x16x8xf32> {rcbc.output = "output"}) {
  // expected-error @+1 {{cannot lower 'tensor.concat' (a concatenation along dimension 2 of rank-4 tensors; only channels (dimension 1 of [N, C, H, W] or [N, C]) are supported)}}
  %concat = tensor.concat dim(2) %arg0, %arg0 : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x16x8xf32>
  return %concat : tensor<1x4x16x8xf32>
}

// -----

// An op no idiom starts, which feeds no other op that was not lowered.
func.func @transpose(%arg0: tensor<1x4x8x8xf32> {rcbc.input = "input"}) -> (tensor<1x8x8x4xf32> {rcbc.output = "output"}) {
  %0 = tensor.empty() : tensor<1x8x8x4xf32>
  // expected-error @+1 {{cannot lower 'linalg.transpose' (no rhal op computes it)}}
  %transposed = linalg.transpose ins(%arg0 : tensor<1x4x8x8xf32>) outs(%0 : tensor<1x8x8x4xf32>) permutation = [0, 2, 3, 1]
  return %transposed : tensor<1x8x8x4xf32>
}

// -----

// Layers compute one image: a batch is one error, at the first layer.
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @batch(%arg0: tensor<2x4x8x8xf32> {rcbc.input = "x"}) -> (tensor<2x4x8x8xf32> {rcbc.output = "output"}) {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<2x4x8x8xf32>
  // expected-error @+1 {{convert-linalg-to-rhal: batch 2: a program computes one image per run; compile for batch 1 and run it once per image (rcbc run does so for an input holding a batch)}}
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<2x4x8x8xf32>) outs(%0 : tensor<2x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %2 = arith.cmpf ugt, %in, %cst : f32
    %3 = arith.select %2, %in, %cst : f32
    linalg.yield %3 : f32
  } -> tensor<2x4x8x8xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1 : tensor<2x4x8x8xf32>) outs(%0 : tensor<2x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %5 = arith.cmpf ugt, %in, %cst : f32
    %6 = arith.select %5, %in, %cst : f32
    linalg.yield %6 : f32
  } -> tensor<2x4x8x8xf32>
  return %4 : tensor<2x4x8x8xf32>
}
