// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(rhal-schedule-dma)' -o /dev/null

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 1>} {
  func.func @main() {
    %t = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    // expected-error @+1 {{rhal-schedule-dma: buffers have no addresses; run rhal-allocate first}}
    %a = "rhal.buffer"(%t) {sym_name = "a", size = 64, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
    return
  }
}

// -----

// expected-error @+1 {{rhal-schedule-dma: the module has no func.func @main}}
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 1>} {
}

// -----

// aie (AI Engine 1) locks are binary.
// expected-error @+1 {{rhal-schedule-dma: target 'aie' has binary locks (max lock value 1), but this pass orders transfers and kernels with counting semaphores, which need values of 2 and more}}
module attributes {rhal.target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 28>} {
  func.func @main() {
    return
  }
}
