/*
 * rcb-bench - measured host figures of the engine (bench/engine_bench.py drives it).
 *
 *   rcb-bench PROGRAM.rcb [--runs N] [--dispatch-runs N]
 *
 * prints, as "key: value" lines:
 *   load_us            validation of the file (rcb_load), mean of the dispatch runs
 *   dispatch_ns        engine dispatch overhead per record: rcb_run over a null RHAL whose
 *                      operations only count calls, so no kernel, DMA or simulation work
 *   e2e_mean_ms, e2e_stdev_ms, e2e_cv_percent
 *                      end-to-end wall time of N runs on the host backend (reset, inputs,
 *                      run, outputs), and its coefficient of variation
 *   modeled_cycles     the simulated cycle count of one run (modeled, not measured)
 * Inputs are deterministic pseudo-random values in [-1, 1).
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rcb/host.h"

/* Seconds on a monotonic clock. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- a null RHAL: every operation counts its call in *ctx and succeeds at once ------------- */

static rcb_status null_configure(void *ctx, uint32_t record, rcb_tile tile)
{
    (void)record, (void)tile;
    ++*(unsigned long *)ctx;
    return RCB_OK;
}
static rcb_status null_write(void *ctx, uint32_t record, rcb_tile tile, uint32_t offset,
                             const uint8_t *data, uint32_t size)
{
    (void)record, (void)tile, (void)offset, (void)data, (void)size;
    ++*(unsigned long *)ctx;
    return RCB_OK;
}
static rcb_status null_read(void *ctx, rcb_tile tile, uint32_t offset, uint8_t *data,
                            uint32_t size)
{
    (void)tile, (void)offset, (void)data, (void)size;
    ++*(unsigned long *)ctx;
    return RCB_OK;
}
static rcb_status null_dma(void *ctx, const rhal_dma *dma)
{
    (void)dma;
    ++*(unsigned long *)ctx;
    return RCB_OK;
}
static rcb_status null_dma_wait(void *ctx, uint32_t record, rcb_tile tile, uint8_t direction,
                                uint8_t channel)
{
    (void)record, (void)tile, (void)direction, (void)channel;
    ++*(unsigned long *)ctx;
    return RCB_OK;
}
static rcb_status null_lock(void *ctx, uint32_t record, rcb_tile tile, uint8_t id, uint8_t value)
{
    (void)record, (void)tile, (void)id, (void)value;
    ++*(unsigned long *)ctx;
    return RCB_OK;
}
static rcb_status null_launch(void *ctx, const rhal_launch *launch)
{
    (void)launch;
    ++*(unsigned long *)ctx;
    return RCB_OK;
}
static rcb_status null_core_wait(void *ctx, uint32_t record, rcb_tile tile)
{
    (void)record, (void)tile;
    ++*(unsigned long *)ctx;
    return RCB_OK;
}
static rcb_status null_barrier(void *ctx, uint32_t record)
{
    (void)record;
    ++*(unsigned long *)ctx;
    return RCB_OK;
}
static uint64_t null_timestamp(void *ctx) { return *(unsigned long *)ctx; }

static const rhal_ops NULL_RHAL = {null_configure, null_write,  null_read,     null_dma,
                                   null_dma_wait,  null_lock,   null_lock,     null_launch,
                                   null_core_wait, null_barrier, null_timestamp};

