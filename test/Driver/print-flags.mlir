// RUN: rcbc-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: rcbc-opt %s --mlir-print-op-generic | rcbc-opt | FileCheck %s --check-prefix=ROUND-TRIP
// RUN: rcbc-opt %s --mlir-print-debuginfo | FileCheck %s --check-prefix=DEBUGINFO
// RUN: rcbc-opt %s --mlir-elide-elementsattrs-if-larger=2 | FileCheck %s --check-prefix=ELIDE

// The output follows mlir-opt's printing flags.

// GENERIC: "builtin.module"() ({
// GENERIC: "func.func"() <{function_type = () -> tensor<4xi32>, sym_name = "constants"}> ({
// GENERIC: "arith.constant"() <{value = dense<[1, 2, 3, 4]> : tensor<4xi32>}> : () -> tensor<4xi32>
// GENERIC: "func.return"

// ROUND-TRIP: func.func @constants() -> tensor<4xi32>
// ROUND-TRIP: arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>

// DEBUGINFO: arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32> loc(#[[LOC:loc[0-9]*]])
// DEBUGINFO: #[[LOC]] = loc("{{.*}}print-flags.mlir":[[# @LINE + 5]]:8)

// ELIDE: arith.constant dense_resource<__elided__> : tensor<4xi32>
// ELIDE-NOT: dense<[1, 2, 3, 4]>
func.func @constants() -> tensor<4xi32> {
  %0 = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  return %0 : tensor<4xi32>
}
