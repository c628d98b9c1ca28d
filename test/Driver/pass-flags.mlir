// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --test-mark-funcs --canonicalize \
// RUN:   --mlir-print-ir-after-all 2>&1 | FileCheck %s
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --canonicalize --test-mark-funcs \
// RUN:   --mlir-print-ir-after-all 2>&1 | FileCheck %s --check-prefix=REVERSED
// RUN: rcbc-opt %s --canonicalize=max-iterations=3 --cse --dump-pass-pipeline 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OPTIONS
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py '--test-options=count=3 mode=exact' \
// RUN:   | FileCheck %s --check-prefix=PYTHON
// RUN: rcbc-opt %s -canonicalize -load-pass-plugin=%S/Inputs/test_passes.py -test-mark-funcs \
// RUN:   | FileCheck %s --check-prefix=SINGLE-DASH

// Per-pass flags build the pipeline in command-line order; `--pass=options` configures a pass,
// as `mlir-opt --canonicalize=max-iterations=3` does.

// CHECK: IR Dump After TestMarkFuncs: test-mark-funcs
// CHECK: IR Dump After CanonicalizerPass: canonicalize
// CHECK: func.func @f
// CHECK-SAME: attributes {test.marked}

// REVERSED: IR Dump After CanonicalizerPass: canonicalize
// REVERSED: IR Dump After TestMarkFuncs: test-mark-funcs

// OPTIONS: Pass Manager with 2 passes:
// OPTIONS-NEXT: builtin.module(
// OPTIONS-NEXT: canonicalize{{.*}} max-iterations=3 {{.*}},
// OPTIONS-NEXT: cse
// OPTIONS-NEXT: )

// PYTHON: module attributes {test.options = "count=3 {{.*}} mode=exact {{.*}}"}

// SINGLE-DASH-LABEL: func.func @f
// SINGLE-DASH-SAME: attributes {test.marked}
// SINGLE-DASH-NEXT: return %arg0
func.func @f(%a: i32) -> i32 {
  %c0 = arith.constant 0 : i32
  %0 = arith.addi %a, %c0 : i32
  return %0 : i32
}
