/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/hcfuzz.c: the in-guest hypercall fuzzer.
 *
 * Arguments (guest command line): seed=N (default 1), calls=N (default
 * 100000), strict-calls=N (the count on a CPU that enforces segment limits,
 * i.e. Bochs here, where each call costs ~50x more), trace=N (log every
 * call from number N on, to replay a failure), every=N (a progress line
 * each N calls).  The same seed and count replay the same calls.
 *
 * Each call comes from hcfuzz_gen.c and goes through fz_call (fzcall.asm),
 * which sees every register.  After it, the checker applies the rules of
 * ABI.md that a guest can check by itself:
 *  - the result is success or an error ABI.md lists for that hypercall
 *    (per multicall entry too, iret and multicall entries -EINVAL);
 *  - an unknown number is -ENOSYS, a virtio call without devices -ENOENT,
 *    domctl (not a control domain) -EPERM;
 *  - a value or table ABI.md refuses is never accepted;
 *  - a pointer the call needs and that cannot be read (or written) wholly
 *    gives -EFAULT (sizes known per call, see pointer_rules);
 *  - EBX..EBP, ESP, the segment registers and the flags (DF and AC
 *    included) come back unchanged;
 *  - the event mask stays set (only block and iret clear it: never issued);
 *  - its page tables, current base, read-only page and code never change
 *    (checked after every page-table call and every 1024 calls).
 * The runner adds the rest: the fuzzer is not killed, the monitor does not
 * panic or hang, and the witness beside it sees its memory unchanged.
 */
#include "hcfuzz.h"
#include "../conformance/mm/mmtest.h"

#define EB(e) ((e) == RV_ETIMEDOUT ? 1ull << 63 : (e) < 63 ? 1ull << (e) : 0)
#define FLAGS_KEPT 0x40cd5u /* CF PF AF ZF SF DF OF AC (SDM Vol. 1 3.4.3) */
#define NERR 128

static uint64_t allowed(uint32_t nr)
{
    switch (nr) {
    case RV_HC_version: case RV_HC_memory_op: return EB(RV_ENOSYS) | EB(RV_EFAULT);
    case RV_HC_console_io: return EB(RV_E2BIG) | EB(RV_EFAULT) | EB(RV_ENOSYS);
    case RV_HC_sched_op: return EB(RV_EINVAL) | EB(RV_ENOSYS) | EB(RV_EFAULT) | EB(RV_E2BIG) | EB(RV_ETIMEDOUT);
    case RV_HC_set_trap_table: return EB(RV_E2BIG) | EB(RV_EFAULT) | EB(RV_EINVAL);
    case RV_HC_stack_switch: case RV_HC_fpu_taskswitch: case RV_HC_set_callbacks: return EB(RV_EINVAL);
    case RV_HC_update_descriptor: return EB(RV_EINVAL) | EB(RV_EBUSY);
    case RV_HC_set_gdt: return EB(RV_EINVAL) | EB(RV_E2BIG) | EB(RV_EFAULT) | EB(RV_EBUSY);
    case RV_HC_multicall: return EB(RV_E2BIG) | EB(RV_EFAULT);
    case RV_HC_vcpu_op: return EB(RV_EFAULT) | EB(RV_EINVAL) | EB(RV_ENOSYS);
    case RV_HC_mmu_update: case RV_HC_mmuext_op: case RV_HC_update_va_mapping:
        return EB(RV_E2BIG) | EB(RV_EFAULT) | EB(RV_ENOSYS) | EB(RV_EINVAL) | EB(RV_EPERM) | EB(RV_EBUSY) |
               EB(RV_EEXIST);
    case RV_HC_event_channel_op:
        return EB(RV_EINVAL) | EB(RV_EEXIST) | EB(RV_ENOSPC) | EB(RV_EFAULT) | EB(RV_ESRCH) | EB(RV_ENOSYS);
    case RV_HC_set_timer_op: return 0;
    case RV_HC_domctl: return EB(RV_EPERM); /* not a control domain */
    case RV_HC_virtio_op: return EB(RV_ENOSYS) | EB(RV_ENOENT) | EB(RV_EFAULT) | EB(RV_EINVAL) | EB(RV_ERANGE);
    default: return EB(RV_ENOSYS);
    }
}

