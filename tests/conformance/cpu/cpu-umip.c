/* SPDX-License-Identifier: MIT */
/*
 * cpu-umip: where the CPU has user-mode instruction prevention
 * (CPUID.7.0:ECX.UMIP), the monitor turns it on (CR4.UMIP, SDM Vol. 3A
 * 2.5), so SGDT, SIDT, SLDT, STR and SMSW raise #GP(0) outside ring 0
 * instead of showing a guest where the monitor keeps its tables, and the
 * fault reaches this guest's own handler, from ring 1 and from ring 3
 * (ABI.md "CPU state at guest entry").  Skips on a CPU without UMIP; the
 * manifest boots it on QEMU with -cpu qemu32,+umip so it always runs.
 */
#include "../seg/segutil.h"

uint8_t buf[8]; /* written by SGDT/SIDT only if they do not fault */

static int cpu_has_umip(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
    if (a < 7)
        return 0;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    return (c >> 2) & 1;
}

static void r1_sgdt(void *p) { (void)p; __asm__ volatile("sgdt buf" ::: "memory"); }
static void r1_sidt(void *p) { (void)p; __asm__ volatile("sidt buf" ::: "memory"); }
static void r1_sldt(void *p) { (void)p; __asm__ volatile("sldt %%ax" ::: "eax"); }
static void r1_str(void *p) { (void)p; __asm__ volatile("str %%ax" ::: "eax"); }
static void r1_smsw(void *p) { (void)p; __asm__ volatile("smsw %%eax" ::: "eax"); }

__asm__(".text\n"
        "r3_sgdt: sgdt buf\n int $0x80\n"
        "r3_sidt: sidt buf\n int $0x80\n"
        "r3_sldt: sldt %ax\n int $0x80\n"
        "r3_str:  str %ax\n int $0x80\n"
        "r3_smsw: smsw %eax\n int $0x80\n");
void r3_sgdt(void), r3_sidt(void), r3_sldt(void), r3_str(void), r3_smsw(void);

static const struct {
    const char *name;
    void (*ring1)(void *);
    void (*ring3)(void);
} insns[] = {
    { "SGDT", r1_sgdt, r3_sgdt }, { "SIDT", r1_sidt, r3_sidt }, { "SLDT", r1_sldt, r3_sldt },
    { "STR", r1_str, r3_str },    { "SMSW", r1_smsw, r3_smsw },
};

void test_main(void)
{
    if (!cpu_has_umip())
        rvt_skip("this CPU has no UMIP (CPUID.7.0:ECX bit 2)");
    for (unsigned i = 0; i < sizeof insns / sizeof insns[0]; i++) {
        struct rv_trap_frame f;
        int v = seg_catch(insns[i].ring1, 0, &f);
        if (v != 13 || f.error_code != 0)
            rvt_failure("%s in ring 1: vector %d error 0x%x, expected #GP(0)", insns[i].name, v,
                        f.error_code);
        struct seg_ring3 r = {
            .eip = (uint32_t)(uintptr_t)insns[i].ring3, .cs = RV_FLAT_RING3_CS,
            .esp = SEG_USER_STACK_TOP, .ss = RV_FLAT_RING3_DS, .ds = RV_FLAT_RING3_DS,
            .es = RV_FLAT_RING3_DS,
        };
        v = seg_run_ring3(&r, &f);
        if (v != 13 || f.error_code != 0 || f.eip != r.eip)
            rvt_failure("%s in ring 3: vector %d error 0x%x at 0x%x, expected #GP(0) at 0x%x",
                        insns[i].name, v, f.error_code, f.eip, r.eip);
    }
    rvt_log("SGDT, SIDT, SLDT, STR, SMSW fault in ring 1 and ring 3");
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
