/* SPDX-License-Identifier: MIT */
/*
 * seg-desc-nullify: "a data selector the guest has loaded whose entry
 * becomes unusable is replaced by the null selector on the next return to
 * the guest" (ABI.md, update_descriptor).  For each of DS, ES, FS and GS:
 * load a selector of ours, make its entry unusable in one int $0x82
 * (update_descriptor: zeroed, not present, or execute-only code, which a
 * data register cannot hold; set_gdt: cleared because count stops below
 * it), and read the register right after the hypercall.  The monitor's
 * exit path must survive the reload failing.  An entry that stays usable
 * (a new limit) keeps its selector.  Runs alone: a monitor that gets this
 * wrong may take the whole machine down.
 */
#include "segutil.h"

#define IDX 50

static uint32_t buf[1024] __attribute__((aligned(4096)));
static struct rv_descriptor table[IDX];

/*
 * Loads sel into REG, makes hypercall nr(a1, a2, a3) with int $0x82 and
 * returns what REG holds afterwards (flat again before any memory access
 * through it).  *rc gets the hypercall's result.
 */
#define AFTER_CALL(reg)                                                                 \
    static unsigned after_call_##reg(unsigned sel, unsigned nr, uint32_t a1, uint32_t a2, \
                                     uint32_t a3, long *rc)                             \
    {                                                                                   \
        unsigned out;                                                                   \
        long r;                                                                         \
        __asm__ volatile("movw %w[sel], %%" #reg "\n\t"                                 \
                         "int $0x82\n\t"                                                \
                         "movw %%" #reg ", %w[out]\n\t"                                 \
                         "movzwl %w[out], %[out]\n\t"                                   \
                         "pushl %[flat]\n\t"                                            \
                         "popl %%" #reg                                                 \
                         : "=a"(r), [out] "=&r"(out)                                    \
                         : "0"(nr), "b"(a1), "c"(a2), "d"(a3), [sel] "S"(sel),          \
                           [flat] "i"(RV_FLAT_RING1_DS)                                 \
                         : "memory");                                                   \
        *rc = r;                                                                        \
        return out;                                                                     \
    }
AFTER_CALL(ds)
AFTER_CALL(es)
AFTER_CALL(fs)
AFTER_CALL(gs)

typedef unsigned (*after_fn)(unsigned, unsigned, uint32_t, uint32_t, uint32_t, long *);

static const struct {
    after_fn fn;
    const char *name;
} regs[] = {
    { after_call_ds, "DS" }, { after_call_es, "ES" },
    { after_call_fs, "FS" }, { after_call_gs, "GS" },
};

void test_main(void)
{
    struct rv_descriptor good = seg_desc((uint32_t)(uintptr_t)buf, 0xfff, T_DATA_RW, 1);
    struct rv_descriptor moved = seg_desc((uint32_t)(uintptr_t)buf, 0x7ff, T_DATA_RW, 1);
    const struct {
        struct rv_descriptor d;
        const char *what;
    } unusable[] = {
        { seg_raw(0, 0, 0, 0, 0, 0, 0), "zeroed" },
        { seg_raw((uint32_t)(uintptr_t)buf, 0xfff, T_DATA_RW, 1, 1, 0, SEG_DB), "made not present" },
        { seg_desc(0, 0x7fffff, T_CODE_X, 1), "made execute-only code" },
    };
    unsigned sel = rv_selector(IDX, 1), after;
    long rc;

    buf[0] = 0x600d;
    for (unsigned r = 0; r < sizeof regs / sizeof regs[0]; r++) {
        rvt_log("%s", regs[r].name);
        for (unsigned u = 0; u < sizeof unusable / sizeof unusable[0]; u++) {
            SEG_RC(seg_update(IDX, good), 0, "a data segment for %s", regs[r].name);
            RVT_EXPECT_EQ(seg_read32(sel, 0), 0x600d, "reading through it");
            after = regs[r].fn(sel, RV_HC_update_descriptor, IDX, unusable[u].d.low, unusable[u].d.high, &rc);
            SEG_RC(rc, 0, "update_descriptor while %s holds the entry (%s)", regs[r].name, unusable[u].what);
            if (after != 0)
                rvt_failure("%s is 0x%x after its entry was %s, expected the null selector",
                            regs[r].name, after, unusable[u].what);
        }
        /* set_gdt with count = IDX clears the entry. */
        SEG_RC(seg_update(IDX, good), 0, "a data segment for %s", regs[r].name);
        after = regs[r].fn(sel, RV_HC_set_gdt, (uint32_t)(uintptr_t)table, IDX, 0, &rc);
        SEG_RC(rc, 0, "set_gdt clearing the entry %s holds", regs[r].name);
        if (after != 0)
            rvt_failure("%s is 0x%x after set_gdt cleared its entry, expected the null selector",
                        regs[r].name, after);
        /* Still usable (another limit): the selector stays. */
        SEG_RC(seg_update(IDX, good), 0, "a data segment for %s", regs[r].name);
        after = regs[r].fn(sel, RV_HC_update_descriptor, IDX, moved.low, moved.high, &rc);
        SEG_RC(rc, 0, "update_descriptor while %s holds the entry (new limit)", regs[r].name);
        if (after != sel)
            rvt_failure("%s is 0x%x after its entry got a new limit, expected 0x%x (still usable)",
                        regs[r].name, after, sel);
    }
    /* The monitor is fine and so are we. */
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "version afterwards");
    RVT_EXPECT_EQ(seg_get_ds(), RV_FLAT_RING1_DS, "DS afterwards");
    rvt_success();
}
