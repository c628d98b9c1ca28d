/*
 * loader.c - validation of an RCB file (docs/rcb-bytecode.md, section 6).
 *
 * The checks run in the specification's order and stop at the first failure, which is reported
 * with the rule id and the byte offset of the field at fault - the same verdict, rule and offset
 * as the Python decoder (python/rcbc/bytecode/rcbfile.py, validate.py) for every file:
 *
 *   1. the header, in the order of its table's first rows;
 *   2. the section table, entry by entry, then the sections together;
 *   3. the contents as stored: records, patterns, data directory, bindings, string table and
 *      data image, for padding, codes and the extents of the string table and the image;
 *   4. names and tables: strings, patterns, data entries, bindings;
 *   5. each record in order, its fields in order; last, the end.
 *
 * Every size computation is done in 64 bits or saturates, so no field value can overflow, and
 * every read stays inside the file: a section is dereferenced only after the section table
 * proved it lies inside the file.
 */
#include "internal.h"

/* Saturation value of the 64-bit sums and products below (anything larger fails a bound). */
#define SAT UINT64_MAX

typedef struct loader {
    const uint8_t *d; /* the file */
    uint32_t n;       /* its size, once the header proved it fits the header's u32 */
    rcb_diag *diag;
    const rcb_target *t;
    uint32_t ddr_size;
    uint32_t flags;
    uint32_t off[SECTION_KINDS + 1];   /* by section kind: file offset, */
    uint32_t size[SECTION_KINDS + 1];  /* size in bytes, */
    uint32_t count[SECTION_KINDS + 1]; /* entry count, */
    uint32_t entry[SECTION_KINDS + 1]; /* and file offset of its section-table entry */
} loader;

/* ---- helpers ----------------------------------------------------------------------------- */

/* Name what the next failure is about. */
static void own(loader *L, rcb_owner owner, uint32_t index)
{
    L->diag->owner = owner;
    L->diag->index = index;
}

/* Record a broken rule at byte `offset`; returns RCB_ERR_INVALID. */
static rcb_status fail(loader *L, rcb_rule rule, uint32_t offset, const char *what, uint64_t value,
                       uint64_t limit)
{
    rcb_diag *g = L->diag;
    g->status = RCB_ERR_INVALID;
    g->rule = rule;
    g->offset = offset;
    g->what = what;
    g->value = value;
    g->limit = limit;
    return RCB_ERR_INVALID;
}

/* Fail as `fail` does, naming tile (col, row) for "{t}". */
static rcb_status fail_tile(loader *L, rcb_rule rule, uint32_t offset, const char *what,
                            const uint8_t *tile, uint64_t value, uint64_t limit)
{
    L->diag->tile[0] = tile[0];
    L->diag->tile[1] = tile[1];
    return fail(L, rule, offset, what, value, limit);
}

/* The first nonzero byte of [start, stop) breaks nonzero-padding. */
static rcb_status zeros(loader *L, uint32_t start, uint32_t stop)
{
    for (uint32_t i = start; i < stop; i++)
        if (L->d[i])
            return fail(L, RCB_RULE_NONZERO_PADDING, i, "padding byte is {x}, not 0", L->d[i], 0);
    return RCB_OK;
}

/* a + b, saturating. */
static uint64_t sat_add(uint64_t a, uint64_t b) { return a > SAT - b ? SAT : a + b; }

/* a * b for a tensor's element count or byte size: exact while a fits 32 bits, else SAT (a
 * size field is u32, so any larger value fails its comparison all the same). */
static uint64_t sat_mul(uint64_t a, uint32_t b)
{
    return a > UINT32_MAX ? SAT : a * b;
}

/* A product of up to four u32 values, exactly: 128 bits as two halves. */
typedef struct u128 {
    uint64_t hi, lo;
} u128;

/* a * m, exact as long as the result fits 128 bits (four u32 factors always do). */
static u128 mul128(u128 a, uint32_t m)
{
    uint64_t low = (a.lo & 0xFFFFFFFFu) * m;
    uint64_t high = (a.lo >> 32) * m;
    u128 r;
    r.lo = low + (high << 32);
    r.hi = a.hi * m + (high >> 32) + (r.lo < low);
    return r;
}

/* The bytes a stored pattern moves: the product of its sizes. */
static u128 byte_count(const rcb_pattern *p)
{
    u128 c = {0, 1};
    for (uint32_t k = 0; k < p->dims && k < MAX_DIMS; k++)
        c = mul128(c, p->sizes[k]);
    return c;
}

/* One past the highest byte `p` touches at `offset` (saturating). */
static uint64_t extent(const rcb_pattern *p, uint32_t offset)
{
    uint64_t e = offset;
    for (uint32_t k = 0; k < p->dims && k < MAX_DIMS; k++)
        e = sat_add(e, (uint64_t)(p->sizes[k] - 1u) * p->strides[k]);
    return sat_add(e, 1);
}

/* ---- 1. header --------------------------------------------------------------------------- */

