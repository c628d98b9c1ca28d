/*
 * sim.c - the host RHAL backend: memories, queues, locks and the event loop of the abstract
 * machine (docs/rcb-bytecode.md, sections 1-3; python/rcbc/runtime/machine.py).
 *
 * The engine calls one RHAL operation per record. Each call is a controller step: the
 * simulation runs until the controller may act (it is free after the previous record's dispatch
 * time and the step is ready: capacity for a task, a lock value for an acquire, idle queues for
 * a wait), then the step takes effect. Between steps, queues start their head tasks in the
 * order the queues were first named by the program, and time advances to the next completion.
 * This is machine.py's loop, step for step, so the schedule - and the modeled cycle count - is
 * the same; ties are broken by record index, then by start order.
 *
 * A task's work (the DMA copy, the kernel) happens when it starts, as in the Python executor;
 * its releases apply when it completes. A lock acquire set is taken atomically in the order
 * listed: a task whose acquires name one lock twice needs the sum of both values.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

#define NONE UINT32_MAX

enum {
    QUEUES_PER_TILE = 13, /* s2mm channels 0-5, mm2s channels 0-5, the core */
    MM2S_BASE = 6,
    CORE_QUEUE = 12,
    MAX_LOCKS = 64
};

/* Modeled costs (python/rcbc/runtime/timing.py). */
static const double DISPATCH_CYCLES = 20.0, DMA_TASK_CYCLES = 100.0,
                    KERNEL_OVERHEAD_CYCLES = 200.0, HOST_ROUND_TRIP_SECONDS = 45e-6;

/* Timing figures of a target (python/rcbc/targets.py): clock, f32 and int8 MACs per cycle,
 * stream bytes per cycle and DDR bandwidth in bytes/s (0: none documented). */
typedef struct timing {
    double clock_hz, macs_f32, macs_i8, stream, ddr_bandwidth;
} timing;

static const timing TIMING[] = {
    {0, 0, 0, 0, 0},
    {1.25e9, 21, 256, 4, 44.8e9}, /* aie-ml */
    {1.25e9, 8, 128, 4, 25.6e9},  /* aie */
    {1.6e9, 21, 256, 4, 0},       /* npu1 */
    {1.8e9, 21, 512, 4, 0},       /* npu2 */
};

/* Fraction of peak a kernel sustains, by kernel id (timing.py, KERNEL_EFFICIENCY); an int8
 * kernel as its f32 counterpart, at the target's int8 MACs per cycle. */
static const double EFFICIENCY[] = {0, 0.85, 0.4, 0.4, 0.4, 0.85, 0.4,
                                    0.85, 0.4, 0.4, 0.4, 0.85, 0.4};

/* A DMA transfer or a kernel, queued on one or two queues. */
typedef struct task {
    uint32_t record;
    uint32_t queue[2]; /* queue indices; queue[1] is NONE for a kernel */
    uint32_t next[2];  /* the next task of each of those queues (NONE: last) */
    double end;        /* completion time, once started */
    uint64_t seq;      /* start order, the last tie-breaker */
    int is_dma;
    union {
        rhal_dma dma;
        rhal_launch launch;
    } u;
} task;

/* A FIFO of tasks (a DMA channel or a core); `head` is running when `busy`. */
typedef struct queue {
    uint32_t head, tail;
    uint8_t busy;
    uint8_t listed; /* in the scan order yet */
} queue;

typedef struct tile_state {
    hmem mem; /* compute and memory tiles, allocated by their first configure_tile */
    uint8_t locks[MAX_LOCKS];
    uint8_t bds_used, core_used; /* outstanding DMA tasks and kernels */
} tile_state;

struct rhal_host {
    const rcb_program *prog;
    const rcb_target *t;
    timing tm;
    rhal_host_config cfg;
    hmem ddr;
    tile_state *tiles; /* by col * rows + row */
    uint32_t tile_count;
    queue *queues;   /* by tile * QUEUES_PER_TILE + slot */
    uint32_t *order; /* queues in the order the program first names them */
    uint32_t order_count;
    task *tasks; /* a pool: more than the capacity rules ever let be outstanding */
    uint32_t task_cap, free_task;
    uint32_t *heap; /* running tasks by (end, record, seq) */
    uint32_t heap_len;
    double now, free_at; /* time, and when the controller may dispatch again */
    uint64_t seq;
    uint32_t ddr_channels; /* interface channels sharing DDR bandwidth */
    float *scratch;        /* a kernel's output block */
    uint8_t *snapshot;     /* the source of a DMA whose destination overlaps it */
    size_t snapshot_cap;
    uint64_t allocated, work;
    rhal_host_stats stats;
    char message[4096];
};

/* ---- messages ---------------------------------------------------------------------------- */

/* Set the failure message; returns `status`. */
static rcb_status failure(rhal_host *h, rcb_status status, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(h->message, sizeof h->message, fmt, args);
    va_end(args);
    return status;
}

/* Append to a message being built. */
static void append(char *buf, size_t cap, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= cap)
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(buf + len, cap - len, fmt, args);
    va_end(args);
}

/* ---- memories ---------------------------------------------------------------------------- */

