// RUN: rcbc-opt --help | FileCheck %s

// --help lists the driver's flags.

// CHECK: usage: rcbc-opt
// CHECK: --pass-pipeline PIPELINE
// CHECK: --load-pass-plugin FILE
// CHECK: --split-input-file
// CHECK: --verify-diagnostics
// CHECK: --mlir-print-ir-before-all
// CHECK: --mlir-print-ir-after-all
// CHECK: --mlir-timing
// CHECK: --list-passes
