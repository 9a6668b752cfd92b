/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/teardown/td-hog.c: a dead domain's memory reaches the
 * next domain as zeros (ABI.md "Direct paging": a domain's frames are
 * zeroed before any other domain can get them).
 *
 * Runs with restart=reboot beside td-witness (args witness=ID), which
 * offers it two event channels and tells each instance what to do:
 *  - port A: fill every free frame with the byte PATTERN, and reboot;
 *    the monitor scrubs the frames and builds a new instance on them;
 *  - port B: scan every free frame: each byte must be 0 (ABI.md "Start of
 *    day"), none the pattern; success, and poweroff.
 * The first instance cannot tell itself from the second without help: the
 * witness counts them.  tests.list expects exactly one restart.
 */
#include <rvtest.h>

#define PATTERN 0xa5u

static volatile int told_fill, told_scan;

static void on_fill(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    told_fill = 1;
}

static void on_scan(uint32_t port, struct rv_trap_frame *f, void *arg)
{
    (void)port, (void)f, (void)arg;
    told_scan = 1;
}

/* The witness's first two ports offered to us, in port order: A then B.
 * It offers them to a new instance once it sees it, so keep looking. */
static void bind_witness(uint32_t witness)
{
    int bound = 0;
    uint64_t give_up = rv_time_ns() + 10000 * RV_NS_PER_MS;
    while (bound < 2) {
        for (uint32_t p = 1; p < 64 && bound < 2; p++)
            if (rv_evtchn_bind_interdomain(witness, p, bound ? on_scan : on_fill, 0) > 0)
                bound++;
        if (bound < 2 && rv_time_ns() > give_up)
            rvt_error("bound %d of the witness's two ports (is td-witness d%u?)", bound, witness);
        if (bound < 2)
            rv_sleep_ns(RV_NS_PER_MS);
    }
}

static void scan(uint8_t *lo, uint8_t *hi)
{
    for (uint32_t *p = (uint32_t *)lo; p < (uint32_t *)hi; p += 1024) {
        uint32_t any = 0;
        for (int i = 0; i < 1024; i++)
            any |= p[i];
        if (!any)
            continue;
        for (uint8_t *b = (uint8_t *)p;; b++)
            if (*b)
                rvt_failure("byte at 0x%08x is 0x%02x%s, not 0: memory not scrubbed", (unsigned)b, *b,
                            *b == PATTERN ? " (the previous instance's pattern)" : "");
    }
}

void test_main(void)
{
    const struct rv_start_info *si = rv_start_info;
    uint8_t *lo = (uint8_t *)si->free_start;
    uint8_t *hi = (uint8_t *)(si->virt_base + si->nr_mapped * RV_PAGE_SIZE);
    long witness = rv_cmdline_int("witness", 0);

    if (witness <= 0)
        rvt_error("needs witness=ID");
    RVT_REQUIRE_OK(rv_events_init(), "set_callbacks");
    bind_witness((uint32_t)witness);
    rv_events_enable();
    while (!told_fill && !told_scan)
        rv_block();
    rvt_log("instance at mfn 0x%x: %s %u KiB", si->first_mfn, told_scan ? "scanning" : "filling",
            (unsigned)(hi - lo) / 1024);
    if (told_scan) {
        scan(lo, hi);
        rvt_success();
    }
    memset(lo, PATTERN, (size_t)(hi - lo));
    rv_reboot();
}
