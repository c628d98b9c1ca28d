// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --test-fail-on-funcs
// RUN: rcbc-opt %s --verify-diagnostics --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(cse,test-fail-on-funcs)' --split-input-file \
// RUN:   | FileCheck %s --allow-empty

// Errors that Python passes emit at ops are verified like any other diagnostic, with the line
// numbers of this file. Chunks whose pipeline failed print nothing.

// CHECK-NOT: func.func

// expected-error @below {{rejected 'func.func'}}
func.func @f() {
  return
}

// -----

// expected-error @+2 {{rejected 'func.func'}}
// expected-error @+4 {{rejected 'func.func'}}
func.func @g() {
  return
}
func.func @h() {
  return
}
