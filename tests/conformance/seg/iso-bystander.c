/* SPDX-License-Identifier: MIT */
/*
 * seg-iso-bystander (strict, and passes on any CPU): shares a boot with
 * the isolation tests.  It fills memory with a pattern and installs a GDT
 * entry, yields while the others poke at the hole, and then finds its
 * memory, its GDT entry, the flat selectors and the monitor as they were.
 */
#include "segutil.h"

#define IDX 90
#define YIELDS 300

static uint32_t pattern[16384];

void test_main(void)
{
    uint32_t limit;

    for (unsigned i = 0; i < 16384; i++)
        pattern[i] = i * 2654435761u;
    SEG_RC(seg_update(IDX, seg_desc((uint32_t)(uintptr_t)pattern, 0x4321, T_DATA_RW, 1)), 0, "our entry");
    seg_set_fs(rv_selector(IDX, 1));
    for (unsigned n = 0; n < YIELDS; n++)
        SEG_RC(rv_hc_sched_op(RV_SCHED_YIELD, 0, 0), 0, "yield %u", n);
    for (unsigned i = 0; i < 16384; i++)
        if (pattern[i] != i * 2654435761u)
            rvt_failure("word %u of our memory changed to 0x%x", i, pattern[i]);
    RVT_EXPECT_EQ(seg_get_fs(), rv_selector(IDX, 1), "FS kept our selector");
    if (!seg_lsl(rv_selector(IDX, 1), &limit) || limit != 0x4321)
        rvt_failure("our GDT entry changed");
    uint32_t v;
    __asm__ volatile("movl %%fs:8, %0" : "=r"(v));
    RVT_EXPECT_EQ(v, pattern[2], "a read through FS");
    if (!seg_lsl(RV_FLAT_RING1_DS, &limit) || limit != RV_GUEST_VA_LIMIT)
        rvt_failure("the flat ring-1 data selector changed");
    seg_set_fs(0);
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "version");
    rvt_success();
}
