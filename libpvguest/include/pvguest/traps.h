/* SPDX-License-Identifier: MIT */
/*
 * pvguest/traps.h: exceptions, software interrupts and system calls.
 *
 * The guest registers a C function per vector; libpvguest owns the entry
 * stubs (traps.asm) that turn whatever the monitor or the CPU pushed into
 * one struct rv_trap_frame, and the exit path back through the iret
 * hypercall.
 */
#ifndef PVGUEST_TRAPS_H
#define PVGUEST_TRAPS_H

#include <stdint.h>
#include <ringvisor.h>
#include "setjmp.h"

/*
 * The frame a handler sees, lowest address first.  The monitor (bouncing
 * an exception) or the CPU (a real trap gate, see rv_syscall_set) pushed
 * eip .. ss exactly as for an interrupt into ring 1 (SDM Vol. 3A 6.12.1):
 * esp and ss only when the interrupted code ran in ring 3.  The entry stub
 * pushed the rest.  A handler may change any field; the exit path reloads
 * every register from the frame, so changing eip resumes elsewhere and
 * changing eax changes what the interrupted code sees in EAX.
 */
struct rv_trap_frame {
    uint32_t cr2;        /* vector 14 only: the faulting address, else 0 */
    uint32_t gs, fs, es, ds;                 /* zero-extended selectors */
    uint32_t edi, esi, ebp, esp_pushad;      /* PUSHAD order; esp_pushad is ignored */
    uint32_t ebx, edx, ecx, eax;
    uint32_t vector;     /* 0 .. 255 */
    uint32_t error_code; /* the CPU's error code, 0 for vectors without one */
    uint32_t eip, cs;
    uint32_t eflags;     /* IF = the virtual IF (1 = events enabled) */
    uint32_t esp, ss;    /* valid only when (cs & 3) == 3 */
};

/* The ring of the interrupted code. */
static inline unsigned rv_frame_ring(const struct rv_trap_frame *f)
{
    return f->cs & 3;
}

typedef void (*rv_trap_fn)(struct rv_trap_frame *f);

/*
 * Installs fn for vector (0 .. 255, not RV_HYPERCALL_VECTOR) in the C
 * table and in the monitor's virtual IDT (one set_trap_table entry with
 * cs = RV_FLAT_RING1_CS).  flags are RV_TI_*: the DPL (the least
 * privileged ring allowed to use int n) and RV_TI_MASK_EVENTS.  fn = NULL
 * removes the vector (address 0).  Returns the hypercall's result.
 */
long rv_trap_set(unsigned vector, rv_trap_fn fn, unsigned flags);

/* The handler and flags currently installed for vector (NULL if none). */
rv_trap_fn rv_trap_get(unsigned vector, unsigned *flags);

/*
 * A system call vector for ring 3: DPL 3 and no RV_TI_MASK_EVENTS, so
 * (for vectors 0x30 .. 0xff) the monitor installs a real IDT trap gate
 * and int vector from ring 3 enters fn without monitor work.  The frame
 * then holds SS, ESP, EFLAGS, CS, EIP from the CPU, error code 0.
 * Before ring 3 runs, the guest must give the ring-1 stack with
 * rv_stack_switch_to().  Returns the hypercall's result.
 */
long rv_syscall_set(unsigned vector, rv_trap_fn fn);

/* Installs rv_trap_default for vectors 0 .. 31 in one hypercall. */
long rv_trap_set_defaults(void);

/* Prints the vector, eip, error code, cr2 and registers, then crashes the domain. */
void rv_trap_default(struct rv_trap_frame *f);

/* Prints the frame on the console (one line per few registers). */
void rv_trap_dump(const struct rv_trap_frame *f);

/*
 * Entry points of the stubs (traps.asm), indexed by vector; a guest that
 * builds its own rv_trap_info table points at these.
 */
extern const uint32_t rv_trap_entry[256];

/*
 * Makes the return from frame f land in rv_longjmp(jb, val), in ring 1
 * with the flat ring-1 data segments, whatever ring f came from.  A
 * handler uses it to abandon the interrupted code (an expected fault, a
 * ring-3 task that exits).  EFLAGS, and so the virtual IF, stay as in f.
 */
void rv_trap_longjmp(struct rv_trap_frame *f, rv_jmp_buf jb, int val);

/* Whether the CPU pushes an error code for this exception vector. */
int rv_trap_has_error_code(unsigned vector);

#endif
