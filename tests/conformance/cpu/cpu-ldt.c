/* SPDX-License-Identifier: MIT */
/*
 * cpu-ldt: no guest can use a local descriptor table (ABI.md "CPU state at
 * guest entry": LDTR is null).  A selector with TI = 1 names an LDT entry
 * (SDM Vol. 3A 3.4.2); with a null LDTR every load of one raises
 * #GP(selector) (SDM Vol. 2A MOV, "IF segment selector index is outside
 * descriptor table limits"), far JMP/CALL/RET through one too, and LAR,
 * LSL, VERR and VERW report it unusable.  A monitor that left the LDTR the
 * boot loader had (base 0, limit 0xffff) let a guest that maps linear
 * page 0 write descriptors there and use them: a 4 GiB DPL-1 data segment
 * over the hole, or a call gate into the monitor's code segment, i.e.
 * guest code in ring 0.
 *
 * Four parts, each from ring 1 and, where it applies, ring 3:
 *   1. loads of TI = 1 selectors into DS, ES, FS, GS and SS: #GP(sel);
 *   2. far JMP, far CALL and far RET to TI = 1 code selectors: #GP(sel);
 *   3. LAR/LSL/VERR/VERW of TI = 1 selectors: not usable;
 *   4. the same with page 0 mapped and holding descriptors an attacker
 *      would write (data over the hole, a call gate to the monitor's CS):
 *      they are never used: nothing faults differently, the CPU never sets
 *      their accessed bits, and the gate's ring-0 target never runs;
 *   and the hypercalls that take selectors (set_trap_table, stack_switch,
 *   set_callbacks) refuse TI = 1 ones.
 * Runs beside a witness; passes on any CPU (the LDT does not depend on
 * segment limits).
 */
#include "../seg/segutil.h"
#include "../mm/mmtest.h"

#define MON_CS 0x0800 /* the monitor's code selector (GDT entry 256, DPL 0) */

/* TI = 1 selectors, each with RPL 1 and 3: entry 0, 1, 2, 3, 7 and the last. */
static const uint16_t ldt_index[] = { 0, 1, 2, 3, 7, 8191 };

static uint16_t ldt_sel(unsigned index, unsigned rpl)
{
    return (uint16_t)(index << 3 | 4 | rpl);
}

/* ---- ring 1 ------------------------------------------------------------------ */

struct load {
    uint16_t sel;
    char reg; /* d, e, f, g, s */
};

static void load_seg(void *p)
{
    const struct load *l = p;
    switch (l->reg) {
    case 'd': __asm__ volatile("movw %w0, %%ds\n\tpushl %%ss\n\tpopl %%ds" : : "r"(l->sel) : "memory"); break;
    case 'e': __asm__ volatile("movw %w0, %%es\n\tpushl %%ds\n\tpopl %%es" : : "r"(l->sel) : "memory"); break;
    case 'f': __asm__ volatile("movw %w0, %%fs" : : "r"(l->sel) : "memory"); break;
    case 'g': __asm__ volatile("movw %w0, %%gs" : : "r"(l->sel) : "memory"); break;
    case 's': __asm__ volatile("movw %%ss, %%cx\n\tmovw %w0, %%ss\n\tmovw %%cx, %%ss" : : "r"(l->sel) : "ecx", "memory"); break;
    }
}

static volatile struct __attribute__((packed)) {
    uint32_t off;
    uint16_t sel;
} far_ptr;

static void far_jump(void *p)
{
    (void)p;
    __asm__ volatile("ljmp *far_ptr" : : : "memory");
}

static void far_call(void *p)
{
    (void)p;
    __asm__ volatile("lcall *far_ptr" : : : "memory");
}

/* LRET to (far_ptr.sel, here): a return to the same or an outer ring checks CS like a load. */
static void far_ret(void *p)
{
    (void)p;
    __asm__ volatile("pushl %%ss\n\t"
                     "pushl %%esp\n\t"
                     "addl $4, (%%esp)\n\t"
                     "movzwl far_ptr+4, %%eax\n\t"
                     "pushl %%eax\n\t"
                     "pushl $1f\n\t"
                     "lret\n"
                     "1:\n\t"
                     "addl $8, %%esp"
                     : : : "eax", "memory");
}

static void expect_gp(void (*fn)(void *), void *arg, uint16_t sel, const char *what)
{
    struct rv_trap_frame f;
    int v = seg_catch(fn, arg, &f);
    if (v != 13)
        rvt_failure("%s of LDT selector 0x%x in ring 1: vector %d, expected #GP", what, sel, v);
    RVT_EXPECT_EQ(f.error_code, sel & 0xfffc, "#GP error code names the selector");
    RVT_EXPECT_EQ(f.cs, RV_FLAT_RING1_CS, "the fault came from our ring-1 code");
}

