/*
 * tests/fuzz/fuzz_desc.c: monitor/desc.c on any 8-byte descriptor a guest
 * hands update_descriptor or set_gdt.  Whatever desc_check accepts must,
 * by this file's own reading of SDM Vol. 3A 3.4.5 and 5.3, be a code or
 * data segment (or nothing) with DPL 1..3, not conforming, whose every
 * valid offset lands below the monitor's hole; a 4 GiB segment's flip
 * (desc_cut_4g_down/up, segfix.c) must stay inside the rules and come back.
 */
#include "fuzz.h"
#include "abi.h"
#include "desc.h"

/* The highest linear address the segment reaches, as 64 bits (>= 2^32: it wraps). */
static uint64_t reach(uint32_t low, uint32_t high, uint64_t *lowest)
{
    uint64_t base = (low >> 16) | ((high & 0xff) << 16) | (high & 0xff000000u);
    uint64_t limit = (low & 0xffff) | (high & 0xf0000);
    if (high & (1u << 23))
        limit = (limit << 12) | 0xfff;
    int down = (high & (1u << 12)) && !(high & (1u << 11)) && (high & (1u << 10));
    if (!down) {
        *lowest = base;
        return base + limit;
    }
    uint64_t top = (high & (1u << 22)) ? 0xffffffffu : 0xffff;
    *lowest = base + limit + 1;
    return base + top; /* empty (lowest > last) when limit >= top */
}

static void check_accepted(uint32_t low, uint32_t high)
{
    if (!low && !high)
        return;
    FUZZ_ASSERT(high & (1u << 12), "a system descriptor %08x:%08x", high, low);
    if (!(high & (1u << 15)))
        return; /* not present: loading it faults (#NP), it reaches nothing */
    unsigned dpl = (high >> 13) & 3;
    FUZZ_ASSERT(dpl >= 1, "DPL 0 in %08x:%08x", high, low);
    FUZZ_ASSERT(!((high & (1u << 11)) && (high & (1u << 10))), "conforming code %08x:%08x", high, low);
    uint64_t lowest, last = reach(low, high, &lowest);
    if (lowest > last)
        return; /* expand-down with limit >= its upper bound: no valid offset */
    /* Every reachable address, modulo 4 GiB, must be below the hole. */
    FUZZ_ASSERT(last - lowest < (1ull << 32), "range wider than 4 GiB");
    int wraps = (last >> 32) != (lowest >> 32);
    FUZZ_ASSERT(!wraps && (last & 0xffffffffu) < RV_HOLE_START && (lowest & 0xffffffffu) < RV_HOLE_START,
                "%08x:%08x reaches [%#llx, %#llx], the hole starts at %#x", high, low,
                (unsigned long long)lowest, (unsigned long long)last, RV_HOLE_START);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t low = fuzz_u32(data, size, 0), high = fuzz_u32(data, size, 4);
    const char *why = NULL;
    if (desc_check(low, high, &why) == 0)
        check_accepted(low, high);
    else
        FUZZ_ASSERT(why != NULL, "refused without a reason");
    if (desc_is_cut_4g(low, high) && desc_check(low, high, &why) == 0) {
        uint32_t l = low, h = high;
        if (desc_cut_4g_down(&l, &h)) {
            FUZZ_ASSERT(desc_check(l, h, &why) == 0, "the flipped %08x:%08x is refused: %s", h, l, why);
            check_accepted(l, h);
            desc_cut_4g_up(&l, &h);
            FUZZ_ASSERT(l == low && h == high, "flip and back: %08x:%08x became %08x:%08x", high, low, h, l);
        }
    }
    return 0;
}
