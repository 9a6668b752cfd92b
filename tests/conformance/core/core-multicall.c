/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-multicall.c: hypercall 9, multicall.
 *
 * - Entries run in order and each result is written back: version ABI,
 *   an unknown hypercall (-ENOSYS), a console write (count), iret and
 *   multicall (-EINVAL in their result), vcpu_op and version EXTRA into
 *   the same buffer (the later one's bytes win, both ways round).
 * - count 0 returns 0 and runs nothing; 64 entries all run; count 65 (and
 *   0xffffffff) is -E2BIG.
 * - A bad array is -EFAULT: NULL, the hole, straddling the hole, an
 *   unmapped page, an array whose second entry is (wholly or partly) in an
 *   unmapped page (then the first entry has run and has its result), an
 *   array in a read-only page (the monitor cannot write a result).
 */
#include "core.h"

#define SENTINEL 0x5a5a5a5a
#define ENTRY_SIZE sizeof(struct rv_multicall_entry)

static struct rv_multicall_entry calls[RV_MULTICALL_MAX + 1];

static struct rv_multicall_entry entry(uint32_t op, uint32_t a1, uint32_t a2, uint32_t a3)
{
    struct rv_multicall_entry e = { .op = op, .result = SENTINEL, .args = { a1, a2, a3, 0, 0 } };
    return e;
}

static void check_mixed(void)
{
    static const char msg[] = "core-multicall: written by a multicall entry\n";
    static char idbuf[32];

    calls[0] = entry(RV_HC_version, RV_VERSION_ABI, 0, 0);
    calls[1] = entry(1000, 0, 0, 0);
    calls[2] = entry(RV_HC_console_io, RV_CONSOLE_WRITE, sizeof(msg) - 1, (uint32_t)msg);
    calls[3] = entry(RV_HC_iret, 0, 0, 0);
    calls[4] = entry(RV_HC_multicall, (uint32_t)calls, 1, 0);
    calls[5] = entry(RV_HC_version, 0xffffffffu, 0, 0);
    calls[6] = entry(RV_NR_HYPERCALLS, 0, 0, 0);
    calls[7] = entry(RV_HC_version, RV_VERSION_EXTRA, (uint32_t)idbuf, 0);
    CORE_EXPECT(rv_hc_multicall(calls, 8), 0, "multicall of 8 entries");
    RVT_EXPECT_EQ(calls[0].result, RV_ABI_VERSION, "entry 0 (version ABI) result");
    CORE_EXPECT(calls[1].result, -RV_ENOSYS, "entry 1 (hypercall 1000) result");
    RVT_EXPECT_EQ(calls[2].result, sizeof(msg) - 1, "entry 2 (console write) result");
    CORE_EXPECT(calls[3].result, -RV_EINVAL, "entry 3 (iret) result");
    CORE_EXPECT(calls[4].result, -RV_EINVAL, "entry 4 (multicall) result");
    CORE_EXPECT(calls[5].result, -RV_ENOSYS, "entry 5 (unknown version cmd) result");
    CORE_EXPECT(calls[6].result, -RV_ENOSYS, "entry 6 (first unknown hypercall) result");
    CORE_EXPECT(calls[7].result, 0, "entry 7 (version EXTRA) result");
    RVT_EXPECT_TRUE(strnlen(idbuf, sizeof(idbuf)) < sizeof(idbuf), "entry 7 wrote the build id");
}

/*
 * Order: two entries write the same buffer; the one that runs last wins.
 * GET_STATS writes 16 bytes, EXTRA 32 (the build id, NUL-terminated).
 */
static void check_order(void)
{
    static uint8_t a[32], b[32], id[32];
    struct rv_vcpu_stats s, now;

    RVT_REQUIRE_OK(rv_hc_version(RV_VERSION_EXTRA, (unsigned long)id), "version EXTRA");

    memset(a, 0xee, sizeof(a));
    calls[0] = entry(RV_HC_vcpu_op, RV_VCPUOP_GET_STATS, (uint32_t)a, 0);
    calls[1] = entry(RV_HC_version, RV_VERSION_EXTRA, (uint32_t)a, 0);
    CORE_EXPECT(rv_hc_multicall(calls, 2), 0, "multicall GET_STATS then EXTRA");
    RVT_EXPECT_EQ(memcmp(a, id, sizeof(id)), 0, "GET_STATS then EXTRA: the build id is left");

    memset(b, 0xee, sizeof(b));
    calls[0] = entry(RV_HC_version, RV_VERSION_EXTRA, (uint32_t)b, 0);
    calls[1] = entry(RV_HC_vcpu_op, RV_VCPUOP_GET_STATS, (uint32_t)b, 0);
    CORE_EXPECT(rv_hc_multicall(calls, 2), 0, "multicall EXTRA then GET_STATS");
    RVT_REQUIRE_OK(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &now), "GET_STATS");
    memcpy(&s, b, sizeof(s));
    RVT_EXPECT_EQ(s.hypercalls + 1, now.hypercalls,
                  "EXTRA then GET_STATS: the stats are left (one trap before ours)");
    RVT_EXPECT_EQ(memcmp(b + sizeof(s), id + sizeof(s), sizeof(b) - sizeof(s)), 0,
                  "EXTRA then GET_STATS: the build id's tail is left");
}

