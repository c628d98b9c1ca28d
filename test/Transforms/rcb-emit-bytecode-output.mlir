// RUN: rm -rf %t && mkdir -p %t && %PYTHON %S/Inputs/emit_weight_store.py %t/emit.rcbw
// RUN: cp %t/emit.rcbw %t/other.rcbw
// RUN: rcbc-opt %s --rcb-emit-bytecode='output=%t/prog.rcb weights=%t/other.rcbw' | FileCheck %s --check-prefix=IR
// RUN: rcbc disasm %t/prog.rcb | FileCheck %s --check-prefix=FILE
// The store named by the module is found relative to store-dir, by default the current directory.
// RUN: cd %t && rcbc-opt %s --rcb-emit-bytecode=output=%t/cwd.rcb -o /dev/null && cmp %t/prog.rcb %t/cwd.rcb
// RUN: not rcbc-opt %s --rcb-emit-bytecode='output=%t/no/such/dir/prog.rcb store-dir=%t' 2>&1 | FileCheck %s --check-prefix=WRITE

// With output=, the file is written, nothing is printed, and the module is left unchanged.
// IR-NOT:   rcb 1.0
// IR:       module attributes {rcbc.weight_store = "emit.rcbw"
// IR-NEXT:    "rcb.program"
// IR-NEXT:      "rcb.data"() {address = 0 : i64, contents = "w", size = 16 : i64, sym_name = "conv.weight"}

// FILE:      rcb 1.0 target=npu1 ddr_size=0x50
// FILE:        0 configure_tile tile=(1,2)
// FILE-NEXT:   1 end
// FILE:        0 name="conv.weight" offset=0x0 size=16 dtype=f32 shape=[2,2]
// FILE-NEXT:     | 0000803f 00000040 00004040 00008040
// FILE:        0 name="y" offset=0x40 size=16 direction=output dtype=f32 shape=[4]

// WRITE: error: rcb-emit-bytecode: cannot write {{.*}}prog.rcb: No such file or directory
module attributes {rcbc.weight_store = "emit.rcbw", rhal.target = #rhal.target<"npu1", 4, 6, 1, 65536, 524288, 16>} {
  "rcb.program"() ({
    "rcb.data"() {sym_name = "conv.weight", address = 0, size = 16, contents = "w"} : () -> ()
    "rcb.io"() {sym_name = "y", direction = "output", address = 64, shape = array<i64: 4>, dtype = "f32"} : () -> ()
    "rcb.configure_tile"() {col = 1, row = 2} : () -> ()
    "rcb.end"() : () -> ()
  }) {target = #rhal.target<"npu1", 4, 6, 1, 65536, 524288, 16>} : () -> ()
}
