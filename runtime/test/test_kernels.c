/*
 * test_kernels.c - the C reference kernels on hand-computed cases, and their refusals: windows
 * that miss needed rows, unwritten inputs, regions outside the tile.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"
#include "test.h"

enum { MEM = 65536, PARAMS = 1024, A = 2048, B = 4096, C = 6144, OUT = 8192, RES = 10240,
       TABLE = 12288 };

static hmem mem;
static float scratch[MEM / 4];
static char msg[1024];

static void reset(void)
{
    memset(mem.data, 0, MEM);
    memset(mem.defined, 0, MEM / 8);
}

/* Store floats at `addr`, written. */
static void put(uint32_t addr, const float *v, size_t n)
{
    memcpy(mem.data + addr, v, 4 * n);
    hmem_mark(&mem, addr, addr + 4 * n);
}

/* Store a parameter block of `n` words (floats given as their value in `f`, NAN elsewhere). */
static void params(const int32_t *words, size_t n, float act_min, float act_max, int floats)
{
    memcpy(mem.data + PARAMS, words, 4 * n);
    if (floats) {
        memcpy(mem.data + PARAMS + 4 * n, &act_min, 4);
        memcpy(mem.data + PARAMS + 4 * n + 4, &act_max, 4);
        n += 2;
    }
    hmem_mark(&mem, PARAMS, PARAMS + 4 * n);
}

static rcb_status launch(uint16_t kernel)
{
    kernel_run k = {&mem, 7, {2, 3}, kernel, PARAMS, scratch, UINT64_MAX, 0, msg, sizeof msg};
    msg[0] = '\0';
    return host_kernel_run(&k);
}

static float out(int i)
{
    float v;
    memcpy(&v, mem.data + OUT + 4 * i, 4);
    return v;
}

static int near(float a, float b) { return fabsf(a - b) <= 1e-6f * (1 + fabsf(b)); }

/* conv2d fields up to res_addr and activation: in 3x3 of one channel, 3x3 ones, pad 1. */
static void conv_params(int32_t flags, int32_t activation, int32_t in_rows, int32_t in_y0)
{
    int32_t w[28] = {0, A, 1, in_rows, 3, in_y0, 0, B, C, OUT, 1, 3, 3, 0, 0, 3, 3, 1, 1, 1, 1,
                     1, 1, 3, 3, flags, RES, activation};
    params(w, 28, 0.0f, 6.0f, 1);
}

