/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hello.c: the smallest useful guest.  It shows that it runs
 * in ring 1 (the low two bits of CS are the CPL: SDM Vol. 3A 5.5), what
 * the monitor told it at start of day, and, yielding between lines, that
 * two instances share the CPU.  Exits 0.
 */
#include <pvguest.h>

#define LINES 5

int guest_main(void)
{
    const struct rv_start_info *si = rv_start_info;
    unsigned cs = rv_read_cs();

    rv_printf("hello from ring %u: CS = 0x%04x, CS & 3 = %u\n", cs & 3, cs, cs & 3);
    rv_printf("domid %u, %u KiB (%u pages at mfn 0x%x), mapped at 0x%08x\n",
              si->domid, si->nr_pages * 4, si->nr_pages, si->first_mfn, si->virt_base);
    rv_printf("command line: \"%s\"\n", si->cmdline);

    for (int i = 1; i <= LINES; i++) {
        rv_printf("d%u says hello %d/%d\n", si->domid, i, LINES);
        rv_yield();
    }
    rv_printf("d%u done\n", si->domid);
    return 0;
}
