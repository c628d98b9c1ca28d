// RUN: rcbc-opt %s --split-input-file | rcbc-opt --split-input-file | FileCheck %s

// A complete schedule on aie-ml: an input moves from DDR into a compute tile, a kernel reduces
// it, the result moves back to DDR. Every rhal op, as the docstrings show them.

// CHECK-LABEL: module @schedule attributes {rhal.target = #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64, 65536 : i64, 524288 : i64, 28 : i64>}
module @schedule attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // CHECK:      %[[SHIM:.*]] = "rhal.tile"() {col = 2 : i64, kind = "interface", row = 0 : i64} : () -> !rhal.tile_ref
  // CHECK-NEXT: %[[CORE:.*]] = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64} : () -> !rhal.tile_ref
  %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
  // CHECK-NEXT: %[[X:.*]] = "rhal.ddr_buffer"() {address = 0 : i64, role = "input", size = 4096 : i64, sym_name = "x"} : () -> !rhal.buffer_ref
  // CHECK-NEXT: %[[Y:.*]] = "rhal.ddr_buffer"() {address = 4096 : i64, role = "output", size = 64 : i64, sym_name = "y"} : () -> !rhal.buffer_ref
  %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0} : () -> !rhal.buffer_ref
  %y = "rhal.ddr_buffer"() {sym_name = "y", role = "output", size = 64, address = 4096} : () -> !rhal.buffer_ref
  // CHECK-NEXT: %[[A:.*]] = "rhal.buffer"(%[[CORE]]) {address = 1024 : i64, size = 4096 : i64, sym_name = "a"} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // CHECK-NEXT: %[[B:.*]] = "rhal.buffer"(%[[CORE]]) {address = 5120 : i64, size = 64 : i64, sym_name = "b"} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %b = "rhal.buffer"(%core) {sym_name = "b", size = 64, address = 5120} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // CHECK-NEXT: %[[P:.*]] = "rhal.buffer"(%[[CORE]]) {address = 5184 : i64, size = 24 : i64, sym_name = "p"} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address = 5184} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // CHECK-NEXT: %[[FULL:.*]] = "rhal.lock"(%[[CORE]]) {id = 0 : i64, init = 0 : i64} : (!rhal.tile_ref) -> !rhal.lock_ref
  // CHECK-NEXT: %[[EMPTY:.*]] = "rhal.lock"(%[[CORE]]) {id = 1 : i64, init = 1 : i64} : (!rhal.tile_ref) -> !rhal.lock_ref
  %full = "rhal.lock"(%core) {id = 0, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
  %empty = "rhal.lock"(%core) {id = 1, init = 1} : (!rhal.tile_ref) -> !rhal.lock_ref
  // CHECK-NEXT: "rhal.dma"(%[[X]], %[[A]], %[[SHIM]], %[[CORE]], %[[EMPTY]], %[[FULL]])
  // CHECK-SAME:   {acquire_values = array<i64: 1>, dst_channel = 0 : i64,
  // CHECK-SAME:    dst_pattern = #rhal.pattern<0 : i64, array<i64: 64, 64>, array<i64: 64, 1>>,
  // CHECK-SAME:    operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1>, release_values = array<i64: 1>, src_channel = 0 : i64,
  // CHECK-SAME:    src_pattern = #rhal.pattern<0 : i64, array<i64: 4096>, array<i64: 1>>}
  // CHECK-SAME:   : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref, !rhal.lock_ref) -> ()
  "rhal.dma"(%x, %a, %shim, %core, %empty, %full) {
      acquire_values = array<i64: 1>, dst_channel = 0,
      dst_pattern = #rhal.pattern<0, array<i64: 64, 64>, array<i64: 64, 1>>,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1>, release_values = array<i64: 1>,
      src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>}
      : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref, !rhal.lock_ref) -> ()
  // CHECK-NEXT: "rhal.kernel"(%[[CORE]], %[[P]], %[[A]], %[[B]], %[[FULL]], %[[EMPTY]])
  // CHECK-SAME:   {acquire_values = array<i64: 1>, bindings = ["params", "in_addr", "out_addr"], kernel = "global_avgpool",
  // CHECK-SAME:    operandSegmentSizes = array<i32: 1, 3, 1, 1>, params = array<i32: 0, 1024, 16, 8, 8, 5120>, release_values = array<i64: 1>}
  // CHECK-SAME:   : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.lock_ref, !rhal.lock_ref) -> ()
  "rhal.kernel"(%core, %p, %a, %b, %full, %empty) {
      acquire_values = array<i64: 1>, bindings = ["params", "in_addr", "out_addr"],
      kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 3, 1, 1>,
      params = array<i32: 0, 1024, 16, 8, 8, 5120>, release_values = array<i64: 1>}
      : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.lock_ref, !rhal.lock_ref) -> ()
  // CHECK-NEXT: "rhal.wait_core"(%[[CORE]]) : (!rhal.tile_ref) -> ()
  "rhal.wait_core"(%core) : (!rhal.tile_ref) -> ()
  // CHECK-NEXT: "rhal.dma"(%[[B]], %[[Y]], %[[CORE]], %[[SHIM]])
  // CHECK-SAME:   {acquire_values = array<i64>, dst_channel = 1 : i64,
  // CHECK-SAME:    operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>, src_channel = 1 : i64,
  "rhal.dma"(%b, %y, %core, %shim) {
      acquire_values = array<i64>, dst_channel = 1,
      dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>,
      src_channel = 1, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>}
      : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
  // CHECK-NEXT: "rhal.wait"(%[[SHIM]]) {channel = 1 : i64, direction = "s2mm"} : (!rhal.tile_ref) -> ()
  "rhal.wait"(%shim) {channel = 1, direction = "s2mm"} : (!rhal.tile_ref) -> ()
  // CHECK-NEXT: "rhal.acquire"(%[[EMPTY]]) {value = 1 : i64} : (!rhal.lock_ref) -> ()
  // CHECK-NEXT: "rhal.release"(%[[EMPTY]]) {value = 1 : i64} : (!rhal.lock_ref) -> ()
  // CHECK-NEXT: "rhal.barrier"() : () -> ()
  "rhal.acquire"(%empty) {value = 1} : (!rhal.lock_ref) -> ()
  "rhal.release"(%empty) {value = 1} : (!rhal.lock_ref) -> ()
  "rhal.barrier"() : () -> ()
}