static rcb_status check_header(loader *L, size_t size)
{
    const uint8_t *d = L->d;
    own(L, RCB_OWNER_HEADER, 0);
    if (size < HEADER_SIZE)
        return fail(L, RCB_RULE_TRUNCATED, (uint32_t)size,
                    "the file has {v} bytes; the header alone is {l}", size, HEADER_SIZE);
    if (d[0] != 'R' || d[1] != 'C' || d[2] != 'B' || d[3] != 1)
        return fail(L, RCB_RULE_BAD_MAGIC, 0, "magic is not \"RCB\\x01\"", 0, 0);
    uint32_t major = rd16(d + 4);
    if (major > RCB_MAJOR)
        return fail(L, RCB_RULE_NEWER_MAJOR, 4,
                    "major version {v} is newer than {l}, the newest this loader reads", major,
                    RCB_MAJOR);
    if (major < RCB_MAJOR)
        return fail(L, RCB_RULE_BAD_VERSION, 4, "major version {v} does not exist", major, 0);
    uint32_t file_size = rd32(d + 12);
    if (size < file_size)
        return fail(L, RCB_RULE_TRUNCATED, (uint32_t)size,
                    "the file has {v} bytes but its header says {l}", size, file_size);
    if (size > file_size)
        return fail(L, RCB_RULE_FILE_SIZE, 12, "the file has {v} bytes but its header says {l}",
                    size, file_size);
    L->n = file_size;
    static const uint8_t no_crc[4] = {0, 0, 0, 0};
    uint32_t crc = rcb_crc32(0, d, 8);
    crc = rcb_crc32(crc, no_crc, 4);
    crc = rcb_crc32(crc, d + 12, file_size - 12u);
    if (crc != rd32(d + 8))
        return fail(L, RCB_RULE_CRC_MISMATCH, 8, "CRC-32 is {x} but the file's is {h}",
                    rd32(d + 8), crc);
    if (zeros(L, 21, 24) || zeros(L, 42, HEADER_SIZE))
        return RCB_ERR_INVALID;
    L->t = rcb_target_by_id((uint16_t)rd16(d + 16));
    if (!L->t)
        return fail(L, RCB_RULE_UNKNOWN_TARGET, 16,
                    "target id {v} is not one of 1 (aie-ml), 2 (aie), 3 (npu1), 4 (npu2)",
                    rd16(d + 16), 0);
    const rcb_target *t = L->t;
    if (d[18] != t->columns)
        return fail(L, RCB_RULE_TARGET_MISMATCH, 18, "columns is {v} but the target has {l}",
                    d[18], t->columns);
    if (d[19] != t->rows)
        return fail(L, RCB_RULE_TARGET_MISMATCH, 19, "rows is {v} but the target has {l}", d[19],
                    t->rows);
    if (d[20] != t->memtile_rows)
        return fail(L, RCB_RULE_TARGET_MISMATCH, 20,
                    "memtile_rows is {v} but the target has {l}", d[20], t->memtile_rows);
    if (rd32(d + 24) != t->kinds[RCB_COMPUTE].memory)
        return fail(L, RCB_RULE_TARGET_MISMATCH, 24,
                    "tile_memory is {v} but the target has {l}", rd32(d + 24),
                    t->kinds[RCB_COMPUTE].memory);
    if (rd32(d + 28) != t->kinds[RCB_MEMORY].memory)
        return fail(L, RCB_RULE_TARGET_MISMATCH, 28,
                    "memtile_memory is {v} but the target has {l}", rd32(d + 28),
                    t->kinds[RCB_MEMORY].memory);
    if (rd32(d + 36) & ~RCB_KNOWN_FLAGS)
        return fail(L, RCB_RULE_UNKNOWN_FLAGS, 36, "flags are {x}; version 1 defines {h}",
                    rd32(d + 36), RCB_KNOWN_FLAGS);
    L->flags = rd32(d + 36);
    L->ddr_size = rd32(d + 32);
    return RCB_OK;
}

/* ---- 2. section table -------------------------------------------------------------------- */

/* Bytes per entry of the sections made of fixed-size entries (0: the string table, image). */
static const uint8_t ENTRY_SIZE[SECTION_KINDS + 1] = {0, RECORD_SIZE, PATTERN_SIZE, TENSOR_SIZE,
                                                      TENSOR_SIZE, 0, 0};

/* The section table, entry by entry, then the sections together (placement, gaps, end). */
static rcb_status check_sections(loader *L)
{
    const uint8_t *d = L->d;
    uint32_t n = L->n, sections = rd16(d + 40);
    uint32_t table_end = HEADER_SIZE + SECTION_ENTRY_SIZE * sections;
    own(L, RCB_OWNER_HEADER, 0);
    if (table_end > n)
        return fail(L, RCB_RULE_SECTION_OUTSIDE_FILE, 40,
                    "a section table of {v} entries ends past the end of the {l}-byte file",
                    sections, n);
    for (uint32_t i = 0; i < sections; i++) {
        uint32_t at = HEADER_SIZE + SECTION_ENTRY_SIZE * i;
        uint32_t kind = rd32(d + at), off = rd32(d + at + 4), size = rd32(d + at + 8),
                 count = rd32(d + at + 12);
        own(L, RCB_OWNER_SECTION, i);
        if (kind < 1 || kind > SECTION_KINDS)
            return fail(L, RCB_RULE_UNKNOWN_SECTION, at, "section kind {v} is not one of 1 to 6",
                        kind, 0);
        if (L->entry[kind])
            return fail(L, RCB_RULE_DUPLICATE_SECTION, at,
                        "a section of kind {v} is already listed", kind, 0);
        if (off % SECTION_ALIGN)
            return fail(L, RCB_RULE_MISALIGNED_SECTION, at + 4,
                        "offset {x} is not a multiple of 64", off, 0);
        if (off > n)
            return fail(L, RCB_RULE_SECTION_OUTSIDE_FILE, at + 4,
                        "offset {x} is past the end of the {l}-byte file", off, n);
        if ((uint64_t)off + size > n)
            return fail(L, RCB_RULE_SECTION_OUTSIDE_FILE, at + 8,
                        "{v} bytes end past the end of the {l}-byte file", size, n);
        if (ENTRY_SIZE[kind] && size != (uint64_t)count * ENTRY_SIZE[kind])
            return fail(L, RCB_RULE_SECTION_SIZE, at + 8,
                        "size {v} is not count x entry size {l}", size, ENTRY_SIZE[kind]);
        if (kind == SEC_IMAGE && count)
            return fail(L, RCB_RULE_SECTION_SIZE, at + 12, "count is {v}; the data image's is 0",
                        count, 0);
        L->off[kind] = off;
        L->size[kind] = size;
        L->count[kind] = count;
        L->entry[kind] = at;
    }
    own(L, RCB_OWNER_HEADER, 0);
    for (uint32_t kind = 1; kind <= SECTION_KINDS; kind++)
        if (!L->entry[kind])
            return fail(L, RCB_RULE_MISSING_SECTION, 40, "the file has no section of kind {v}",
                        kind, 0);
    /* The non-empty sections in order of offset, then of table position, must not overlap the
     * header, the table or each other, and the gaps between them are zeros. */
    uint32_t order[SECTION_KINDS], spans = 0, last_end = table_end;
    for (uint32_t kind = 1; kind <= SECTION_KINDS; kind++) {
        uint32_t end = L->off[kind] + L->size[kind];
        last_end = end > last_end ? end : last_end;
        if (!L->size[kind])
            continue;
        uint32_t j = spans++;
        for (; j > 0; j--) {
            uint32_t prev = order[j - 1];
            if (L->off[prev] < L->off[kind] ||
                (L->off[prev] == L->off[kind] && L->entry[prev] < L->entry[kind]))
                break;
            order[j] = prev;
        }
        order[j] = kind;
    }
    uint32_t end = table_end;
    for (uint32_t j = 0; j < spans; j++) {
        uint32_t kind = order[j];
        own(L, RCB_OWNER_SECTION, (L->entry[kind] - HEADER_SIZE) / SECTION_ENTRY_SIZE);
        if (L->off[kind] < end)
            return fail(L, RCB_RULE_SECTION_OVERLAP, L->entry[kind] + 4,
                        "the section at {x} overlaps what precedes it, which ends at {h}",
                        L->off[kind], end);
        own(L, RCB_OWNER_NONE, 0);
        if (zeros(L, end, L->off[kind]))
            return RCB_ERR_INVALID;
        end = L->off[kind] + L->size[kind];
    }
    own(L, RCB_OWNER_HEADER, 0);
    if (n != last_end)
        return fail(L, RCB_RULE_FILE_SIZE, 12,
                    "the header says {v} bytes but the last section ends at {l}", n, last_end);
    own(L, RCB_OWNER_NONE, 0);
    return zeros(L, end, n);
}

