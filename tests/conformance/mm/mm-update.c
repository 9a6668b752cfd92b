/* SPDX-License-Identifier: MIT */
/*
 * mm-update: hypercall 11, mmu_update(requests, count, done).
 *
 * Good updates at every level (an L1 entry of a live table, read back
 * through the new mapping; an L2 entry that makes a frame an L1; an L3
 * slot that makes a frame an L2), partial success (the error of the first
 * bad request, done = how many ran, those before it took effect, those
 * after did not), and every error ABI.md lists: E2BIG, EFAULT (requests
 * and done), ENOSYS (command bits), EINVAL (alignment, above 4 GiB, not a
 * page table, L3 slot 4+, clearing L3 slot 3, refused bits at each level),
 * EPERM (frames not owned, the hole slots of the top L2), EBUSY (type
 * conflicts).
 */
#include "mmtest.h"

static struct rv_mmu_update big[RV_MMU_UPDATE_MAX + 1];

/* Requests that do nothing harmful when the call is (wrongly) run: each
 * maps frame `mfn` read-only at va. */
static struct rv_mmu_update map_req(uint32_t va, uint32_t mfn, uint64_t flags)
{
    struct rv_mmu_update u = { .ptr = mt_l1e(va), .val = mt_pte(mfn, flags) };
    return u;
}

static void good_l1_updates(void)
{
    uint32_t f = mt_alloc(), s = mt_scratch(0);
    uint32_t mfn = mt_mfn_of(f);
    uint64_t ptr = mt_l1e(s);

    mt_poke(f, 0x600dcafe);
    RVT_EXPECT_TRUE(!mt_readable(s), "scratch VA unmapped before the test");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RO)), 0, "mmu_update: map a frame read-only");
    mt_invlpg(s);
    MT_EXPECT_EQ64(mt_get_pte(s), mt_pte(mfn, MT_RO), "the L1 entry holds the value written");
    RVT_EXPECT_EQ(mt_peek(s), 0x600dcafe, "read through the new mapping");
    RVT_EXPECT_TRUE(!mt_writable(s), "a read-only mapping is not writable");

    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RW)), 0, "mmu_update: the same frame writable");
    mt_invlpg(s);
    mt_poke(s, 0x12345678);
    RVT_EXPECT_EQ(mt_peek(f), 0x12345678, "write through the new mapping seen at the old one");

    /* Allowed bits: the available bits and the cache bits. */
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RO | RV_PTE_AVAIL | RV_PTE_PWT | RV_PTE_PCD)), 0,
                  "L1 entry with AVAIL, PWT, PCD");
    /* A not-present entry may hold anything. */
    RVT_EXPECT_RC(mt_mmu1(ptr, 0xfff0000000000ffeull), 0, "not-present L1 entry with other bits");
    MT_EXPECT_EQ64(mt_get_pte(s), 0xfff0000000000ffeull, "not-present entry stored as written");
    RVT_EXPECT_RC(mt_mmu1(ptr, 0), 0, "mmu_update: clear the entry");
    mt_invlpg(s);
    RVT_EXPECT_TRUE(!mt_readable(s), "cleared mapping faults");

    /* The shared_info frame may be mapped too (ABI "Direct paging"). */
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mt_shared_mfn(), MT_RO)), 0, "map the shared_info frame");
    mt_invlpg(s);
    RVT_EXPECT_EQ(mt_peek(s + 8), rv_shared_info->vcpu_info[0].arch.cr2, "shared_info seen twice");
    RVT_EXPECT_RC(mt_mmu1(ptr, 0), 0, "unmap it");

    /* A page table may be mapped read-only (but see writable_tables). */
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mt_l3_mfn(), MT_RO)), 0, "map the L3 read-only again");
    mt_invlpg(s);
    MT_EXPECT_EQ64(*(volatile uint64_t *)(s + 24), mt_read_slot(mt_l3_mfn(), 3), "L3 slot 3 seen twice");
    RVT_EXPECT_RC(mt_mmu1(ptr, 0), 0, "unmap it");
    mt_invlpg(s);
}

