/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evt-fair.c: CPU shares follow the weights
 * (ABI.md "Scheduling").
 *
 * Two members of a group (evtkit.h), booted with weight=256 and
 * weight=768 on their module lines (args weight=/peer-weight= tell each
 * what to expect).  After they meet, member 0 names a window of system
 * time (which all domains share) WINDOW_MS long, and both spin, counting
 * the time they ran inside it (evt_cpu: time between two reads with no
 * switch in between).  Each keeps spinning after the window until the
 * other has finished too, so the window is contended throughout.  Then they exchange their CPU times
 * over event channels and each checks that the heavy one's CPU time is
 * weight_heavy / weight_light (3) times the light one's, within ±10 %.
 *
 * Comparing the two with each other, not each with 25 % / 75 % of the
 * machine, keeps the test honest when other tests share the boot: a
 * proportional-share scheduler keeps the ratio between these two whatever
 * else runs.  Host noise on QEMU TCG (the emulator itself being
 * descheduled) is charged to whoever runs, as the monitor charges it.
 */
#include "evtkit.h"

#define WINDOW_MS 3000
#define TOLERANCE_PCT 10

static uint32_t peer_done;

/* Spins until `until`; returns the ns we were on the CPU from start on. */
static uint64_t spin_measure(uint64_t start, uint64_t until)
{
    struct evt_cpu c;
    uint64_t now;

    evt_cpu_start(&c, start);
    do
        now = evt_cpu_tick(&c);
    while (now < until);
    return c.on_ns;
}

void test_main(void)
{
    struct evt_group g;
    uint32_t my_w = (uint32_t)rv_cmdline_int("weight", 0), peer_w = (uint32_t)rv_cmdline_int("peer-weight", 0);
    uint64_t start, ran, window = WINDOW_MS * RV_NS_PER_MS, limit;
    uint32_t my_us, peer_us, heavy_us, light_us, want_x1000;
    uint64_t ratio_x1000;
    unsigned peer;

    if (!my_w || !peer_w)
        rvt_error("args weight= and peer-weight= are needed");
    evt_group_join(&g, EVT_SCENARIO_FAIR, 2);
    peer = 1 - g.me;
    peer_done = g.aux[peer];

    /* One window for both, in system time (which all domains share). */
    if (g.me == 0) {
        start = rv_time_ns() + 50 * RV_NS_PER_MS;
        evt_send_u32(&g, peer, (uint32_t)(start / 1000));
    } else {
        start = (uint64_t)evt_recv_u32(&g, peer) * 1000;
    }
    ran = spin_measure(start, start + window);
    RVT_REQUIRE_OK(rv_evtchn_send(g.aux[peer]), "send (done)");
    limit = rv_time_ns() + 20 * window;
    while (!rv_evtchn_test_and_clear(peer_done))  /* the peer's window is still running */
        if (rv_time_ns() > limit)
            rvt_error("the peer did not finish its window");
    my_us = (uint32_t)(ran / 1000);

    if (g.me == 0) {
        evt_send_u32(&g, peer, my_us);
        peer_us = evt_recv_u32(&g, peer);
    } else {
        peer_us = evt_recv_u32(&g, peer);
        evt_send_u32(&g, peer, my_us);
    }
    heavy_us = my_w > peer_w ? my_us : peer_us;
    light_us = my_w > peer_w ? peer_us : my_us;
    want_x1000 = (my_w > peer_w ? my_w * 1000 / peer_w : peer_w * 1000 / my_w);
    if (!light_us)
        rvt_failure("the light domain (weight %u) never ran in %u ms", my_w < peer_w ? my_w : peer_w, WINDOW_MS);
    ratio_x1000 = (uint64_t)heavy_us * 1000 / light_us;
    rvt_log("weight %u: ran %u ms of %u ms (%u%%); peer (weight %u) ran %u ms; heavy/light = %s, want %s", my_w,
            my_us / 1000, WINDOW_MS, my_us / (WINDOW_MS * 10), peer_w, peer_us / 1000, evt_milli(ratio_x1000),
            evt_milli(want_x1000));
    if (ratio_x1000 * 100 < (uint64_t)want_x1000 * (100 - TOLERANCE_PCT) ||
        ratio_x1000 * 100 > (uint64_t)want_x1000 * (100 + TOLERANCE_PCT))
        rvt_failure("CPU time heavy/light = %s (weights %u:%u want %s ±%d%%): weight %u ran %u ms, weight %u ran %u ms "
                    "of %u ms", evt_milli(ratio_x1000), my_w, peer_w, evt_milli(want_x1000), TOLERANCE_PCT, my_w,
                    my_us / 1000, peer_w, peer_us / 1000, WINDOW_MS);
    evt_success("weights %u:%u over %u ms: this one ran %u ms (%u%% of the pair), the other %u ms; ratio %s (want %s ±%d%%)",
                my_w, peer_w, WINDOW_MS, my_us / 1000, (unsigned)((uint64_t)my_us * 100 / (my_us + peer_us)),
                peer_us / 1000, evt_milli(ratio_x1000), evt_milli(want_x1000), TOLERANCE_PCT);
}
