// RUN: rcbc-opt %s | FileCheck %s
// RUN: rcbc-opt %s --mlir-disable-threading | FileCheck %s

// Two isolated-from-above ops with Python verifiers inside: MLIR verifies such ops on worker
// threads when the context threads, and a worker waiting for the GIL the parser holds would
// hang. rcbc-opt's contexts never thread.

// CHECK: "rcb.program"
// CHECK: func.func @helper
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    "rcb.barrier"() : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
  func.func @helper() {
    %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    func.return
  }
}
