// RUN: rcbc-opt < %s | FileCheck %s
// RUN: rcbc-opt - < %s | FileCheck %s
// RUN: rcbc-opt %s -o %t.mlir && FileCheck %s --input-file=%t.mlir
// RUN: rcbc-opt %s -o - | FileCheck %s
// RUN: rcbc-opt %s --split-input-file -o %t.split.mlir && FileCheck %s --input-file=%t.split.mlir

// Input comes from a file, or from stdin when it is `-` or absent; -o writes the output to a
// file instead of stdout.

// CHECK-LABEL: func.func @f
// CHECK-NEXT: return
func.func @f() {
  return
}