static unsigned ring1_part(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < sizeof ldt_index / sizeof ldt_index[0]; i++)
        for (unsigned rpl = 1; rpl <= 3; rpl += 2) {
            uint16_t sel = ldt_sel(ldt_index[i], rpl);
            for (const char *r = "defgs"; *r; r++) {
                struct load l = { sel, *r };
                if (*r == 's' && rpl != 1)
                    continue; /* SS needs RPL = CPL: that #GP would not be about the LDT */
                expect_gp(load_seg, &l, sel, "a load");
                n++;
            }
            far_ptr.off = 0;
            far_ptr.sel = sel;
            expect_gp(far_jump, 0, sel, "far jmp");
            expect_gp(far_call, 0, sel, "far call");
            expect_gp(far_ret, 0, sel, "far ret");
            n += 3;
        }
    seg_set_fs(0);
    seg_set_gs(0);
    return n;
}

/* ---- ring 3 ------------------------------------------------------------------ */

/* The selector and what to do with it, read by the ring-3 snippet. */
volatile uint32_t r3_sel;

/* Each loads r3_sel one way and, if that did not fault, makes a system call. */
__asm__(".text\n"
        "r3_load_ds: movl r3_sel, %eax\n movw %ax, %ds\n int $0x80\n"
        "r3_load_es: movl r3_sel, %eax\n movw %ax, %es\n int $0x80\n"
        "r3_load_fs: movl r3_sel, %eax\n movw %ax, %fs\n int $0x80\n"
        "r3_load_gs: movl r3_sel, %eax\n movw %ax, %gs\n int $0x80\n"
        "r3_load_ss: movl r3_sel, %eax\n movw %ax, %ss\n int $0x80\n"
        "r3_ljmp:    ljmp *far_ptr\n int $0x80\n"
        "r3_lcall:   lcall *far_ptr\n int $0x80\n");
void r3_load_ds(void), r3_load_es(void), r3_load_fs(void), r3_load_gs(void), r3_load_ss(void);
void r3_ljmp(void), r3_lcall(void);

static void expect_gp3(void (*code)(void), uint16_t sel, const char *what)
{
    struct seg_ring3 r = {
        .eip = (uint32_t)(uintptr_t)code, .cs = RV_FLAT_RING3_CS, .esp = SEG_USER_STACK_TOP,
        .ss = RV_FLAT_RING3_DS, .ds = RV_FLAT_RING3_DS, .es = RV_FLAT_RING3_DS,
    };
    struct rv_trap_frame f;
    r3_sel = sel;
    int v = seg_run_ring3(&r, &f);
    if (v != 13)
        rvt_failure("%s of LDT selector 0x%x in ring 3: vector %d, expected #GP", what, sel, v);
    RVT_EXPECT_EQ(f.error_code, sel & 0xfffc, "ring-3 #GP error code names the selector");
    RVT_EXPECT_EQ(f.cs, RV_FLAT_RING3_CS, "the fault came from ring 3");
}

static unsigned ring3_part(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < sizeof ldt_index / sizeof ldt_index[0]; i++) {
        uint16_t sel = ldt_sel(ldt_index[i], 3);
        expect_gp3(r3_load_ds, sel, "a DS load");
        expect_gp3(r3_load_es, sel, "an ES load");
        expect_gp3(r3_load_fs, sel, "an FS load");
        expect_gp3(r3_load_gs, sel, "a GS load");
        expect_gp3(r3_load_ss, sel, "an SS load");
        far_ptr.off = 0;
        far_ptr.sel = sel;
        expect_gp3(r3_ljmp, sel, "far jmp");
        expect_gp3(r3_lcall, sel, "far call");
        n += 7;
    }
    return n;
}

/* ---- LAR, LSL, VERR, VERW ------------------------------------------------- */

static int verr(unsigned sel)
{
    uint8_t ok;
    __asm__ volatile("verr %w1\n\tsetz %0" : "=qm"(ok) : "r"(sel) : "cc");
    return ok;
}

static int verw(unsigned sel)
{
    uint8_t ok;
    __asm__ volatile("verw %w1\n\tsetz %0" : "=qm"(ok) : "r"(sel) : "cc");
    return ok;
}

static unsigned probe_part(void)
{
    unsigned n = 0;
    uint32_t out;
    for (unsigned i = 0; i < sizeof ldt_index / sizeof ldt_index[0]; i++)
        for (unsigned rpl = 0; rpl <= 3; rpl++) {
            uint16_t sel = ldt_sel(ldt_index[i], rpl);
            if (seg_lar(sel, &out) || seg_lsl(sel, &out) || verr(sel) || verw(sel))
                rvt_failure("LDT selector 0x%x is usable (LAR/LSL/VERR/VERW)", sel);
            n += 4;
        }
    return n;
}

/* ---- page 0 holding an attacker's LDT -------------------------------------- */

