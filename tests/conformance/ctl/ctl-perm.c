/* SPDX-License-Identifier: MIT */
/*
 * ctl-perm: a domain without `control` gets -RV_EPERM from every domctl
 * command, with arguments that would work for a control domain (ABI.md
 * "Control domains"), and nothing happens: the ctl-perm-witness that
 * shares its boot (the next domain id) is the target of every call that
 * names a domain, and passes only if it lives on untouched.
 */
#include "ctlkit.h"

void test_main(void)
{
    uint32_t victim = rv_start_info->domid + 1; /* tests.list boots the witness right after */
    static struct rv_domctl_info info[8];
    static char buf[64];
    struct rv_domctl_console io = { .buf = (uint32_t)buf, .len = sizeof(buf) };
    struct rv_domctl_create cr = { .image = CHILD_IMAGE, .image_len = CHILD_LEN,
                                   .options = (uint32_t)"name=kid-perm mem=256K", .options_len = 22,
                                   .reason = (uint32_t)ctl_reason, .reason_len = sizeof(ctl_reason) };
    struct rv_domctl_physinfo p;
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CREATE, 0, &cr, 0), -RV_EPERM, "CREATE");
    RVT_EXPECT_EQ(ctl_reason[0], 0, "CREATE wrote no reason");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_PAUSE, victim, 0, 0), -RV_EPERM, "PAUSE");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_UNPAUSE, victim, 0, 0), -RV_EPERM, "UNPAUSE");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_GETINFO, victim, info, 0), -RV_EPERM, "GETINFO");
    RVT_EXPECT_EQ(info[0].domid, 0, "GETINFO wrote nothing");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_LIST, 0, info, 8), -RV_EPERM, "LIST");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_SETSCHED, victim, (void *)1, 1), -RV_EPERM, "SETSCHED");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_READ, victim, &io, 0), -RV_EPERM, "CONSOLE_READ");
    io.len = 5;
    memcpy(buf, "stop\n", 5);
    RVT_EXPECT_RC(ctl(RV_DOMCTL_CONSOLE_WRITE, victim, &io, 0), -RV_EPERM, "CONSOLE_WRITE");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_PHYSINFO, 0, &p, 0), -RV_EPERM, "PHYSINFO");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, victim, 0, 0), -RV_EPERM, "DESTROY");
    RVT_EXPECT_RC(ctl(RV_DOMCTL_DESTROY, rv_start_info->domid, 0, 0), -RV_EPERM, "DESTROY of itself");
    RVT_EXPECT_RC(ctl(77, 0, 0, 0), -RV_EPERM, "an unknown command");
    RVT_EXPECT_RC(ctl_rvctl("list"), -RV_EPERM, "rvctl list");
    rvt_log("every domctl command: -EPERM; d%u is the witness", victim);
    rvt_success();
}
