/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/hypercall.h: every hypercall, its number and its argument types.
 *
 * RV_HYPERCALLS is the one list: the monitor derives its dispatch table
 * from it, libpvguest its wrappers, and a test checks ABI.md against it.
 * Calling convention (int 0x82 or the hypercall page): EAX = number,
 * EBX, ECX, EDX, ESI, EDI = arguments 1-5, result in EAX; every other
 * register is preserved.  Pointers are linear addresses in the caller's
 * address space and must lie wholly below RV_HOLE_START.
 */
#ifndef RV_HYPERCALL_H
#define RV_HYPERCALL_H

#include <stdint.h>
#include "memory.h"
#include "event.h"
#include "virtio.h"
#include "domctl.h"

/*  X(number, name, number of arguments): 0-10 since 1.0, 11-14 since 1.1,
 *  15-17 since 1.2, 18 since 1.3 (ABI.md "Versions"). */
#define RV_HYPERCALLS(X)          \
    X(0, version, 2)              \
    X(1, console_io, 3)           \
    X(2, sched_op, 3)             \
    X(3, set_trap_table, 2)       \
    X(4, stack_switch, 2)         \
    X(5, update_descriptor, 3)    \
    X(6, set_gdt, 2)              \
    X(7, fpu_taskswitch, 1)       \
    X(8, iret, 0)                 \
    X(9, multicall, 2)            \
    X(10, vcpu_op, 2)             \
    X(11, mmu_update, 3)          \
    X(12, mmuext_op, 3)           \
    X(13, update_va_mapping, 4)   \
    X(14, memory_op, 2)           \
    X(15, event_channel_op, 2)    \
    X(16, set_callbacks, 2)       \
    X(17, set_timer_op, 2)        \
    X(18, virtio_op, 3)           \
    X(19, domctl, 4)

#define RV_HC_ENUM(nr, name, nargs) RV_HC_##name = nr,
enum rv_hypercall_nr { RV_HYPERCALLS(RV_HC_ENUM) RV_NR_HYPERCALLS };
#undef RV_HC_ENUM

/* version(cmd, arg) */
/* Every number below is "since 1.0" unless it says otherwise (ABI.md "Versions"). */
#define RV_VERSION_ABI 0      /* returns RV_ABI_VERSION */
#define RV_VERSION_FEATURES 1 /* returns the RV_FEAT_* bits the monitor supports */
#define RV_VERSION_EXTRA 2    /* arg = pointer to char[32]: copies a NUL-terminated build id */

/* console_io(cmd, count, buffer) */
#define RV_CONSOLE_WRITE 0    /* writes count bytes; returns count */
#define RV_CONSOLE_READ 1     /* reads up to count bytes, never blocks; returns count read */
#define RV_CONSOLE_MAX 4096   /* largest count one call takes (-E2BIG above) */

/* sched_op(cmd, arg1, arg2) */
#define RV_SCHED_YIELD 0      /* give up the CPU; returns 0 */
#define RV_SCHED_BLOCK 1      /* unmask events, sleep until one is pending; returns 0 */
#define RV_SCHED_SHUTDOWN 2   /* arg1 = RV_SHUTDOWN_*, arg2 = exit code; never returns */
#define RV_SCHED_POLL 3       /* arg1 = struct rv_sched_poll *: sleep until a listed port is pending (since 1.2) */

#define RV_SHUTDOWN_POWEROFF 0 /* a clean stop */
#define RV_SHUTDOWN_REBOOT 1   /* asks to be started again */
#define RV_SHUTDOWN_CRASH 2    /* the guest gave up */