static void partial_success(void)
{
    uint32_t a = mt_alloc(), c = mt_alloc();
    uint32_t s1 = mt_scratch(1), s2 = mt_scratch(2), s3 = mt_scratch(3);
    struct rv_mmu_update r[3] = {
        map_req(s1, mt_mfn_of(a), MT_RO),
        map_req(s2, MT_MONITOR_MFN, MT_RO), /* not ours: EPERM */
        map_req(s3, mt_mfn_of(c), MT_RO),
    };
    uint32_t done = 0xdeadbeef;

    mt_poke(a, 0xaaaa0001);
    RVT_EXPECT_RC(mt_mmu(r, 3, &done), -RV_EPERM, "3 requests, the 2nd maps a monitor frame");
    RVT_EXPECT_EQ(done, 1, "done after a failure at the 2nd request");
    mt_flush();
    RVT_EXPECT_EQ(mt_peek(s1), 0xaaaa0001, "the 1st request took effect");
    MT_EXPECT_EQ64(mt_get_pte(s2), 0, "the 2nd request did not");
    MT_EXPECT_EQ64(mt_get_pte(s3), 0, "the 3rd request did not run");

    /* count 0 and done 0 (not written) */
    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_mmu(r, 0, &done), 0, "count 0");
    RVT_EXPECT_EQ(done, 0, "done after count 0");
    RVT_EXPECT_RC(mt_mmu(&r[2], 1, 0), 0, "done = 0: not written");
    mt_invlpg(s3);
    RVT_EXPECT_TRUE(mt_readable(s3), "request with done = 0 took effect");
    done = 0;
    RVT_EXPECT_RC(mt_mmu(&r[2], 1, &done), 0, "the same update again");
    RVT_EXPECT_EQ(done, 1, "done after one good request");
    mt_unmap(s1);
    mt_unmap(s3);
}

static void counts(void)
{
    uint32_t a = mt_alloc(), b = mt_alloc(), s = mt_scratch(4);
    uint32_t done = 0xdeadbeef;

    struct rv_mmu_update ra = map_req(s, mt_mfn_of(a), MT_RO), rb = map_req(s, mt_mfn_of(b), MT_RO);
    for (uint32_t i = 0; i <= RV_MMU_UPDATE_MAX; i++)
        big[i] = i & 1 ? rb : ra;
    mt_poke(a, 0xa);
    mt_poke(b, 0xb);

    RVT_EXPECT_RC(mt_mmu(big, RV_MMU_UPDATE_MAX + 1, &done), -RV_E2BIG, "count 4097");
    RVT_EXPECT_RC(mt_mmu(big, 0xffffffffu, &done), -RV_E2BIG, "count 0xffffffff");
    RVT_EXPECT_RC(mt_mmu(big, 0x80000000u, &done), -RV_E2BIG, "count 0x80000000");
    MT_EXPECT_EQ64(mt_get_pte(s), 0, "no request of a refused count ran");

    RVT_EXPECT_RC(mt_mmu(big, RV_MMU_UPDATE_MAX, &done), 0, "count 4096");
    RVT_EXPECT_EQ(done, RV_MMU_UPDATE_MAX, "done after 4096 requests");
    mt_invlpg(s);
    RVT_EXPECT_EQ(mt_peek(s), 0xb, "the last of 4096 requests is the one that stays");
    mt_unmap(s);
}