/* ---- 3. contents as stored --------------------------------------------------------------- */

/*
 * The layout of each record kind, one character per byte after the opcode: '.' a field byte,
 * '0' padding, 'd' a direction (0 or 1), 'S' the first byte of two sided DMA lock slots
 * (side, id, value), 's' the first byte of four core lock slots (id, value).
 */
static const char *record_layout(uint8_t opcode)
{
    switch (opcode) {
    case RCB_OP_CONFIGURE_TILE: return "..00000000000000000000000000000";
    case RCB_OP_WRITE_PARAMS: return "..0........0000000000000000000";
    case RCB_OP_DMA_START: return "......0............S.....S.....";
    case RCB_OP_LAUNCH: return "..0..00....s.......s.......0000";
    case RCB_OP_LOCK_ACQUIRE:
    case RCB_OP_LOCK_RELEASE: return "....000000000000000000000000000";
    case RCB_OP_WAIT: return "..d.000000000000000000000000000";
    case RCB_OP_WAIT_CORE: return "..00000000000000000000000000000";
    case RCB_OP_BARRIER:
    case RCB_OP_END: return "0000000000000000000000000000000";
    default: return NULL;
    }
}

/* Lock slots at `at`: `count` slots of `width` bytes (sided when 3); value 0 marks an unused
 * slot, which is all zeros, and used slots come first. */
static rcb_status check_lock_slots(loader *L, uint32_t at, unsigned count, unsigned width)
{
    const uint8_t *d = L->d;
    int unused = -1;
    for (unsigned j = 0; j < count; j++) {
        uint32_t slot = at + j * width;
        if (d[slot + width - 1] == 0) {
            for (unsigned b = 0; b + 1 < width; b++)
                if (d[slot + b])
                    return fail(L, RCB_RULE_NONZERO_PADDING, slot + b,
                                "an unused lock slot (value 0) holds byte {x}", d[slot + b], 0);
            if (unused < 0)
                unused = (int)j;
            continue;
        }
        if (unused >= 0)
            return fail(L, RCB_RULE_BAD_LOCK_SLOT, slot,
                        "lock slot {v} is used after unused slot {l}; used slots come first", j,
                        (uint64_t)unused);
        if (width == 3 && d[slot] > 1)
            return fail(L, RCB_RULE_BAD_LOCK_SLOT, slot,
                        "lock side {v} is neither 0 (src) nor 1 (dst)", d[slot], 0);
    }
    return RCB_OK;
}

/* Every record as stored: opcode, padding, direction codes, lock slots. */
static rcb_status check_stored_records(loader *L)
{
    const uint8_t *d = L->d;
    for (uint32_t i = 0; i < L->count[SEC_CODE]; i++) {
        uint32_t at = L->off[SEC_CODE] + RECORD_SIZE * i;
        own(L, RCB_OWNER_RECORD, i);
        L->diag->opcode = d[at];
        const char *layout = record_layout(d[at]);
        if (!layout)
            return fail(L, RCB_RULE_UNKNOWN_OPCODE, at, "opcode {x} is not defined", d[at], 0);
        for (uint32_t b = 1; b < RECORD_SIZE; b++) {
            uint8_t v = d[at + b];
            switch (layout[b - 1]) {
            case '0':
                if (v)
                    return fail(L, RCB_RULE_NONZERO_PADDING, at + b,
                                "padding byte {l} is {x}, not 0", v, b);
                break;
            case 'd':
                if (v > 1)
                    return fail(L, RCB_RULE_BAD_DIRECTION, at + b,
                                "direction code {v} is not 0 (s2mm) or 1 (mm2s)", v, 0);
                break;
            case 'S':
                if (check_lock_slots(L, at + b, 2, 3))
                    return RCB_ERR_INVALID;
                break;
            case 's':
                if (check_lock_slots(L, at + b, 4, 2))
                    return RCB_ERR_INVALID;
                break;
            default:
                break;
            }
        }
    }
    return RCB_OK;
}