/*
 * set_trap_table(table, count): the guest's virtual IDT.  Each entry
 * replaces the handler for one vector; address 0 removes it.  Exceptions
 * (0-31) and software interrupts the monitor cannot deliver directly are
 * "bounced": the monitor builds an exception frame on the guest's ring-1
 * stack, exactly as the CPU would for an interrupt into ring 1, and enters
 * cs:address.  A vector 0x30-0xef (not 0x82) with DPL 3 and no
 * RV_TI_MASK_EVENTS becomes a real IDT trap gate into ring 1 while the
 * domain runs: int n from ring 3 then costs no monitor work.  The CPU
 * builds that frame, so its EFLAGS.IF is the real IF (always 1): an iret
 * hypercall on it turns the virtual IF on.  0xf0-0xff are the monitor's
 * interrupts and are never direct (int n there is bounced).  Since 1.0
 * (direct gates: since 1.0; the 0xef limit: erratum 1, always so).
 */
#define RV_TI_DPL_MASK 3        /* lowest privilege (ring) that may use int n */
#define RV_TI_MASK_EVENTS 4     /* set the virtual IF to 0 on entry */
#define RV_TRAP_TABLE_MAX 256   /* entries one call takes */

struct rv_trap_info {
    uint8_t vector;   /* 0 .. 255 */
    uint8_t flags;    /* RV_TI_* */
    uint16_t cs;      /* a ring-1 code selector */
    uint32_t address; /* handler VA, 0 = no handler */
};

/* stack_switch(ss, esp): the ring-1 stack entered from ring 3. */

/*
 * update_descriptor(index, low, high): writes one guest GDT entry
 * (1 .. RV_GDT_GUEST_ENTRIES - 1) after validation.
 * set_gdt(table, count): replaces entries 0 .. count-1 (entry 0 must be
 * zero) and clears the rest of the guest's entries; all or nothing.
 */
struct rv_descriptor {
    uint32_t low;
    uint32_t high;
};

/* fpu_taskswitch(set): set = 1 sets CR0.TS, 0 clears it (CLTS). */

/*
 * iret(): returns from an exception or event frame.  Jump to the iret stub
 * of the hypercall page (it pushes EAX) or push EAX and int 0x82 with
 * EAX = RV_HC_iret.  At that moment the ring-1 stack holds:
 *   [esp+0] EAX to restore  [esp+4] EIP  [esp+8] CS  [esp+12] EFLAGS
 *   [esp+16] ESP  [esp+20] SS       (ESP and SS only when CS has RPL 3)
 * EFLAGS.IF becomes the virtual IF (the real IF stays 1); IOPL, VM, NT and
 * RF are ignored.  A frame the CPU built for a direct gate has IF = 1, so
 * returning from it through this hypercall turns events on.  Since 1.0.
 */

/* multicall(calls, count): runs each entry in order (not iret or multicall). */
#define RV_MULTICALL_MAX 64
struct rv_multicall_entry {
    uint32_t op;       /* hypercall number */
    int32_t result;    /* written back by the monitor */
    uint32_t args[5];  /* arguments 1 - 5 */
};

/* vcpu_op(cmd, arg) */
#define RV_VCPUOP_GET_STATS 0 /* arg = struct rv_vcpu_stats *: counters of this domain */
#define RV_VCPUOP_SET_RETURN_WINDOW 1 /* arg = struct rv_return_window * (since 1.4) */
struct rv_vcpu_stats {
    uint32_t hypercalls;        /* hypercalls made */
    uint32_t traps_bounced;     /* exceptions delivered to the guest */
    uint32_t emulated;          /* privileged instructions emulated */
    uint32_t schedules;         /* times this vCPU was switched in */
};

/*
 * The return window (since 1.4): ring-1 code that turns the virtual IF on and
 * then returns with a native IRET, which cannot be atomic with the unmask.
 * While the guest's ring-1 EIP is in [start, native) its stack holds the
 * iret hypercall's frame (EAX first); in [native, end) an IRET frame (EIP
 * first).  An event the monitor delivers there is delivered as if that
 * return had completed: the monitor pops the frame first, exactly as the
 * iret hypercall does, so the callback sees the code being returned to
 * (ring 3, typically) and not the window.  All zero removes the window.
 */
struct rv_return_window {
    uint32_t start;             /* first address of the window */
    uint32_t native;            /* first address with an IRET frame at ESP */
    uint32_t end;               /* one past the last address */
};
#endif
