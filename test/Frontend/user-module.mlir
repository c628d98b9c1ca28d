// Imports a user's model with --module, as module:function importable from the current directory
// and as file.py:Class; BatchNorm after a convolution is folded, after a concat it becomes a
// per-channel scale and shift.

// RUN: cd %S/Inputs && rcbc import --module tiny_cnn:build_model --input-shape 1,3,32,32 -o %t.mlir | FileCheck %s --check-prefix=LOG
// RUN: FileCheck %s < %t.mlir
// RUN: rcbc import --module %S/Inputs/tiny_cnn.py:TinyCNN --input-shape 1,3,32,32 --seed 7 -o %t.class.mlir | FileCheck %s --check-prefix=CLASS

// LOG:      tiny_cnn:build_model: random init (seed 0); --weights loads trained weights
// LOG-NEXT: batch norm: 2 folded into convolutions, 1 kept as per-channel scale and shift
// LOG-NEXT: wrote {{.*}}.mlir
// LOG-NEXT: wrote {{.*}}.rcbw ({{.*}}, 12 weights)

// CHECK:       module attributes {rcbc.model = "tiny_cnn:build_model", rcbc.weight_source = "random init (seed 0)", rcbc.weight_store = "{{.*}}.rcbw"}
// CHECK-LABEL: func.func @main(
// CHECK-SAME:    %arg0: tensor<8x3x3x3xf32> {rcbc.weight = "stem.0.weight"}, %arg1: tensor<8xf32> {rcbc.weight = "stem.0.bias"},
// CHECK-SAME:    %arg2: tensor<8x1x3x3xf32> {rcbc.weight = "depthwise.0.weight"}, %arg3: tensor<8xf32> {rcbc.weight = "depthwise.0.bias"},
// CHECK-SAME:    %arg4: tensor<8x4x3x3xf32> {rcbc.weight = "grouped.weight"}, %arg5: tensor<8xf32> {rcbc.weight = "grouped.bias"},
// CHECK-SAME:    %arg6: tensor<16x1x1xf32> {rcbc.weight = "norm.scale"}, %arg7: tensor<16x1x1xf32> {rcbc.weight = "norm.shift"},
// CHECK-SAME:    %arg8: tensor<16x16x1x1xf32> {rcbc.weight = "gate.1.weight"}, %arg9: tensor<16xf32> {rcbc.weight = "gate.1.bias"},
// CHECK-SAME:    %arg10: tensor<10x64xf32> {rcbc.weight = "head.3.weight"}, %arg11: tensor<10xf32> {rcbc.weight = "head.3.bias"},
// CHECK-SAME:    %arg12: tensor<1x3x32x32xf32> {rcbc.input = "x"}) -> (tensor<1x10xf32> {rcbc.output = "output"})
// CHECK:         linalg.conv_2d_nchw_fchw
// CHECK:         linalg.depthwise_conv_2d_nchw_chw {dilations = dense<2> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
// CHECK:         linalg.conv_2d_ngchw_gfchw
// CHECK:         %[[CAT:.*]] = tensor.concat dim(1)
// CHECK:         %[[SCALED:.*]] = linalg.generic {{.*}} ins(%[[CAT]], %arg6 : tensor<1x16x16x16xf32>, tensor<16x1x1xf32>)
// CHECK:           arith.mulf
// CHECK:         linalg.generic {{.*}} ins(%[[SCALED]], %arg7 : tensor<1x16x16x16xf32>, tensor<16x1x1xf32>)
// CHECK:           arith.addf
// CHECK:         linalg.pooling_nchw_max
// CHECK:         linalg.pooling_nchw_sum
// CHECK:         math.exp
// CHECK:         linalg.matmul
// CHECK-NOT:     dense_resource

// CLASS: tiny_cnn.py:TinyCNN: random init (seed 7)
