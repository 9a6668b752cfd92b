/* SPDX-License-Identifier: MIT */
/*
 * seg-iso-segfix (strict): a 4 GiB data segment cut at the hole (ABI.md
 * "Segments", "4 GiB segments") works through FS and GS for negative
 * offsets as well as positive ones, as i386 TLS uses it (%gs:-N below the
 * thread pointer, %gs:0 at it).  Base B is not page aligned, like a
 * thread pointer.  Through GS and FS, in ring 1 and in ring 3, the same
 * instruction alternately reads offsets -4 and 0 (the register-indexed
 * form glibc uses) and instructions with constant offsets read and write:
 * every access reaches B + offset modulo 4 GiB.  LSL shows the monitor
 * flipping the entry between its two views.  What a 4 GiB segment could
 * reach but the guest may not still faults, and the guest gets #GP(0) at
 * the instruction: offsets into the hole, 4 bytes across its start, 4
 * bytes across offset 0xFFFFFFFF; and the segment works again after each.
 * Not flipped: a segment ending a page short of the cut (not a 4 GiB
 * one), and the same cut segment used through ES.
 */
#include "segutil.h"

#define CUT1 110        /* DPL 1: base B, the 4 GiB limit cut at the hole */
#define CUT3 111        /* the same, DPL 3 */
#define SHORT 112       /* base B, ending a page before the cut segment does */

static uint8_t tls_area[0x3000] __attribute__((aligned(4096)));
#define B ((uint32_t)(uintptr_t)tls_area + 0x2123)
#define AT(off) (*(volatile uint32_t *)(uintptr_t)(B + (uint32_t)(off)))
#define CUT_LIMIT20 ((RV_HOLE_START - B - 0x1000) >> 12) /* what Linux's port installs */

#define VAL_M4 0xa4a4a4a4u  /* at B - 4 */
#define VAL_0 0x0b0b0b0bu   /* at B */

/* One instruction each: the monitor sees the same EIP on every call. */
__attribute__((noinline)) static uint32_t gs_at(uint32_t off)
{
    uint32_t v;
    __asm__ volatile("movl %%gs:(%1), %0" : "=r"(v) : "r"(off) : "memory");
    return v;
}

__attribute__((noinline)) static uint32_t fs_at(uint32_t off)
{
    uint32_t v;
    __asm__ volatile("movl %%fs:(%1), %0" : "=r"(v) : "r"(off) : "memory");
    return v;
}

/* ES = sel for one read (compiled code assumes a flat ES). */
__attribute__((noinline)) static uint32_t es_at(unsigned sel, uint32_t off)
{
    uint32_t v;
    __asm__ volatile("movw %w1, %%es\n\t"
                     "movl %%es:(%2), %0\n\t"
                     "pushl %%ds\n\t"
                     "popl %%es"
                     : "=&r"(v) : "r"(sel), "r"(off) : "memory");
    return v;
}

static uint32_t limit_of(unsigned sel)
{
    uint32_t limit;
    if (!seg_lsl(sel, &limit))
        rvt_failure("LSL refuses selector 0x%x", sel);
    return limit;
}

static void alternate(uint32_t (*at)(uint32_t), unsigned sel, const char *reg)
{
    uint32_t down_limit = ((0x100000u - (B >> 12)) << 12) - 1, cut_limit = (CUT_LIMIT20 << 12) | 0xfff;

    for (unsigned i = 0; i < 20; i++) {
        uint32_t m4 = at(-4u), z = at(0);
        if (m4 != VAL_M4 || z != VAL_0)
            rvt_failure("%s:-4 = 0x%x, %s:0 = 0x%x in round %u, expected 0x%x and 0x%x", reg, m4, reg, z, i,
                        VAL_M4, VAL_0);
    }
    (void)at(-4u);
    RVT_EXPECT_EQ(limit_of(sel), down_limit, "limit after a negative offset (the expand-down view)");
    (void)at(0x10);
    RVT_EXPECT_EQ(limit_of(sel), cut_limit, "limit after a positive offset (the cut expand-up view)");
    RVT_EXPECT_EQ(at(-0x2123u), *(volatile uint32_t *)(uintptr_t)tls_area, "offset -0x2123: the area's start");
    RVT_EXPECT_EQ(at(0xed9), AT(0xed9), "the area's last word");
}

