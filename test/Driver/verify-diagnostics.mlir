// RUN: rcbc-opt %s --split-input-file --verify-diagnostics
// RUN: rcbc-opt %s -split-input-file -verify-diagnostics

// Designators as in mlir-opt: on the line itself, @+N, @-N, @above, @below, -re regexes, and
// notes; each is matched against the diagnostics of its own chunk.

func.func @next_line() {
  // expected-error @+1 {{use of undeclared SSA value name}}
  %0 = arith.addi %undefined, %undefined : i32
}

// -----

func.func @same_line() -> i64 {
  %0 = arith.constant 1 : i32
  return %0 : i32 // expected-error {{doesn't match function result type}}
}

// -----

func.func @above_and_below(%a: i32) -> i64 {
  // expected-error @below {{type of return operand 0 ('i32') doesn't match function result type ('i64') in function @above_and_below}}
  return %a : i32
}

// -----

func.func @prior_use(%a: i32) -> i32 {
  %0 = arith.addi %a, %a : i32
  // expected-note @-1 {{prior use here}}
  return %0 : i64
  // expected-error @above {{use of value '%0' expects different type than prior uses}}
}

// -----

func.func @regex(%a: i32) -> i64 {
  // expected-error-re @+1 {{type of return operand {{[0-9]+}} ('i{{(32|64)}}')}}
  return %a : i32
}

// -----

func.func @offsets() -> i64 {
  // expected-error@+2 {{use of undeclared SSA value name}}
  %0 = arith.constant 0 : i32
  %1 = arith.addi %undefined, %0 : i32
}

// -----

func.func @spaces() -> i64 {
  %0 = arith.constant 0 : i32
  return %0 : i32
  // expected-error   @-1   {{doesn't match function result type}}
}

// -----

// A chunk with no designators and no diagnostics verifies too.
func.func @fine() {
  return
}
