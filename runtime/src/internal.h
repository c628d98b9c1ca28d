/*
 * internal.h - byte layout constants and little-endian readers shared by the engine's files.
 * Not part of the public API.
 */
#ifndef RCB_INTERNAL_H
#define RCB_INTERNAL_H

#include "rcb/rcb.h"

/* The engine's only library calls: memcpy and memset (string.h is not a freestanding header). */
#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t size);
void *memset(void *dst, int value, size_t size);
#endif

enum {
    HEADER_SIZE = 64,
    SECTION_ENTRY_SIZE = 16,
    SECTION_ALIGN = 64,
    RECORD_SIZE = 32,
    PATTERN_SIZE = 36,
    TENSOR_SIZE = 32,
    SECTION_KINDS = 6,
    GRANULE = 4, /* DMA granularity in bytes (section 2) */
    MAX_DIMS = 4
};

/* Section kinds (section 4). */
enum { SEC_CODE = 1, SEC_PATTERNS, SEC_DIRECTORY, SEC_BINDINGS, SEC_STRINGS, SEC_IMAGE };

/* The little-endian u16 at `p`. */
static inline uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }

/* The little-endian u32 at `p`. */
static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Decode the pattern-table entry at `p` (already validated or merely stored). */
static inline void read_pattern(const uint8_t *p, rcb_pattern *out)
{
    out->dims = rd32(p);
    for (unsigned k = 0; k < MAX_DIMS; k++) {
        out->sizes[k] = rd32(p + 4 + 4 * k);
        out->strides[k] = rd32(p + 20 + 4 * k);
    }
}

#endif /* RCB_INTERNAL_H */
