/*
 * test_host.c - the host backend runs the corpus programs to the Python executor's outputs and
 * modeled cycles, and reports deadlocks, undefined reads, lock overflows and limits with the
 * executor's messages.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rcb/host.h"
#include "test.h"

/* A program of the corpus, loaded and bound to a fresh simulator. */
typedef struct run {
    uint8_t *file;
    size_t size;
    rcb_program prog;
    rhal_host *host;
    rcb_engine engine;
    rcb_diag diag;
} run;

/* Load `name`, first setting `count` bytes from `at` to `value` when count > 0. */
static int open_run(run *r, const char *name, long at, uint8_t value, size_t count,
                    const rhal_host_config *cfg)
{
    memset(r, 0, sizeof *r);
    r->file = corpus_file(name, &r->size);
    if (count) {
        memset(r->file + at, value, count);
        fix_crc(r->file, r->size);
    }
    if (rcb_load(&r->prog, r->file, r->size, &r->diag) != RCB_OK ||
        rhal_host_create(&r->host, &r->prog, cfg) != RCB_OK)
        return -1;
    return rcb_engine_init(&r->engine, &r->prog, &rhal_host_ops, r->host);
}

static void close_run(run *r)
{
    rhal_host_destroy(r->host);
    free(r->file);
}

/* all-records: DDR -> memory tile -> compute tile, global average pooling, back to DDR. */
static void global_avgpool_through_a_memory_tile(void)
{
    run r;
    CHECK_EQ(open_run(&r, "valid/all-records.rcb", 0, 0, 0, NULL), RCB_OK);
    for (int pass = 0; pass < 2; pass++) { /* a reset gives the identical run */
        rhal_host_reset(r.host);
        float x[64], y[4];
        for (int i = 0; i < 64; i++)
            x[i] = (float)i;
        CHECK_EQ(rcb_set_input(&r.engine, 0, x, sizeof x, &r.diag), RCB_OK);
        CHECK_EQ(rcb_run(&r.engine, &r.diag), RCB_OK);
        CHECK_EQ(rcb_get_output(&r.engine, 1, y, sizeof y, &r.diag), RCB_OK);
        CHECK(y[0] == 7.5f && y[1] == 23.5f && y[2] == 39.5f && y[3] == 55.5f);
        rhal_host_stats s;
        rhal_host_get_stats(r.host, &s);
        /* The Python executor's figure for this program: 819.6190476190476 cycles. */
        CHECK(fabs(s.cycles - 819.6190476190476) < 1e-9);
        CHECK_EQ(s.bytes_ddr, 256 + 16);
        CHECK_EQ(s.bytes_memtile, 256);
        CHECK_EQ(s.kernel_tasks, 1);
    }
    close_run(&r);
}

static void other_programs_match_the_executor_cycles(void)
{
    run r;
    CHECK_EQ(open_run(&r, "valid/aie-binary-locks.rcb", 0, 0, 0, NULL), RCB_OK);
    int8_t x[64] = {0};
    CHECK_EQ(rcb_set_input(&r.engine, 0, x, sizeof x, &r.diag), RCB_OK);
    CHECK_EQ(rcb_run(&r.engine, &r.diag), RCB_OK);
    rhal_host_stats s;
    rhal_host_get_stats(r.host, &s);
    CHECK(s.cycles == 176.0);
    close_run(&r);
    CHECK_EQ(open_run(&r, "valid/minimal.rcb", 0, 0, 0, NULL), RCB_OK);
    CHECK_EQ(rcb_run(&r.engine, &r.diag), RCB_OK);
    rhal_host_get_stats(r.host, &s);
    CHECK(s.cycles == 0.0);
    close_run(&r);
}

static void a_missing_input_is_an_undefined_read(void)
{
    run r;
    CHECK_EQ(open_run(&r, "valid/all-records.rcb", 0, 0, 0, NULL), RCB_OK);
    CHECK_EQ(rcb_run(&r.engine, &r.diag), RCB_ERR_UNDEFINED);
    CHECK(contains(rhal_host_message(r.host),
                   "record 4 reads bytes [256,512) of DDR, which nothing wrote before"));
    close_run(&r);
}