rcb_status hmem_check(const hmem *m, int64_t start, uint64_t size, int is_read, uint32_t record,
                      char *msg, size_t cap)
{
    long long rec = record == RCB_NO_RECORD ? -1 : (long long)record;
    if (start < 0 || (uint64_t)start > m->size || size > m->size - (uint64_t)start) {
        snprintf(msg, cap, "record %lld accesses bytes [%lld,%llu) outside %s of %u bytes", rec,
                 (long long)start, (unsigned long long)((uint64_t)start + size), m->name,
                 (unsigned)m->size);
        return RCB_ERR_BOUNDS;
    }
    if (!is_read)
        return RCB_OK;
    uint64_t i = (uint64_t)start, stop = (uint64_t)start + size;
    while (i < stop) {
        if (i % 8 == 0 && stop - i >= 8 && m->defined[i / 8] == 0xFF) {
            i += 8;
            continue;
        }
        if (m->defined[i / 8] >> (i % 8) & 1u) {
            i++;
            continue;
        }
        uint64_t end = i;
        while (end < stop && !(m->defined[end / 8] >> (end % 8) & 1u))
            end++;
        snprintf(msg, cap, "record %lld reads bytes [%llu,%llu) of %s, which nothing wrote before",
                 rec, (unsigned long long)i, (unsigned long long)end, m->name);
        return RCB_ERR_UNDEFINED;
    }
    return RCB_OK;
}

void hmem_mark(hmem *m, uint64_t start, uint64_t stop)
{
    for (; start < stop && start % 8; start++)
        m->defined[start / 8] |= (uint8_t)(1u << (start % 8));
    if (stop - start >= 8) {
        memset(m->defined + start / 8, 0xFF, (size_t)((stop - start) / 8));
        start += (stop - start) / 8 * 8;
    }
    for (; start < stop; start++)
        m->defined[start / 8] |= (uint8_t)(1u << (start % 8));
}

/* calloc `size` bytes within the memory limit, or NULL. */
static void *allocate(rhal_host *h, uint64_t size)
{
    if (h->cfg.memory_limit && (size > h->cfg.memory_limit ||
                                h->allocated > h->cfg.memory_limit - size))
        return NULL;
    if (size > SIZE_MAX)
        return NULL;
    void *p = calloc(1, size ? (size_t)size : 1u);
    if (p)
        h->allocated += size;
    return p;
}

/* Give `m` `size` bytes and their bitmap; RCB_ERR_LIMIT when they cannot be had. */
static rcb_status memory_init(rhal_host *h, hmem *m, uint32_t size)
{
    m->size = size;
    m->data = allocate(h, size);
    m->defined = allocate(h, (size + 7u) / 8u);
    if (!m->data || !m->defined)
        return failure(h, RCB_ERR_LIMIT, "cannot allocate the %u bytes of %s", (unsigned)size,
                       m->name);
    return RCB_OK;
}

/* ---- tiles, queues, locks ---------------------------------------------------------------- */

/* The index of `tile` in the tile and queue tables. */
static uint32_t tile_index(const rhal_host *h, rcb_tile tile)
{
    return (uint32_t)tile.col * h->t->rows + tile.row;
}

/* The kind of `tile`. */
static rcb_kind kind(const rhal_host *h, rcb_tile tile) { return rcb_kind_of(h->t, tile.row); }

/* The resources of `tile`'s kind. */
static const rcb_kind_spec *spec(const rhal_host *h, rcb_tile tile)
{
    return &h->t->kinds[kind(h, tile)];
}

/* The tile of queue `q`. */
static rcb_tile queue_tile(const rhal_host *h, uint32_t q)
{
    uint32_t index = q / QUEUES_PER_TILE;
    rcb_tile tile = {(uint8_t)(index / h->t->rows), (uint8_t)(index % h->t->rows)};
    return tile;
}

/* The queue of a DMA channel (direction RHAL_S2MM or RHAL_MM2S) or, for `core`, the core. */
static uint32_t queue_of(const rhal_host *h, rcb_tile tile, int direction, uint8_t channel,
                         int core)
{
    uint32_t slot = core ? CORE_QUEUE : (direction == RHAL_MM2S ? MM2S_BASE : 0u) + channel;
    return tile_index(h, tile) * QUEUES_PER_TILE + slot;
}

/* "mm2s 0 of (2,3)", "core (2,3)" (machine.py's queue names). */
static void queue_name(const rhal_host *h, uint32_t q, char *buf, size_t cap)
{
    rcb_tile t = queue_tile(h, q);
    uint32_t slot = q % QUEUES_PER_TILE;
    if (slot == CORE_QUEUE)
        snprintf(buf, cap, "core (%u,%u)", (unsigned)t.col, (unsigned)t.row);
    else
        snprintf(buf, cap, "%s %u of (%u,%u)", slot >= MM2S_BASE ? "mm2s" : "s2mm",
                 (unsigned)(slot % MM2S_BASE), (unsigned)t.col, (unsigned)t.row);
}

/* Put queue `q` in the scan order if it is not there yet. */
static void list_queue(rhal_host *h, uint32_t q)
{
    if (!h->queues[q].listed) {
        h->queues[q].listed = 1;
        h->order[h->order_count++] = q;
    }
}

/* Lock `id` of `tile`. */
static uint8_t *lock_of(rhal_host *h, rcb_tile tile, uint8_t id)
{
    return &h->tiles[tile_index(h, tile)].locks[id];
}

/* The memory a DMA endpoint or a launch addresses: DDR on row 0, else the claimed tile's. */
static hmem *memory_of(rhal_host *h, rcb_tile tile)
{
    if (tile.row == 0)
        return &h->ddr;
    hmem *m = &h->tiles[tile_index(h, tile)].mem;
    return m->data ? m : NULL;
}

/* Add `value` to a lock, which may not exceed its maximum. */
static rcb_status release(rhal_host *h, uint32_t record, rcb_tile tile, uint8_t id,
                          uint8_t value)
{
    uint8_t *lock = lock_of(h, tile, id);
    unsigned max = spec(h, tile)->max_lock_value;
    if ((unsigned)*lock + value > max)
        return failure(h, RCB_ERR_LOCK,
                       "record %u releases lock %u of (%u,%u) by %u to %u, above its maximum %u",
                       (unsigned)record, (unsigned)id, (unsigned)tile.col, (unsigned)tile.row,
                       (unsigned)value, (unsigned)*lock + value, max);
    *lock = (uint8_t)(*lock + value);
    return RCB_OK;
}

