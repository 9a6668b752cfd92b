/*
 * monitor/emulate.c: what happens when a ring-1 guest executes an
 * instruction that needs CPL 0 (SDM Vol. 3A 5.9) or IOPL (SDM Vol. 1
 * 18.2).  A PV guest should never do that: each one has a hypercall or a
 * shared-memory replacement (ABI.md, "Sensitive instructions").  We emulate
 * a small documented set whose meaning is obvious and whose effect stays
 * inside the domain, counting each use so the console can show a port that
 * still leans on them:
 *   CLI -> virtual IF off, STI -> virtual IF on, HLT -> sleep until an
 *   event is pending, the virtual IF left as it was (ABI 1.5; before, HLT
 *   turned it on like sched_op block).
 * Every other privileged instruction kills the domain, naming it.
 * POPF never traps (in ring 1 it silently keeps IF), so it cannot be
 * emulated: guests write the virtual IF in shared_info instead.
 *
 * Each trap is also noted by site (linear address and instruction name,
 * the first TRAP_SITES sites) and printed when the domain ends as
 * `trapped: NAME@0xADDR=N ...`: a static checker of the image (tools/
 * pvlint.py) must have found every one of them (tests/PROTOCOL.md).
 */
#include "emulate.h"
#include "console.h"
#include "domain.h"
#include "uaccess.h"

const char *const emul_names[EMUL_COUNT] = { "cli", "sti", "hlt" };

static const char *const cr_names[8] = { "mov cr0", "mov cr1", "mov cr2", "mov cr3",
                                         "mov cr4", "mov cr5", "mov cr6", "mov cr7" };
static const char *const dr_names[8] = { "mov dr0", "mov dr1", "mov dr2", "mov dr3",
                                         "mov dr4", "mov dr5", "mov dr6", "mov dr7" };

/* Names the privileged instruction at bytes b (after prefixes), or NULL. */
static const char *privileged_name(const uint8_t *b)
{
    switch (b[0]) {
    case 0xe4: case 0xe5: case 0xec: case 0xed: return "in";
    case 0xe6: case 0xe7: case 0xee: case 0xef: return "out";
    case 0x6c: case 0x6d: return "ins";
    case 0x6e: case 0x6f: return "outs";
    case 0x0f:
        break;
    default:
        return 0;
    }
    uint8_t reg = (b[2] >> 3) & 7;
    switch (b[1]) {
    case 0x00: return reg == 2 ? "lldt" : reg == 3 ? "ltr" : 0;
    case 0x01:
        if (b[2] == 0xf8) return "swapgs";
        if (b[2] == 0xd1) return "xsetbv";
        return reg == 2 ? "lgdt" : reg == 3 ? "lidt" : reg == 6 ? "lmsw" : reg == 7 ? "invlpg" : 0;
    case 0x06: return "clts";
    case 0x08: return "invd";
    case 0x09: return "wbinvd";
    case 0x20: case 0x22: return cr_names[reg];  /* ModR/M reg = the CR number (SDM Vol. 2B, MOV) */
    case 0x21: case 0x23: return dr_names[reg];
    case 0x30: return "wrmsr";
    case 0x32: return "rdmsr";
    case 0x33: return "rdpmc";
    case 0x35: return "sysexit";
    case 0x07: return "sysret";
    default: return 0;
    }
}

static int is_prefix(uint8_t b)
{
    return b == 0x66 || b == 0x67 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 ||
           b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65 || b == 0xf0;
}

/* Counts one trap at linear address lin; insn names it, or is "?". */
static void note_site(struct domain *d, uint32_t lin, const char *insn)
{
    for (int i = 0; i < TRAP_SITES; i++) {
        struct trap_site *t = &d->trap_site[i];
        if (t->count && t->lin == lin) {
            t->count++;
            return;
        }
        if (!t->count) {
            *t = (struct trap_site){ lin, 1, insn };
            return;
        }
    }
    d->trap_sites_lost++;
}

void emulate_print_sites(struct domain *d)
{
    if (!d->trap_site[0].count)
        return;
    dlog(d, "trapped:");
    for (int i = 0; i < TRAP_SITES && d->trap_site[i].count; i++)
        kprintf(" %s@0x%x=%u", d->trap_site[i].insn, d->trap_site[i].lin, d->trap_site[i].count);
    if (d->trap_sites_lost)
        kprintf(" +%u at other sites", d->trap_sites_lost);
    kprintf("\n");
}

static void emulated(struct domain *d, struct trap_frame *f, enum emul_insn which, uint32_t len)
{
    d->emulated[which]++;
    d->stats.emulated++;
    f->eip += len;
}

int emulate_privileged(struct domain *d, struct trap_frame *f)
{
    uint8_t b[16] = { 0 };
    int ok;
    uint32_t lin = seg_base(d, f->cs, &ok) + f->eip, n = 0;
    /* Byte by byte: the instruction may end just before an unmapped page. */
    while (ok && n < sizeof(b) && copy_from_guest(&b[n], lin + n, 1) == 0)
        n++;
    uint32_t p = 0;
    while (p < 4 && is_prefix(b[p]))
        p++;
    const char *name = n ? privileged_name(&b[p]) : 0;
    note_site(d, lin, b[p] == 0xfa ? "cli" : b[p] == 0xfb ? "sti" : b[p] == 0xf4 ? "hlt" : name ? name : "?");
    if (n == 0)
        return 0; /* cannot read it: let the guest see its #GP */
    switch (b[p]) {
    case 0xfa:
        vcpu_info(d)->evtchn_upcall_mask = 1;
        emulated(d, f, EMUL_CLI, p + 1);
        return 1;
    case 0xfb:
        vcpu_info(d)->evtchn_upcall_mask = 0;
        emulated(d, f, EMUL_STI, p + 1);
        return 1;
    case 0xf4:
        /* HLT waits for an interrupt; with the virtual IF off, a real CPU
         * would not take it, so the mask stays as the guest had it: we
         * sleep until an event is pending and return after the HLT. */
        emulated(d, f, EMUL_HLT, p + 1);
        sched_wait_event();
        return 1;
    }
    if (!name)
        return 0;
    domain_kill(d, "privileged instruction %s at 0x%x (eip 0x%x err 0x%x)", name, lin, f->eip, f->error);
    sched_leave_dead();
}
