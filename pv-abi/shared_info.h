/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/shared_info.h: the page the monitor and a guest both write.
 *
 * The virtual IF lives here.  vcpu_info[0].evtchn_upcall_mask = 1 means
 * "interrupts off": the guest sets and clears it with plain byte writes,
 * never CLI/STI (which trap) and never POPF (which, in ring 1 with IOPL 0,
 * silently leaves EFLAGS.IF alone: SDM Vol. 2B, POPF).  The monitor reports
 * the virtual IF in the EFLAGS.IF bit of every frame it builds and reads it
 * back from the frame given to the iret hypercall.
 */
#ifndef RV_SHARED_INFO_H
#define RV_SHARED_INFO_H

#include <stdint.h>

#define RV_MAX_VCPUS 1
#define RV_NR_EVTCHN 1024 /* event-channel ports per domain */

struct rv_arch_vcpu_info {
    uint32_t cr2;       /* faulting linear address of the last #PF bounced to us */
    uint32_t pad;
};

/*
 * pvclock-style time (meaningful since 1.2; the layout is 1.0's):
 *   d  = tsc - tsc_timestamp               (64 bits)
 *   d  = tsc_shift >= 0 ? d << tsc_shift : d >> -tsc_shift
 *   ns = system_time + (d * tsc_to_system_mul) >> 32   (a 96-bit product:
 *        ABI.md "Events and time" splits it so nothing overflows)
 * tsc_to_system_mul is a 32-bit binary fraction (ns per shifted tick
 * times 2^32, below 1.0); tsc_shift is signed and is negative on a CPU
 * whose TSC runs above 2 GHz (-1 is common).
 */
struct rv_vcpu_time_info {
    uint32_t version;   /* odd while the monitor updates the fields */
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* TSC when system_time was sampled */
    uint64_t system_time;       /* ns since the monitor booted */
    uint32_t tsc_to_system_mul; /* ns per shifted tick, a 0.32 fixed-point fraction */
    int8_t tsc_shift;           /* signed: < 0 shifts right */
    int8_t pad1[3];
};

struct rv_vcpu_info {
    uint8_t evtchn_upcall_pending; /* an unmasked event is pending */
    uint8_t evtchn_upcall_mask;    /* the virtual IF: 1 = events masked */
    uint8_t pad[2];
    uint32_t evtchn_pending_sel;   /* which words of evtchn_pending to scan */
    struct rv_arch_vcpu_info arch;
    struct rv_vcpu_time_info time;
};

struct rv_shared_info {
    struct rv_vcpu_info vcpu_info[RV_MAX_VCPUS];
    uint32_t evtchn_pending[RV_NR_EVTCHN / 32];
    uint32_t evtchn_mask[RV_NR_EVTCHN / 32];
    uint32_t wc_version;   /* wall clock at boot, odd while updated */
    uint32_t wc_sec;       /* seconds since 1970 */
    uint32_t wc_nsec;
};

#endif
