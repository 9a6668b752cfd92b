/* tests/unit/elf_sane.c: see elf_sane.h. */
#include "elf_sane.h"
#include "abi.h"

static const char *seg_sane(const struct elf_image *out, uint32_t i, uint32_t len)
{
    const struct elf_seg *s = &out->seg[i];
    if (s->filesz > s->memsz || s->memsz == 0)
        return "segment sizes are wrong";
    if ((uint64_t)s->offset + s->filesz > len)
        return "segment lies outside the file";
    if (s->va < out->va_lo || (uint64_t)s->va + s->memsz > out->va_hi)
        return "segment lies outside [va_lo, va_hi)";
    for (uint32_t j = 0; j < i; j++)
        if (s->va < (uint64_t)out->seg[j].va + out->seg[j].memsz &&
            out->seg[j].va < (uint64_t)s->va + s->memsz)
            return "segments overlap";
    return 0;
}

const char *elf_image_sane(const struct elf_image *out, uint32_t len)
{
    if (out->nsegs == 0 || out->nsegs > ELF_MAX_SEGS)
        return "segment count is out of range";
    if (out->va_lo % RV_PAGE_SIZE || out->va_hi % RV_PAGE_SIZE || out->va_lo < RV_PAGE_SIZE ||
        out->va_hi > RV_HOLE_START || out->va_lo >= out->va_hi)
        return "range [va_lo, va_hi) is not page-aligned inside the guest range";
    for (uint32_t i = 0; i < out->nsegs; i++) {
        const char *why = seg_sane(out, i, len);
        if (why)
            return why;
    }
    if (RV_ABI_VERSION_MAJOR(out->note.abi_version) != RV_ABI_MAJOR ||
        (out->note.features & ~RV_FEATURES_SUPPORTED))
        return "ABI version or features are unknown";
    if (out->note.hypercall_page % RV_PAGE_SIZE)
        return "hypercall page is not page-aligned";
    return 0;
}
