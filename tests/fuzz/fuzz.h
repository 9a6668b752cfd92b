/*
 * tests/fuzz/fuzz.h: what the libFuzzer targets share.  Each target feeds
 * guest-supplied bytes to one parser of the monitor, built exactly as the
 * monitor builds it (host_names.h renames rvlib's string functions), under
 * ASan and UBSan, and checks what the parser promises its callers on top
 * of "no crash": a broken promise is a monitor bug, reported like a crash.
 */
#ifndef FUZZ_H
#define FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise: one line naming it, then abort() so libFuzzer saves the input. */
#define FUZZ_ASSERT(cond, ...)                                             \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fprintf(stderr, "\n");                                         \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* Little-endian reads from the input, zero past its end. */
static inline uint32_t fuzz_u32(const uint8_t *d, size_t n, size_t at)
{
    uint32_t v = 0;
    for (size_t i = 0; i < 4; i++)
        v |= (uint32_t)(at + i < n ? d[at + i] : 0) << (8 * i);
    return v;
}

static inline uint64_t fuzz_u64(const uint8_t *d, size_t n, size_t at)
{
    return fuzz_u32(d, n, at) | (uint64_t)fuzz_u32(d, n, at + 4) << 32;
}
#endif
