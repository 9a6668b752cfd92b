/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/ptr.c: every pointer-taking hypercall given the pointers
 * a hostile kernel would try, and multicalls nested, huge and cut short.
 *
 * ABI.md "Calling convention": a pointer must lie wholly below the hole
 * and on pages the guest can reach (writable where the monitor writes),
 * else -EFAULT.  The bad pointers: NULL, the hole's first byte, the last
 * byte of the address space, a range that wraps past 4 GiB, an unmapped
 * page, a read-only page (the guest's own page tables) as an output, the
 * last bytes of a page whose next page is unmapped (unaligned, crossing),
 * and the last bytes below the hole.  The hypercall fuzzer (hcfuzz.c)
 * draws from the same classes at random; this is the fixed list.
 *
 * Also the regression test for the fuzzer's first finding: pinning, as an
 * L3, a frame the guest maps read-only must leave it unchanged when the
 * pin is refused (the monitor used to clear L3 bit 5 first).
 */
#include "../conformance/mm/mmtest.h"

static uint8_t pages[2 * RV_PAGE_SIZE] __attribute__((aligned(RV_PAGE_SIZE)));

struct bad { const char *what; uint32_t p; int out_ok; };

static uint32_t ro;    /* a read-only page: the L3 the guest runs on */
static uint32_t edge;  /* 4 bytes before an unmapped page */

static long hc(unsigned nr, uint32_t a, uint32_t b, uint32_t c)
{
    return rv_hypercall(nr, a, b, c, 0, 0);
}

static void each_pointer(const struct bad *b)
{
    char what[96];
#define T(call, expect, name)                                               \
    do {                                                                    \
        rv_snprintf(what, sizeof what, "%s with %s", name, b->what);        \
        RVT_EXPECT_RC(call, expect, what);                                  \
    } while (0)
    uint32_t p = b->p;
    long efault_out = b->out_ok ? 0 : -RV_EFAULT;
    T(hc(RV_HC_version, RV_VERSION_EXTRA, p, 0), efault_out, "version EXTRA");
    T(hc(RV_HC_vcpu_op, RV_VCPUOP_GET_STATS, p, 0), efault_out, "vcpu_op GET_STATS");
    T(hc(RV_HC_memory_op, RV_MEMOP_STATS, p, 0), efault_out, "memory_op STATS");
    T(hc(RV_HC_event_channel_op, RV_EVTCHNOP_STATUS, p, 0), p == ro ? -RV_EINVAL : -RV_EFAULT,
      "event_channel_op STATUS");
    if (p != ro) {
        T(hc(RV_HC_console_io, RV_CONSOLE_WRITE, 16, p), -RV_EFAULT, "console_io WRITE");
        T(hc(RV_HC_sched_op, RV_SCHED_POLL, p, 0), -RV_EFAULT, "sched_op POLL");
        T(hc(RV_HC_set_trap_table, p, 1, 0), -RV_EFAULT, "set_trap_table");
        T(hc(RV_HC_set_gdt, p, 1, 0), -RV_EFAULT, "set_gdt");
        T(hc(RV_HC_mmu_update, p, 1, 0), -RV_EFAULT, "mmu_update requests");
        T(hc(RV_HC_mmuext_op, p, 1, 0), -RV_EFAULT, "mmuext_op ops");
        T(hc(RV_HC_vcpu_op, RV_VCPUOP_SET_RETURN_WINDOW, p, 0), -RV_EFAULT, "vcpu_op SET_RETURN_WINDOW");
    }
    T(hc(RV_HC_multicall, p, 1, 0), -RV_EFAULT, "multicall");
    struct rv_mmuext_op flush = { RV_MMUEXT_TLB_FLUSH, 0 };
    if (!b->out_ok && p && p != edge) /* NULL: no done; 4 bytes at edge: a u32 fits */
        T(hc(RV_HC_mmuext_op, (uint32_t)&flush, 1, p), -RV_EFAULT, "mmuext_op done");
#undef T
}

static void multicalls(void)
{
    static struct rv_multicall_entry mc[RV_MULTICALL_MAX + 1];
    for (unsigned i = 0; i <= RV_MULTICALL_MAX; i++)
        mc[i] = (struct rv_multicall_entry){ .op = RV_HC_version, .result = 0x55, .args = { RV_VERSION_ABI } };
    RVT_EXPECT_RC(rv_hc_multicall(mc, RV_MULTICALL_MAX), 0, "64 entries");
    for (unsigned i = 0; i < RV_MULTICALL_MAX; i++)
        RVT_EXPECT_EQ(mc[i].result, RV_ABI_VERSION, "each entry's result");
    RVT_EXPECT_EQ(mc[RV_MULTICALL_MAX].result, 0x55, "the 65th entry untouched");
    static const uint32_t huge[] = { RV_MULTICALL_MAX + 1, 0x09249249u, 0x0924924au, 0x80000000u, 0xffffffffu };
    for (unsigned i = 0; i < sizeof huge / sizeof huge[0]; i++)
        RVT_EXPECT_RC(rv_hc_multicall(mc, huge[i]), -RV_E2BIG, "a count past 64 (some wrap count * 28)");
    /* Nested: a multicall entry and an iret entry are -EINVAL, the others run. */
    struct rv_multicall_entry inner[1] = { { .op = RV_HC_sched_op, .args = { RV_SCHED_SHUTDOWN, RV_SHUTDOWN_CRASH, 77 } } };
    struct rv_multicall_entry n[3] = {
        { .op = RV_HC_multicall, .args = { (uint32_t)inner, 1 } },
        { .op = RV_HC_iret },
        { .op = RV_HC_version, .args = { RV_VERSION_ABI } },
    };
    RVT_EXPECT_RC(rv_hc_multicall(n, 3), 0, "nested multicall");
    RVT_EXPECT_RC(n[0].result, -RV_EINVAL, "a multicall entry");
    RVT_EXPECT_RC(n[1].result, -RV_EINVAL, "an iret entry");
    RVT_EXPECT_EQ(n[2].result, RV_ABI_VERSION, "the entry after them");
    /* Cut short: two entries, then the unmapped page. */
    struct rv_multicall_entry *cut = (void *)(edge + 4 - 2 * sizeof(struct rv_multicall_entry) - 8);
    for (int i = 0; i < 2; i++)
        cut[i] = (struct rv_multicall_entry){ .op = RV_HC_version, .result = 0x55, .args = { RV_VERSION_ABI } };
    RVT_EXPECT_RC(rv_hc_multicall(cut, 3), -RV_EFAULT, "an array that runs into an unmapped page");
    RVT_EXPECT_EQ(cut[0].result, RV_ABI_VERSION, "the first entry of a cut array ran");
    RVT_EXPECT_EQ(cut[1].result, RV_ABI_VERSION, "the second entry of a cut array ran");
    rvt_log("multicalls: 64 entries, 5 huge counts, nested, iret, cut short");
}

/* The fuzzer's finding (seed 5): a refused L3 pin wrote a read-only frame. */
static void refused_pin_changes_nothing(void)
{
    uint32_t va = (uint32_t)pages, mfn = mt_mfn_of(va);
    mt_pte_t *t = (mt_pte_t *)va;
    memset(t, 0, RV_PAGE_SIZE);
    t[0] = mt_pte(mt_mfn_of(va), RV_PTE_P) | RV_PTE_A; /* bit 5 set; slot 3 absent: refused */
    RVT_REQUIRE_OK(mt_uvm(va, mt_get_pte(va) & ~RV_PTE_RW, RV_UVMF_INVLPG), "map the frame read-only");
    RVT_EXPECT_RC(mt_ext1(RV_MMUEXT_PIN_L3_TABLE, mfn), -RV_EINVAL, "pin an L3 without slot 3");
    MT_EXPECT_EQ64(t[0], mt_pte(mfn, RV_PTE_P) | RV_PTE_A, "slot 0 of a refused L3 (bit 5 kept)");
    RVT_EXPECT_RC(mt_uvm(va, mt_get_pte(va) | RV_PTE_RW, RV_UVMF_INVLPG), 0, "writable again");
}

void test_main(void)
{
    mt_init();
    ro = rv_start_info->pt_base;
    uint32_t hole_page = (uint32_t)pages + RV_PAGE_SIZE;
    RVT_REQUIRE_OK(mt_uvm(hole_page, 0, RV_UVMF_INVLPG), "unmap the second page");
    edge = hole_page - 4;
    const struct bad bad[] = {
        { "NULL", 0, 0 },
        { "the hole's first byte", RV_HOLE_START, 0 },
        { "the hole's middle", RV_HOLE_START + 0x100000, 0 },
        { "the last byte of 4 GiB", 0xffffffffu, 0 },
        { "a range that wraps past 4 GiB", 0xfffffff8u, 0 },
        { "an unmapped page", 0x40000000u, 0 },
        { "the last bytes below the hole", RV_HOLE_START - 4, 0 },
        { "a read-only page (the L3)", ro, 0 },
        { "4 bytes before an unmapped page", edge, 0 },
        { "an odd address before an unmapped page", edge + 1, 0 },
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        each_pointer(&bad[i]);
    rvt_log("%u bad pointers through every pointer-taking hypercall", (unsigned)(sizeof bad / sizeof bad[0]));
    multicalls();
    refused_pin_changes_nothing();
    rvt_success();
}
