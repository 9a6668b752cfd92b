/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/tables.c: descriptors, trap tables and callbacks a hostile
 * ring-1 kernel offers the monitor, each of which ABI.md refuses.
 *
 * A descriptor that reaches the hole, has DPL 0, is conforming or is a
 * system descriptor (TSS, LDT, any gate) would let the guest address the
 * monitor or enter ring 0 (SDM Vol. 3A 3.4.5, 5.8); a trap-table entry or
 * callback with a ring-0 selector or a hole address would make the
 * monitor's own IRET land in ring 0 or in the hole.  Each must be
 * -EINVAL (or -E2BIG for counts) and change nothing: a table with one bad
 * entry installs none of the good ones.  Then `int n` on every hardware
 * interrupt vector (0x20-0x2f, the PICs; 0xf0-0xff, the local APIC) from
 * ring 1 must be a #GP(n * 8 + 2), never an interrupt the monitor handles
 * as its own.  (seg-desc-refuse and traps-softint test the common shapes;
 * these are the edges.)
 */
#include "rvtest.h"

#define G (1u << 23)
#define DB (1u << 22)
#define L (1u << 21)
#define P (1u << 15)
#define S (1u << 12)

/* high word from base/limit/type/DPL/flags, the layout of SDM Vol. 3A Figure 3-8 */
static struct rv_descriptor desc(uint32_t base, uint32_t limit, uint32_t type, uint32_t dpl, uint32_t flags)
{
    struct rv_descriptor d;
    d.low = (base << 16) | (limit & 0xffff);
    d.high = (base & 0xff000000u) | ((base >> 16) & 0xff) | (limit & 0xf0000) | type << 8 | dpl << 13 | flags;
    return d;
}

struct bad { const char *what; struct rv_descriptor d; };

static void refuse_descriptors(void)
{
    const struct bad bad[] = {
        { "DPL-0 data", desc(0, 0xfffff, 3, 0, P | S | G | DB) },
        { "DPL-0 code", desc(0, 0x1000, 0xb, 0, P | S | G | DB) },
        { "conforming code, DPL 1", desc(0, 0x1000, 0xf, 1, P | S | G | DB) },
        { "conforming code, DPL 3", desc(0, 0x1000, 0xe, 3, P | S | G | DB) },
        { "expand-up 4 GiB data", desc(0, 0xfffff, 3, 1, P | S | G | DB) },
        { "expand-up data, last page in the hole", desc(0, 0xfc000, 3, 1, P | S | G | DB) },
        { "byte-granular data over the hole", desc(0xfbffff00u, 0x1000, 3, 1, P | S | DB) },
        { "byte-granular code over the hole", desc(0xfbfffff0u, 0x10, 0xb, 1, P | S | DB) },
        { "wrapping base", desc(0xfffff000u, 0x2000, 3, 3, P | S | DB) },
        { "base in the hole, tiny", desc(RV_HOLE_START, 0, 3, 1, P | S) },
        { "expand-down over everything", desc(0, 0, 7, 1, P | S | G | DB) },
        { "expand-down, base in the hole", desc(RV_HOLE_START + 0x1000, 0xfffff, 7, 1, P | S | G | DB) },
        { "16-bit expand-down reaching the hole", desc(0xfbfff000u, 0x0fff, 7, 1, P | S) },
        { "64-bit code", desc(0, 0x1000, 0xb, 1, P | S | G | L) },
        { "32-bit TSS", desc(0x400000, 0x67, 9, 1, P) },
        { "busy TSS", desc(0x400000, 0x67, 0xb, 3, P) },
        { "16-bit TSS", desc(0x400000, 0x2b, 1, 1, P) },
        { "LDT", desc(0x400000, 0xfff, 2, 1, P) },
        { "call gate to ring 0", { 0x00080000u | 0x1000, 0x0000ec00u } },
        { "interrupt gate", { 0x00080000u, 0x0000ee00u } },
        { "trap gate", { 0x00080000u, 0x0000ef00u } },
        { "task gate", { 0x00280000u, 0x0000e500u } },
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        RVT_EXPECT_RC(rv_hc_update_descriptor(16 + i, bad[i].d.low, bad[i].d.high), -RV_EINVAL, bad[i].what);
        struct rv_descriptor t[2] = { { 0, 0 }, bad[i].d };
        RVT_EXPECT_RC(rv_hc_set_gdt(t, 2), -RV_EINVAL, bad[i].what);
    }
    struct rv_descriptor ok = rv_desc_segment(0, 0xfff, RV_SEG_DATA_RW, 1);
    RVT_EXPECT_RC(rv_hc_update_descriptor(0, ok.low, ok.high), -RV_EINVAL, "GDT entry 0");
    for (unsigned idx = RV_GDT_GUEST_ENTRIES; idx < RV_GDT_GUEST_ENTRIES + 8; idx++)
        RVT_EXPECT_RC(rv_hc_update_descriptor(idx, ok.low, ok.high), -RV_EINVAL, "a monitor GDT slot");
    RVT_EXPECT_RC(rv_hc_update_descriptor(0xffffffffu, ok.low, ok.high), -RV_EINVAL, "GDT index -1");
    static struct rv_descriptor big[RV_GDT_GUEST_ENTRIES + 1];
    RVT_EXPECT_RC(rv_hc_set_gdt(big, RV_GDT_GUEST_ENTRIES + 1), -RV_E2BIG, "set_gdt of 257 entries");
    struct rv_descriptor nz[1] = { ok };
    RVT_EXPECT_RC(rv_hc_set_gdt(nz, 1), -RV_EINVAL, "set_gdt with entry 0 not null");
    rvt_log("%u refused descriptor shapes, each by update_descriptor and set_gdt",
            (unsigned)(sizeof bad / sizeof bad[0]));
}

