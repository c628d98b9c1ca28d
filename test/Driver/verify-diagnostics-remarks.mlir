// RUN: rcbc-opt %s --verify-diagnostics --pass-pipeline='builtin.module(transform-interpreter)'

// Remarks are verified like errors; the "see current operation" notes MLIR attaches are not
// expected, as under mlir-opt --verify-diagnostics.

module attributes {transform.with_named_sequence} {
  func.func @f(%a: i32) -> i32 {
    // expected-remark @below {{an add}}
    %0 = arith.addi %a, %a : i32
    %1 = arith.addi %0, %a : i32 // expected-remark {{an add}}
    return %1 : i32
  }

  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %adds = transform.structured.match ops{["arith.addi"]} in %root : (!transform.any_op) -> !transform.any_op
    transform.debug.emit_remark_at %adds, "an add" : !transform.any_op
    transform.yield
  }
}
