/* SPDX-License-Identifier: MIT */
/*
 * seg-fsgs-switch: FS and GS survive hypercalls, including ones during
 * which the monitor runs another domain.  The monitor's hypercall exit
 * keeps the FS and GS the CPU has loaded instead of reloading them from the
 * frame (monitor/entry.asm hypercall_entry), so it must notice when another
 * domain's exit loaded its own: a segment register's base is the hidden
 * copy of the descriptor it last loaded (SDM Vol. 3A 3.4.3), and a stale
 * one would point at the other domain's segment.
 *
 * Two domains of this image share a boot (role=main, role=peer).  Each puts
 * a descriptor at the same GDT index, based on a buffer of its own holding
 * its own tag, loads FS and GS with it and yields many times, reading
 * through both after every yield.  main also checks that it was scheduled
 * out and in meanwhile (vcpu_op GET_STATS), so the test cannot pass
 * without the switches it is about.
 */
#include "segutil.h"

#define IDX 70
#define YIELDS 200

static uint32_t buf[1024] __attribute__((aligned(4096)));

static uint32_t read_fs(void)
{
    uint32_t v;
    __asm__ volatile("movl %%fs:4, %0" : "=r"(v));
    return v;
}

static uint32_t read_gs(void)
{
    uint32_t v;
    __asm__ volatile("movl %%gs:8, %0" : "=r"(v));
    return v;
}

static uint32_t schedules(void)
{
    struct rv_vcpu_stats s;
    RVT_REQUIRE_OK(rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &s), "vcpu_op GET_STATS");
    return s.schedules;
}

void test_main(void)
{
    const char *role = rv_cmdline_value("role");
    int peer = role && role[0] == 'p';
    uint32_t tag = peer ? 0xbee5 : 0x600d, sel = rv_selector(IDX, 1), before;

    buf[1] = tag;
    buf[2] = tag + 1;
    SEG_RC(seg_update(IDX, seg_desc((uint32_t)(uintptr_t)buf, 0xfff, T_DATA_RW, 1)), 0, "our entry");
    seg_set_fs(sel);
    seg_set_gs(sel);
    before = schedules();
    for (unsigned n = 0; n < YIELDS; n++) {
        SEG_RC(rv_hc_sched_op(RV_SCHED_YIELD, 0, 0), 0, "yield %u", n);
        if (seg_get_fs() != sel || seg_get_gs() != sel)
            rvt_failure("after yield %u FS is 0x%x and GS 0x%x, expected 0x%x", n, seg_get_fs(),
                        seg_get_gs(), sel);
        if (read_fs() != tag || read_gs() != tag + 1)
            rvt_failure("after yield %u FS:4 reads 0x%x and GS:8 0x%x, expected 0x%x and 0x%x", n,
                        read_fs(), read_gs(), tag, tag + 1);
    }
    if (!peer && schedules() - before < YIELDS / 2)
        rvt_failure("scheduled in only %u times in %u yields: the peer did not run", schedules() - before,
                    YIELDS);
    seg_set_fs(0);
    seg_set_gs(0);
    rvt_success();
}
