/* SPDX-License-Identifier: MIT */
/*
 * mm-exhaust: a guest that spends all its memory on page tables and
 * references and then keeps asking.  Every free frame becomes a pinned L1
 * whose 512 entries all map one "victim" frame read-only (hundreds of
 * thousands of references to one frame), set up in single batches of
 * mmu_update and mmuext_op; 512 of them then go into an L2 that maps a
 * whole GiB.  With its allocator dry the guest asks for the frames just
 * past its own and for more pins: errors, never a monitor panic.  Then it
 * undoes everything and memory_op must show the start-of-day counts.
 */
#include "mmtest.h"

#define MAX_TABLES 4096

static uint32_t tables[MAX_TABLES];
static struct rv_mmu_update reqs[MAX_TABLES];
static struct rv_mmuext_op ops[MAX_TABLES];

/* Maps every table read-only (or writable) at its own VA in one mmu_update batch. */
static void remap_all(unsigned n, uint64_t flags, long expect, const char *what)
{
    uint32_t done = 0;
    for (unsigned i = 0; i < n; i++)
        reqs[i] = (struct rv_mmu_update){ mt_l1e(tables[i]), mt_pte(mt_mfn_of(tables[i]), flags) };
    RVT_EXPECT_RC(mt_mmu(reqs, n, &done), expect, what);
    RVT_EXPECT_EQ(done, n, "done after the remap batch");
    mt_flush();
}

static void ext_all(unsigned n, uint32_t cmd, long expect, uint32_t expect_done, const char *what)
{
    uint32_t done = 0xdeadbeef;
    for (unsigned i = 0; i < n; i++)
        ops[i] = (struct rv_mmuext_op){ cmd, mt_mfn_of(tables[i]) };
    RVT_EXPECT_RC(mt_ext(ops, n, &done), expect, what);
    RVT_EXPECT_EQ(done, expect_done, "done after the mmuext batch");
}

void test_main(void)
{
    mt_init();
    struct rv_mem_stats st0 = mt_stats();
    uint32_t victim = mt_alloc(), vm = mt_mfn_of(victim);
    uint32_t l2 = mt_alloc(), l2m = mt_mfn_of(l2);
    unsigned n = 0;

    mt_poke(victim, 0x71c71a00);
    while (mt_frames_left() && n < MAX_TABLES) {
        uint32_t t = mt_alloc();
        for (unsigned e = 0; e < 512; e++)
            ((mt_pte_t *)t)[e] = mt_pte(vm, MT_RO);
        tables[n++] = t;
    }
    if (n < 512)
        rvt_error("only %u free frames; the test wants at least 512 (mem=)", n);
    rvt_log("%u frames become L1 tables, %u read-only references to mfn 0x%x", n, n * 512, vm);

    remap_all(n, MT_RO, 0, "make every table frame read-only, one batch");
    ext_all(n, RV_MMUEXT_PIN_L1_TABLE, 0, n, "pin every table, one batch");
    struct rv_mem_stats st = mt_stats();
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames + n, "pt_frames with every frame a table");
    RVT_EXPECT_EQ(st.pinned, st0.pinned + n, "pinned with every frame pinned");
    RVT_EXPECT_EQ(st.writable, st0.writable - n, "writable with every table read-only");

    /* A GiB of mappings of the victim: L2 with 512 of the tables, in L3 slot 1. */
    for (unsigned i = 0; i < 512; i++)
        ((mt_pte_t *)l2)[i] = mt_pte(mt_mfn_of(tables[i]), MT_L2E);
    mt_make_ro(l2);
    RVT_EXPECT_RC(mt_mmu1(mt_slot(mt_base_mfn(), 1), mt_pte(l2m, MT_L3E)), 0, "L3 slot 1 -> 512 full L1s");
    mt_flush();
    RVT_EXPECT_EQ(mt_peek(MT_NO_L2_VA), 0x71c71a00, "the victim at 1 GiB");
    RVT_EXPECT_EQ(mt_peek(MT_NO_L2_VA + 0x3ffff000u), 0x71c71a00, "the victim at 2 GiB - 4 KiB");
    RVT_EXPECT_EQ(mt_peek(MT_NO_L2_VA + 0x1234000u), 0x71c71a00, "the victim in between");

    /* The allocator is dry: nothing more to get, in any way. */
    RVT_EXPECT_EQ(mt_frames_left(), 0, "allocator dry");
    uint32_t end = mt_first_mfn() + mt_nr_pages(), s = mt_scratch(0);
    for (uint32_t mfn = end; mfn < end + 64; mfn++) {
        RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mfn), -RV_EPERM, "pin a frame past our own");
        RVT_EXPECT_RC(mt_uvm(s, mt_pte(mfn, MT_RW), RV_UVMF_INVLPG), -RV_EPERM, "map a frame past our own");
        RVT_EXPECT_RC(mt_mmu1(mt_slot(l2m, 0), mt_pte(mfn, MT_L2E)), -RV_EPERM, "an L1 past our own");
    }
    for (uint32_t mfn = mt_first_mfn() - 64; mfn < mt_first_mfn(); mfn++)
        RVT_EXPECT_RC(mt_uvm(s, mt_pte(mfn, MT_RO), RV_UVMF_INVLPG), -RV_EPERM, "map a frame before our own");
    ext_all(n, RV_MMUEXT_PIN_L1_TABLE, -RV_EEXIST, 0, "pin every table again");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, vm), -RV_EBUSY, "the victim, mapped writable, as a table");
    RVT_EXPECT_EQ(mt_stats().pinned, st0.pinned + n, "no pin more or less");

    /* Undo everything. */
    RVT_EXPECT_RC(mt_mmu1(mt_slot(mt_base_mfn(), 1), 0), 0, "clear L3 slot 1");
    RVT_EXPECT_TRUE(!mt_readable(MT_NO_L2_VA), "1 GiB unmapped");
    ext_all(n, RV_MMUEXT_UNPIN_TABLE, 0, n, "unpin every table, one batch");
    st = mt_stats();
    RVT_EXPECT_EQ(st.pt_frames, st0.pt_frames, "pt_frames back");
    RVT_EXPECT_EQ(st.pinned, st0.pinned, "pinned back");
    remap_all(n, MT_RW, 0, "every frame writable again, one batch");
    mt_make_rw(l2);
    st = mt_stats();
    RVT_EXPECT_EQ(st.writable, st0.writable, "writable back");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L1_TABLE, mt_mfn_of(tables[0])), -RV_EBUSY,
                  "a frame writable again cannot be pinned");
    rvt_success();
}
