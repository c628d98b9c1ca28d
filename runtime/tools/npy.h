/*
 * npy.h - reading and writing NumPy .npy files (format versions 1.0 to 3.0, C order), for the
 * host tools.
 */
#ifndef RCB_NPY_H
#define RCB_NPY_H

#include <stddef.h>
#include <stdint.h>

/* An array read from a .npy file: `data` is malloc'd, `descr` like "<f4". */
typedef struct npy_array {
    char descr[16];
    int rank;
    uint64_t shape[8];
    uint8_t *data;
    size_t size; /* bytes of data */
} npy_array;

/* Parse the .npy bytes `file` of `len` bytes into `out`; on failure returns -1 with a message
 * in `err`. */
int npy_parse(const uint8_t *file, size_t len, npy_array *out, char *err, size_t cap);

/* Write `size` bytes of C-order data of `descr` and `shape` as a .npy (version 1.0) to `path`;
 * returns 0, or -1 with errno set. */
int npy_write(const char *path, const char *descr, int rank, const uint32_t *shape,
              const void *data, size_t size);

/* The .npy descr of an RCB dtype code ("<f4"), or NULL for one .npy cannot name (bf16). */
const char *npy_descr(uint8_t dtype);

#endif /* RCB_NPY_H */
