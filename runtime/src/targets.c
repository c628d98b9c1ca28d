/*
 * targets.c - the devices of format version 1, as python/rcbc/targets.py describes them, and
 * the kernel library's ids (python/rcbc/kernels/library.py).
 */
#include "internal.h"

/* Columns numbered from 0 whose interface tile reaches DDR, as a bit set. */
#define COLS2(a, b) ((1ull << (a)) | (1ull << (b)))

/* AIE2 tiles (aie-ml, npu1, npu2): 64 KiB cores, 512 KiB memory tiles, 6-bit locks. */
/* Fields: memory, mm2s channels, s2mm channels, BDs, locks, max lock value, max DMA dims. */
#define AIE2_KINDS                                          \
    {                                                       \
        [RCB_INTERFACE] = {0, 2, 2, 16, 16, 63, 3},         \
        [RCB_MEMORY] = {512u * 1024u, 6, 6, 48, 64, 63, 4}, \
        [RCB_COMPUTE] = {64u * 1024u, 2, 2, 16, 16, 63, 3}  \
    }

static const rcb_target TARGETS[] = {
    {1, "aie-ml", 38, 11, 2, 1024,
     COLS2(2, 3) | COLS2(6, 7) | COLS2(14, 15) | COLS2(22, 23) | COLS2(30, 31) | COLS2(34, 35),
     AIE2_KINDS},
    {2, "aie", 50, 9, 0, 1024,
     COLS2(2, 3) | COLS2(6, 7) | COLS2(10, 11) | COLS2(18, 19) | COLS2(26, 27) | COLS2(34, 35) |
         COLS2(42, 43) | COLS2(46, 47),
     {[RCB_INTERFACE] = {0, 2, 2, 16, 16, 1, 1}, [RCB_MEMORY] = {0, 0, 0, 0, 0, 0, 0},
      [RCB_COMPUTE] = {32u * 1024u, 2, 2, 16, 16, 1, 1}}},
    {3, "npu1", 4, 6, 1, 1024, 0xFull, AIE2_KINDS},
    {4, "npu2", 8, 6, 1, 1024, 0xFFull, AIE2_KINDS},
};

/* Every target must fit the engine's claimed-tile bitmap. */
typedef char tiles_fit_bitmap[(50u * 9u <= RCB_MAX_TILES) ? 1 : -1];

const rcb_target *rcb_target_by_id(uint16_t id)
{
    for (unsigned i = 0; i < sizeof TARGETS / sizeof TARGETS[0]; i++)
        if (TARGETS[i].id == id)
            return &TARGETS[i];
    return NULL;
}

rcb_kind rcb_kind_of(const rcb_target *target, uint8_t row)
{
    if (row == 0)
        return RCB_INTERFACE;
    return row <= target->memtile_rows ? RCB_MEMORY : RCB_COMPUTE;
}

/* Fields per parameter block, by kernel id (docs/kernels.md); 0 marks an unknown id. */
static const uint8_t KERNEL_FIELDS[] = {0, 30, 30, 24, 6, 12, 9, 35, 35, 25, 7, 14, 15};
static const char *const KERNEL_NAMES[] = {
    "unknown",   "conv2d",           "depthwise_conv2d",  "pool2d",    "global_avgpool",
    "matmul",    "eltwise",          "conv2d_i8",         "depthwise_conv2d_i8",
    "pool2d_i8", "global_avgpool_i8", "matmul_i8",        "eltwise_i8"};

uint32_t rcb_kernel_block_size(uint16_t id)
{
    return id < sizeof KERNEL_FIELDS ? 4u * KERNEL_FIELDS[id] : 0u;
}

const char *rcb_kernel_name(uint16_t id)
{
    return KERNEL_NAMES[id < sizeof KERNEL_FIELDS ? id : 0];
}

uint32_t rcb_dtype_size(uint8_t dtype)
{
    static const uint8_t SIZES[] = {0, 1, 1, 2, 4, 2, 4};
    return dtype < sizeof SIZES ? SIZES[dtype] : 0u;
}

uint32_t rcb_crc32(uint32_t crc, const uint8_t *data, size_t size)
{
    /* Half-byte table: 64 bytes of constants instead of 1 KiB, fast enough for a loader. */
    static const uint32_t T[16] = {
        0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
        0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
        0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu};
    crc = ~crc;
    for (size_t i = 0; i < size; i++) {
        crc ^= data[i];
        crc = (crc >> 4) ^ T[crc & 15u];
        crc = (crc >> 4) ^ T[crc & 15u];
    }
    return ~crc;
}
