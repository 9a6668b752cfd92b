/* SPDX-License-Identifier: MIT */
/*
 * mm-hostile-topl2: a guest that builds its own top L2 (the L2 of the top
 * GiB, which carries the monitor's hole slots 480-511) and tries to keep
 * entries of its choosing in the hole slots, or to reuse the monitor's.
 *
 *   - A top L2 written by the guest with its own L1 in slot 480 (a would-be
 *     mapping of 0xFC000000): once it is validated (in slot 3 of an L3 the
 *     guest pins, or in slot 3 of the live L3), slots 480-511 hold exactly
 *     the monitor's entries, and the guest's L1 never became a table.
 *   - Swapping slot 3 of the live L3 to that top L2 keeps the guest (and
 *     the monitor) running; swapping back works too.
 *   - Copies of the monitor's hole entries in an ordinary L2 (slots 0-2 of
 *     an L3, or pinned) name the monitor's frames: -RV_EPERM.
 */
#include "mmtest.h"

static uint32_t new_top_l2(uint32_t rogue_l1)
{
    uint32_t cur = mt_l2_mfn(3), t = mt_alloc();
    for (unsigned i = 0; i < RV_L2_HOLE_FIRST; i++)
        ((mt_pte_t *)t)[i] = mt_read_slot(cur, i);
    for (unsigned i = RV_L2_HOLE_FIRST; i < 512; i++)
        ((mt_pte_t *)t)[i] = mt_pte(rogue_l1, MT_L2E);
    mt_make_ro(t);
    return t;
}

static void expect_monitor_slots(uint32_t tm, const char *what)
{
    uint32_t cur = mt_l2_mfn(3);
    for (unsigned i = RV_L2_HOLE_FIRST; i < 512; i++)
        if ((mt_read_slot(tm, i) & ~(RV_PTE_A | RV_PTE_D)) != (mt_read_slot(cur, i) & ~(RV_PTE_A | RV_PTE_D)))
            rvt_failure("%s: slot %u is 0x%llx, the monitor's is 0x%llx", what, i,
                        (unsigned long long)mt_read_slot(tm, i), (unsigned long long)mt_read_slot(cur, i));
}

void test_main(void)
{
    mt_init();
    struct rv_mem_stats st0 = mt_stats();
    uint32_t l3 = mt_base_mfn(), orig_top = mt_l2_mfn(3);
    mt_pte_t orig_slot3 = mt_read_slot(l3, 3);
    uint32_t rogue = mt_alloc_ro(), rm = mt_mfn_of(rogue);
    uint32_t t = new_top_l2(rm), tm = mt_mfn_of(t);

    /* 1. In an L3 the guest pins. */
    uint32_t n = mt_alloc();
    for (unsigned i = 0; i < 3; i++)
        ((mt_pte_t *)n)[i] = mt_read_slot(l3, i) & RV_L3_ALLOWED;
    ((mt_pte_t *)n)[3] = mt_pte(tm, MT_L3E);
    mt_make_ro(n);
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, mt_mfn_of(n)), 0, "pin an L3 with a guest-built top L2");
    expect_monitor_slots(tm, "after the pin");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames + 2, "the L3 and top L2 are tables, the rogue L1 is not");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(tm, 480), mt_pte(rm, MT_L2E)), -RV_EPERM, "rewrite its slot 480");
    mt_unpin(mt_mfn_of(n));
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "unpinned: no tables left");

    /* 2. As slot 3 of the live L3: the monitor's own slots must come with it. */
    mt_make_rw(t);
    for (unsigned i = RV_L2_HOLE_FIRST; i < 512; i++)
        ((mt_pte_t *)t)[i] = mt_pte(rm, MT_L2E);
    mt_make_ro(t);
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 3), mt_pte(tm, MT_L3E)), 0, "live L3 slot 3 -> the guest-built top L2");
    expect_monitor_slots(tm, "live");
    RVT_EXPECT_EQ(mt_l2_mfn(3), tm, "the live top L2 is ours now");
    rv_yield(); /* the monitor and this guest keep working: a switch out and back */
    RVT_EXPECT_EQ(mt_stats().base_mfn, l3, "still on the same base");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 3), orig_slot3 & RV_L3_ALLOWED), 0, "slot 3 back to the original");
    RVT_EXPECT_EQ(mt_l2_mfn(3), orig_top, "the original top L2 again");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "ours is no table now");

    /* 3. Ordinary L2s holding copies of the monitor's hole entries: its L1s
     * (the frame window) are frames not ours, its 2 MiB pages refused bits. */
    uint32_t u = mt_alloc(), um = mt_mfn_of(u);
    unsigned l1s = 0, big = 0;
    for (unsigned i = RV_L2_HOLE_FIRST; i < 512; i++) {
        mt_pte_t e = mt_read_slot(orig_top, i);
        if ((e & RV_PTE_P) && !(e & MT_PTE_PAT)) {
            ((mt_pte_t *)u)[i] = e;
            l1s++;
        }
    }
    mt_make_ro(u);
    if (l1s) {
        RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, um), -RV_EPERM, "pin an L2 holding the monitor's L1s");
        RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 1), mt_pte(um, MT_L3E)), -RV_EPERM,
                      "L3 slot 1 -> an L2 holding the monitor's L1s");
    }
    mt_make_rw(t);
    for (unsigned i = RV_L2_HOLE_FIRST; i < 512; i++) {
        mt_pte_t e = mt_read_slot(orig_top, i);
        ((mt_pte_t *)t)[i] = (e & RV_PTE_P) && (e & MT_PTE_PAT) ? e : 0;
        big += (e & RV_PTE_P) && (e & MT_PTE_PAT);
    }
    mt_make_ro(t);
    if (big) {
        RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L2_TABLE, tm), -RV_EINVAL, "pin an L2 holding the monitor's 2 MiB pages");
        RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 1), mt_pte(tm, MT_L3E)), -RV_EINVAL,
                      "L3 slot 1 -> an L2 holding the monitor's 2 MiB pages");
    }
    rvt_log("monitor hole entries copied: %u L1s (EPERM), %u 2 MiB pages (EINVAL)", l1s, big);
    MT_EXPECT_EQ64(mt_read_slot(l3, 1), 0, "L3 slot 1 stayed empty");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "no tables made");
    mt_make_rw(u);

    mt_make_rw(t);
    mt_make_rw(n);
    mt_make_rw(rogue);
    struct rv_mem_stats st = mt_stats();
    RVT_EXPECT_EQ(st.pinned, st0.pinned, "pins as at the start");
    RVT_EXPECT_EQ(st.writable, st0.writable, "writable frames as at the start");
    rvt_success();
}
