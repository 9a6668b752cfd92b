/*
 * monitor/asm_offsets.c: the structure offsets and constants entry.asm
 * needs, taken from the C definitions so the two cannot disagree.  This
 * file is never linked: the build compiles it to assembly (-S) and turns
 * each "#ASMOFF NAME VALUE" line into "NAME equ VALUE" in
 * build/monitor/asm_offsets.inc (monitor/build.mk).
 */
#include <stddef.h>
#include "abi.h"
#include "domain.h"

#define ASMOFF(sym, val) __asm__ volatile("\n#ASMOFF " #sym " %c0" ::"i"(val))

void asm_offsets(void)
{
    ASMOFF(DOM_SHARED, offsetof(struct domain, shared));
    ASMOFF(DOM_HYPERCALLS, offsetof(struct domain, stats.hypercalls));
    ASMOFF(DOM_HC_COUNT, offsetof(struct domain, hc_count));
    ASMOFF(VI_PENDING, offsetof(struct rv_shared_info, vcpu_info[0].evtchn_upcall_pending));
    ASMOFF(VI_MASK, offsetof(struct rv_shared_info, vcpu_info[0].evtchn_upcall_mask));
    ASMOFF(HC_VERSION, RV_HC_version);
    ASMOFF(HC_NR, RV_NR_HYPERCALLS);
    ASMOFF(VERSION_ABI, RV_VERSION_ABI);
    ASMOFF(ABI_VERSION, RV_ABI_VERSION);
}
