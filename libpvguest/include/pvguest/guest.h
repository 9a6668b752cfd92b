/* SPDX-License-Identifier: MIT */
/*
 * pvguest/guest.h: what every guest has: its start-of-day information,
 * the shared page, its command line, and the ways to stop.
 */
#ifndef PVGUEST_GUEST_H
#define PVGUEST_GUEST_H

#include <ringvisor.h>

/* The guest defines this; its return value is the exit code (poweroff). */
int guest_main(void);

/* Set by crt0 before guest_main runs (%esi at entry, and its shared_info). */
extern struct rv_start_info *rv_start_info;
extern struct rv_shared_info *rv_shared_info;

/*
 * The guest command line is words separated by spaces; "key=value" words
 * carry settings.  rv_cmdline_value returns a pointer to the value of the
 * first "key=..." word (ending at a space or NUL), or NULL.
 * rv_cmdline_int parses it as a decimal or 0x hex number, or gives dflt.
 * rv_cmdline_has is 1 when the bare word "key" or "key=..." is present.
 */
const char *rv_cmdline_value(const char *key);
long rv_cmdline_int(const char *key, long dflt);
int rv_cmdline_has(const char *key);

/* sched_op(RV_SCHED_SHUTDOWN, reason, code) after flushing the console. */
_Noreturn void rv_shutdown_reason(unsigned reason, int code);
_Noreturn void rv_shutdown(int code);   /* poweroff with an exit code */
_Noreturn void rv_reboot(void);         /* reboot, code 0 */
_Noreturn void rv_crash(void);          /* crash, code 0 */
void rv_yield(void);                    /* sched_op(RV_SCHED_YIELD) */

#endif