/* What `t` needs of lock use `j` of its acquires: that value plus those of earlier uses of the
 * same lock (an acquire set is taken in order, all or nothing). */
static unsigned needed_value(const rhal_lock_use *uses, unsigned j)
{
    unsigned need = 0;
    for (unsigned i = 0; i <= j; i++)
        if (uses[i].tile.col == uses[j].tile.col && uses[i].tile.row == uses[j].tile.row &&
            uses[i].id == uses[j].id)
            need += uses[i].value;
    return need;
}

static const rhal_lock_use *acquires(const task *t, unsigned *count)
{
    *count = t->is_dma ? t->u.dma.acquire_count : t->u.launch.acquire_count;
    return t->is_dma ? t->u.dma.acquires : t->u.launch.acquires;
}

/* ---- the work of a task ------------------------------------------------------------------ */

/* The contiguous runs a pattern visits, in order (memory.py, pattern_runs): trailing dims that
 * continue a run are merged into it, the others are walked in row-major order. */
typedef struct runs {
    uint64_t run;         /* bytes per run */
    uint64_t start;       /* the current run's first byte */
    uint32_t dims;        /* outer dims left after merging */
    uint32_t sizes[4], strides[4], idx[4];
    int done;
} runs;

/* Start walking the runs of `p` applied at `offset`. */
static void runs_init(runs *r, const rcb_pattern *p, uint32_t offset)
{
    memset(r, 0, sizeof *r);
    r->dims = p->dims;
    r->run = 1;
    while (r->dims && p->strides[r->dims - 1] == r->run) {
        r->run *= p->sizes[r->dims - 1];
        r->dims--;
    }
    memcpy(r->sizes, p->sizes, sizeof r->sizes);
    memcpy(r->strides, p->strides, sizeof r->strides);
    r->start = offset;
}

/* Step to the next run; sets `done` after the last. */
static void runs_next(runs *r)
{
    for (uint32_t k = r->dims; k-- > 0;) {
        if (++r->idx[k] < r->sizes[k]) {
            r->start += r->strides[k];
            return;
        }
        r->start -= (uint64_t)r->strides[k] * (r->sizes[k] - 1u);
        r->idx[k] = 0;
    }
    r->done = 1;
}

/* Bytes a pattern moves, or UINT64_MAX when that does not fit 64 bits. */
static uint64_t pattern_bytes(const rcb_pattern *p)
{
    uint64_t n = 1;
    for (uint32_t k = 0; k < p->dims; k++) {
        if (p->sizes[k] && n > UINT64_MAX / p->sizes[k])
            return UINT64_MAX;
        n *= p->sizes[k];
    }
    return n;
}

/* Take `amount` of the run's work budget. */
static rcb_status spend(rhal_host *h, uint32_t record, uint64_t amount, const char *what)
{
    if (amount == UINT64_MAX ||
        (h->cfg.work_limit && (amount > h->cfg.work_limit || h->work > h->cfg.work_limit - amount)))
        return failure(h, RCB_ERR_LIMIT,
                       "record %u: %s of %llu exceeds the simulator's work limit of %llu",
                       (unsigned)record, what, (unsigned long long)amount,
                       (unsigned long long)h->cfg.work_limit);
    h->work += amount;
    return RCB_OK;
}

/* A DMA: read every source run (each must be defined), then write them through the
 * destination pattern (memory.py, read_pattern and write_pattern). */
static rcb_status run_dma(rhal_host *h, task *t, double *duration)
{
    const rhal_dma *d = &t->u.dma;
    hmem *src = memory_of(h, d->src), *dst = memory_of(h, d->dst);
    if (!src || !dst)
        return failure(h, RCB_ERR_UNCONFIGURED,
                       "record %u uses a tile which no configure_tile claimed", (unsigned)d->record);
    uint64_t nbytes = pattern_bytes(&d->src_pattern);
    rcb_status st = spend(h, d->record, nbytes, "a DMA transfer of bytes");
    if (st != RCB_OK)
        return st;
    runs r;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (runs_init(&r, &d->src_pattern, d->src_offset); !r.done; runs_next(&r)) {
        st = hmem_check(src, (int64_t)r.start, r.run, 1, d->record, h->message, sizeof h->message);
        if (st != RCB_OK)
            return st;
        lo = r.start < lo ? r.start : lo;
        hi = r.start + r.run > hi ? r.start + r.run : hi;
    }
    const uint8_t *from = src->data; /* byte b of the source is at from[b - base] */
    uint64_t base = 0;
    if (src == dst && lo < hi) { /* read everything before writing, as numpy's copy does */
        if (hi - lo > h->snapshot_cap) {
            uint8_t *grown = realloc(h->snapshot, (size_t)(hi - lo));
            if (!grown)
                return failure(h, RCB_ERR_LIMIT, "record %u: cannot allocate %llu bytes",
                               (unsigned)d->record, (unsigned long long)(hi - lo));
            h->snapshot = grown;
            h->snapshot_cap = (size_t)(hi - lo);
        }
        memcpy(h->snapshot, src->data + lo, (size_t)(hi - lo));
        from = h->snapshot;
        base = lo;
    }
    runs w;
    runs_init(&r, &d->src_pattern, d->src_offset);
    runs_init(&w, &d->dst_pattern, d->dst_offset);
    uint64_t r_used = 0, w_used = 0;
    while (!r.done && !w.done) {
        if (w_used == 0) {
            st = hmem_check(dst, (int64_t)w.start, w.run, 0, d->record, h->message,
                            sizeof h->message);
            if (st != RCB_OK)
                return st;
        }
        uint64_t n = r.run - r_used < w.run - w_used ? r.run - r_used : w.run - w_used;
        memcpy(dst->data + w.start + w_used, from + (r.start + r_used - base), (size_t)n);
        hmem_mark(dst, w.start + w_used, w.start + w_used + n);
        if ((r_used += n) == r.run)
            r_used = 0, runs_next(&r);
        if ((w_used += n) == w.run)
            w_used = 0, runs_next(&w);
    }
    int ddr = d->src.row == 0 || d->dst.row == 0;
    if (ddr)
        h->stats.bytes_ddr += nbytes;
    else if (kind(h, d->src) == RCB_MEMORY || kind(h, d->dst) == RCB_MEMORY)
        h->stats.bytes_memtile += nbytes;
    else
        h->stats.bytes_tile += nbytes;
    h->stats.dma_tasks++;
    double per_cycle = h->tm.stream;
    if (ddr && h->tm.ddr_bandwidth > 0) {
        double share = h->tm.ddr_bandwidth / h->tm.clock_hz /
                       (double)(h->ddr_channels ? h->ddr_channels : 1u);
        per_cycle = share < per_cycle ? share : per_cycle;
    }
    *duration = DMA_TASK_CYCLES + (double)nbytes / per_cycle;
    return RCB_OK;
}

