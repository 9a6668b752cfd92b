/*
 * monitor/trap.h: the register frame every entry to the monitor builds
 * (entry.asm) and the routines that act on it.
 */
#ifndef MON_TRAP_H
#define MON_TRAP_H

#include <stdint.h>

struct trap_frame {
    uint32_t gs, fs, es, ds;                          /* pushed by trap_common */
    uint32_t edi, esi, ebp, esp_dummy, ebx, edx, ecx, eax; /* PUSHAD */
    uint32_t vector, error;                           /* pushed by the stub */
    uint32_t eip, cs, eflags;                         /* pushed by the CPU */
    uint32_t esp, ss;                                 /* only from ring 1 or 3 */
};

/* From a guest: CS RPL != 0, or virtual-8086 mode, whose CS is a real-mode
 * paragraph and may have RPL 0 (SDM Vol. 3A 20.3.1: the frame then also
 * holds ES DS FS GS). */
#define TRAP_FROM_GUEST(f) (((f)->cs & 3) != 0 || ((f)->eflags & 0x00020000u) != 0)

/* Vectors (SDM Vol. 3A 6.3.1) */
enum {
    VEC_DE = 0, VEC_DB = 1, VEC_NMI = 2, VEC_BP = 3, VEC_OF = 4, VEC_BR = 5,
    VEC_UD = 6, VEC_NM = 7, VEC_DF = 8, VEC_TS = 10, VEC_NP = 11, VEC_SS = 12,
    VEC_GP = 13, VEC_PF = 14, VEC_MF = 16, VEC_AC = 17, VEC_MC = 18, VEC_XM = 19,
};
#define VEC_IRQ0 0x20 /* the PICs are remapped to 0x20-0x2f */
#define VEC_IRQ_END 0x30

void trap_dispatch(struct trap_frame *f);
void exit_path_bad_frame(struct trap_frame *f);
void trap_return(void);
void dump_frame(const struct trap_frame *f);
struct domain;
uint32_t iret_pop(struct domain *d, struct trap_frame *f, int with_eax); /* hc_cpu.c */
int vector_has_error_code(unsigned vector);
const char *vector_name(unsigned vector);

/* entry.asm */
extern const uint32_t stub_table[256];
struct context;
void swtch(struct context **save, struct context *load);
extern uint32_t fsgs_stale; /* FS/GS must be reloaded on the hypercall exit */
void hypercall_entry(void);
__attribute__((regparm(3))) int hypercall_entry_c(uint32_t nr, const uint32_t *a,
                                                   struct trap_frame *f);
int guest_copy_raw(void *dst, const void *src, uint32_t n);
void reload_segments(void);

#endif