static void bad_pointers(void)
{
    uint32_t p = mt_alloc(), q = mt_alloc(), s = mt_scratch(5), d = mt_alloc();
    uint32_t done;
    struct rv_mmu_update one = map_req(s, mt_mfn_of(d), MT_RO);

    /* q becomes a hole in our own layout: p's end is the end of mapped memory. */
    if (q != p + RV_PAGE_SIZE)
        rvt_error("mt_alloc frames not contiguous");
    mt_unmap(q);

    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_mmu(0, 1, &done), -RV_EFAULT, "requests = NULL");
    RVT_EXPECT_EQ(done, 0, "done after a bad first request");
    RVT_EXPECT_RC(mt_mmu((void *)RV_HOLE_START, 1, &done), -RV_EFAULT, "requests in the hole");
    RVT_EXPECT_RC(mt_mmu((void *)(RV_HOLE_START - 8), 1, &done), -RV_EFAULT, "request crossing into the hole");
    RVT_EXPECT_RC(mt_mmu((void *)0xfffffff0u, 1, &done), -RV_EFAULT, "requests at the top of the hole");
    RVT_EXPECT_RC(mt_mmu((void *)q, 1, &done), -RV_EFAULT, "requests in an unmapped page");
    RVT_EXPECT_RC(mt_mmu((void *)(q - 8), 1, &done), -RV_EFAULT, "request straddling into an unmapped page");
    MT_EXPECT_EQ64(mt_get_pte(s), 0, "no bad request ran");

    /* The 1st request readable, the 2nd not: the 1st runs, done = 1. */
    struct rv_mmu_update *r = (void *)(q - sizeof(one));
    *r = one;
    done = 0xdeadbeef;
    RVT_EXPECT_RC(mt_mmu(r, 2, &done), -RV_EFAULT, "2nd request in an unmapped page");
    RVT_EXPECT_EQ(done, 1, "done when the 2nd request cannot be read");
    mt_invlpg(s);
    RVT_EXPECT_TRUE(mt_readable(s), "the 1st request took effect");
    mt_unmap(s);

    /* Bad done pointers (count 0: only done is written). */
    const volatile uint32_t *l3 = (const volatile uint32_t *)rv_start_info->pt_base;
    uint32_t l3w = l3[0];
    RVT_EXPECT_RC(mt_mmu(&one, 0, (uint32_t *)RV_HOLE_START), -RV_EFAULT, "done in the hole");
    RVT_EXPECT_RC(mt_mmu(&one, 0, (uint32_t *)(RV_HOLE_START - 2)), -RV_EFAULT, "done crossing into the hole");
    RVT_EXPECT_RC(mt_mmu(&one, 0, (uint32_t *)q), -RV_EFAULT, "done unmapped");
    RVT_EXPECT_RC(mt_mmu(&one, 0, (uint32_t *)rv_start_info->pt_base), -RV_EFAULT, "done read-only (the L3)");
    RVT_EXPECT_EQ(l3[0], l3w, "the read-only L3 was not written");
    RVT_EXPECT_RC(mt_mmu(&one, 1, (uint32_t *)q), -RV_EFAULT, "good request, done unmapped");
    mt_make_rw(q);
}

static void bad_ptr(void)
{
    uint32_t s = mt_scratch(6), f = mt_alloc();
    uint64_t ptr = mt_l1e(s);
    uint64_t val = mt_pte(mt_mfn_of(f), MT_RO);

    RVT_EXPECT_RC(mt_mmu1(ptr | 1, val), -RV_ENOSYS, "ptr command 1");
    RVT_EXPECT_RC(mt_mmu1(ptr | 2, val), -RV_ENOSYS, "ptr command 2");
    RVT_EXPECT_RC(mt_mmu1(ptr | 3, val), -RV_ENOSYS, "ptr command 3");
    RVT_EXPECT_RC(mt_mmu1(ptr + 4, val), -RV_EINVAL, "ptr not 8-byte aligned");
    RVT_EXPECT_RC(mt_mmu1(ptr | (1ull << 32), val), -RV_EINVAL, "ptr at 4 GiB + a table entry");
    RVT_EXPECT_RC(mt_mmu1(ptr | (1ull << 35), val), -RV_EINVAL, "ptr at 32 GiB + a table entry");
    RVT_EXPECT_RC(mt_mmu1(0xfffffffffffff000ull, val), -RV_EINVAL, "ptr near 2^64");
    MT_EXPECT_EQ64(mt_get_pte(s), 0, "no refused request took effect");

    /* Frames that are not page tables in use. */
    uint32_t plain = mt_alloc();
    RVT_EXPECT_RC(mt_mmu1(mt_slot(mt_mfn_of(plain), 0), val), -RV_EINVAL, "ptr in a writable data frame");
    RVT_EXPECT_EQ(mt_peek(plain), 0, "the data frame was not written");
    uint32_t si_mfn = mt_mfn_of((uint32_t)rv_start_info);
    RVT_EXPECT_RC(mt_mmu1(mt_slot(si_mfn, 100), val), -RV_EINVAL, "ptr in the start_info frame");
    uint32_t ro = mt_alloc_ro();
    RVT_EXPECT_RC(mt_mmu1(mt_slot(mt_mfn_of(ro), 0), val), -RV_EINVAL, "ptr in a read-only frame that is no table");
    mt_make_rw(ro);

    /* Frames not owned: EPERM. */
    RVT_EXPECT_RC(mt_mmu1(mt_slot(MT_MONITOR_MFN, 0), val), -RV_EPERM, "ptr in the monitor's image");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(0, 0), val), -RV_EPERM, "ptr in mfn 0");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(mt_first_mfn() - 1, 0), val), -RV_EPERM, "ptr in first_mfn - 1");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(mt_first_mfn() + mt_nr_pages(), 0), val), -RV_EPERM,
                  "ptr in first_mfn + nr_pages");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(0xfffff, 0), val), -RV_EPERM, "ptr in the last frame below 4 GiB");
}