/* A kernel: the C reference implementation on the tile's memory. */
static rcb_status run_kernel(rhal_host *h, task *t, double *duration)
{
    const rhal_launch *l = &t->u.launch;
    kernel_run k;
    memset(&k, 0, sizeof k);
    k.mem = memory_of(h, l->tile);
    if (!k.mem)
        return failure(h, RCB_ERR_UNCONFIGURED,
                       "record %u uses tile (%u,%u), which no configure_tile claimed",
                       (unsigned)l->record, (unsigned)l->tile.col, (unsigned)l->tile.row);
    k.record = l->record;
    k.tile = l->tile;
    k.kernel = l->kernel;
    k.params = l->params;
    k.scratch = h->scratch;
    k.work_left = h->cfg.work_limit ? h->cfg.work_limit - h->work : UINT64_MAX;
    k.msg = h->message;
    k.cap = sizeof h->message;
    rcb_status st = host_kernel_run(&k);
    if (st != RCB_OK)
        return st;
    if (h->cfg.work_limit)
        h->work = h->cfg.work_limit - k.work_left;
    h->stats.kernel_tasks++;
    h->stats.macs += (uint64_t)k.macs;
    double per_cycle = l->kernel > RCB_KERNEL_INT8_OFFSET ? h->tm.macs_i8 : h->tm.macs_f32;
    double rate = per_cycle * EFFICIENCY[l->kernel];
    *duration = k.macs / rate + KERNEL_OVERHEAD_CYCLES;
    return RCB_OK;
}

/* ---- the event loop ---------------------------------------------------------------------- */

/* Whether running task a completes before b: by time, then record, then start order. */
static int earlier(const task *a, const task *b)
{
    if (a->end != b->end)
        return a->end < b->end;
    if (a->record != b->record)
        return a->record < b->record;
    return a->seq < b->seq;
}

/* Add running task `ti` to the completion heap. */
static void heap_push(rhal_host *h, uint32_t ti)
{
    uint32_t i = h->heap_len++;
    while (i && earlier(&h->tasks[ti], &h->tasks[h->heap[(i - 1) / 2]])) {
        h->heap[i] = h->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->heap[i] = ti;
}

/* Remove and return the running task that completes first. */
static uint32_t heap_pop(rhal_host *h)
{
    uint32_t top = h->heap[0], last = h->heap[--h->heap_len], i = 0;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= h->heap_len)
            break;
        if (c + 1 < h->heap_len && earlier(&h->tasks[h->heap[c + 1]], &h->tasks[h->heap[c]]))
            c++;
        if (!earlier(&h->tasks[h->heap[c]], &h->tasks[last]))
            break;
        h->heap[i] = h->heap[c];
        i = c;
    }
    if (h->heap_len)
        h->heap[i] = last;
    return top;
}

/* Start the head task of queue `q` if it may start now; *started says whether it did. */
static rcb_status try_start(rhal_host *h, uint32_t q, int *started)
{
    *started = 0;
    queue *qu = &h->queues[q];
    if (qu->busy || qu->head == NONE)
        return RCB_OK;
    uint32_t ti = qu->head;
    task *t = &h->tasks[ti];
    for (int k = 0; k < 2 && t->queue[k] != NONE; k++) {
        const queue *other = &h->queues[t->queue[k]];
        if (other->busy || other->head != ti)
            return RCB_OK;
    }
    unsigned count;
    const rhal_lock_use *uses = acquires(t, &count);
    for (unsigned j = 0; j < count; j++)
        if (*lock_of(h, uses[j].tile, uses[j].id) < needed_value(uses, j))
            return RCB_OK;
    for (unsigned j = 0; j < count; j++)
        *lock_of(h, uses[j].tile, uses[j].id) -= uses[j].value;
    double duration = 0.0;
    rcb_status st = t->is_dma ? run_dma(h, t, &duration) : run_kernel(h, t, &duration);
    if (st != RCB_OK)
        return st;
    for (int k = 0; k < 2 && t->queue[k] != NONE; k++)
        h->queues[t->queue[k]].busy = 1;
    t->end = h->now + duration;
    t->seq = h->seq++;
    heap_push(h, ti);
    *started = 1;
    return RCB_OK;
}

