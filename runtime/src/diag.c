/*
 * diag.c - names of rules, statuses and records, and the freestanding diagnostic formatter.
 */
#include "internal.h"

static const char *const RULES[RCB_RULE_COUNT] = {
    "",
    "truncated",
    "bad-magic",
    "newer-major",
    "bad-version",
    "file-size",
    "crc-mismatch",
    "nonzero-padding",
    "unknown-target",
    "target-mismatch",
    "unknown-flags",
    "section-outside-file",
    "unknown-section",
    "duplicate-section",
    "misaligned-section",
    "section-size",
    "missing-section",
    "section-overlap",
    "unknown-opcode",
    "bad-lock-slot",
    "bad-direction",
    "bad-pattern",
    "unknown-dtype",
    "bad-shape",
    "bad-string-table",
    "image-size",
    "pattern-granularity",
    "bad-string-ref",
    "duplicate-name",
    "size-mismatch",
    "misaligned-entry",
    "entry-overlap",
    "binding-overlaps-image",
    "outside-ddr",
    "tile-outside-array",
    "wrong-tile-kind",
    "not-ddr-column",
    "channel-out-of-range",
    "pattern-index-out-of-range",
    "pattern-dims",
    "pattern-out-of-bounds",
    "pattern-size-mismatch",
    "lock-out-of-range",
    "lock-value-out-of-range",
    "entry-index-out-of-range",
    "misaligned-params",
    "params-out-of-bounds",
    "unknown-kernel",
    "end-not-last",
    "missing-end",
};

const char *rcb_rule_name(rcb_rule rule)
{
    return (unsigned)rule < RCB_RULE_COUNT ? RULES[rule] : "";
}

const char *rcb_status_name(rcb_status status)
{
    static const char *const NAMES[] = {"ok",       "invalid program", "bad argument",
                                        "unconfigured tile", "deadlock", "lock overflow",
                                        "out of bounds", "undefined read", "kernel error",
                                        "limit exceeded", "hardware error"};
    return (unsigned)status < sizeof NAMES / sizeof NAMES[0] ? NAMES[status] : "unknown status";
}

const char *rcb_opcode_name(uint8_t opcode)
{
    switch (opcode) {
    case RCB_OP_CONFIGURE_TILE: return "configure_tile";
    case RCB_OP_WRITE_PARAMS: return "write_params";
    case RCB_OP_DMA_START: return "dma_start";
    case RCB_OP_LAUNCH: return "launch";
    case RCB_OP_LOCK_ACQUIRE: return "lock_acquire";
    case RCB_OP_LOCK_RELEASE: return "lock_release";
    case RCB_OP_WAIT: return "wait";
    case RCB_OP_WAIT_CORE: return "wait_core";
    case RCB_OP_BARRIER: return "barrier";
    case RCB_OP_END: return "end";
    default: return "unknown";
    }
}

/* A bounded string builder: counts what it needs, stores what fits, keeps a final NUL. */
typedef struct out {
    char *buf;
    size_t cap, len;
} out;

/* Append the NUL-terminated `s`. */
static void put(out *o, const char *s)
{
    for (; *s; s++, o->len++)
        if (o->len + 1 < o->cap)
            o->buf[o->len] = *s;
}

/* Append `v` in decimal, by subtracting powers of ten (no 64-bit division on 32-bit cores). */
static void put_u(out *o, uint64_t v)
{
    char text[21];
    unsigned n = 0;
    uint64_t power = 1;
    unsigned digits = 1;
    for (uint64_t next = 10; digits < 20 && v >= next; next *= 10u)
        power = next, digits++; /* 10^19 is the last power below 2^64: the loop stops there */
    for (; digits; digits--) {
        char digit = '0';
        while (v >= power) {
            v -= power;
            digit++;
        }
        text[n++] = digit;
        /* The next lower power of ten, without dividing: the largest 10^k below `power`. */
        uint64_t lower = 1;
        while (lower * 10u < power)
            lower *= 10u;
        power = lower;
    }
    text[n] = '\0';
    put(o, text);
}

/* Append `v` in hexadecimal with a 0x prefix. */
static void put_x(out *o, uint64_t v)
{
    char text[19] = "0x";
    unsigned n = 0;
    uint64_t t = v;
    do {
        n++;
        t >>= 4;
    } while (t);
    for (unsigned i = 0; i < n; i++)
        text[2 + i] = "0123456789abcdef"[(v >> (4 * (n - 1 - i))) & 15u];
    text[2 + n] = '\0';
    put(o, text);
}

/* Append "(col,row)". */
static void put_tile(out *o, const uint8_t tile[2])
{
    put(o, "(");
    put_u(o, tile[0]);
    put(o, ",");
    put_u(o, tile[1]);
    put(o, ")");
}

size_t rcb_format_diag(const rcb_diag *diag, char *buf, size_t cap)
{
    static const char *const OWNERS[] = {"",        "header",  "section", "record",
                                         "pattern", "data entry", "binding", "string table",
                                         "data image", "code section", "tile"};
    out o = {buf, cap, 0};
    if (diag->owner != RCB_OWNER_NONE && (unsigned)diag->owner < sizeof OWNERS / sizeof OWNERS[0]) {
        put(&o, OWNERS[diag->owner]);
        switch (diag->owner) {
        case RCB_OWNER_SECTION:
        case RCB_OWNER_PATTERN:
        case RCB_OWNER_ENTRY:
        case RCB_OWNER_BINDING:
            put(&o, " ");
            put_u(&o, diag->index);
            break;
        case RCB_OWNER_RECORD:
            put(&o, " ");
            put_u(&o, diag->index);
            put(&o, " (");
            put(&o, rcb_opcode_name(diag->opcode));
            put(&o, ")");
            break;
        default:
            break;
        }
        put(&o, ": ");
    }
    const char *w = diag->what ? diag->what : rcb_status_name(diag->status);
    for (; *w; w++) {
        if (w[0] == '{' && w[1] && w[2] == '}') {
            if (w[1] == 'v')
                put_u(&o, diag->value);
            else if (w[1] == 'x')
                put_x(&o, diag->value);
            else if (w[1] == 'h')
                put_x(&o, diag->limit);
            else if (w[1] == 'l')
                put_u(&o, diag->limit);
            else if (w[1] == 't')
                put_tile(&o, diag->tile);
            w += 2;
            continue;
        }
        char c[2] = {*w, '\0'};
        put(&o, c);
    }
    if (cap)
        buf[o.len < cap ? o.len : cap - 1] = '\0';
    return o.len;
}
