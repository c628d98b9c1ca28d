/*
 * kernel_shim.c - the C reference kernels as a shared library for Python's ctypes, so that a
 * test can run one launch on the same bytes in numpy and in C and compare the results bit for
 * bit (test/unit/test_int8_kernels.py).
 */
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

int rcb_shim_kernel(uint8_t *data, uint32_t size, uint16_t kernel, uint32_t params, char *msg,
                    size_t cap);

/* Run kernel `kernel` with its parameter block at `params` on the `size` bytes at `data`, all
 * of them taken as written. Returns an rcb_status; a failure is described in `msg`. */
int rcb_shim_kernel(uint8_t *data, uint32_t size, uint16_t kernel, uint32_t params, char *msg,
                    size_t cap)
{
    hmem mem = {data, malloc(size / 8 + 1), size, "tile"};
    float *scratch = malloc(size / 4 * sizeof *scratch + 4);
    rcb_status st = RCB_ERR_KERNEL;
    msg[0] = '\0';
    if (mem.defined && scratch) {
        memset(mem.defined, 0xff, size / 8 + 1);
        kernel_run k = {&mem, 0, {0, 0}, kernel, params, scratch, UINT64_MAX, 0.0, msg, cap};
        st = host_kernel_run(&k);
    }
    free(mem.defined);
    free(scratch);
    return (int)st;
}