/* One pass over the queues in scan order; *progress says whether a task started. */
static rcb_status start_pass(rhal_host *h, int *progress)
{
    *progress = 0;
    for (uint32_t i = 0; i < h->order_count; i++) {
        int started;
        rcb_status st = try_start(h, h->order[i], &started);
        if (st != RCB_OK)
            return st;
        *progress |= started;
    }
    return RCB_OK;
}

/* Complete task `ti`: leave its queues, free its buffer descriptors, apply its releases. */
static rcb_status complete(rhal_host *h, uint32_t ti)
{
    task *t = &h->tasks[ti];
    for (int k = 0; k < 2 && t->queue[k] != NONE; k++) {
        queue *qu = &h->queues[t->queue[k]];
        qu->busy = 0;
        qu->head = t->next[k];
        if (qu->head == NONE)
            qu->tail = NONE;
    }
    const rhal_lock_use *uses;
    unsigned count;
    if (t->is_dma) {
        const rhal_dma *d = &t->u.dma;
        h->tiles[tile_index(h, d->src)].bds_used--;
        if (tile_index(h, d->src) != tile_index(h, d->dst))
            h->tiles[tile_index(h, d->dst)].bds_used--;
        uses = d->releases, count = d->release_count;
    } else {
        h->tiles[tile_index(h, t->u.launch.tile)].core_used--;
        uses = t->u.launch.releases, count = t->u.launch.release_count;
    }
    for (unsigned j = 0; j < count; j++) {
        rcb_status st = release(h, t->record, uses[j].tile, uses[j].id, uses[j].value);
        if (st != RCB_OK)
            return st;
    }
    t->next[0] = h->free_task;
    h->free_task = ti;
    return RCB_OK;
}

/* What a controller step waits for. */
typedef enum wait_kind { READY, CAPACITY, LOCK, QUEUE_IDLE, ALL_IDLE } wait_kind;

typedef struct pending {
    wait_kind kind;
    uint32_t record;
    rcb_tile tile, other; /* CAPACITY: the tiles whose BDs (or core) a task needs; LOCK */
    int core;             /* CAPACITY: a kernel */
    uint8_t id, value;    /* LOCK */
    uint32_t queue;       /* QUEUE_IDLE */
} pending;

/* Whether queue `q` has no task, running or waiting. */
static int queue_idle(const rhal_host *h, uint32_t q)
{
    return h->queues[q].head == NONE && !h->queues[q].busy;
}

/* Whether a tile has a free buffer descriptor (or a free core slot). */
static int has_room(rhal_host *h, rcb_tile tile, int core)
{
    const tile_state *s = &h->tiles[tile_index(h, tile)];
    return core ? s->core_used < h->cfg.core_queue : s->bds_used < spec(h, tile)->bds;
}

/* Whether the controller step `p` may take effect now. */
static int ready(rhal_host *h, const pending *p)
{
    switch (p->kind) {
    case CAPACITY:
        return has_room(h, p->tile, p->core) && (p->core || has_room(h, p->other, 0));
    case LOCK:
        return *lock_of(h, p->tile, p->id) >= p->value;
    case QUEUE_IDLE:
        return queue_idle(h, p->queue);
    case ALL_IDLE:
        for (uint32_t i = 0; i < h->order_count; i++)
            if (!queue_idle(h, h->order[i]))
                return 0;
        return 1;
    default:
        return 1;
    }
}

/* Describe the queues of `ids` that are not idle, comma-separated. */
static void busy_queues(const rhal_host *h, const uint32_t *ids, uint32_t n, char *buf, size_t cap)
{
    const char *sep = "";
    for (uint32_t i = 0; i < n; i++) {
        if (queue_idle(h, ids[i]))
            continue;
        char name[32];
        queue_name(h, ids[i], name, sizeof name);
        append(buf, cap, "%s%s", sep, name);
        sep = ", ";
    }
}

/* The deadlock report of section 3.3 (machine.py, _deadlock_report). */
static rcb_status deadlock(rhal_host *h, const pending *p)
{
    char *m = h->message;
    size_t cap = sizeof h->message;
    snprintf(m, cap, "deadlock: nothing is running and nothing can start\n"
                     "  the controller waits at record %u for ", (unsigned)p->record);
    switch (p->kind) {
    case CAPACITY:
        if (p->core)
            append(m, cap, "capacity of core (%u,%u)", (unsigned)p->tile.col, (unsigned)p->tile.row);
        else
            append(m, cap, "capacity of the buffer descriptors of (%u,%u)",
                   (unsigned)(has_room(h, p->tile, 0) ? p->other : p->tile).col,
                   (unsigned)(has_room(h, p->tile, 0) ? p->other : p->tile).row);
        break;
    case LOCK:
        append(m, cap, "lock %u of (%u,%u) (value %u, needs %u)", (unsigned)p->id,
               (unsigned)p->tile.col, (unsigned)p->tile.row,
               (unsigned)*lock_of(h, p->tile, p->id), (unsigned)p->value);
        break;
    case QUEUE_IDLE:
        busy_queues(h, &p->queue, 1, m, cap);
        break;
    default:
        busy_queues(h, h->order, h->order_count, m, cap);
        break;
    }
    for (uint32_t i = 0; i < h->order_count; i++) {
        const queue *qu = &h->queues[h->order[i]];
        if (qu->head == NONE)
            continue;
        const task *t = &h->tasks[qu->head];
        char name[32];
        queue_name(h, h->order[i], name, sizeof name);
        if (t->is_dma)
            append(m, cap, "\n  %s: record %u (dma_start (%u,%u) -> (%u,%u)) waits for ", name,
                   (unsigned)t->record, (unsigned)t->u.dma.src.col, (unsigned)t->u.dma.src.row,
                   (unsigned)t->u.dma.dst.col, (unsigned)t->u.dma.dst.row);
        else
            append(m, cap, "\n  %s: record %u (launch %s) waits for ", name, (unsigned)t->record,
                   rcb_kernel_name(t->u.launch.kernel));
        unsigned count, waiting = 0;
        const rhal_lock_use *uses = acquires(t, &count);
        for (unsigned j = 0; j < count; j++) {
            unsigned have = *lock_of(h, uses[j].tile, uses[j].id), need = needed_value(uses, j);
            if (have >= need)
                continue;
            append(m, cap, "%s lock %u of (%u,%u) (value %u, needs %u)",
                   waiting++ ? "," : "acquire of", (unsigned)uses[j].id,
                   (unsigned)uses[j].tile.col, (unsigned)uses[j].tile.row, have, need);
        }
        for (int k = 0; k < 2 && t->queue[k] != NONE; k++) {
            const queue *other = &h->queues[t->queue[k]];
            if (t->queue[k] == h->order[i] || (!other->busy && other->head == qu->head))
                continue;
            char other_name[32];
            queue_name(h, t->queue[k], other_name, sizeof other_name);
            append(m, cap, "%s%s to reach it", waiting++ ? "; " : "", other_name);
        }
    }
    return RCB_ERR_DEADLOCK;
}

