// RUN: not rcbc-opt %s --split-input-file 2>&1 | FileCheck %s
// RUN: not rcbc-opt %s --split-input-file 2>/dev/null | FileCheck %s --check-prefix=OUT

// A chunk that fails does not stop the others; its output is empty and the exit status is 1.

// CHECK: split-input-file-failures.mlir:[[# @LINE + 14]]:10: error: use of undeclared SSA value name
// CHECK-NOT: error

// OUT: func.func @good
// OUT-NEXT: return
// OUT: // -----
// OUT-NEXT: // -----
// OUT-NEXT: module {
// OUT-NEXT: func.func @also_good
func.func @good() {
  return
}
// -----
func.func @bad() {
  return %undefined : i32
}
// -----
func.func @also_good() {
  return
}
