/*
 * rcb.h - the RCB engine: a freestanding loader and dispatch loop for RCB bytecode.
 *
 * The engine validates a program exactly as docs/rcb-bytecode.md (section 6) requires and walks
 * its records once, in order, reaching the hardware only through RHAL (rcb/rhal.h). It uses no
 * heap, no stdio and no OS: every byte it touches is handed in by the caller, its only tables
 * are fixed-size members of the structures below, and every failure is a status code plus an
 * rcb_diag that names the rule, the byte offset or the record.
 *
 *     rcb_program prog;
 *     rcb_diag diag;
 *     if (rcb_load(&prog, file, file_size, &diag) != RCB_OK) { report(&diag); return; }
 *     rcb_engine engine;
 *     rcb_engine_init(&engine, &prog, &my_rhal_ops, my_rhal_context);
 *     rcb_set_input(&engine, 0, input, input_size, &diag);
 *     if (rcb_run(&engine, &diag) == RCB_OK)
 *         rcb_get_output(&engine, 1, output, output_size, &diag);
 *
 * The file's bytes must stay alive and unchanged while `prog` is used: records and tables are
 * read in place (byte by byte, so the buffer needs no particular alignment).
 */
#ifndef RCB_RCB_H
#define RCB_RCB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the format this engine reads (a newer minor is accepted, section 4). */
#define RCB_MAJOR 1u

/* Capacity of the engine's one table: a bit per tile claimed by configure_tile. It covers every
 * target of version 1 (the largest, aie, has 50 x 9 tiles); a target beyond it is a build
 * error, not a run-time surprise (see targets.c). */
#define RCB_MAX_TILES 512u

/* Header flags (section 4). HOST_DISPATCH: each barrier and the end return to the host, which
 * dispatches what follows (a modeled flow; the records mean the same). */
#define RCB_FLAG_HOST_DISPATCH 0x1u
#define RCB_KNOWN_FLAGS RCB_FLAG_HOST_DISPATCH

/* Record index meaning "no record" (loader writes, errors outside the record stream). */
#define RCB_NO_RECORD 0xFFFFFFFFu

/* Every status an engine or RHAL function returns. */
typedef enum rcb_status {
    RCB_OK = 0,
    RCB_ERR_INVALID,      /* the file breaks a rule of section 6 (rcb_diag.rule says which) */
    RCB_ERR_ARGUMENT,     /* an API misuse: null pointer, index or size that does not match */
    RCB_ERR_UNCONFIGURED, /* a record uses a tile no configure_tile claimed before it */
    RCB_ERR_DEADLOCK,     /* the controller is blocked and nothing can run (section 3.3) */
    RCB_ERR_LOCK,         /* a release would take a lock above its maximum */
    RCB_ERR_BOUNDS,       /* an access outside a memory */
    RCB_ERR_UNDEFINED,    /* a read of bytes nothing wrote before (section 3.4) */
    RCB_ERR_KERNEL,       /* a launch breaks its kernel's contract (docs/kernels.md) */
    RCB_ERR_LIMIT,        /* a limit of the RHAL implementation (memory, work budget) */
    RCB_ERR_HARDWARE      /* any other failure an RHAL port reports */
} rcb_status;