/*
 * Run the machine until the controller may take step `p`, then account its dispatch time.
 * This is one turn of machine.py's loop per iteration: the controller first, then one scan of
 * the queues, then time advances to the next completion or to the controller's next slot.
 */
static rcb_status step(rhal_host *h, const pending *p)
{
    for (;;) {
        if (h->free_at <= h->now && ready(h, p)) {
            h->free_at = h->now + DISPATCH_CYCLES;
            return RCB_OK;
        }
        int progress;
        rcb_status st = start_pass(h, &progress);
        if (st != RCB_OK)
            return st;
        if (progress)
            continue;
        int waiting_for_slot = h->free_at > h->now;
        if (!h->heap_len && !waiting_for_slot)
            return deadlock(h, p);
        double next = h->heap_len ? h->tasks[h->heap[0]].end : h->free_at;
        if (waiting_for_slot && h->free_at < next)
            next = h->free_at;
        h->now = next;
        while (h->heap_len && h->tasks[h->heap[0]].end <= h->now) {
            st = complete(h, heap_pop(h));
            if (st != RCB_OK)
                return st;
        }
    }
}

/* A task from the pool, with its queues linked in (NONE if the pool is empty, which the
 * capacity rules make impossible); the caller fills the payload. */
static uint32_t enqueue(rhal_host *h, uint32_t record, uint32_t q0, uint32_t q1, int is_dma)
{
    uint32_t ti = h->free_task;
    if (ti == NONE)
        return NONE;
    task *t = &h->tasks[ti];
    h->free_task = t->next[0];
    memset(t, 0, sizeof *t);
    t->record = record;
    t->is_dma = is_dma;
    t->queue[0] = q0;
    t->queue[1] = q1;
    for (int k = 0; k < 2; k++) {
        t->next[k] = NONE;
        if (t->queue[k] == NONE)
            continue;
        queue *qu = &h->queues[t->queue[k]];
        list_queue(h, t->queue[k]);
        if (qu->tail == NONE)
            qu->head = ti;
        else {
            task *last = &h->tasks[qu->tail];
            last->next[last->queue[0] == t->queue[k] ? 0 : 1] = ti;
        }
        qu->tail = ti;
    }
    return ti;
}

/* ---- RHAL operations --------------------------------------------------------------------- */

/* A step that is always ready: wait for the controller's dispatch slot. */
static rcb_status controller_step(rhal_host *h, uint32_t record)
{
    pending p = {READY, record, {0, 0}, {0, 0}, 0, 0, 0, 0};
    return step(h, &p);
}

/* configure_tile: claim the tile (its memory on first use), locks 0, memory undefined. */
static rcb_status host_configure_tile(void *ctx, uint32_t record, rcb_tile tile)
{
    rhal_host *h = ctx;
    rcb_status st = controller_step(h, record);
    if (st != RCB_OK)
        return st;
    tile_state *s = &h->tiles[tile_index(h, tile)];
    memset(s->locks, 0, sizeof s->locks);
    if (tile.row == 0)
        return RCB_OK;
    if (!s->mem.data) {
        snprintf(s->mem.name, sizeof s->mem.name, "tile (%u,%u)", (unsigned)tile.col,
                 (unsigned)tile.row);
        return memory_init(h, &s->mem, spec(h, tile)->memory);
    }
    memset(s->mem.defined, 0, (s->mem.size + 7u) / 8u);
    return RCB_OK;
}

/* write_params, or a loader write (RCB_NO_RECORD: the data image, inputs; no step). */
static rcb_status host_write(void *ctx, uint32_t record, rcb_tile tile, uint32_t offset,
                             const uint8_t *data, uint32_t size)
{
    rhal_host *h = ctx;
    if (record != RCB_NO_RECORD) {
        rcb_status st = controller_step(h, record);
        if (st != RCB_OK)
            return st;
    }
    hmem *m = memory_of(h, tile);
    if (!m)
        return failure(h, RCB_ERR_UNCONFIGURED,
                       "record %u uses tile (%u,%u), which no configure_tile claimed",
                       (unsigned)record, (unsigned)tile.col, (unsigned)tile.row);
    rcb_status st = hmem_check(m, offset, size, 0, record, h->message, sizeof h->message);
    if (st != RCB_OK)
        return st;
    if (size)
        memcpy(m->data + offset, data, size);
    hmem_mark(m, offset, (uint64_t)offset + size);
    return RCB_OK;
}