static uint32_t seed, ncalls, errs[NERR], per_nr[RV_NR_HYPERCALLS + 1], ok_calls;
static char why[200];
static uint32_t ro_seed, pt_sum0, ro_sum0, code_sum0, base0, call_no;

static uint32_t pt_sum(void) /* A and D masked: the CPU sets them (L3 bit 5: the monitor clears it) */
{
    uint32_t s = 0;
    for (uint32_t k = 0; k < fz.nr_pt; k++)
        s = s * 31 + rvt_sum_words(fz.pt_va[k], fz.pt_va[k] + RV_PAGE_SIZE, ~(uint32_t)(RV_PTE_A | RV_PTE_D));
    return s;
}

static uint32_t code_sum(void)
{
    return rvt_sum_words(rv_start_info->virt_base, (uint32_t)rv_hypercall_page + RV_PAGE_SIZE, ~0u);
}

static _Noreturn void fz_fail(const struct fz_call *c, long r, const char *what)
{
    rvt_failure("seed %u call %u: %s(%u: 0x%x, 0x%x, 0x%x, 0x%x, 0x%x) -> %s: %s "
"(replay: make fuzz SEED=%u CALLS=%u [TRACE=N])", seed, call_no, rv_hypercall_name(c->nr), c->nr,
                c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], rv_errname(r), what, seed, call_no + 1);
}

#define SNAP_PT 8
static uint64_t pt_snap[SNAP_PT][512]; /* the tables at the start, to name what changed */

static void snap_pt(void)
{
    for (uint32_t k = 0; k < fz.nr_pt && k < SNAP_PT; k++)
        memcpy(pt_snap[k], (const void *)fz.pt_va[k], RV_PAGE_SIZE);
}

static _Noreturn void pt_changed(const struct fz_call *c, long r)
{
    const uint64_t ad = RV_PTE_A | RV_PTE_D;
    for (uint32_t k = 0; k < fz.nr_pt && k < SNAP_PT; k++)
        for (unsigned i = 0; i < 512; i++) {
            uint64_t now = ((const volatile uint64_t *)fz.pt_va[k])[i];
            if ((now ^ pt_snap[k][i]) & ~ad) {
                rv_snprintf(why, sizeof why, "the fuzzer's own page tables changed: L%u mfn 0x%x slot %u "
                            "0x%llx -> 0x%llx", fz.pt_level[k], fz.pt_mfn[k], i,
                            (unsigned long long)pt_snap[k][i], (unsigned long long)now);
                fz_fail(c, r, why);
            }
        }
    fz_fail(c, r, "the fuzzer's own page tables changed");
}

static void check_invariants(const struct fz_call *c, long r)
{
    if (pt_sum() != pt_sum0)
        pt_changed(c, r);
    if (mt_stats().base_mfn != base0)
        fz_fail(c, r, "the current base changed");
}

static void check_periodic(const struct fz_call *c, long r)
{
    check_invariants(c, r);
    if (rvt_sum_words(fz_page(FZ_RO_PAGE), fz_page(FZ_RO_PAGE + 1), ~0u) != ro_sum0) {
        uint32_t va = fz_page(FZ_RO_PAGE);
        fz_seed(ro_seed);
        while (va < fz_page(FZ_RO_PAGE + 1) && *(volatile uint32_t *)va == (fz_rand() | 0x80000000u))
            va += 4;
        rv_snprintf(why, sizeof why, "the read-only page changed at 0x%x: 0x%x (pte 0x%llx)", va,
                    *(volatile uint32_t *)va, (unsigned long long)mt_get_pte(fz_page(FZ_RO_PAGE)));
        fz_fail(c, r, why);
    }
    if (code_sum() != code_sum0)
        fz_fail(c, r, "the fuzzer's code changed");
}

