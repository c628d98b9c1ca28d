/*
 * test.h - a minimal unit-test harness for the C engine: CHECK macros that count failures,
 * and helpers to read files of the RCB corpus (test/Bytecode/corpus).
 */
#ifndef RCB_TEST_H
#define RCB_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

extern int test_checks, test_failures;
extern const char *corpus_dir;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        test_checks++;                                                                  \
        if (!(cond)) {                                                                  \
            test_failures++;                                                            \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                               \
    } while (0)

#define CHECK_EQ(a, b)                                                                  \
    do {                                                                                \
        long long a_ = (long long)(a), b_ = (long long)(b);                             \
        test_checks++;                                                                  \
        if (a_ != b_) {                                                                 \
            test_failures++;                                                            \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld != %lld)\n",       \
                    __FILE__, __LINE__, #a, #b, a_, b_);                                \
        }                                                                               \
    } while (0)

/* Whether `haystack` contains `needle`; prints both when it does not. */
int contains(const char *haystack, const char *needle);

/* A file of the corpus (relative path), malloc'd; aborts the test run if it cannot be read. */
uint8_t *corpus_file(const char *name, size_t *len);

/* Recompute the CRC field of an RCB file after a test patched it. */
void fix_crc(uint8_t *file, size_t len);

void test_loader(void);
void test_engine(void);
void test_host(void);
void test_kernels(void);

#endif /* RCB_TEST_H */