// -----

// Before allocation: buffer addresses are `unit`. A memory tile walks 4-d patterns, and a
// transfer may stage through it.

// CHECK-LABEL: module @memtile_staging
module @memtile_staging attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  %shim = "rhal.tile"() {col = 3, row = 0, kind = "interface"} : () -> !rhal.tile_ref
  %mem = "rhal.tile"() {col = 3, row = 2, kind = "memory"} : () -> !rhal.tile_ref
  %core = "rhal.tile"() {col = 3, row = 10, kind = "compute"} : () -> !rhal.tile_ref
  // CHECK: "rhal.ddr_buffer"() {address, role = "constant", size = 9408 : i64, sym_name = "conv1.weight"}
  // CHECK: "rhal.ddr_buffer"() {address, role = "scratch", size = 65536 : i64, sym_name = "arena"}
  // CHECK: "rhal.buffer"(%{{.*}}) {address, size = 9408 : i64, sym_name = "w_staged"}
  // CHECK: "rhal.buffer"(%{{.*}}) {address, size = 9408 : i64, sym_name = "w"}
  %w = "rhal.ddr_buffer"() {sym_name = "conv1.weight", role = "constant", size = 9408, address} : () -> !rhal.buffer_ref
  %arena = "rhal.ddr_buffer"() {sym_name = "arena", role = "scratch", size = 65536, address} : () -> !rhal.buffer_ref
  %staged = "rhal.buffer"(%mem) {sym_name = "w_staged", size = 9408, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
  %local = "rhal.buffer"(%core) {sym_name = "w", size = 9408, address} : (!rhal.tile_ref) -> !rhal.buffer_ref
  // CHECK: "rhal.dma"
  // CHECK-SAME: dst_pattern = #rhal.pattern<0 : i64, array<i64: 2, 3, 7, 224>, array<i64: 1568, 3136, 224, 1>>
  "rhal.dma"(%w, %staged, %shim, %mem) {
      acquire_values = array<i64>, dst_channel = 5,
      dst_pattern = #rhal.pattern<0, array<i64: 2, 3, 7, 224>, array<i64: 1568, 3136, 224, 1>>,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>,
      src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 9408>, array<i64: 1>>}
      : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
  // CHECK: "rhal.dma"
  // CHECK-SAME: src_channel = 5 : i64
  "rhal.dma"(%staged, %local, %mem, %core) {
      acquire_values = array<i64>, dst_channel = 1,
      dst_pattern = #rhal.pattern<0, array<i64: 9408>, array<i64: 1>>,
      operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, release_values = array<i64>,
      src_channel = 5, src_pattern = #rhal.pattern<0, array<i64: 9408>, array<i64: 1>>}
      : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref) -> ()
}

// -----

// The target is found on the nearest enclosing op that carries one.

// CHECK-LABEL: module @outer
// CHECK:         module @inner {
// CHECK-NEXT:      "rhal.tile"() {col = 49 : i64, kind = "compute", row = 8 : i64}
module @outer attributes {rhal.target = #rhal.target<"aie", 50, 9, 0, 32768, 0, 400>} {
  module @inner {
    %t = "rhal.tile"() {col = 49, row = 8, kind = "compute"} : () -> !rhal.tile_ref
  }
}

// -----

// The tensor-level compute ops: one per layer, on tensors of f32, no target needed. A
// convolution with bias, residual and ReLU; a depthwise one (groups = channels) without bias,
// clamped to [0, 6]; pooling; a global average; a linear layer; elementwise ops.

