/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/desc.c: segment descriptors in the layout of SDM Vol. 3A
 * 3.4.5 (figure 3-8), for update_descriptor and set_gdt.
 */
#include <pvguest.h>

struct rv_descriptor rv_desc_segment(uint32_t base, uint32_t last, unsigned type, unsigned dpl)
{
    struct rv_descriptor d;
    uint32_t limit = last, g = 0;

    if (last >= (1u << 20)) { /* 20-bit limit: count 4 KiB pages instead */
        limit = last >> 12;
        g = 1;
    }
    d.low = (limit & 0xffff) | (base << 16);
    d.high = ((base >> 16) & 0xff) | (type & 0xf) << 8 | 1u << 12 /* S */ |
             (dpl & 3) << 13 | 1u << 15 /* P */ | (limit & 0xf0000) |
             1u << 22 /* D/B */ | g << 23 | (base & 0xff000000);
    return d;
}