static void bad_l1_values(void)
{
    uint32_t s = mt_scratch(7), f = mt_alloc();
    uint64_t ptr = mt_l1e(s);
    uint32_t mfn = mt_mfn_of(f);
    static const uint32_t foreign_fixed[] = { MT_MONITOR_MFN, 0x1ff, 0, 1, 0xfffff, 0xffffff };
    uint32_t foreign[8];
    unsigned n = 0;

    for (unsigned i = 0; i < sizeof(foreign_fixed) / sizeof(foreign_fixed[0]); i++)
        foreign[n++] = foreign_fixed[i];
    foreign[n++] = mt_first_mfn() - 1;
    foreign[n++] = mt_first_mfn() + mt_nr_pages();
    for (unsigned i = 0; i < n; i++) {
        if (foreign[i] == mt_shared_mfn())
            continue;
        RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(foreign[i], MT_RO)), -RV_EPERM, "map a frame not owned, read-only");
        RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(foreign[i], MT_RW)), -RV_EPERM, "map a frame not owned, writable");
    }

    /* Writable mappings of page tables: EBUSY. */
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mt_l3_mfn(), MT_RW)), -RV_EBUSY, "map the L3 writable");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mt_l2_mfn(3), MT_RW)), -RV_EBUSY, "map the top L2 writable");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mt_l2_mfn(0), MT_RW)), -RV_EBUSY, "map an L2 writable");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte((uint32_t)(ptr >> 12), MT_RW)), -RV_EBUSY,
                  "map the L1 being written, writable");

    /* Refused bits (RV_L1_ALLOWED). */
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RO | MT_PTE_G)), -RV_EINVAL, "L1 entry with G");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RO | MT_PTE_PAT)), -RV_EINVAL, "L1 entry with PAT");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RO | MT_PTE_NX)), -RV_EINVAL, "L1 entry with NX (bit 63)");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RO | (1ull << 52))), -RV_EINVAL, "L1 entry with bit 52");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RO | (1ull << 62))), -RV_EINVAL, "L1 entry with bit 62");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RO | (0x7ffull << 52))), -RV_EINVAL, "L1 entry with bits 52-62");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RO | (1ull << 36))), -RV_EINVAL, "L1 entry with address bit 36");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mfn, MT_RO | (1ull << 51))), -RV_EINVAL, "L1 entry with address bit 51");
    MT_EXPECT_EQ64(mt_get_pte(s), 0, "no refused value was written");
}