/* The validation rules of section 6, in the specification's order. */
typedef enum rcb_rule {
    RCB_RULE_NONE = 0,
    RCB_RULE_TRUNCATED,
    RCB_RULE_BAD_MAGIC,
    RCB_RULE_NEWER_MAJOR,
    RCB_RULE_BAD_VERSION,
    RCB_RULE_FILE_SIZE,
    RCB_RULE_CRC_MISMATCH,
    RCB_RULE_NONZERO_PADDING,
    RCB_RULE_UNKNOWN_TARGET,
    RCB_RULE_TARGET_MISMATCH,
    RCB_RULE_UNKNOWN_FLAGS,
    RCB_RULE_SECTION_OUTSIDE_FILE,
    RCB_RULE_UNKNOWN_SECTION,
    RCB_RULE_DUPLICATE_SECTION,
    RCB_RULE_MISALIGNED_SECTION,
    RCB_RULE_SECTION_SIZE,
    RCB_RULE_MISSING_SECTION,
    RCB_RULE_SECTION_OVERLAP,
    RCB_RULE_UNKNOWN_OPCODE,
    RCB_RULE_BAD_LOCK_SLOT,
    RCB_RULE_BAD_DIRECTION,
    RCB_RULE_BAD_PATTERN,
    RCB_RULE_UNKNOWN_DTYPE,
    RCB_RULE_BAD_SHAPE,
    RCB_RULE_BAD_STRING_TABLE,
    RCB_RULE_IMAGE_SIZE,
    RCB_RULE_PATTERN_GRANULARITY,
    RCB_RULE_BAD_STRING_REF,
    RCB_RULE_DUPLICATE_NAME,
    RCB_RULE_SIZE_MISMATCH,
    RCB_RULE_MISALIGNED_ENTRY,
    RCB_RULE_ENTRY_OVERLAP,
    RCB_RULE_BINDING_OVERLAPS_IMAGE,
    RCB_RULE_OUTSIDE_DDR,
    RCB_RULE_TILE_OUTSIDE_ARRAY,
    RCB_RULE_WRONG_TILE_KIND,
    RCB_RULE_NOT_DDR_COLUMN,
    RCB_RULE_CHANNEL_OUT_OF_RANGE,
    RCB_RULE_PATTERN_INDEX_OUT_OF_RANGE,
    RCB_RULE_PATTERN_DIMS,
    RCB_RULE_PATTERN_OUT_OF_BOUNDS,
    RCB_RULE_PATTERN_SIZE_MISMATCH,
    RCB_RULE_LOCK_OUT_OF_RANGE,
    RCB_RULE_LOCK_VALUE_OUT_OF_RANGE,
    RCB_RULE_ENTRY_INDEX_OUT_OF_RANGE,
    RCB_RULE_MISALIGNED_PARAMS,
    RCB_RULE_PARAMS_OUT_OF_BOUNDS,
    RCB_RULE_UNKNOWN_KERNEL,
    RCB_RULE_END_NOT_LAST,
    RCB_RULE_MISSING_END,
    RCB_RULE_COUNT
} rcb_rule;

/* What a diagnostic is about, for its message prefix ("record 5 (dma_start): ..."). */
typedef enum rcb_owner {
    RCB_OWNER_NONE = 0,
    RCB_OWNER_HEADER,
    RCB_OWNER_SECTION, /* entry `index` of the section table */
    RCB_OWNER_RECORD,  /* record `index` */
    RCB_OWNER_PATTERN,
    RCB_OWNER_ENTRY, /* data-directory entry */
    RCB_OWNER_BINDING,
    RCB_OWNER_STRINGS,
    RCB_OWNER_IMAGE,
    RCB_OWNER_CODE,
    RCB_OWNER_TILE /* `index` is col << 8 | row (an unconfigured tile) */
} rcb_owner;

/*
 * Why a load or a run failed. `what` is a static phrase in which "{v}" stands for `value` in
 * decimal, "{x}" for `value` in hexadecimal, "{l}" and "{h}" for `limit` in decimal and
 * hexadecimal, and "{t}" for the tile
 * "(col,row)" of `tile`; rcb_format_diag renders it.
 */
typedef struct rcb_diag {
    rcb_status status;
    rcb_rule rule;     /* RCB_RULE_NONE unless status is RCB_ERR_INVALID */
    uint32_t offset;   /* byte offset of the field at fault (validation) */
    uint32_t record;   /* the record that failed at run time, or RCB_NO_RECORD */
    rcb_owner owner;   /* what the message is about */
    uint32_t index;    /* which one of them */
    uint8_t opcode;    /* the record's opcode when owner is RCB_OWNER_RECORD */
    uint8_t tile[2];   /* col, row for "{t}" */
    uint64_t value;    /* the value at fault */
    uint64_t limit;    /* the limit it breaks */
    const char *what;  /* static text; never NULL after a failure */
} rcb_diag;

/* The three kinds of tiles (section 1). */
typedef enum rcb_kind { RCB_INTERFACE = 0, RCB_MEMORY = 1, RCB_COMPUTE = 2 } rcb_kind;

/* Resources of one kind of tile (rcbc.targets.TileKind). */
typedef struct rcb_kind_spec {
    uint32_t memory;        /* bytes of data memory (0: none; interface tiles reach DDR) */
    uint8_t mm2s_channels;  /* memory-to-stream DMA channels */
    uint8_t s2mm_channels;  /* stream-to-memory DMA channels */
    uint8_t bds;            /* buffer descriptors shared by the tile's channels */
    uint8_t locks;          /* counting semaphores */
    uint8_t max_lock_value; /* 1 for binary locks, 63 for 6-bit semaphores */
    uint8_t max_dims;       /* dimensions one DMA access pattern may have */
} rcb_kind_spec;