static void an_output_nothing_wrote_is_an_undefined_read(void)
{
    run r;
    /* record 7, the DMA of the result to DDR, becomes a barrier */
    memset(&r, 0, sizeof r);
    r.file = corpus_file("valid/all-records.rcb", &r.size);
    memset(r.file + 0xC0 + 7 * 32, 0, 32);
    r.file[0xC0 + 7 * 32] = RCB_OP_BARRIER;
    fix_crc(r.file, r.size);
    CHECK_EQ(rcb_load(&r.prog, r.file, r.size, &r.diag), RCB_OK);
    CHECK_EQ(rhal_host_create(&r.host, &r.prog, NULL), RCB_OK);
    rcb_engine_init(&r.engine, &r.prog, &rhal_host_ops, r.host);
    float x[64] = {0}, y[4];
    rcb_set_input(&r.engine, 0, x, sizeof x, &r.diag);
    CHECK_EQ(rcb_run(&r.engine, &r.diag), RCB_OK);
    CHECK_EQ(rcb_get_output(&r.engine, 1, y, sizeof y, &r.diag), RCB_ERR_UNDEFINED);
    CHECK(contains(rhal_host_message(r.host),
                   "record 14 reads bytes [512,528) of DDR, which nothing wrote before"));
    close_run(&r);
}

static void a_dropped_release_is_a_deadlock(void)
{
    run r;
    /* record 4's release slot (dst.0:1, bytes 26..28 of the record) becomes unused */
    CHECK_EQ(open_run(&r, "valid/all-records.rcb", 0xC0 + 4 * 32 + 26, 0, 3, NULL), RCB_OK);
    float x[64] = {0};
    rcb_set_input(&r.engine, 0, x, sizeof x, &r.diag);
    CHECK_EQ(rcb_run(&r.engine, &r.diag), RCB_ERR_DEADLOCK);
    CHECK_EQ(r.diag.record, 8);
    const char *m = rhal_host_message(r.host);
    CHECK(contains(m, "deadlock: nothing is running and nothing can start\n"));
    CHECK(contains(m, "  the controller waits at record 8 for s2mm 0 of (2,0)"));
    CHECK(contains(m, "  mm2s 0 of (2,1): record 5 (dma_start (2,1) -> (2,3)) waits for acquire "
                      "of lock 0 of (2,1) (value 0, needs 1)"));
    CHECK(contains(m, "  core (2,3): record 6 (launch global_avgpool) waits for acquire of lock 0 "
                      "of (2,3) (value 0, needs 1)"));
    close_run(&r);
}

static void a_release_above_the_maximum_is_an_error(void)
{
    run r;
    /* aie-binary-locks: record 3 releases the binary lock the DMA of record 2 also releases */
    CHECK_EQ(open_run(&r, "valid/aie-binary-locks.rcb", 0xC0 + 3 * 32, 0x31, 1, NULL), RCB_OK);
    int8_t x[64] = {0};
    rcb_set_input(&r.engine, 0, x, sizeof x, &r.diag);
    CHECK_EQ(rcb_run(&r.engine, &r.diag), RCB_ERR_LOCK);
    CHECK(contains(rhal_host_message(r.host), "releases lock 15 of (2,1) by 1 to 2, above its "
                                              "maximum 1"));
    close_run(&r);
}

static void limits_are_errors_not_crashes(void)
{
    run r;
    rhal_host_config tiny_work = {0, 100, 0};
    CHECK_EQ(open_run(&r, "valid/all-records.rcb", 0, 0, 0, &tiny_work), RCB_OK);
    float x[64] = {0};
    rcb_set_input(&r.engine, 0, x, sizeof x, &r.diag);
    CHECK_EQ(rcb_run(&r.engine, &r.diag), RCB_ERR_LIMIT);
    CHECK(contains(rhal_host_message(r.host), "exceeds the simulator's work limit of 100"));
    close_run(&r);
    rhal_host_config tiny_memory = {1024, 0, 0};
    CHECK_EQ(open_run(&r, "valid/all-records.rcb", 0, 0, 0, &tiny_memory), -1);
    close_run(&r);
}

void test_host(void)
{
    global_avgpool_through_a_memory_tile();
    other_programs_match_the_executor_cycles();
    a_missing_input_is_an_undefined_read();
    an_output_nothing_wrote_is_an_undefined_read();
    a_dropped_release_is_a_deadlock();
    a_release_above_the_maximum_is_an_error();
    limits_are_errors_not_crashes();
}
