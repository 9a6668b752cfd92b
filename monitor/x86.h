/*
 * monitor/x86.h: the processor as the monitor sees it: control registers,
 * EFLAGS bits, port I/O and the small instructions C cannot express.
 * Everything here is a one-line wrapper; the SDM section is the manual.
 */
#ifndef MON_X86_H
#define MON_X86_H

#include <stdint.h>

/* EFLAGS (SDM Vol. 1 3.4.3) */
#define EFL_CF 0x00000001u
#define EFL_RSVD1 0x00000002u /* always 1 */
#define EFL_PF 0x00000004u
#define EFL_AF 0x00000010u
#define EFL_ZF 0x00000040u
#define EFL_SF 0x00000080u
#define EFL_TF 0x00000100u
#define EFL_IF 0x00000200u
#define EFL_DF 0x00000400u
#define EFL_OF 0x00000800u
#define EFL_IOPL 0x00003000u
#define EFL_NT 0x00004000u
#define EFL_RF 0x00010000u
#define EFL_VM 0x00020000u
#define EFL_AC 0x00040000u
#define EFL_VIF 0x00080000u
#define EFL_VIP 0x00100000u
#define EFL_ID 0x00200000u
/* The flags a guest may choose for itself; IF is virtual, IOPL stays 0. */
#define EFL_GUEST_MASK (EFL_CF | EFL_PF | EFL_AF | EFL_ZF | EFL_SF | EFL_TF | EFL_DF | EFL_OF | EFL_AC | EFL_ID)

/* CR0/CR4 (SDM Vol. 3A 2.5) */
#define CR0_PE 0x00000001u
#define CR0_MP 0x00000002u
#define CR0_EM 0x00000004u
#define CR0_TS 0x00000008u
#define CR0_ET 0x00000010u
#define CR0_NE 0x00000020u
#define CR0_WP 0x00010000u
#define CR0_AM 0x00040000u
#define CR0_NW 0x20000000u
#define CR0_CD 0x40000000u
#define CR0_PG 0x80000000u
#define CR4_VME 0x00000001u
#define CR4_PVI 0x00000002u
#define CR4_TSD 0x00000004u
#define CR4_DE 0x00000008u
#define CR4_PAE 0x00000020u
#define CR4_MCE 0x00000040u
#define CR4_PGE 0x00000080u
#define CR4_PCE 0x00000100u
#define CR4_OSFXSR 0x00000200u
#define CR4_OSXMMEXCPT 0x00000400u
#define CR4_UMIP 0x00000800u

/* Model-specific registers (SDM Vol. 4 2.1) */
#define MSR_APIC_BASE 0x0000001bu
#define MSR_SYSENTER_CS 0x00000174u
#define MSR_SYSENTER_ESP 0x00000175u
#define MSR_SYSENTER_EIP 0x00000176u
#define MSR_DEBUGCTL 0x000001d9u
#define MSR_PAT 0x00000277u
#define MSR_EFER 0xc0000080u
#define MSR_STAR 0xc0000081u
#define MSR_TSC_AUX 0xc0000103u

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t read_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
static inline uint32_t read_cr2(void) { uint32_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr3(void) { uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void write_cr3(uint32_t v) { __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
static inline uint32_t read_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
static inline void invlpg(uint32_t va) { __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory"); }
static inline void clts(void) { __asm__ volatile("clts"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

struct __attribute__((packed)) dtr {
    uint16_t limit;
    uint32_t base;
};
static inline void lgdt(const struct dtr *d) { __asm__ volatile("lgdt %0" ::"m"(*d)); }
static inline void lidt(const struct dtr *d) { __asm__ volatile("lidt %0" ::"m"(*d)); }
static inline void ltr(uint16_t sel) { __asm__ volatile("ltr %0" ::"r"(sel)); }
static inline void lldt(uint16_t sel) { __asm__ volatile("lldt %0" ::"r"(sel)); }
static inline uint16_t sldt(void) { uint16_t s; __asm__ volatile("sldt %0" : "=r"(s)); return s; }
static inline uint16_t str(void) { uint16_t s; __asm__ volatile("str %0" : "=r"(s)); return s; }
static inline uint32_t read_eflags(void) { uint32_t v; __asm__ volatile("pushfl; popl %0" : "=r"(v)); return v; }
static inline void write_eflags(uint32_t v) { __asm__ volatile("pushl %0; popfl" ::"r"(v) : "memory", "cc"); }

/* Debug registers (SDM Vol. 3B 17.2) */
#define DR_WRITE(n)                                                                  \
    static inline void write_dr##n(uint32_t v) { __asm__ volatile("mov %0, %%dr" #n ::"r"(v)); }
DR_WRITE(0)
DR_WRITE(1)
DR_WRITE(2)
DR_WRITE(3)
DR_WRITE(6)
DR_WRITE(7)
#undef DR_WRITE
static inline uint32_t read_dr7(void) { uint32_t v; __asm__ volatile("mov %%dr7, %0" : "=r"(v)); return v; }

/* MSR access: a known MSR (the CPU has it, CPUID says so). */
static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
/* entry.asm: 0, or -1 when the CPU refused (#GP): for MSRs CPUID cannot vouch for. */
int wrmsr_safe(uint32_t msr, uint64_t v);

#endif
