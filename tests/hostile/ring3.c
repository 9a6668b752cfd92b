/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/ring3.c: every privileged and sensitive instruction from
 * ring 3, and MOV SS / POP SS followed by INT.
 *
 * core-priv (tests/conformance/core) kills a ring-1 domain for each
 * privileged instruction; here the same instructions run in the guest's
 * user mode, where the CPU itself refuses them with #GP(0) (CPL 3 > IOPL 0,
 * or CPL != 0: SDM Vol. 3A 5.9, Vol. 2 per instruction) and the monitor must
 * bounce that #GP to the guest kernel, not emulate, not kill, not panic.
 * SYSENTER faults #GP(0) (IA32_SYSENTER_CS is 0), SYSCALL #UD (EFER.SCE
 * clear), int 0x82 and int n on the hardware-interrupt vectors #GP with
 * the error code n * 8 + 2 (ABI.md "Exceptions and software interrupts").
 *
 * MOV SS and POP SS hold off interrupts and debug exceptions until after
 * the next instruction (SDM Vol. 3A 6.8.3).  When that instruction is INT
 * n, a pending single-step or debug trap is taken on the first instruction
 * of the handler, which for int 0x82 (and for a bounced #GP) is the
 * monitor's entry in ring 0 (the "POP SS" class, CVE-2018-8897).  The
 * cases run with TF set; the pass condition is that the monitor survives
 * and the domain sees only its own #DB and #GP.
 */
#include "../conformance/traps/trapkit.h"

#define GP 13

TK_SNIPPET(r3_cli, "", "cli");
TK_SNIPPET(r3_sti, "", "sti");
TK_SNIPPET(r3_hlt, "", "hlt");
TK_SNIPPET(r3_in, "", "inb $0x80, %al");
TK_SNIPPET(r3_out, "movw $0x3f8, %dx", "outb %al, %dx");
TK_SNIPPET(r3_insb, "movw $0x3f8, %dx; movl %esp, %edi; subl $16, %edi", "insb");
TK_SNIPPET(r3_outsb, "movw $0x3f8, %dx; movl %esp, %esi", "outsb");
TK_SNIPPET(r3_lgdt, "subl $8, %esp", "lgdt (%esp)");
TK_SNIPPET(r3_lidt, "subl $8, %esp", "lidt (%esp)");
TK_SNIPPET(r3_ltr, "movw $0x28, %ax", "ltr %ax");
TK_SNIPPET(r3_lldt, "xorl %eax, %eax", "lldt %ax");
TK_SNIPPET(r3_lmsw, "xorl %eax, %eax", "lmsw %ax");
TK_SNIPPET(r3_movcr0, "", "movl %cr0, %eax");
TK_SNIPPET(r3_movcr3, "xorl %eax, %eax", "movl %eax, %cr3");
TK_SNIPPET(r3_movcr4, "xorl %eax, %eax", "movl %eax, %cr4");
TK_SNIPPET(r3_movdr7, "xorl %eax, %eax", "movl %eax, %dr7");
TK_SNIPPET(r3_movfromdr6, "", "movl %dr6, %eax");
TK_SNIPPET(r3_rdmsr, "movl $0x174, %ecx", "rdmsr");
TK_SNIPPET(r3_wrmsr, "movl $0x176, %ecx; xorl %eax, %eax; xorl %edx, %edx", "wrmsr");
TK_SNIPPET(r3_wbinvd, "", "wbinvd");
TK_SNIPPET(r3_invd, "", "invd");
TK_SNIPPET(r3_invlpg, "", "invlpg (%esp)");
TK_SNIPPET(r3_clts, "", "clts");
TK_SNIPPET(r3_rdpmc, "xorl %ecx, %ecx", "rdpmc");
TK_SNIPPET(r3_sysexit, "", "sysexit");
TK_SNIPPET(r3_sysenter, "", "sysenter");
TK_SNIPPET(r3_syscall, "", ".byte 0x0f, 0x05");
TK_SNIPPET(r3_int82, "xorl %eax, %eax", "int $0x82");
TK_SNIPPET(r3_int20, "", "int $0x20");
TK_SNIPPET(r3_int2f, "", "int $0x2f");
TK_SNIPPET(r3_intf0, "", "int $0xf0");
TK_SNIPPET(r3_intff, "", "int $0xff");
TK_SNIPPET(r3_iopl, "pushfl; orl $0x3000, (%esp); popfl", "inb $0x80, %al"); /* POPF cannot raise IOPL */
TK_SNIPPET(r3_movss_int82, "movw %ss, %ax", "movw %ax, %ss; int $0x82");
TK_SNIPPET(r3_popss_int82, "pushl %ss", "popl %ss; int $0x82");

struct priv { const char *name; void (*fn)(void); const char *at; unsigned vector; uint32_t err; };

static const struct priv privs[] = {
    { "cli", r3_cli, r3_cli_at, GP, 0 },          { "sti", r3_sti, r3_sti_at, GP, 0 },
    { "hlt", r3_hlt, r3_hlt_at, GP, 0 },          { "in", r3_in, r3_in_at, GP, 0 },
    { "out", r3_out, r3_out_at, GP, 0 },          { "insb", r3_insb, r3_insb_at, GP, 0 },
    { "outsb", r3_outsb, r3_outsb_at, GP, 0 },    { "lgdt", r3_lgdt, r3_lgdt_at, GP, 0 },
    { "lidt", r3_lidt, r3_lidt_at, GP, 0 },       { "ltr", r3_ltr, r3_ltr_at, GP, 0 },
    { "lldt", r3_lldt, r3_lldt_at, GP, 0 },       { "lmsw", r3_lmsw, r3_lmsw_at, GP, 0 },
    { "mov from cr0", r3_movcr0, r3_movcr0_at, GP, 0 }, { "mov to cr3", r3_movcr3, r3_movcr3_at, GP, 0 },
    { "mov to cr4", r3_movcr4, r3_movcr4_at, GP, 0 }, { "mov to dr7", r3_movdr7, r3_movdr7_at, GP, 0 },
    { "mov from dr6", r3_movfromdr6, r3_movfromdr6_at, GP, 0 },
    { "rdmsr", r3_rdmsr, r3_rdmsr_at, GP, 0 },    { "wrmsr", r3_wrmsr, r3_wrmsr_at, GP, 0 },
    { "wbinvd", r3_wbinvd, r3_wbinvd_at, GP, 0 }, { "invd", r3_invd, r3_invd_at, GP, 0 },
    { "invlpg", r3_invlpg, r3_invlpg_at, GP, 0 }, { "clts", r3_clts, r3_clts_at, GP, 0 },
    { "rdpmc", r3_rdpmc, r3_rdpmc_at, GP, 0 },    { "sysexit", r3_sysexit, r3_sysexit_at, GP, 0 },
    { "sysenter", r3_sysenter, r3_sysenter_at, GP, 0 }, { "syscall", r3_syscall, r3_syscall_at, 6, 0 },
    { "int 0x82", r3_int82, r3_int82_at, GP, 0x82 * 8 + 2 }, { "int 0x20", r3_int20, r3_int20_at, GP, 0x20 * 8 + 2 },
    { "int 0x2f", r3_int2f, r3_int2f_at, GP, 0x2f * 8 + 2 }, { "int 0xf0", r3_intf0, r3_intf0_at, GP, 0xf0 * 8 + 2 },
    { "int 0xff", r3_intff, r3_intff_at, GP, 0xff * 8 + 2 },
    { "popf IOPL=3 then in", r3_iopl, 0, GP, 0 },
    { "mov ss; int 0x82", r3_movss_int82, 0, GP, 0x82 * 8 + 2 },
    { "pop ss; int 0x82", r3_popss_int82, 0, GP, 0x82 * 8 + 2 },
};

/* Ring 1, TF set: MOV SS / POP SS then INT n (the handler of #DB counts and goes on). */
static volatile uint32_t db_hits, db_ring0;
static void on_db(struct rv_trap_frame *f)
{
    db_hits++;
    if ((f->cs & 3) == 0)
        db_ring0++;  /* the monitor let its own #DB out: it must not */
}

static void tf_case(const char *name, int which)
{
    uint32_t before = db_hits;
    long r = -1;
    if (which == 0)
        __asm__ volatile("pushfl; orl $0x100, (%%esp); popfl\n\t"
                         "movw %%ss, %%cx; movw %%cx, %%ss; int $0x82\n\t"
                         "pushfl; andl $~0x100, (%%esp); popfl"
                         : "=a"(r) : "a"(RV_HC_version), "b"(0) : "ecx", "memory", "cc");
    else
        __asm__ volatile("pushfl; orl $0x100, (%%esp); popfl\n\t"
                         "pushl %%ss; popl %%ss; int $0x82\n\t"
                         "pushfl; andl $~0x100, (%%esp); popfl"
                         : "=a"(r) : "a"(RV_HC_version), "b"(0) : "memory", "cc");
    RVT_EXPECT_EQ(r, RV_ABI_VERSION, name);
    rvt_log("%s with TF: %u #DB in the guest", name, db_hits - before);
}

void test_main(void)
{
    struct tk_caught c;
    tk_init();
    for (unsigned i = 0; i < sizeof privs / sizeof privs[0]; i++) {
        const struct priv *p = &privs[i];
        tk_expect(p->vector, 0, 3, p->fn, &c, p->name);
        if (c.f.error_code != p->err || (c.f.cs & 3) != 3 || (p->at && c.f.eip != (uint32_t)p->at))
            rvt_failure("%s from ring 3: vector %u err 0x%x cs 0x%x eip 0x%x, expected err 0x%x at 0x%x",
                        p->name, p->vector, c.f.error_code, c.f.cs, c.f.eip, p->err, (uint32_t)p->at);
    }
    rvt_log("%u privileged or sensitive instructions from ring 3: each a #GP/#UD to the guest",
            (unsigned)(sizeof privs / sizeof privs[0]));
    RVT_REQUIRE_OK(rv_trap_set(1, on_db, 0), "#DB handler");
    tf_case("mov ss; int 0x82", 0);
    tf_case("pop ss; int 0x82", 1);
    if (db_ring0)
        rvt_failure("%u #DB frames from ring 0 reached the guest", db_ring0);
    rvt_success();
}
