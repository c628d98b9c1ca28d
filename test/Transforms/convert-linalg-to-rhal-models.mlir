// Whole torchvision models: every layer becomes one tensor-level rhal op, nothing of linalg is
// left, and the fusions are the expected ones (residual adds into the second convolution of
// each block, ReLU6 as clamp [0, 6]).

// RUN: rcbc import resnet18 -o %t.resnet18.mlir > %t.log
// RUN: rcbc-opt %t.resnet18.mlir --pass-pipeline='builtin.module(convert-linalg-to-rhal)' -o %t.resnet18.rhal.mlir
// RUN: %PYTHON %S/Inputs/rhal_ops.py %t.resnet18.rhal.mlir | FileCheck %s --check-prefix=RESNET
// RUN: rcbc import mobilenet_v2 -o %t.mobilenet_v2.mlir > %t.log
// RUN: rcbc-opt %t.mobilenet_v2.mlir --pass-pipeline='builtin.module(convert-linalg-to-rhal)' -o %t.mobilenet_v2.rhal.mlir
// RUN: %PYTHON %S/Inputs/rhal_ops.py %t.mobilenet_v2.rhal.mlir | FileCheck %s --check-prefix=MOBILENET

// RESNET:      rhal.conv2d: 20, 8 with a residual, 0 depthwise
// RESNET-NEXT:   activation none: 3
// RESNET-NEXT:   activation relu: 17
// RESNET-NEXT: rhal.pool2d: 1
// RESNET-NEXT:   mode max: 1
// RESNET-NEXT: rhal.global_avgpool: 1
// RESNET-NEXT: rhal.matmul: 1
// RESNET-NEXT: rhal.eltwise: 0
// RESNET-NEXT: other ops: func.return, tensor.collapse_shape

// MOBILENET:      rhal.conv2d: 52, 10 with a residual, 17 depthwise
// MOBILENET-NEXT:   activation clamp [0, 6]: 35
// MOBILENET-NEXT:   activation none: 17
// MOBILENET-NEXT: rhal.pool2d: 0
// MOBILENET-NEXT: rhal.global_avgpool: 1
// MOBILENET-NEXT: rhal.matmul: 1
// MOBILENET-NEXT: rhal.eltwise: 0
// MOBILENET-NEXT: other ops: func.return, tensor.collapse_shape
