/*
 * test_engine.c - the dispatch loop turns each record into the right RHAL call with the fields
 * decoded, loads the data image first, refuses unclaimed tiles before anything runs, and stops
 * at the first failing call.
 */
#include <stdlib.h>
#include <string.h>

#include "rcb/rhal.h"
#include "test.h"

/* A recording RHAL: every call appended to `log` as one line; fails at call `fail_at`. */
typedef struct mock {
    char log[8192];
    int calls, fail_at;
} mock;

static rcb_status note(mock *m, const char *fmt, unsigned a, unsigned b, unsigned c, unsigned d)
{
    size_t len = strlen(m->log);
    snprintf(m->log + len, sizeof m->log - len, fmt, a, b, c, d);
    len = strlen(m->log);
    snprintf(m->log + len, sizeof m->log - len, "\n");
    return ++m->calls == m->fail_at ? RCB_ERR_HARDWARE : RCB_OK;
}

static rcb_status m_configure(void *ctx, uint32_t record, rcb_tile t)
{
    return note(ctx, "%u configure (%u,%u)%.0u", record, t.col, t.row, 0);
}
static rcb_status m_write(void *ctx, uint32_t record, rcb_tile t, uint32_t offset,
                          const uint8_t *data, uint32_t size)
{
    (void)data;
    return note(ctx, "%d write row %u at 0x%x, %u bytes", (unsigned)(int)record, t.row, offset,
                size);
}
static rcb_status m_read(void *ctx, rcb_tile t, uint32_t offset, uint8_t *data, uint32_t size)
{
    memset(data, 0, size);
    return note(ctx, "read row %u at 0x%x, %u bytes%.0u", t.row, offset, size, 0);
}
static rcb_status m_dma(void *ctx, const rhal_dma *d)
{
    mock *m = ctx;
    char locks[128] = "";
    for (unsigned i = 0; i < d->acquire_count; i++)
        snprintf(locks + strlen(locks), sizeof locks - strlen(locks), " acq(%u,%u).%u:%u",
                 d->acquires[i].tile.col, d->acquires[i].tile.row, d->acquires[i].id,
                 d->acquires[i].value);
    for (unsigned i = 0; i < d->release_count; i++)
        snprintf(locks + strlen(locks), sizeof locks - strlen(locks), " rel(%u,%u).%u:%u",
                 d->releases[i].tile.col, d->releases[i].tile.row, d->releases[i].id,
                 d->releases[i].value);
    size_t len = strlen(m->log);
    snprintf(m->log + len, sizeof m->log - len,
             "%u dma (%u,%u).%u@0x%x [%ux%u] -> (%u,%u).%u@0x%x [%u]%s\n", d->record, d->src.col,
             d->src.row, d->src_channel, d->src_offset, d->src_pattern.sizes[0],
             d->src_pattern.sizes[1], d->dst.col, d->dst.row, d->dst_channel, d->dst_offset,
             d->dst_pattern.sizes[0], locks);
    return ++m->calls == m->fail_at ? RCB_ERR_HARDWARE : RCB_OK;
}
static rcb_status m_dma_wait(void *ctx, uint32_t record, rcb_tile t, uint8_t dir, uint8_t ch)
{
    return note(ctx, "%u wait (%u,%u) dir %u", record, t.col, t.row, dir + 10u * ch);
}
static rcb_status m_acquire(void *ctx, uint32_t record, rcb_tile t, uint8_t id, uint8_t value)
{
    return note(ctx, "%u acquire row %u lock %u:%u", record, t.row, id, value);
}
static rcb_status m_release(void *ctx, uint32_t record, rcb_tile t, uint8_t id, uint8_t value)
{
    return note(ctx, "%u release row %u lock %u:%u", record, t.row, id, value);
}
static rcb_status m_launch(void *ctx, const rhal_launch *l)
{
    return note(ctx, "%u launch kernel %u params 0x%x locks %u", l->record, l->kernel, l->params,
                l->acquire_count * 10u + l->release_count);
}
static rcb_status m_core_wait(void *ctx, uint32_t record, rcb_tile t)
{
    return note(ctx, "%u wait_core (%u,%u)%.0u", record, t.col, t.row, 0);
}
static rcb_status m_barrier(void *ctx, uint32_t record)
{
    return note(ctx, "%u barrier%.0u%.0u%.0u", record, 0, 0, 0);
}
static uint64_t m_timestamp(void *ctx)
{
    return (uint64_t)((mock *)ctx)->calls;
}

static const rhal_ops MOCK = {m_configure, m_write,     m_read,   m_dma,
                              m_dma_wait,  m_acquire,   m_release, m_launch,
                              m_core_wait, m_barrier,   m_timestamp};

