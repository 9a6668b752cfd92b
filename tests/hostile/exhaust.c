/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/exhaust.c: a domain that tries to wear the monitor out.
 * One case per domain (case=); each checks that it got a documented answer
 * throughout, and the witness in the same boot that it still got the CPU
 * and kept its memory (a monitor that livelocked or lost a table would
 * show there, or as a boot that times out).
 *   hcloop   200000 hypercalls back to back, 2000 yields among them
 *   console  512 KiB of console output in 4 KiB writes, lines and one
 *            unbroken run (the line view must split and go on)
 *   storm    100000 sends to its own event channel with the callback on,
 *            then a masked storm; every upcall is counted, none lost
 *   ports    allocate ports until -ENOSPC, close them all, allocate again
 *   timers   20000 one-shot timers already due, then 200 blocks
 *   mmu      mmu_update batches of 4096 rewrites of its own live entries
 * Run eight at once (tests.list) this is also "many domains".
 */
#include "../conformance/mm/mmtest.h"

static int is(const char *c, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(c, name, n) && (c[n] == 0 || c[n] == ' ');
}

static void hcloop(void)
{
    for (uint32_t i = 0; i < 200000; i++) {
        RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "version in a loop");
        if (i % 100 == 0)
            rv_yield();
    }
}

static void console(void)
{
    static char buf[RV_CONSOLE_MAX];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (i % 64 == 63) ? '\n' : 'a' + i % 26;
    for (unsigned k = 0; k < 128; k++) {
        if (k == 64)
            memset(buf, 'z', sizeof buf); /* no newline at all */
        RVT_EXPECT_EQ(rv_hc_console_io(RV_CONSOLE_WRITE, sizeof buf, buf), sizeof buf, "a 4 KiB write");
    }
    RVT_EXPECT_RC(rv_hc_console_io(RV_CONSOLE_WRITE, RV_CONSOLE_MAX + 1, buf), -RV_E2BIG, "4 KiB + 1");
    rv_hc_console_io(RV_CONSOLE_WRITE, 1, "\n");
}

static volatile uint32_t upcalls;
static void count(uint32_t port, struct rv_trap_frame *f, void *arg) { (void)port, (void)f, (void)arg; upcalls++; }

static void storm(void)
{
    RVT_REQUIRE_OK(rv_events_init(), "events");
    long u = rv_evtchn_alloc_unbound(rv_start_info->domid);
    RVT_REQUIRE_OK(u, "alloc_unbound");
    RVT_REQUIRE_OK(rv_evtchn_bind_interdomain(rv_start_info->domid, (uint32_t)u, count, 0), "bind");
    rv_shared_info->vcpu_info[0].evtchn_upcall_mask = 0;
    for (uint32_t i = 0; i < 100000; i++) {
        uint32_t before = upcalls;
        RVT_EXPECT_RC(rv_evtchn_send((uint32_t)u), 0, "send to ourselves");
        if (upcalls != before + 1)
            rvt_failure("send %u: %u upcalls, expected one", i, upcalls - before);
    }
    rv_shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
    uint32_t before = upcalls;
    for (uint32_t i = 0; i < 100000; i++)
        RVT_EXPECT_RC(rv_evtchn_send((uint32_t)u), 0, "masked send");
    RVT_EXPECT_EQ(upcalls, before, "upcalls while masked");
    rv_shared_info->vcpu_info[0].evtchn_upcall_mask = 0;
    RVT_REQUIRE_OK(rv_hc_version(0, 0), "a hypercall to let the pending event in");
    RVT_EXPECT_EQ(upcalls, before + 1, "one upcall for the whole masked storm");
}

static void ports(void)
{
    static uint32_t got[RV_NR_EVTCHN];
    for (int round = 0; round < 2; round++) {
        uint32_t n = 0;
        long p;
        while ((p = rv_evtchn_alloc_unbound(rv_start_info->domid)) > 0 && n < RV_NR_EVTCHN)
            got[n++] = (uint32_t)p;
        RVT_EXPECT_RC(p, -RV_ENOSPC, "allocating past the last port");
        if (n < 1000)
            rvt_failure("only %u ports before -ENOSPC", n);
        for (uint32_t i = 0; i < n; i++)
            RVT_EXPECT_RC(rv_evtchn_close(got[i]), 0, "close");
        rvt_log("round %d: %u ports, then -ENOSPC, all closed", round, n);
    }
}

static void timers(void)
{
    RVT_REQUIRE_OK(rv_timer_bind(0, 0), "timer");
    for (uint32_t i = 0; i < 20000; i++)
        RVT_EXPECT_RC(rv_hc_set_timer_op(1), 0, "a timer already due");
    for (uint32_t i = 0; i < 200; i++) {
        RVT_REQUIRE_OK(rv_timer_set(rv_time_ns() + 100000), "timer in 100 us");
        RVT_EXPECT_RC(rv_block(), 0, "block until it fires");
    }
}

static void mmu(void)
{
    static struct rv_mmu_update req[RV_MMU_UPDATE_MAX];
    uint32_t l1va = rv_start_info->pt_base + (rv_start_info->nr_pt_frames - 1) * RV_PAGE_SIZE;
    uint32_t mfn = mt_mfn_of(l1va);
    for (uint32_t i = 0; i < RV_MMU_UPDATE_MAX; i++) {
        unsigned slot = i % 512;
        req[i].ptr = mt_slot(mfn, slot);
        req[i].val = ((volatile mt_pte_t *)l1va)[slot];
    }
    for (int k = 0; k < 50; k++) {
        uint32_t done = 0;
        long r = rv_hc_mmu_update(req, RV_MMU_UPDATE_MAX, &done);
        if (r == -RV_EINVAL && k == 0)
            rvt_skip("the last page-table frame is not an L1 here (%s)", rv_errname(r));
        RVT_EXPECT_RC(r, 0, "4096 rewrites");
        RVT_EXPECT_EQ(done, RV_MMU_UPDATE_MAX, "done");
    }
}

void test_main(void)
{
    const char *c = rv_cmdline_value("case");
    if (!c)
        rvt_error("needs case=");
    mt_init();
    uint64_t t0 = rv_time_ns();
    if (is(c, "hcloop")) hcloop();
    else if (is(c, "console")) console();
    else if (is(c, "storm")) storm();
    else if (is(c, "ports")) ports();
    else if (is(c, "timers")) timers();
    else if (is(c, "mmu")) mmu();
    else rvt_error("unknown case '%s'", c);
    rvt_log("%s: %llu ms", c, (unsigned long long)((rv_time_ns() - t0) / RV_NS_PER_MS));
    rvt_success();
}
