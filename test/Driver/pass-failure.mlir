// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(canonicalize,test-fail-on-funcs{message="not supported:"})' \
// RUN:   2>&1 | FileCheck %s
// RUN: rm -f %t.mlir
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --test-fail-on-funcs -o %t.mlir
// RUN: not ls %t.mlir

// A failing pass prints its diagnostics at the offending ops and a command that reproduces the
// failure, exits with status 1, and leaves no output file behind.

// CHECK: pass-failure.mlir:[[# @LINE + 8]]:1: error: not supported: 'func.func'
// CHECK-NEXT: {{^}}func.func @first() {
// CHECK-NEXT: {{^}}^
// CHECK-NEXT: pass-failure.mlir:[[# @LINE + 9]]:1: error: not supported: 'func.func'
// CHECK-NEXT: {{^}}func.func @second() {
// CHECK-NEXT: {{^}}^
// CHECK-NEXT: rcbc-opt: note: the pass pipeline failed; reproduce with: rcbc-opt {{.*}}pass-failure.mlir --load-pass-plugin={{.*}}test_passes.py '--pass-pipeline=builtin.module(canonicalize,test-fail-on-funcs{message=not supported:})'
// CHECK-NOT: Traceback
func.func @first() {
  return
}

func.func @second() {
  return
}
