// RUN: rcbc-opt %s --pass-pipeline='builtin.module(rhal-set-target{tiles=2},rhal-place)' | FileCheck %s
// RUN: rcbc-opt %s --pass-pipeline='builtin.module(rhal-set-target{tiles=2},rhal-place,rhal-allocate,rhal-schedule-dma,rhal-verify)' | FileCheck %s --check-prefix=SCHED

// A layer marked rhal.staged (rhal-partition{stage-weights=true}): both tiles compute a block of
// the same 4 output channels, so the weight chunk is read from DDR once into a slot of a memory
// tile of the budget's columns (declared after the other tiles, on its first use), on its
// channel 0, and each tile loads it from there on its side channel, the chunk's two sending
// channels taking turns. The bias, which is not staged, still comes from DDR.
// CHECK-LABEL: func.func @main() {
// CHECK:       %[[SHIM:.*]] = "rhal.tile"() {col = 2 : i64, kind = "interface", row = 0 : i64}
// CHECK:       %[[T0:.*]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64}
// CHECK:       %[[T1:.*]] = "rhal.tile"() {col = 3 : i64, kind = "compute", row = 3 : i64}
// CHECK:       %[[MEM:.*]] = "rhal.tile"() {col = 2 : i64, kind = "memory", row = 1 : i64}
// CHECK:       %[[W:.*]] = "rhal.ddr_buffer"() {address, role = "constant", size = 576 : i64, sym_name = "conv.weight"}
// CHECK:       %[[B:.*]] = "rhal.ddr_buffer"() {address, role = "constant", size = 16 : i64, sym_name = "conv.bias"}
// CHECK:       %[[W0:.*]] = "rhal.buffer"(%[[T0]]) {address, size = 576 : i64, sym_name = "conv/w0@(2,3)"}
// CHECK:       %[[STAGE:.*]] = "rhal.buffer"(%[[MEM]]) {address, size = 576 : i64, sym_name = "conv/wstage0@(2,1)"}
// CHECK:       "rhal.dma"(%[[W]], %[[STAGE]], %[[SHIM]], %[[MEM]])
// CHECK-SAME:    dst_channel = 0 : i64, dst_pattern = #rhal.pattern<0 : i64, array<i64: 576>, array<i64: 1>>
// CHECK-SAME:    src_channel = 1 : i64, src_pattern = #rhal.pattern<0 : i64, array<i64: 576>, array<i64: 1>>
// CHECK:       "rhal.dma"(%[[STAGE]], %[[W0]], %[[MEM]], %[[T0]])
// CHECK-SAME:    dst_channel = 1 : i64, {{.*}}src_channel = 0 : i64, src_pattern = #rhal.pattern<0 : i64, array<i64: 576>, array<i64: 1>>
// CHECK:       "rhal.dma"(%[[B]], %{{.*}}, %[[SHIM]], %[[T0]])
// CHECK:       "rhal.kernel"(%[[T0]],
// CHECK:       %[[W1:.*]] = "rhal.buffer"(%[[T1]]) {address, size = 576 : i64, sym_name = "conv/w0@(3,3)"}
// CHECK-NOT:   "rhal.dma"(%[[W]]
// CHECK:       "rhal.dma"(%[[STAGE]], %[[W1]], %[[MEM]], %[[T1]])
// CHECK-SAME:    dst_channel = 1 : i64, {{.*}}src_channel = 1 : i64
// CHECK:       "rhal.kernel"(%[[T1]],
// CHECK:       return
// Scheduled: the chunk's arrival releases one lock of the memory tile per sending channel, and
// each load acquires its channel's before it reads the slot.
// SCHED:       %[[MEM:.*]] = "rhal.tile"() {col = 2 : i64, kind = "memory", row = 1 : i64}
// SCHED-DAG:   %[[L0:.*]] = "rhal.lock"(%[[MEM]]) {id = 0 : i64, init = 0 : i64}
// SCHED-DAG:   %[[L1:.*]] = "rhal.lock"(%[[MEM]]) {id = 1 : i64, init = 0 : i64}
// SCHED:       %[[STAGE:.*]] = "rhal.buffer"(%[[MEM]]) {address = 0 : i64, size = 576 : i64, sym_name = "conv/wstage0@(2,1)"}
// SCHED:       "rhal.dma"(%{{.*}}, %[[STAGE]], %{{.*}}, %[[MEM]], %[[L0]], %[[L1]]) {acquire_values = array<i64>,
// SCHED-SAME:    release_values = array<i64: 1, 1>
// SCHED:       "rhal.dma"(%[[STAGE]], %{{.*}}, %[[MEM]], %{{.*}}, %[[L0]], %{{.*}}) {acquire_values = array<i64: 1>,
// SCHED:       "rhal.dma"(%[[STAGE]], %{{.*}}, %[[MEM]], %{{.*}}, %[[L1]], %{{.*}}) {acquire_values = array<i64: 1>,
func.func @main(%x: tensor<1x4x6x6xf32> {rcbc.input = "x"}, %w: tensor<4x4x3x3xf32> {rcbc.weight = "conv.weight"}, %b: tensor<4xf32> {rcbc.weight = "conv.bias"}) -> (tensor<1x4x6x6xf32> {rcbc.output = "y"}) {
  %y = "rhal.conv2d"(%x, %w, %b) {act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "conv", operandSegmentSizes = array<i32: 1, 1, 1, 0>, padding = array<i64: 1, 1, 1, 1>, rhal.block = array<i64: 4, 3, 6, 4>, rhal.staged, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}
