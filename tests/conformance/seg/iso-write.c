/* SPDX-License-Identifier: MIT */
/*
 * seg-iso-write (strict): ring 1 cannot write the monitor hole.  Every
 * write at or past RV_HOLE_START, through DS, ES (flat ring-1, ring-3 or
 * our own flat data) or SS, raises #GP(0) / #SS(0) before memory changes.
 * The writes are read-modify-write with no change (OR 0), or go to the
 * hole's unmapped top, so even a CPU that let them through would not
 * damage the monitor; the test skips first where limits are not checked.
 */
#include "segutil.h"

#define OUR_FLAT 71

struct access {
    uint32_t addr;
    unsigned sel;
};

static void or_ds(void *p)
{
    __asm__ volatile("orl $0, (%0)" : : "r"(((struct access *)p)->addr) : "memory");
}

static void or_es(void *p)
{
    const struct access *a = p;
    __asm__ volatile("movw %w0, %%es\n\torl $0, %%es:(%1)" : : "r"(a->sel), "r"(a->addr) : "memory");
}

static void or_ss(void *p)
{
    __asm__ volatile("orl $0, %%ss:(%0)" : : "r"(((struct access *)p)->addr) : "memory");
}

static void store_ds(void *p)
{
    __asm__ volatile("movl $0x5eb0000, (%0)" : : "r"(((struct access *)p)->addr) : "memory");
}

static void movs_into(void *p)
{
    /* A string store: ES:EDI, one dword. */
    const struct access *a = p;
    uint32_t src = 0, *from = &src, to = a->addr;
    __asm__ volatile("movw %w2, %%es\n\t"
                     "cld\n\t"
                     "movsl"
                     : "+D"(to), "+S"(from) : "r"(a->sel) : "memory");
}

static void expect(void (*fn)(void *), struct access a, int vector, const char *how)
{
    struct rv_trap_frame f;
    int v = seg_catch(fn, &a, &f);

    if (v != vector)
        rvt_failure("write to 0x%x %s (selector 0x%x): vector %d, expected %d", a.addr, how, a.sel, v, vector);
    if (f.error_code != 0)
        rvt_failure("write to 0x%x %s: error code 0x%x, expected 0", a.addr, how, f.error_code);
}

void test_main(void)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr;
    seg_require_limits();

    __asm__ volatile("sgdt %0" : "=m"(gdtr));
    SEG_RC(seg_update(OUR_FLAT, seg_desc(0, RV_GUEST_VA_LIMIT, T_DATA_RW, 1)), 0, "our flat data");
    const uint32_t addrs[] = {
        RV_HOLE_START, 0xfc100000u, gdtr.base, gdtr.base + 259 * 8, RV_HOLE_START - 1,
    };
    const unsigned sels[] = { RV_FLAT_RING1_DS, RV_FLAT_RING3_DS, rv_selector(OUR_FLAT, 1) };

    for (unsigned i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        expect(or_ds, (struct access){ addrs[i], RV_FLAT_RING1_DS }, 13, "through DS");
        for (unsigned s = 0; s < sizeof sels / sizeof sels[0]; s++) {
            expect(or_es, (struct access){ addrs[i], sels[s] }, 13, "through ES");
            expect(movs_into, (struct access){ addrs[i], sels[s] }, 13, "with MOVS");
        }
        expect(or_ss, (struct access){ addrs[i], RV_FLAT_RING1_DS }, 12, "through SS");
    }
    /* Plain stores where nothing is mapped (0xFFC00000 up). */
    expect(store_ds, (struct access){ 0xfffff000u, RV_FLAT_RING1_DS }, 13, "(a plain store)");
    expect(store_ds, (struct access){ 0xffc00000u, RV_FLAT_RING1_DS }, 13, "(a plain store)");
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
