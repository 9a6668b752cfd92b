/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-vcpu.c: hypercall 10, vcpu_op.
 *
 * - RV_VCPUOP_GET_STATS returns 0 and writes exactly sizeof(struct
 *   rv_vcpu_stats) bytes.
 * - stats.hypercalls goes up by exactly the number of int 0x82 traps made
 *   between two GET_STATS (the second one included): known and unknown
 *   numbers, failing calls, a multicall (one trap, whatever it holds).
 * - stats.traps_bounced goes up by exactly 1 for one bounced #UD.
 * - stats.emulated goes up by exactly 2 for one CLI and one STI.
 * - stats.schedules goes up across a yield.
 * - A bad arg is -EFAULT: NULL, the hole, straddling the hole, an unmapped
 *   page, a buffer running 1 byte into an unmapped page (and one ending
 *   exactly before it works), a read-only page (left unchanged).
 * - Other cmd: -ENOSYS.
 */
#include "core.h"

#define STATS_SIZE sizeof(struct rv_vcpu_stats)

static struct rv_vcpu_stats get(void)
{
    struct rv_vcpu_stats s;

    RVT_REQUIRE_OK(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &s), "GET_STATS");
    return s;
}

static void check_write_size(void)
{
    uint8_t buf[STATS_SIZE + 16];

    memset(buf, 0xaa, sizeof(buf));
    CORE_EXPECT(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, buf), 0, "GET_STATS");
    for (unsigned i = STATS_SIZE; i < sizeof(buf); i++)
        RVT_EXPECT_EQ(buf[i], 0xaa, "GET_STATS writes nothing past the struct");
}

static void check_hypercall_count(void)
{
    struct rv_multicall_entry mc[3] = {
        { .op = RV_HC_version, .args = { RV_VERSION_ABI } },
        { .op = RV_HC_console_io, .args = { RV_CONSOLE_WRITE, 0, 0 } },
        { .op = 1000 },
    };
    struct rv_vcpu_stats a, b;

    a = get();
    rv_hc_version(RV_VERSION_ABI, 0);                                  /* 1 */
    rv_hypercall_int82(RV_HC_version, RV_VERSION_FEATURES, 0, 0, 0, 0); /* 2 */
    rv_hypercall_int82(1000, 0, 0, 0, 0, 0);                           /* 3: unknown */
    rv_hypercall(RV_NR_HYPERCALLS, 0, 0, 0, 0, 0);                     /* 4: unknown, page */
    rv_hc_multicall(mc, 3);                                            /* 5: one trap */
    rv_hc_console_io(RV_CONSOLE_WRITE, 0, "");                         /* 6 */
    rv_hc_sched_op(0xffff, 0, 0);                                      /* 7: -ENOSYS */
    rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, 0);                             /* 8: -EFAULT */
    b = get();                                                         /* 9 */
    RVT_EXPECT_EQ(b.hypercalls - a.hypercalls, 9, "stats.hypercalls after 9 traps");
    RVT_EXPECT_EQ(b.traps_bounced, a.traps_bounced, "stats.traps_bounced without an exception");
    RVT_EXPECT_EQ(b.emulated, a.emulated, "stats.emulated without a sensitive instruction");
}

static void do_ud2(void *arg)
{
    (void)arg;
    __asm__ volatile("ud2");
}

static void check_other_counts(void)
{
    struct rv_vcpu_stats a, b;
    volatile struct rv_vcpu_info *v = rv_vcpu();

    a = get();
    RVT_EXPECT_EQ(rvt_expect_fault(6, do_ud2, 0, 0), 1, "#UD from ud2");
    b = get();
    RVT_EXPECT_EQ(b.traps_bounced - a.traps_bounced, 1, "stats.traps_bounced after one #UD");

    a = get();
    __asm__ volatile("cli" ::: "memory");
    __asm__ volatile("sti" ::: "memory");
    b = get();
    v->evtchn_upcall_mask = 1;
    RVT_EXPECT_EQ(b.emulated - a.emulated, 2, "stats.emulated after CLI and STI");
    RVT_EXPECT_EQ(b.hypercalls - a.hypercalls, 1, "stats.hypercalls: CLI and STI are not hypercalls");

    a = get();
    RVT_REQUIRE_OK(rv_hc_sched_op(RV_SCHED_YIELD, 0, 0), "yield");
    b = get();
    RVT_EXPECT_TRUE(b.schedules - a.schedules >= 1, "stats.schedules after a yield");
}

static void check_efault(void)
{
    uint32_t end = core_mapped_end(), unmapped = core_unmapped_page(), ro = core_readonly_tail();

    CORE_EXPECT(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, 0), -RV_EFAULT, "GET_STATS to NULL");
    CORE_EXPECT(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, (void *)CORE_HOLE), -RV_EFAULT,
                  "GET_STATS to the hole (0xFC000000)");
    CORE_EXPECT(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, (void *)(RV_HOLE_START - 8)), -RV_EFAULT,
                  "GET_STATS straddling the hole (0xFBFFFFF8)");
    CORE_EXPECT(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, (void *)unmapped), -RV_EFAULT,
                  "GET_STATS to an unmapped page");
    core_clear_tail(end);
    CORE_EXPECT(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, (void *)(end - STATS_SIZE)), 0,
                  "GET_STATS ending exactly before an unmapped page");
    CORE_EXPECT(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, (void *)(end - STATS_SIZE + 1)), -RV_EFAULT,
                  "GET_STATS running 1 byte into an unmapped page");
    core_clear_tail(end);
    CORE_EXPECT(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, (void *)ro), -RV_EFAULT,
                  "GET_STATS to a read-only page (a page table)");
    RVT_EXPECT_TRUE(core_all_zero(ro, 64), "the read-only page is unchanged");
}

void test_main(void)
{
    static const uint32_t bad_cmds[] = { 2, 3, 0x100, 0x80000000u, 0xffffffffu }; /* 1: evt-retwin */
    struct rv_vcpu_stats s;
    char what[48];

    check_write_size();
    check_hypercall_count();
    check_other_counts();
    check_efault();
    for (unsigned i = 0; i < sizeof(bad_cmds) / sizeof(bad_cmds[0]); i++) {
        rv_snprintf(what, sizeof(what), "vcpu_op cmd 0x%x", bad_cmds[i]);
        CORE_EXPECT(rv_hc_vcpu_op(bad_cmds[i], &s), -RV_ENOSYS, what);
    }
    rvt_success();
}
