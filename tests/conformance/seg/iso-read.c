/* SPDX-License-Identifier: MIT */
/*
 * seg-iso-read (strict): ring 1 cannot read the monitor hole.  Paging would
 * let it (ring 1 is a supervisor level, SDM Vol. 3A 5.6); the segment
 * limits stop it: every read at or past RV_HOLE_START through DS, ES, FS,
 * GS (flat ring-1 or ring-3 data, or a flat segment of our own) raises
 * #GP(0), and through SS #SS(0) (SDM Vol. 3A 5.3).  A read that starts
 * below the hole and ends in it faults too.  Skips where the CPU does not
 * check limits (QEMU TCG), before touching the hole.
 */
#include "segutil.h"

#define OUR_FLAT 70

struct access {
    uint32_t addr;
    unsigned sel;
};

static void read_ds(void *p)
{
    (void)*(volatile uint32_t *)(uintptr_t)((struct access *)p)->addr;
}

static void read_es(void *p)
{
    const struct access *a = p;
    uint32_t v;
    __asm__ volatile("movw %w1, %%es\n\tmovl %%es:(%2), %0" : "=&r"(v) : "r"(a->sel), "r"(a->addr) : "memory");
    (void)v;
}

static void read_fs(void *p)
{
    const struct access *a = p;
    uint32_t v;
    __asm__ volatile("movw %w1, %%fs\n\tmovl %%fs:(%2), %0" : "=&r"(v) : "r"(a->sel), "r"(a->addr) : "memory");
    (void)v;
}

static void read_gs(void *p)
{
    const struct access *a = p;
    uint32_t v;
    __asm__ volatile("movw %w1, %%gs\n\tmovl %%gs:(%2), %0" : "=&r"(v) : "r"(a->sel), "r"(a->addr) : "memory");
    (void)v;
}

static void read_ss(void *p)
{
    const struct access *a = p;
    uint32_t v;
    __asm__ volatile("movl %%ss:(%1), %0" : "=&r"(v) : "r"(a->addr) : "memory");
    (void)v;
}

/* Through EBP: the stack segment by default. */
static void read_ebp(void *p)
{
    const struct access *a = p;
    uint32_t v;
    __asm__ volatile("pushl %%ebp\n\t"
                     "movl %1, %%ebp\n\t"
                     "movl (%%ebp), %0\n\t"
                     "popl %%ebp"
                     : "=&r"(v) : "r"(a->addr) : "memory");
    (void)v;
}

static void expect(void (*fn)(void *), struct access a, int vector, const char *how)
{
    struct rv_trap_frame f;
    int v = seg_catch(fn, &a, &f);

    if (v != vector)
        rvt_failure("read of 0x%x %s (selector 0x%x): vector %d, expected %d", a.addr, how, a.sel, v, vector);
    if (f.error_code != 0)
        rvt_failure("read of 0x%x %s: error code 0x%x, expected 0", a.addr, how, f.error_code);
    RVT_EXPECT_EQ(f.cs, RV_FLAT_RING1_CS, "the fault came from our ring-1 code");
}

void test_main(void)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr;
    seg_require_limits();

    __asm__ volatile("sgdt %0" : "=m"(gdtr));
    SEG_RC(seg_update(OUR_FLAT, seg_desc(0, RV_GUEST_VA_LIMIT, T_DATA_RW, 1)), 0, "our flat data");
    const uint32_t addrs[] = {
        RV_HOLE_START, 0xfc100000u, 0xfc100000u + 0x1000, gdtr.base, 0xff000000u,
        0xfffff000u, 0xfffffffcu, RV_HOLE_START - 2, RV_HOLE_START - 1,
    };
    const unsigned data_sels[] = { RV_FLAT_RING1_DS, RV_FLAT_RING3_DS, rv_selector(OUR_FLAT, 1) };

    RVT_EXPECT_TRUE(gdtr.base >= RV_HOLE_START, "SGDT shows the GDT in the hole");
    for (unsigned i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        expect(read_ds, (struct access){ addrs[i], RV_FLAT_RING1_DS }, 13, "through DS");
        for (unsigned s = 0; s < sizeof data_sels / sizeof data_sels[0]; s++) {
            struct access a = { addrs[i], data_sels[s] };
            expect(read_es, a, 13, "through ES");
            expect(read_fs, a, 13, "through FS");
            expect(read_gs, a, 13, "through GS");
        }
        expect(read_ss, (struct access){ addrs[i], RV_FLAT_RING1_DS }, 12, "through SS");
        expect(read_ebp, (struct access){ addrs[i], RV_FLAT_RING1_DS }, 12, "through EBP (SS)");
    }
    seg_set_fs(0);
    seg_set_gs(0);
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
