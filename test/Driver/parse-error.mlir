// RUN: not rcbc-opt %s 2>&1 | FileCheck %s
// RUN: not rcbc-opt %s --cse 2>&1 | FileCheck %s --check-prefix=PIPELINE

// An input that does not parse gives the parser's error at its place and exit status 1; no
// pipeline runs and nothing is printed.

// CHECK: parse-error.mlir:[[# @LINE + 7]]:8: error: custom op 'arith.bogus' is unknown
// CHECK-NEXT: {{^}}  %0 = arith.bogus %a : i32
// CHECK-NEXT: {{^}}       ^
// CHECK-NOT: module
// CHECK-NOT: reproduce
// PIPELINE-NOT: reproduce
func.func @f(%a: i32) -> i32 {
  %0 = arith.bogus %a : i32
  return %0 : i32
}
