// Imports torchvision MobileNet-v2: depthwise convolutions and ReLU6, every BatchNorm folded.

// RUN: rcbc import mobilenet_v2 -o %t.mlir | FileCheck %s --check-prefix=LOG
// RUN: FileCheck %s < %t.mlir
// RUN: FileCheck %s --check-prefix=DEPTHWISE < %t.mlir

// LOG: batch norm: 52 folded into convolutions, 0 kept as per-channel scale and shift

// CHECK-LABEL: func.func @main(
// CHECK-SAME:    %arg2: tensor<32x1x3x3xf32> {rcbc.weight = "features.1.conv.0.0.weight"}, %arg3: tensor<32xf32> {rcbc.weight = "features.1.conv.0.0.bias"}
// CHECK-SAME:    {rcbc.input = "x"}) -> (tensor<1x1000xf32> {rcbc.output = "output"})
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG:     %[[SIX:.*]] = arith.constant dense<6.000000e+00> : tensor<f32>

// The stem convolution, then ReLU6: max with 0, min with 6.
// CHECK:         %[[STEM:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
// CHECK:         %[[LOW:.*]] = linalg.generic {{.*}} ins(%[[STEM]], %[[ZERO]] : tensor<1x32x112x112xf32>, tensor<f32>)
// CHECK:           arith.cmpf ogt
// CHECK:           arith.select
// CHECK:         linalg.generic {{.*}} ins(%[[SIX]], %[[LOW]] : tensor<f32>, tensor<1x32x112x112xf32>)
// CHECK:           arith.cmpf olt
// CHECK:           arith.select

// The first depthwise convolution, its C x 1 x 3 x 3 weight collapsed to C x 3 x 3.
// CHECK:         %[[W:.*]] = tensor.collapse_shape %arg2 {{\[}}[0, 1], [2], [3]] : tensor<32x1x3x3xf32> into tensor<32x3x3xf32>
// CHECK:         linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%{{.*}}, %[[W]] : tensor<1x32x114x114xf32>, tensor<32x3x3xf32>)

// DEPTHWISE-COUNT-17: linalg.depthwise_conv_2d_nchw_chw
// DEPTHWISE-NOT:      linalg.depthwise_conv_2d_nchw_chw
