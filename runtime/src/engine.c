/*
 * engine.c - the dispatch loop: walks a loaded program's records once, in order, turning each
 * into one RHAL call (docs/rcb-bytecode.md, section 2).
 *
 * The loop has no branches of its own beyond the opcode switch: every decision was taken by the
 * compiler, every field was validated by the loader, and every wait, lock and queue is the RHAL
 * implementation's business. What the engine adds is the one check the loader cannot make
 * without running: that every tile a record uses was claimed by an earlier configure_tile.
 */
#include "rcb/rhal.h"
#include "internal.h"

/* Fill `diag` for a run-time failure of `record`. */
static rcb_status run_error(rcb_diag *diag, rcb_status status, uint32_t record, const char *what)
{
    diag->status = status;
    diag->record = record;
    diag->what = what;
    return status;
}

rcb_status rcb_engine_init(rcb_engine *engine, const rcb_program *prog, const rhal_ops *hal,
                           void *hal_ctx)
{
    if (!engine || !prog || !prog->target || !hal)
        return RCB_ERR_ARGUMENT;
    memset(engine, 0, sizeof *engine);
    engine->prog = prog;
    engine->hal = hal;
    engine->hal_ctx = hal_ctx;
    return RCB_OK;
}

/* Reset `diag` for an operation that may fail at run time. */
static void clear(rcb_diag *diag)
{
    memset(diag, 0, sizeof *diag);
    diag->record = RCB_NO_RECORD;
}

/* Binding `index` of `direction` whose size is `size`, for the I/O calls. */
static rcb_status io_binding(const rcb_engine *engine, uint32_t index, uint8_t direction,
                             uint32_t size, const void *data, rcb_tensor *binding, rcb_diag *diag)
{
    if (!engine || !engine->prog || !data)
        return run_error(diag, RCB_ERR_ARGUMENT, RCB_NO_RECORD, "no engine or no buffer");
    if (rcb_binding(engine->prog, index, binding) != RCB_OK)
        return run_error(diag, RCB_ERR_ARGUMENT, RCB_NO_RECORD, "no binding {v}");
    if (binding->direction != direction)
        return run_error(diag, RCB_ERR_ARGUMENT, RCB_NO_RECORD,
                         direction ? "binding {v} is not an output" : "binding {v} is not an input");
    if (binding->size != size) {
        diag->limit = binding->size;
        return run_error(diag, RCB_ERR_ARGUMENT, RCB_NO_RECORD,
                         "binding {v} holds {l} bytes, not the size given");
    }
    return RCB_OK;
}

/* The DDR of RHAL addresses: row 0 (any column). */
static const rcb_tile DDR = {0, 0};

rcb_status rcb_set_input(rcb_engine *engine, uint32_t index, const void *data, uint32_t size,
                         rcb_diag *diag)
{
    rcb_tensor b;
    clear(diag);
    diag->value = index;
    rcb_status st = io_binding(engine, index, 0, size, data, &b, diag);
    if (st == RCB_OK)
        st = engine->hal->write(engine->hal_ctx, RCB_NO_RECORD, DDR, b.offset, data, size);
    return st == RCB_OK ? st : run_error(diag, st, RCB_NO_RECORD, diag->what);
}

rcb_status rcb_get_output(rcb_engine *engine, uint32_t index, void *data, uint32_t size,
                          rcb_diag *diag)
{
    rcb_tensor b;
    clear(diag);
    diag->value = index;
    rcb_status st = io_binding(engine, index, 1, size, data, &b, diag);
    if (st == RCB_OK)
        st = engine->hal->read(engine->hal_ctx, DDR, b.offset, data, size);
    return st == RCB_OK ? st : run_error(diag, st, RCB_NO_RECORD, diag->what);
}

/* Bit of tile (col, row) in the claimed-tile set. */
static uint32_t tile_bit(const rcb_program *prog, const uint8_t *tile)
{
    return (uint32_t)tile[0] * prog->target->rows + tile[1];
}

/* Whether the tile at `tile` is usable: DDR (row 0) or claimed. */
static int claimed(const rcb_engine *e, const uint8_t *tile)
{
    uint32_t bit = tile_bit(e->prog, tile);
    return tile[1] == 0 || (e->claimed[bit / 8] >> (bit % 8) & 1u);
}

/*
 * Every record that touches a tile memory (write_params, dma_start endpoints off row 0, launch)
 * must come after a configure_tile of that tile: checked for the whole program before anything
 * runs, so a program that breaks it has no effect at all.
 */
static rcb_status check_claims(rcb_engine *e, rcb_diag *diag)
{
    const rcb_program *prog = e->prog;
    memset(e->claimed, 0, sizeof e->claimed);
    for (uint32_t i = 0; i < prog->records; i++) {
        const uint8_t *r = prog->code + RECORD_SIZE * i;
        const uint8_t *bad = NULL;
        switch (r[0]) {
        case RCB_OP_CONFIGURE_TILE: {
            uint32_t bit = tile_bit(prog, r + 1);
            e->claimed[bit / 8] |= (uint8_t)(1u << (bit % 8));
            break;
        }
        case RCB_OP_WRITE_PARAMS:
        case RCB_OP_LAUNCH:
            bad = claimed(e, r + 1) ? NULL : r + 1;
            break;
        case RCB_OP_DMA_START:
            bad = !claimed(e, r + 1) ? r + 1 : !claimed(e, r + 4) ? r + 4 : NULL;
            break;
        default:
            break;
        }
        if (bad) {
            diag->tile[0] = bad[0];
            diag->tile[1] = bad[1];
            diag->owner = RCB_OWNER_RECORD;
            diag->index = i;
            diag->opcode = r[0];
            return run_error(diag, RCB_ERR_UNCONFIGURED, i,
                             "uses tile {t}, which no configure_tile claimed");
        }
    }
    return RCB_OK;
}