/* Sizes each call must be able to read (rd) or write (wr) at a pointer. */
static void pointer_rules(const struct fz_call *c, long r)
{
    const uint32_t *a = c->a;
    uint32_t need_rd = 0, need_wr = 0, at = 0;
    switch (c->nr) {
    case RV_HC_version: if (a[0] == RV_VERSION_EXTRA) need_wr = 32, at = 1; break;
    case RV_HC_console_io:
        if (a[0] == RV_CONSOLE_WRITE && a[1] >= 1 && a[1] <= RV_CONSOLE_MAX) need_rd = a[1], at = 2;
        break;
    case RV_HC_sched_op: if (a[0] == RV_SCHED_POLL) need_rd = sizeof(struct rv_sched_poll), at = 1; break;
    case RV_HC_multicall:
        if (a[1] >= 1 && a[1] <= RV_MULTICALL_MAX)
            need_rd = need_wr = a[1] * sizeof(struct rv_multicall_entry);
        break;
    case RV_HC_set_trap_table: if (a[1] >= 1 && a[1] <= RV_TRAP_TABLE_MAX) need_rd = 8; break;
    case RV_HC_set_gdt: if (a[1] >= 1 && a[1] <= RV_GDT_GUEST_ENTRIES) need_rd = 8; break;
    case RV_HC_mmu_update: if (a[1] >= 1 && a[1] <= RV_MMU_UPDATE_MAX) need_rd = 16; break;
    case RV_HC_mmuext_op: if (a[1] >= 1 && a[1] <= RV_MMUEXT_MAX) need_rd = 8; break;
    case RV_HC_vcpu_op:
        at = 1;
        if (a[0] == RV_VCPUOP_GET_STATS) need_wr = sizeof(struct rv_vcpu_stats);
        if (a[0] == RV_VCPUOP_SET_RETURN_WINDOW) need_rd = sizeof(struct rv_return_window);
        break;
    case RV_HC_memory_op: if (a[0] == RV_MEMOP_STATS) need_wr = sizeof(struct rv_mem_stats), at = 1; break;
    case RV_HC_event_channel_op:
        at = 1;
        need_rd = (uint32_t[]){ 8, 8, 12, 0, 0, 16, 0, 0 }[a[0] < 8 ? a[0] : 7];
        break;
    }
    int bad = (need_rd && c->rd[at] < need_rd) || (need_wr && c->wr[at] < need_wr);
    if (bad && r != -RV_EFAULT)
        fz_fail(c, r, "a pointer that cannot be used wholly must give -EFAULT");
    if (c->nr == RV_HC_multicall && need_rd && !bad && c->wr[0] != ~0u && r != 0) /* ~0: unknown */
        fz_fail(c, r, "a multicall of a readable array must return 0");
}

static const char *entry_why(const struct rv_multicall_entry *e, uint32_t i, const char *what)
{
    rv_snprintf(why, sizeof why, "entry %u %s(%u: 0x%x, 0x%x, 0x%x, 0x%x, 0x%x) -> %s: %s", i,
                rv_hypercall_name(e->op), e->op, e->args[0], e->args[1], e->args[2], e->args[3], e->args[4],
                rv_errname(e->result), what);
    return why;
}

static void check_multicall(const struct fz_call *c)
{
    const struct rv_multicall_entry *e = (const void *)c->a[0];
    for (uint32_t i = 0; i < c->a[1]; i++) {
        long res = e[i].result;
        uint32_t op = e[i].op;
        const char *what = 0;
        if (op == RV_HC_iret || op == RV_HC_multicall) {
            if (res != -RV_EINVAL)
                what = "an iret or multicall entry must be -EINVAL";
        } else if (res < 0 && !(allowed(op) & EB((uint32_t)-res))) {
            what = "an entry's error is not in ABI.md's set for its hypercall";
        } else if (op >= RV_NR_HYPERCALLS && res != -RV_ENOSYS) {
            what = "an entry with an unknown number must be -ENOSYS";
        }
        if (what)
            fz_fail(c, 0, entry_why(&e[i], i, what));
    }
}

