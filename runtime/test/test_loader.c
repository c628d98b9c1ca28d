/*
 * test_loader.c - the loader gives the verdict, rule and byte offset of the corpus manifest for
 * every malformed file, accepts every valid one, and survives every prefix and every single-byte
 * change of a valid file.
 */
#include <stdlib.h>
#include <string.h>

#include "rcb/rcb.h"
#include "test.h"

/* Every line of manifest.txt: "file rule offset  # comment". */
static void manifest(void)
{
    size_t len;
    char *text = (char *)corpus_file("manifest.txt", &len);
    text = realloc(text, len + 1);
    text[len] = '\0';
    int files = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char name[256], rule[64];
        unsigned offset;
        if (line[0] == '#' || sscanf(line, "%255s %63s %x", name, rule, &offset) != 3)
            continue;
        size_t size;
        uint8_t *file = corpus_file(name, &size);
        rcb_program prog;
        rcb_diag diag;
        rcb_status st = rcb_load(&prog, file, size, &diag);
        CHECK_EQ(st, RCB_ERR_INVALID);
        if (strcmp(rcb_rule_name(diag.rule), rule) != 0 || diag.offset != offset) {
            char message[512];
            rcb_format_diag(&diag, message, sizeof message);
            fprintf(stderr, "%s: want %s at 0x%x, got %s at 0x%x: %s\n", name, rule, offset,
                    rcb_rule_name(diag.rule), (unsigned)diag.offset, message);
            test_failures++;
        }
        test_checks++;
        free(file);
        files++;
    }
    CHECK(files >= 70); /* one per rule of section 6, and a few more */
    free(text);
}

static void valid_files(void)
{
    static const char *const FILES[] = {"valid/minimal.rcb", "valid/all-records.rcb",
                                        "valid/aie-binary-locks.rcb"};
    for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
        size_t size;
        uint8_t *file = corpus_file(FILES[i], &size);
        rcb_program prog;
        rcb_diag diag;
        CHECK_EQ(rcb_load(&prog, file, size, &diag), RCB_OK);
        CHECK_EQ(diag.rule, RCB_RULE_NONE);
        free(file);
    }
    size_t size;
    uint8_t *file = corpus_file("valid/all-records.rcb", &size);
    rcb_program prog;
    rcb_diag diag;
    CHECK_EQ(rcb_load(&prog, file, size, &diag), RCB_OK);
    CHECK(strcmp(prog.target->name, "aie-ml") == 0);
    CHECK_EQ(prog.records, 14);
    CHECK_EQ(prog.ddr_size, 0x10000);
    CHECK_EQ(prog.pattern_count, 3);
    rcb_tensor t;
    CHECK_EQ(rcb_binding(&prog, 0, &t), RCB_OK);
    CHECK(strcmp(t.name, "x") == 0 && t.direction == 0 && t.dtype == RCB_F32 && t.rank == 4);
    CHECK(t.shape[0] == 1 && t.shape[1] == 4 && t.shape[3] == 4 && t.size == 256);
    CHECK_EQ(rcb_binding(&prog, 1, &t), RCB_OK);
    CHECK(strcmp(t.name, "y") == 0 && t.direction == 1 && t.offset == 0x200);
    CHECK_EQ(rcb_binding(&prog, 2, &t), RCB_ERR_ARGUMENT);
    CHECK_EQ(rcb_entry(&prog, 1, &t), RCB_OK);
    CHECK(strcmp(t.name, "pool.params") == 0 && t.size == 24 && t.data == prog.image + 128);
    rcb_pattern p;
    CHECK_EQ(rcb_pattern_at(&prog, 1, &p), RCB_OK);
    CHECK(p.dims == 2 && p.sizes[0] == 4 && p.sizes[1] == 64 && p.strides[0] == 64);
    free(file);
}

/* Every prefix of a valid file is truncated; no prefix or byte change crashes the loader. */
static void prefixes_and_changes(void)
{
    size_t size;
    uint8_t *file = corpus_file("valid/all-records.rcb", &size);
    rcb_program prog;
    rcb_diag diag;
    for (size_t n = 0; n < size; n++) {
        uint8_t *prefix = malloc(n ? n : 1);
        memcpy(prefix, file, n);
        CHECK_EQ(rcb_load(&prog, prefix, n, &diag), RCB_ERR_INVALID);
        CHECK_EQ(diag.rule, RCB_RULE_TRUNCATED);
        CHECK_EQ(diag.offset, n);
        free(prefix);
    }
    int accepted = 0;
    for (size_t i = 0; i < size; i++)
        for (int bit = 0; bit < 8; bit++) {
            file[i] ^= (uint8_t)(1u << bit);
            uint8_t saved[4];
            memcpy(saved, file + 8, 4);
            fix_crc(file, size);
            rcb_status st = rcb_load(&prog, file, size, &diag);
            accepted += st == RCB_OK;
            CHECK(st == RCB_OK || (st == RCB_ERR_INVALID && diag.rule != RCB_RULE_NONE &&
                                   diag.offset <= size && diag.what));
            memcpy(file + 8, saved, 4);
            file[i] ^= (uint8_t)(1u << bit);
        }
    CHECK(accepted > 0); /* some fields (offsets, data bytes) take many values */
    free(file);
}

static void arguments_and_messages(void)
{
    rcb_program prog;
    rcb_diag diag;
    CHECK_EQ(rcb_load(NULL, "", 0, &diag), RCB_ERR_ARGUMENT);
    CHECK_EQ(rcb_load(&prog, NULL, 10, &diag), RCB_ERR_ARGUMENT);
    CHECK_EQ(rcb_load(&prog, "", 0, NULL), RCB_ERR_ARGUMENT);
    CHECK_EQ(rcb_load(&prog, "RCB", 3, &diag), RCB_ERR_INVALID);
    char text[128];
    size_t need = rcb_format_diag(&diag, text, sizeof text);
    CHECK(contains(text, "header: the file has 3 bytes; the header alone is 64"));
    CHECK_EQ(need, strlen(text));
    char small[8];
    CHECK_EQ(rcb_format_diag(&diag, small, sizeof small), need);
    CHECK_EQ(strlen(small), 7);
    CHECK(strcmp(rcb_rule_name(RCB_RULE_MISSING_END), "missing-end") == 0);
    CHECK(strcmp(rcb_rule_name(RCB_RULE_COUNT), "") == 0);
    CHECK(strcmp(rcb_opcode_name(0x10), "dma_start") == 0);
    CHECK_EQ(rcb_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
    CHECK_EQ(rcb_kernel_block_size(1), 120);
    CHECK_EQ(rcb_kernel_block_size(7), 140);
    CHECK_EQ(rcb_kernel_block_size(13), 0);
    CHECK(rcb_target_by_id(5) == NULL && rcb_target_by_id(2)->columns == 50);
}

void test_loader(void)
{
    manifest();
    valid_files();
    prefixes_and_changes();
    arguments_and_messages();
}
