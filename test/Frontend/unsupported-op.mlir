// An unsupported operator is one error that names the operator and the line of Python that
// produced it, exits with status 1 and shows no traceback.

// RUN: not rcbc import --module %S/Inputs/unsupported_model.py:build_model -o %t.mlir 2> %t.err
// RUN: FileCheck %s < %t.err
// RUN: FileCheck %s --check-prefix=NOTRACE < %t.err

// CHECK:      rcbc import: error: 3 operators of the model are not supported by rcbc:
// CHECK-NEXT:   {{.*}}unsupported_model.py:14: aten.gelu (layer act)
// CHECK-NEXT:       x = self.act(self.conv(x))
// CHECK-NEXT:   {{.*}}unsupported_model.py:15: aten.adaptive_avg_pool2d: output 3x3 does not divide input 224x224, so the pooling windows are unequal
// CHECK-NEXT:       x = F.adaptive_avg_pool2d(x, 3)
// CHECK-NEXT:   {{.*}}unsupported_model.py:16: aten.mean
// CHECK-NEXT:       return x.mean((2, 3))
// CHECK-NEXT: supported: conv2d, batch norm, relu, relu6/hardtanh, sigmoid, hardswish, max pooling, average pooling, adaptive average pooling, add, mul, concat, flatten, linear, dropout

// NOTRACE-NOT: Traceback