/* The host's read after the end (outputs): every byte must have been written. Like the Python
 * executor, the message names the read as record `records`, one past the last. */
static rcb_status host_read(void *ctx, rcb_tile tile, uint32_t offset, uint8_t *data, uint32_t size)
{
    rhal_host *h = ctx;
    hmem *m = memory_of(h, tile);
    if (!m)
        return failure(h, RCB_ERR_UNCONFIGURED, "tile (%u,%u) is not configured",
                       (unsigned)tile.col, (unsigned)tile.row);
    rcb_status st = hmem_check(m, offset, size, 1, h->prog->records, h->message,
                               sizeof h->message);
    if (st == RCB_OK && size)
        memcpy(data, m->data + offset, size);
    return st;
}

/* dma_start: wait for a buffer descriptor on both tiles, then queue the task. */
static rcb_status host_dma_start(void *ctx, const rhal_dma *dma)
{
    rhal_host *h = ctx;
    pending p = {CAPACITY, dma->record, dma->src, dma->dst, 0, 0, 0, 0};
    rcb_status st = step(h, &p);
    if (st != RCB_OK)
        return st;
    uint32_t ti = enqueue(h, dma->record, queue_of(h, dma->src, RHAL_MM2S, dma->src_channel, 0),
                          queue_of(h, dma->dst, RHAL_S2MM, dma->dst_channel, 0), 1);
    if (ti == NONE)
        return failure(h, RCB_ERR_LIMIT, "record %u: no free task", (unsigned)dma->record);
    h->tasks[ti].u.dma = *dma;
    h->tiles[tile_index(h, dma->src)].bds_used++;
    if (tile_index(h, dma->src) != tile_index(h, dma->dst))
        h->tiles[tile_index(h, dma->dst)].bds_used++;
    return RCB_OK;
}

/* wait: until the channel's queue is empty and idle. */
static rcb_status host_dma_wait(void *ctx, uint32_t record, rcb_tile tile, uint8_t direction,
                                uint8_t channel)
{
    rhal_host *h = ctx;
    pending p = {QUEUE_IDLE, record, tile, tile, 0, 0, 0, queue_of(h, tile, direction, channel, 0)};
    return step(h, &p);
}

/* lock_acquire: until the lock holds `value`, then take it. */
static rcb_status host_lock_acquire(void *ctx, uint32_t record, rcb_tile tile, uint8_t id,
                                    uint8_t value)
{
    rhal_host *h = ctx;
    pending p = {LOCK, record, tile, tile, 0, id, value, 0};
    rcb_status st = step(h, &p);
    if (st == RCB_OK)
        *lock_of(h, tile, id) -= value;
    return st;
}

/* lock_release: add `value`, within the lock's maximum. */
static rcb_status host_lock_release(void *ctx, uint32_t record, rcb_tile tile, uint8_t id,
                                    uint8_t value)
{
    rhal_host *h = ctx;
    rcb_status st = controller_step(h, record);
    return st == RCB_OK ? release(h, record, tile, id, value) : st;
}

/* launch: wait for room in the core's queue, then queue the kernel. */
static rcb_status host_kernel_launch(void *ctx, const rhal_launch *launch)
{
    rhal_host *h = ctx;
    pending p = {CAPACITY, launch->record, launch->tile, launch->tile, 1, 0, 0, 0};
    rcb_status st = step(h, &p);
    if (st != RCB_OK)
        return st;
    uint32_t ti = enqueue(h, launch->record, queue_of(h, launch->tile, 0, 0, 1), NONE, 0);
    if (ti == NONE)
        return failure(h, RCB_ERR_LIMIT, "record %u: no free task", (unsigned)launch->record);
    h->tasks[ti].u.launch = *launch;
    h->tiles[tile_index(h, launch->tile)].core_used++;
    return RCB_OK;
}

/* wait_core: until the core's queue is empty and idle. */
static rcb_status host_kernel_wait(void *ctx, uint32_t record, rcb_tile tile)
{
    rhal_host *h = ctx;
    pending p = {QUEUE_IDLE, record, tile, tile, 0, 0, 0, queue_of(h, tile, 0, 0, 1)};
    return step(h, &p);
}

/* barrier and end: until every queue is empty and idle, then, in a host-dispatched program,
 * a host round trip (nothing runs meanwhile, so time may pass without events). */
static rcb_status host_barrier(void *ctx, uint32_t record)
{
    rhal_host *h = ctx;
    pending p = {ALL_IDLE, record, {0, 0}, {0, 0}, 0, 0, 0, 0};
    rcb_status st = step(h, &p);
    if (st == RCB_OK && (h->prog->flags & RCB_FLAG_HOST_DISPATCH)) {
        double round_trip = HOST_ROUND_TRIP_SECONDS * h->tm.clock_hz;
        h->now += round_trip;
        h->free_at += round_trip;
    }
    h->stats.cycles = h->now;
    h->stats.seconds = h->now / h->tm.clock_hz;
    return st;
}

/* The modeled time, in whole cycles. */
static uint64_t host_timestamp(void *ctx)
{
    const rhal_host *h = ctx;
    return (uint64_t)h->now;
}

const rhal_ops rhal_host_ops = {
    host_configure_tile, host_write,         host_read,         host_dma_start,
    host_dma_wait,       host_lock_acquire,  host_lock_release, host_kernel_launch,
    host_kernel_wait,    host_barrier,       host_timestamp,
};

/* ---- set-up ------------------------------------------------------------------------------ */

/*
 * What the Python executor derives from the whole program before it runs: the scan order of
 * the queues (the order in which records first name them) and the interface channels that
 * share DDR bandwidth.
 */
