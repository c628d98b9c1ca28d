// RUN: rcbc-opt %s | FileCheck %s
// RUN: rcbc-opt %s | rcbc-opt | FileCheck %s
// RUN: rcbc-opt %s --mlir-disable-threading | FileCheck %s

// Without a pipeline the input is parsed, verified and printed back.

// CHECK-LABEL: func.func @add
// CHECK-SAME: (%[[A:.*]]: i32) -> i32
// CHECK: %[[C:.*]] = arith.constant 1 : i32
// CHECK: %[[S:.*]] = arith.addi %[[A]], %[[C]] : i32
// CHECK: return %[[S]] : i32
func.func @add(%a: i32) -> i32 {
  %c1 = arith.constant 1 : i32
  %0 = arith.addi %a, %c1 : i32
  return %0 : i32
}

// CHECK-LABEL: func.func @empty
func.func @empty() {
  return
}
