/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-console-read.c: hypercall 1, console_io,
 * reading (RV_CONSOLE_READ).
 *
 * - A read returns at once (never blocks) with 0 .. count bytes; always 0
 *   for a domain without the console focus (start_info.flags); count 0
 *   and count RV_CONSOLE_MAX are accepted.  (The runner sends no input,
 *   so every read here finds none.)
 * - A bad buffer is -EFAULT, whether or not input is waiting and whether
 *   or not this domain has the focus (ABI.md "Calling convention": a
 *   pointer into the hole, or to pages that are not present or read-only
 *   when the monitor writes, gives -RV_EFAULT): NULL, the hole, a range
 *   crossing into the hole, an unmapped page, a read-only page (left
 *   unchanged), a range running into an unmapped page.
 */
#include "core.h"

static char buf[RV_CONSOLE_MAX];

static long cread(uint32_t va, uint32_t n)
{
    return rv_hc_console_io(RV_CONSOLE_READ, n, (const void *)va);
}

static void check_good(int focus)
{
    long r;

    for (int i = 0; i < 4; i++) {
        r = cread((uint32_t)buf, 16);
        RVT_EXPECT_TRUE(r >= 0 && r <= 16, "read of 16 bytes returns 0 .. 16");
        if (!focus)
            RVT_EXPECT_EQ(r, 0, "read without the console focus");
    }
    CORE_EXPECT(cread((uint32_t)buf, 0), 0, "read of 0 bytes");
    r = cread((uint32_t)buf, RV_CONSOLE_MAX);
    RVT_EXPECT_TRUE(r >= 0 && r <= RV_CONSOLE_MAX, "read of RV_CONSOLE_MAX bytes returns 0 .. count");
    r = rv_hypercall_int82(RV_HC_console_io, RV_CONSOLE_READ, 16, (uint32_t)buf, 0, 0);
    RVT_EXPECT_TRUE(r >= 0 && r <= 16, "read through int 0x82 returns 0 .. 16");
}

static void check_efault(void)
{
    uint32_t end = core_mapped_end(), unmapped = core_unmapped_page(), ro = core_readonly_tail();

    CORE_EXPECT(cread(CORE_HOLE, 16), -RV_EFAULT, "read into the hole (0xFC000000)");
    CORE_EXPECT(cread(CORE_STRADDLE, 32), -RV_EFAULT,
                  "read into a range crossing into the hole (0xFBFFFFF0, 32)");
    CORE_EXPECT(cread(0, 16), -RV_EFAULT, "read into NULL");
    CORE_EXPECT(cread(unmapped, 16), -RV_EFAULT, "read into an unmapped page");
    CORE_EXPECT(cread(end - 8, 16), -RV_EFAULT, "read into a range running into an unmapped page");
    core_clear_tail(end);
    CORE_EXPECT(cread(ro, 16), -RV_EFAULT, "read into a read-only page (a page table)");
    RVT_EXPECT_TRUE(core_all_zero(ro, 64), "the read-only page is unchanged");
}

void test_main(void)
{
    int focus = (rv_start_info->flags & RV_SIF_CONSOLE_FOCUS) != 0;

    rvt_log("domain %u, console focus %s", rv_start_info->domid, focus ? "yes" : "no");
    check_good(focus);
    check_efault();
    rvt_success();
}
