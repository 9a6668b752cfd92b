/* SPDX-License-Identifier: MIT */
/*
 * monitor/desc.c: which segment descriptors a guest may put in the GDT.
 *
 * Ring compression hangs on segmentation: paging lets ring 1 touch
 * supervisor pages, so only segment limits keep a guest out of the monitor
 * hole at RV_HOLE_START.  Every descriptor a guest writes passes through
 * desc_check.  It admits plain code and data segments of DPL 1-3 that end
 * below the hole (expand-down data too, when every offset it allows lands
 * below the hole), and nothing a CPU could use to reach ring 0: no DPL 0
 * segment, no conforming code (it runs at the caller's CPL, SDM Vol. 3A
 * 5.8.1.2), no gate, TSS or LDT (system descriptors, SDM Vol. 3A 3.5).
 *
 * Descriptor layout (SDM Vol. 3A 3.4.5, Figure 3-8):
 *   low  bits 0-15 limit 15:0, bits 16-31 base 15:0
 *   high bits 0-7 base 23:16, 8-11 type, 12 S, 13-14 DPL, 15 P,
 *        16-19 limit 19:16, 20 AVL, 21 L, 22 D/B, 23 G, 24-31 base 31:24
 */
#include <stddef.h>
#include <stdint.h>
#include "abi.h"
#include "desc.h"

#define D_TYPE_SHIFT 8
#define D_S (1u << 12)          /* 1 = code or data, 0 = system */
#define D_DPL_SHIFT 13
#define D_P (1u << 15)
#define D_L (1u << 21)          /* 64-bit code; reserved outside IA-32e mode */
#define D_DB (1u << 22)         /* 32-bit default operand size */
#define D_G (1u << 23)          /* limit counts 4 KiB units */

/* Type bits of a code/data descriptor (SDM Vol. 3A 3.4.5.1, Table 3-1). */
#define T_CODE 0x8              /* set: code; clear: data */
#define T_CONFORMING 0x4        /* code: conforming */
#define T_EXPAND_DOWN 0x4       /* data: expand-down */

uint32_t desc_base(uint32_t low, uint32_t high)
{
    return (low >> 16) | ((high & 0xff) << 16) | (high & 0xff000000u);
}

uint32_t desc_limit_bytes(uint32_t low, uint32_t high)
{
    uint32_t limit = (low & 0xffff) | (high & 0x000f0000u);
    /* With G set the CPU scales the limit by 4 KiB and fills the low 12 bits with ones. */
    return (high & D_G) ? (limit << 12) | 0xfff : limit;
}

unsigned desc_dpl(uint32_t high)
{
    return (high >> D_DPL_SHIFT) & 3;
}

static unsigned desc_type(uint32_t high)
{
    return (high >> D_TYPE_SHIFT) & 0xf;
}

int desc_is_code(uint32_t high)
{
    return (high & D_S) && (desc_type(high) & T_CODE);
}

int desc_is_present(uint32_t high)
{
    return (high & D_P) != 0;
}

int desc_is_expand_down(uint32_t high)
{
    return !desc_is_code(high) && (desc_type(high) & T_EXPAND_DOWN);
}

/*
 * Where an expand-down data segment reaches, or NULL if nowhere in the
 * hole (SDM Vol. 3A 3.4.5.1, 5.3).  Its valid offsets are limit+1 ..
 * upper, where upper is 0xFFFFFFFF with B = 1 and 0xFFFF with B = 0, and
 * the limit is the scaled one (G = 1: limit * 4 KiB + 0xFFF).  Offsets
 * reach base + offset modulo 4 GiB: the range [base + limit + 1, base +
 * upper] (at most 2^33 - 2 in 64 bits) is safe if it lies wholly in one
 * lap of the 4 GiB circle and ends below the hole there.  A range that
 * starts before 4 GiB and ends after it has gone through the hole.  The
 * usual shape: base B, B = 1, limit+1 >= 4 GiB - B, so every offset wraps
 * and the segment covers linear [B + limit + 1 - 4 GiB, B - 1].  The base
 * itself must lie below the hole too, like every other segment's.
 */
static const char *expand_down_problem(uint32_t low, uint32_t high)
{
    uint32_t base = desc_base(low, high);
    uint64_t first = (uint64_t)desc_limit_bytes(low, high) + 1;
    uint64_t upper = (high & D_DB) ? 0xffffffffu : 0xffffu;

    if (base >= RV_HOLE_START)
        return "segment reaches the monitor hole";
    if (first > upper)
        return NULL;                    /* no valid offset at all: every access faults */
    uint64_t start = base + first, end = base + upper;
    if ((start >> 32) != (end >> 32) || (uint32_t)end >= RV_HOLE_START)
        return "segment reaches the monitor hole";
    return NULL;
}