static volatile int handler_ran;
static void mark(struct rv_trap_frame *f) { (void)f; handler_ran = 1; }
static void int40(void *arg) { (void)arg; __asm__ volatile("int $0x40"); }

static void refuse_traps(void)
{
    uint32_t good = rv_trap_entry[0x40];
    static const struct { const char *what; struct rv_trap_info t; } bad[] = {
        { "ring-0 code selector", { 0x41, 3, 0x0008, 0x400000 } },
        { "RPL-0 ring-1 selector", { 0x41, 3, RV_FLAT_RING1_CS & ~3u, 0x400000 } },
        { "ring-3 code selector", { 0x41, 3, RV_FLAT_RING3_CS, 0x400000 } },
        { "a data selector", { 0x41, 3, RV_FLAT_RING1_DS, 0x400000 } },
        { "an LDT selector", { 0x41, 3, RV_FLAT_RING1_CS | 4, 0x400000 } },
        { "handler at the hole", { 0x41, 3, RV_FLAT_RING1_CS, RV_HOLE_START } },
        { "handler at 0xffffffff", { 0x41, 3, RV_FLAT_RING1_CS, 0xffffffffu } },
        { "the hypercall vector", { 0x82, 0, RV_FLAT_RING1_CS, 0x400000 } },
        { "unknown flag bits", { 0x41, 0x10, RV_FLAT_RING1_CS, 0x400000 } },
    };
    RVT_REQUIRE_OK(rv_trap_set(0x40, 0, 0), "vector 0x40 cleared");
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rv_trap_info t[2] = { { 0x40, 1, RV_FLAT_RING1_CS, good }, bad[i].t };
        RVT_EXPECT_RC(rv_hc_set_trap_table(t, 2), -RV_EINVAL, bad[i].what);
    }
    /* Nothing of a refused table was installed: int 0x40 is still a #GP. */
    RVT_REQUIRE_OK(rv_trap_set(0x41, mark, 1), "a handler on 0x41 for the dispatcher");
    struct rv_trap_frame f;
    RVT_EXPECT_TRUE(rvt_expect_fault(13, int40, 0, &f), "int 0x40 after refused tables");
    RVT_EXPECT_EQ(f.error_code, 0x40 * 8 + 2, "#GP error code for int 0x40");
    static struct rv_trap_info many[RV_TRAP_TABLE_MAX + 1];
    RVT_EXPECT_RC(rv_hc_set_trap_table(many, RV_TRAP_TABLE_MAX + 1), -RV_E2BIG, "257 trap entries");
    RVT_EXPECT_RC(rv_hc_set_callbacks(0x0008, 0x400000), -RV_EINVAL, "callback into ring 0");
    RVT_EXPECT_RC(rv_hc_set_callbacks(RV_FLAT_RING1_CS & ~3u, 0x400000), -RV_EINVAL, "callback RPL 0");
    RVT_EXPECT_RC(rv_hc_set_callbacks(RV_FLAT_RING1_CS, RV_HOLE_START), -RV_EINVAL, "callback in the hole");
    RVT_EXPECT_RC(rv_hc_set_callbacks(RV_FLAT_RING1_CS, 0xfffffff0u), -RV_EINVAL, "callback at the top");
    struct rv_return_window w = { RV_HOLE_START - 16, RV_HOLE_START - 8, RV_HOLE_START + 16 };
    RVT_EXPECT_RC(rv_hc_vcpu_op(RV_VCPUOP_SET_RETURN_WINDOW, &w), -RV_EINVAL, "return window into the hole");
    RVT_EXPECT_RC(rv_hc_stack_switch(0x0010, 0x500000), -RV_EINVAL, "stack_switch to a ring-0 SS");
    RVT_EXPECT_RC(rv_hc_stack_switch(RV_FLAT_RING1_CS, 0x500000), -RV_EINVAL, "stack_switch to a code SS");
    RVT_EXPECT_RC(rv_hc_stack_switch(RV_FLAT_RING1_DS, RV_HOLE_START + 4), -RV_EINVAL, "stack_switch ESP in the hole");
    rvt_log("%u refused trap-table shapes, all-or-nothing held; callbacks, window and stack refused",
            (unsigned)(sizeof bad / sizeof bad[0]));
}

