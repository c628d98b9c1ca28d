// Inputs of verify-diagnostics-failures.mlir: each chunk fails --verify-diagnostics differently.

func.func @unexpected(%a: i32) -> i64 {
  return %a : i32
}

// -----

// expected-error @+1 {{this never happens}}
func.func @unmatched() {
  return
}

// -----

func.func @wrong_line() {
  // expected-error @+2 {{use of undeclared SSA value name}}
  %0 = arith.addi %undefined, %undefined : i32
}

// -----

func.func @near_miss(%a: i32) -> i32 {
  %0 = arith.addi %a, %a : i32
  // expected-error @-1 {{prior use here}}
  return %0 : i64
  // expected-error @-1 {{expects different type than prior uses}}
}

// -----

// expected-error-re {{unterminated {{regex}}
func.func @no_regex_end() {
  return
}

// -----

// expected-error-re {{bad {{(}} regex}}
func.func @bad_regex() {
  return
}

// -----

// expected-error @+1 {{note or error?}}
func.func @prior_use(%a: i32) -> i32 {
  %0 = arith.addi %a, %a : i32
  return %0 : i64
}

// -----

// expected-error @unknown {{nothing at an unknown location}}
func.func @unknown() {
  return
}