static void check_counts(void)
{
    calls[0] = entry(RV_HC_version, RV_VERSION_ABI, 0, 0);
    CORE_EXPECT(rv_hc_multicall(calls, 0), 0, "multicall of 0 entries");
    RVT_EXPECT_EQ(calls[0].result, SENTINEL, "count 0 runs nothing");

    for (unsigned i = 0; i <= RV_MULTICALL_MAX; i++)
        calls[i] = entry(RV_HC_version, RV_VERSION_ABI, 0, 0);
    CORE_EXPECT(rv_hc_multicall(calls, RV_MULTICALL_MAX), 0, "multicall of 64 entries");
    for (unsigned i = 0; i < RV_MULTICALL_MAX; i++)
        RVT_EXPECT_EQ(calls[i].result, RV_ABI_VERSION, "result of each of 64 entries");
    RVT_EXPECT_EQ(calls[RV_MULTICALL_MAX].result, SENTINEL, "entry 64 of a 64-entry call");

    CORE_EXPECT(rv_hc_multicall(calls, RV_MULTICALL_MAX + 1), -RV_E2BIG, "multicall of 65 entries");
    CORE_EXPECT(rv_hc_multicall(calls, 0xffffffffu), -RV_E2BIG, "multicall of 0xffffffff entries");
    CORE_EXPECT(rv_hc_multicall(0, RV_MULTICALL_MAX + 1), -RV_E2BIG, "multicall of 65 entries at NULL");
}

static void check_efault(void)
{
    uint32_t end = core_mapped_end(), unmapped = core_unmapped_page(), ro = core_readonly_tail();
    struct rv_multicall_entry *e;
    uint8_t stats[sizeof(struct rv_vcpu_stats)];

    CORE_EXPECT(rv_hc_multicall(0, 1), -RV_EFAULT, "multicall with a NULL array");
    CORE_EXPECT(rv_hc_multicall((void *)CORE_HOLE, 1), -RV_EFAULT, "multicall with the array in the hole");
    CORE_EXPECT(rv_hc_multicall((void *)CORE_STRADDLE, 1), -RV_EFAULT,
                  "multicall with the array straddling the hole");
    CORE_EXPECT(rv_hc_multicall((void *)unmapped, 1), -RV_EFAULT,
                  "multicall with the array in an unmapped page");

    /* Entry 0 in the last bytes of a mapped page, entry 1 wholly in the next, unmapped. */
    core_clear_tail(end);
    e = (struct rv_multicall_entry *)(end - ENTRY_SIZE);
    memset(stats, 0, sizeof(stats));
    *e = entry(RV_HC_vcpu_op, RV_VCPUOP_GET_STATS, (uint32_t)stats, 0);
    CORE_EXPECT(rv_hc_multicall(e, 2), -RV_EFAULT, "multicall whose entry 1 is in an unmapped page");
    CORE_EXPECT(e->result, 0, "entry 0 before the unmapped page ran, result written");
    RVT_EXPECT_TRUE(((struct rv_vcpu_stats *)stats)->hypercalls > 0, "entry 0 (GET_STATS) did its work");

    /* Entry 1 half in the mapped page, half out. */
    core_clear_tail(end);
    e = (struct rv_multicall_entry *)(end - ENTRY_SIZE - ENTRY_SIZE / 2);
    *e = entry(RV_HC_version, RV_VERSION_ABI, 0, 0);
    CORE_EXPECT(rv_hc_multicall(e, 2), -RV_EFAULT, "multicall whose entry 1 crosses into an unmapped page");
    RVT_EXPECT_EQ(e->result, RV_ABI_VERSION, "entry 0 ran, result written");
    core_clear_tail(end);

    /* A read-only array (zero entries: version ABI): the result cannot be written. */
    CORE_EXPECT(rv_hc_multicall((void *)(ro + 64 - 2 * ENTRY_SIZE), 2), -RV_EFAULT,
                  "multicall with the array in a read-only page");
    RVT_EXPECT_TRUE(core_all_zero(ro, 64), "the read-only array is unchanged");
}

void test_main(void)
{
    check_mixed();
    check_order();
    check_counts();
    check_efault();
    rvt_success();
}
