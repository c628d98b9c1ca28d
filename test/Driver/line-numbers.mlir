// RUN: cd %S && not rcbc-opt line-numbers.mlir --split-input-file 2>&1 | FileCheck %s
// RUN: not rcbc-opt - --split-input-file < %s 2>&1 | FileCheck %s --check-prefix=STDIN
// RUN: not rcbc-opt %s --split-input-file --mlir-print-debuginfo 2>/dev/null \
// RUN:   | FileCheck %s --check-prefix=DEBUGINFO
// RUN: cd %S && not rcbc-opt line-numbers.mlir --split-input-file --load-pass-plugin=Inputs/test_passes.py \
// RUN:   --test-fail-on-funcs 2>&1 | FileCheck %s --check-prefix=PASS

// Diagnostics and locations name the input as it was given and carry the line numbers of the
// whole file, whichever chunk they come from.

// CHECK: line-numbers.mlir:[[# @LINE + 21]]:17: error: use of undeclared SSA value name
// CHECK-NEXT: {{^}}  "func.return"(%undefined) : (i32) -> ()
// CHECK-NEXT: {{^}}                ^
// STDIN: <stdin>:[[# @LINE + 18]]:17: error: use of undeclared SSA value name

// DEBUGINFO: #{{loc[0-9]*}} = loc("{{.*}}line-numbers.mlir":[[# @LINE + 9]]:1)
// DEBUGINFO: #{{loc[0-9]*}} = loc("{{.*}}line-numbers.mlir":[[# @LINE + 9]]:3)

// PASS: line-numbers.mlir:[[# @LINE + 6]]:1: error: rejected 'func.func'
// PASS: rcbc-opt: note: the pass pipeline failed; reproduce with: rcbc-opt line-numbers.mlir --load-pass-plugin=Inputs/test_passes.py --split-input-file '--pass-pipeline=builtin.module(test-fail-on-funcs)'
// PASS: line-numbers.mlir:[[# @LINE + 11]]:17: error: use of undeclared SSA value name

// -----

func.func @first() {
  return
}

// -----

func.func @second() {
  "func.return"(%undefined) : (i32) -> ()
}
