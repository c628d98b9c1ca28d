// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-mark-funcs,canonicalize,func.func(cse))' \
// RUN:   | FileCheck %s
// RUN: rcbc-opt %s --pass-pipeline='builtin.module(canonicalize{max-iterations=1 region-simplify=disabled})' \
// RUN:   | FileCheck %s --check-prefix=UPSTREAM
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='  builtin.module( test-mark-funcs , func.func( canonicalize ) )' \
// RUN:   | FileCheck %s --check-prefix=SPACES
// RUN: rcbc-opt %s --pass-pipeline= | FileCheck %s --check-prefix=EMPTY

// A pipeline mixes rcbc Python passes (here from the test plugin) with upstream passes,
// nested ones included.

// CHECK-LABEL: func.func @fold
// CHECK-SAME: attributes {test.marked}
// CHECK-NEXT: return %arg0 : i32
// UPSTREAM-LABEL: func.func @fold
// UPSTREAM-NOT: test.marked
// UPSTREAM-NEXT: return %arg0 : i32
// SPACES-LABEL: func.func @fold
// SPACES-SAME: attributes {test.marked}
// SPACES-NEXT: return %arg0 : i32
// EMPTY-LABEL: func.func @fold
// EMPTY: arith.addi
func.func @fold(%a: i32) -> i32 {
  %c0 = arith.constant 0 : i32
  %0 = arith.addi %a, %c0 : i32
  return %0 : i32
}

// CHECK-LABEL: func.func @common
// CHECK: %[[X:.*]] = arith.muli %arg0, %arg0 : i32
// CHECK-NEXT: return %[[X]], %[[X]] : i32, i32
func.func @common(%a: i32) -> (i32, i32) {
  %0 = arith.muli %a, %a : i32
  %1 = arith.muli %a, %a : i32
  return %0, %1 : i32, i32
}
