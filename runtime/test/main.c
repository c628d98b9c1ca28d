/*
 * main.c - runs one suite of the C unit tests: rcb-unit-tests SUITE CORPUS_DIR
 * (suites: loader, engine, host, kernels). Prints "N passed, M failed".
 */
#include <stdlib.h>
#include <string.h>

#include "rcb/rcb.h"
#include "test.h"

int test_checks, test_failures;
const char *corpus_dir = ".";

int contains(const char *haystack, const char *needle)
{
    if (strstr(haystack, needle))
        return 1;
    fprintf(stderr, "  expected to find: %s\n  in: %s\n", needle, haystack);
    return 0;
}

uint8_t *corpus_file(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", corpus_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(size > 0 ? (size_t)size : 1u);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)size;
    return buf;
}

void fix_crc(uint8_t *file, size_t len)
{
    memset(file + 8, 0, 4);
    uint32_t crc = rcb_crc32(0, file, len);
    for (int i = 0; i < 4; i++)
        file[8 + i] = (uint8_t)(crc >> (8 * i));
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } SUITES[] = {{"loader", test_loader},
                  {"engine", test_engine},
                  {"host", test_host},
                  {"kernels", test_kernels}};
    if (argc > 2)
        corpus_dir = argv[2];
    int ran = 0;
    for (size_t i = 0; i < sizeof SUITES / sizeof SUITES[0]; i++)
        if (argc < 2 || !strcmp(argv[1], SUITES[i].name)) {
            SUITES[i].run();
            ran++;
        }
    if (!ran) {
        fprintf(stderr, "usage: rcb-unit-tests [loader|engine|host|kernels] [CORPUS_DIR]\n");
        return 2;
    }
    printf("%d passed, %d failed\n", test_checks - test_failures, test_failures);
    return test_failures ? 1 : 0;
}
