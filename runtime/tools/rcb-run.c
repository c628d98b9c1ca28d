/*
 * rcb-run - run an RCB program on the host RHAL backend.
 *
 *   rcb-run prog.rcb --input x.npy --output y.npy
 *   rcb-run prog.rcb --input x=x.bin --input w=w.npy --output y=y.npy --stats
 *   rcb-run prog.rcb --check
 *
 * Inputs and outputs are bound by name (NAME=FILE) or, unnamed, in the order of the program's
 * input (output) bindings. A file ending in .npy is a NumPy array whose dtype and shape must be
 * the binding's (f64 arrays are converted to an f32 binding); any other file is the binding's
 * raw little-endian bytes. A malformed program is reported as the Python decoder reports it:
 *
 *   rcb-run: prog.rcb: byte 0x1a4: pattern-out-of-bounds: record 5 (dma_start): ...
 *
 * Exit status: 0 success, 1 a program that is invalid or fails to run, 2 a usage or I/O error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npy.h"
#include "rcb/host.h"

enum { MAX_FILES = 64 };

typedef struct binding_file {
    const char *name; /* NULL: the next binding of its direction in order */
    const char *path;
} binding_file;

typedef struct options {
    const char *program;
    binding_file inputs[MAX_FILES], outputs[MAX_FILES];
    int input_count, output_count;
    int check_only, stats;
    rhal_host_config config;
} options;

static const char *program_path = "rcb-run";

/* Print "rcb-run: <program>: <message>" and return `status`. */
static int fail(int status, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "rcb-run: %s: ", program_path);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    return status;
}

/* Print the usage text to `to`. */
static void usage(FILE *to)
{
    fputs("usage: rcb-run PROGRAM.rcb [--input [NAME=]FILE]... [--output [NAME=]FILE]...\n"
          "               [--check] [--stats] [--work-limit N] [--memory-limit BYTES]\n"
          "               [--core-queue N]\n"
          "Runs an RCB program on the host simulator of the tile array. FILE is .npy or raw.\n"
          "  --check          validate the program only\n"
          "  --stats          print modeled cycles and data movement\n"
          "  --work-limit N   stop after N bytes moved plus multiply-accumulates (default 2^40)\n"
          "  --memory-limit B simulated memory the run may allocate (default: no limit)\n"
          "  --core-queue N   kernels outstanding per core (default: the spec's 8)\n",
          to);
}

/* Read a whole file into a malloc'd buffer; NULL with errno set on failure. */
static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *grown = realloc(buf, cap *= 2);
        if (!grown)
            free(buf);
        buf = grown;
    }
    int error = ferror(f);
    fclose(f);
    if (error) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

/* Whether `s` ends with `suffix`. */
static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* "[1, 3, 8, 8]" for a message. */
static void shape_text(char *buf, size_t cap, int rank, const uint64_t *shape)
{
    int n = snprintf(buf, cap, "[");
    for (int k = 0; k < rank && n > 0 && (size_t)n < cap; k++)
        n += snprintf(buf + n, cap - (size_t)n, "%s%llu", k ? ", " : "",
                      (unsigned long long)shape[k]);
    if (n > 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, "]");
}

/* The binding of `direction` named by `f`, or the `ordinal`-th of that direction. */
static int find_binding(const rcb_program *prog, const binding_file *f, int direction,
                        int ordinal, uint32_t *index, rcb_tensor *b)
{
    int seen = 0;
    for (uint32_t i = 0; i < prog->binding_count; i++) {
        rcb_binding(prog, i, b);
        if (b->direction != direction)
            continue;
        if (f->name ? strcmp(b->name, f->name) == 0 : seen == ordinal) {
            *index = i;
            return 0;
        }
        seen++;
    }
    return -1;
}

