/* SPDX-License-Identifier: MIT */
/*
 * mm-memop: hypercall 14, memory_op(cmd, arg).
 *
 * STATS at the start of day agrees with start_info (frames, page-table
 * frames, one pin, the base, every other mapped frame writable) and
 * follows what the guest does (a frame made read-only, pinned, mapped
 * writable twice); bad arg pointers give EFAULT and write nothing;
 * other commands give ENOSYS.
 */
#include "mmtest.h"

static void start_of_day(void)
{
    const struct rv_start_info *si = rv_start_info;
    struct rv_mem_stats st;

    memset(&st, 0xee, sizeof(st));
    RVT_EXPECT_RC(mt_memop(RV_MEMOP_STATS, &st), 0, "memory_op STATS");
    RVT_EXPECT_EQ(st.nr_pages, si->nr_pages, "nr_pages");
    RVT_EXPECT_EQ(st.pt_frames, si->nr_pt_frames, "pt_frames at the start of day");
    RVT_EXPECT_EQ(st.pinned, 1, "pinned at the start of day (the L3)");
    RVT_EXPECT_EQ(st.base_mfn, si->first_mfn + (si->pt_base - si->virt_base) / RV_PAGE_SIZE,
                  "base_mfn is the frame at pt_base");
    RVT_EXPECT_EQ(st.writable, si->nr_mapped - si->nr_pt_frames,
                  "writable: every mapped frame but the page tables");
    /* Through int $0x82 too: the same answer. */
    struct rv_mem_stats st2;
    RVT_EXPECT_RC(rv_hypercall_int82(RV_HC_memory_op, RV_MEMOP_STATS, (uint32_t)&st2, 0, 0, 0), 0,
                  "memory_op STATS through int $0x82");
    RVT_EXPECT_TRUE(memcmp(&st, &st2, sizeof(st)) == 0, "the same stats twice");
}

static void follows_changes(void)
{
    struct rv_mem_stats st0 = mt_stats(), st;
    uint32_t a = mt_alloc(), am = mt_mfn_of(a), s = mt_scratch(0);

    mt_map(s, am, MT_RW);
    RVT_EXPECT_EQ(mt_stats().writable, st0.writable, "a frame mapped writable twice counts once");
    mt_make_ro(a);
    RVT_EXPECT_EQ(mt_stats().writable, st0.writable, "still writable through the 2nd mapping");
    mt_unmap(s);
    RVT_EXPECT_EQ(mt_stats().writable, st0.writable - 1, "read-only everywhere: not writable");
    mt_pin(RV_MMUEXT_PIN_L1_TABLE, am);
    st = mt_stats();
    RVT_EXPECT_EQ(st.pinned, st0.pinned + 1, "pinned + 1");
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames + 1, "pt_frames + 1");
    RVT_EXPECT_EQ(st.nr_pages, st0.nr_pages, "nr_pages does not change");
    RVT_EXPECT_EQ(st.base_mfn, st0.base_mfn, "base_mfn does not change");
    mt_unpin(am);
    mt_make_rw(a);
    st = mt_stats();
    RVT_EXPECT_EQ(st.pinned, st0.pinned, "pinned back");
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames, "pt_frames back");
    RVT_EXPECT_EQ(st.writable, st0.writable, "writable back");
}

static void errors(void)
{
    uint32_t p = mt_alloc(), q = mt_alloc();
    struct rv_mem_stats st;

    if (q != p + RV_PAGE_SIZE)
        rvt_error("mt_alloc frames not contiguous");
    mt_unmap(q);
    RVT_EXPECT_RC(mt_memop(RV_MEMOP_STATS, 0), -RV_EFAULT, "arg NULL");
    RVT_EXPECT_RC(mt_memop(RV_MEMOP_STATS, (void *)RV_HOLE_START), -RV_EFAULT, "arg in the hole");
    RVT_EXPECT_RC(mt_memop(RV_MEMOP_STATS, (void *)(RV_HOLE_START - 8)), -RV_EFAULT, "arg crossing into the hole");
    RVT_EXPECT_RC(mt_memop(RV_MEMOP_STATS, (void *)q), -RV_EFAULT, "arg unmapped");
    RVT_EXPECT_RC(mt_memop(RV_MEMOP_STATS, (void *)(q - 8)), -RV_EFAULT, "arg crossing into an unmapped page");
    /* A read-only target (the last page-table frame's tail, zero) is not written. */
    uint32_t ro = rv_start_info->pt_base + rv_start_info->nr_pt_frames * RV_PAGE_SIZE - 64;
    uint8_t before[64];
    memcpy(before, (const void *)ro, 64);
    RVT_EXPECT_RC(mt_memop(RV_MEMOP_STATS, (void *)ro), -RV_EFAULT, "arg read-only");
    RVT_EXPECT_TRUE(memcmp(before, (const void *)ro, 64) == 0, "the read-only page was not written");
    mt_make_rw(q);

    memset(&st, 0x5a, sizeof(st));
    RVT_EXPECT_RC(mt_memop(1, &st), -RV_ENOSYS, "cmd 1");
    RVT_EXPECT_RC(mt_memop(0xffffffffu, &st), -RV_ENOSYS, "cmd 0xffffffff");
    RVT_EXPECT_RC(mt_memop(1, 0), -RV_ENOSYS, "cmd 1 with a NULL arg");
    RVT_EXPECT_EQ(st.nr_pages, 0x5a5a5a5a, "an unknown cmd wrote nothing");
}

void test_main(void)
{
    start_of_day();
    mt_init();
    follows_changes();
    errors();
    rvt_success();
}
