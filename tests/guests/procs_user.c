/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/procs_user.c: the ring-3 program both procs processes run,
 * at the same address, from the same (read-only, shared) pages.
 *
 * Everything it knows comes from its page at USER_DATA_VA, which is a
 * different frame in each process.  Each round it adds its step to the
 * counter there and checks the value it found is the one it left: had
 * the other process's writes to the same VA reached it, it would not be.
 * Then it yields.  At the end it reads an address in the kernel, which is
 * mapped supervisor-only in its space: that must page-fault, and the
 * kernel kills it.  Ring 3 only: no hypercalls, only int 0x80.
 */
#include <rvlib.h>
#include "procs.h"

static long sys(long nr, long a1, long a2)
{
    long ret;

    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a1), "c"(a2) : "memory");
    return ret;
}

static void say(const char *s)
{
    sys(SYS_WRITE, (long)s, (long)strlen(s));
}

void user_start(void)
{
    struct proc_page *me = (struct proc_page *)USER_DATA_VA;
    char line[128];

    for (uint32_t round = 1; round <= me->rounds; round++) {
        uint32_t was = me->counter;

        me->counter = was + me->step;
        rv_snprintf(line, sizeof(line), "round %u: counter at 0x%08x was %u, now %u%s", round,
                    (unsigned)&me->counter, was, me->counter,
                    was == (round - 1) * me->step ? "" : " -- NOT WHAT I LEFT THERE");
        say(line);
        sys(SYS_YIELD, 0, 0);
    }
    rv_snprintf(line, sizeof(line), "reading kernel memory at 0x%08x", me->kernel_va);
    say(line);
    rv_snprintf(line, sizeof(line), "read 0x%08x: the kernel is not protected!",
                *(volatile uint32_t *)me->kernel_va);
    say(line);
    sys(SYS_EXIT, 1, 0);
    for (;;) /* exit does not return */
        ;
}