static void check_result(const struct fz_call *c, long r)
{
    if (r < 0 && (-r >= NERR || !(allowed(c->nr) & EB((uint32_t)-r))))
        fz_fail(c, r, "not an error ABI.md lists for this hypercall");
    if (c->nr >= RV_NR_HYPERCALLS && r != -RV_ENOSYS)
        fz_fail(c, r, "an unknown hypercall number must be -ENOSYS");
    if (c->nr == RV_HC_virtio_op && r != (c->a[0] > RV_VIRTIO_NOTIFY ? -RV_ENOSYS : -RV_ENOENT))
        fz_fail(c, r, "virtio_op without devices: -ENOSYS for cmd > 9, else -ENOENT");
    if (c->nr == RV_HC_domctl && r != -RV_EPERM)
        fz_fail(c, r, "domctl from a domain that is not a control domain must be -EPERM");
    if (c->must_refuse && r >= 0)
        fz_fail(c, r, "accepted a value ABI.md refuses");
    if (r > 0 && c->nr != RV_HC_version && c->nr != RV_HC_console_io)
        fz_fail(c, r, "a positive result from a call that returns 0");
    if (c->nr == RV_HC_version && c->a[0] == RV_VERSION_ABI && r != RV_ABI_VERSION)
        fz_fail(c, r, "version ABI is not RV_ABI_VERSION");
    if (c->nr == RV_HC_console_io && r >= 0 && r > (long)c->a[1])
        fz_fail(c, r, "console_io returned more than count");
    pointer_rules(c, r);
    /* Entries in the array page only: elsewhere an entry's output may land on another entry. */
    if (c->nr == RV_HC_multicall && r == 0 && c->a[0] - fz_page(FZ_ARRAY_PAGE) < RV_PAGE_SIZE)
        check_multicall(c);
    if (!rv_shared_info->vcpu_info[0].evtchn_upcall_mask)
        fz_fail(c, r, "the event mask was cleared");
}

static uint32_t sreg(int which)
{
    uint32_t v = 0;
    if (which == 0) __asm__ volatile("mov %%ds, %0" : "=r"(v));
    if (which == 1) __asm__ volatile("mov %%es, %0" : "=r"(v));
    if (which == 2) __asm__ volatile("mov %%fs, %0" : "=r"(v));
    if (which == 3) __asm__ volatile("mov %%gs, %0" : "=r"(v));
    return v & 0xffff;
}

static long issue(const struct fz_call *c)
{
    struct fz_regs in = { .eax = c->nr, .ebx = c->a[0], .ecx = c->a[1], .edx = c->a[2], .esi = c->a[3],
                          .edi = c->a[4], .ebp = fz_rand(),
                          .eflags = 0x202 | (fz_rand() & 0x8d5) | (fz_pick(4) ? 0 : 0x400) | (fz_pick(4) ? 0 : 0x40000) };
    struct fz_regs out;
    uint32_t segs[4] = { sreg(0), sreg(1), sreg(2), sreg(3) };
    fz_call(&in, &out);
    const uint32_t *i = &in.ebx, *o = &out.ebx;
    for (int k = 0; k < 6; k++)
        if (i[k] != o[k])
            fz_fail(c, (int32_t)out.eax, (const char *[]){ "EBX changed", "ECX changed", "EDX changed",
                                                           "ESI changed", "EDI changed", "EBP changed" }[k]);
    if (out.esp_moved)
        fz_fail(c, (int32_t)out.eax, "ESP changed");
    if ((in.eflags ^ out.eflags) & FLAGS_KEPT)
        fz_fail(c, (int32_t)out.eax, "the flags changed");
    if (out.ds != segs[0] || out.es != segs[1] || out.fs != segs[2] || out.gs != segs[3])
        fz_fail(c, (int32_t)out.eax, "a segment register changed");
    return (int32_t)out.eax;
}

static int in_region(uint32_t p)
{
    return p - fz_page(FZ_DATA_PAGE) < (FZ_GUARD_MID - FZ_DATA_PAGE) * RV_PAGE_SIZE;
}

static void scramble_scratch(void)
{
    for (uint32_t va = fz_page(FZ_DATA_PAGE); va < fz_page(FZ_GUARD_MID); va += 4)
        *(volatile uint32_t *)va = fz_pick(4) ? fz_rand() : fz_pick(64);
}

static void report(uint64_t ns)
{
    char line[1000];
    int n = rv_snprintf(line, sizeof line, "seed %u: %u calls in %u ms (%u calls/s); ok %u;", seed, ncalls,
                        (uint32_t)(ns / RV_NS_PER_MS), ns ? (uint32_t)((uint64_t)ncalls * RV_NS_PER_SEC / ns) : 0,
                        ok_calls);
    for (int e = 1; e < NERR; e++)
        if (errs[e])
            n += rv_snprintf(line + n, sizeof line - n, " %s=%u", rv_errname(-e), errs[e]);
    rvt_log("%s", line);
    n = rv_snprintf(line, sizeof line, "by hypercall:");
    for (uint32_t k = 0; k <= RV_NR_HYPERCALLS; k++)
        n += rv_snprintf(line + n, sizeof line - n, " %s=%u", k < RV_NR_HYPERCALLS ? rv_hypercall_name(k) : "unknown",
                         per_nr[k]);
    rvt_log("%s", line);
}

