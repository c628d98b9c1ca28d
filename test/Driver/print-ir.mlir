// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --mlir-print-ir-after-all \
// RUN:   --pass-pipeline='builtin.module(test-mark-funcs,func.func(canonicalize))' 2>&1 >/dev/null \
// RUN:   | FileCheck %s --check-prefix=AFTER
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --mlir-print-ir-before-all \
// RUN:   --test-mark-funcs 2>&1 >/dev/null | FileCheck %s --check-prefix=BEFORE
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --mlir-print-ir-after-all \
// RUN:   --mlir-print-ir-after-change --cse --test-mark-funcs 2>&1 >/dev/null \
// RUN:   | FileCheck %s --check-prefix=CHANGE
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --mlir-print-ir-after-failure \
// RUN:   --test-mark-funcs --test-fail-on-funcs 2>&1 >/dev/null | FileCheck %s --check-prefix=FAILURE
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --mlir-print-ir-after-all \
// RUN:   --mlir-print-op-generic --mlir-print-debuginfo --test-mark-funcs 2>&1 >/dev/null \
// RUN:   | FileCheck %s --check-prefix=FORM

// IR dumps go to stderr with mlir-opt's headers (this LLVM prints `Name: argument`), for
// Python and upstream passes alike, and follow the printing flags.

// AFTER: // -----// IR Dump After TestMarkFuncs: test-mark-funcs //----- //
// AFTER-NEXT: module {
// AFTER-NEXT: func.func @f(%arg0: i32) -> i32 attributes {test.marked} {
// AFTER-NEXT: %c0_i32 = arith.constant 0 : i32
// AFTER: // -----// IR Dump After CanonicalizerPass: canonicalize{{.*}} //----- //
// AFTER-NEXT: func.func @f(%arg0: i32) -> i32 attributes {test.marked} {
// AFTER-NEXT: return %arg0 : i32

// BEFORE: // -----// IR Dump Before TestMarkFuncs: test-mark-funcs //----- //
// BEFORE-NEXT: module {
// BEFORE-NEXT: func.func @f(%arg0: i32) -> i32 {
// BEFORE-NOT: IR Dump After

// CHANGE-NOT: IR Dump After CSEPass
// CHANGE: // -----// IR Dump After TestMarkFuncs: test-mark-funcs //----- //

// FAILURE-NOT: IR Dump After TestMarkFuncs
// FAILURE: error: rejected 'func.func'
// FAILURE: // -----// IR Dump After TestFailOnFuncs Failed: test-fail-on-funcs //----- //
// FAILURE-NEXT: module {

// FORM: // -----// IR Dump After TestMarkFuncs: test-mark-funcs //----- //
// FORM: "builtin.module"() ({
// FORM: "func.func"() <{function_type = (i32) -> i32, sym_name = "f"}> ({
// FORM: }) {test.marked} : () -> () loc(#loc1)
// FORM: #loc1 = loc("{{.*}}print-ir.mlir":[[# @LINE + 1]]:1)
func.func @f(%a: i32) -> i32 {
  %c0 = arith.constant 0 : i32
  %0 = arith.addi %a, %c0 : i32
  return %0 : i32
}
