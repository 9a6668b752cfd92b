/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/exceptions.c: exceptions bounced to the guest
 * (ABI.md, "Exceptions and software interrupts").  Built twice: the
 * manifest runs it with ring=1 (traps-exc-r1) and ring=3 (traps-exc-r3).
 *
 * For #DE, #DB, #BP, #OF, #BR, #UD, #NM, #NP, #SS, #GP, #PF and #MF
 * raised in that ring it checks the frame word by word: from ring 1 EFLAGS, CS, EIP (and the
 * error code) right below the interrupted ESP, with no SS:ESP; from ring 3
 * SS, ESP, EFLAGS, CS, EIP at the top of the stack_switch stack.  Faults
 * leave EIP at the instruction, traps (#BP, #OF, single-step #DB) after
 * it; the handler runs with TF clear, as after a real gate.  EFLAGS.IF is
 * the virtual IF, both ways; RV_TI_MASK_EVENTS masks events on entry and
 * nothing else does; every exception counts once in traps_bounced; #PF
 * error codes carry the W and U bits and CR2 reaches
 * vcpu_info[0].arch.cr2; #NM after fpu_taskswitch(1) arrives with TS
 * already clear.
 */
#include "trapkit.h"

#define NP_DATA_DPL1 (TK_GDT_FIRST + 1) /* not-present data, DPL 1 */
#define NP_DATA_DPL3 (TK_GDT_FIRST + 2) /* not-present data, DPL 3 */
#define EMPTY_ENTRY 31                  /* an all-zero guest GDT entry */
#define UNMAPPED_VA (RV_HOLE_START - RV_PAGE_SIZE)

TK_SNIPPET(s_de, "xorl %edx, %edx; movl $1, %eax; xorl %ecx, %ecx", "divl %ecx");
TK_SNIPPET(s_ud, "", "ud2");
TK_SNIPPET(s_int3, "", "int3");
TK_SNIPPET(s_int_3, "", ".byte 0xcd, 0x03"); /* int $3: gas would emit int3 */
TK_SNIPPET(s_into, "movl $0x7fffffff, %eax; addl $1, %eax", "into");
TK_SNIPPET(s_into_clear, "xorl %eax, %eax", "into");
TK_SNIPPET(s_null_ss, "xorl %eax, %eax", "movw %ax, %ss");
TK_SNIPPET(s_load_ds, "movl tk_arg, %eax", "movw %ax, %ds");
TK_SNIPPET(s_load_ss, "movl tk_arg, %eax", "movw %ax, %ss");
TK_SNIPPET(s_read, "movl tk_arg, %eax", "movl (%eax), %eax");
TK_SNIPPET(s_write, "movl tk_arg, %eax; xorl %ecx, %ecx", "movl %ecx, (%eax)");
TK_SNIPPET(s_rewrite, "movl tk_arg, %eax; movl (%eax), %ecx", "movl %ecx, (%eax)");
TK_SNIPPET(s_fnop, "", "fnop");
TK_SNIPPET(s_xorps, "", "xorps %xmm0, %xmm0");
TK_SNIPPET(s_hlt, "", "hlt");
TK_SNIPPET(s_cli, "", "cli");
/* POPF sets TF: the next instruction (the store to tk_esp) runs, then #DB, EIP at the nop. */
TK_SNIPPET(s_step, "pushfl; orl $0x100, (%esp); popfl", "nop");
TK_SNIPPET(s_bound, "movl $5, %eax", "boundl %eax, exc_bounds");
/* 1 / 0 with zero-divide unmasked: #MF at the next waiting x87 instruction (CR0.NE). */
TK_SNIPPET(s_mf, "fninit; fldcw exc_cw_zm; fld1; fidivl exc_zero", "fwait");

static int ring;
/* Memory operands of the snippets (global: the assembly names them). */
int32_t exc_bounds[2] = { 0, 1 };
int32_t exc_zero;
uint16_t exc_cw_zm = 0x037f & ~0x4; /* the default control word with ZM (zero-divide masked) clear */

static uint32_t at(const char *label)
{
    return (uint32_t)(uintptr_t)label;
}

/* Catches `vector` from snippet fn with events on, checks the frame and that one bounce happened. */
static struct tk_caught fault(unsigned vector, unsigned flags, void (*fn)(void), uint32_t err,
                              uint32_t eip, const char *what)
{
    struct tk_caught c;

    tk_set_mask(0);
    tk_expect(vector, flags, ring, fn, &c, what);
    tk_check_frame(&c, vector, err, eip, ring, TK_KERNEL_TOP, 1, what);
    RVT_EXPECT_EQ(c.bounced, 1, "traps_bounced for one exception");
    RVT_EXPECT_EQ(c.mask_on_entry, 0, "event mask in a handler without RV_TI_MASK_EVENTS");
    return c;
}

static void check_basic(void)
{
    struct tk_caught c;

    fault(0, 0, s_de, 0, at(s_de_at), "#DE from div by zero");
    fault(6, 0, s_ud, 0, at(s_ud_at), "#UD from ud2");
    /* Traps: EIP after the instruction.  DPL 3 so int3/into may raise them from any ring. */
    fault(3, 3, s_int3, 0, at(s_int3_at) + 1, "#BP from int3");
    fault(3, 3, s_int_3, 0, at(s_int_3_at) + 2, "#BP from int $3");
    fault(4, 3, s_into, 0, at(s_into_at) + 1, "#OF from into with OF set");
    tk_expect_none(4, ring, s_into_clear, "into with OF clear");
    fault(5, 0, s_bound, 0, at(s_bound_at), "#BR from bound out of range");
    /* The monitor clears TF on the way into the handler as the CPU would; else the handler would trap at once. */
    c = fault(1, 0, s_step, 0, at(s_step_at), "#DB from single-stepping");
    RVT_EXPECT_EQ(c.f.eflags & 0x100, 0x100, "EFLAGS.TF in the #DB frame");
}

static void check_segment_faults(void)
{
    unsigned np = ring == 3 ? NP_DATA_DPL3 : NP_DATA_DPL1;

    fault(13, 0, s_null_ss, 0, at(s_null_ss_at), "#GP(0) from loading a null SS");
    tk_arg = rv_selector(EMPTY_ENTRY, ring);
    fault(13, 0, s_load_ds, rv_selector(EMPTY_ENTRY, 0), at(s_load_ds_at),
          "#GP(selector) from loading DS with an empty GDT entry");
    tk_arg = rv_selector(NP_DATA_DPL3, ring);
    fault(11, 0, s_load_ds, rv_selector(NP_DATA_DPL3, 0), at(s_load_ds_at),
          "#NP(selector) from loading DS with a not-present segment");
    tk_arg = rv_selector(np, ring);
    fault(12, 0, s_load_ss, rv_selector(np, 0), at(s_load_ss_at),
          "#SS(selector) from loading SS with a not-present segment");
}

static void check_page_faults(void)
{
    uint32_t user = ring == 3 ? 4 : 0; /* error code bit 2: the access came from ring 3 */
    uint32_t pt = rv_start_info->pt_base;
    struct tk_caught c;

    tk_arg = UNMAPPED_VA + 0x10;
    c = fault(14, 0, s_read, user, at(s_read_at), "#PF reading an unmapped page");
    RVT_EXPECT_EQ(c.cr2_shared, UNMAPPED_VA + 0x10, "vcpu_info.arch.cr2 after a read #PF");
    RVT_EXPECT_EQ(c.f.cr2, UNMAPPED_VA + 0x10, "cr2 in the frame (read #PF)");

    tk_arg = UNMAPPED_VA + 0x24;
    c = fault(14, 0, s_write, user | 2, at(s_write_at), "#PF writing an unmapped page");
    RVT_EXPECT_EQ(c.cr2_shared, UNMAPPED_VA + 0x24, "vcpu_info.arch.cr2 after a write #PF");

    /* The page tables are mapped read-only: a write that is refused, with P set. */
    tk_arg = pt + 0x18;
    c = fault(14, 0, s_rewrite, user | 3, at(s_rewrite_at), "#PF writing a read-only page");
    RVT_EXPECT_EQ(c.cr2_shared, pt + 0x18, "vcpu_info.arch.cr2 after a protection #PF");
}

static int cpu_has_sse(void)
{
    uint32_t a = 1, b, c = 0, d;

    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (d >> 25) & 1;
}

static void check_fpu(void)
{
    RVT_EXPECT_RC(rv_hc_fpu_taskswitch(1), 0, "fpu_taskswitch(1)");
    fault(7, 0, s_fnop, 0, at(s_fnop_at), "#NM from fnop after fpu_taskswitch(1)");
    tk_expect_none(7, ring, s_fnop, "fnop after #NM was delivered (TS must be clear)");
    fault(16, 0, s_mf, 0, at(s_mf_at), "#MF from an unmasked x87 divide by zero");
    __asm__ volatile("fninit");
    if (cpu_has_sse()) {
        RVT_EXPECT_RC(rv_hc_fpu_taskswitch(1), 0, "fpu_taskswitch(1)");
        fault(7, 0, s_xorps, 0, at(s_xorps_at), "#NM from xorps after fpu_taskswitch(1)");
        tk_expect_none(7, ring, s_xorps, "xorps after #NM was delivered");
    } else {
        rvt_log("no SSE: #NM checked with x87 only");
    }
}

/* The virtual IF in the frame and RV_TI_MASK_EVENTS, with #UD. */
static void check_virtual_if(void)
{
    struct tk_caught c;

    tk_set_mask(1);
    tk_expect(6, 0, ring, s_ud, &c, "#UD with events masked");
    tk_check_frame(&c, 6, 0, at(s_ud_at), ring, TK_KERNEL_TOP, 0, "#UD with events masked");
    RVT_EXPECT_EQ(c.mask_on_entry, 1, "event mask in the handler (masked before)");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_mask, 1, "event mask after iret with IF clear");

    tk_set_mask(0);
    tk_expect(6, RV_TI_MASK_EVENTS, ring, s_ud, &c, "#UD, handler with RV_TI_MASK_EVENTS");
    tk_check_frame(&c, 6, 0, at(s_ud_at), ring, TK_KERNEL_TOP, 1, "#UD with RV_TI_MASK_EVENTS");
    RVT_EXPECT_EQ(c.mask_on_entry, 1, "event mask on entry with RV_TI_MASK_EVENTS");
    RVT_EXPECT_EQ(rv_vcpu()->evtchn_upcall_mask, 0, "event mask after iret with IF set");
}

