/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/stackswitch.c: stack_switch(ss, esp) (ABI.md).
 *
 * -EINVAL unless ss is a present, writable ring-1 data selector (RPL 1,
 * DPL 1) and esp is at most RV_HOLE_START: RPL 0, 2 and 3, code, null,
 * LDT, monitor, DPL 3, DPL 2, read-only and not-present selectors, esp
 * past the hole.  A refused call leaves the stack in force as it was.
 * esp = RV_HOLE_START itself is accepted.  After a successful switch both
 * a bounced exception and a direct trap gate from ring 3 land on the new
 * stack (frame at its top) and run with the new SS.
 */
#include "trapkit.h"

#define DATA_DPL1 (TK_GDT_FIRST + 0)
#define DATA_DPL3 (TK_GDT_FIRST + 1)
#define DATA_DPL2 (TK_GDT_FIRST + 2)
#define DATA_RO (TK_GDT_FIRST + 3)
#define DATA_NP (TK_GDT_FIRST + 4)
#define CODE_DPL1 (TK_GDT_FIRST + 5)

static uint8_t stack2[TK_STACK_SIZE] __attribute__((aligned(16)));
#define TOP2 ((uint32_t)(uintptr_t)(stack2 + TK_STACK_SIZE))

TK_SNIPPET(s_ud, "", "ud2");
TK_SNIPPET(s_int80, "", "int $0x80");

static void install(unsigned index, unsigned type, unsigned dpl, int present)
{
    struct rv_descriptor d = rv_desc_segment(0, RV_GUEST_VA_LIMIT, type, dpl);

    if (!present)
        d.high &= ~0x8000u;
    RVT_REQUIRE_OK(rv_hc_update_descriptor(index, d.low, d.high), "update_descriptor");
}

static void refused(unsigned ss, uint32_t esp, const char *what)
{
    RVT_EXPECT_RC(rv_hc_stack_switch(ss, esp), -RV_EINVAL, what);
}

/* A ring-3 #UD must land at the top of `top`, with the handler on stack segment `ss`. */
static void lands_on(uint32_t top, unsigned ss, const char *what)
{
    struct tk_caught c;

    tk_set_mask(0);
    tk_expect(6, 0, 3, s_ud, &c, what);
    tk_check_frame(&c, 6, 0, (uint32_t)(uintptr_t)s_ud_at, 3, top, 1, what);
    RVT_EXPECT_EQ(c.ss_on_entry, ss, "SS the handler ran with");
}