/* int n for every hardware-interrupt vector: n is an immediate, so one stub each. */
#define STUB(n) static void int_##n(void *a) { (void)a; __asm__ volatile("int $" #n); }
STUB(0x20) STUB(0x21) STUB(0x22) STUB(0x23) STUB(0x24) STUB(0x25) STUB(0x26) STUB(0x27)
STUB(0x28) STUB(0x29) STUB(0x2a) STUB(0x2b) STUB(0x2c) STUB(0x2d) STUB(0x2e) STUB(0x2f)
STUB(0xf0) STUB(0xf1) STUB(0xf2) STUB(0xf3) STUB(0xf4) STUB(0xf5) STUB(0xf6) STUB(0xf7)
STUB(0xf8) STUB(0xf9) STUB(0xfa) STUB(0xfb) STUB(0xfc) STUB(0xfd) STUB(0xfe) STUB(0xff)
#define S8(a, b, c, d, e, f, g, h) int_##a, int_##b, int_##c, int_##d, int_##e, int_##f, int_##g, int_##h

static void irq_vectors(void)
{
    static void (*const fn[32])(void *) = {
        S8(0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27), S8(0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f),
        S8(0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7), S8(0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff),
    };
    for (unsigned i = 0; i < 32; i++) {
        unsigned v = i < 16 ? 0x20 + i : 0xf0 + i - 16;
        struct rv_trap_frame f;
        if (!rvt_expect_fault(13, fn[i], 0, &f))
            rvt_failure("int 0x%x from ring 1 did not raise #GP", v);
        RVT_EXPECT_EQ(f.error_code, v * 8 + 2, "#GP error code of int n on an IRQ vector");
    }
    rvt_log("int n on the 32 hardware-interrupt vectors from ring 1: #GP(n*8+2) each");
}

void test_main(void)
{
    RVT_REQUIRE_OK(rv_trap_set_defaults(), "default traps");
    refuse_descriptors();
    refuse_traps();
    irq_vectors();
    rvt_success();
}
