/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/mmu.c: page-table updates in batches (Linux's "lazy MMU
 * mode", Xen's multicall batching).
 *
 * A page-table write costs a trap into the monitor, so requests wait in a
 * queue and leave together.  The queue is a multicall being built: each
 * run of consecutive requests of one kind (mmu_update entries, mmuext
 * ops) becomes one call whose list is a slice of that kind's buffer.  A
 * flush sends one call directly, or several in one multicall, in the
 * order they were queued: "unpin, then remap writable, then flush the TLB"
 * is one trap.  After each call the `done` count the monitor wrote tells
 * how far it got; the first request that failed is printed.
 */
#include <pvguest.h>

#define MAX_CALLS 8 /* runs in one multicall before a flush */

static struct rv_mmu_update updates[RV_MMU_QUEUE_UPDATES];
static struct rv_mmuext_op exts[RV_MMU_QUEUE_EXT];
static unsigned nr_updates, nr_exts;

static struct rv_multicall_entry calls[MAX_CALLS];
static uint32_t done[MAX_CALLS]; /* each call's `done`, written by the monitor */
static unsigned nr_calls;
static long sticky;              /* the first error since the last rv_mmu_flush() */

/* Says which request of call c failed (or that the monitor's count is wrong). */
static void report(const struct rv_multicall_entry *c, uint32_t ok)
{
    if (c->op == RV_HC_mmu_update) {
        const struct rv_mmu_update *u = (const struct rv_mmu_update *)c->args[0] + ok;
        rv_printf("libpvguest: mmu_update request %u of %u failed: %s (ptr 0x%llx val 0x%llx)\n",
                  ok, c->args[1], rv_errname(c->result), u->ptr, u->val);
    } else {
        const struct rv_mmuext_op *e = (const struct rv_mmuext_op *)c->args[0] + ok;
        rv_printf("libpvguest: mmuext_op %u of %u failed: %s (cmd %u arg 0x%x)\n",
                  ok, c->args[1], rv_errname(c->result), e->cmd, e->arg);
    }
}

/* The result of call i, checked against its done count. */
static long call_result(unsigned i)
{
    const struct rv_multicall_entry *c = &calls[i];

    if (c->result == 0 && done[i] == c->args[1])
        return 0;
    if (c->result == 0) { /* success, but not everything done: a monitor bug */
        rv_printf("libpvguest: %s said 0 but did %u of %u\n", rv_hypercall_name(c->op), done[i], c->args[1]);
        return -RV_EINVAL;
    }
    report(c, done[i] < c->args[1] ? done[i] : 0);
    return c->result;
}

/* Sends what is queued and empties the queue; 0 or the first error. */
static long send(void)
{
    long rc = 0;

    if (nr_calls == 1) {
        calls[0].result = (int32_t)rv_hypercall(calls[0].op, calls[0].args[0], calls[0].args[1],
                                                calls[0].args[2], 0, 0);
    } else if (nr_calls > 1 && (rc = rv_hc_multicall(calls, nr_calls)) < 0) {
        rv_printf("libpvguest: multicall of %u page-table calls failed: %s\n", nr_calls, rv_errname(rc));
    }
    for (unsigned i = 0; i < nr_calls && rc == 0; i++)
        rc = call_result(i);
    nr_calls = nr_updates = nr_exts = 0;
    if (rc && !sticky)
        sticky = rc;
    return rc;
}

/*
 * Makes room for one request of kind op (whose buffer holds *n of max)
 * and returns the call it joins: the last one if it is of that kind, else
 * a new one starting at first.  Flushes when a buffer or the call list is
 * full.  NULL after an error (the request is dropped).
 */
static struct rv_multicall_entry *join(unsigned op, unsigned *n, unsigned max, void *buf, unsigned size)
{
    int new_call = !nr_calls || calls[nr_calls - 1].op != op;

    if (sticky)
        return 0;
    if (*n == max || (new_call && nr_calls == MAX_CALLS)) {
        if (send())
            return 0;
        new_call = 1;
    }
    if (new_call) {
        struct rv_multicall_entry *c = &calls[nr_calls];

        c->op = op;
        c->result = 0;
        c->args[0] = (uint32_t)buf + *n * size;
        c->args[1] = 0;
        c->args[2] = (uint32_t)&done[nr_calls];
        done[nr_calls++] = 0;
    }
    calls[nr_calls - 1].args[1]++;
    return &calls[nr_calls - 1];
}

long rv_mmu_queue(uint64_t ptr, uint64_t val)
{
    if (!join(RV_HC_mmu_update, &nr_updates, RV_MMU_QUEUE_UPDATES, updates, sizeof(updates[0])))
        return sticky;
    updates[nr_updates].ptr = ptr;
    updates[nr_updates++].val = val;
    return 0;
}

long rv_mmuext_queue(unsigned cmd, uint32_t arg)
{
    if (!join(RV_HC_mmuext_op, &nr_exts, RV_MMU_QUEUE_EXT, exts, sizeof(exts[0])))
        return sticky;
    exts[nr_exts].cmd = cmd;
    exts[nr_exts++].arg = arg;
    return 0;
}

long rv_mmu_flush(void)
{
    long rc;

    if (nr_calls)
        send();
    rc = sticky;
    sticky = 0;
    return rc;
}

/* The kernel's L1 entry for page, with R/W set or clear. */
static long queue_prot(const void *page, int writable)
{
    uint32_t va = (uint32_t)page;
    uint64_t ptr = rv_as_pte_maddr(rv_as_kernel(), va);
    uint64_t pte = rv_as_pte(rv_as_kernel(), va);

    if (!ptr || !(pte & RV_PTE_P))
        return -RV_EINVAL;
    return rv_mmu_queue(ptr, writable ? pte | RV_PTE_RW : pte & ~RV_PTE_RW);
}

long rv_mmu_queue_readonly(const void *page)
{
    return queue_prot(page, 0);
}

long rv_mmu_queue_writable(const void *page)
{
    return queue_prot(page, 1);
}

long rv_mem_stats_print(const char *label, struct rv_mem_stats *out)
{
    struct rv_mem_stats st;
    long rc = rv_hc_memory_op(RV_MEMOP_STATS, &st);

    if (rc < 0) {
        rv_printf("memory (%s): memory_op failed: %s\n", label, rv_errname(rc));
        return rc;
    }
    rv_printf("memory (%s): %u frames, %u page-table frames, %u pinned, %u mapped writable, base mfn 0x%x\n",
              label, st.nr_pages, st.pt_frames, st.pinned, st.writable, st.base_mfn);
    if (out)
        *out = st;
    return rc;
}
