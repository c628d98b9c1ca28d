/*
 * fuzz_rcb.c - libFuzzer harness over the loader, the engine and the host RHAL backend.
 *
 * Each input is loaded twice: as given (the header, CRC and size checks), and with its file
 * size and CRC fields repaired, so that mutations reach the section, record and kernel checks
 * and, when the file validates, a full run on the simulator with deterministic inputs. Limits
 * on simulated memory and work keep every input to milliseconds; any crash, sanitizer report,
 * leak or timeout is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rcb/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The little-endian u32 `v` at `p`. */
static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Load `file` and, if valid, run it with inputs derived from `seed`. */
static void exercise(const uint8_t *file, size_t size, uint32_t seed)
{
    rcb_program prog;
    rcb_diag diag;
    char text[512];
    rcb_status st = rcb_load(&prog, file, size, &diag);
    rcb_format_diag(&diag, text, sizeof text);
    if (st != RCB_OK)
        return;
    rhal_host_config config = {96u << 20, 1u << 22, 0};
    rhal_host *host;
    if (rhal_host_create(&host, &prog, &config) != RCB_OK)
        return;
    rcb_engine engine;
    rcb_engine_init(&engine, &prog, &rhal_host_ops, host);
    for (uint32_t i = 0; i < prog.binding_count; i++) {
        rcb_tensor b;
        rcb_binding(&prog, i, &b);
        if (b.direction != 0 || b.size > (1u << 20))
            continue;
        uint8_t *buf = malloc(b.size ? b.size : 1);
        if (!buf)
            continue;
        for (uint32_t k = 0; k < b.size; k++)
            buf[k] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 24 & 0x3F);
        rcb_set_input(&engine, i, buf, b.size, &diag);
        free(buf);
    }
    st = rcb_run(&engine, &diag);
    rcb_format_diag(&diag, text, sizeof text);
    (void)rhal_host_message(host);
    for (uint32_t i = 0; st == RCB_OK && i < prog.binding_count; i++) {
        rcb_tensor b;
        rcb_binding(&prog, i, &b);
        if (b.direction != 1 || b.size > (1u << 20))
            continue;
        uint8_t *buf = malloc(b.size ? b.size : 1);
        if (buf)
            rcb_get_output(&engine, i, buf, b.size, &diag);
        free(buf);
    }
    rhal_host_destroy(host);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exercise(data, size, 1);
    if (size < 64 || size > (1u << 24))
        return 0;
    uint8_t *fixed = malloc(size);
    if (!fixed)
        return 0;
    memcpy(fixed, data, size);
    put32(fixed + 12, (uint32_t)size);
    put32(fixed + 8, 0);
    put32(fixed + 8, rcb_crc32(0, fixed, size));
    exercise(fixed, size, (uint32_t)size);
    free(fixed);
    return 0;
}
