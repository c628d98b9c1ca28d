// RUN: rm -rf %t && mkdir -p %t && %PYTHON %S/Inputs/emit_weight_store.py %t/emit.rcbw
// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --rcb-emit-bytecode='format=hex store-dir=%t' -o /dev/null | FileCheck %s --check-prefix=HEX
// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --rcb-emit-bytecode='store-dir=%t' -o /dev/null | FileCheck %s --check-prefix=LST
// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --rcb-emit-bytecode='store-dir=%t' | FileCheck %s --check-prefix=IR

// Golden bytes of every record kind (docs/rcb-bytecode.md section 5), the tables they index
// and the data image; the hex dump shows one record per line.

// The smallest program: a header, the section table, two records.
// HEX-LABEL: 000000: 52434201 01000000 6963fb78 00010000 0100260b 02000000 00000100 00000800 ; header
// HEX-NEXT:  000020: 00000000 00000000 06000000 00000000 00000000 00000000 00000000 00000000
// HEX-NEXT:  000040: 01000000 c0000000 40000000 02000000 02000000 00010000 00000000 00000000 ; section table
// HEX-NEXT:  000060: 03000000 00010000 00000000 00000000 04000000 00010000 00000000 00000000
// HEX-NEXT:  000080: 05000000 00010000 00000000 00000000 06000000 00010000 00000000 00000000
// HEX-NEXT:  0000a0: 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
// HEX-NEXT:  0000c0: 01020300 00000000 00000000 00000000 00000000 00000000 00000000 00000000 ; record 0 configure_tile
// HEX-NEXT:  0000e0: ff000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 ; record 1 end
// LST-LABEL: rcb 1.0 target=aie-ml ddr_size=0x0 flags=0x0{{$}}
// LST:       section code offset=0xc0 ; 64 bytes, 2 records
// LST:       {{^}}code{{$}}
// LST-NEXT:       0 configure_tile tile=(2,3)
// LST-NEXT:       1 end
// The module is left as it was.
// IR-LABEL:  module attributes {rhal.target
// IR-NEXT:     "rcb.program"() ({
// IR-NEXT:       "rcb.configure_tile"() {col = 2 : i64, row = 3 : i64} : () -> ()
// IR-NEXT:       "rcb.end"() : () -> ()
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    "rcb.configure_tile"() {col = 2, row = 3} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

