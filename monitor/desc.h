/*
 * monitor/desc.h: the rules a guest segment descriptor must pass before it
 * enters the GDT (SDM Vol. 3A 3.4.5, 5.2-5.3).  Pure logic: host-testable.
 */
#ifndef MON_DESC_H
#define MON_DESC_H

#include <stdint.h>

/*
 * Checks one 8-byte descriptor (low word, high word) a guest wants in its
 * part of the GDT.  Returns 0 when it may be installed, else -RV_EINVAL
 * with *why set to a short reason.  Accepted: the all-zero descriptor; a
 * not-present descriptor of code/data type (S = 1); a present code or data
 * segment with DPL 1..3, not conforming, L = 0, whose last byte (base +
 * limit, granularity applied) does not wrap and is below RV_HOLE_START; an
 * expand-down data segment based below the hole whose valid offsets
 * (limit+1 .. 0xFFFFFFFF, or 0xFFFF with B = 0) all land below it, modulo
 * 4 GiB.  Refused: system descriptors (TSS, LDT, call/task/interrupt
 * gates), DPL 0, anything reaching the hole.
 */
int desc_check(uint32_t low, uint32_t high, const char **why);

/* Field helpers shared by the validator and the monitor. */
uint32_t desc_base(uint32_t low, uint32_t high);
uint32_t desc_limit_bytes(uint32_t low, uint32_t high); /* last valid offset */
unsigned desc_dpl(uint32_t high);
int desc_is_code(uint32_t high);      /* present or not: S=1 and type bit 3 */
int desc_is_present(uint32_t high);
int desc_is_expand_down(uint32_t high); /* data with type bit 2 */

/*
 * A "cut 4 GiB segment" (monitor/segfix.c): present expand-up data, B = 1,
 * G = 1, whose last byte lies in the last 4 KiB below the hole, which is
 * what a flat 4 GiB limit becomes when a guest cuts it at the hole as
 * ABI.md asks.  desc_cut_4g_down turns one into the expand-down segment
 * with the same base that covers linear [base % 4 KiB, base) through the
 * offsets that wrap (returns 0 and changes nothing if base < 4 KiB);
 * desc_cut_4g_up turns that back into the cut expand-up segment.
 */
int desc_is_cut_4g(uint32_t low, uint32_t high);
int desc_cut_4g_down(uint32_t *low, uint32_t *high);
void desc_cut_4g_up(uint32_t *low, uint32_t *high);

/*
 * Builds a present descriptor: base, last = limit in bytes - 1 (above 1 MiB
 * it switches to 4 KiB granularity and rounds down, never up), type nibble,
 * dpl, and system: nonzero for a system descriptor (S = 0: TSS, LDT, gate;
 * D/B = 0), zero for code/data (S = 1, D/B = 1: 32-bit).
 */
void desc_make(uint32_t base, uint32_t last, unsigned type, unsigned dpl, int system, uint32_t *low, uint32_t *high);

#endif