/* Ring 3 only: privileged instructions are plain #GP(0); the monitor emulates nothing for ring 3. */
static void check_ring3_privileged(void)
{
    struct rv_vcpu_stats s0 = tk_stats(), s1;

    fault(13, 0, s_hlt, 0, at(s_hlt_at), "#GP(0) from hlt in ring 3");
    fault(13, 0, s_cli, 0, at(s_cli_at), "#GP(0) from cli in ring 3");
    s1 = tk_stats();
    RVT_EXPECT_EQ(s1.emulated - s0.emulated, 0, "instructions emulated for ring 3");
}

void test_main(void)
{
    struct rv_descriptor d;

    ring = (int)rv_cmdline_int("ring", 0);
    if (ring != 1 && ring != 3)
        rvt_error("needs ring=1 or ring=3 on its command line");
    rvt_log("exceptions from ring %d", ring);
    tk_init();

    d = rv_desc_segment(0, RV_GUEST_VA_LIMIT, RV_SEG_DATA_RW, 1);
    RVT_REQUIRE_OK(rv_hc_update_descriptor(NP_DATA_DPL1, d.low, d.high & ~0x8000u),
                   "not-present DPL 1 data segment");
    d = rv_desc_segment(0, RV_GUEST_VA_LIMIT, RV_SEG_DATA_RW, 3);
    RVT_REQUIRE_OK(rv_hc_update_descriptor(NP_DATA_DPL3, d.low, d.high & ~0x8000u),
                   "not-present DPL 3 data segment");

    check_basic();
    check_segment_faults();
    check_page_faults();
    check_fpu();
    check_virtual_if();
    if (ring == 3)
        check_ring3_privileged();
    rvt_success();
}
