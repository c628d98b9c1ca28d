/*
 * host.h - the host RHAL backend: a deterministic simulation of a tile array on the build
 * machine, with the semantics of the Python reference executor (python/rcbc/runtime).
 *
 * DDR, every memory tile and every compute tile is a byte array with the target's capacity and
 * a bitmap of the bytes written so far; DMA tasks move exactly their patterns; kernels
 * (the C reference kernels of docs/kernels.md) read and write their tile's memory through the
 * regions their parameter blocks name. Queues per DMA channel and core, buffer-descriptor
 * capacity per tile, counting-semaphore locks and the timing model of
 * python/rcbc/runtime/timing.py drive a discrete-event schedule identical to machine.py's, so a
 * run ends with the same modeled cycle count.
 *
 * A program that reads a byte nothing wrote (outputs included: rcb_get_output of a byte no
 * task wrote fails), accesses a byte outside a memory, overflows a lock or deadlocks fails with a status and a message naming the record, as the Python executor
 * does. Unlike it, the host backend does not detect data races (vector clocks): that stays the
 * Python executor's job, and a racy program may run here to an answer.
 *
 *     rhal_host *host;
 *     rhal_host_create(&host, &prog, NULL);
 *     rcb_engine_init(&engine, &prog, &rhal_host_ops, host);
 *     ... rcb_set_input / rcb_run / rcb_get_output; on failure print rhal_host_message(host) ...
 *     rhal_host_destroy(host);
 */
#ifndef RCB_HOST_H
#define RCB_HOST_H

#include "rcb/rhal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Kernels a core holds outstanding, the running one included (spec section 2, "Capacity"). */
#define RHAL_HOST_CORE_QUEUE 8u

/* Limits that keep a hostile program from exhausting the host (0: no limit), and the depth of
 * the core queues (0: RHAL_HOST_CORE_QUEUE). */
typedef struct rhal_host_config {
    uint64_t memory_limit; /* bytes of simulated memory (DDR, tile memories and their bitmaps) */
    uint64_t work_limit;   /* bytes moved by DMA plus kernel multiply-accumulates per run */
    uint32_t core_queue;   /* kernels outstanding per core, at most 255 */
} rhal_host_config;

/* What a run did, for reports. `cycles` is modeled, never measured. */
typedef struct rhal_host_stats {
    double cycles;          /* modeled cycles at the end of the run */
    double seconds;         /* cycles at the target's clock */
    uint64_t bytes_ddr;     /* bytes moved by DMAs with a DDR endpoint */
    uint64_t bytes_memtile; /* ... with a memory-tile endpoint and no DDR one */
    uint64_t bytes_tile;    /* ... between compute tiles */
    uint64_t dma_tasks, kernel_tasks;
    uint64_t macs;          /* multiply-accumulates the kernels did (as the timing model counts) */
} rhal_host_stats;

typedef struct rhal_host rhal_host;

/* The RHAL operations of the host backend; their `ctx` is a rhal_host. */
extern const rhal_ops rhal_host_ops;

/*
 * Create a simulator for `prog` (a loaded program, which must outlive it) with `config` (NULL:
 * no limits). The program fixes the target, the DDR size, the order in which queues are
 * scanned and the DDR channels that share bandwidth, exactly as the Python executor derives
 * them. Returns RCB_ERR_LIMIT when memory cannot be had.
 */
rcb_status rhal_host_create(rhal_host **out, const rcb_program *prog,
                            const rhal_host_config *config);

/* Free everything the simulator holds. */
void rhal_host_destroy(rhal_host *host);

/* Start a new run: every memory undefined, every lock 0, no task, time 0. */
void rhal_host_reset(rhal_host *host);

/* The last failure in words ("deadlock: ...", "record 5 reads bytes [8,16) of ..."), or "". */
const char *rhal_host_message(const rhal_host *host);

/* Figures of the current run. */
void rhal_host_get_stats(const rhal_host *host, rhal_host_stats *stats);

#ifdef __cplusplus
}
#endif
#endif /* RCB_HOST_H */