/* Every pattern as stored: dims at most 4, unused sizes and strides 0. */
static rcb_status check_stored_patterns(loader *L)
{
    const uint8_t *d = L->d;
    for (uint32_t i = 0; i < L->count[SEC_PATTERNS]; i++) {
        uint32_t at = L->off[SEC_PATTERNS] + PATTERN_SIZE * i, dims = rd32(d + at);
        own(L, RCB_OWNER_PATTERN, i);
        if (dims > MAX_DIMS)
            return fail(L, RCB_RULE_BAD_PATTERN, at, "dims = {v} exceeds {l}", dims, MAX_DIMS);
        for (uint32_t k = dims; k < MAX_DIMS; k++)
            if (rd32(d + at + 4 + 4 * k))
                return fail(L, RCB_RULE_NONZERO_PADDING, at + 4 + 4 * k,
                            "sizes[{l}] = {v} is beyond the pattern's dims; unused dims are 0",
                            rd32(d + at + 4 + 4 * k), k);
        for (uint32_t k = dims; k < MAX_DIMS; k++)
            if (rd32(d + at + 20 + 4 * k))
                return fail(L, RCB_RULE_NONZERO_PADDING, at + 20 + 4 * k,
                            "strides[{l}] = {v} is beyond the pattern's dims; unused dims are 0",
                            rd32(d + at + 20 + 4 * k), k);
    }
    return RCB_OK;
}

/* Data-directory entries (bindings when `binding`): the direction or padding byte, the dtype
 * and the stored shape. */