static void constant_offsets(void)
{
    uint32_t v;

    __asm__ volatile("movl $0x11223344, %%gs:-8\n\t"
                     "movl %%gs:-8, %0" : "=r"(v) : : "memory");
    RVT_EXPECT_EQ(v, 0x11223344, "%gs:-8 written and read back");
    RVT_EXPECT_EQ(AT(-8), 0x11223344, "the write at %gs:-8 landed at B - 8");
    __asm__ volatile("movl $0x55667788, %%gs:0x10\n\t"
                     "addl %%gs:-4, %0" : "=r"(v) : "0"(0) : "memory");
    RVT_EXPECT_EQ(v, VAL_M4, "addl %gs:-4 after a write at %gs:0x10");
    RVT_EXPECT_EQ(AT(0x10), 0x55667788, "the write at %gs:0x10 landed at B + 0x10");
}

static void read_gs(void *off) { (void)gs_at((uint32_t)(uintptr_t)off); }
static void read_es(void *off) { (void)es_at(rv_selector(CUT1, 1), (uint32_t)(uintptr_t)off); }

static void expect_gp(void (*fn)(void *), uint32_t off, const char *what)
{
    struct rv_trap_frame f;
    int v = seg_catch(fn, (void *)(uintptr_t)off, &f);

    if (v != 13 || f.error_code != 0)
        rvt_failure("%s (offset 0x%x): vector %d error 0x%x, expected #GP(0)", what, off, v, f.error_code);
    uint32_t insn = (uint32_t)(uintptr_t)(fn == read_gs ? (void *)gs_at : (void *)es_at);
    if (f.eip < insn || f.eip >= insn + 16)
        rvt_failure("%s: #GP at eip 0x%x, not at the faulting instruction near 0x%x", what, f.eip, insn);
}

static void outside(void)
{
    const struct {
        uint32_t off;
        const char *what;
    } bad[] = {
        { RV_HOLE_START - B, "the hole's first byte" },
        { RV_HOLE_START - B - 2, "4 bytes across the hole's start" },
        { 0xfc100000u - B, "the monitor image" },
        { 0xfffffffeu, "4 bytes across offset 0xFFFFFFFF" },
        { -B - 0x10u, "an offset that wraps to 0xFFFFFFF0" },
    };

    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_gp(read_gs, bad[i].off, bad[i].what);
        expect_gp(read_gs, bad[i].off, bad[i].what); /* again, from either view */
        RVT_EXPECT_EQ(gs_at(-4u), VAL_M4, "%gs:-4 after a refused access");
        RVT_EXPECT_EQ(gs_at(0), VAL_0, "%gs:0 after a refused access");
    }
}

/* Ring 3: GS = the DPL-3 cut segment; 64 rounds of one instruction alternating -4 and 0, EBX sums. */
uint32_t r3_sel, r3_bad_off;
void r3_alternate(void);
__asm__(".text\n.globl r3_alternate\nr3_alternate:\n\t"
        "movl r3_sel, %eax\n\tmovw %ax, %gs\n\t"
        "movl $64, %ecx\n\txorl %ebx, %ebx\n\tmovl $-4, %edx\n"
        "1:\tmovl %gs:(%edx), %eax\n\t"
        "addl %eax, %ebx\n\txorl $-4, %edx\n\tdecl %ecx\n\tjnz 1b\n\t"
        "int $0x80\n2:\tjmp 2b\n");