/* Load input file `f` into binding `b` (index `index`) of the engine. */
static int load_input(rcb_engine *engine, uint32_t index, const rcb_tensor *b,
                      const binding_file *f)
{
    size_t len;
    uint8_t *bytes = read_file(f->path, &len);
    if (!bytes)
        return fail(2, "cannot read input '%s' from %s: %s", b->name, f->path, strerror(errno));
    uint8_t *data = bytes;
    size_t size = len;
    npy_array a = {0};
    if (ends_with(f->path, ".npy")) {
        char err[256];
        if (npy_parse(bytes, len, &a, err, sizeof err) != 0) {
            free(bytes);
            return fail(2, "input '%s': %s: %s", b->name, f->path, err);
        }
        free(bytes);
        uint64_t expected[4];
        for (int k = 0; k < b->rank; k++)
            expected[k] = b->shape[k];
        int same = a.rank == b->rank;
        for (int k = 0; same && k < b->rank; k++)
            same = a.shape[k] == expected[k];
        if (!same) {
            char have[128], want[128];
            shape_text(have, sizeof have, a.rank, a.shape);
            shape_text(want, sizeof want, b->rank, expected);
            free(a.data);
            return fail(1, "input '%s' has shape %s, the program expects %s", b->name, have,
                        want);
        }
        const char *descr = npy_descr(b->dtype);
        if (b->dtype == RCB_F32 && strcmp(a.descr, "<f8") == 0) {
            float *converted = malloc(a.size / 2 + 1);
            if (!converted) {
                free(a.data);
                return fail(2, "out of memory");
            }
            for (size_t i = 0; i < a.size / 8; i++) {
                double v;
                memcpy(&v, a.data + 8 * i, sizeof v);
                converted[i] = (float)v;
            }
            free(a.data);
            a.data = (uint8_t *)converted;
            a.size /= 2;
        } else if (!descr || (strcmp(a.descr + 1, descr + 1) != 0)) {
            free(a.data);
            return fail(1, "input '%s' has dtype %s, the program expects %s", b->name, a.descr,
                        descr ? descr : "bf16 (give it as raw bytes)");
        }
        data = a.data;
        size = a.size;
    }
    if (size != b->size) {
        free(data);
        return fail(1, "input '%s' from %s holds %zu bytes, the program expects %u", b->name,
                    f->path, size, (unsigned)b->size);
    }
    rcb_diag diag;
    rcb_status st = rcb_set_input(engine, index, data, (uint32_t)size, &diag);
    free(data);
    return st == RCB_OK ? 0 : fail(1, "input '%s': %s", b->name, rcb_status_name(st));
}

/* Write output binding `b` (index `index`) to file `f`. */
static int save_output(rcb_engine *engine, uint32_t index, const rcb_tensor *b,
                       const binding_file *f)
{
    uint8_t *data = malloc(b->size ? b->size : 1);
    if (!data)
        return fail(2, "out of memory");
    rcb_diag diag;
    rcb_status st = rcb_get_output(engine, index, data, b->size, &diag);
    if (st != RCB_OK) {
        free(data);
        return fail(1, "output '%s': %s", b->name, rhal_host_message(engine->hal_ctx));
    }
    int written;
    if (ends_with(f->path, ".npy")) {
        const char *descr = npy_descr(b->dtype);
        if (!descr) {
            free(data);
            return fail(2, "output '%s' is bf16, which .npy cannot hold: write it as raw bytes",
                        b->name);
        }
        written = npy_write(f->path, descr, b->rank, b->shape, data, b->size);
    } else {
        FILE *out = fopen(f->path, "wb");
        written = out && fwrite(data, 1, b->size, out) == b->size ? 0 : -1;
        if (out && fclose(out) != 0)
            written = -1;
    }
    free(data);
    return written == 0 ? 0
                        : fail(2, "cannot write output '%s' to %s: %s", b->name, f->path,
                               strerror(errno));
}

/* Parse "[NAME=]FILE". */
static binding_file binding_arg(char *arg)
{
    binding_file f = {NULL, arg};
    char *eq = strchr(arg, '=');
    if (eq) {
        *eq = '\0';
        f.name = arg;
        f.path = eq + 1;
    }
    return f;
}

/* A non-negative integer option value; -1 if malformed. */
static int number_arg(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno || end == text || *end || text[0] == '-')
        return -1;
    *out = v;
    return 0;
}

/* Parse the command line into `o`; -1 on a usage error. */
static int parse(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->config.work_limit = 1ull << 40;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--check")) {
            o->check_only = 1;
        } else if (!strcmp(a, "--stats")) {
            o->stats = 1;
        } else if ((!strcmp(a, "--input") || !strcmp(a, "-i")) && has_value) {
            if (o->input_count == MAX_FILES)
                return -1;
            o->inputs[o->input_count++] = binding_arg(argv[++i]);
        } else if ((!strcmp(a, "--output") || !strcmp(a, "-o")) && has_value) {
            if (o->output_count == MAX_FILES)
                return -1;
            o->outputs[o->output_count++] = binding_arg(argv[++i]);
        } else if (!strcmp(a, "--work-limit") && has_value) {
            if (number_arg(argv[++i], &o->config.work_limit))
                return -1;
        } else if (!strcmp(a, "--core-queue") && has_value) {
            uint64_t depth;
            if (number_arg(argv[++i], &depth) || depth < 1 || depth > 255)
                return -1;
            o->config.core_queue = (uint32_t)depth;
        } else if (!strcmp(a, "--memory-limit") && has_value) {
            if (number_arg(argv[++i], &o->config.memory_limit))
                return -1;
        } else if (a[0] == '-' || o->program) {
            return -1;
        } else {
            o->program = a;
        }
    }
    return o->program ? 0 : -1;
}