void test_main(void)
{
    seed = (uint32_t)rv_cmdline_int("seed", 1);
    ncalls = (uint32_t)rv_cmdline_int("calls", 100000);
    uint32_t trace = (uint32_t)rv_cmdline_int("trace", -1), every = (uint32_t)rv_cmdline_int("every", 1u << 16);
    uint32_t check_every = (uint32_t)rv_cmdline_int("check", 1024);
    if (rv_cmdline_value("strict-calls") && rvt_probe_segment_limits())
        ncalls = (uint32_t)rv_cmdline_int("strict-calls", ncalls);
    fz_seed(seed);
    ro_seed = seed;
    rv_shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
    RVT_REQUIRE_OK(rv_hc_set_callbacks(RV_FLAT_RING1_CS, 0), "set_callbacks none");
    struct rv_virtio_info vi;
    if (rv_hypercall(RV_HC_virtio_op, RV_VIRTIO_PROBE, 0, (uint32_t)&vi, 0, 0) != -RV_ENOENT)
        rvt_error("the fuzzer must run without devices");
    fz_env_init();
    scramble_scratch();
    pt_sum0 = pt_sum();
    snap_pt();
    ro_sum0 = rvt_sum_words(fz_page(FZ_RO_PAGE), fz_page(FZ_RO_PAGE + 1), ~0u);
    code_sum0 = code_sum();
    base0 = mt_stats().base_mfn;
    rvt_log("seed %u, %u calls, %u page-table frames, region at 0x%x", seed, ncalls, fz.nr_pt, fz.region);

    uint64_t t0 = rv_time_ns();
    struct fz_call c;
    for (call_no = 0; call_no < ncalls; call_no++) {
        fz_gen(&c, 0);
        if (call_no >= trace)
            rvt_log("call %u: %s(%u: 0x%x, 0x%x, 0x%x, 0x%x, 0x%x)", call_no, rv_hypercall_name(c.nr), c.nr,
                    c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]);
        if (call_no >= trace && c.nr == RV_HC_multicall && in_region(c.a[0]))
            for (uint32_t i = 0; i < c.a[1] && i < 64 && c.a[0] + i * 28 + 28 <= fz_page(FZ_GUARD_MID); i++) {
                const struct rv_multicall_entry *e = (const void *)(c.a[0] + i * 28);
                rvt_log("  entry %u: %s(%u: 0x%x, 0x%x, 0x%x, 0x%x, 0x%x)", i, rv_hypercall_name(e->op), e->op,
                        e->args[0], e->args[1], e->args[2], e->args[3], e->args[4]);
                if (e->op == RV_HC_sched_op && e->args[0] == RV_SCHED_POLL && in_region(e->args[1]) &&
                    e->args[1] + 16 <= fz_page(FZ_GUARD_MID)) {
                    const struct rv_sched_poll *p = (const void *)e->args[1];
                    rvt_log("    poll: ports 0x%x nr %u timeout 0x%llx", p->ports, p->nr_ports,
                            (unsigned long long)p->timeout);
                }
            }
        long r = issue(&c);
        check_result(&c, r);
        if (c.restore) {
            rv_trap_set_defaults();
            rv_hc_set_callbacks(RV_FLAT_RING1_CS, 0);
        }
        if (c.nr == RV_HC_mmu_update || c.nr == RV_HC_mmuext_op || c.nr == RV_HC_update_va_mapping ||
            c.nr == RV_HC_multicall)
            check_invariants(&c, r);
        if (call_no % check_every == check_every - 1) {
            check_periodic(&c, r);
            scramble_scratch();
        }
        if (r >= 0)
            ok_calls++;
        else
            errs[-r]++;
        per_nr[c.nr < RV_NR_HYPERCALLS ? c.nr : RV_NR_HYPERCALLS]++;
        if (every && call_no % every == every - 1)
            rvt_log("at call %u", call_no + 1);
    }
    check_periodic(&c, 0);
    report(rv_time_ns() - t0);
    rvt_success();
}
