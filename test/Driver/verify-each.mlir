// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --test-break-returns 2>&1 | FileCheck %s --check-prefix=EACH
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --test-break-returns --verify-each=false --mlir-print-op-generic 2>&1 | FileCheck %s --check-prefix=SKIP
// RUN: not rcbc-opt %s --verify-each=maybe 2>&1 | FileCheck %s --check-prefix=BAD

// As in mlir-opt, the IR is verified after each pass unless --verify-each=false.

// EACH: error: 'func.return' op has 0 operands, but enclosing function (@f) returns 1
// SKIP: "func.func"() <{function_type = () -> i32, sym_name = "f"}>
// BAD: rcbc-opt: error: argument --verify-each: 'maybe' is not a value for --verify-each: use true or false
func.func @f() {
  return
}