/* Decode `count` lock slots of `width` bytes at `slots` into `uses`; returns how many are used.
 * Sided (3-byte) slots name `src` or `dst` by their side byte. */
static uint8_t read_locks(const uint8_t *slots, unsigned count, unsigned width, rcb_tile src,
                          rcb_tile dst, rhal_lock_use *uses)
{
    uint8_t n = 0;
    for (unsigned j = 0; j < count; j++, slots += width) {
        if (!slots[width - 1])
            break;
        uses[n].tile = (width == 3 && slots[0]) ? dst : src;
        uses[n].id = slots[width - 2];
        uses[n].value = slots[width - 1];
        n++;
    }
    return n;
}

/* Dispatch record `i` (opcode at r[0]) to RHAL. */
static rcb_status dispatch(rcb_engine *e, uint32_t i, const uint8_t *r)
{
    const rhal_ops *hal = e->hal;
    void *ctx = e->hal_ctx;
    const rcb_program *prog = e->prog;
    rcb_tile tile = {r[1], r[2]};
    switch (r[0]) {
    case RCB_OP_CONFIGURE_TILE:
        return hal->configure_tile(ctx, i, tile);
    case RCB_OP_WRITE_PARAMS: {
        rcb_tensor entry;
        rcb_entry(prog, rd32(r + 8), &entry);
        return hal->write(ctx, i, tile, rd32(r + 4), entry.data, entry.size);
    }
    case RCB_OP_DMA_START: {
        rhal_dma dma;
        dma.record = i;
        dma.src = tile;
        dma.src_channel = r[3];
        dma.dst.col = r[4];
        dma.dst.row = r[5];
        dma.dst_channel = r[6];
        dma.src_offset = rd32(r + 8);
        dma.dst_offset = rd32(r + 12);
        read_pattern(prog->patterns + PATTERN_SIZE * rd16(r + 16), &dma.src_pattern);
        read_pattern(prog->patterns + PATTERN_SIZE * rd16(r + 18), &dma.dst_pattern);
        dma.acquire_count = read_locks(r + 20, 2, 3, dma.src, dma.dst, dma.acquires);
        dma.release_count = read_locks(r + 26, 2, 3, dma.src, dma.dst, dma.releases);
        return hal->dma_start(ctx, &dma);
    }
    case RCB_OP_LAUNCH: {
        rhal_launch launch;
        launch.record = i;
        launch.tile = tile;
        launch.kernel = (uint16_t)rd16(r + 4);
        launch.params = rd32(r + 8);
        launch.acquire_count = read_locks(r + 12, 4, 2, tile, tile, launch.acquires);
        launch.release_count = read_locks(r + 20, 4, 2, tile, tile, launch.releases);
        return hal->kernel_launch(ctx, &launch);
    }
    case RCB_OP_LOCK_ACQUIRE:
        return hal->lock_acquire(ctx, i, tile, r[3], r[4]);
    case RCB_OP_LOCK_RELEASE:
        return hal->lock_release(ctx, i, tile, r[3], r[4]);
    case RCB_OP_WAIT:
        return hal->dma_wait(ctx, i, tile, r[3], r[4]);
    case RCB_OP_WAIT_CORE:
        return hal->kernel_wait(ctx, i, tile);
    default: /* barrier, end: the run is over once every task has completed */
        return hal->barrier(ctx, i);
    }
}

rcb_status rcb_run(rcb_engine *engine, rcb_diag *diag)
{
    if (!diag)
        return RCB_ERR_ARGUMENT;
    clear(diag);
    if (!engine || !engine->prog || !engine->hal)
        return run_error(diag, RCB_ERR_ARGUMENT, RCB_NO_RECORD, "no engine");
    const rcb_program *prog = engine->prog;
    const rhal_ops *hal = engine->hal;
    rcb_status st = check_claims(engine, diag);
    if (st != RCB_OK)
        return st;
    /* The data image's entries, each at its offset in DDR (the gaps stay undefined). */
    for (uint32_t k = 0; k < prog->entry_count; k++) {
        rcb_tensor entry;
        rcb_entry(prog, k, &entry);
        st = hal->write(engine->hal_ctx, RCB_NO_RECORD, DDR, entry.offset, entry.data, entry.size);
        if (st != RCB_OK)
            return run_error(diag, st, RCB_NO_RECORD, "loading the data image failed");
    }
    engine->start_time = hal->timestamp(engine->hal_ctx);
    for (engine->pc = 0; engine->pc < prog->records; engine->pc++) {
        uint32_t i = engine->pc;
        const uint8_t *r = prog->code + RECORD_SIZE * i;
        st = dispatch(engine, i, r);
        if (st != RCB_OK) {
            diag->owner = RCB_OWNER_RECORD;
            diag->index = i;
            diag->opcode = r[0];
            return run_error(diag, st, i, rcb_status_name(st));
        }
    }
    engine->end_time = hal->timestamp(engine->hal_ctx);
    return RCB_OK;
}
