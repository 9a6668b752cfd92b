/* SPDX-License-Identifier: MIT */
/*
 * ctl-cycles: 100 create/destroy cycles of a small guest.  Each cycle's
 * guest must run (its first console line is read back); even cycles are
 * destroyed, odd ones end by themselves with a code that is checked.
 * The free-frame count once scrubbing is done must equal the count
 * before.  Figures (guest time, icount): create to first line, cycles/s.
 */
#include "ctlkit.h"

#define CYCLES 100

void test_main(void)
{
    uint32_t before = ctl_free_frames_settled();
    uint64_t start = rv_time_ns(), to_line = 0;
    long last = 0;
    for (int k = 0; k < CYCLES; k++) {
        char opts[64], want[24];
        rv_snprintf(opts, sizeof(opts), "child name=kid-cyc mem=256K -- exit=%d", k & 1 ? k % 50 + 1 : 0);
        if (!(k & 1))
            strlcpy(opts + strlen(opts) - 6, "spin", 5);
        uint64_t t0 = rv_time_ns();
        long id = ctl_create(CHILD_IMAGE, CHILD_LEN, opts);
        if (id <= last)
            rvt_failure("cycle %d: CREATE returned %s (%s), last id %ld", k, rv_errname(id), ctl_reason, last);
        last = id;
        rv_snprintf(want, sizeof(want), "child d%ld up", id);
        if (!ctl_console_until((uint32_t)id, want, 5000))
            rvt_failure("cycle %d: d%ld never printed its first line", k, id);
        to_line += rv_time_ns() - t0;
        struct rv_domctl_info i;
        if (!(k & 1)) {
            RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), 0, "DESTROY");
            continue;
        }
        if (!ctl_wait_dead((uint32_t)id, &i, 5000))
            rvt_failure("cycle %d: d%ld did not end", k, id);
        RVT_EXPECT_EQ(i.exit_code, k % 50 + 1, "its exit code");
        RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), 0, "DESTROY of the zombie");
    }
    uint64_t took = rv_time_ns() - start;
    uint32_t after = ctl_free_frames_settled();
    RVT_EXPECT_EQ(after, before, "free frames before and after 100 cycles");
    rv_printf("BENCH ctl cycles=%d first_line_us=%u cycles_per_s=%u\n", CYCLES, (uint32_t)(to_line / CYCLES / 1000),
              (uint32_t)(CYCLES * 1000000000ull / (took ? took : 1)));
    rv_printf("RESULT: SUCCESS %d cycles, %u frames free before and after; create to first line %u us, "
              "%u cycles/s (guest time)\n", CYCLES, after, (uint32_t)(to_line / CYCLES / 1000),
              (uint32_t)(CYCLES * 1000000000ull / (took ? took : 1)));
    rv_hc_sched_op(RV_SCHED_SHUTDOWN, RV_SHUTDOWN_POWEROFF, 0);
}
