/*
 * monitor/gdt.c: segments.  Ring compression rests on them: every
 * descriptor a guest can load ends below RV_HOLE_START, so neither ring 1
 * nor ring 3 can address the monitor even though paging would let ring 1
 * (a supervisor level, SDM Vol. 3A 5.6) touch supervisor pages.
 *
 * Each domain has its own GDT page: entries 0-255 are the guest's, filled
 * only through set_gdt/update_descriptor after desc_check(); entries 256 on
 * are the monitor's and identical in every copy.  Switching domains is an
 * LGDT.  One TSS serves the CPU: ESP0 is the running domain's monitor
 * stack, SS1:ESP1 the ring-1 stack the guest gave with stack_switch, which
 * the CPU uses when int 0x80 from ring 3 enters the guest kernel through a
 * direct trap gate (SDM Vol. 3A 7.2.1, 6.12.1).  The TSS has no I/O bitmap:
 * IN/OUT from ring 1 and 3 fault (SDM Vol. 1 18.5.2).  There is no LDT:
 * LDTR is null, so TI = 1 selectors fault (gdt_init).
 */
#include "gdt.h"
#include "abi.h"
#include "console.h"
#include "desc.h"
#include "domain.h"
#include "frame.h"
#include "layout.h"
#include "paging.h"
#include "trap.h"
#include "rvlib.h"
#include "segfix.h"
#include "x86.h"

struct tss cpu_tss __attribute__((aligned(128)));
static struct tss df_tss __attribute__((aligned(128)));
static uint8_t df_stack[4096] __attribute__((aligned(16)));
static uint64_t idle_gdt[GDT_ENTRIES] __attribute__((aligned(4096)));

void df_task(void); /* panic.c: runs as the double-fault task */

static uint64_t make(uint32_t base, uint32_t last, unsigned type, unsigned dpl, int system)
{
    uint32_t lo, hi;
    desc_make(base, last, type, dpl, system, &lo, &hi);
    return ((uint64_t)hi << 32) | lo;
}

static void fill_monitor_entries(uint64_t *g, struct tss *tss, struct tss *df)
{
    g[GDT_MON_CS_IDX] = make(0, 0xffffffff, 0xb, 0, 0);      /* code, exec/read, accessed */
    g[GDT_MON_DS_IDX] = make(0, 0xffffffff, 0x3, 0, 0);      /* data, read/write, accessed */
    g[GDT_TSS_IDX] = make((uint32_t)tss, sizeof(*tss) - 1, 0x9, 0, 1);
    g[GDT_DF_TSS_IDX] = make((uint32_t)df, sizeof(*df) - 1, 0x9, 0, 1);
    g[GDT_RING1_CS_IDX] = make(0, RV_GUEST_VA_LIMIT, 0xb, 1, 0);
    g[GDT_RING1_DS_IDX] = make(0, RV_GUEST_VA_LIMIT, 0x3, 1, 0);
    g[GDT_RING3_CS_IDX] = make(0, RV_GUEST_VA_LIMIT, 0xb, 3, 0);
    g[GDT_RING3_DS_IDX] = make(0, RV_GUEST_VA_LIMIT, 0x3, 3, 0);
}

static void load(uint64_t *g)
{
    struct dtr d = { .limit = GDT_ENTRIES * 8 - 1, .base = (uint32_t)g };
    lgdt(&d);
}

/*
 * One CPU's segments: its idle GDT (the monitor's entries, the TSS slot
 * pointing at this CPU's own TSS: TR and the stacks in it are per CPU),
 * its TSS and its #DF task.  Every CPU runs this once, the boot CPU from
 * gdt_init, each AP from smp.c.
 */
void gdt_init_cpu(uint64_t *gdt, struct tss *tss, struct tss *df, uint8_t *df_stk, uint32_t df_size)
{
    tss->ss0 = MON_DS;
    tss->iomap_base = sizeof(*tss); /* no I/O bitmap: every port faults */
    /* The double-fault task: a fresh stack and known segments, whatever state
     * the monitor was in (SDM Vol. 3A 6.15, interrupt 8). */
    df->esp0 = df->esp = (uint32_t)df_stk + df_size;
    df->ss0 = df->ss = df->ds = df->es = MON_DS;
    df->cs = MON_CS;
    df->eip = (uint32_t)df_task;
    df->eflags = EFL_RSVD1;
    df->cr3 = VA2PA(boot_pdpt);
    df->iomap_base = sizeof(*df);
    fill_monitor_entries(gdt, tss, df);
    load(gdt);
    reload_segments();
    ltr(MON_TSS_SEL);
    /* A null LDTR: every TI = 1 selector then raises #GP(selector) (SDM
     * Vol. 3A 3.5.1).  The loader leaves selector 0 in LDTR with a live
     * hidden part (base 0, limit 0xffff), i.e. an LDT at linear 0 that a
     * guest can map and fill with descriptors and call gates of its own.
     * LLDT with a null selector marks it unusable; nothing loads it again
     * (the #DF task's TSS holds LDT selector 0 too).  An AP leaves INIT
     * with LDTR null already (SDM Vol. 3A Table 9-1), loaded all the same. */
    lldt(0);
}

/* The boot CPU: guests run here, so its TSS is cpu_tss (gdt_load). */
void gdt_init(void)
{
    gdt_init_cpu(idle_gdt, &cpu_tss, &df_tss, df_stack, sizeof(df_stack));
}

void gdt_domain_init(struct domain *d)
{
    memset(d->gdt, 0, 4096);
    memcpy(&d->gdt[GDT_MON_CS_IDX], &idle_gdt[GDT_MON_CS_IDX],
           (GDT_ENTRIES - GDT_MON_CS_IDX) * 8);
}

void gdt_load(struct domain *d)
{
    load(d->gdt);
    cpu_tss.esp0 = (uint32_t)d->kstack + KSTACK_SIZE;
    cpu_tss.ss1 = d->kernel_ss;
    cpu_tss.esp1 = d->kernel_esp;
}

void gdt_load_idle(void)
{
    load(idle_gdt);
    cpu_tss.ss1 = cpu_tss.esp1 = 0;
}

/*
 * Every write of a guest entry goes through here.  A segment register keeps
 * the descriptor it loaded in its hidden part until it is loaded again (SDM
 * Vol. 3A 3.4.3), so the way back to the guest must reload them: the fast
 * hypercall exit, which keeps FS and GS, is told so.
 */
void gdt_set_entry(struct domain *d, uint32_t idx, uint64_t e)
{
    d->gdt[idx] = e;
    fsgs_stale = 1;
    segfix_forget(d, idx); /* a view segfix.c flipped is gone: the entry is e */
}

int gdt_ring1_selector_ok(struct domain *d, uint32_t sel, int want_code)
{
    if ((sel & 3) != 1 || sel > 0xffff)
        return 0;
    if (sel == (want_code ? RV_FLAT_RING1_CS : RV_FLAT_RING1_DS))
        return 1;
    uint32_t idx = sel >> 3;
    if ((sel & 4) || idx == 0 || idx >= RV_GDT_GUEST_ENTRIES)
        return 0;
    uint32_t hi = (uint32_t)(d->gdt[idx] >> 32);
    if (!desc_is_present(hi) || desc_dpl(hi) != 1 || desc_is_code(hi) != want_code)
        return 0;
    return want_code || (hi & 0x200); /* data must be writable (type bit 1) */
}