/* Bind and load every input; fail on an unknown name or a missing input. */
static int load_inputs(rcb_engine *engine, const rcb_program *prog, const options *o)
{
    uint8_t *given = calloc(prog->binding_count + 1u, 1);
    if (!given)
        return fail(2, "out of memory");
    int status = 0;
    for (int i = 0; i < o->input_count && !status; i++) {
        uint32_t index;
        rcb_tensor b;
        if (find_binding(prog, &o->inputs[i], 0, i, &index, &b) != 0)
            status = o->inputs[i].name
                         ? fail(2, "the program has no input named '%s'", o->inputs[i].name)
                         : fail(2, "the program has fewer than %d inputs", i + 1);
        else if (!(status = load_input(engine, index, &b, &o->inputs[i])))
            given[index] = 1;
    }
    for (uint32_t i = 0; i < prog->binding_count && !status; i++) {
        rcb_tensor b;
        rcb_binding(prog, i, &b);
        if (b.direction == 0 && !given[i]) {
            char shape[128];
            uint64_t dims[4];
            for (int k = 0; k < b.rank; k++)
                dims[k] = b.shape[k];
            shape_text(shape, sizeof shape, b.rank, dims);
            status = fail(1, "missing input '%s' of shape %s", b.name, shape);
        }
    }
    free(given);
    return status;
}

/* Print modeled figures of the run. */
static void print_stats(const rhal_host *host, const rcb_program *prog)
{
    rhal_host_stats s;
    rhal_host_get_stats(host, &s);
    printf("target: %s\nrecords: %u\nmodeled cycles: %.17g\nmodeled seconds: %.9g\n"
           "bytes moved: ddr %llu, memtile %llu, tile %llu\ntasks: %llu dma, %llu kernel\n"
           "macs: %llu\n",
           prog->target->name, (unsigned)prog->records, s.cycles, s.seconds,
           (unsigned long long)s.bytes_ddr, (unsigned long long)s.bytes_memtile,
           (unsigned long long)s.bytes_tile, (unsigned long long)s.dma_tasks,
           (unsigned long long)s.kernel_tasks, (unsigned long long)s.macs);
}

int main(int argc, char **argv)
{
    options o;
    if (parse(argc, argv, &o) != 0) {
        usage(stderr);
        return 2;
    }
    program_path = o.program;
    size_t len;
    uint8_t *file = read_file(o.program, &len);
    if (!file)
        return fail(2, "cannot read: %s", strerror(errno));
    rcb_program prog;
    rcb_diag diag;
    char text[1024];
    if (rcb_load(&prog, file, len, &diag) != RCB_OK) {
        rcb_format_diag(&diag, text, sizeof text);
        free(file);
        return fail(1, "byte 0x%x: %s: %s", (unsigned)diag.offset, rcb_rule_name(diag.rule),
                    text);
    }
    if (o.check_only) {
        printf("%s: valid: %s, %u records, %u bytes of DDR\n", o.program, prog.target->name,
               (unsigned)prog.records, (unsigned)prog.ddr_size);
        free(file);
        return 0;
    }
    rhal_host *host;
    if (rhal_host_create(&host, &prog, &o.config) != RCB_OK) {
        free(file);
        return fail(1, "cannot simulate the program's %u bytes of DDR within the memory limit",
                    (unsigned)prog.ddr_size);
    }
    rcb_engine engine;
    rcb_engine_init(&engine, &prog, &rhal_host_ops, host);
    int status = load_inputs(&engine, &prog, &o);
    if (!status && rcb_run(&engine, &diag) != RCB_OK) {
        const char *message = rhal_host_message(host);
        if (!*message) {
            rcb_format_diag(&diag, text, sizeof text);
            message = text;
        }
        status = fail(1, "%s", message);
    }
    for (int i = 0; !status && i < o.output_count; i++) {
        uint32_t index;
        rcb_tensor b;
        if (find_binding(&prog, &o.outputs[i], 1, i, &index, &b) != 0)
            status = o.outputs[i].name
                         ? fail(2, "the program has no output named '%s'", o.outputs[i].name)
                         : fail(2, "the program has fewer than %d outputs", i + 1);
        else
            status = save_output(&engine, index, &b, &o.outputs[i]);
    }
    if (!status && o.stats)
        print_stats(host, &prog);
    rhal_host_destroy(host);
    free(file);
    return status;
}