static rcb_status check_stored_tensors(loader *L, unsigned kind)
{
    const uint8_t *d = L->d;
    int binding = kind == SEC_BINDINGS;
    for (uint32_t i = 0; i < L->count[kind]; i++) {
        uint32_t at = L->off[kind] + TENSOR_SIZE * i;
        own(L, binding ? RCB_OWNER_BINDING : RCB_OWNER_ENTRY, i);
        if (binding && d[at + 12] > 1)
            return fail(L, RCB_RULE_BAD_DIRECTION, at + 12,
                        "direction code {v} is not 0 (input) or 1 (output)", d[at + 12], 0);
        if (!binding && d[at + 12])
            return fail(L, RCB_RULE_NONZERO_PADDING, at + 12, "padding byte 12 is {x}, not 0",
                        d[at + 12], 0);
        if (!rcb_dtype_size(d[at + 13]))
            return fail(L, RCB_RULE_UNKNOWN_DTYPE, at + 13,
                        "dtype code {v} is not one of 1 (u8) to 6 (f32)", d[at + 13], 0);
        uint32_t rank = d[at + 14];
        if (rank > MAX_DIMS)
            return fail(L, RCB_RULE_BAD_SHAPE, at + 14, "rank {v} exceeds {l}", rank, MAX_DIMS);
        if (d[at + 15])
            return fail(L, RCB_RULE_NONZERO_PADDING, at + 15,
                        "padding byte after the rank is {x}", d[at + 15], 0);
        for (uint32_t k = rank; k < MAX_DIMS; k++)
            if (rd32(d + at + 16 + 4 * k))
                return fail(L, RCB_RULE_NONZERO_PADDING, at + 16 + 4 * k,
                            "shape[{l}] = {v} is beyond the rank; unused dims are 0",
                            rd32(d + at + 16 + 4 * k), k);
    }
    return RCB_OK;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 (Python's strict decoder). */
static unsigned utf8_sequence(const uint8_t *s, uint32_t n)
{
    uint8_t c = s[0];
    if (c < 0x80)
        return 1;
    unsigned len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (!len || c > 0xF4 || len > n)
        return 0;
    for (unsigned k = 1; k < len; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
        (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
        return 0; /* overlong, surrogate or above U+10FFFF */
    return len;
}

/* The string table ends with NUL, holds UTF-8 strings, as many as its count says. */
static rcb_status check_stored_strings(loader *L)
{
    const uint8_t *s = L->d + L->off[SEC_STRINGS];
    uint32_t size = L->size[SEC_STRINGS], strings = 0;
    own(L, RCB_OWNER_STRINGS, 0);
    if (size && s[size - 1])
        return fail(L, RCB_RULE_BAD_STRING_TABLE, L->off[SEC_STRINGS] + size - 1,
                    "the string table does not end with NUL", 0, 0);
    for (uint32_t start = 0, i = 0; i < size; strings++, start = ++i) {
        while (s[i]) {
            unsigned len = utf8_sequence(s + i, size - i);
            if (!len)
                return fail(L, RCB_RULE_BAD_STRING_TABLE, L->off[SEC_STRINGS] + start,
                            "string {v}: byte {l} is not valid UTF-8", strings, i - start);
            i += len;
        }
    }
    if (strings != L->count[SEC_STRINGS]) {
        own(L, RCB_OWNER_SECTION, (L->entry[SEC_STRINGS] - HEADER_SIZE) / SECTION_ENTRY_SIZE);
        return fail(L, RCB_RULE_SECTION_SIZE, L->entry[SEC_STRINGS] + 12,
                    "count is {v} but the string table holds {l} strings",
                    L->count[SEC_STRINGS], strings);
    }
    return RCB_OK;
}

/* The data image ends where its last entry ends, and every byte outside the entries is 0. */
static rcb_status check_stored_image(loader *L)
{
    const uint8_t *dir = L->d + L->off[SEC_DIRECTORY];
    uint32_t entries = L->count[SEC_DIRECTORY];
    uint64_t end = 0;
    for (uint32_t i = 0; i < entries; i++) {
        uint64_t stop = (uint64_t)rd32(dir + TENSOR_SIZE * i + 4) + rd32(dir + TENSOR_SIZE * i + 8);
        end = stop > end ? stop : end;
    }
    if (L->size[SEC_IMAGE] != end) {
        own(L, RCB_OWNER_SECTION, (L->entry[SEC_IMAGE] - HEADER_SIZE) / SECTION_ENTRY_SIZE);
        return fail(L, RCB_RULE_IMAGE_SIZE, L->entry[SEC_IMAGE] + 8,
                    "the data image is {v} bytes but its last entry ends at {l}",
                    L->size[SEC_IMAGE], end);
    }
    /* Gaps are checked in increasing order, as the Python decoder does on entries sorted by
     * offset. Entries the encoder wrote are sorted: one pass. Otherwise walk the gaps from `pos`,
     * skipping past every entry that covers it, else checking up to the next entry's start:
     * quadratic in the number of entries, never more than one look at each image byte. */
    own(L, RCB_OWNER_IMAGE, 0);
    uint32_t base = L->off[SEC_IMAGE];
    int sorted = 1;
    for (uint32_t i = 1; i < entries && sorted; i++)
        sorted = rd32(dir + TENSOR_SIZE * (i - 1) + 4) <= rd32(dir + TENSOR_SIZE * i + 4);
    if (sorted) {
        uint64_t covered = 0;
        for (uint32_t i = 0; i < entries; i++) {
            uint64_t start = rd32(dir + TENSOR_SIZE * i + 4);
            uint64_t stop = start + rd32(dir + TENSOR_SIZE * i + 8);
            if (start > covered && zeros(L, base + (uint32_t)covered, base + (uint32_t)start))
                return RCB_ERR_INVALID;
            covered = stop > covered ? stop : covered;
        }
        return RCB_OK;
    }
    uint64_t pos = 0;
    while (pos < end) {
        uint64_t cover = pos, next = end;
        for (uint32_t i = 0; i < entries; i++) {
            uint64_t start = rd32(dir + TENSOR_SIZE * i + 4);
            uint64_t stop = start + rd32(dir + TENSOR_SIZE * i + 8);
            if (start <= pos && stop > cover)
                cover = stop;
            else if (start > pos && start < next)
                next = start;
        }
        if (cover > pos) {
            pos = cover;
            continue;
        }
        if (zeros(L, base + (uint32_t)pos, base + (uint32_t)next))
            return RCB_ERR_INVALID;
        pos = next;
    }
    return RCB_OK;
}

/* ---- 4. names and tables ----------------------------------------------------------------- */

static rcb_status check_strings(loader *L)
{
    const uint8_t *s = L->d + L->off[SEC_STRINGS];
    own(L, RCB_OWNER_STRINGS, 0);
    for (uint32_t i = 0; i < L->size[SEC_STRINGS]; i++)
        if (!s[i] && (i == 0 || !s[i - 1]))
            return fail(L, RCB_RULE_BAD_STRING_TABLE, L->off[SEC_STRINGS] + i,
                        "a string is empty; names are non-empty", 0, 0);
    return RCB_OK;
}

/* Every pattern: 1 to 4 dims, sizes at least 1, the 4-byte DMA granularity. */
static rcb_status check_patterns(loader *L)
{
    for (uint32_t i = 0; i < L->count[SEC_PATTERNS]; i++) {
        uint32_t at = L->off[SEC_PATTERNS] + PATTERN_SIZE * i;
        rcb_pattern p;
        read_pattern(L->d + at, &p);
        own(L, RCB_OWNER_PATTERN, i);
        if (p.dims < 1)
            return fail(L, RCB_RULE_BAD_PATTERN, at, "dims = 0; a pattern has 1 to 4", 0, 0);
        for (uint32_t k = 0; k < p.dims; k++)
            if (!p.sizes[k])
                return fail(L, RCB_RULE_BAD_PATTERN, at + 4 + 4 * k,
                            "sizes[{v}] is 0; sizes are at least 1", k, 0);
        uint32_t last = p.dims - 1;
        if (p.sizes[last] % GRANULE)
            return fail(L, RCB_RULE_PATTERN_GRANULARITY, at + 4 + 4 * last,
                        "innermost size {v} is not a multiple of 4 bytes", p.sizes[last], 0);
        if (p.strides[last] != 1)
            return fail(L, RCB_RULE_PATTERN_GRANULARITY, at + 20 + 4 * last,
                        "innermost stride is {v}, not 1", p.strides[last], 0);
        for (uint32_t k = 0; k < last; k++)
            if (p.strides[k] % GRANULE)
                return fail(L, RCB_RULE_PATTERN_GRANULARITY, at + 20 + 4 * k,
                            "strides[{l}] = {v} is not a multiple of 4 bytes", p.strides[k], k);
    }
    return RCB_OK;
}

/* Whether `name` is the offset of a string of the table. */
static int is_string(const loader *L, uint32_t name)
{
    const uint8_t *s = L->d + L->off[SEC_STRINGS];
    return name < L->size[SEC_STRINGS] && (name == 0 || !s[name - 1]);
}

/* Whether the strings at table offsets a and b are equal. */
static int same_string(const loader *L, uint32_t a, uint32_t b)
{
    const uint8_t *s = L->d + L->off[SEC_STRINGS];
    if (a == b)
        return 1;
    while (s[a] && s[a] == s[b])
        a++, b++;
    return s[a] == s[b];
}

/* Data entries or bindings: names, shapes, sizes and places in DDR. */
static rcb_status check_tensors(loader *L, unsigned kind)
{
    const uint8_t *d = L->d;
    int binding = kind == SEC_BINDINGS;
    uint64_t previous_end = 0, image_end = L->size[SEC_IMAGE];
    for (uint32_t i = 0; i < L->count[kind]; i++) {
        uint32_t at = L->off[kind] + TENSOR_SIZE * i;
        uint32_t name = rd32(d + at), offset = rd32(d + at + 4), size = rd32(d + at + 8);
        own(L, binding ? RCB_OWNER_BINDING : RCB_OWNER_ENTRY, i);
        if (!is_string(L, name))
            return fail(L, RCB_RULE_BAD_STRING_REF, at,
                        "name offset {x} is not the start of a string of the {l}-byte table",
                        name, L->size[SEC_STRINGS]);
        for (uint32_t j = 0; j < i; j++)
            if (same_string(L, name, rd32(d + L->off[kind] + TENSOR_SIZE * j)))
                return fail(L, RCB_RULE_DUPLICATE_NAME, at,
                            "its name is also the name of entry {v} of this table", j, 0);
        uint32_t rank = d[at + 14];
        uint64_t elements = 1;
        for (uint32_t k = 0; k < rank; k++) {
            uint32_t extent_k = rd32(d + at + 16 + 4 * k);
            if (!extent_k)
                return fail(L, RCB_RULE_BAD_SHAPE, at + 16 + 4 * k,
                            "shape[{v}] is 0; extents are at least 1", k, 0);
            elements = sat_mul(elements, extent_k);
        }
        uint64_t expected = sat_mul(elements, rcb_dtype_size(d[at + 13]));
        if (size != expected)
            return fail(L, RCB_RULE_SIZE_MISMATCH, at + 8,
                        "size {v} is not the {l} bytes of its dtype and shape", size, expected);
        uint64_t end = (uint64_t)offset + size;
        if (!binding) {
            if (offset % SECTION_ALIGN)
                return fail(L, RCB_RULE_MISALIGNED_ENTRY, at + 4,
                            "offset {x} is not a multiple of 64", offset, 0);
            if (offset < previous_end)
                return fail(L, RCB_RULE_ENTRY_OVERLAP, at + 4,
                            "starts at {x}, before the end {h} of the previous entry", offset,
                            previous_end);
            previous_end = end;
        } else if (offset < image_end) {
            return fail(L, RCB_RULE_BINDING_OVERLAPS_IMAGE, at + 4,
                        "buffer at {x} overlaps the data image, which ends at {h}", offset,
                        image_end);
        }
        if (end > L->ddr_size)
            return fail(L, RCB_RULE_OUTSIDE_DDR, at + 4,
                        "buffer at {x} ends past the program's DDR of {l} bytes", offset,
                        L->ddr_size);
    }
    return RCB_OK;
}

/* ---- 5. records -------------------------------------------------------------------------- */

enum { ANY_KIND = 7, COMPUTE_ONLY = 1u << RCB_COMPUTE, NOT_INTERFACE = 6 };

/* The tile at byte `at` (col, row) of the record at `base` is inside the array and of a kind
 * in the bit set `kinds`; its kind goes to *kind. */
static rcb_status check_tile(loader *L, uint32_t base, unsigned at, unsigned kinds, rcb_kind *kind)
{
    const rcb_target *t = L->t;
    const uint8_t *tile = L->d + base + at;
    if (tile[0] >= t->columns)
        return fail_tile(L, RCB_RULE_TILE_OUTSIDE_ARRAY, base + at,
                         "tile {t}: column {v} is outside the array's columns 0..{l}", tile,
                         tile[0], t->columns - 1u);
    if (tile[1] >= t->rows)
        return fail_tile(L, RCB_RULE_TILE_OUTSIDE_ARRAY, base + at + 1,
                         "tile {t}: row {v} is outside the array's rows 0..{l}", tile, tile[1],
                         t->rows - 1u);
    *kind = rcb_kind_of(t, tile[1]);
    if (!(kinds & (1u << *kind))) {
        static const char *const WRONG[3][2] = {
            {"tile {t} is an interface tile, not a compute or memory tile",
             "tile {t} is an interface tile, not a compute tile"},
            {"", "tile {t} is a memory tile, not a compute tile"},
            {"", ""}};
        return fail_tile(L, RCB_RULE_WRONG_TILE_KIND, base + at + 1,
                         WRONG[*kind][kinds == COMPUTE_ONLY], tile, 0, 0);
    }
    return RCB_OK;
}

/* An interface tile at byte `at` must be in a column that reaches DDR. */
static rcb_status check_ddr_column(loader *L, uint32_t base, unsigned at)
{
    const uint8_t *tile = L->d + base + at;
    if (!(L->t->ddr_columns >> tile[0] & 1u))
        return fail_tile(L, RCB_RULE_NOT_DDR_COLUMN, base + at,
                         "interface tile {t} does not reach DDR", tile, 0, 0);
    return RCB_OK;
}

/* The channel at byte `at` is below the kind's count for `direction` (RHAL_MM2S or S2MM). */
static rcb_status check_channel(loader *L, uint32_t base, unsigned at, rcb_kind kind,
                                unsigned mm2s)
{
    const rcb_kind_spec *s = &L->t->kinds[kind];
    uint32_t channel = L->d[base + at], count = mm2s ? s->mm2s_channels : s->s2mm_channels;
    if (channel >= count)
        return fail(L, RCB_RULE_CHANNEL_OUT_OF_RANGE, base + at,
                    mm2s ? "mm2s channel {v} is out of range: the tile has {l}"
                         : "s2mm channel {v} is out of range: the tile has {l}",
                    channel, count);
    return RCB_OK;
}

/* The usable byte range [*low, *high) of the memory an endpoint on a `kind` tile addresses. */
static void memory_range(const loader *L, rcb_kind kind, uint32_t *low, uint32_t *high)
{
    *low = kind == RCB_COMPUTE ? L->t->stack_bytes : 0;
    *high = kind == RCB_INTERFACE ? L->ddr_size : L->t->kinds[kind].memory;
}

/* A parameter block of `size` bytes at the u32 field `at` of the record at `base`. */
static rcb_status check_block(loader *L, uint32_t base, unsigned at, rcb_kind kind, uint64_t size)
{
    uint32_t offset = rd32(L->d + base + at), low, high;
    if (offset % GRANULE)
        return fail(L, RCB_RULE_MISALIGNED_PARAMS, base + at,
                    "parameter offset {x} is not a multiple of 4", offset, 0);
    memory_range(L, kind, &low, &high);
    if (offset < low)
        return fail(L, RCB_RULE_PARAMS_OUT_OF_BOUNDS, base + at,
                    "parameter offset {x} is inside the compute tile's stack, below {h}", offset,
                    low);
    if (offset + size > high)
        return fail(L, RCB_RULE_PARAMS_OUT_OF_BOUNDS, base + at,
                    "a {v}-byte parameter block there ends past the tile's {l} bytes", size,
                    high);
    return RCB_OK;
}

/* One side of a dma_start: tile at byte `tile_at`, channel, pattern index and offset. */
static rcb_status check_endpoint(loader *L, uint32_t base, unsigned tile_at, unsigned channel_at,
                                 unsigned offset_at, unsigned pattern_at, unsigned mm2s,
                                 rcb_pattern *pattern)
{
    rcb_kind kind;
    if (check_tile(L, base, tile_at, ANY_KIND, &kind))
        return RCB_ERR_INVALID;
    if (kind == RCB_INTERFACE && check_ddr_column(L, base, tile_at))
        return RCB_ERR_INVALID;
    if (check_channel(L, base, channel_at, kind, mm2s))
        return RCB_ERR_INVALID;
    uint32_t index = rd16(L->d + base + pattern_at);
    if (index >= L->count[SEC_PATTERNS])
        return fail(L, RCB_RULE_PATTERN_INDEX_OUT_OF_RANGE, base + pattern_at,
                    "pattern {v} is not in the {l}-entry pattern table", index,
                    L->count[SEC_PATTERNS]);
    read_pattern(L->d + L->off[SEC_PATTERNS] + PATTERN_SIZE * index, pattern);
    uint32_t max_dims = L->t->kinds[kind].max_dims;
    if (pattern->dims > max_dims)
        return fail(L, RCB_RULE_PATTERN_DIMS, base + pattern_at,
                    "the pattern has {v} dims but this tile's DMA walks at most {l}",
                    pattern->dims, max_dims);
    uint32_t offset = rd32(L->d + base + offset_at), low, high;
    if (offset % GRANULE)
        return fail(L, RCB_RULE_PATTERN_GRANULARITY, base + offset_at,
                    "DMA offset {x} is not a multiple of 4", offset, 0);
    memory_range(L, kind, &low, &high);
    if (offset < low)
        return fail(L, RCB_RULE_PATTERN_OUT_OF_BOUNDS, base + offset_at,
                    mm2s ? "src offset {x} is inside the compute tile's stack, below {h}"
                         : "dst offset {x} is inside the compute tile's stack, below {h}",
                    offset, low);
    uint64_t e = extent(pattern, offset);
    if (e > high)
        return fail(L, RCB_RULE_PATTERN_OUT_OF_BOUNDS, base + pattern_at,
                    mm2s ? "src pattern extent {v} exceeds the memory's {l} bytes"
                         : "dst pattern extent {v} exceeds the memory's {l} bytes",
                    e, high);
    return RCB_OK;
}

/* `count` used lock slots of `width` bytes at byte `at`: ids and values in range for the
 * tile each names (the tile at byte `tile_at`, or `other_at` for side 1 of a DMA slot). */
static rcb_status check_locks(loader *L, uint32_t base, unsigned at, unsigned count,
                              unsigned width, unsigned tile_at, unsigned other_at)
{
    const uint8_t *d = L->d + base;
    for (unsigned j = 0; j < count; j++) {
        const uint8_t *slot = d + at + j * width;
        uint8_t id = slot[width - 2], value = slot[width - 1];
        if (!value)
            break;
        uint8_t row = d[(width == 3 && slot[0] ? other_at : tile_at) + 1];
        const rcb_kind_spec *s = &L->t->kinds[rcb_kind_of(L->t, row)];
        uint32_t id_at = base + at + j * width + width - 2;
        if (id >= s->locks)
            return fail(L, RCB_RULE_LOCK_OUT_OF_RANGE, id_at,
                        "lock id {v} is out of range: the tile has {l} locks", id, s->locks);
        if (value > s->max_lock_value)
            return fail(L, RCB_RULE_LOCK_VALUE_OUT_OF_RANGE, id_at + 1,
                        "lock value {v} is out of range 1..{l}", value, s->max_lock_value);
    }
    return RCB_OK;
}

/* A lock id at byte 3 and value at byte 4 (lock_acquire, lock_release). */
static rcb_status check_lock_record(loader *L, uint32_t base)
{
    rcb_kind kind;
    if (check_tile(L, base, 1, ANY_KIND, &kind))
        return RCB_ERR_INVALID;
    const rcb_kind_spec *s = &L->t->kinds[kind];
    uint8_t id = L->d[base + 3], value = L->d[base + 4];
    if (id >= s->locks)
        return fail(L, RCB_RULE_LOCK_OUT_OF_RANGE, base + 3,
                    "lock id {v} is out of range: the tile has {l} locks", id, s->locks);
    if (value < 1 || value > s->max_lock_value)
        return fail(L, RCB_RULE_LOCK_VALUE_OUT_OF_RANGE, base + 4,
                    "lock value {v} is out of range 1..{l}", value, s->max_lock_value);
    return RCB_OK;
}

/* Record `i`'s fields against the target, the tables and the kernel library, in order. */
static rcb_status check_record(loader *L, uint32_t i)
{
    uint32_t base = L->off[SEC_CODE] + RECORD_SIZE * i;
    const uint8_t *r = L->d + base;
    rcb_kind kind;
    own(L, RCB_OWNER_RECORD, i);
    L->diag->opcode = r[0];
    switch (r[0]) {
    case RCB_OP_CONFIGURE_TILE:
        return check_tile(L, base, 1, ANY_KIND, &kind);
    case RCB_OP_WRITE_PARAMS: {
        if (check_tile(L, base, 1, NOT_INTERFACE, &kind))
            return RCB_ERR_INVALID;
        uint32_t entry = rd32(r + 8);
        if (entry >= L->count[SEC_DIRECTORY])
            return fail(L, RCB_RULE_ENTRY_INDEX_OUT_OF_RANGE, base + 8,
                        "entry {v} is not in the {l}-entry data directory", entry,
                        L->count[SEC_DIRECTORY]);
        uint32_t size = rd32(L->d + L->off[SEC_DIRECTORY] + TENSOR_SIZE * entry + 8);
        return check_block(L, base, 4, kind, size);
    }
    case RCB_OP_DMA_START: {
        rcb_pattern src, dst;
        if (check_endpoint(L, base, 1, 3, 8, 16, 1, &src) ||
            check_endpoint(L, base, 4, 6, 12, 18, 0, &dst))
            return RCB_ERR_INVALID;
        u128 a = byte_count(&src), b = byte_count(&dst);
        if (a.hi != b.hi || a.lo != b.lo)
            return fail(L, RCB_RULE_PATTERN_SIZE_MISMATCH, base + 18,
                        "the src pattern moves {v} bytes but the dst pattern {l}",
                        a.hi ? SAT : a.lo, b.hi ? SAT : b.lo);
        if (check_locks(L, base, 20, 2, 3, 1, 4))
            return RCB_ERR_INVALID;
        return check_locks(L, base, 26, 2, 3, 1, 4);
    }
    case RCB_OP_LAUNCH: {
        if (check_tile(L, base, 1, COMPUTE_ONLY, &kind))
            return RCB_ERR_INVALID;
        uint32_t id = rd16(r + 4), block = rcb_kernel_block_size((uint16_t)id);
        if (!block)
            return fail(L, RCB_RULE_UNKNOWN_KERNEL, base + 4,
                        "kernel id {v} is not in the kernel library (1 to 6)", id, 0);
        if (check_block(L, base, 8, kind, block))
            return RCB_ERR_INVALID;
        if (check_locks(L, base, 12, 4, 2, 1, 1))
            return RCB_ERR_INVALID;
        return check_locks(L, base, 20, 4, 2, 1, 1);
    }
    case RCB_OP_LOCK_ACQUIRE:
    case RCB_OP_LOCK_RELEASE:
        return check_lock_record(L, base);
    case RCB_OP_WAIT:
        if (check_tile(L, base, 1, ANY_KIND, &kind))
            return RCB_ERR_INVALID;
        if (kind == RCB_INTERFACE && check_ddr_column(L, base, 1))
            return RCB_ERR_INVALID;
        return check_channel(L, base, 4, kind, r[3]);
    case RCB_OP_WAIT_CORE:
        return check_tile(L, base, 1, COMPUTE_ONLY, &kind);
    default: /* barrier, end */
        return RCB_OK;
    }
}

/* Every record in order; the last, and only the last, is end. */
static rcb_status check_records(loader *L)
{
    uint32_t n = L->count[SEC_CODE];
    if (!n) {
        own(L, RCB_OWNER_CODE, 0);
        return fail(L, RCB_RULE_MISSING_END, L->off[SEC_CODE],
                    "there are no records; the last record must be end", 0, 0);
    }
    for (uint32_t i = 0; i < n; i++) {
        if (check_record(L, i))
            return RCB_ERR_INVALID;
        uint32_t at = L->off[SEC_CODE] + RECORD_SIZE * i;
        if (L->d[at] == RCB_OP_END && i != n - 1)
            return fail(L, RCB_RULE_END_NOT_LAST, at, "end is followed by {v} more records",
                        n - 1 - i, 0);
    }
    uint32_t last = L->off[SEC_CODE] + RECORD_SIZE * (n - 1);
    if (L->d[last] != RCB_OP_END)
        return fail(L, RCB_RULE_MISSING_END, last, "the last record is not end", 0, 0);
    return RCB_OK;
}

/* ---- API --------------------------------------------------------------------------------- */

rcb_status rcb_load(rcb_program *prog, const void *file, size_t size, rcb_diag *diag)
{
    if (!diag)
        return RCB_ERR_ARGUMENT;
    memset(diag, 0, sizeof *diag);
    diag->record = RCB_NO_RECORD;
    if (!prog || (!file && size)) {
        diag->status = RCB_ERR_ARGUMENT;
        diag->what = "rcb_load needs a program and a file";
        return RCB_ERR_ARGUMENT;
    }
    loader L;
    memset(&L, 0, sizeof L);
    L.d = file;
    L.diag = diag;
    if (check_header(&L, size) || check_sections(&L) || check_stored_records(&L) ||
        check_stored_patterns(&L) || check_stored_tensors(&L, SEC_DIRECTORY) ||
        check_stored_tensors(&L, SEC_BINDINGS) || check_stored_strings(&L) ||
        check_stored_image(&L) || check_strings(&L) || check_patterns(&L) ||
        check_tensors(&L, SEC_DIRECTORY) || check_tensors(&L, SEC_BINDINGS) ||
        check_records(&L))
        return RCB_ERR_INVALID;
    own(&L, RCB_OWNER_NONE, 0);
    prog->file = L.d;
    prog->file_size = L.n;
    prog->target = L.t;
    prog->ddr_size = L.ddr_size;
    prog->flags = L.flags;
    prog->code = L.d + L.off[SEC_CODE];
    prog->records = L.count[SEC_CODE];
    prog->patterns = L.d + L.off[SEC_PATTERNS];
    prog->pattern_count = L.count[SEC_PATTERNS];
    prog->directory = L.d + L.off[SEC_DIRECTORY];
    prog->entry_count = L.count[SEC_DIRECTORY];
    prog->bindings = L.d + L.off[SEC_BINDINGS];
    prog->binding_count = L.count[SEC_BINDINGS];
    prog->strings = L.d + L.off[SEC_STRINGS];
    prog->strings_size = L.size[SEC_STRINGS];
    prog->image = L.d + L.off[SEC_IMAGE];
    prog->image_size = L.size[SEC_IMAGE];
    return RCB_OK;
}

/* Decode the 32-byte tensor entry at `p` of a loaded program. */
static void read_tensor(const rcb_program *prog, const uint8_t *p, int entry, rcb_tensor *out)
{
    out->name = (const char *)prog->strings + rd32(p);
    out->offset = rd32(p + 4);
    out->size = rd32(p + 8);
    out->direction = entry ? 0 : p[12];
    out->dtype = p[13];
    out->rank = p[14];
    for (unsigned k = 0; k < MAX_DIMS; k++)
        out->shape[k] = rd32(p + 16 + 4 * k);
    out->data = entry ? prog->image + out->offset : NULL;
}

rcb_status rcb_binding(const rcb_program *prog, uint32_t index, rcb_tensor *out)
{
    if (!prog || !out || index >= prog->binding_count)
        return RCB_ERR_ARGUMENT;
    read_tensor(prog, prog->bindings + TENSOR_SIZE * index, 0, out);
    return RCB_OK;
}

rcb_status rcb_entry(const rcb_program *prog, uint32_t index, rcb_tensor *out)
{
    if (!prog || !out || index >= prog->entry_count)
        return RCB_ERR_ARGUMENT;
    read_tensor(prog, prog->directory + TENSOR_SIZE * index, 1, out);
    return RCB_OK;
}

rcb_status rcb_pattern_at(const rcb_program *prog, uint32_t index, rcb_pattern *out)
{
    if (!prog || !out || index >= prog->pattern_count)
        return RCB_ERR_ARGUMENT;
    read_pattern(prog->patterns + PATTERN_SIZE * index, out);
    return RCB_OK;
}