void test_main(void)
{
    install(DATA_DPL1, RV_SEG_DATA_RW, 1, 1);
    install(DATA_DPL3, RV_SEG_DATA_RW, 3, 1);
    install(DATA_DPL2, RV_SEG_DATA_RW, 2, 1);
    install(DATA_RO, RV_SEG_DATA_RO, 1, 1);
    install(DATA_NP, RV_SEG_DATA_RW, 1, 0);
    install(CODE_DPL1, RV_SEG_CODE_RX, 1, 1);
    tk_init(); /* stack_switch(RV_FLAT_RING1_DS, TK_KERNEL_TOP) */
    lands_on(TK_KERNEL_TOP, RV_FLAT_RING1_DS, "#UD from ring 3 on the first stack");

    refused(RV_FLAT_RING1_DS & ~3u, TOP2, "ss with RPL 0");
    refused((RV_FLAT_RING1_DS & ~3u) | 2, TOP2, "ss with RPL 2");
    refused(RV_FLAT_RING1_DS | 3, TOP2, "ss = RV_FLAT_RING1_DS with RPL 3");
    refused(RV_FLAT_RING3_DS, TOP2, "ss = RV_FLAT_RING3_DS");
    refused((RV_FLAT_RING3_DS & ~3u) | 1, TOP2, "ss = the ring-3 data segment with RPL 1");
    refused(RV_FLAT_RING1_CS, TOP2, "ss = RV_FLAT_RING1_CS (code)");
    refused(0, TOP2, "ss = the null selector");
    refused(1, TOP2, "ss = the null selector with RPL 1");
    refused(0x0808, TOP2, "ss = the monitor's data selector");
    refused(0x0809, TOP2, "ss = the monitor's data selector with RPL 1");
    refused(rv_selector(DATA_DPL1, 0), TOP2, "ss = a guest DPL 1 data entry, RPL 0");
    refused(rv_selector(DATA_DPL1, 2), TOP2, "ss = a guest DPL 1 data entry, RPL 2");
    refused(rv_selector(DATA_DPL1, 3), TOP2, "ss = a guest DPL 1 data entry, RPL 3");
    refused(rv_selector(DATA_DPL3, 1), TOP2, "ss = a guest DPL 3 data entry, RPL 1");
    refused(rv_selector(DATA_DPL3, 3), TOP2, "ss = a guest DPL 3 data entry, RPL 3");
    refused(rv_selector(DATA_DPL2, 1), TOP2, "ss = a guest DPL 2 data entry");
    refused(rv_selector(DATA_RO, 1), TOP2, "ss = a read-only DPL 1 data entry");
    refused(rv_selector(DATA_NP, 1), TOP2, "ss = a not-present DPL 1 data entry");
    refused(rv_selector(CODE_DPL1, 1), TOP2, "ss = a guest DPL 1 code entry");
    refused(rv_selector(DATA_DPL1, 1) | 4, TOP2, "ss = an LDT selector");
    refused(rv_selector(30, 1), TOP2, "ss = an empty guest GDT entry");
    refused(RV_FLAT_RING1_DS, RV_HOLE_START + 1, "esp = RV_HOLE_START + 1");
    refused(RV_FLAT_RING1_DS, RV_HOLE_START + 0x1000, "esp inside the hole");
    refused(RV_FLAT_RING1_DS, 0xffffffffu, "esp = 0xffffffff");
    refused(rv_selector(DATA_DPL1, 1), 0xfffffffcu, "a good ss with esp in the hole");
    lands_on(TK_KERNEL_TOP, RV_FLAT_RING1_DS, "#UD from ring 3 after refused stack_switches");

    RVT_EXPECT_RC(rv_hc_stack_switch(RV_FLAT_RING1_DS, RV_HOLE_START), 0, "esp = RV_HOLE_START");

    /* The guest's own ring-1 stack segment. */
    RVT_EXPECT_RC(rv_hc_stack_switch(rv_selector(DATA_DPL1, 1), TOP2), 0,
                  "stack_switch to a guest DPL 1 data entry");
    lands_on(TOP2, rv_selector(DATA_DPL1, 1), "#UD from ring 3 on the new stack");

    /* A direct trap gate takes its stack from the TSS, which stack_switch set. */
    tk_gate_reset();
    RVT_REQUIRE_OK(tk_set_vector(0x80, 3, RV_FLAT_RING1_CS, (uint32_t)(uintptr_t)tk_gate_handler),
                   "direct vector 0x80");
    if (tk_catch(13, 0, 3, s_int80, 0))
        rvt_failure("int $0x80 raised #GP");
    RVT_EXPECT_EQ(tk_gate_count, 1, "int $0x80 reached its handler");
    RVT_EXPECT_EQ(tk_delta.traps_bounced, 0, "traps_bounced (a direct gate)");
    RVT_EXPECT_EQ(tk_gate_esp, TOP2 - 20, "direct gate frame at the top of the new stack");
    RVT_EXPECT_EQ(tk_gate_ss, rv_selector(DATA_DPL1, 1), "SS in the direct gate's handler");
    RVT_EXPECT_EQ(tk_gate_frame[3], tk_esp, "ring-3 ESP in the direct gate frame");

    /* And back to the flat selector. */
    RVT_EXPECT_RC(rv_hc_stack_switch(RV_FLAT_RING1_DS, TK_KERNEL_TOP), 0, "back to the first stack");
    lands_on(TK_KERNEL_TOP, RV_FLAT_RING1_DS, "#UD from ring 3 back on the first stack");
    rvt_success();
}
