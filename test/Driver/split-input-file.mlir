// RUN: rcbc-opt %s --split-input-file | FileCheck %s
// RUN: rcbc-opt %s --split-input-file | rcbc-opt --split-input-file | FileCheck %s
// RUN: rcbc-opt %s --split-input-file --cse | FileCheck %s --check-prefix=CSE
// RUN: rcbc-opt %s | FileCheck %s --check-prefix=WHOLE

// Each chunk between `// -----` lines is parsed and transformed on its own, and the outputs are
// joined by the same marker.

// CHECK-LABEL: func.func @first
// CHECK: {{^}}}
// CHECK-EMPTY:
// CHECK-NEXT: // -----
// CHECK-NEXT: module {
// CHECK-NEXT: func.func @second
// CSE-LABEL: func.func @first
// CSE: // -----
// CSE-LABEL: func.func @second
// CSE: // -----
// CSE-LABEL: func.func @third
// CSE-COUNT-1: arith.muli
// CSE-NOT: arith.muli
// WHOLE: module {
// WHOLE: func.func @first
// WHOLE-NOT: // -----
// WHOLE: func.func @second
func.func @first() {
  return
}

// -----

func.func @second() {
  return
}

// -----

func.func @third(%a: i32) -> (i32, i32) {
  %0 = arith.muli %a, %a : i32
  %1 = arith.muli %a, %a : i32
  return %0, %1 : i32, i32
}
