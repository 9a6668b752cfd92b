/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-exit.c: sched_op(RV_SCHED_SHUTDOWN, reason,
 * code) ends the domain and never returns; the monitor prints
 * "(rv) d<ID> <NAME>: exit <poweroff|reboot|crash> code <N>".
 *
 * The command line picks the call: reason=<0|1|2> code=<N>.  The call is
 * made directly (int 0x82), without rvt_* verdicts.  If it returns, the
 * test reports a failure with poweroff code 1, so a returning shutdown is
 * told apart from the expected exit line.
 */
#include "core.h"

void test_main(void)
{
    long reason = rv_cmdline_int("reason", -1), code = rv_cmdline_int("code", 0);
    long r;

    if (reason < 0 || reason > RV_SHUTDOWN_CRASH)
        rvt_error("needs reason=0|1|2 on the command line");
    rvt_log("shutdown reason %ld code %ld", reason, code);
    rv_console_flush();
    r = rv_hypercall_int82(RV_HC_sched_op, RV_SCHED_SHUTDOWN, (unsigned long)reason,
                           (unsigned long)code, 0, 0);
    rvt_failure("sched_op shutdown (reason %ld, code %ld) returned %s", reason, code, rv_errname(r));
}
