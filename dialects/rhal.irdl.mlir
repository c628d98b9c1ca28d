// IRDL of the 'rhal' dialect, generated from dialects/rhal.py by
// `python -m rcbc.dialects.irdl_dump`. Do not edit.

irdl.dialect @rhal {
  irdl.type @tile_ref {
    irdl.parameters()
  }
  irdl.type @buffer_ref {
    irdl.parameters()
  }
  irdl.type @lock_ref {
    irdl.parameters()
  }
  irdl.attribute @target {
    %0 = irdl.base "#builtin.string"
    %1 = irdl.base "#builtin.integer"
    %2 = irdl.base "#builtin.integer"
    %3 = irdl.base "#builtin.integer"
    %4 = irdl.base "#builtin.integer"
    %5 = irdl.base "#builtin.integer"
    %6 = irdl.base "#builtin.integer"
    irdl.parameters(name: %0, columns: %1, rows: %2, memtile_rows: %3, tile_memory: %4, memtile_memory: %5, tiles: %6)
  }
  irdl.attribute @pattern {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.base "#builtin.dense_array"
    %2 = irdl.base "#builtin.dense_array"
    irdl.parameters(offset: %0, sizes: %1, strides: %2)
  }
  irdl.operation @tile {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.base "#builtin.integer"
    %2 = irdl.is "interface"
    %3 = irdl.is "memory"
    %4 = irdl.is "compute"
    %5 = irdl.any_of(%2, %3, %4)
    irdl.attributes {"col" = %0, "row" = %1, "kind" = %5}
    %6 = irdl.parametric @rhal::@tile_ref<>
    irdl.results(result: %6)
  }
  irdl.operation @buffer {
    %0 = irdl.base @rhal::@tile_ref
    irdl.operands(tile: %0)
    %1 = irdl.base "#builtin.string"
    %2 = irdl.base "#builtin.integer"
    %3 = irdl.base "#builtin.integer"
    %4 = irdl.base "#builtin.unit"
    %5 = irdl.any_of(%3, %4)
    irdl.attributes {"sym_name" = %1, "size" = %2, "address" = %5}
    %6 = irdl.parametric @rhal::@buffer_ref<>
    irdl.results(result: %6)
  }
  irdl.operation @ddr_buffer {
    %0 = irdl.base "#builtin.string"
    %1 = irdl.is "constant"
    %2 = irdl.is "input"
    %3 = irdl.is "output"
    %4 = irdl.is "scratch"
    %5 = irdl.any_of(%1, %2, %3, %4)
    %6 = irdl.base "#builtin.integer"
    %7 = irdl.base "#builtin.integer"
    %8 = irdl.base "#builtin.unit"
    %9 = irdl.any_of(%7, %8)
    irdl.attributes {"sym_name" = %0, "role" = %5, "size" = %6, "address" = %9}
    %10 = irdl.parametric @rhal::@buffer_ref<>
    irdl.results(result: %10)
  }
  irdl.operation @lock {
    %0 = irdl.base @rhal::@tile_ref
    irdl.operands(tile: %0)
    %1 = irdl.base "#builtin.integer"
    %2 = irdl.base "#builtin.integer"
    irdl.attributes {"id" = %1, "init" = %2}
    %3 = irdl.parametric @rhal::@lock_ref<>
    irdl.results(result: %3)
  }
  irdl.operation @dma {
    %0 = irdl.base @rhal::@buffer_ref
    %1 = irdl.base @rhal::@buffer_ref
    %2 = irdl.base @rhal::@tile_ref
    %3 = irdl.base @rhal::@tile_ref
    %4 = irdl.base @rhal::@lock_ref
    %5 = irdl.base @rhal::@lock_ref
    irdl.operands(src: %0, dst: %1, src_port: %2, dst_port: %3, acquires: variadic %4, releases: variadic %5)
    %6 = irdl.base @rhal::@pattern
    %7 = irdl.base @rhal::@pattern
    %8 = irdl.base "#builtin.integer"
    %9 = irdl.base "#builtin.integer"
    %10 = irdl.base "#builtin.dense_array"
    %11 = irdl.base "#builtin.dense_array"
    irdl.attributes {"src_pattern" = %6, "dst_pattern" = %7, "src_channel" = %8, "dst_channel" = %9, "acquire_values" = %10, "release_values" = %11}
  }
  irdl.operation @kernel {
    %0 = irdl.base @rhal::@tile_ref
    %1 = irdl.base @rhal::@buffer_ref
    %2 = irdl.base @rhal::@lock_ref
    %3 = irdl.base @rhal::@lock_ref
    irdl.operands(tile: %0, buffers: variadic %1, acquires: variadic %2, releases: variadic %3)
    %4 = irdl.base "#builtin.string"
    %5 = irdl.base "#builtin.array"
    %6 = irdl.base "#builtin.dense_array"
    %7 = irdl.base "#builtin.dense_array"
    %8 = irdl.base "#builtin.dense_array"
    irdl.attributes {"kernel" = %4, "bindings" = %5, "params" = %6, "acquire_values" = %7, "release_values" = %8}
  }
  irdl.operation @wait {
    %0 = irdl.base @rhal::@tile_ref
    irdl.operands(tile: %0)
    %1 = irdl.is "mm2s"
    %2 = irdl.is "s2mm"
    %3 = irdl.any_of(%1, %2)
    %4 = irdl.base "#builtin.integer"
    irdl.attributes {"direction" = %3, "channel" = %4}
  }
  irdl.operation @wait_core {
    %0 = irdl.base @rhal::@tile_ref
    irdl.operands(tile: %0)
  }
  irdl.operation @acquire {
    %0 = irdl.base @rhal::@lock_ref
    irdl.operands(lock: %0)
    %1 = irdl.base "#builtin.integer"
    irdl.attributes {"value" = %1}
  }
  irdl.operation @release {
    %0 = irdl.base @rhal::@lock_ref
    irdl.operands(lock: %0)
    %1 = irdl.base "#builtin.integer"
    irdl.attributes {"value" = %1}
  }
  irdl.operation @barrier
  irdl.operation @conv2d {
    %0 = irdl.base "!builtin.tensor"
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    irdl.operands(input: %0, weight: %1, bias: optional %2, residual: optional %3)
    %4 = irdl.base "#builtin.string"
    %5 = irdl.is "none"
    %6 = irdl.is "relu"
    %7 = irdl.is "clamp"
    %8 = irdl.is "sigmoid"
    %9 = irdl.is "hardswish"
    %10 = irdl.any_of(%5, %6, %7, %8, %9)
    %11 = irdl.base "#builtin.float"
    %12 = irdl.base "#builtin.float"
    %13 = irdl.base "#builtin.dense_array"
    %14 = irdl.base "#builtin.dense_array"
    %15 = irdl.base "#builtin.dense_array"
    %16 = irdl.base "#builtin.integer"
    irdl.attributes {"layer" = %4, "activation" = %10, "act_min" = %11, "act_max" = %12, "strides" = %13, "padding" = %14, "dilations" = %15, "groups" = %16}
    %17 = irdl.base "!builtin.tensor"
    irdl.results(result: %17)
  }
  irdl.operation @pool2d {
    %0 = irdl.base "!builtin.tensor"
    irdl.operands(input: %0)
    %1 = irdl.base "#builtin.string"
    %2 = irdl.is "max"
    %3 = irdl.is "avg"
    %4 = irdl.is "avg_valid"
    %5 = irdl.any_of(%2, %3, %4)
    %6 = irdl.base "#builtin.dense_array"
    %7 = irdl.base "#builtin.dense_array"
    %8 = irdl.base "#builtin.dense_array"
    %9 = irdl.base "#builtin.dense_array"
    irdl.attributes {"layer" = %1, "mode" = %5, "kernel" = %6, "strides" = %7, "padding" = %8, "dilations" = %9}
    %10 = irdl.base "!builtin.tensor"
    irdl.results(result: %10)
  }
  irdl.operation @global_avgpool {
    %0 = irdl.base "!builtin.tensor"
    irdl.operands(input: %0)
    %1 = irdl.base "#builtin.string"
    irdl.attributes {"layer" = %1}
    %2 = irdl.base "!builtin.tensor"
    irdl.results(result: %2)
  }
  irdl.operation @matmul {
    %0 = irdl.base "!builtin.tensor"
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(input: %0, weight: %1, bias: optional %2)
    %3 = irdl.base "#builtin.string"
    %4 = irdl.is "none"
    %5 = irdl.is "relu"
    %6 = irdl.is "clamp"
    %7 = irdl.is "sigmoid"
    %8 = irdl.is "hardswish"
    %9 = irdl.any_of(%4, %5, %6, %7, %8)
    %10 = irdl.base "#builtin.float"
    %11 = irdl.base "#builtin.float"
    irdl.attributes {"layer" = %3, "activation" = %9, "act_min" = %10, "act_max" = %11}
    %12 = irdl.base "!builtin.tensor"
    irdl.results(result: %12)
  }
  irdl.operation @eltwise {
    %0 = irdl.base "!builtin.tensor"
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(a: %0, b: optional %1)
    %2 = irdl.base "#builtin.string"
    %3 = irdl.is "none"
    %4 = irdl.is "relu"
    %5 = irdl.is "clamp"
    %6 = irdl.is "sigmoid"
    %7 = irdl.is "hardswish"
    %8 = irdl.any_of(%3, %4, %5, %6, %7)
    %9 = irdl.base "#builtin.float"
    %10 = irdl.base "#builtin.float"
    %11 = irdl.is "copy"
    %12 = irdl.is "add"
    %13 = irdl.is "mul"
    %14 = irdl.any_of(%11, %12, %13)
    irdl.attributes {"layer" = %2, "activation" = %8, "act_min" = %9, "act_max" = %10, "op" = %14}
    %15 = irdl.base "!builtin.tensor"
    irdl.results(result: %15)
  }
}
