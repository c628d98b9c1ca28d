/*
 * kernels.c - C reference implementations of the kernel library (docs/kernels.md), with the
 * contract and results of python/rcbc/kernels/reference.py.
 *
 * A launch reads its parameter block, checks every region it reads (inside the tile memory,
 * written before) in the order the Python reference reads them, computes its output block into
 * scratch memory and only then stores it, so an output that overlaps an input behaves as in
 * numpy. Sums are accumulated in double and rounded once, then bias, accumulation, residual and
 * activation are applied in f32 in numpy's order: results agree with numpy to float32 rounding
 * of the sums (well within 1e-5 relative), not bit for bit. The int8 kernels compute exactly
 * (python/rcbc/kernels/fixed_point.py), so they agree with numpy bit for bit.
 *
 * Taps of a sliding window that fall outside the image are padding: they are skipped instead of
 * multiplied by zero, which bounds a launch's work by its window, not by its kernel size.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host_internal.h"

enum { ACCUMULATE = 1, BIAS = 2, FINALIZE = 4, RESIDUAL = 8 };
enum { ACT_NONE, ACT_RELU, ACT_CLAMP, ACT_SIGMOID, ACT_HARDSWISH };
enum { POOL_MAX, POOL_AVG, POOL_AVG_VALID };
enum { OP_COPY, OP_ADD, OP_MUL };
enum { MAX_FIELDS = 35 };

/* A launch being run: the request, its fields and its activation bounds. */
typedef struct launch {
    kernel_run *k;
    const char *name;
    int64_t f[MAX_FIELDS]; /* every field as the signed 32-bit word Python's unpack reads */
    float act_min, act_max;
} launch;

/* Fail with a contract violation: "record 5 (launch conv2d on (2,3)): <text>". */
static rcb_status kernel_error(const launch *l, const char *fmt, ...)
{
    kernel_run *k = l->k;
    int n = snprintf(k->msg, k->cap, "record %u (launch %s on (%u,%u)): ", (unsigned)k->record,
                     l->name, (unsigned)k->tile.col, (unsigned)k->tile.row);
    if (n >= 0 && (size_t)n < k->cap) {
        va_list args;
        va_start(args, fmt);
        vsnprintf(k->msg + n, k->cap - (size_t)n, fmt, args);
        va_end(args);
    }
    return RCB_ERR_KERNEL;
}

/* count elements of `size` (at most 4) bytes, saturating far above any memory. */
static uint64_t bytes_of(uint64_t count, unsigned size)
{
    return count > (UINT64_MAX >> 3) ? UINT64_MAX >> 1 : count * size;
}

/* a * b for non-negative element counts, saturating. */
static uint64_t mul(uint64_t a, uint64_t b)
{
    return (a && b > (UINT64_MAX >> 3) / a) ? UINT64_MAX >> 3 : a * b;
}

/* Check that `count` elements of `size` bytes at `addr` may be read (is_read) or written. */
static rcb_status region(const launch *l, int64_t addr, uint64_t count, unsigned size,
                         int is_read)
{
    kernel_run *k = l->k;
    return hmem_check(k->mem, addr, bytes_of(count, size), is_read, k->record, k->msg, k->cap);
}

/* Check that `count` f32 elements at `addr` may be read. */
static rcb_status reads(const launch *l, int64_t addr, uint64_t count)
{
    return region(l, addr, count, 4, 1);
}

/* Check that `count` f32 elements at `addr` may be written. */
static rcb_status writes(const launch *l, int64_t addr, uint64_t count)
{
    return region(l, addr, count, 4, 0);
}

/* A little-endian 32-bit word as the signed value Python's struct "<i" reads. */
static int64_t signed32(uint32_t word)
{
    return word < 0x80000000u ? (int64_t)word : (int64_t)word - 0x100000000ll;
}

