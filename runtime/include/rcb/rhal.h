/*
 * rhal.h - the Runtime Hardware Abstraction Layer: everything the RCB engine asks of hardware.
 *
 * A port to a device implements these function pointers and nothing else; the engine never
 * touches a register. Each operation is one RHAL primitive of the bytecode spec
 * (docs/rcb-bytecode.md, sections 1-3):
 *
 *   configure_tile  claim a tile: its locks become 0, its memory undefined
 *   write           the controller's memory-mapped write into a tile memory or DDR
 *   read            the controller's read of DDR (outputs)
 *   dma_start       queue a transfer on a source mm2s and a destination s2mm channel
 *   dma_wait        block until every transfer queued on one channel so far has completed
 *   lock_acquire    block until lock >= value, then subtract value
 *   lock_release    add value (above the lock's maximum: RCB_ERR_LOCK)
 *   kernel_launch   queue a kernel on a core
 *   kernel_wait     block until every kernel queued on a core so far has completed
 *   barrier         block until every queued task has completed (also ends a run)
 *   timestamp       a monotonic cycle count, for the engine's statistics
 *
 * dma_start and kernel_launch do not wait for the task; they block only while the tile's
 * buffer descriptors (or the core's launch ring of 8 kernels, spec section 2) are all in
 * use. Tasks start in queue order once their acquires can all be taken; a task's writes become
 * visible, then its releases apply, when it completes (section 2).
 *
 * Memories are addressed as (tile, offset): row 0 means the program's DDR (any interface
 * column reaches the same DDR; offsets are from the DDR base the port chose), other rows the
 * tile's own data memory. The engine passes only values the loader validated: tiles inside the
 * array, channels and lock ids in range, patterns inside their memories. A port still returns
 * a status for anything its hardware refuses; it never aborts.
 *
 * `record` arguments carry the index of the record being executed (RCB_NO_RECORD for the
 * loader's writes of the data image and of inputs), for diagnostics and tracing only.
 */
#ifndef RCB_RHAL_H
#define RCB_RHAL_H

#include "rcb/rcb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One lock use of a task: a lock of `tile` and the value acquired or released. */
typedef struct rhal_lock_use {
    rcb_tile tile;
    uint8_t id;
    uint8_t value;
} rhal_lock_use;

/* A DMA transfer (a dma_start record with its patterns and lock sides resolved). */
typedef struct rhal_dma {
    uint32_t record;
    rcb_tile src, dst;
    uint8_t src_channel, dst_channel;
    uint32_t src_offset, dst_offset;
    rcb_pattern src_pattern, dst_pattern; /* both move the same number of bytes */
    uint8_t acquire_count, release_count;
    rhal_lock_use acquires[2], releases[2];
} rhal_dma;

/* A kernel launch (a launch record). */
typedef struct rhal_launch {
    uint32_t record;
    rcb_tile tile;
    uint16_t kernel;  /* a kernel library id (docs/kernels.md) */
    uint32_t params;  /* tile-memory offset of its parameter block */
    uint8_t acquire_count, release_count;
    rhal_lock_use acquires[4], releases[4]; /* all on `tile` */
} rhal_launch;

/* Direction codes of dma_wait (as in wait records). */
enum { RHAL_S2MM = 0, RHAL_MM2S = 1 };

/* The operations a port implements; `ctx` is the port's own state, passed back unchanged. */
typedef struct rhal_ops {
    rcb_status (*configure_tile)(void *ctx, uint32_t record, rcb_tile tile);
    rcb_status (*write)(void *ctx, uint32_t record, rcb_tile tile, uint32_t offset,
                        const uint8_t *data, uint32_t size);
    rcb_status (*read)(void *ctx, rcb_tile tile, uint32_t offset, uint8_t *data, uint32_t size);
    rcb_status (*dma_start)(void *ctx, const rhal_dma *dma);
    rcb_status (*dma_wait)(void *ctx, uint32_t record, rcb_tile tile, uint8_t direction,
                           uint8_t channel);
    rcb_status (*lock_acquire)(void *ctx, uint32_t record, rcb_tile tile, uint8_t id,
                               uint8_t value);
    rcb_status (*lock_release)(void *ctx, uint32_t record, rcb_tile tile, uint8_t id,
                               uint8_t value);
    rcb_status (*kernel_launch)(void *ctx, const rhal_launch *launch);
    rcb_status (*kernel_wait)(void *ctx, uint32_t record, rcb_tile tile);
    rcb_status (*barrier)(void *ctx, uint32_t record);
    uint64_t (*timestamp)(void *ctx);
} rhal_ops;

#ifdef __cplusplus
}
#endif
#endif /* RCB_RHAL_H */
