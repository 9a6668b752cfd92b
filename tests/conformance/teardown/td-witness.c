/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/teardown/td-witness.c: a domain's destruction does not
 * stall the others (issue 20).  A 1 ms timer tick is kept throughout while
 * td-hog (args hog=ID) fills its memory, dies, has its frames scrubbed and
 * comes back; no two ticks may be more than MAX_GAP_NS of system time
 * apart.
 *
 * It also drives td-hog: it offers the hog two ports (A, B); when the hog
 * has bound both it sends A (fill and reboot).  The hog's death shows as
 * A becoming unbound.  The monitor builds the new instance only once the
 * old one's frames are scrubbed, and ids are never reused, so the new one
 * is the next id, hog + 1 (a boot of these two alone): once an offer of
 * two more ports (A2, B2) to that id no longer fails with ESRCH the scrub
 * is over; when the new instance has bound them it sends B2 (scan).  When the second instance has ended too, it ticks
 * TAIL_NS more (the last scrub, which may still run) and gives its verdict.
 *
 * What is asserted is the destroy: every gap that ends between the last
 * look that saw the first instance alive and the last look before the
 * second instance appeared (the death, the teardown, the whole scrub).
 * The gap that holds the new instance's build (the monitor validates its
 * start-of-day page tables in one go: about 20 ms of instructions for
 * 512 MiB) and the longest gap of the whole run are printed, not judged.
 * Command line: hog=ID, and gap=MS for another limit (0: print only; the
 * small pair does that, for Bochs, whose 4 MHz of guest time make every
 * console line the monitor prints at a death cost milliseconds: its
 * serial port takes a character at a time at the line's speed).
 */
#include <rvtest.h>

#define MS RV_NS_PER_MS
#define TICK_NS (1 * MS)
#define MAX_GAP_NS (10 * MS)
#define TAIL_NS (1000 * MS)
#define CAP_NS (45000 * MS)

static volatile uint64_t last_tick, max_gap, max_gap_at;
static volatile uint32_t ticks;
#define LONG_GAP_NS (4 * MS)  /* gaps this long are kept, with when they ended */
#define MAX_LONG 64
static volatile uint64_t long_at[MAX_LONG], long_gap[MAX_LONG];
static volatile uint32_t nr_long;

static void tick(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    uint64_t now = rv_time_ns();
    if (last_tick && now - last_tick > LONG_GAP_NS && nr_long < MAX_LONG) {
        long_at[nr_long] = now;
        long_gap[nr_long++] = now - last_tick;
    }
    if (last_tick && now - last_tick > max_gap) {
        max_gap = now - last_tick;
        max_gap_at = now;
    }
    last_tick = now;
    ticks++;
    rv_timer_set(now + TICK_NS);
}

static uint32_t status(uint32_t port)
{
    struct rv_evtchn_status st = { .port = port };
    RVT_REQUIRE_OK(rv_evtchn_status(port, &st), "event_channel_op status");
    return st.status;
}

/* Blocks (ticking) until port's status is want; returns when it saw it,
 * and in *before when it last saw it otherwise. */
static uint64_t wait_status(uint32_t port, uint32_t want, const char *what, uint64_t *before)
{
    uint64_t t = rv_time_ns();
    while (status(port) != want) {
        t = rv_time_ns();
        if (t > CAP_NS)
            rvt_error("gave up waiting for %s after %u ms", what, (unsigned)(CAP_NS / MS));
        rv_block();
    }
    if (before)
        *before = t;
    return rv_time_ns();
}

/* The longest kept gap that ended in (from, to]. */
static uint64_t longest_in(uint64_t from, uint64_t to, uint64_t *at)
{
    uint64_t best = 0;
    *at = 0;
    for (uint32_t i = 0; i < nr_long; i++)
        if (long_at[i] > from && long_at[i] <= to && long_gap[i] > best) {
            best = long_gap[i];
            *at = long_at[i];
        }
    return best;
}

void test_main(void)
{
    long hog = rv_cmdline_int("hog", 0);
    uint64_t max_gap_ns = (uint64_t)rv_cmdline_int("gap", MAX_GAP_NS / MS) * MS;
    if (hog <= 0)
        rvt_error("needs hog=ID");
    RVT_REQUIRE_OK(rv_events_init(), "set_callbacks");
    RVT_REQUIRE_OK(rv_timer_bind(tick, 0), "bind the timer");
    long a = rv_evtchn_alloc_unbound((uint32_t)hog), b = rv_evtchn_alloc_unbound((uint32_t)hog);
    RVT_REQUIRE_OK(a, "alloc_unbound A for the hog");
    RVT_REQUIRE_OK(b, "alloc_unbound B for the hog");
    RVT_EXPECT_TRUE(a < b, "A has the lower port (the hog binds them in port order)");
    rv_events_enable();
    rv_timer_set(rv_time_ns() + TICK_NS);

    uint64_t alive, died, dead, back, at_d, at_b;
    wait_status((uint32_t)b, RV_EVTCHNSTAT_INTERDOMAIN, "the hog to bind its ports", 0);
    RVT_REQUIRE_OK(rv_evtchn_send((uint32_t)a), "send A (fill)");
    died = wait_status((uint32_t)a, RV_EVTCHNSTAT_UNBOUND, "the hog's first instance to end", &alive);
    long a2, b2;
    dead = rv_time_ns();
    while ((a2 = rv_evtchn_alloc_unbound((uint32_t)hog + 1)) == -RV_ESRCH) {
        dead = rv_time_ns();
        if (dead > CAP_NS)
            rvt_error("gave up waiting for the hog's second instance (d%ld)", hog + 1);
        rv_block();
    }
    back = rv_time_ns();
    RVT_REQUIRE_OK(a2, "alloc_unbound A2 for the new instance");
    b2 = rv_evtchn_alloc_unbound((uint32_t)hog + 1);
    RVT_REQUIRE_OK(b2, "alloc_unbound B2 for the new instance");
    wait_status((uint32_t)b2, RV_EVTCHNSTAT_INTERDOMAIN, "the new instance to bind its ports", 0);
    RVT_REQUIRE_OK(rv_evtchn_send((uint32_t)b2), "send B2 (scan)");
    uint64_t gone = wait_status((uint32_t)a2, RV_EVTCHNSTAT_UNBOUND, "the hog's second instance to end", 0);
    while (rv_time_ns() < gone + TAIL_NS)
        rv_block();
    rv_timer_set(0);
    uint64_t gap_d = longest_in(alive, dead, &at_d), gap_b = longest_in(dead, back, &at_b);
    rvt_log("%u ticks; the hog died at %u ms, was back on scrubbed frames at %u ms (%u ms later)", ticks,
            (unsigned)(died / MS), (unsigned)(back / MS), (unsigned)((back - died) / MS));
    rvt_log("longest gap: %u us during the destroy, %u us around the new instance's build, %u us in all"
            " (0: none over %u us)",
            (unsigned)(gap_d / 1000), (unsigned)(gap_b / 1000), (unsigned)(max_gap / 1000),
            (unsigned)(LONG_GAP_NS / 1000));
    if (max_gap_ns && gap_d > max_gap_ns)
        rvt_failure("the 1 ms tick stalled for %u us at %u ms while the hog was destroyed (%u-%u ms)",
                    (unsigned)(gap_d / 1000), (unsigned)(at_d / MS), (unsigned)(alive / MS), (unsigned)(dead / MS));
    rvt_success();
}