/* The little-endian 32-bit word at `p`. */
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The little-endian f32 at `p`. */
static float f32_at(const uint8_t *p)
{
    uint32_t bits = le32(p);
    float v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Word `i` of the 32-bit array at byte `addr` (checked), little-endian. */
static uint32_t word_at(const launch *l, int64_t addr, int64_t i)
{
    return le32(l->k->mem->data + addr + 4 * i);
}

/* Element `i` of the f32 array at byte `addr` (checked by `reads`). */
static float at(const launch *l, int64_t addr, int64_t i)
{
    return f32_at(l->k->mem->data + addr + 4 * i);
}

/* Store `count` results from scratch at byte `addr` (checked by `writes`) and mark them. */
static void store(const launch *l, int64_t addr, uint64_t count)
{
    hmem *m = l->k->mem;
    for (uint64_t i = 0; i < count; i++) {
        uint32_t bits;
        memcpy(&bits, &l->k->scratch[i], sizeof bits);
        uint8_t *p = m->data + addr + 4 * i;
        p[0] = (uint8_t)bits, p[1] = (uint8_t)(bits >> 8), p[2] = (uint8_t)(bits >> 16),
        p[3] = (uint8_t)(bits >> 24);
    }
    hmem_mark(m, (uint64_t)addr, (uint64_t)addr + 4 * count);
}

/* numpy's maximum: a NaN operand gives NaN. */
static float np_max(float a, float b) { return isnan(a) ? a : isnan(b) ? b : a >= b ? a : b; }

/* numpy's minimum: a NaN operand gives NaN. */
static float np_min(float a, float b) { return isnan(a) ? a : isnan(b) ? b : a <= b ? a : b; }

/* The activation `code` (checked by `activation_ok`) applied to `x`, in f32 as numpy does. */
static float activate(const launch *l, int64_t code, float x)
{
    switch (code) {
    case ACT_RELU: return np_max(x, 0.0f);
    case ACT_CLAMP: return np_min(np_max(x, l->act_min), l->act_max);
    case ACT_SIGMOID: return 1.0f / (1.0f + expf(-x));
    case ACT_HARDSWISH: return x * np_min(np_max(x + 3.0f, 0.0f), 6.0f) / 6.0f;
    default: return x;
    }
}

/* An activation code is one of docs/kernels.md. */
static rcb_status activation_ok(const launch *l, int64_t code)
{
    if (code < ACT_NONE || code > ACT_HARDSWISH)
        return kernel_error(l, "%s: activation %lld is not one of 0 (none), 1 (relu), 2 (clamp), 3 (sigmoid), "
                            "4 (hardswish)",
                            l->name, (long long)code);
    return RCB_OK;
}

/* Spend `macs` of the run's work budget. */
static rcb_status spend(const launch *l, double macs)
{
    kernel_run *k = l->k;
    k->macs = macs;
    if (k->work_left != UINT64_MAX && macs > (double)k->work_left)
        return kernel_error(l, "%s: %.0f multiply-accumulates exceed the simulator's work limit",
                            l->name, macs);
    if (k->work_left != UINT64_MAX)
        k->work_left -= (uint64_t)macs;
    return RCB_OK;
}

/* ---- sliding windows (conv2d, depthwise_conv2d, pool2d) ----------------------------------- */

/* A window of an input block of `esize`-byte elements and the output block computed from it. */
typedef struct sliding {
    int64_t in_addr, in_c, in_h, in_w, in_y0, in_x0;
    int64_t out_c, out_h, out_w, out_y0, out_x0;
    int64_t kh, kw, sh, sw, dh, dw, pad_top, pad_left, image_h, image_w;
    unsigned esize;
} sliding;

/* Fill `s` from the fields: the input window at `in`, the output at `out`, the sliding
 * parameters (kh .. pad_left) at `slide`, then image_h and image_w. */
static void read_sliding(const launch *l, int in, int out, int slide, sliding *s)
{
    const int64_t *f = l->f;
    s->esize = l->k->kernel > RCB_KERNEL_INT8_OFFSET ? 1u : 4u;
    s->in_addr = f[in], s->in_c = f[in + 1], s->in_h = f[in + 2], s->in_w = f[in + 3];
    s->in_y0 = f[in + 4], s->in_x0 = f[in + 5];
    s->out_c = f[out + 1], s->out_h = f[out + 2], s->out_w = f[out + 3];
    s->out_y0 = f[out + 4], s->out_x0 = f[out + 5];
    s->kh = f[slide], s->kw = f[slide + 1], s->sh = f[slide + 2], s->sw = f[slide + 3];
    s->dh = f[slide + 4], s->dw = f[slide + 5], s->pad_top = f[slide + 6];
    s->pad_left = f[slide + 7], s->image_h = f[slide + 8], s->image_w = f[slide + 9];
}

/* [*lo, *hi): the first input row (or column) the output block needs, and one past its last,
 * clipped to the image. Every operand is below 2^31, so no step overflows. */
static void needed(int64_t out0, int64_t count, int64_t stride, int64_t k, int64_t dil,
                   int64_t pad, int64_t image, int64_t *lo, int64_t *hi)
{
    int64_t first = out0 * stride - pad;
    int64_t span = (count - 1) * stride + (k - 1) * dil + 1;
    *lo = first > 0 ? first : 0;
    *hi = span > image - first ? image : first + span;
}

/* Read the input window and check it against the image and the outputs' needs
 * (reference.py, _padded_window). */
static rcb_status check_window(const launch *l, const sliding *s)
{
    if (s->kh < 1 || s->kw < 1 || s->sh < 1 || s->sw < 1 || s->dh < 1 || s->dw < 1)
        return kernel_error(l, "%s: kernel size, stride and dilation must be at least 1",
                            l->name);
    rcb_status st = region(l, s->in_addr,
                           mul(mul((uint64_t)s->in_c, (uint64_t)s->in_h), (uint64_t)s->in_w),
                           s->esize, 1);
    if (st != RCB_OK)
        return st;
    int64_t ny0, ny1, nx0, nx1;
    needed(s->out_y0, s->out_h, s->sh, s->kh, s->dh, s->pad_top, s->image_h, &ny0, &ny1);
    needed(s->out_x0, s->out_w, s->sw, s->kw, s->dw, s->pad_left, s->image_w, &nx0, &nx1);
    int64_t hy1 = s->in_y0 + s->in_h, hx1 = s->in_x0 + s->in_w;
    if (hy1 > s->image_h || hx1 > s->image_w)
        return kernel_error(l,
                            "%s: output block at (%lld,%lld) of %lldx%lld: input window rows "
                            "[%lld,%lld) cols [%lld,%lld) exceeds the image of %lldx%lld",
                            l->name, (long long)s->out_y0, (long long)s->out_x0,
                            (long long)s->out_h, (long long)s->out_w, (long long)s->in_y0,
                            (long long)hy1, (long long)s->in_x0, (long long)hx1,
                            (long long)s->image_h, (long long)s->image_w);
    int covered = s->in_y0 <= ny0 && ny1 <= hy1 && s->in_x0 <= nx0 && nx1 <= hx1;
    if (ny0 < ny1 && nx0 < nx1 && !covered)
        return kernel_error(l,
                            "%s: output block at (%lld,%lld) of %lldx%lld needs input rows "
                            "[%lld,%lld) cols [%lld,%lld) but its window holds rows [%lld,%lld) "
                            "cols [%lld,%lld)",
                            l->name, (long long)s->out_y0, (long long)s->out_x0,
                            (long long)s->out_h, (long long)s->out_w, (long long)ny0,
                            (long long)ny1, (long long)nx0, (long long)nx1, (long long)s->in_y0,
                            (long long)hy1, (long long)s->in_x0, (long long)hx1);
    return RCB_OK;
}

/* The taps [*lo, *hi) of one axis whose input position base + i * dil is inside the image. */
static void taps(int64_t base, int64_t k, int64_t dil, int64_t image, int64_t *lo, int64_t *hi)
{
    *lo = base < 0 ? (-base + dil - 1) / dil : 0;
    *hi = k;
    if (base >= image)
        *hi = 0;
    else if ((image - base + dil - 1) / dil < k)
        *hi = (image - base + dil - 1) / dil;
}

/* [*lo, *hi): the outputs of a block, along one axis, whose taps all lie inside the image, as
 * their first and last taps do. */
static void interior(int64_t out0, int64_t count, int64_t stride, int64_t k, int64_t dil,
                     int64_t pad, int64_t image, int64_t *lo, int64_t *hi)
{
    int64_t first = out0 * stride - pad, ignored;
    taps(first, count, stride, image, lo, &ignored);
    taps(first + (k - 1) * dil, count, stride, image, &ignored, hi);
}

/* Accumulation and bias, then residual and activation on the final chunk, then store
 * (reference.py, _finish). `channel_of` gives the bias index of element e. Regions were checked
 * by `check_finish`. */
static void finish(const launch *l, int64_t flags, int64_t out_addr, int64_t bias_addr,
                   int64_t res_addr, int64_t activation, uint64_t count, uint64_t inner,
                   int bias_by_column)
{
    float *r = l->k->scratch;
    for (uint64_t e = 0; e < count; e++) {
        float v = r[e];
        if (flags & ACCUMULATE)
            v = v + at(l, out_addr, (int64_t)e);
        if (flags & BIAS)
            v = v + at(l, bias_addr, (int64_t)(bias_by_column ? e % inner : e / inner));
        if (flags & FINALIZE) {
            if (flags & RESIDUAL)
                v = v + at(l, res_addr, (int64_t)e);
            v = activate(l, activation, v);
        }
        r[e] = v;
    }
    store(l, out_addr, count);
}

/* The reads and the write of `finish`, in the reference's order, before any computing. */
static rcb_status check_finish(const launch *l, int64_t flags, int64_t out_addr,
                               int64_t bias_addr, int64_t res_addr, int64_t activation,
                               uint64_t count, uint64_t channels)
{
    rcb_status st = RCB_OK;
    if (flags & ACCUMULATE)
        st = reads(l, out_addr, count);
    if (st == RCB_OK && (flags & BIAS))
        st = reads(l, bias_addr, channels);
    if (st == RCB_OK && (flags & FINALIZE) && (flags & RESIDUAL))
        st = res_addr < 0 ? kernel_error(l, "%s: has no residual block", l->name)
                          : reads(l, res_addr, count);
    if (st == RCB_OK && (flags & FINALIZE))
        st = activation_ok(l, activation);
    return st == RCB_OK ? writes(l, out_addr, count) : st;
}

/* conv2d and depthwise_conv2d (kernel ids 1 and 2). */
static rcb_status conv(const launch *l, int depthwise)
{
    const int64_t *f = l->f;
    sliding s;
    read_sliding(l, 1, 9, 15, &s);
    int64_t w_addr = f[7], bias_addr = f[8], out_addr = f[9], flags = f[25];
    if (depthwise && s.in_c != s.out_c)
        return kernel_error(l, "%s: in_c %lld differs from out_c %lld", l->name,
                            (long long)s.in_c, (long long)s.out_c);
    rcb_status st = check_window(l, &s);
    if (st != RCB_OK)
        return st;
    uint64_t per_filter = depthwise ? 1u : (uint64_t)s.in_c;
    uint64_t taps_count = mul((uint64_t)s.kh, (uint64_t)s.kw);
    st = reads(l, w_addr, mul(mul((uint64_t)s.out_c, per_filter), taps_count));
    uint64_t plane = mul((uint64_t)s.out_h, (uint64_t)s.out_w);
    uint64_t count = mul((uint64_t)s.out_c, plane);
    if (st == RCB_OK)
        st = check_finish(l, flags, out_addr, bias_addr, f[26], f[27], count, (uint64_t)s.out_c);
    if (st == RCB_OK)
        st = spend(l, (double)count * (double)per_filter * (double)s.kh * (double)s.kw);
    if (st != RCB_OK)
        return st;
    /* Each output is a double sum over its taps (c, i, j) in that order, padding skipped. The
     * outputs of a row whose taps all lie inside the image, [xa, xb), go four at a time: four
     * independent sums, which the CPU overlaps, sharing each weight and with no padding test.
     * Each sum takes the same steps as alone, so the results are the same bit for bit. */
    float *r = l->k->scratch;
    const uint8_t *in = l->k->mem->data + s.in_addr;
    int64_t xa, xb;
    interior(s.out_x0, s.out_w, s.sw, s.kw, s.dw, s.pad_left, s.image_w, &xa, &xb);
    for (int64_t o = 0; o < s.out_c && count; o++)
        for (int64_t oy = 0; oy < s.out_h; oy++) {
            int64_t by = (s.out_y0 + oy) * s.sh - s.pad_top;
            int64_t i0, i1;
            taps(by, s.kh, s.dh, s.image_h, &i0, &i1);
            float *out = r + (o * s.out_h + oy) * s.out_w;
            for (int64_t ox = 0; ox < s.out_w;) {
                int64_t bx = (s.out_x0 + ox) * s.sw - s.pad_left;
                int four = ox >= xa && ox + 4 <= xb;
                int64_t j0 = 0, j1 = s.kw;
                if (!four)
                    taps(bx, s.kw, s.dw, s.image_w, &j0, &j1);
                double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
                int64_t c0 = depthwise ? o : 0, c1 = depthwise ? o + 1 : s.in_c;
                for (int64_t c = c0; c < c1; c++) {
                    int64_t filter = (o * (int64_t)per_filter + (depthwise ? 0 : c)) * s.kh;
                    for (int64_t i = i0; i < i1; i++) {
                        int64_t row = (c * s.in_h + by + i * s.dh - s.in_y0) * s.in_w - s.in_x0;
                        for (int64_t j = j0; j < j1; j++) {
                            double w = (double)at(l, w_addr, (filter + i) * s.kw + j);
                            const uint8_t *p = in + 4 * (row + bx + j * s.dw);
                            a0 += (double)f32_at(p) * w;
                            if (four) {
                                a1 += (double)f32_at(p + 4 * s.sw) * w;
                                a2 += (double)f32_at(p + 8 * s.sw) * w;
                                a3 += (double)f32_at(p + 12 * s.sw) * w;
                            }
                        }
                    }
                }
                out[ox++] = (float)a0;
                if (four)
                    out[ox++] = (float)a1, out[ox++] = (float)a2, out[ox++] = (float)a3;
            }
        }
    finish(l, flags, out_addr, bias_addr, f[26], f[27], count, plane, 0);
    return RCB_OK;
}

/* pool2d (kernel id 3). */
static rcb_status pool(const launch *l)
{
    const int64_t *f = l->f;
    int64_t mode = f[23], out_addr = f[7];
    if (mode < POOL_MAX || mode > POOL_AVG_VALID)
        return kernel_error(l, "pool2d: mode %lld is not one of 0 (max), 1 (avg), 2 (avg_valid)",
                            (long long)mode);
    sliding s;
    read_sliding(l, 1, 7, 13, &s);
    if (s.in_c != s.out_c)
        return kernel_error(l, "pool2d: in_c %lld differs from out_c %lld", (long long)s.in_c,
                            (long long)s.out_c);
    rcb_status st = check_window(l, &s);
    uint64_t count = mul(mul((uint64_t)s.out_c, (uint64_t)s.out_h), (uint64_t)s.out_w);
    if (st == RCB_OK)
        st = writes(l, out_addr, count);
    if (st == RCB_OK)
        st = spend(l, (double)count * (double)s.kh * (double)s.kw);
    if (st != RCB_OK)
        return st;
    float *r = l->k->scratch;
    float window = (float)(s.kh * s.kw); /* both below 2^31: the product fits */
    for (int64_t c = 0; c < s.out_c && count; c++)
        for (int64_t oy = 0; oy < s.out_h; oy++)
            for (int64_t ox = 0; ox < s.out_w; ox++) {
                int64_t by = (s.out_y0 + oy) * s.sh - s.pad_top;
                int64_t bx = (s.out_x0 + ox) * s.sw - s.pad_left;
                int64_t i0, i1, j0, j1;
                taps(by, s.kh, s.dh, s.image_h, &i0, &i1);
                taps(bx, s.kw, s.dw, s.image_w, &j0, &j1);
                float best = -INFINITY;
                double sum = 0.0;
                for (int64_t i = i0; i < i1; i++) {
                    int64_t row = (c * s.in_h + by + i * s.dh - s.in_y0) * s.in_w - s.in_x0;
                    for (int64_t j = j0; j < j1; j++) {
                        float v = at(l, s.in_addr, row + bx + j * s.dw);
                        if (!isnan(best) && (isnan(v) || v > best))
                            best = v;
                        sum += (double)v;
                    }
                }
                int64_t inside = (i1 > i0 ? i1 - i0 : 0) * (j1 > j0 ? j1 - j0 : 0);
                float v = mode == POOL_MAX ? best
                          : mode == POOL_AVG ? (float)sum / window
                          : inside ? (float)sum / (float)inside
                                   : NAN;
                r[(c * s.out_h + oy) * s.out_w + ox] = v;
            }
    store(l, out_addr, count);
    return RCB_OK;
}

/* global_avgpool (kernel id 4). */
static rcb_status global_avgpool(const launch *l)
{
    const int64_t *f = l->f;
    int64_t in_addr = f[1], channels = f[2], plane = f[3] * f[4], out_addr = f[5];
    rcb_status st = reads(l, in_addr, mul((uint64_t)channels, (uint64_t)plane));
    if (st == RCB_OK)
        st = writes(l, out_addr, (uint64_t)channels);
    if (st == RCB_OK)
        st = spend(l, (double)channels * (double)plane);
    if (st != RCB_OK)
        return st;
    for (int64_t c = 0; c < channels; c++) {
        double sum = 0.0;
        for (int64_t i = 0; i < plane; i++)
            sum += (double)at(l, in_addr, c * plane + i);
        l->k->scratch[c] = plane ? (float)sum / (float)plane : NAN;
    }
    store(l, out_addr, (uint64_t)channels);
    return RCB_OK;
}

/* matmul (kernel id 5): out[m, n] = sum over k of in[m, k] * w[n, k], then the flags. */
static rcb_status matmul(const launch *l)
{
    const int64_t *f = l->f;
    int64_t in_addr = f[1], m = f[2], k = f[3], w_addr = f[4], bias_addr = f[5],
            out_addr = f[6], n = f[7], flags = f[8], activation = f[9];
    uint64_t count = mul((uint64_t)m, (uint64_t)n);
    rcb_status st = reads(l, in_addr, mul((uint64_t)m, (uint64_t)k));
    if (st == RCB_OK)
        st = reads(l, w_addr, mul((uint64_t)n, (uint64_t)k));
    if (st == RCB_OK)
        st = check_finish(l, flags, out_addr, bias_addr, -1, activation, count, (uint64_t)n);
    if (st == RCB_OK)
        st = spend(l, (double)m * (double)n * (double)k);
    if (st != RCB_OK)
        return st;
    for (int64_t i = 0; i < m && count; i++)
        for (int64_t j = 0; j < n; j++) {
            double acc = 0.0;
            for (int64_t p = 0; p < k; p++)
                acc += (double)at(l, in_addr, i * k + p) * (double)at(l, w_addr, j * k + p);
            l->k->scratch[i * n + j] = (float)acc;
        }
    finish(l, flags, out_addr, bias_addr, -1, activation, count, (uint64_t)n, 1);
    return RCB_OK;
}

/* eltwise (kernel id 6): copy, add or multiply `count` elements, then the activation. */
static rcb_status eltwise(const launch *l)
{
    const int64_t *f = l->f;
    int64_t a_addr = f[1], b_addr = f[2], out_addr = f[3], count = f[4], op = f[5],
            activation = f[6];
    rcb_status st = reads(l, a_addr, (uint64_t)count);
    if (st == RCB_OK && (op < OP_COPY || op > OP_MUL))
        st = kernel_error(l, "eltwise: op %lld is not one of 0 (copy), 1 (add), 2 (mul)",
                          (long long)op);
    if (st == RCB_OK && op != OP_COPY)
        st = reads(l, b_addr, (uint64_t)count);
    if (st == RCB_OK)
        st = activation_ok(l, activation);
    if (st == RCB_OK)
        st = writes(l, out_addr, (uint64_t)count);
    if (st == RCB_OK)
        st = spend(l, (double)count);
    if (st != RCB_OK)
        return st;
    for (int64_t i = 0; i < count; i++) {
        float v = at(l, a_addr, i);
        if (op == OP_ADD)
            v = v + at(l, b_addr, i);
        else if (op == OP_MUL)
            v = v * at(l, b_addr, i);
        l->k->scratch[i] = activate(l, activation, v);
    }
    store(l, out_addr, (uint64_t)count);
    return RCB_OK;
}

/* ---- int8 kernels: exact integer arithmetic (python/rcbc/kernels/fixed_point.py) ---------- */

enum { MAX_SHIFT = 62 };

/* p / 2^s rounded half away from zero; |p| < 2^62, s in [0, 62]. */
static int64_t round_shift(int64_t p, int64_t s)
{
    uint64_t magnitude = p < 0 ? (uint64_t)0 - (uint64_t)p : (uint64_t)p;
    magnitude = (magnitude + (((uint64_t)1 << s) >> 1)) >> s;
    return p < 0 ? -(int64_t)magnitude : (int64_t)magnitude;
}

/* round(x * m / 2^s), half away from zero, exactly: |x| < 2^31 and m < 2^31. */
static int64_t rescale(int64_t x, int64_t m, int64_t s) { return round_shift(x * m, s); }

/* a / n rounded half away from zero, n > 0. */
static int64_t round_div(int64_t a, int64_t n)
{
    uint64_t magnitude = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
    magnitude = (2 * magnitude + (uint64_t)n) / (2 * (uint64_t)n);
    return a < 0 ? -(int64_t)magnitude : (int64_t)magnitude;
}

/* x modulo 2^32 as a signed 32-bit value: an int32 accumulator. */
static int64_t wrap32(int64_t x) { return signed32((uint32_t)(uint64_t)x); }

static int64_t clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* The int8 at `p`: int8_t is two's complement, so copying the byte gives its value, in one
 * sign-extending load. */
static int64_t i8_of(const uint8_t *p)
{
    int8_t v;
    memcpy(&v, p, 1);
    return v;
}

/* Element `i` of the int8 array at byte `addr` (checked). */
static int64_t i8_at(const launch *l, int64_t addr, int64_t i)
{
    return i8_of(l->k->mem->data + addr + i);
}

/* Element `i` of the int32 array at byte `addr` (checked). */
static int64_t i32_at(const launch *l, int64_t addr, int64_t i)
{
    return signed32(word_at(l, addr, i));
}

/* Store int8 `v` (in [-128, 127]) or int32 `v` as element `i` of the scratch bytes. */
static void put_i8(const launch *l, uint64_t i, int64_t v)
{
    ((uint8_t *)l->k->scratch)[i] = (uint8_t)(v < 0 ? v + 256 : v);
}

static void put_i32(const launch *l, uint64_t i, int64_t v)
{
    uint32_t w = (uint32_t)(uint64_t)v;
    uint8_t *p = (uint8_t *)l->k->scratch + 4 * i;
    p[0] = (uint8_t)w, p[1] = (uint8_t)(w >> 8), p[2] = (uint8_t)(w >> 16),
    p[3] = (uint8_t)(w >> 24);
}

/* Store `nbytes` bytes of scratch at byte `addr` (checked) and mark them. */
static void store_bytes(const launch *l, int64_t addr, uint64_t nbytes)
{
    memcpy(l->k->mem->data + addr, l->k->scratch, nbytes);
    hmem_mark(l->k->mem, (uint64_t)addr, (uint64_t)addr + nbytes);
}

/* `value` lies in [lo, hi]; else the reference's message ("conv2d_i8: in_zp 200 is outside
 * [-128, 127]"). */
static rcb_status in_range(const launch *l, const char *what, int64_t value, int64_t lo,
                           int64_t hi)
{
    if (value >= lo && value <= hi)
        return RCB_OK;
    return kernel_error(l, "%s: %s %lld is outside [%lld, %lld]", l->name, what, (long long)value,
                        (long long)lo, (long long)hi);
}

/* A field checked by `check_fields`: its name and index. */
typedef struct checked {
    const char *name;
    int at;
} checked;

/* reference.py, _check_fields: the `n_int8` zero points and clamp bounds (q_min and q_max last
 * when `clamp`) are int8 values, the clamp is not empty, the shifts lie in [0, 62]. */
static rcb_status check_fields(const launch *l, const checked *int8, int n_int8, int clamp,
                               const checked *shifts, int n_shifts)
{
    rcb_status st = RCB_OK;
    for (int i = 0; st == RCB_OK && i < n_int8; i++)
        st = in_range(l, int8[i].name, l->f[int8[i].at], INT8_MIN, INT8_MAX);
    if (st == RCB_OK && clamp && l->f[int8[n_int8 - 2].at] > l->f[int8[n_int8 - 1].at])
        st = kernel_error(l, "%s: q_min %lld is above q_max %lld", l->name,
                          (long long)l->f[int8[n_int8 - 2].at],
                          (long long)l->f[int8[n_int8 - 1].at]);
    for (int i = 0; st == RCB_OK && i < n_shifts; i++)
        st = in_range(l, shifts[i].name, l->f[shifts[i].at], 0, MAX_SHIFT);
    return st;
}

/* How an int8 conv or matmul launch ends (reference.py, _finish_i8); res_addr < 0: none. */
typedef struct requant {
    int64_t flags, out_addr, bias_addr, table, res_addr;
    int64_t out_zp, res_zp, res_mult, res_shift, q_min, q_max;
} requant;

/* The reads and the write of `finish_i8`, in the reference's order, and the requantization
 * table's values: multipliers non-negative, then shifts in [0, 62]. */
static rcb_status check_finish_i8(const launch *l, const requant *q, uint64_t count,
                                  uint64_t channels)
{
    rcb_status st = RCB_OK;
    if (q->flags & ACCUMULATE)
        st = region(l, q->out_addr, count, 4, 1);
    if (st == RCB_OK && (q->flags & BIAS))
        st = region(l, q->bias_addr, channels, 4, 1);
    if (st == RCB_OK && (q->flags & FINALIZE)) {
        st = region(l, q->table, mul(channels, 2), 4, 1);
        for (int column = 0; column < 2; column++)
            for (uint64_t c = 0; st == RCB_OK && c < channels; c++) {
                int64_t v = i32_at(l, q->table, 2 * (int64_t)c + column);
                int64_t hi = column ? MAX_SHIFT : INT32_MAX;
                if (v < 0 || v > hi)
                    st = kernel_error(l, "%s: channel %llu: requantization %s %lld is outside "
                                      "[0, %lld]", l->name, (unsigned long long)c,
                                      column ? "shift" : "multiplier", (long long)v,
                                      (long long)hi);
            }
    }
    if (st == RCB_OK && (q->flags & FINALIZE) && (q->flags & RESIDUAL) && q->res_addr >= 0)
        st = region(l, q->res_addr, count, 1, 1);
    return st == RCB_OK ? region(l, q->out_addr, count, (q->flags & FINALIZE) ? 1 : 4, 0) : st;
}

/* Element `e` (of output channel `channel`) with chunk sum `acc`: accumulation and bias in
 * int32; on FINALIZE requantization, residual and clamp to int8, else the int32 sum. */
static void finish_i8(const launch *l, const requant *q, uint64_t e, uint64_t channel,
                      int64_t acc)
{
    if (q->flags & ACCUMULATE)
        acc += i32_at(l, q->out_addr, (int64_t)e);
    if (q->flags & BIAS)
        acc += i32_at(l, q->bias_addr, (int64_t)channel);
    acc = wrap32(acc);
    if (!(q->flags & FINALIZE)) {
        put_i32(l, e, acc);
        return;
    }
    int64_t v = rescale(acc, i32_at(l, q->table, 2 * (int64_t)channel),
                        i32_at(l, q->table, 2 * (int64_t)channel + 1));
    if ((q->flags & RESIDUAL) && q->res_addr >= 0)
        v += rescale(i8_at(l, q->res_addr, (int64_t)e) - q->res_zp, q->res_mult, q->res_shift);
    put_i8(l, e, clamp(v + q->out_zp, q->q_min, q->q_max));
}

/* conv2d_i8 and depthwise_conv2d_i8 (kernel ids 7 and 8). */
static rcb_status conv_i8(const launch *l, int depthwise)
{
    static const checked INT8[] = {
        {"in_zp", 27}, {"out_zp", 29}, {"res_zp", 30}, {"q_min", 33}, {"q_max", 34}};
    static const checked SHIFTS[] = {{"res_shift", 32}};
    const int64_t *f = l->f;
    sliding s;
    read_sliding(l, 1, 9, 15, &s);
    requant q = {f[25], f[9], f[8], f[28], f[26], f[29], f[30], f[31], f[32], f[33], f[34]};
    int64_t w_addr = f[7], in_zp = f[27];
    rcb_status st = check_fields(l, INT8, 5, 1, SHIFTS, 1);
    if (st == RCB_OK && depthwise && s.in_c != s.out_c)
        st = kernel_error(l, "%s: in_c %lld differs from out_c %lld", l->name,
                          (long long)s.in_c, (long long)s.out_c);
    if (st == RCB_OK)
        st = check_window(l, &s);
    uint64_t per_filter = depthwise ? 1u : (uint64_t)s.in_c;
    uint64_t plane = mul((uint64_t)s.out_h, (uint64_t)s.out_w);
    uint64_t count = mul((uint64_t)s.out_c, plane);
    if (st == RCB_OK)
        st = region(l, w_addr, mul(mul((uint64_t)s.out_c, per_filter),
                                   mul((uint64_t)s.kh, (uint64_t)s.kw)), 1, 1);
    if (st == RCB_OK)
        st = check_finish_i8(l, &q, count, (uint64_t)s.out_c);
    if (st == RCB_OK)
        st = spend(l, (double)count * (double)per_filter * (double)s.kh * (double)s.kw);
    if (st != RCB_OK)
        return st;
    /* Each output is an integer sum over its taps, padding skipped: padding is the zero point,
     * so it adds nothing. As in conv, the outputs of a row whose taps all lie inside the image,
     * [xa, xb), go four at a time, sharing each weight and with no padding test; integer sums
     * are exact, so the results are the same whatever the order. */
    const uint8_t *in = l->k->mem->data + s.in_addr;
    int64_t xa, xb;
    interior(s.out_x0, s.out_w, s.sw, s.kw, s.dw, s.pad_left, s.image_w, &xa, &xb);
    for (int64_t o = 0; o < s.out_c && count; o++)
        for (int64_t oy = 0; oy < s.out_h; oy++) {
            int64_t by = (s.out_y0 + oy) * s.sh - s.pad_top;
            int64_t i0, i1;
            taps(by, s.kh, s.dh, s.image_h, &i0, &i1);
            uint64_t e = (uint64_t)((o * s.out_h + oy) * s.out_w);
            for (int64_t ox = 0; ox < s.out_w;) {
                int64_t bx = (s.out_x0 + ox) * s.sw - s.pad_left;
                int four = ox >= xa && ox + 4 <= xb;
                int64_t j0 = 0, j1 = s.kw;
                if (!four)
                    taps(bx, s.kw, s.dw, s.image_w, &j0, &j1);
                int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                int64_t c0 = depthwise ? o : 0, c1 = depthwise ? o + 1 : s.in_c;
                for (int64_t c = c0; c < c1; c++) {
                    int64_t filter = (o * (int64_t)per_filter + (depthwise ? 0 : c)) * s.kh;
                    for (int64_t i = i0; i < i1; i++) {
                        int64_t row = (c * s.in_h + by + i * s.dh - s.in_y0) * s.in_w - s.in_x0;
                        for (int64_t j = j0; j < j1; j++) {
                            int64_t w = i8_at(l, w_addr, (filter + i) * s.kw + j);
                            const uint8_t *p = in + row + bx + j * s.dw;
                            a0 += (i8_of(p) - in_zp) * w;
                            if (four) {
                                a1 += (i8_of(p + s.sw) - in_zp) * w;
                                a2 += (i8_of(p + 2 * s.sw) - in_zp) * w;
                                a3 += (i8_of(p + 3 * s.sw) - in_zp) * w;
                            }
                        }
                    }
                }
                finish_i8(l, &q, e + (uint64_t)ox++, (uint64_t)o, a0);
                if (four) {
                    finish_i8(l, &q, e + (uint64_t)ox++, (uint64_t)o, a1);
                    finish_i8(l, &q, e + (uint64_t)ox++, (uint64_t)o, a2);
                    finish_i8(l, &q, e + (uint64_t)ox++, (uint64_t)o, a3);
                }
            }
        }
    store_bytes(l, q.out_addr, count * ((q.flags & FINALIZE) ? 1u : 4u));
    return RCB_OK;
}

/* pool2d_i8 (kernel id 9): the output keeps the input's scale and zero point. */
static rcb_status pool_i8(const launch *l)
{
    static const checked INT8[] = {{"zero_point", 24}};
    const int64_t *f = l->f;
    int64_t mode = f[23], out_addr = f[7], zp = f[24];
    if (mode < POOL_MAX || mode > POOL_AVG_VALID)
        return kernel_error(l, "pool2d_i8: mode %lld is not one of 0 (max), 1 (avg), "
                            "2 (avg_valid)", (long long)mode);
    rcb_status st = check_fields(l, INT8, 1, 0, NULL, 0);
    sliding s;
    read_sliding(l, 1, 7, 13, &s);
    if (st == RCB_OK && s.in_c != s.out_c)
        st = kernel_error(l, "pool2d_i8: in_c %lld differs from out_c %lld", (long long)s.in_c,
                          (long long)s.out_c);
    if (st == RCB_OK)
        st = check_window(l, &s);
    uint64_t count = mul(mul((uint64_t)s.out_c, (uint64_t)s.out_h), (uint64_t)s.out_w);
    if (st == RCB_OK)
        st = region(l, out_addr, count, 1, 0);
    if (st == RCB_OK)
        st = spend(l, (double)count * (double)s.kh * (double)s.kw);
    if (st != RCB_OK)
        return st;
    for (int64_t c = 0; c < s.out_c && count; c++)
        for (int64_t oy = 0; oy < s.out_h; oy++)
            for (int64_t ox = 0; ox < s.out_w; ox++) {
                int64_t by = (s.out_y0 + oy) * s.sh - s.pad_top;
                int64_t bx = (s.out_x0 + ox) * s.sw - s.pad_left;
                int64_t i0, i1, j0, j1;
                taps(by, s.kh, s.dh, s.image_h, &i0, &i1);
                taps(bx, s.kw, s.dw, s.image_w, &j0, &j1);
                int64_t best = INT8_MIN, sum = 0; /* padding: -128 for max, zp for averages */
                for (int64_t i = i0; i < i1; i++) {
                    int64_t row = (c * s.in_h + by + i * s.dh - s.in_y0) * s.in_w - s.in_x0;
                    for (int64_t j = j0; j < j1; j++) {
                        int64_t v = i8_at(l, s.in_addr, row + bx + j * s.dw);
                        best = v > best ? v : best;
                        sum += v - zp;
                    }
                }
                int64_t inside = (i1 > i0 ? i1 - i0 : 0) * (j1 > j0 ? j1 - j0 : 0);
                int64_t n = mode == POOL_AVG ? s.kh * s.kw : inside ? inside : 1;
                put_i8(l, (uint64_t)((c * s.out_h + oy) * s.out_w + ox),
                       mode == POOL_MAX ? best : zp + round_div(sum, n));
            }
    store_bytes(l, out_addr, count);
    return RCB_OK;
}

/* global_avgpool_i8 (kernel id 10): the output keeps the input's scale and zero point. */
static rcb_status global_avgpool_i8(const launch *l)
{
    static const checked INT8[] = {{"zero_point", 6}};
    const int64_t *f = l->f;
    int64_t in_addr = f[1], channels = f[2], plane = f[3] * f[4], out_addr = f[5], zp = f[6];
    rcb_status st = check_fields(l, INT8, 1, 0, NULL, 0);
    if (st == RCB_OK)
        st = region(l, in_addr, mul((uint64_t)channels, (uint64_t)plane), 1, 1);
    if (st == RCB_OK)
        st = region(l, out_addr, (uint64_t)channels, 1, 0);
    if (st == RCB_OK)
        st = spend(l, (double)channels * (double)plane);
    if (st != RCB_OK)
        return st;
    for (int64_t c = 0; c < channels; c++) {
        int64_t sum = 0;
        for (int64_t i = 0; i < plane; i++)
            sum += i8_at(l, in_addr, c * plane + i) - zp;
        put_i8(l, (uint64_t)c, zp + round_div(sum, plane ? plane : 1));
    }
    store_bytes(l, out_addr, (uint64_t)channels);
    return RCB_OK;
}

/* matmul_i8 (kernel id 11): out[m, n] = sum over k of (in[m, k] - in_zp) * w[n, k], then the
 * flags; bias and requantization per n. */
static rcb_status matmul_i8(const launch *l)
{
    static const checked INT8[] = {{"in_zp", 9}, {"out_zp", 11}, {"q_min", 12}, {"q_max", 13}};
    const int64_t *f = l->f;
    int64_t in_addr = f[1], m = f[2], k = f[3], w_addr = f[4], n = f[7], in_zp = f[9];
    requant q = {f[8], f[6], f[5], f[10], -1, f[11], 0, 0, 0, f[12], f[13]};
    uint64_t count = mul((uint64_t)m, (uint64_t)n);
    rcb_status st = check_fields(l, INT8, 4, 1, NULL, 0);
    if (st == RCB_OK)
        st = region(l, in_addr, mul((uint64_t)m, (uint64_t)k), 1, 1);
    if (st == RCB_OK)
        st = region(l, w_addr, mul((uint64_t)n, (uint64_t)k), 1, 1);
    if (st == RCB_OK)
        st = check_finish_i8(l, &q, count, (uint64_t)n);
    if (st == RCB_OK)
        st = spend(l, (double)m * (double)n * (double)k);
    if (st != RCB_OK)
        return st;
    for (int64_t i = 0; i < m && count; i++)
        for (int64_t j = 0; j < n; j++) {
            int64_t acc = 0;
            for (int64_t p = 0; p < k; p++)
                acc += (i8_at(l, in_addr, i * k + p) - in_zp) * i8_at(l, w_addr, j * k + p);
            finish_i8(l, &q, (uint64_t)(i * n + j), (uint64_t)j, acc);
        }
    store_bytes(l, q.out_addr, count * ((q.flags & FINALIZE) ? 1u : 4u));
    return RCB_OK;
}

/* eltwise_i8 (kernel id 12): each operand less its zero point, rescaled to the output's scale
 * (a product rescaled once, by a's multiplier), plus out_zp, clamped. */
static rcb_status eltwise_i8(const launch *l)
{
    static const checked INT8[] = {
        {"a_zp", 6}, {"b_zp", 9}, {"out_zp", 12}, {"q_min", 13}, {"q_max", 14}};
    static const checked SHIFTS[] = {{"a_shift", 8}, {"b_shift", 11}};
    const int64_t *f = l->f;
    int64_t a_addr = f[1], b_addr = f[2], out_addr = f[3], count = f[4], op = f[5];
    rcb_status st = check_fields(l, INT8, 5, 1, SHIFTS, 2);
    if (st == RCB_OK && (op < OP_COPY || op > OP_MUL))
        st = kernel_error(l, "eltwise_i8: op %lld is not one of 0 (copy), 1 (add), 2 (mul)",
                          (long long)op);
    if (st == RCB_OK)
        st = region(l, a_addr, (uint64_t)count, 1, 1);
    if (st == RCB_OK && op != OP_COPY)
        st = region(l, b_addr, (uint64_t)count, 1, 1);
    if (st == RCB_OK)
        st = region(l, out_addr, (uint64_t)count, 1, 0);
    if (st == RCB_OK)
        st = spend(l, (double)count);
    if (st != RCB_OK)
        return st;
    for (int64_t i = 0; i < count; i++) {
        int64_t a = i8_at(l, a_addr, i) - f[6];
        int64_t b = op == OP_COPY ? 0 : i8_at(l, b_addr, i) - f[9];
        int64_t v = rescale(op == OP_MUL ? a * b : a, f[7], f[8]);
        if (op == OP_ADD)
            v += rescale(b, f[10], f[11]);
        put_i8(l, (uint64_t)i, clamp(v + f[12], f[13], f[14]));
    }
    store_bytes(l, out_addr, (uint64_t)count);
    return RCB_OK;
}

rcb_status host_kernel_run(kernel_run *k)
{
    launch l;
    memset(&l, 0, sizeof l);
    l.k = k;
    l.name = rcb_kernel_name(k->kernel);
    k->macs = 0.0;
    uint32_t block = rcb_kernel_block_size(k->kernel);
    if (!block)
        return kernel_error(&l, "kernel id %u is not in the kernel library", (unsigned)k->kernel);
    rcb_status st = hmem_check(k->mem, k->params, block, 1, k->record, k->msg, k->cap);
    if (st != RCB_OK)
        return st;
    /* Fields that may be negative, by kernel id (library.py, SIGNED_FIELDS): bit i, field i. */
    static const uint64_t SIGNED[] = {
        0, 0, 0, 0, 0, 0, 0,
        1ull << 27 | 1ull << 29 | 1ull << 30 | 1ull << 33 | 1ull << 34, /* conv2d_i8 */
        1ull << 27 | 1ull << 29 | 1ull << 30 | 1ull << 33 | 1ull << 34, /* depthwise_conv2d_i8 */
        1ull << 24,                                                     /* pool2d_i8 */
        1ull << 6,                                                      /* global_avgpool_i8 */
        1ull << 9 | 1ull << 11 | 1ull << 12 | 1ull << 13,               /* matmul_i8 */
        1ull << 6 | 1ull << 9 | 1ull << 12 | 1ull << 13 | 1ull << 14,   /* eltwise_i8 */
    };
    unsigned fields = block / 4;
    unsigned float_at = fields - 2; /* act_min and act_max end every f32 block that has them */
    int has_floats = k->kernel == RCB_KERNEL_CONV2D || k->kernel == RCB_KERNEL_DEPTHWISE_CONV2D ||
                     k->kernel == RCB_KERNEL_MATMUL || k->kernel == RCB_KERNEL_ELTWISE;
    for (unsigned i = 0; i < fields; i++) {
        uint32_t word = word_at(&l, k->params, i);
        if (has_floats && (i == float_at || i == float_at + 1)) {
            memcpy(i == float_at ? &l.act_min : &l.act_max, &word, sizeof word);
            continue;
        }
        l.f[i] = signed32(word);
        if (l.f[i] < 0 && !(SIGNED[k->kernel] >> i & 1))
            return kernel_error(&l, "%s: parameter field %u is %lld; fields are non-negative",
                                l.name, i, (long long)l.f[i]);
    }
    int dtype = k->kernel > RCB_KERNEL_INT8_OFFSET; /* library.py, DType: 0 f32, 1 i8 */
    if (l.f[0] != dtype)
        return kernel_error(&l, "%s: dtype %lld is not %d (%s)", l.name, (long long)l.f[0], dtype,
                            dtype ? "i8" : "f32");
    switch (k->kernel) {
    case RCB_KERNEL_CONV2D: return conv(&l, 0);
    case RCB_KERNEL_DEPTHWISE_CONV2D: return conv(&l, 1);
    case RCB_KERNEL_POOL2D: return pool(&l);
    case RCB_KERNEL_GLOBAL_AVGPOOL: return global_avgpool(&l);
    case RCB_KERNEL_MATMUL: return matmul(&l);
    case RCB_KERNEL_ELTWISE: return eltwise(&l);
    case RCB_KERNEL_CONV2D_I8: return conv_i8(&l, 0);
    case RCB_KERNEL_DEPTHWISE_CONV2D_I8: return conv_i8(&l, 1);
    case RCB_KERNEL_POOL2D_I8: return pool_i8(&l);
    case RCB_KERNEL_GLOBAL_AVGPOOL_I8: return global_avgpool_i8(&l);
    case RCB_KERNEL_MATMUL_I8: return matmul_i8(&l);
    default: return eltwise_i8(&l);
    }
}
