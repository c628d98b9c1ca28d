// RUN: cd %S && not rcbc-opt diagnostic-locations.mlir --split-input-file 2>&1 | FileCheck %s

// Diagnostics are printed as mlir-opt prints them for every kind of location: a call site with
// its callers as notes, a name, a fused location, an unknown one, and a file other than the
// input, whose line is shown when the file exists.

// CHECK: callee.mlir:3:4: error: type of return operand 0 ('i32') doesn't match function result type ('i64') in function @callsite
// CHECK-NEXT: caller.mlir:5:6: note: called from
// CHECK-NEXT: main.mlir:7:8: note: called from
// CHECK-NEXT: callee.mlir:3:4: note: see current operation: "func.return"(%arg0) : (i32) -> ()
func.func @callsite(%a: i32) -> i64 {
  return %a : i32 loc(callsite("callee.mlir":3:4 at callsite("caller.mlir":5:6 at "main.mlir":7:8)))
}

// -----

// CHECK-NEXT: <unknown>:0: error: loc("conv1"): type of return operand 0 ('i32') doesn't match function result type ('i64') in function @named
// CHECK-NEXT: <unknown>:0: note: loc("conv1"): see current operation
func.func @named(%a: i32) -> i64 {
  return %a : i32 loc("conv1")
}

// -----

// CHECK-NEXT: Inputs/model.py:2:12: error: type of return operand 0 ('i32') doesn't match function result type ('i64') in function @named_file
// CHECK-NEXT: {{^}}    return conv1(x)
// CHECK-NEXT: {{^}}           ^
// CHECK-NEXT: Inputs/model.py:2:12: note: see current operation
func.func @named_file(%a: i32) -> i64 {
  return %a : i32 loc("conv1"("Inputs/model.py":2:12))
}

// -----

// CHECK-NEXT: first.mlir:1:1: error: type of return operand 0 ('i32') doesn't match function result type ('i64') in function @fused
// CHECK-NEXT: first.mlir:1:1: note: see current operation
func.func @fused(%a: i32) -> i64 {
  return %a : i32 loc(fused["first.mlir":1:1, "second.mlir":2:2])
}

// -----

// CHECK-NEXT: <unknown>:0: error: type of return operand 0 ('i32') doesn't match function result type ('i64') in function @unknown
// CHECK-NEXT: <unknown>:0: note: see current operation
func.func @unknown(%a: i32) -> i64 {
  return %a : i32 loc(unknown)
}
