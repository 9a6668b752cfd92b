/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/domctl.h: the control plane (ABI 1.6).  A control domain (module
 * line option `control`) creates, inspects, pauses and destroys other
 * domains at run time with one hypercall:
 *
 *     domctl(cmd, dom, arg1, arg2)
 *
 * Every command from a domain that is not a control domain returns
 * -RV_EPERM and changes nothing.  A control domain never maps another
 * domain's memory and cannot reach the monitor's: it hands the monitor
 * images and reads back copies.  ABI.md "Control domains" is the text.
 */
#ifndef RV_DOMCTL_H
#define RV_DOMCTL_H

#include <stdint.h>

#define RV_DOMCTL_CREATE 0         /* arg1 = struct rv_domctl_create *; returns the new domid */
#define RV_DOMCTL_DESTROY 1        /* dom: ends it at once (not itself); returns 0 */
#define RV_DOMCTL_PAUSE 2          /* dom: it stops being scheduled (not itself); returns 0 */
#define RV_DOMCTL_UNPAUSE 3        /* dom: scheduled again; returns 0 */
#define RV_DOMCTL_GETINFO 4        /* dom, arg1 = struct rv_domctl_info *; returns 0 */
#define RV_DOMCTL_LIST 5           /* arg1 = struct rv_domctl_info array, arg2 = entries; returns how many domains exist */
#define RV_DOMCTL_SETSCHED 6       /* dom, arg1 = weight (1-65535), arg2 = cap (0-100 %); returns 0 */
#define RV_DOMCTL_CONSOLE_READ 7   /* dom, arg1 = struct rv_domctl_console *; returns bytes read */
#define RV_DOMCTL_CONSOLE_WRITE 8  /* dom, arg1 = struct rv_domctl_console *; returns bytes queued */
#define RV_DOMCTL_PHYSINFO 9       /* arg1 = struct rv_domctl_physinfo *; returns 0 */

#define RV_DOMCTL_OPTIONS_MAX 1024   /* longest option string CREATE takes (-E2BIG above) */
#define RV_DOMCTL_IMAGE_MAX (64u << 20) /* largest ELF image or initrd CREATE takes (-E2BIG above) */
#define RV_DOMCTL_REASON_MAX 96      /* a refusal's reason, NUL included, is at most this long */

/* CREATE.  Every pointer is a VA in the caller; the buffers stay the caller's. */
struct rv_domctl_create {
    uint32_t image;        /* the guest's ELF image */
    uint32_t image_len;    /* bytes, 1 .. RV_DOMCTL_IMAGE_MAX */
    uint32_t initrd;       /* its initrd (as initrd=next gives a boot module), 0 = none */
    uint32_t initrd_len;   /* bytes, 0 .. RV_DOMCTL_IMAGE_MAX */
    uint32_t options;      /* module-line words: "name=x mem=1M ... -- cmdline", 0 = none */
    uint32_t options_len;  /* bytes (no NUL needed), 0 .. RV_DOMCTL_OPTIONS_MAX */
    uint32_t reason;       /* where a refusal's one-line reason goes (NUL-terminated), 0 = nowhere */
    uint32_t reason_len;   /* that buffer's size; the reason is cut to fit */
};

/* A domain's state, as GETINFO and LIST report it. */
#define RV_DOMSTATE_RUNNABLE 0  /* running or waiting for the CPU */
#define RV_DOMSTATE_BLOCKED 1   /* sleeping until an event */
#define RV_DOMSTATE_PAUSED 2    /* paused by a control domain */
#define RV_DOMSTATE_DEAD 3      /* ended: exit_reason and exit_code say how */

#define RV_DOMINFO_CONTROL 1u   /* flags: it is a control domain */

#define RV_EXIT_KILLED (-1)     /* exit_reason: killed by the monitor for breaking a rule */
#define RV_EXIT_DESTROYED (-2)  /* exit_reason: destroyed by a control domain */

struct rv_domctl_info {
    uint32_t domid;        /* GETINFO: in; LIST: out */
    uint32_t state;        /* RV_DOMSTATE_* */
    uint32_t flags;        /* RV_DOMINFO_* */
    uint32_t nr_pages;     /* its memory, 4 KiB frames (0 once dead) */
    uint32_t weight;       /* CPU share */
    uint32_t cap;          /* % of the CPU at most, 0 = none */
    uint64_t cpu_ns;       /* CPU time used */
    uint32_t hypercalls;   /* hypercalls made */
    uint32_t traps;        /* exceptions delivered to it */
    int32_t exit_reason;   /* DEAD: RV_SHUTDOWN_* or RV_EXIT_*; else 0 */
    int32_t exit_code;     /* DEAD after a shutdown: its code */
    char name[24];         /* NUL-terminated */
};

/* CONSOLE_READ: the oldest unread bytes of its console output (a 16 KiB
 * history per domain); CONSOLE_WRITE: bytes for its console input. */
struct rv_domctl_console {
    uint32_t buf;          /* VA of the bytes */
    uint32_t len;          /* at most RV_CONSOLE_MAX */
    uint32_t lost;         /* READ, out: bytes overwritten unread since the last read */
    uint32_t pending;      /* READ, out: unread bytes left after this read */
};

struct rv_domctl_physinfo {
    uint32_t free_frames;  /* frames the allocator has free now */
    uint32_t scrubbing;    /* 1 while ended domains' frames are still being zeroed (free soon) */
    uint32_t nr_domains;   /* domains that exist (any state but reaped) */
    uint32_t max_domains;  /* at most this many at once */
};

#endif