volatile uint32_t ring0_ran, ring0_cr0;

/* The call gate's target: guest code that would run in ring 0. */
__asm__(".text\n"
        "ring0_gadget:\n"
        "  movl %cr0, %eax\n"
        "  movl %eax, ring0_cr0\n"
        "  movl $1, ring0_ran\n"
        "  lret\n");
void ring0_gadget(void);

static struct rv_descriptor call_gate(uint16_t sel, uint32_t off, unsigned dpl)
{
    struct rv_descriptor d;
    d.low = (uint32_t)sel << 16 | (off & 0xffff);
    d.high = (off & 0xffff0000u) | 1u << 15 | dpl << 13 | 0xcu << 8; /* present, 32-bit call gate */
    return d;
}

/* Maps an own frame at linear 0 (an L1 under GiB 0's slot 0 if there is none): returns its VA. */
static uint32_t map_page0(void)
{
    uint32_t l2 = mt_l2_mfn(0);
    if (!l2)
        rvt_error("no L2 for GiB 0");
    if (!(mt_read_slot(l2, 0) & RV_PTE_P)) {
        uint32_t l1 = mt_alloc_ro();
        RVT_REQUIRE_OK(mt_mmu1(mt_slot(l2, 0), mt_pte(mt_mfn_of(l1), MT_L2E)), "an L1 for page 0");
    }
    uint32_t page = mt_alloc();
    mt_map(0, mt_mfn_of(page), MT_RW);
    RVT_EXPECT_TRUE(mt_writable(0), "page 0 is mapped writable");
    return page;
}

static void write_attack_ldt(volatile struct rv_descriptor *ldt)
{
    /* Entry 0: the null slot of a real LDT is an ordinary entry; make it data too. */
    ldt[0] = seg_raw(0, 0xfffff, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G);   /* 4 GiB, DPL 1 */
    ldt[1] = seg_raw(0, 0xfffff, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G);   /* 4 GiB, DPL 1 */
    ldt[2] = call_gate(MON_CS, (uint32_t)(uintptr_t)ring0_gadget, 3);  /* into ring 0 */
    ldt[3] = seg_raw(0, 0xfffff, T_DATA_RW, 1, 3, 1, SEG_DB | SEG_G);   /* 4 GiB, DPL 3 */
    ldt[7] = seg_raw(0, 0xfffff, T_CODE_RX, 1, 1, 1, SEG_DB | SEG_G);   /* 4 GiB code, DPL 1 */
}

static unsigned page0_part(void)
{
    volatile struct rv_descriptor *ldt = (volatile struct rv_descriptor *)(uintptr_t)map_page0();
    write_attack_ldt(ldt);
    unsigned n = ring1_part() + ring3_part() + probe_part();
    /* The call gate itself, as the escape used it. */
    far_ptr.off = 0;
    far_ptr.sel = ldt_sel(2, 1);
    expect_gp(far_call, 0, far_ptr.sel, "far call through an LDT call gate to the monitor's CS");
    far_ptr.sel = ldt_sel(2, 3);
    expect_gp3(r3_lcall, far_ptr.sel, "far call through an LDT call gate to the monitor's CS");
    if (ring0_ran)
        rvt_failure("guest code ran in ring 0 through an LDT call gate (CR0 0x%x)", ring0_cr0);
    for (unsigned i = 0; i < 8; i++)
        if (ldt[i].high & (T_ACCESSED << 8) && i != 2)
            rvt_failure("the CPU set the accessed bit of descriptor %u at linear 0: it was used", i);
    mt_unmap(0);
    return n + 2;
}

/* ---- hypercalls that take selectors ---------------------------------------- */

static void hypercall_part(void)
{
    struct rv_trap_info t = { .vector = 0x40, .flags = 3, .cs = ldt_sel(7, 1),
                              .address = (uint32_t)(uintptr_t)ring0_gadget };
    RVT_EXPECT_RC(rv_hc_set_trap_table(&t, 1), -RV_EINVAL, "set_trap_table with an LDT code selector");
    RVT_EXPECT_RC(rv_hc_stack_switch(ldt_sel(1, 1), SEG_USER_STACK_TOP), -RV_EINVAL,
                  "stack_switch with an LDT stack selector");
    RVT_EXPECT_RC(rv_hc_set_callbacks(ldt_sel(7, 1), (uint32_t)(uintptr_t)ring0_gadget), -RV_EINVAL,
                  "set_callbacks with an LDT code selector");
}

void test_main(void)
{
    mt_init();
    unsigned n = ring1_part() + ring3_part() + probe_part();
    rvt_log("%u uses of LDT selectors refused with page 0 unmapped", n);
    n = page0_part();
    rvt_log("%u uses refused with an attacker's descriptors at linear 0; none used", n);
    hypercall_part();
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
