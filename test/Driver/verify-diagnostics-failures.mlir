// RUN: not rcbc-opt %S/Inputs/verify-failures.mlir --split-input-file --verify-diagnostics 2>&1 \
// RUN:   | FileCheck %s

// Unexpected diagnostics, designators nothing matched, severity mismatches and malformed
// regexes are each an error, printed as mlir-opt prints them, at the line they concern.

// CHECK: verify-failures.mlir:4:3: error: unexpected error: type of return operand 0 ('i32') doesn't match function result type ('i64') in function @unexpected
// CHECK-NEXT: {{^}}  return %a : i32
// CHECK-NEXT: {{^}}  ^{{$}}
// CHECK-NOT: see current operation

// CHECK-NEXT: verify-failures.mlir:9:4: error: expected error "this never happens" was not produced
// CHECK-NEXT: {{^}}// expected-error @+1 {{[{][{]}}this never happens{{[}][}]}}
// CHECK-NEXT: {{^}}   ^~~~~~~~~~~~~~~~~~{{$}}

// CHECK-NEXT: verify-failures.mlir:18:19: error: unexpected error: use of undeclared SSA value name
// CHECK: verify-failures.mlir:17:6: error: expected error "use of undeclared SSA value name" was not produced

// CHECK: verify-failures.mlir:25:6: error: 'note' diagnostic emitted when expecting a 'error'
// CHECK-NEXT: {{^}}  // expected-error @-1
// CHECK-NEXT: {{^}}     ^{{$}}
// CHECK-NEXT: verify-failures.mlir:25:6: error: expected error "prior use here" was not produced

// CHECK: verify-failures.mlir:32:4: error: found start of regex with no end '}}'
// CHECK-NEXT: {{^}}// expected-error-re
// CHECK-NEXT: {{^}}   ^~~~~~~~~~~~~~~~~~~~{{$}}
// CHECK: verify-failures.mlir:39:4: error: invalid regex: missing ), unterminated subpattern

// CHECK: verify-failures.mlir:49:10: error: unexpected error: use of value '%0' expects different type than prior uses: 'i64' vs 'i32'
// CHECK: verify-failures.mlir:48:3: error: unexpected note: prior use here
// CHECK: verify-failures.mlir:46:4: error: expected error "note or error?" was not produced

// CHECK: verify-failures.mlir:54:4: error: expected error "nothing at an unknown location" was not produced