static void convolutions(void)
{
    reset();
    float ones[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, bias = 0.5f;
    put(A, ones, 9);
    put(B, ones, 9);
    put(C, &bias, 1);
    conv_params(2 | 4, 0, 3, 0); /* BIAS | FINALIZE, no activation */
    CHECK_EQ(launch(1), RCB_OK);
    const float expected[9] = {4.5f, 6.5f, 4.5f, 6.5f, 9.5f, 6.5f, 4.5f, 6.5f, 4.5f};
    for (int i = 0; i < 9; i++)
        CHECK(near(out(i), expected[i]));
    /* ACCUMULATE adds the previous output; FINALIZE with RESIDUAL and clamp to [0, 6]. */
    float res[9] = {-20, 0, 0, 0, 0, 0, 0, 0, 0};
    put(RES, res, 9);
    conv_params(1 | 4 | 8, 2, 3, 0);
    CHECK_EQ(launch(1), RCB_OK);
    CHECK(near(out(0), 0.0f) && near(out(1), 6.0f) && near(out(4), 6.0f));
    /* ACCUMULATE | BIAS starts from the output block (a preloaded residual) plus the bias. */
    conv_params(1 | 2 | 4, 0, 3, 0);
    CHECK_EQ(launch(1), RCB_OK);
    CHECK(near(out(0), 0.0f + 4.0f + 0.5f) && near(out(1), 6.0f + 6.0f + 0.5f));
    /* A window holding only rows [1, 3) misses row 0, which output row 0 needs. */
    conv_params(2 | 4, 0, 2, 1);
    CHECK_EQ(launch(1), RCB_ERR_KERNEL);
    CHECK(contains(msg, "record 7 (launch conv2d on (2,3)): conv2d: output block at (0,0) of "
                        "3x3 needs input rows [0,3) cols [0,3) but its window holds rows [1,3) "
                        "cols [0,3)"));
    /* Unwritten weights. */
    reset();
    put(A, ones, 9);
    conv_params(0, 0, 3, 0);
    CHECK_EQ(launch(1), RCB_ERR_UNDEFINED);
    CHECK(contains(msg, "record 7 reads bytes [4096,4132) of tile, which nothing wrote before"));
}

static void depthwise(void)
{
    reset();
    float in[8] = {1, 2, 3, 4, 10, 20, 30, 40}; /* 2 channels of 2x2 */
    float w[2] = {2, -1};                        /* 1x1 filters */
    put(A, in, 8);
    put(B, w, 2);
    int32_t f[28] = {0, A, 2, 2, 2, 0, 0, B, C, OUT, 2, 2, 2, 0, 0, 1, 1, 1, 1, 1, 1,
                     0, 0, 2, 2, 4, 0, 1};
    params(f, 28, 0, 0, 1); /* FINALIZE, ReLU */
    CHECK_EQ(launch(2), RCB_OK);
    CHECK(near(out(0), 2) && near(out(3), 8) && near(out(4), 0) && near(out(7), 0));
    f[10] = 3; /* out_c differs from in_c */
    params(f, 28, 0, 0, 1);
    CHECK_EQ(launch(2), RCB_ERR_KERNEL);
    CHECK(contains(msg, "depthwise_conv2d: in_c 2 differs from out_c 3"));
}

static void pooling(void)
{
    reset();
    float in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}; /* 3x3, pool 3x3 stride 1 pad 1 */
    put(A, in, 9);
    for (int mode = 0; mode < 3; mode++) {
        int32_t f[24] = {0, A, 1, 3, 3, 0, 0, OUT, 1, 3, 3, 0, 0, 3, 3, 1, 1, 1, 1, 1, 1, 3, 3,
                         mode};
        params(f, 24, 0, 0, 0);
        CHECK_EQ(launch(3), RCB_OK);
        if (mode == 0)
            CHECK(near(out(0), 5) && near(out(4), 9) && near(out(8), 9));
        else if (mode == 1)
            CHECK(near(out(0), 12.0f / 9) && near(out(4), 5));
        else
            CHECK(near(out(0), 3) && near(out(1), 3.5f) && near(out(4), 5));
    }
    int32_t f[24] = {0, A, 1, 3, 3, 0, 0, OUT, 1, 3, 3, 0, 0, 3, 3, 1, 1, 1, 1, 1, 1, 3, 3, 5};
    params(f, 24, 0, 0, 0);
    CHECK_EQ(launch(3), RCB_ERR_KERNEL);
    /* global average pooling of two channels */
    int32_t g[6] = {0, A, 2, 2, 2, OUT};
    float two[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    put(A, two, 8);
    params(g, 6, 0, 0, 0);
    CHECK_EQ(launch(4), RCB_OK);
    CHECK(near(out(0), 2.5f) && near(out(1), 6.5f));
}

static void matmul_and_eltwise(void)
{
    reset();
    float x[6] = {1, 2, 3, 4, 5, 6}; /* [2, 3] */
    float w[6] = {1, 0, 1, 0, 1, 0}; /* [2, 3]: sums of columns 0+2, column 1 */
    float b[2] = {10, 20};
    put(A, x, 6);
    put(B, w, 6);
    put(C, b, 2);
    int32_t m[10] = {0, A, 2, 3, B, C, OUT, 2, 2 | 4, 0};
    params(m, 10, 0, 0, 1);
    CHECK_EQ(launch(5), RCB_OK);
    CHECK(near(out(0), 14) && near(out(1), 22) && near(out(2), 20) && near(out(3), 25));
    m[8] = 1; /* ACCUMULATE without FINALIZE */
    params(m, 10, 0, 0, 1);
    CHECK_EQ(launch(5), RCB_OK);
    CHECK(near(out(0), 18) && near(out(3), 30));

    reset();
    float a[4] = {-4, -1, 0, 2}, c[4] = {1, 2, 3, 4};
    put(A, a, 4);
    put(B, c, 4);
    struct {
        int32_t op, act;
        float lo, hi;
        float expected[4];
    } cases[] = {
        {0, 0, 0, 0, {-4, -1, 0, 2}},
        {1, 1, 0, 0, {0, 1, 3, 6}},
        {2, 2, -3, 5, {-3, -2, 0, 5}},
        {0, 3, 0, 0, {0.01798621f, 0.26894142f, 0.5f, 0.88079708f}},
        {0, 4, 0, 0, {-0.0f, -0.33333334f, 0, 1.6666666f}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t e[7] = {0, A, B, OUT, 4, cases[i].op, cases[i].act};
        params(e, 7, cases[i].lo, cases[i].hi, 1);
        CHECK_EQ(launch(6), RCB_OK);
        for (int j = 0; j < 4; j++)
            CHECK(near(out(j), cases[i].expected[j]));
    }
    int32_t e[7] = {0, A, B, MEM - 8, 4, 1, 0};
    params(e, 7, 0, 0, 1);
    CHECK_EQ(launch(6), RCB_ERR_BOUNDS);
    CHECK(contains(msg, "record 7 accesses bytes [65528,65544) outside tile of 65536 bytes"));
    int32_t bad_op[7] = {0, A, B, OUT, 4, 3, 0};
    params(bad_op, 7, 0, 0, 1);
    CHECK_EQ(launch(6), RCB_ERR_KERNEL);
    int32_t bad_dtype[7] = {1, A, B, OUT, 4, 1, 0};
    params(bad_dtype, 7, 0, 0, 1);
    CHECK_EQ(launch(6), RCB_ERR_KERNEL);
    CHECK(contains(msg, "dtype 1 is not 0 (f32)"));
}

/* Store bytes (int8 values) or 32-bit words at `addr`, written. */
static void put_bytes(uint32_t addr, const int8_t *v, size_t n)
{
    memcpy(mem.data + addr, v, n);
    hmem_mark(&mem, addr, addr + n);
}

static void put_words(uint32_t addr, const int32_t *v, size_t n)
{
    memcpy(mem.data + addr, v, 4 * n);
    hmem_mark(&mem, addr, addr + 4 * n);
}

static int out_i8(int i) { return (int8_t)mem.data[OUT + i]; }

static int32_t out_i32(int i)
{
    int32_t v;
    memcpy(&v, mem.data + OUT + 4 * i, 4);
    return v;
}

/* conv2d_i8 on one 3x3 channel of 2s (in_zp 1: real 1s), 3x3 ones, pad 1, bias 1, multiplier
 * 0.5 for the conv and 1.0 for the residual, out_zp -3, clamp [q_min, 127]. */
static void conv_i8_params(int32_t flags, int32_t q_min)
{
    int32_t w[35] = {1, A, 1, 3, 3, 0, 0, B, C, OUT, 1, 3, 3, 0, 0, 3, 3, 1, 1, 1, 1, 1, 1, 3, 3,
                     flags, RES, 1, TABLE, -3, 0, 1 << 30, 30, q_min, 127};
    params(w, 35, 0, 0, 0);
}

static void int8_kernels(void)
{
    reset();
    int8_t twos[9] = {2, 2, 2, 2, 2, 2, 2, 2, 2}, ones[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    int8_t res[9] = {-10, 0, 0, 0, 0, 0, 0, 0, 0};
    int32_t bias = 1, table[2] = {1 << 30, 31};
    put_bytes(A, twos, 9);
    put_bytes(B, ones, 9);
    put_bytes(RES, res, 9);
    put_words(C, &bias, 1);
    put_words(TABLE, table, 2);
    /* sums 4, 6, 9 (+1) halved, rounded half away from zero (2.5 -> 3), less 3 */
    conv_i8_params(2 | 4, -128);
    CHECK_EQ(launch(7), RCB_OK);
    const int one_launch[9] = {0, 1, 0, 1, 2, 1, 0, 1, 0};
    for (int i = 0; i < 9; i++)
        CHECK_EQ(out_i8(i), one_launch[i]);
    /* Two chunks: the first leaves int32 sums in the output block, the second finalizes them
     * with the residual (-10 at the corner) and the clamp at -6. */
    conv_i8_params(2, -128);
    CHECK_EQ(launch(7), RCB_OK);
    CHECK(out_i32(0) == 5 && out_i32(1) == 7 && out_i32(4) == 10);
    conv_i8_params(1 | 4 | 8, -6);
    CHECK_EQ(launch(7), RCB_OK);
    CHECK(out_i8(0) == -6 && out_i8(1) == 4 && out_i8(4) == 7);
    conv_i8_params(2 | 4, 200);
    CHECK_EQ(launch(7), RCB_ERR_KERNEL);
    CHECK(contains(msg, "record 7 (launch conv2d_i8 on (2,3)): conv2d_i8: q_min 200 is outside "
                        "[-128, 127]"));
    table[1] = 63;
    put_words(TABLE, table, 2);
    conv_i8_params(2 | 4, -128);
    CHECK_EQ(launch(7), RCB_ERR_KERNEL);
    CHECK(contains(msg, "conv2d_i8: channel 0: requantization shift 63 is outside [0, 62]"));

    /* eltwise_i8 add: a halved (3 -> 2, -3 -> -2) plus b less its zero point 1. */
    int8_t a[2] = {3, -3}, b[2] = {0, 0};
    put_bytes(A, a, 2);
    put_bytes(B, b, 2);
    int32_t e[15] = {1, A, B, OUT, 2, 1, 0, 1 << 30, 31, 1, 1 << 30, 30, 0, -128, 127};
    params(e, 15, 0, 0, 0);
    CHECK_EQ(launch(12), RCB_OK);
    CHECK(out_i8(0) == 1 && out_i8(1) == -3);

    /* pool2d_i8 3x3, pad 1, zero point 2, at the corner of 1..9: max 5; the average over the
     * window 2 + round(4 / 9) = 2, over the positions inside 2 + 4 / 4 = 3. */
    int8_t in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    put_bytes(A, in, 9);
    const int corner[3] = {5, 2, 3};
    for (int mode = 0; mode < 3; mode++) {
        int32_t f[25] = {1, A, 1, 3, 3, 0, 0, OUT, 1, 3, 3, 0, 0, 3, 3, 1, 1, 1, 1, 1, 1, 3, 3,
                         mode, 2};
        params(f, 25, 0, 0, 0);
        CHECK_EQ(launch(9), RCB_OK);
        CHECK_EQ(out_i8(0), corner[mode]);
    }
}

void test_kernels(void)
{
    mem.data = calloc(1, MEM);
    mem.defined = calloc(1, MEM / 8);
    mem.size = MEM;
    strcpy(mem.name, "tile");
    convolutions();
    depthwise();
    pooling();
    matmul_and_eltwise();
    int8_kernels();
    free(mem.data);
    free(mem.defined);
}
