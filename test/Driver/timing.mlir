// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --mlir-timing \
// RUN:   --pass-pipeline='builtin.module(test-mark-funcs,canonicalize,func.func(cse))' \
// RUN:   2>&1 >/dev/null | FileCheck %s

// --mlir-timing reports the wall time of every pass, Python passes included, as mlir-opt does.

// CHECK: ... Execution time report ...
// CHECK: Total Execution Time: {{[0-9.]+}} seconds
// CHECK: ----Wall Time----  ----Name----
// CHECK: {{[0-9.]+}} ({{ *[0-9.]+}}%)  TestMarkFuncs
// CHECK: {{[0-9.]+}} ({{ *[0-9.]+}}%)  CanonicalizerPass
// CHECK: {{[0-9.]+}} ({{ *[0-9.]+}}%)  'func.func' Pipeline
// CHECK: {{[0-9.]+}} ({{ *[0-9.]+}}%)    CSEPass
// CHECK: {{[0-9.]+}} (100.0%)  Total
func.func @f(%a: i32) -> i32 {
  return %a : i32
}
