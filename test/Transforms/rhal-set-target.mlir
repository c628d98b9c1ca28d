// RUN: rcbc-opt %s --split-input-file --pass-pipeline='builtin.module(rhal-set-target)' | FileCheck %s --check-prefix=DEFAULT
// RUN: rcbc-opt %s --split-input-file --rhal-set-target='target=npu1 tiles=16' | FileCheck %s --check-prefix=NPU1
// RUN: rcbc-opt %s --split-input-file --rhal-set-target='target=aie tiles=400' | FileCheck %s --check-prefix=AIE
// RUN: not rcbc-opt %s --split-input-file --rhal-set-target='target=vek280' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not rcbc-opt %s --split-input-file --rhal-set-target='target=npu1 tiles=17' 2>&1 | FileCheck %s --check-prefix=BUDGET

// The default is the paper's setting, 28 tiles of aie-ml; the attribute carries the geometry.
// DEFAULT: module attributes {rhal.target = #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64, 65536 : i64, 524288 : i64, 28 : i64>}
// NPU1: module attributes {rhal.target = #rhal.target<"npu1", 4 : i64, 6 : i64, 1 : i64, 65536 : i64, 524288 : i64, 16 : i64>}
// AIE: module attributes {rhal.target = #rhal.target<"aie", 50 : i64, 9 : i64, 0 : i64, 32768 : i64, 0 : i64, 400 : i64>}
// UNKNOWN: error: rhal-set-target: unknown target 'vek280'; known targets: aie-ml, aie, npu1, npu2
// BUDGET: error: rhal-set-target: a budget of 17 tiles does not fit target npu1, which has 16 compute tiles
module {
}

// -----

// A target already on the module is replaced, and the ops keep verifying against the new one.
// DEFAULT: module attributes {rhal.target = #rhal.target<"aie-ml", {{.*}}, 28 : i64>}
// DEFAULT-NEXT: "rhal.tile"() {col = 3 : i64, kind = "compute", row = 4 : i64}
// NPU1: module attributes {rhal.target = #rhal.target<"npu1", {{.*}}, 16 : i64>}
// NPU1-NEXT: "rhal.tile"() {col = 3 : i64, kind = "compute", row = 4 : i64}
module attributes {rhal.target = #rhal.target<"npu2", 8 : i64, 6 : i64, 1 : i64, 65536 : i64, 524288 : i64, 32 : i64>} {
  %t = "rhal.tile"() {col = 3 : i64, kind = "compute", row = 4 : i64} : () -> !rhal.tile_ref
}
