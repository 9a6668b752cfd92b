/* SPDX-License-Identifier: MIT */
/*
 * monitor/segfix.c: 4 GiB data segments that a guest had to cut at the
 * hole, made to work again for negative offsets (the idea of Xen's 32-bit
 * "4gb segment fixup", arch/x86/x86_32/seg_fixup.c).
 *
 * The x86 reason.  No guest segment may reach the hole (ABI.md,
 * "Segments"), so a guest cuts a flat 4 GiB data segment at base B down to
 * expand-up offsets 0 .. RV_HOLE_START - B - 1.  Code that relies on the
 * 4 GiB wrap-around then breaks: i386 thread-local storage lies *below*
 * the thread pointer (TLS variant II), so glibc reads %gs:-N, the offset
 * 2^32 - N, which a 4 GiB segment wraps to linear B - N but which is far
 * past the cut limit: a CPU that checks limits raises #GP(0) (SDM Vol. 3A
 * 5.3; QEMU TCG does not check, so such a guest works there and not on
 * hardware or Bochs).  No single expand-up limit allows both %gs:0.. and
 * %gs:-N without allowing the offsets between them, which wrap through the
 * hole.  An expand-down segment with the same base allows exactly the
 * offsets that wrap (SDM Vol. 3A 3.4.5.1: limit+1 .. 0xFFFFFFFF with
 * B = 1), linear [B % 4 KiB, B).  So the monitor keeps two safe views of
 * one 4 GiB segment and flips between them: on a #GP(0) from ring 1 or 3
 * whose instruction has an FS or GS override (legacy prefix 64h/65h, SDM
 * Vol. 2A 2.1.1) and whose register holds a cut segment, it writes the
 * other view into the GDT, and the exit path reloads the register from the
 * frame and restarts the instruction.  Both views pass desc_check.
 *
 * Unlike Xen we do not decode the effective address.  An access outside
 * both views (into the hole, or across either end) faults again at once in
 * the view we just installed; then the guest gets its #GP(0), as on
 * hardware.  "At once" is told apart from a later run of the same
 * instruction by the registers: we record CS:EIP, the general registers,
 * the selector and the descriptor we installed.  A restarted instruction
 * that faults again has exactly those (a fault leaves the registers as
 * they were, SDM Vol. 3A 6.5); a later run that faults in that same view
 * must address another offset, so some register differs, or the entry was
 * rewritten or flipped by something else.  No livelock, no decoder.
 *
 * A flip changes the GDT entry, so every register holding that selector
 * sees the new view after the exit path reloads it; guests keep such
 * segments in FS or GS only (Linux's TLS entries: GS).
 */
#include "segfix.h"
#include "desc.h"
#include "domain.h"
#include "gdt.h"
#include "uaccess.h"

#define MAX_INSN 15 /* longest x86 instruction (SDM Vol. 2A 2.3.11) */

/* The segment override in effect: the last one among the legacy prefixes (0 if none). */
static uint8_t override_prefix(struct domain *d, struct trap_frame *f)
{
    int ok;
    uint32_t lin = seg_base(d, f->cs, &ok) + f->eip;
    uint8_t b, seg = 0;

    for (unsigned n = 0; ok && n < MAX_INSN; n++) {
        if (copy_from_guest(&b, lin + n, 1))
            return 0;
        switch (b) {
        case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
            seg = b;
            break;
        case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
            break;
        default:
            return seg; /* the opcode */
        }
    }
    return 0; /* unreadable, or prefixes only: not an instruction */
}

static int bit(const uint32_t *map, uint32_t i) { return (map[i / 32] >> (i % 32)) & 1; }

static void record(struct domain *d, const struct trap_frame *f, uint32_t sel, uint64_t desc)
{
    struct segfix_state *s = &d->segfix;
    s->cs = f->cs;
    s->eip = f->eip;
    s->esp = f->esp;
    s->sel = sel;
    s->desc = desc;
    s->gpr[0] = f->edi; s->gpr[1] = f->esi; s->gpr[2] = f->ebp; s->gpr[3] = f->ebx;
    s->gpr[4] = f->edx; s->gpr[5] = f->ecx; s->gpr[6] = f->eax;
}

/* The instruction faults again, unchanged, in the view we installed for it. */
static int refault(struct domain *d, const struct trap_frame *f, uint32_t sel)
{
    const struct segfix_state *s = &d->segfix;
    return s->cs == f->cs && s->eip == f->eip && s->esp == f->esp && s->sel == sel &&
           s->desc == d->gdt[sel >> 3] && s->gpr[0] == f->edi && s->gpr[1] == f->esi &&
           s->gpr[2] == f->ebp && s->gpr[3] == f->ebx && s->gpr[4] == f->edx &&
           s->gpr[5] == f->ecx && s->gpr[6] == f->eax;
}

/* The other view of guest entry idx, if it holds one of ours; 0 if it does not. */
static uint64_t other_view(struct domain *d, uint32_t idx)
{
    uint32_t lo = (uint32_t)d->gdt[idx], hi = (uint32_t)(d->gdt[idx] >> 32);

    if (bit(d->segfix_down, idx))
        desc_cut_4g_up(&lo, &hi);
    else if (!desc_is_cut_4g(lo, hi) || !desc_cut_4g_down(&lo, &hi))
        return 0;
    if (desc_check(lo, hi, 0))
        return 0; /* cannot happen: both views stay below the hole */
    return ((uint64_t)hi << 32) | lo;
}

int segfix_gp(struct domain *d, struct trap_frame *f)
{
    uint8_t prefix = override_prefix(d, f);
    if (prefix != 0x64 && prefix != 0x65)
        return 0;
    uint32_t sel = (prefix == 0x64 ? f->fs : f->gs) & 0xffff, idx = sel >> 3;
    /* The register must name a guest GDT entry that is not also CS or SS:
     * their cached descriptors must keep matching the table. */
    if ((sel & 4) || idx == 0 || idx >= RV_GDT_GUEST_ENTRIES ||
        idx == (f->cs & 0xffff) >> 3 || idx == (f->ss & 0xffff) >> 3)
        return 0;
    if (refault(d, f, sel))
        return 0;
    uint64_t view = other_view(d, idx);
    if (!view)
        return 0;
    gdt_set_entry(d, idx, view); /* clears the entry's segfix_down bit */
    if (desc_is_expand_down((uint32_t)(view >> 32)))
        d->segfix_down[idx / 32] |= 1u << (idx % 32); /* ours: flip it back later */
    d->segfix.count++;
    record(d, f, sel, view);
    return 1;
}

void segfix_forget(struct domain *d, uint32_t idx)
{
    d->segfix_down[idx / 32] &= ~(1u << (idx % 32));
}
