// A scheduled global average pooling of a 1x16x8x8 input on one compute tile, as the
// rhal passes leave it: input into the tile, the kernel, the result back to DDR.
module attributes {rhal.target = #rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>} {
  func.func @main() {
    %shim = "rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref
    %core = "rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref
    %x = "rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 64, rcbc.shape = array<i64: 1, 16, 8, 8>, rcbc.dtype = "f32"} : () -> !rhal.buffer_ref
    %y = "rhal.ddr_buffer"() {sym_name = "y", role = "output", size = 64, address = 4160, rcbc.shape = array<i64: 1, 16, 1, 1>, rcbc.dtype = "f32"} : () -> !rhal.buffer_ref
    %a = "rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %b = "rhal.buffer"(%core) {sym_name = "b", size = 64, address = 5120} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %p = "rhal.buffer"(%core) {sym_name = "p", size = 24, address = 5184} : (!rhal.tile_ref) -> !rhal.buffer_ref
    %full = "rhal.lock"(%core) {id = 0, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
    %done = "rhal.lock"(%core) {id = 1, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref
    "rhal.dma"(%x, %a, %shim, %core, %full) {
        acquire_values = array<i64>, release_values = array<i64: 1>,
        src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>,
        dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 4096>, array<i64: 1>>,
        operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1>}
        : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref) -> ()
    "rhal.kernel"(%core, %p, %a, %b, %full, %done) {
        kernel = "global_avgpool", bindings = ["params", "in_addr", "out_addr"],
        params = array<i32: 0, 1024, 16, 8, 8, 5120>,
        acquire_values = array<i64: 1>, release_values = array<i64: 1>,
        operandSegmentSizes = array<i32: 1, 3, 1, 1>}
        : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.lock_ref, !rhal.lock_ref) -> ()
    "rhal.dma"(%b, %y, %core, %shim, %done) {
        acquire_values = array<i64: 1>, release_values = array<i64>,
        src_channel = 0, src_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>,
        dst_channel = 0, dst_pattern = #rhal.pattern<0, array<i64: 64>, array<i64: 1>>,
        operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0>}
        : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref, !rhal.lock_ref) -> ()
    func.return
  }
}
