/* SPDX-License-Identifier: MIT */
/*
 * cpu-fastcall: the fast system-call instructions and the other ways into
 * ring 0 that do not go through a gate all fault, in ring 1 and in ring 3,
 * and the fault reaches this guest's own handler (ABI.md "CPU state at
 * guest entry").
 *
 *   SYSENTER  IA32_SYSENTER_CS = 0, so #GP(0) (SDM Vol. 2B SYSENTER); #UD
 *             on a CPU without it (CPUID.1:EDX.SEP = 0).  Had the firmware
 *             left a selector there, SYSENTER would enter ring 0 at
 *             whatever IA32_SYSENTER_EIP held.
 *   SYSCALL   EFER.SCE = 0 (or a CPU outside 64-bit mode): #UD (SDM Vol.
 *             2B SYSCALL).
 *   SYSRET    the same: #UD.
 *   SYSEXIT   CPL != 0: #GP(0); from ring 1 the monitor kills the domain
 *             instead (a privileged instruction: core-priv-sysexit).
 * From ring 3 also: MOV from DR7, RDMSR, RDPMC (CR4.PCE = 0) and the
 * privileged instructions give #GP(0) to the guest kernel (their ring-1
 * forms kill the domain: core-priv-*); RDTSC works (CR4.TSD = 0: guests
 * read the TSC for time).
 */
#include "../seg/segutil.h"

static int cpu_has_sep(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    return (d >> 11) & 1;
}

/* Ring 1: each runs one instruction; the instruction must fault. */
static void r1_sysenter(void *p) { (void)p; __asm__ volatile("sysenter" ::: "memory"); }
static void r1_syscall(void *p) { (void)p; __asm__ volatile("syscall" ::: "memory"); }
static void r1_sysret(void *p) { (void)p; __asm__ volatile("sysret" ::: "memory"); }

/* Ring 3 snippets: the instruction, then (had it not faulted) a system call. */
__asm__(".text\n"
        "r3_sysenter: sysenter\n int $0x80\n"
        "r3_syscall:  syscall\n int $0x80\n"
        "r3_sysret:   sysret\n int $0x80\n"
        "r3_sysexit:  sysexit\n int $0x80\n"
        "r3_dr7:      movl %dr7, %eax\n int $0x80\n"
        "r3_rdmsr:    movl $0x174, %ecx\n rdmsr\n int $0x80\n"
        "r3_rdpmc:    xorl %ecx, %ecx\n rdpmc\n int $0x80\n"
        "r3_cli:      cli\n int $0x80\n"
        "r3_hlt:      hlt\n int $0x80\n"
        "r3_rdtsc:    rdtsc\n int $0x80\n");
void r3_sysenter(void), r3_syscall(void), r3_sysret(void), r3_sysexit(void), r3_dr7(void);
void r3_rdmsr(void), r3_rdpmc(void), r3_cli(void), r3_hlt(void), r3_rdtsc(void);

static void expect1(void (*fn)(void *), int vector, const char *what)
{
    struct rv_trap_frame f;
    int v = seg_catch(fn, 0, &f);
    if (v != vector)
        rvt_failure("%s in ring 1: vector %d, expected %d", what, v, vector);
    RVT_EXPECT_EQ(f.cs, RV_FLAT_RING1_CS, "the fault came from our ring-1 code");
    if (vector == 13)
        RVT_EXPECT_EQ(f.error_code, 0, "#GP(0)");
}

static void expect3(void (*code)(void), int vector, const char *what)
{
    struct seg_ring3 r = {
        .eip = (uint32_t)(uintptr_t)code, .cs = RV_FLAT_RING3_CS, .esp = SEG_USER_STACK_TOP,
        .ss = RV_FLAT_RING3_DS, .ds = RV_FLAT_RING3_DS, .es = RV_FLAT_RING3_DS,
    };
    struct rv_trap_frame f;
    int v = seg_run_ring3(&r, &f);
    if (v != vector)
        rvt_failure("%s in ring 3: vector %d, expected %d", what, v, vector);
    RVT_EXPECT_EQ(f.cs, RV_FLAT_RING3_CS, "the fault came from ring 3");
    if (vector != SEG_SYSCALL)
        RVT_EXPECT_EQ(f.eip, (uint32_t)(uintptr_t)code + (code == r3_rdmsr ? 5 : code == r3_rdpmc ? 2 : 0),
                      "the frame's EIP is the faulting instruction");
    if (vector == 13)
        RVT_EXPECT_EQ(f.error_code, 0, "#GP(0)");
}

void test_main(void)
{
    int sysenter_vec = cpu_has_sep() ? 13 : 6;
    rvt_log("SYSENTER %s on this CPU: expecting %s", cpu_has_sep() ? "present" : "absent",
            sysenter_vec == 13 ? "#GP(0)" : "#UD");
    expect1(r1_sysenter, sysenter_vec, "SYSENTER");
    expect1(r1_syscall, 6, "SYSCALL");
    expect1(r1_sysret, 6, "SYSRET");
    expect3(r3_sysenter, sysenter_vec, "SYSENTER");
    expect3(r3_syscall, 6, "SYSCALL");
    expect3(r3_sysret, 6, "SYSRET");
    expect3(r3_sysexit, cpu_has_sep() ? 13 : 6, "SYSEXIT");
    expect3(r3_dr7, 13, "MOV from DR7");
    expect3(r3_rdmsr, 13, "RDMSR of IA32_SYSENTER_CS");
    expect3(r3_rdpmc, 13, "RDPMC");
    expect3(r3_cli, 13, "CLI");
    expect3(r3_hlt, 13, "HLT");
    expect3(r3_rdtsc, SEG_SYSCALL, "RDTSC (allowed)");
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
