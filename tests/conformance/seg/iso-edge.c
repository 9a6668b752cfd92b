/* SPDX-License-Identifier: MIT */
/*
 * seg-iso-edge (strict): segments of our own that end exactly at the hole.
 * A data segment with base 0xFBFFF000 and byte-granular limit 0xFFF is
 * accepted (limit 0x1000 is not); through it offset 0xFFC is inside the
 * limit (so the unmapped page gives #PF at 0xFBFFFFFC) while offset 0x1000
 * and a 4-byte read at 0xFFE raise #GP(0).  The same for a 4K-granular
 * segment from 0xFB000000, for a code segment (far jump to 0xFFF: #PF,
 * to 0x1000: #GP) and for a DPL-3 segment used in ring 3.
 */
#include "segutil.h"

#define EDGE 80
#define EDGE_G 81
#define EDGE_CODE 82
#define EDGE3 83
#define EDGE_BASE (RV_HOLE_START - RV_PAGE_SIZE)

struct access {
    unsigned sel;
    uint32_t off;
};

static void read_es(void *p)
{
    const struct access *a = p;
    uint32_t v;
    __asm__ volatile("movw %w1, %%es\n\tmovl %%es:(%2), %0" : "=&r"(v) : "r"(a->sel), "r"(a->off) : "memory");
    (void)v;
}

static struct { uint32_t off; uint16_t sel; } __attribute__((packed)) far_ptr;

static void far_jmp(void *p)
{
    const struct access *a = p;
    far_ptr.off = a->off;
    far_ptr.sel = (uint16_t)a->sel;
    __asm__ volatile("ljmp *%0" : : "m"(far_ptr) : "memory");
}

static void expect(void (*fn)(void *), struct access a, int vector, uint32_t cr2, const char *what)
{
    struct rv_trap_frame f;
    int v = seg_catch(fn, &a, &f);

    if (v != vector)
        rvt_failure("%s at offset 0x%x of selector 0x%x: vector %d, expected %d", what, a.off, a.sel, v, vector);
    if (vector == 14 && f.cr2 != cr2)
        rvt_failure("%s at offset 0x%x: #PF at 0x%x, expected 0x%x", what, a.off, f.cr2, cr2);
    if (vector == 13 && f.error_code != 0)
        rvt_failure("%s at offset 0x%x: #GP error 0x%x, expected 0", what, a.off, f.error_code);
}

void r3_read_edge(void);
__asm__(".text\n.globl r3_read_edge\nr3_read_edge:\n\t"
        "movl %es:0x1000, %eax\n\tint $0x80\n1:\tjmp 1b\n");

void test_main(void)
{
    unsigned edge = rv_selector(EDGE, 1), edge_g = rv_selector(EDGE_G, 1);
    unsigned code = rv_selector(EDGE_CODE, 1), edge3 = rv_selector(EDGE3, 3);
    struct rv_trap_frame f;
    uint32_t limit;

    /* Accepted exactly up to the hole; checked before anything can reach it. */
    SEG_RC(seg_update(EDGE, seg_raw(EDGE_BASE, 0x1000, T_DATA_RW, 1, 1, 1, SEG_DB)), -RV_EINVAL,
           "base 0xFBFFF000, limit 0x1000");
    SEG_RC(seg_update(EDGE, seg_raw(EDGE_BASE, 0xfff, T_DATA_RW, 1, 1, 1, SEG_DB)), 0,
           "base 0xFBFFF000, byte-granular limit 0xFFF");
    SEG_RC(seg_update(EDGE_G, seg_raw(0xfb000000u, 0xfff, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G)), 0,
           "base 0xFB000000, 4K-granular limit 0xFFF (16 MiB)");
    SEG_RC(seg_update(EDGE_CODE, seg_raw(EDGE_BASE, 0xfff, T_CODE_RX, 1, 1, 1, SEG_DB)), 0,
           "code at 0xFBFFF000, limit 0xFFF");
    SEG_RC(seg_update(EDGE3, seg_raw(EDGE_BASE, 0xfff, T_DATA_RW, 1, 3, 1, SEG_DB)), 0,
           "DPL-3 data at 0xFBFFF000, limit 0xFFF");
    if (!seg_lsl(edge_g, &limit) || limit != 0xffffff)
        rvt_failure("the 4K-granular edge segment has limit 0x%x, expected 0xFFFFFF", limit);

    seg_require_limits();

    expect(read_es, (struct access){ edge, 0xffc }, 14, 0xfbfffffcu, "read in the limit");
    expect(read_es, (struct access){ edge, 0x1000 }, 13, 0, "read past the limit");
    expect(read_es, (struct access){ edge, 0xffe }, 13, 0, "4-byte read across the limit");
    expect(read_es, (struct access){ edge, 0xfffffffcu }, 13, 0, "read at offset 0xFFFFFFFC");
    expect(read_es, (struct access){ edge_g, 0xfffffc }, 14, 0xfbfffffcu, "read in the 4K-granular limit");
    expect(read_es, (struct access){ edge_g, 0x1000000 }, 13, 0, "read past the 4K-granular limit");
    expect(far_jmp, (struct access){ code, 0xfff }, 14, 0xfbffffffu, "far jump in the limit");
    expect(far_jmp, (struct access){ code, 0x1000 }, 13, 0, "far jump past the limit");

    struct seg_ring3 r = {
        .eip = (uint32_t)(uintptr_t)r3_read_edge, .cs = RV_FLAT_RING3_CS, .esp = SEG_USER_STACK_TOP,
        .ss = RV_FLAT_RING3_DS, .ds = RV_FLAT_RING3_DS, .es = edge3,
    };
    int v = seg_run_ring3(&r, &f);
    if (v != 13 || f.error_code != 0 || f.cs != RV_FLAT_RING3_CS)
        rvt_failure("ring-3 read at offset 0x1000 of the DPL-3 edge segment: vector %d error 0x%x cs 0x%x, "
                    "expected #GP(0) in ring 3", v, f.error_code, f.cs);
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