/* A device: the geometry the header repeats and what validation needs (rcbc.targets). */
typedef struct rcb_target {
    uint16_t id;           /* header target id: 1 aie-ml, 2 aie, 3 npu1, 4 npu2 */
    const char *name;      /* "aie-ml", ... */
    uint8_t columns;
    uint8_t rows;          /* including the interface row 0 */
    uint8_t memtile_rows;  /* rows 1..memtile_rows hold memory tiles */
    uint32_t stack_bytes;  /* reserved at the bottom of each compute tile's memory */
    uint64_t ddr_columns;  /* bit c set: interface column c reaches DDR */
    rcb_kind_spec kinds[3]; /* by rcb_kind; kinds[RCB_MEMORY] is all 0 without memory tiles */
} rcb_target;

/* A tile as records address it. */
typedef struct rcb_tile {
    uint8_t col;
    uint8_t row;
} rcb_tile;

/* An access pattern (section 2): `dims` sizes and strides in bytes, outermost first. */
typedef struct rcb_pattern {
    uint32_t dims;
    uint32_t sizes[4];
    uint32_t strides[4];
} rcb_pattern;

/* Element types of data entries and bindings (section 5). */
typedef enum rcb_dtype {
    RCB_U8 = 1, RCB_I8 = 2, RCB_I16 = 3, RCB_I32 = 4, RCB_BF16 = 5, RCB_F32 = 6
} rcb_dtype;

/* A data-directory entry or an I/O binding, decoded (section 5). */
typedef struct rcb_tensor {
    const char *name;     /* NUL-terminated UTF-8, inside the file's string table */
    uint32_t offset;      /* in DDR (and, for data entries, in the data image) */
    uint32_t size;        /* bytes */
    uint8_t direction;    /* bindings: 0 input, 1 output; data entries: 0 */
    uint8_t dtype;        /* rcb_dtype */
    uint8_t rank;         /* 0 to 4 */
    uint32_t shape[4];    /* 0 beyond the rank */
    const uint8_t *data;  /* data entries: the payload in the file; bindings: NULL */
} rcb_tensor;

/* A validated program: views into the caller's file bytes. Fill it with rcb_load only. */
typedef struct rcb_program {
    const uint8_t *file;
    uint32_t file_size;
    const rcb_target *target;
    uint32_t ddr_size;
    uint32_t flags;           /* header flags, RCB_FLAG_* */
    const uint8_t *code;      /* 32-byte records */
    uint32_t records;
    const uint8_t *patterns;  /* 36-byte pattern entries */
    uint32_t pattern_count;
    const uint8_t *directory; /* 32-byte data-directory entries */
    uint32_t entry_count;
    const uint8_t *bindings;  /* 32-byte I/O bindings */
    uint32_t binding_count;
    const uint8_t *strings;
    uint32_t strings_size;
    const uint8_t *image;
    uint32_t image_size;
} rcb_program;

/* Record opcodes (section 5). */
enum rcb_opcode {
    RCB_OP_CONFIGURE_TILE = 0x01,
    RCB_OP_WRITE_PARAMS = 0x02,
    RCB_OP_DMA_START = 0x10,
    RCB_OP_LAUNCH = 0x20,
    RCB_OP_LOCK_ACQUIRE = 0x30,
    RCB_OP_LOCK_RELEASE = 0x31,
    RCB_OP_WAIT = 0x40,
    RCB_OP_WAIT_CORE = 0x41,
    RCB_OP_BARRIER = 0x42,
    RCB_OP_END = 0xFF
};

/* Kernel ids of the kernel library (docs/kernels.md) and the size of each parameter block. */
enum rcb_kernel_id {
    RCB_KERNEL_CONV2D = 1,
    RCB_KERNEL_DEPTHWISE_CONV2D = 2,
    RCB_KERNEL_POOL2D = 3,
    RCB_KERNEL_GLOBAL_AVGPOOL = 4,
    RCB_KERNEL_MATMUL = 5,
    RCB_KERNEL_ELTWISE = 6,
    /* int8 counterparts of 1 to 6: the same id plus RCB_KERNEL_INT8_OFFSET */
    RCB_KERNEL_CONV2D_I8 = 7,
    RCB_KERNEL_DEPTHWISE_CONV2D_I8 = 8,
    RCB_KERNEL_POOL2D_I8 = 9,
    RCB_KERNEL_GLOBAL_AVGPOOL_I8 = 10,
    RCB_KERNEL_MATMUL_I8 = 11,
    RCB_KERNEL_ELTWISE_I8 = 12,
    RCB_KERNEL_INT8_OFFSET = 6
};

