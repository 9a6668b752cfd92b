/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/traps/hwvec.c: a direct vector never receives the
 * monitor's hardware interrupts.
 *
 * ABI.md (set_trap_table) lets any vector 0x30-0xff except 0x82 be
 * direct: a real IDT trap gate to the guest while it runs.  The monitor
 * also takes its own interrupts through the IDT (the local APIC timer,
 * the APIC spurious vector).  This guest registers every vector from 0x30
 * up (but 0x82) with DPL 3 and a counting handler that returns with a
 * native IRET, arms a one-shot timer (set_timer_op) 2 ms ahead, and spins
 * in ring 1 for 50 ms without any `int`: whatever interrupt the monitor
 * takes meanwhile must stay the monitor's, so the handler must never run.
 * Then int $0xf0 and int $0xff from ring 3 must still arrive as those
 * vectors (direct or bounced).  `alone`: when the monitor gets this wrong
 * its timer interrupt is lost for good.
 */
#include "trapkit.h"

TK_SNIPPET(s_intf0, "", "int $0xf0");
TK_SNIPPET(s_intff, "", "int $0xff");

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* System time in ns (pvclock: vcpu_info[0].time, pv-abi/shared_info.h). */
static uint64_t now_ns(void)
{
    volatile struct rv_vcpu_time_info *t = &rv_shared_info->vcpu_info[0].time;
    uint32_t version, mul;
    uint64_t stamp, sys, delta;
    int shift;

    do {
        version = t->version;
        rv_barrier();
        stamp = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        rv_barrier();
    } while ((version & 1) || version != t->version);
    delta = rdtsc() - stamp;
    delta = shift >= 0 ? delta << shift : delta >> -shift;
    /* (delta * mul) >> 32 without a 96-bit product. */
    return sys + (((delta & 0xffffffffu) * mul) >> 32) + (delta >> 32) * mul;
}

void test_main(void)
{
    struct rv_trap_info t[RV_TRAP_TABLE_MAX];
    unsigned n = 0;
    uint64_t deadline, end;
    struct tk_caught c;

    tk_init();
    tk_gate_reset();
    for (unsigned v = 0x30; v < 0x100; v++) {
        if (v == RV_HYPERCALL_VECTOR || v == TK_DONE_VECTOR)
            continue;
        t[n].vector = (uint8_t)v;
        t[n].flags = 3;
        t[n].cs = RV_FLAT_RING1_CS;
        t[n].address = (uint32_t)(uintptr_t)tk_gate_handler;
        n++;
    }
    RVT_REQUIRE_OK(rv_hc_set_trap_table(t, n), "vectors 0x30-0xff -> a counting handler, DPL 3");

    deadline = now_ns() + 2000000;
    RVT_REQUIRE_OK(rv_hypercall(RV_HC_set_timer_op, (uint32_t)deadline, (uint32_t)(deadline >> 32), 0, 0, 0),
                   "set_timer_op 2 ms ahead");
    end = now_ns() + 50000000;
    while (now_ns() < end && tk_gate_count == 0)
        ;
    if (tk_gate_count)
        rvt_failure("a hardware interrupt entered the guest's direct handler (vector frame eip 0x%x "
                    "cs 0x%x): the monitor's own vector is a direct gate", tk_gate_frame[0],
                    tk_gate_frame[1]);
    rvt_log("no interrupt reached the guest in 50 ms");

    /* The vectors themselves still work for int n. */
    tk_set_mask(0);
    if (tk_catch(13, 0, 3, s_intf0, &c))
        rvt_failure("int $0xf0 from ring 3: #GP(0x%x)", c.f.error_code);
    RVT_EXPECT_EQ(tk_gate_count, 1, "int $0xf0 reached its handler");
    RVT_EXPECT_EQ(tk_gate_frame[0], (uint32_t)(uintptr_t)s_intf0_at + 2, "int $0xf0 frame EIP");
    if (tk_catch(13, 0, 3, s_intff, &c))
        rvt_failure("int $0xff from ring 3: #GP(0x%x)", c.f.error_code);
    RVT_EXPECT_EQ(tk_gate_count, 2, "int $0xff reached its handler");
    RVT_EXPECT_EQ(tk_gate_frame[0], (uint32_t)(uintptr_t)s_intff_at + 2, "int $0xff frame EIP");
    rvt_success();
}