/* Why a present code/data descriptor may not be installed, or NULL. */
static const char *segment_problem(uint32_t low, uint32_t high)
{
    uint64_t last = (uint64_t)desc_base(low, high) + desc_limit_bytes(low, high);

    if (desc_dpl(high) == 0)
        return "DPL 0";
    if (desc_is_code(high) && (desc_type(high) & T_CONFORMING))
        return "conforming code segment";
    if (high & D_L)
        return "L bit set";
    if (desc_is_expand_down(high))
        return expand_down_problem(low, high);
    if (last > 0xffffffffu)
        return "segment wraps around 4 GiB";
    if (last >= RV_HOLE_START)
        return "segment reaches the monitor hole";
    return NULL;
}

int desc_check(uint32_t low, uint32_t high, const char **why)
{
    const char *problem = NULL;

    if (low == 0 && high == 0)
        return 0;                       /* the null descriptor: loading it is harmless */
    if (!(high & D_S))
        problem = "system descriptor (gate, TSS or LDT)";
    else if (!desc_is_present(high))
        return 0;                       /* any use raises #NP (SDM Vol. 3A 3.4.5) */
    else
        problem = segment_problem(low, high);
    if (!problem)
        return 0;
    if (why)
        *why = problem;
    return -RV_EINVAL;
}

/* ---- 4 GiB data segments cut at the hole (monitor/segfix.c) ---------------- */

static void set_limit20(uint32_t *low, uint32_t *high, uint32_t limit20)
{
    *low = (*low & 0xffff0000u) | (limit20 & 0xffff);
    *high = (*high & ~0x000f0000u) | (limit20 & 0x000f0000u);
}

int desc_is_cut_4g(uint32_t low, uint32_t high)
{
    const uint32_t want = D_S | D_P | D_DB | D_G;
    uint64_t last = (uint64_t)desc_base(low, high) + desc_limit_bytes(low, high);

    if ((high & want) != want || desc_is_code(high) || desc_is_expand_down(high))
        return 0;
    return last >= RV_HOLE_START - RV_PAGE_SIZE && last < RV_HOLE_START;
}

/*
 * Expand-down with B = 1 and G = 1, valid offsets (limit+1) * 4 KiB ..
 * 0xFFFFFFFF: the smallest limit whose first offset is at least 4 GiB -
 * base, so that base + offset wraps to linear [base % 4 KiB, base - 1].
 * With base < 4 KiB that range is empty: nothing to flip to.
 */
int desc_cut_4g_down(uint32_t *low, uint32_t *high)
{
    uint32_t base_page = desc_base(*low, *high) >> RV_PAGE_SHIFT;

    if (base_page == 0)
        return 0;
    set_limit20(low, high, 0x100000u - base_page - 1);
    *high |= T_EXPAND_DOWN << D_TYPE_SHIFT;
    return 1;
}

/* Back to expand-up, G = 1: the one limit whose last byte is in the last page below the hole. */
void desc_cut_4g_up(uint32_t *low, uint32_t *high)
{
    uint32_t base = desc_base(*low, *high);

    set_limit20(low, high, (RV_HOLE_START - RV_PAGE_SIZE - base) >> RV_PAGE_SHIFT);
    *high &= ~(T_EXPAND_DOWN << D_TYPE_SHIFT);
}

void desc_make(uint32_t base, uint32_t last, unsigned type, unsigned dpl, int system,
               uint32_t *low, uint32_t *high)
{
    uint32_t limit = last, flags = system ? 0 : D_S | D_DB;

    if (last > 0xfffff) {
        /*
         * A 20-bit limit in 4 KiB units.  Round down, so the segment never
         * reaches past last: the CPU appends 0xfff to the scaled limit.
         */
        limit = (uint32_t)((((uint64_t)last + 1) >> 12) - 1);
        flags |= D_G;
    }
    *low = (limit & 0xffff) | (base << 16);
    *high = ((base >> 16) & 0xff) | (base & 0xff000000u) | (limit & 0x000f0000u) |
            ((type & 0xf) << D_TYPE_SHIFT) | ((dpl & 3) << D_DPL_SHIFT) | D_P | flags;
}
