/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/memhog.c: a guest that touches all of its memory, then
 * powers off: what a big guest leaves behind for the monitor to scrub
 * (issue 20).  It times its own memset of every free frame and prints
 *   MEMHOG bytes=N ns=T mib_s=R
 * so make bench can set the monitor's scrub rate against a guest's plain
 * memset of the same size.  Command line: fill=BYTE (default 0xa5);
 * crash: end with a crash instead of a poweroff (with the module's
 * restart=always the monitor scrubs its memory and starts it again, five
 * times: tests/bench/bench.py's teardown suite).
 */
#include <pvguest.h>

int guest_main(void)
{
    const struct rv_start_info *si = rv_start_info;
    uint8_t *lo = (uint8_t *)si->free_start;
    uint8_t *hi = (uint8_t *)(si->virt_base + si->nr_mapped * RV_PAGE_SIZE);
    uint32_t n = (uint32_t)(hi - lo);
    int fill = (int)rv_cmdline_int("fill", 0xa5);

    uint64_t t0 = rv_rdtsc();
    memset(lo, fill, n);
    uint64_t ns = rv_tsc_to_ns(rv_rdtsc() - t0);
    uint64_t mib_s = ns ? ((uint64_t)n * RV_NS_PER_SEC / ns) >> 20 : 0;
    rv_printf("MEMHOG bytes=%u ns=%llu mib_s=%llu\n", n, ns, mib_s);
    if (rv_cmdline_has("crash"))
        rv_crash();
    return 0;
}
