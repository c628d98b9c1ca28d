/*
 * npy.c - the .npy format: a magic string, a version, a Python dict literal header and the raw
 * data. Only what RCB bindings need: little-endian numeric dtypes in C order.
 */
#include "npy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *npy_descr(uint8_t dtype)
{
    static const char *const DESCR[] = {NULL, "|u1", "|i1", "<i2", "<i4", NULL, "<f4"};
    return dtype < sizeof DESCR / sizeof DESCR[0] ? DESCR[dtype] : NULL;
}

/* The text after `key` and a colon in the header dict, or NULL. */
static const char *value_of(const char *header, const char *key)
{
    const char *p = strstr(header, key);
    if (!p)
        return NULL;
    p = strchr(p + strlen(key), ':');
    if (!p)
        return NULL;
    for (p++; *p == ' '; p++)
        ;
    return p;
}

/* Write a formatted message into err. */
#define FAIL(...)                          \
    do {                                   \
        snprintf(err, cap, __VA_ARGS__);   \
        return -1;                         \
    } while (0)

int npy_parse(const uint8_t *file, size_t len, npy_array *out, char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    if (len < 10 || memcmp(file, "\x93NUMPY", 6) != 0)
        FAIL("not a .npy file (no \\x93NUMPY magic)");
    size_t header_len, start;
    if (file[6] == 1) {
        header_len = (size_t)file[8] | (size_t)file[9] << 8;
        start = 10;
    } else if ((file[6] == 2 || file[6] == 3) && len >= 12) {
        header_len = (size_t)file[8] | (size_t)file[9] << 8 | (size_t)file[10] << 16 |
                     (size_t)file[11] << 24;
        start = 12;
    } else {
        FAIL(".npy version %u.%u is not supported", file[6], file[7]);
    }
    if (header_len > len - start || header_len > 65536)
        FAIL(".npy header of %zu bytes does not fit the file", header_len);
    char header[65537];
    memcpy(header, file + start, header_len);
    header[header_len] = '\0';
    const char *descr = value_of(header, "'descr'");
    if (!descr || (*descr != '\'' && *descr != '"'))
        FAIL(".npy header has no descr");
    size_t n = strcspn(descr + 1, "'\"");
    if (n == 0 || n >= sizeof out->descr)
        FAIL(".npy descr is not a simple dtype");
    memcpy(out->descr, descr + 1, n);
    out->descr[n] = '\0';
    const char *fortran = value_of(header, "'fortran_order'");
    if (!fortran || strncmp(fortran, "False", 5) != 0)
        FAIL(".npy data is not in C order (fortran_order must be False)");
    const char *shape = value_of(header, "'shape'");
    if (!shape || *shape != '(')
        FAIL(".npy header has no shape");
    uint64_t elements = 1;
    for (shape++;;) {
        while (*shape == ' ' || *shape == ',')
            shape++;
        if (*shape == ')')
            break;
        char *end;
        unsigned long long d = strtoull(shape, &end, 10);
        if (end == shape || out->rank == 8)
            FAIL(".npy shape is malformed");
        out->shape[out->rank++] = d;
        elements = d && elements > UINT64_MAX / d ? UINT64_MAX : elements * d;
        shape = end;
    }
    size_t item = (size_t)strtoul(out->descr + 2, NULL, 10);
    if (strlen(out->descr) < 3 || !item)
        FAIL(".npy descr '%s' is not a numeric dtype", out->descr);
    size_t data_len = len - start - header_len;
    if (elements == UINT64_MAX || elements * item != data_len)
        FAIL(".npy data holds %zu bytes, its header says %llu elements of %zu bytes", data_len,
             (unsigned long long)elements, item);
    out->size = data_len;
    out->data = malloc(data_len ? data_len : 1);
    if (!out->data)
        FAIL("out of memory");
    memcpy(out->data, file + start + header_len, data_len);
    return 0;
}

int npy_write(const char *path, const char *descr, int rank, const uint32_t *shape,
              const void *data, size_t size)
{
    char dict[256];
    int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
                     descr);
    for (int k = 0; k < rank; k++)
        n += snprintf(dict + n, sizeof dict - (size_t)n, "%u%s", (unsigned)shape[k],
                      rank == 1 ? "," : k + 1 < rank ? ", " : "");
    n += snprintf(dict + n, sizeof dict - (size_t)n, "), }");
    size_t total = 10 + (size_t)n + 1;
    size_t pad = (64 - total % 64) % 64;
    size_t header_len = (size_t)n + pad + 1;
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                  (unsigned char)(header_len & 0xFF),
                                  (unsigned char)(header_len >> 8)};
    int ok = fwrite(preamble, 1, 10, f) == 10 && fwrite(dict, 1, (size_t)n, f) == (size_t)n;
    for (size_t i = 0; ok && i < pad; i++)
        ok = fputc(' ', f) != EOF;
    ok = ok && fputc('\n', f) != EOF && fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok ? 0 : -1;
}
