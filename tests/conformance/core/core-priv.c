/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-priv.c: a privileged instruction other than
 * CLI, STI and HLT kills the domain, and the monitor's kill line names it
 * (ABI.md "Sensitive instructions": "kills the domain for every other one,
 * naming it").
 *
 * One image, one instruction per boot entry: the command line says which
 * (insn=NAME); the manifest expects `killed:privileged instruction <name>
 * at` with the monitor's name for it.  Each would fault in ring 1 with
 * #GP(0) (SDM Vol. 3A 5.9; IOPL 0 for the I/O ones, Vol. 1 18.2), and the
 * operands are harmless ones in case a broken monitor ran it anyway.
 * Surviving the instruction is a failure.
 */
#include "core.h"

static uint8_t scratch[16] __attribute__((aligned(16)));

static void do_in(void) { __asm__ volatile("inb $0x80, %%al" ::: "eax"); }
static void do_in_dx(void) { __asm__ volatile("inl %%dx, %%eax" : : "d"(0x80) : "eax"); }
static void do_out(void) { __asm__ volatile("outb %%al, $0x80" : : "a"(0)); }
static void do_insb(void) { __asm__ volatile("insb" : : "d"(0x80), "D"(scratch) : "memory"); }
static void do_outsb(void) { __asm__ volatile("outsb" : : "d"(0x80), "S"(scratch)); }
static void do_lgdt(void)
{
    __asm__ volatile("sgdt %0\n\tlgdt %0" : "+m"(scratch) : : "memory");
}
static void do_lidt(void)
{
    __asm__ volatile("sidt %0\n\tlidt %0" : "+m"(scratch) : : "memory");
}
static void do_ltr(void) { __asm__ volatile("ltr %w0" : : "r"(0x810)); }
static void do_lldt(void) { __asm__ volatile("lldt %w0" : : "r"(0)); }
static void do_lmsw(void) { __asm__ volatile("lmsw %w0" : : "r"(0x33)); }
static void do_mov_to_cr3(void)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t l3 = (si->first_mfn + ((si->pt_base - si->virt_base) >> 12)) << 12;

    __asm__ volatile("movl %0, %%cr3" : : "r"(l3) : "memory");
}
static void do_mov_from_cr0(void) { __asm__ volatile("movl %%cr0, %%eax" ::: "eax"); }
static void do_mov_to_cr4(void) { __asm__ volatile("movl %0, %%cr4" : : "r"(0x20)); }
static void do_mov_to_dr7(void) { __asm__ volatile("movl %0, %%dr7" : : "r"(0x400)); }
static void do_mov_from_dr7(void) { __asm__ volatile("movl %%dr7, %%eax" ::: "eax"); }
static void do_rdmsr_sysenter(void) { __asm__ volatile("rdmsr" : : "c"(0x174) : "eax", "edx"); }
static void do_sysexit(void) { __asm__ volatile("sysexit" ::: "memory"); }
static void do_clts(void) { __asm__ volatile("clts"); }
static void do_wbinvd(void) { __asm__ volatile("wbinvd" ::: "memory"); }
static void do_invd(void) { __asm__ volatile("invd" ::: "memory"); }
static void do_rdmsr(void) { __asm__ volatile("rdmsr" : : "c"(0x10) : "eax", "edx"); }
static void do_wrmsr(void) { __asm__ volatile("wrmsr" : : "c"(0x8b), "a"(0), "d"(0)); }
static void do_rdpmc(void) { __asm__ volatile("rdpmc" : : "c"(0) : "eax", "edx"); }
static void do_invlpg(void) { __asm__ volatile("invlpg %0" : : "m"(scratch) : "memory"); }

static const struct {
    const char *name;
    void (*run)(void);
} insns[] = {
    { "in", do_in },         { "in-dx", do_in_dx },     { "out", do_out },
    { "insb", do_insb },     { "outsb", do_outsb },     { "lgdt", do_lgdt },
    { "lidt", do_lidt },     { "ltr", do_ltr },         { "lldt", do_lldt },
    { "lmsw", do_lmsw },     { "mov-to-cr3", do_mov_to_cr3 },
    { "mov-from-cr0", do_mov_from_cr0 },                { "mov-to-cr4", do_mov_to_cr4 },
    { "mov-to-dr7", do_mov_to_dr7 },                    { "clts", do_clts },
    { "mov-from-dr7", do_mov_from_dr7 },                { "rdmsr-sysenter", do_rdmsr_sysenter },
    { "sysexit", do_sysexit },
    { "wbinvd", do_wbinvd }, { "invd", do_invd },       { "rdmsr", do_rdmsr },
    { "wrmsr", do_wrmsr },   { "rdpmc", do_rdpmc },     { "invlpg", do_invlpg },
};

/* The insn= value is the word after "insn=", up to a space. */
static int is(const char *value, const char *name)
{
    size_t n = strlen(name);

    return strncmp(value, name, n) == 0 && (value[n] == 0 || value[n] == ' ');
}

void test_main(void)
{
    const char *want = rv_cmdline_value("insn");

    if (!want)
        rvt_error("needs insn=NAME on the command line");
    for (unsigned i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
        if (!is(want, insns[i].name))
            continue;
        rvt_log("executing %s in ring 1; the monitor must kill this domain", insns[i].name);
        rv_console_flush();
        insns[i].run();
        rvt_failure("%s ran in ring 1 and the domain lives on", insns[i].name);
    }
    rvt_error("unknown insn= value");
}
