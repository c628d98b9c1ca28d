// IRDL of the 'rcb' dialect, generated from dialects/rcb.py by
// `python -m rcbc.dialects.irdl_dump`. Do not edit.

irdl.dialect @rcb {
  irdl.operation @program {
    %0 = irdl.any
    irdl.attributes {"target" = %0}
    %1 = irdl.region
    irdl.regions(body: %1)
  }
  irdl.operation @data {
    %0 = irdl.base "#builtin.string"
    %1 = irdl.base "#builtin.integer"
    %2 = irdl.base "#builtin.integer"
    %3 = irdl.any
    irdl.attributes {"sym_name" = %0, "address" = %1, "size" = %2, "contents" = %3}
  }
  irdl.operation @io {
    %0 = irdl.base "#builtin.string"
    %1 = irdl.is "input"
    %2 = irdl.is "output"
    %3 = irdl.any_of(%1, %2)
    %4 = irdl.base "#builtin.integer"
    %5 = irdl.base "#builtin.dense_array"
    %6 = irdl.is "u8"
    %7 = irdl.is "i8"
    %8 = irdl.is "i16"
    %9 = irdl.is "i32"
    %10 = irdl.is "bf16"
    %11 = irdl.is "f32"
    %12 = irdl.any_of(%6, %7, %8, %9, %10, %11)
    irdl.attributes {"sym_name" = %0, "direction" = %3, "address" = %4, "shape" = %5, "dtype" = %12}
  }
  irdl.operation @configure_tile {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.base "#builtin.integer"
    irdl.attributes {"col" = %0, "row" = %1}
  }
  irdl.operation @write_params {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.base "#builtin.integer"
    %2 = irdl.base "#builtin.integer"
    %3 = irdl.base "#builtin.string"
    irdl.attributes {"col" = %0, "row" = %1, "address" = %2, "entry" = %3}
  }
  irdl.operation @dma_start {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.base "#builtin.integer"
    %2 = irdl.base "#builtin.integer"
    %3 = irdl.base "#builtin.integer"
    %4 = irdl.base "#builtin.dense_array"
    %5 = irdl.base "#builtin.dense_array"
    %6 = irdl.base "#builtin.integer"
    %7 = irdl.base "#builtin.integer"
    %8 = irdl.base "#builtin.integer"
    %9 = irdl.base "#builtin.integer"
    %10 = irdl.base "#builtin.dense_array"
    %11 = irdl.base "#builtin.dense_array"
    %12 = irdl.base "#builtin.dense_array"
    %13 = irdl.base "#builtin.dense_array"
    irdl.attributes {"src_col" = %0, "src_row" = %1, "src_channel" = %2, "src_address" = %3, "src_sizes" = %4, "src_strides" = %5, "dst_col" = %6, "dst_row" = %7, "dst_channel" = %8, "dst_address" = %9, "dst_sizes" = %10, "dst_strides" = %11, "acquires" = %12, "releases" = %13}
  }
  irdl.operation @launch {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.base "#builtin.integer"
    %2 = irdl.base "#builtin.string"
    %3 = irdl.base "#builtin.integer"
    %4 = irdl.base "#builtin.dense_array"
    %5 = irdl.base "#builtin.dense_array"
    irdl.attributes {"col" = %0, "row" = %1, "kernel" = %2, "params_address" = %3, "acquires" = %4, "releases" = %5}
  }
  irdl.operation @wait {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.base "#builtin.integer"
    %2 = irdl.is "mm2s"
    %3 = irdl.is "s2mm"
    %4 = irdl.any_of(%2, %3)
    %5 = irdl.base "#builtin.integer"
    irdl.attributes {"col" = %0, "row" = %1, "direction" = %4, "channel" = %5}
  }
  irdl.operation @wait_core {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.base "#builtin.integer"
    irdl.attributes {"col" = %0, "row" = %1}
  }
  irdl.operation @lock_acquire {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.base "#builtin.integer"
    %2 = irdl.base "#builtin.integer"
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"col" = %0, "row" = %1, "id" = %2, "value" = %3}
  }
  irdl.operation @lock_release {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.base "#builtin.integer"
    %2 = irdl.base "#builtin.integer"
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"col" = %0, "row" = %1, "id" = %2, "value" = %3}
  }
  irdl.operation @barrier
  irdl.operation @end
}