/* ---- helpers ------------------------------------------------------------------------------ */

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf && (n += fread(buf + n, 1, cap - n, f)) == cap) {
        uint8_t *grown = realloc(buf, cap *= 2);
        if (!grown)
            free(buf);
        buf = grown;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Set every input binding to deterministic values; returns 0 on success. */
static int set_inputs(rcb_engine *engine, const rcb_program *prog, uint8_t *scratch)
{
    uint32_t state = 12345;
    for (uint32_t i = 0; i < prog->binding_count; i++) {
        rcb_tensor b;
        rcb_diag diag;
        rcb_binding(prog, i, &b);
        if (b.direction != 0)
            continue;
        for (uint32_t k = 0; k + 4 <= b.size; k += 4) {
            state = state * 1103515245u + 12345u;
            float v = b.dtype == RCB_F32 ? (float)(state >> 8) / 8388608.0f - 1.0f : 0.0f;
            memcpy(scratch + k, &v, sizeof v);
        }
        if (rcb_set_input(engine, i, scratch, b.size, &diag) != RCB_OK)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int runs = 100, dispatch_runs = 2000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--dispatch-runs") && i + 1 < argc)
            dispatch_runs = atoi(argv[++i]);
        else
            path = argv[i];
    }
    if (!path || runs < 2 || dispatch_runs < 1) {
        fputs("usage: rcb-bench PROGRAM.rcb [--runs N>=2] [--dispatch-runs N]\n", stderr);
        return 2;
    }
    size_t len;
    uint8_t *file = read_file(path, &len);
    rcb_program prog;
    rcb_diag diag;
    if (!file || rcb_load(&prog, file, len, &diag) != RCB_OK) {
        fprintf(stderr, "rcb-bench: %s: cannot load\n", path);
        free(file);
        return 1;
    }

    /* Validation and dispatch: the engine alone. */
    unsigned long calls = 0;
    rcb_engine engine;
    double t0 = now();
    for (int i = 0; i < dispatch_runs; i++)
        rcb_load(&prog, file, len, &diag);
    double load = (now() - t0) / dispatch_runs;
    rcb_engine_init(&engine, &prog, &NULL_RHAL, &calls);
    t0 = now();
    for (int i = 0; i < dispatch_runs; i++)
        rcb_run(&engine, &diag);
    double dispatch = (now() - t0) / dispatch_runs;

    /* End to end on the host backend. */
    rhal_host *host;
    uint8_t *scratch = NULL;
    size_t largest = 1;
    for (uint32_t i = 0; i < prog.binding_count; i++) {
        rcb_tensor b;
        rcb_binding(&prog, i, &b);
        largest = b.size > largest ? b.size : largest;
    }
    scratch = calloc(1, largest);
    if (!scratch || rhal_host_create(&host, &prog, NULL) != RCB_OK) {
        fprintf(stderr, "rcb-bench: cannot create the host backend\n");
        return 1;
    }
    rcb_engine_init(&engine, &prog, &rhal_host_ops, host);
    double *times = malloc(sizeof *times * (size_t)runs);
    for (int r = 0; r < runs && times; r++) {
        t0 = now();
        rhal_host_reset(host);
        if (set_inputs(&engine, &prog, scratch) || rcb_run(&engine, &diag) != RCB_OK) {
            fprintf(stderr, "rcb-bench: run failed: %s\n", rhal_host_message(host));
            return 1;
        }
        for (uint32_t i = 0; i < prog.binding_count; i++) {
            rcb_tensor b;
            rcb_binding(&prog, i, &b);
            if (b.direction == 1)
                rcb_get_output(&engine, i, scratch, b.size, &diag);
        }
        times[r] = now() - t0;
    }
    double mean = 0, var = 0;
    for (int r = 0; r < runs; r++)
        mean += times[r] / runs;
    for (int r = 0; r < runs; r++)
        var += (times[r] - mean) * (times[r] - mean) / (runs - 1);
    rhal_host_stats stats;
    rhal_host_get_stats(host, &stats);
    printf("records: %u\n", (unsigned)prog.records);
    printf("load_us: %.3f\n", load * 1e6);
    printf("dispatch_ns: %.2f\n", dispatch * 1e9 / prog.records);
    printf("e2e_runs: %d\n", runs);
    printf("e2e_mean_ms: %.4f\n", mean * 1e3);
    printf("e2e_stdev_ms: %.4f\n", sqrt(var) * 1e3);
    printf("e2e_cv_percent: %.3f\n", 100.0 * sqrt(var) / mean);
    printf("modeled_cycles: %.1f\n", stats.cycles);
    free(times);
    free(scratch);
    rhal_host_destroy(host);
    free(file);
    return 0;
}