static void dispatch_order(void)
{
    size_t size;
    uint8_t *file = corpus_file("valid/all-records.rcb", &size);
    rcb_program prog;
    rcb_diag diag;
    CHECK_EQ(rcb_load(&prog, file, size, &diag), RCB_OK);
    mock m = {"", 0, -1};
    rcb_engine e;
    CHECK_EQ(rcb_engine_init(&e, &prog, &MOCK, &m), RCB_OK);
    float x[64] = {0};
    CHECK_EQ(rcb_set_input(&e, 0, x, sizeof x, &diag), RCB_OK);
    CHECK_EQ(rcb_run(&e, &diag), RCB_OK);
    float y[4];
    CHECK_EQ(rcb_get_output(&e, 1, y, sizeof y, &diag), RCB_OK);
    const char *expected =
        "-1 write row 0 at 0x100, 256 bytes\n"
        "-1 write row 0 at 0x0, 64 bytes\n"
        "-1 write row 0 at 0x80, 24 bytes\n"
        "0 configure (2,0)\n"
        "1 configure (2,1)\n"
        "2 configure (2,3)\n"
        "3 write row 3 at 0x800, 24 bytes\n"
        "4 dma (2,0).0@0x100 [256x0] -> (2,1).0@0x0 [256] rel(2,1).0:1\n"
        "5 dma (2,1).0@0x0 [4x64] -> (2,3).0@0x400 [256] acq(2,1).0:1 rel(2,3).0:1 rel(2,1).1:1\n"
        "6 launch kernel 4 params 0x800 locks 11\n"
        "7 dma (2,3).0@0xc00 [16x0] -> (2,0).0@0x200 [16] acq(2,3).1:1\n"
        "8 wait (2,0) dir 0\n"
        "9 wait_core (2,3)\n"
        "10 acquire row 1 lock 1:1\n"
        "11 release row 1 lock 1:1\n"
        "12 barrier\n"
        "13 barrier\n"
        "read row 0 at 0x200, 16 bytes\n";
    CHECK(strcmp(m.log, expected) == 0);
    if (strcmp(m.log, expected) != 0)
        fprintf(stderr, "got:\n%s", m.log);
    CHECK(e.end_time > e.start_time);

    /* The first failing call stops the run and names its record. */
    mock failing = {"", 0, 8}; /* the 8th call (2 image writes first): record 5 */
    rcb_engine_init(&e, &prog, &MOCK, &failing);
    CHECK_EQ(rcb_run(&e, &diag), RCB_ERR_HARDWARE);
    CHECK_EQ(diag.record, 5);
    CHECK_EQ(failing.calls, 8);
    char text[256];
    rcb_format_diag(&diag, text, sizeof text);
    CHECK(contains(text, "record 5 (dma_start): hardware error"));
    free(file);
}

static void unclaimed_tiles(void)
{
    size_t size;
    uint8_t *file = corpus_file("valid/all-records.rcb", &size);
    file[0xC0 + 2 * 32 + 2] = 4; /* record 2 configures (2,4) instead of (2,3) */
    fix_crc(file, size);
    rcb_program prog;
    rcb_diag diag;
    CHECK_EQ(rcb_load(&prog, file, size, &diag), RCB_OK);
    mock m = {"", 0, -1};
    rcb_engine e;
    rcb_engine_init(&e, &prog, &MOCK, &m);
    CHECK_EQ(rcb_run(&e, &diag), RCB_ERR_UNCONFIGURED);
    CHECK_EQ(diag.record, 3);
    CHECK_EQ(m.calls, 0); /* nothing ran */
    char text[256];
    rcb_format_diag(&diag, text, sizeof text);
    CHECK(contains(text, "record 3 (write_params): uses tile (2,3), which no configure_tile claimed"));
    free(file);
}

static void io_arguments(void)
{
    size_t size;
    uint8_t *file = corpus_file("valid/all-records.rcb", &size);
    rcb_program prog;
    rcb_diag diag;
    rcb_load(&prog, file, size, &diag);
    mock m = {"", 0, -1};
    rcb_engine e;
    CHECK_EQ(rcb_engine_init(NULL, &prog, &MOCK, &m), RCB_ERR_ARGUMENT);
    rcb_engine_init(&e, &prog, &MOCK, &m);
    float buf[64];
    CHECK_EQ(rcb_set_input(&e, 0, buf, 255, &diag), RCB_ERR_ARGUMENT);
    CHECK_EQ(rcb_set_input(&e, 1, buf, 16, &diag), RCB_ERR_ARGUMENT);
    CHECK_EQ(rcb_set_input(&e, 7, buf, 16, &diag), RCB_ERR_ARGUMENT);
    CHECK_EQ(rcb_get_output(&e, 0, buf, 256, &diag), RCB_ERR_ARGUMENT);
    CHECK_EQ(rcb_get_output(&e, 1, NULL, 16, &diag), RCB_ERR_ARGUMENT);
    CHECK_EQ(m.calls, 0);
    CHECK_EQ(rcb_run(&e, NULL), RCB_ERR_ARGUMENT);
    free(file);
}

void test_engine(void)
{
    dispatch_order();
    unclaimed_tiles();
    io_arguments();
}
