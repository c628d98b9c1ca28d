/*
 * host_internal.h - what the host simulator (sim.c) and the reference kernels (kernels.c)
 * share: memories with a written-bytes bitmap, and the kernel entry point.
 */
#ifndef RCB_HOST_INTERNAL_H
#define RCB_HOST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rcb/host.h"

/* A simulated memory: `size` bytes and one bit per byte, set once the byte was written. */
typedef struct hmem {
    uint8_t *data;
    uint8_t *defined;
    uint32_t size;
    char name[24]; /* "DDR", "tile (2,3)" */
} hmem;

/*
 * Whether [start, stop) lies inside `m` and was written; on failure writes the message the
 * Python executor gives (memory.py) into msg and returns RCB_ERR_BOUNDS or RCB_ERR_UNDEFINED.
 * Reads check `defined`, writes only the bounds (is_read 0).
 */
rcb_status hmem_check(const hmem *m, int64_t start, uint64_t size, int is_read, uint32_t record,
                      char *msg, size_t cap);

/* Mark [start, stop) of `m` written (the range must be inside). */
void hmem_mark(hmem *m, uint64_t start, uint64_t stop);

/* One launch on a compute tile's memory. */
typedef struct kernel_run {
    hmem *mem;
    uint32_t record;
    rcb_tile tile;
    uint16_t kernel;
    uint32_t params;    /* offset of the parameter block */
    float *scratch;     /* room for the output block: mem->size / 4 floats */
    uint64_t work_left; /* multiply-accumulates allowed (UINT64_MAX: no limit) */
    double macs;        /* out: the launch's MACs as the timing model counts them */
    char *msg;          /* out: the failure in words */
    size_t cap;
} kernel_run;

/* Run one launch with the C reference kernels: the parameter block must be written, every
 * region it names inside the memory and written before it is read. */
rcb_status host_kernel_run(kernel_run *k);

#endif /* RCB_HOST_INTERNAL_H */