/* L2 entries, in the GiB-0 L2 (a free slot) and in the top L2. */
static void l2_entries(void)
{
    uint32_t l2 = mt_l2_mfn(MT_FREE_L2_VA >> 30), slot = (MT_FREE_L2_VA >> 21) & 511;
    uint32_t top = mt_l2_mfn(3);
    uint64_t ptr = mt_slot(l2, slot);
    uint32_t w = mt_alloc(), t = mt_alloc_ro();
    uint32_t tm = mt_mfn_of(t);

    if (!l2 || mt_read_slot(l2, slot))
        rvt_error("L2 slot for 0x%x is not free", MT_FREE_L2_VA);

    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(MT_MONITOR_MFN, MT_L2E)), -RV_EPERM, "L2 entry -> the monitor's frame");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mt_first_mfn() + mt_nr_pages(), MT_L2E)), -RV_EPERM,
                  "L2 entry -> first_mfn + nr_pages");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mt_mfn_of(w), MT_L2E)), -RV_EBUSY, "L2 entry -> a writable frame");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(l2, MT_L2E)), -RV_EBUSY, "L2 entry -> this L2 (own level)");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(top, MT_L2E)), -RV_EBUSY, "L2 entry -> the top L2");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(mt_l3_mfn(), MT_L2E)), -RV_EBUSY, "L2 entry -> the L3");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(tm, MT_L2E | MT_PTE_PAT)), -RV_EINVAL, "L2 entry with PS (2 MiB page)");
    /* D (bit 6) is ignored by the MMU in an entry that points at a table: allowed. */
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(tm, MT_L2E | RV_PTE_D)), 0, "L2 entry with bit 6 (D)");
    RVT_EXPECT_RC(mt_mmu1(ptr, 0), 0, "and cleared again");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(tm, MT_L2E | MT_PTE_G)), -RV_EINVAL, "L2 entry with bit 8");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(tm, MT_L2E | MT_PTE_NX)), -RV_EINVAL, "L2 entry with NX");
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(tm, MT_L2E | (1ull << 40))), -RV_EINVAL, "L2 entry with bit 40");
    MT_EXPECT_EQ64(mt_read_slot(l2, slot), 0, "no refused L2 entry was written");

    /* Good: a read-only zeroed frame becomes an L1. */
    struct rv_mem_stats st0 = mt_stats();
    RVT_EXPECT_RC(mt_mmu1(ptr, mt_pte(tm, MT_L2E)), 0, "L2 entry -> a fresh read-only frame");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames + 1, "the frame became a page table");
    RVT_EXPECT_RC(mt_uvm(t, mt_pte(tm, MT_RW), RV_UVMF_INVLPG), -RV_EBUSY, "the new L1 cannot be made writable");
    /* Map through it: the L1 is live for MT_FREE_L2_VA. */
    uint32_t data = mt_alloc();
    mt_poke(data, 0x1234abcd);
    RVT_EXPECT_RC(mt_mmu1(mt_slot(tm, 5), mt_pte(mt_mfn_of(data), MT_RO)), 0, "entry in the new L1");
    mt_flush();
    RVT_EXPECT_EQ(mt_peek(MT_FREE_L2_VA + 5 * RV_PAGE_SIZE), 0x1234abcd, "read through the new L1");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(tm, 5), 0), 0, "clear it");
    RVT_EXPECT_RC(mt_mmu1(ptr, 0), 0, "clear the L2 entry");
    mt_flush();
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "the L1 stopped being a page table");
    RVT_EXPECT_TRUE(!mt_readable(MT_FREE_L2_VA), "the VA range is gone");
    RVT_EXPECT_RC(mt_uvm(t, mt_pte(tm, MT_RW), RV_UVMF_INVLPG), 0, "the old L1 can be made writable again");

    /* The top L2: slots 480-511 belong to the monitor (EPERM, whatever the value). */
    uint32_t l1 = mt_alloc_ro();
    static const unsigned hole_slots[] = { RV_L2_HOLE_FIRST, 481, 500, 504, 511 };
    for (unsigned i = 0; i < sizeof(hole_slots) / sizeof(hole_slots[0]); i++) {
        mt_pte_t before = mt_read_slot(top, hole_slots[i]);
        RVT_EXPECT_RC(mt_mmu1(mt_slot(top, hole_slots[i]), 0), -RV_EPERM, "clearing a hole slot of the top L2");
        RVT_EXPECT_RC(mt_mmu1(mt_slot(top, hole_slots[i]), mt_pte(mt_mfn_of(l1), MT_L2E)), -RV_EPERM,
                      "pointing a hole slot of the top L2 at an own L1");
        MT_EXPECT_EQ64(mt_read_slot(top, hole_slots[i]), before, "the hole slot is unchanged");
    }
    /* Slot 479 (0xFBE00000) is the guest's. */
    if (mt_read_slot(top, 479))
        rvt_error("top L2 slot 479 is in use; the test needs it free");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(top, 479), mt_pte(mt_mfn_of(l1), MT_L2E)), 0, "top L2 slot 479");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(top, 479), 0), 0, "clear top L2 slot 479");
    mt_flush();
}

