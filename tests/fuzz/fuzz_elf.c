/*
 * tests/fuzz/fuzz_elf.c: monitor/elf.c on any bytes, as a module image.
 * A refusal must name its reason; an acceptance must keep every promise
 * the domain builder relies on (elf_image_sane, tests/unit/elf_sane.h):
 * segments inside the file and the guest range, no overlap, a known ABI.
 */
#include <string.h>
#include "fuzz.h"
#include "elf.h"
#include "elf_sane.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image out;
    const char *why = NULL;
    if (size > 1u << 24)
        return 0;
    /* A private copy of exactly size bytes: ASan sees any read past the end. */
    uint8_t *img = malloc(size ? size : 1);
    memcpy(img, data, size);
    if (elf_parse(img, (uint32_t)size, &out, &why) == 0) {
        const char *broken = elf_image_sane(&out, (uint32_t)size);
        FUZZ_ASSERT(!broken, "accepted an image whose %s", broken);
    } else {
        FUZZ_ASSERT(why != NULL, "refused without a reason");
    }
    free(img);
    return 0;
}