static void prepare(rhal_host *h)
{
    const rcb_program *prog = h->prog;
    uint8_t channels[64][8];
    memset(channels, 0, sizeof channels);
    for (uint32_t i = 0; i < prog->records; i++) {
        const uint8_t *r = prog->code + 32u * i;
        rcb_tile a = {r[1], r[2]}, b = {r[4], r[5]};
        switch (r[0]) {
        case RCB_OP_DMA_START:
            list_queue(h, queue_of(h, a, RHAL_MM2S, r[3], 0));
            list_queue(h, queue_of(h, b, RHAL_S2MM, r[6], 0));
            if (a.row == 0 || b.row == 0) {
                const uint8_t *end = a.row == 0 ? r + 1 : r + 4;
                uint8_t channel = a.row == 0 ? r[3] : r[6];
                if (!channels[end[0] % 64][channel % 8]) {
                    channels[end[0] % 64][channel % 8] = 1;
                    h->ddr_channels++;
                }
            }
            break;
        case RCB_OP_LAUNCH:
        case RCB_OP_WAIT_CORE:
            list_queue(h, queue_of(h, a, 0, 0, 1));
            break;
        case RCB_OP_WAIT:
            list_queue(h, queue_of(h, a, r[3], r[4], 0));
            break;
        default:
            break;
        }
    }
}

rcb_status rhal_host_create(rhal_host **out, const rcb_program *prog,
                            const rhal_host_config *config)
{
    if (!out || !prog || !prog->target)
        return RCB_ERR_ARGUMENT;
    *out = NULL;
    rhal_host *h = calloc(1, sizeof *h);
    if (!h)
        return RCB_ERR_LIMIT;
    h->prog = prog;
    h->t = prog->target;
    h->tm = TIMING[h->t->id];
    if (config)
        h->cfg = *config;
    if (!h->cfg.core_queue)
        h->cfg.core_queue = RHAL_HOST_CORE_QUEUE;
    if (h->cfg.core_queue > 255) {
        free(h);
        return RCB_ERR_ARGUMENT;
    }
    h->tile_count = (uint32_t)h->t->columns * h->t->rows;
    uint64_t bds = 0;
    for (uint32_t i = 0; i < h->tile_count; i++) {
        rcb_tile tile = {(uint8_t)(i / h->t->rows), (uint8_t)(i % h->t->rows)};
        bds += spec(h, tile)->bds + (kind(h, tile) == RCB_COMPUTE ? h->cfg.core_queue : 0);
    }
    h->task_cap = (uint32_t)bds;
    uint32_t queues = h->tile_count * QUEUES_PER_TILE;
    strcpy(h->ddr.name, "DDR");
    h->tiles = allocate(h, (uint64_t)h->tile_count * sizeof *h->tiles);
    h->queues = allocate(h, (uint64_t)queues * sizeof *h->queues);
    h->order = allocate(h, (uint64_t)queues * sizeof *h->order);
    h->tasks = allocate(h, (uint64_t)h->task_cap * sizeof *h->tasks);
    h->heap = allocate(h, (uint64_t)h->task_cap * sizeof *h->heap);
    h->scratch = allocate(h, h->t->kinds[RCB_COMPUTE].memory);
    if (!h->tiles || !h->queues || !h->order || !h->tasks || !h->heap || !h->scratch ||
        memory_init(h, &h->ddr, prog->ddr_size) != RCB_OK) {
        rhal_host_destroy(h);
        return RCB_ERR_LIMIT;
    }
    rhal_host_reset(h);
    *out = h;
    return RCB_OK;
}

void rhal_host_reset(rhal_host *h)
{
    for (uint32_t i = 0; i < h->tile_count; i++) {
        tile_state *s = &h->tiles[i];
        memset(s->locks, 0, sizeof s->locks);
        s->bds_used = s->core_used = 0;
        if (s->mem.data)
            memset(s->mem.defined, 0, (s->mem.size + 7u) / 8u);
    }
    memset(h->ddr.data, 0, h->ddr.size);
    memset(h->ddr.defined, 0, (h->ddr.size + 7u) / 8u);
    for (uint32_t q = 0; q < h->tile_count * QUEUES_PER_TILE; q++) {
        h->queues[q].head = h->queues[q].tail = NONE;
        h->queues[q].busy = h->queues[q].listed = 0;
    }
    h->order_count = 0;
    for (uint32_t i = 0; i < h->task_cap; i++)
        h->tasks[i].next[0] = i + 1 < h->task_cap ? i + 1 : NONE;
    h->free_task = 0;
    h->heap_len = 0;
    h->now = h->free_at = 0.0;
    h->seq = 0;
    h->work = 0;
    h->ddr_channels = 0;
    memset(&h->stats, 0, sizeof h->stats);
    h->message[0] = '\0';
    prepare(h);
}

void rhal_host_destroy(rhal_host *h)
{
    if (!h)
        return;
    if (h->tiles)
        for (uint32_t i = 0; i < h->tile_count; i++) {
            free(h->tiles[i].mem.data);
            free(h->tiles[i].mem.defined);
        }
    free(h->tiles);
    free(h->queues);
    free(h->order);
    free(h->tasks);
    free(h->heap);
    free(h->scratch);
    free(h->snapshot);
    free(h->ddr.data);
    free(h->ddr.defined);
    free(h);
}

const char *rhal_host_message(const rhal_host *h) { return h ? h->message : ""; }

void rhal_host_get_stats(const rhal_host *h, rhal_host_stats *stats)
{
    *stats = h->stats;
    stats->cycles = h->now;
    stats->seconds = h->now / h->tm.clock_hz;
}