/* ---- targets ----------------------------------------------------------------------------- */

/* The target with header id `id`, or NULL. */
const rcb_target *rcb_target_by_id(uint16_t id);

/* The kind of the tiles of `row`, which must be below target->rows. */
rcb_kind rcb_kind_of(const rcb_target *target, uint8_t row);

/* Bytes of the parameter block of kernel `id`, or 0 for an id not in the library. */
uint32_t rcb_kernel_block_size(uint16_t id);

/* The kernel's name ("conv2d", ...), or "unknown". */
const char *rcb_kernel_name(uint16_t id);

/* ---- loading ----------------------------------------------------------------------------- */

/*
 * Validate the `size` bytes at `file` against section 6 and fill `prog`. On failure returns
 * RCB_ERR_INVALID (or RCB_ERR_ARGUMENT for a null pointer) with `diag` naming the first broken
 * rule and its byte offset, exactly as the Python decoder (rcbc.bytecode.decode) does.
 */
rcb_status rcb_load(rcb_program *prog, const void *file, size_t size, rcb_diag *diag);

/* Binding `index` of a loaded program; RCB_ERR_ARGUMENT when out of range. */
rcb_status rcb_binding(const rcb_program *prog, uint32_t index, rcb_tensor *out);

/* Data-directory entry `index` of a loaded program; RCB_ERR_ARGUMENT when out of range. */
rcb_status rcb_entry(const rcb_program *prog, uint32_t index, rcb_tensor *out);

/* Pattern-table entry `index`, decoded; RCB_ERR_ARGUMENT when out of range. */
rcb_status rcb_pattern_at(const rcb_program *prog, uint32_t index, rcb_pattern *out);

/* Bytes per element of a dtype code (0 for an unknown code). */
uint32_t rcb_dtype_size(uint8_t dtype);

/* The IEEE 802.3 CRC-32 (as zlib's crc32) of `size` bytes, continuing from `crc`. */
uint32_t rcb_crc32(uint32_t crc, const uint8_t *data, size_t size);

/* ---- diagnostics ------------------------------------------------------------------------- */

/* The rule id of the specification ("pattern-out-of-bounds"), or "" for RCB_RULE_NONE. */
const char *rcb_rule_name(rcb_rule rule);

/* A short name of a status ("deadlock"). */
const char *rcb_status_name(rcb_status status);

/* The record kind of an opcode ("dma_start"), or "unknown". */
const char *rcb_opcode_name(uint8_t opcode);

/*
 * Render `diag` as "record 5 (dma_start): dst pattern extent 65664 exceeds ..." into `buf`
 * (always NUL-terminated when cap > 0, truncated to fit). Returns the length it needed.
 * Freestanding: a bare-metal port prints the same text as the host tool.
 */
size_t rcb_format_diag(const rcb_diag *diag, char *buf, size_t cap);

/* ---- running ----------------------------------------------------------------------------- */

struct rhal_ops;

/* The state of one run: the engine's only memory, owned by the caller. */
typedef struct rcb_engine {
    const rcb_program *prog;
    const struct rhal_ops *hal;
    void *hal_ctx;
    uint32_t pc;                          /* the next record to dispatch */
    uint64_t start_time, end_time;        /* RHAL timestamps around the record walk */
    uint8_t claimed[RCB_MAX_TILES / 8];   /* tiles configured before the current record */
} rcb_engine;

/* Bind an engine to a loaded program and an RHAL implementation. */
rcb_status rcb_engine_init(rcb_engine *engine, const rcb_program *prog,
                           const struct rhal_ops *hal, void *hal_ctx);

/* Write input binding `index` (size must be the binding's) into DDR through RHAL. */
rcb_status rcb_set_input(rcb_engine *engine, uint32_t index, const void *data, uint32_t size,
                         rcb_diag *diag);

/*
 * Run the program once: copy the data image's entries into DDR, check that every tile a record
 * uses is claimed by an earlier configure_tile, then dispatch every record in order. Returns
 * the first failing status with `diag.record` naming the record.
 */
rcb_status rcb_run(rcb_engine *engine, rcb_diag *diag);

/* Read output binding `index` (size must be the binding's) from DDR through RHAL. */
rcb_status rcb_get_output(rcb_engine *engine, uint32_t index, void *data, uint32_t size,
                          rcb_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* RCB_RCB_H */
