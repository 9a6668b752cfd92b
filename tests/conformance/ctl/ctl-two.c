/* SPDX-License-Identifier: MIT */
/*
 * ctl-two: two control domains in one boot (member=0 and member=1, ids
 * consecutive).  Member 0 creates kid-two (exit code 5) and leaves its
 * zombie; member 1, told by RV_VIRQ_DOM_STATE and not by polling, finds
 * it with LIST, reads its exit code and destroys it: any control domain
 * may, not only the creator.  Member 0 then sees it gone (-RV_ESRCH).
 */
#include "ctlkit.h"

static long find_kid(void)
{
    static struct rv_domctl_info all[40];
    long n = ctl(RV_DOMCTL_LIST, 0, all, 40);
    for (long k = 0; k < n && k < 40; k++)
        if (strcmp(all[k].name, "kid-two") == 0)
            return all[k].domid;
    return 0;
}

static void creator(void)
{
    struct rv_domctl_info i;
    rv_sleep_ns(200000000); /* member 1 is waiting for its event by now */
    long id = ctl_create(CHILD_IMAGE, CHILD_LEN, "child name=kid-two mem=256K -- exit=5");
    if (id <= 0)
        rvt_failure("CREATE: %s: %s", rv_errname(id), ctl_reason);
    RVT_EXPECT_TRUE(ctl_wait_dead((uint32_t)id, &i, 5000) && i.exit_code == 5, "kid-two ends with 5");
    uint64_t end = rv_time_ns() + 10000000000ull;
    while (find_kid() && rv_time_ns() < end)
        ctl_wait_event(100);
    RVT_EXPECT_EQ(find_kid(), 0, "the other control domain destroyed the zombie");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), -RV_ESRCH, "DESTROY of what is gone");
    rvt_log("kid-two d%ld: made here, destroyed by the other control domain", id);
}

static void reaper(void)
{
    struct rv_domctl_info i;
    uint32_t events = 0;
    long id = 0;
    uint64_t end = rv_time_ns() + 10000000000ull;
    ctl_state_port();
    while (rv_time_ns() < end) {
        if (rv_evtchn_test_and_clear(ctl_state_port()))
            events++;
        if ((id = find_kid()) && ctl(RV_DOMCTL_GETINFO, (unsigned)id, &i, 0) == 0 && i.state == RV_DOMSTATE_DEAD)
            break;
        struct rv_sched_poll p = { .ports = (uint32_t)&(uint32_t){ ctl_state_port() }, .nr_ports = 1,
                                   .timeout = end };
        rv_hc_sched_op(RV_SCHED_POLL, (unsigned long)&p, 0);
    }
    RVT_EXPECT_TRUE(id && i.state == RV_DOMSTATE_DEAD, "kid-two seen dead through LIST");
    RVT_EXPECT_TRUE(events >= 1, "woken by RV_VIRQ_DOM_STATE");
    RVT_EXPECT_EQ(i.exit_code, 5, "its exit code, read by another control domain");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, (unsigned)id, 0, 0), 0, "DESTROY of another's zombie");
    rvt_log("kid-two d%ld: zombie destroyed after %u events", id, events);
}

void test_main(void)
{
    if (rv_cmdline_int("member", 0) == 0)
        creator();
    else
        reaper();
    rvt_success();
}
