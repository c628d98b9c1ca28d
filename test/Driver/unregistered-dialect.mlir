// RUN: not rcbc-opt %s 2>&1 | FileCheck %s --check-prefix=REJECTED
// RUN: rcbc-opt %s --allow-unregistered-dialect | FileCheck %s
// RUN: rcbc-opt %s --allow-unregistered-dialect --split-input-file --cse | FileCheck %s

// Ops of unknown dialects are an error unless --allow-unregistered-dialect is given.

// REJECTED: unregistered-dialect.mlir:[[# @LINE + 4]]:20: error: operation being parsed with an unregistered dialect. If this is intended, please use -allow-unregistered-dialect with the MLIR tool used
// CHECK-LABEL: func.func @f
// CHECK: "mystery.op"() : () -> i32
func.func @f() -> i32 {
  %0 = "mystery.op"() : () -> i32
  return %0 : i32
}