// CHECK-LABEL: func.func @layers(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x16x16xf32>, %[[W:.*]]: tensor<8x8x3x3xf32>, %[[B:.*]]: tensor<8xf32>, %[[DW:.*]]: tensor<8x1x3x3xf32>, %[[FC:.*]]: tensor<10x8xf32>, %[[FB:.*]]: tensor<10xf32>)
func.func @layers(%x: tensor<1x8x16x16xf32>, %w: tensor<8x8x3x3xf32>, %b: tensor<8xf32>,
                  %dw: tensor<8x1x3x3xf32>, %fc: tensor<10x8xf32>, %fb: tensor<10xf32>)
    -> tensor<1x10xf32> {
  // CHECK:      %[[C:.*]] = "rhal.conv2d"(%[[X]], %[[W]], %[[B]], %[[X]])
  // CHECK-SAME:   {act_max = 0.000000e+00 : f32, act_min = 0.000000e+00 : f32, activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64,
  // CHECK-SAME:    layer = "block.conv", operandSegmentSizes = array<i32: 1, 1, 1, 1>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  // CHECK-SAME:   : (tensor<1x8x16x16xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>, tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  %c = "rhal.conv2d"(%x, %w, %b, %x) {
      act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu", dilations = array<i64: 1, 1>,
      groups = 1, layer = "block.conv", operandSegmentSizes = array<i32: 1, 1, 1, 1>,
      padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
      : (tensor<1x8x16x16xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>, tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  // CHECK-NEXT: %[[D:.*]] = "rhal.conv2d"(%[[C]], %[[DW]])
  // CHECK-SAME:   {act_max = 6.000000e+00 : f32, act_min = 0.000000e+00 : f32, activation = "clamp", dilations = array<i64: 2, 2>, groups = 8 : i64,
  // CHECK-SAME:    layer = "block.dw", operandSegmentSizes = array<i32: 1, 1, 0, 0>, padding = array<i64: 2, 2, 1, 1>, strides = array<i64: 2, 2>}
  // CHECK-SAME:   : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
  %d = "rhal.conv2d"(%c, %dw) {
      act_max = 6.0 : f32, act_min = 0.0 : f32, activation = "clamp", dilations = array<i64: 2, 2>,
      groups = 8, layer = "block.dw", operandSegmentSizes = array<i32: 1, 1, 0, 0>,
      padding = array<i64: 2, 2, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
  // CHECK-NEXT: %[[P:.*]] = "rhal.pool2d"(%[[D]])
  // CHECK-SAME:   {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "pool2d.0", mode = "avg_valid", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  // CHECK-SAME:   : (tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %p = "rhal.pool2d"(%d) {
      dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "pool2d.0",
      mode = "avg_valid", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
      : (tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  // CHECK-NEXT: %[[M:.*]] = "rhal.eltwise"(%[[P]], %[[D]]) {{{.*}}activation = "none", layer = "eltwise.0", op = "mul", operandSegmentSizes = array<i32: 1, 1>}
  %m = "rhal.eltwise"(%p, %d) {
      act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "eltwise.0",
      op = "mul", operandSegmentSizes = array<i32: 1, 1>}
      : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  // CHECK-NEXT: %[[S:.*]] = "rhal.eltwise"(%[[M]]) {{{.*}}activation = "sigmoid", layer = "eltwise.1", op = "copy", operandSegmentSizes = array<i32: 1, 0>}
  %s = "rhal.eltwise"(%m) {
      act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "sigmoid", layer = "eltwise.1",
      op = "copy", operandSegmentSizes = array<i32: 1, 0>}
      : (tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  // CHECK-NEXT: %[[G:.*]] = "rhal.global_avgpool"(%[[S]]) {layer = "global_avgpool.0"} : (tensor<1x8x8x8xf32>) -> tensor<1x8x1x1xf32>
  %g = "rhal.global_avgpool"(%s) {layer = "global_avgpool.0"}
      : (tensor<1x8x8x8xf32>) -> tensor<1x8x1x1xf32>
  // CHECK-NEXT: %[[F:.*]] = tensor.collapse_shape %[[G]]
  %f = tensor.collapse_shape %g [[0], [1, 2, 3]] : tensor<1x8x1x1xf32> into tensor<1x8xf32>
  // CHECK-NEXT: %[[Y:.*]] = "rhal.matmul"(%[[F]], %[[FC]], %[[FB]])
  // CHECK-SAME:   {act_max = 0.000000e+00 : f32, act_min = 0.000000e+00 : f32, activation = "none", layer = "head", operandSegmentSizes = array<i32: 1, 1, 1>}
  // CHECK-SAME:   : (tensor<1x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %y = "rhal.matmul"(%f, %fc, %fb) {
      act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "head",
      operandSegmentSizes = array<i32: 1, 1, 1>}
      : (tensor<1x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  // CHECK-NEXT: return %[[Y]]
  return %y : tensor<1x10xf32>
}
