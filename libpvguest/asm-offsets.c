/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/asm-offsets.c: the C constants and structure offsets the
 * assembly files need, turned into nasm %defines at build time.
 *
 * Never linked.  The build compiles it with -S and keeps the "%define"
 * lines the DEFINE()s leave in the assembler output, giving
 * $(BUILD)/libpvguest/asm-offsets.inc.  So crt0.asm and traps.asm take the
 * ABI numbers from pv-abi/ and the trap frame layout from pvguest/traps.h
 * instead of repeating them.
 */
#include <stddef.h>
#include <ringvisor.h>
#include "pvguest/setjmp.h"
#include "pvguest/traps.h"
#include "pvguest/events.h"

#define DEFINE(sym, val) __asm__ volatile("\n%%define " #sym " %c0" : : "i"(val))
#define OFFSET(sym, type, field) DEFINE(sym, offsetof(type, field))

void asm_offsets(void);
void asm_offsets(void)
{
    /* The ELF note (pv-abi/elfnote.h). */
    DEFINE(RV_ABI_VERSION, RV_ABI_VERSION);
    DEFINE(RV_ELFNOTE_GUEST_INFO, RV_ELFNOTE_GUEST_INFO);
    DEFINE(RV_ELFNOTE_DESC_SIZE, sizeof(struct rv_elfnote_guest_info));
    DEFINE(RV_FEAT_HYPERCALL_PAGE, RV_FEAT_HYPERCALL_PAGE);

    /* Selectors and the hypercall page (pv-abi/abi.h, hypercall.h). */
    DEFINE(RV_FLAT_RING1_DS, RV_FLAT_RING1_DS);
    DEFINE(RV_PAGE_SIZE, RV_PAGE_SIZE);
    DEFINE(RV_HYPERCALL_STUB_SIZE, RV_HYPERCALL_STUB_SIZE);
    DEFINE(RV_HC_IRET, RV_HC_iret);

    /* Start of day and the virtual CR2. */
    OFFSET(SI_SHARED_INFO, struct rv_start_info, shared_info);
    OFFSET(SH_CR2, struct rv_shared_info, vcpu_info[0].arch.cr2);

    /* struct rv_trap_frame (pvguest/traps.h). */
    OFFSET(TF_CR2, struct rv_trap_frame, cr2);
    OFFSET(TF_GS, struct rv_trap_frame, gs);
    OFFSET(TF_DS, struct rv_trap_frame, ds);
    OFFSET(TF_EDI, struct rv_trap_frame, edi);
    OFFSET(TF_EAX, struct rv_trap_frame, eax);
    OFFSET(TF_VECTOR, struct rv_trap_frame, vector);
    OFFSET(TF_ERROR_CODE, struct rv_trap_frame, error_code);
    OFFSET(TF_EIP, struct rv_trap_frame, eip);
    DEFINE(RV_EVTCHN_VECTOR, RV_EVTCHN_VECTOR); /* evtentry.asm */

    /* struct rv_jmp_state (pvguest/setjmp.h). */
    OFFSET(JB_EBX, struct rv_jmp_state, ebx);
    OFFSET(JB_ESI, struct rv_jmp_state, esi);
    OFFSET(JB_EDI, struct rv_jmp_state, edi);
    OFFSET(JB_EBP, struct rv_jmp_state, ebp);
    OFFSET(JB_ESP, struct rv_jmp_state, esp);
    OFFSET(JB_EIP, struct rv_jmp_state, eip);
}
