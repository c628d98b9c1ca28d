// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --dump-pass-pipeline \
// RUN:   --pass-pipeline='builtin.module(test-options{count=2},cse,func.func(canonicalize{max-iterations=2},cse),test-mark-funcs)' \
// RUN:   2>&1 >/dev/null | FileCheck %s
// RUN: rcbc-opt %s --dump-pass-pipeline 2>&1 >/dev/null | FileCheck %s --check-prefix=EMPTY
// RUN: rcbc-opt %s --dump-pass-pipeline --split-input-file --cse 2>&1 >/dev/null \
// RUN:   | FileCheck %s --check-prefix=CHUNKS

// --dump-pass-pipeline prints the pipeline that will run on each chunk, one pass a line,
// upstream passes with all their options, and carries on.

// CHECK: Pass Manager with 4 passes:
// CHECK-NEXT: builtin.module(
// CHECK-NEXT: {{^}}  test-options{count=2},
// CHECK-NEXT: {{^}}  cse,
// CHECK-NEXT: {{^}}  func.func(
// CHECK-NEXT: {{^}}    canonicalize{cse-between-iterations=false {{.*}}max-iterations=2 {{.*}}},
// CHECK-NEXT: {{^}}    cse
// CHECK-NEXT: {{^}}  ),
// CHECK-NEXT: {{^}}  test-mark-funcs
// CHECK-NEXT: {{^}})

// EMPTY: Pass Manager with 0 passes:
// EMPTY-NEXT: builtin.module(
// EMPTY-EMPTY:
// EMPTY-NEXT: )
// CHUNKS-COUNT-2: Pass Manager with 1 passes:
// CHUNKS-NOT: Pass Manager
module {
}

// -----

module {
}