// A host-dispatched program (the baseline schedule) sets the header's flag bit 0 (byte 36).
// HEX-LABEL: 000000: 52434201 01000000 ef6cf850 00010000 0100260b 02000000 00000100 00000800 ; header
// HEX-NEXT:  000020: 00000000 01000000 06000000 00000000 00000000 00000000 00000000 00000000
// LST-LABEL: rcb 1.0 target=aie-ml ddr_size=0x0 flags=0x1 ; host_dispatch
// IR-LABEL:  module attributes {rhal.target
// IR:          }) {rcb.host_dispatch, target
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    "rcb.barrier"() : () -> ()
    "rcb.end"() : () -> ()
  }) {rcb.host_dispatch, target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

// write_params names its entry by directory index; launch names its kernel by library id and
// packs its lock uses as (id, value) pairs. Inline words are an i32 entry of the image.
// HEX-LABEL: 000000: 52434201
// HEX:       0000e0: 02020300 00180000 00000000 00000000 00000000 00000000 00000000 00000000 ; record 1 write_params
// HEX-NEXT:  000100: 20020300 04000000 00180000 00010203 00000000 01010000 00000000 00000000 ; record 2 launch
// HEX-NEXT:  000120: ff000000
// HEX-NEXT:  000140: 00000000 00000000 18000000 00040100 06000000 00000000 00000000 00000000 ; directory
// HEX:       000180: 6761702e 70617261 6d730000 00000000 00000000 00000000 00000000 00000000 ; strings
// HEX:       0001c0: 00000000 00040000 10000000 08000000 08000000 00140000 ; image
// LST-LABEL: rcb 1.0 target=aie-ml ddr_size=0x18
// LST:         1 write_params tile=(2,3) offset=0x1800 entry=0 ; 0x0000e0 gap.params
// LST-NEXT:    2 launch tile=(2,3) kernel=4 params=0x1800 acquires=[0:1,2:3] releases=[1:1] ; 0x000100 global_avgpool
// LST:       {{^}}directory{{$}}
// LST-NEXT:    0 name="gap.params" offset=0x0 size=24 dtype=i32 shape=[6]
// LST-NEXT:      | 00000000 00040000 10000000 08000000 08000000 00140000
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    "rcb.data"() {sym_name = "gap.params", address = 0, size = 24, contents = array<i32: 0, 1024, 16, 8, 8, 5120>} : () -> ()
    "rcb.configure_tile"() {col = 2, row = 3} : () -> ()
    "rcb.write_params"() {col = 2, row = 3, address = 6144, entry = "gap.params"} : () -> ()
    "rcb.launch"() {col = 2, row = 3, kernel = "global_avgpool", params_address = 6144, acquires = array<i64: 2, 3, 0, 1, 2, 3, 2, 3>, releases = array<i64: 2, 3, 1, 1>} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

// dma_start: lock quads become (side, id, value) slots of its two tiles, patterns indices into
// the pattern table; then the controller's records. The input binding sets the DDR size.
// HEX-LABEL: 000000: 52434201
// HEX:       0000e0: 10020001 02030000 00010000 00040000 00000100 01010100 04020100 01000000 ; record 1 dma_start
// HEX-NEXT:  000100: 40020001 01000000 00000000 00000000 00000000 00000000 00000000 00000000 ; record 2 wait
// HEX-NEXT:  000120: 41020300 00000000 00000000 00000000 00000000 00000000 00000000 00000000 ; record 3 wait_core
// HEX-NEXT:  000140: 30020300 01000000 00000000 00000000 00000000 00000000 00000000 00000000 ; record 4 lock_acquire
// HEX-NEXT:  000160: 31020301 3f000000 00000000 00000000 00000000 00000000 00000000 00000000 ; record 5 lock_release
// HEX-NEXT:  000180: 42000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 ; record 6 barrier
// HEX-NEXT:  0001a0: ff000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 ; record 7 end
// HEX-NEXT:  0001c0: 01000000 00030000 00000000 00000000 00000000 01000000 00000000 00000000 ; patterns
// HEX-NEXT:  0001e0: 00000000 02000000 03000000 00010000 00000000 00000000 00020000 01000000
// HEX:       000240: 00000000 00000000 00040000 00060400 01000000 04000000 08000000 08000000 ; bindings
// LST-LABEL: rcb 1.0 target=aie-ml ddr_size=0x400
// LST:         1 dma_start src=(2,0) src_channel=1 src_offset=0x100 src_pattern=0 dst=(2,3) dst_channel=0 dst_offset=0x400 dst_pattern=1 acquires=[dst.1:1,src.4:2] releases=[dst.0:1] ; 0x0000e0 768 bytes: 768 by 1 -> 3x256 by 512,1
// LST-NEXT:    2 wait tile=(2,0) direction=mm2s channel=1
// LST-NEXT:    3 wait_core tile=(2,3)
// LST-NEXT:    4 lock_acquire tile=(2,3) id=0 value=1
// LST-NEXT:    5 lock_release tile=(2,3) id=1 value=63
// LST-NEXT:    6 barrier
// LST-NEXT:    7 end
// LST:       {{^}}patterns{{$}}
// LST-NEXT:    0 sizes=[768] strides=[1]
// LST-NEXT:    1 sizes=[3,256] strides=[512,1]
// LST:       {{^}}bindings{{$}}
// LST-NEXT:    0 name="x" offset=0x0 size=1024 direction=input dtype=f32 shape=[1,4,8,8]
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    "rcb.io"() {sym_name = "x", direction = "input", address = 0, shape = array<i64: 1, 4, 8, 8>, dtype = "f32"} : () -> ()
    "rcb.configure_tile"() {col = 2, row = 3} : () -> ()
    "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 1, src_address = 256, src_sizes = array<i64: 768>, src_strides = array<i64: 1>,
                       dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 3, 256>, dst_strides = array<i64: 512, 1>,
                       acquires = array<i64: 2, 3, 1, 1, 2, 0, 4, 2>, releases = array<i64: 2, 3, 0, 1>} : () -> ()
    "rcb.wait"() {col = 2, row = 0, direction = "mm2s", channel = 1} : () -> ()
    "rcb.wait_core"() {col = 2, row = 3} : () -> ()
    "rcb.lock_acquire"() {col = 2, row = 3, id = 0, value = 1} : () -> ()
    "rcb.lock_release"() {col = 2, row = 3, id = 1, value = 63} : () -> ()
    "rcb.barrier"() : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