static void l3_entries(void)
{
    uint32_t l3 = mt_l3_mfn();
    uint32_t g = mt_alloc_ro();
    uint32_t gm = mt_mfn_of(g);
    mt_pte_t slot3 = mt_read_slot(l3, 3);

    if (mt_read_slot(l3, 1) & RV_PTE_P)
        rvt_error("L3 slot 1 is in use; the test needs it free");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 3), 0), -RV_EINVAL, "clearing L3 slot 3");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 3), slot3 & ~RV_PTE_P), -RV_EINVAL, "L3 slot 3 not present");
    MT_EXPECT_EQ64(mt_read_slot(l3, 3), slot3, "L3 slot 3 unchanged");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 4), mt_pte(gm, MT_L3E)), -RV_EINVAL, "L3 slot 4");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 4), 0), -RV_EINVAL, "L3 slot 4, cleared");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 511), 0), -RV_EINVAL, "L3 slot 511");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 3), mt_pte(mt_l2_mfn(0), MT_L3E)), -RV_EBUSY,
                  "L3 slot 3 -> a (non-top) L2");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 1), mt_pte(mt_l2_mfn(3), MT_L3E)), -RV_EBUSY, "L3 slot 1 -> the top L2");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 1), mt_pte(l3, MT_L3E)), -RV_EBUSY, "L3 slot 1 -> the L3 itself");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 1), mt_pte(MT_MONITOR_MFN, MT_L3E)), -RV_EPERM, "L3 slot 1 -> monitor");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 1), mt_pte(gm, MT_L3E | RV_PTE_RW)), -RV_EINVAL, "L3 entry with R/W");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 1), mt_pte(gm, MT_L3E | RV_PTE_US)), -RV_EINVAL, "L3 entry with U/S");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 1), mt_pte(gm, MT_L3E | MT_PTE_NX)), -RV_EINVAL, "L3 entry with NX");
    MT_EXPECT_EQ64(mt_read_slot(l3, 1), 0, "L3 slot 1 still empty");

    /* Good: a fresh frame becomes the L2 of GiB 1; the PDPTEs are reloaded.
     * Bit 5 (A), which hardware reserves in an L3 entry, is cleared (ABI.md). */
    struct rv_mem_stats st0 = mt_stats();
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 1), mt_pte(gm, MT_L3E | RV_PTE_PWT | RV_PTE_A)), 0, "L3 slot 1 -> a fresh frame");
    MT_EXPECT_EQ64(mt_read_slot(l3, 1) & RV_PTE_A, 0, "bit 5 of the L3 entry cleared");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames + 1, "it became a page table");
    uint32_t l1 = mt_alloc_ro(), data = mt_alloc();
    mt_poke(data, 0x6b1b6b1b);
    RVT_EXPECT_RC(mt_mmu1(mt_slot(gm, 0), mt_pte(mt_mfn_of(l1), MT_L2E)), 0, "GiB-1 L2 slot 0 -> an L1");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(mt_mfn_of(l1), 1), mt_pte(mt_mfn_of(data), MT_RW)), 0, "map data at 1 GiB + 4 KiB");
    mt_flush();
    RVT_EXPECT_EQ(mt_peek(MT_NO_L2_VA + RV_PAGE_SIZE), 0x6b1b6b1b, "read through the new GiB");
    RVT_EXPECT_RC(mt_mmu1(mt_slot(l3, 1), 0), 0, "clear L3 slot 1");
    RVT_EXPECT_EQ(mt_stats().pt_frames, st0.pt_frames, "the L2 and its L1 stopped being tables");
    RVT_EXPECT_TRUE(!mt_readable(MT_NO_L2_VA + RV_PAGE_SIZE), "GiB 1 is gone");
    mt_make_rw(g);
    mt_make_rw(l1);
}

void test_main(void)
{
    mt_init();
    good_l1_updates();
    partial_success();
    counts();
    bad_pointers();
    bad_ptr();
    bad_l1_values();
    l2_entries();
    l3_entries();
    rvt_success();
}