void r3_hole(void);
__asm__(".text\n.globl r3_hole\nr3_hole:\n\t"
        "movl r3_sel, %eax\n\tmovw %ax, %gs\n\tmovl r3_bad_off, %edx\n"
        ".globl r3_hole_insn\nr3_hole_insn:\n\tmovl %gs:(%edx), %eax\n\t"
        "int $0x80\n2:\tjmp 2b\n");
extern const char r3_hole_insn[];

static void ring3(void)
{
    struct rv_trap_frame f;
    struct seg_ring3 r = {
        .eip = (uint32_t)(uintptr_t)r3_alternate, .cs = RV_FLAT_RING3_CS, .esp = SEG_USER_STACK_TOP,
        .ss = RV_FLAT_RING3_DS, .ds = RV_FLAT_RING3_DS, .es = RV_FLAT_RING3_DS,
    };
    r3_sel = rv_selector(CUT3, 3);
    int v = seg_run_ring3(&r, &f);
    if (v != SEG_SYSCALL)
        rvt_failure("ring 3 alternating %%gs:-4 and %%gs:0: vector %d at eip 0x%x (error 0x%x)", v, f.eip,
                    f.error_code);
    RVT_EXPECT_EQ(f.ebx, 32 * (VAL_M4 + VAL_0), "ring 3: the sum of 32 reads of each");
    RVT_EXPECT_EQ(f.gs, r3_sel, "ring 3: GS kept our selector");

    r3_bad_off = RV_HOLE_START - B;
    r.eip = (uint32_t)(uintptr_t)r3_hole;
    v = seg_run_ring3(&r, &f);
    if (v != 13 || f.error_code != 0 || f.cs != RV_FLAT_RING3_CS || f.eip != (uint32_t)(uintptr_t)r3_hole_insn)
        rvt_failure("ring 3 read of the hole through GS: vector %d error 0x%x at %x:%x, expected #GP(0) at "
                    "the read in ring 3", v, f.error_code, f.cs, f.eip);
}

void test_main(void)
{
    unsigned cut1 = rv_selector(CUT1, 1);

    AT(-4) = VAL_M4;
    AT(0) = VAL_0;
    SEG_RC(seg_update(CUT1, seg_raw(B, CUT_LIMIT20, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G)), 0,
           "a 4 GiB segment at 0x%x cut at the hole", B);
    SEG_RC(seg_update(CUT3, seg_raw(B, CUT_LIMIT20, T_DATA_RW, 1, 3, 1, SEG_DB | SEG_G | SEG_AVL)), 0,
           "the same, DPL 3 (AVL set, as glibc asks)");
    SEG_RC(seg_update(SHORT, seg_raw(B, CUT_LIMIT20 - 1, T_DATA_RW, 1, 1, 1, SEG_DB | SEG_G)), 0,
           "the same one page shorter");
    RVT_EXPECT_EQ(limit_of(cut1), (CUT_LIMIT20 << 12) | 0xfff, "the cut limit as installed");

    seg_require_limits();

    seg_set_gs(cut1);
    alternate(gs_at, cut1, "%gs");
    constant_offsets();
    outside();
    seg_set_fs(cut1);
    alternate(fs_at, cut1, "%fs");
    seg_set_fs(0);
    seg_set_gs(0);
    ring3();

    RVT_EXPECT_EQ(es_at(cut1, 0), VAL_0, "%es:0 of the cut segment");
    expect_gp(read_es, -4u, "%es:-4: no FS or GS override");

    seg_set_gs(rv_selector(SHORT, 1));
    RVT_EXPECT_EQ(gs_at(0), VAL_0, "%gs:0 of the shorter segment");
    expect_gp(read_gs, -4u, "%gs:-4 of a segment that is not a cut 4 GiB one");
    seg_set_gs(0);
    RVT_EXPECT_EQ(limit_of(rv_selector(SHORT, 1)), ((CUT_LIMIT20 - 1) << 12) | 0xfff, "the shorter one unchanged");
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "the monitor still answers");
    rvt_success();
}