// Weights come from the store with their dtype and shape, the entries in address order; the
// arena (no contents) is not in the image but counts in the DDR size: 192 + 4096 = 0x10c0.
// HEX-LABEL: 000000: 52434201
// HEX:       000100: 00000000 00000000 08000000 00020100 08000000 00000000 00000000 00000000 ; directory
// HEX-NEXT:  000120: 02000000 40000000 10000000 00060200 02000000 02000000 00000000 00000000
// HEX:       0001c0: 00010203 04050607 00000000 00000000 00000000 00000000 00000000 00000000 ; image
// HEX-NEXT:  0001e0: 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
// HEX-NEXT:  000200: 0000803f 00000040 00004040 00008040
// LST-LABEL: rcb 1.0 target=aie-ml ddr_size=0x10c0
// LST:       {{^}}directory{{$}}
// LST-NEXT:    0 name="q" offset=0x0 size=8 dtype=i8 shape=[8]
// LST-NEXT:      | 00010203 04050607
// LST-NEXT:    1 name="conv.weight" offset=0x40 size=16 dtype=f32 shape=[2,2]
// LST-NEXT:      | 0000803f 00000040 00004040 00008040
// LST:       {{^}}bindings{{$}}
// LST-NEXT:    0 name="out" offset=0x80 size=40 direction=output dtype=f32 shape=[1,10]
module attributes {rcbc.weight_store = "emit.rcbw", rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    "rcb.data"() {sym_name = "conv.weight", address = 64, size = 16, contents = "w"} : () -> ()
    "rcb.data"() {sym_name = "q", address = 0, size = 8, contents = "q"} : () -> ()
    "rcb.io"() {sym_name = "out", direction = "output", address = 128, shape = array<i64: 1, 10>, dtype = "f32"} : () -> ()
    "rcb.data"() {sym_name = "arena", address = 192, size = 4096, contents} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

// expected-error @+1 {{rcb-emit-bytecode: expected one 'rcb.program' in the module, found 0; run convert-rhal-to-rcb first}}
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
}

// -----

// Weights need a store. (With weights=, this chunk reads that store.)
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error @+1 {{the program names 1 weights (such as 'w') but the module has no 'rcbc.weight_store' attribute and no weight store was given}}
  "rcb.program"() ({
    "rcb.data"() {sym_name = "w", address = 0, size = 16, contents = "w"} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

module attributes {rcbc.weight_store = "missing.rcbw", rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  // expected-error-re @+1 {{rcb-emit-bytecode: cannot load the weight store: cannot read weight store: {{.*}}missing.rcbw{{.*}}}}
  "rcb.program"() ({
    "rcb.data"() {sym_name = "w", address = 0, size = 16, contents = "w"} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

// A weight must be in the store, of a dtype the image holds, with the entry's size.
module attributes {rcbc.weight_store = "emit.rcbw", rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    // expected-error @+1 {{rcb-emit-bytecode: weight 'conv9.weight' of data entry @c is not in the weight store}}
    "rcb.data"() {sym_name = "c", address = 0, size = 16, contents = "conv9.weight"} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

module attributes {rcbc.weight_store = "emit.rcbw", rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    // expected-error @+1 {{rcb-emit-bytecode: weight 'w' (float32 2x2) has 16 bytes but data entry @w has 64}}
    "rcb.data"() {sym_name = "w", address = 0, size = 64, contents = "w"} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

module attributes {rcbc.weight_store = "emit.rcbw", rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    // expected-error @+1 {{rcb-emit-bytecode: weight 'big' has dtype int64; a data entry holds uint8, int8, int16, int32, float32}}
    "rcb.data"() {sym_name = "big", address = 0, size = 16, contents = "big"} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

// The encoder's rules, reported at the record or declaration that breaks them: a transfer
// past the program's DDR (here 1024 bytes, the input's), a value too wide for its field.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    "rcb.io"() {sym_name = "x", direction = "input", address = 0, shape = array<i64: 256>, dtype = "f32"} : () -> ()
    "rcb.configure_tile"() {col = 2, row = 3} : () -> ()
    // expected-error @+1 {{rcb-emit-bytecode: pattern-out-of-bounds: record 1 (dma_start): src pattern extent 1088 at offset 0x40 exceeds the program's DDR of 1024 bytes}}
    "rcb.dma_start"() {src_col = 2, src_row = 0, src_channel = 0, src_address = 64, src_sizes = array<i64: 1024>, src_strides = array<i64: 1>,
                       dst_col = 2, dst_row = 3, dst_channel = 0, dst_address = 1024, dst_sizes = array<i64: 1024>, dst_strides = array<i64: 1>,
                       acquires = array<i64>, releases = array<i64>} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}

// -----

module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  "rcb.program"() ({
    // expected-error-re @+1 {{rcb-emit-bytecode: field-overflow: {{.*}}4294967296{{.*}}}}
    "rcb.io"() {sym_name = "x", direction = "input", address = 4294967296, shape = array<i64: 256>, dtype = "f32"} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} : () -> ()
}
