/* SPDX-License-Identifier: MIT */
/*
 * pvguest/rvctl.h: rvctl, the control plane's command language (in the
 * style of Xen's xl), as a library.  The same file (libpvguest/rvctl.c)
 * serves a libpvguest control guest and a Linux rvctl: the caller gives
 * it a way to make domctl calls, to print, to find an image by name and
 * to wait for RV_VIRQ_DOM_STATE.  Built freestanding against rvlib.h, or
 * hosted with -DRVCTL_HOSTED (libc's string.h).
 *
 *   rvctl list                          every domain: id, name, state, memory, CPU, counts
 *   rvctl info DOM                      one domain, the same columns
 *   rvctl create IMAGE [OPTION]... [-- CMDLINE]   options as on the module line
 *   rvctl destroy|pause|unpause DOM
 *   rvctl sched DOM [weight=W] [cap=C]
 *   rvctl console DOM                   what it wrote that nobody read yet (and the loss)
 *   rvctl send DOM WORD...              the words and a newline to its console input
 *   rvctl wait DOM                      until it ends; prints and returns its exit code
 *                                       (0x101 killed, 0x102 destroyed) and removes it
 *   rvctl mem                           free frames, frames still being scrubbed
 *   rvctl top [ROUNDS]                  every second: CPU %, memory, hypercalls/s per domain
 *                                       (ROUNDS tables, default 1)
 * DOM is a domain id or a name.  Errors print one line "rvctl: ..." and
 * return a negative RV_E*.
 */
#ifndef PVGUEST_RVCTL_H
#define PVGUEST_RVCTL_H

#include <stdint.h>
#include "domctl.h"

struct rvctl_ops {
    /* domctl(cmd, dom, arg1, arg2): the hypercall, or the Linux driver's ioctl */
    long (*domctl)(void *ctx, unsigned cmd, unsigned dom, unsigned long arg1, unsigned long arg2);
    int (*print)(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
    /* create: the bytes of the image called name; 0, or -1 if there is none */
    int (*image)(void *ctx, const char *name, const void **data, uint32_t *len);
    /* wait: sleep until a domain changes state (or a while passes) */
    void (*wait)(void *ctx);
    /* top: the time (ns, any origin) and a sleep */
    uint64_t (*now_ns)(void *ctx);
    void (*sleep_ms)(void *ctx, uint32_t ms);
    void *ctx;
};

/* Runs one command (argv[0] is the command, not "rvctl").  Returns >= 0
 * (create: the new domid; wait: the exit code) or a negative RV_E*. */
long rvctl_run(const struct rvctl_ops *ops, int argc, char **argv);
/* Splits line in place at blanks; returns the number of words (at most max). */
int rvctl_split(char *line, char **argv, int max);
/* "-EPERM" ... for messages. */
const char *rvctl_errname(long rc);
/* The state's name: "runnable", "blocked", "paused", "dead". */
const char *rvctl_state_name(uint32_t state);

#endif
