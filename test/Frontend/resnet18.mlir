// Imports torchvision ResNet-18: one convolution with bias per conv/BN pair, every weight a named
// argument of @main, no tensor inlined, no batch norm arithmetic left, and a weight store beside
// the IR that holds each weight with its argument's type.

// RUN: rcbc import resnet18 -o %t.mlir | FileCheck %s --check-prefix=LOG
// RUN: FileCheck %s < %t.mlir
// RUN: FileCheck %s --check-prefix=NOBN < %t.mlir
// RUN: %PYTHON %S/Inputs/check_weights.py %t.mlir | FileCheck %s --check-prefix=STORE

// LOG:      resnet18: random init (seed 0); --weights loads trained weights
// LOG-NEXT: batch norm: 20 folded into convolutions, 0 kept as per-channel scale and shift
// LOG-NEXT: wrote {{.*}}.mlir ({{[0-9.]+}} kB)
// LOG-NEXT: wrote {{.*}}.rcbw (46.7 MB, 42 weights)
// LOG-NEXT: import time: {{[0-9.]+}} s

// CHECK:      module attributes {rcbc.model = "resnet18", rcbc.weight_source = "random init (seed 0)", rcbc.weight_store = "{{.*}}.rcbw"}
// CHECK-LABEL: func.func @main(
// CHECK-SAME:   %arg0: tensor<64x3x7x7xf32> {rcbc.weight = "conv1.weight"}, %arg1: tensor<64xf32> {rcbc.weight = "conv1.bias"},
// CHECK-SAME:   %arg2: tensor<64x64x3x3xf32> {rcbc.weight = "layer1.0.conv1.weight"}, %arg3: tensor<64xf32> {rcbc.weight = "layer1.0.conv1.bias"},
// CHECK-SAME:   %arg14: tensor<128x64x1x1xf32> {rcbc.weight = "layer2.0.downsample.0.weight"}, %arg15: tensor<128xf32> {rcbc.weight = "layer2.0.downsample.0.bias"},
// CHECK-SAME:   %arg40: tensor<1000x512xf32> {rcbc.weight = "fc.weight"}, %arg41: tensor<1000xf32> {rcbc.weight = "fc.bias"},
// CHECK-SAME:   %arg42: tensor<1x3x224x224xf32> {rcbc.input = "x"})
// CHECK-SAME:   -> (tensor<1x1000xf32> {rcbc.output = "output"})
// CHECK:        %[[BIAS:.*]] = linalg.broadcast ins(%arg1 : tensor<64xf32>)
// CHECK:        linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%{{.*}}, %arg0 : tensor<1x3x230x230xf32>, tensor<64x3x7x7xf32>) outs(%[[BIAS]] : tensor<1x64x112x112xf32>)
// CHECK:        linalg.pooling_nchw_max
// CHECK-COUNT-19: linalg.conv_2d_nchw_fchw
// CHECK-NOT:    linalg.conv_2d
// CHECK:        linalg.matmul
// CHECK-NOT:    linalg.matmul
// CHECK:        return

// NOBN-NOT: dense_resource
// NOBN-NOT: math.rsqrt
// NOBN-NOT: math.sqrt
// NOBN-NOT: arith.subf
// NOBN-NOT: arith.mulf

// STORE:      42 weights match the IR: conv1.weight tensor<64x3x7x7xf32>, conv1.bias tensor<64xf32>, {{.*}}, fc.bias tensor<1000xf32>
// STORE-NEXT: inputs: x tensor<1x3x224x224xf32>
