/* SPDX-License-Identifier: MIT */
/*
 * pvguest/desc.h: building segment descriptors for update_descriptor and
 * set_gdt (format: SDM Vol. 3A 3.4.5).
 */
#ifndef PVGUEST_DESC_H
#define PVGUEST_DESC_H

#include <stdint.h>
#include <ringvisor.h>

/* Type nibbles of code and data segments (S = 1), accessed bit set. */
#define RV_SEG_DATA_RW 0x3 /* read/write data, accessed */
#define RV_SEG_DATA_RO 0x1 /* read-only data, accessed */
#define RV_SEG_CODE_RX 0xb /* execute/read code, accessed */

/*
 * A present, 32-bit (D/B = 1), code or data (S = 1) descriptor covering
 * [base, base + last]: byte granular when last < 1 MiB, else 4 KiB
 * granular, and then it covers whole pages (pass last = size - 1 with
 * size a multiple of 4 KiB).
 */
struct rv_descriptor rv_desc_segment(uint32_t base, uint32_t last, unsigned type, unsigned dpl);

/* The selector of guest GDT entry index with requested privilege rpl. */
static inline unsigned rv_selector(unsigned index, unsigned rpl)
{
    return (index << 3) | (rpl & 3);
}

#endif
