/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/hcfuzz.h: what the hypercall fuzzer's generator
 * (hcfuzz_gen.c) and its driver and checker (hcfuzz.c) share.
 *
 * The fuzzer owns an 8-page region laid out so that every pointer it
 * passes has a known fate:
 *   page 0      unmapped guard
 *   pages 1-3   scratch data: structures the monitor reads, buffers it writes
 *   page 4      scratch arrays: multicall, mmu_update, mmuext, trap and GDT tables
 *   page 5      unmapped guard (a buffer that ends in it is cut short)
 *   page 6      read-only, a fixed pattern (the monitor must never write it)
 *   page 7      unmapped guard
 * For each argument the generator records how many bytes from it can be
 * read and written; the checker turns that into the errors ABI.md demands.
 */
#ifndef HCFUZZ_H
#define HCFUZZ_H

#include "rvtest.h"

#define FZ_PAGES 8
#define FZ_DATA_PAGE 1
#define FZ_ARRAY_PAGE 4
#define FZ_GUARD_MID 5
#define FZ_RO_PAGE 6
#define FZ_MAX_PT 32

struct fz_regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, eflags, ds, es, fs, gs, esp_moved;
};
void fz_call(const struct fz_regs *in, struct fz_regs *out);

/* What the fuzzer knows about its own address space (set by fz_env_init). */
struct fz_env {
    uint32_t region;                     /* VA of page 0 */
    uint32_t pt_va[FZ_MAX_PT], pt_mfn[FZ_MAX_PT], pt_level[FZ_MAX_PT], nr_pt;
    uint32_t code_va;                    /* a handler address that is really code */
    uint32_t domid;
};
extern struct fz_env fz;

/* One generated call: number, arguments, and for each argument the bytes
 * readable and writable from it (0 for a bad pointer, ~0 for "plenty"). */
struct fz_call {
    uint32_t nr, a[5];
    uint32_t rd[5], wr[5];
    uint32_t must_refuse;                /* a table or value ABI.md refuses */
    uint32_t restore;                    /* traps or callbacks must be put back */
};

uint32_t fz_rand(void);
void fz_seed(uint32_t s);
static inline uint32_t fz_pick(uint32_t n) { return fz_rand() % n; }

void fz_env_init(void);
void fz_gen(struct fz_call *c, int nested);
int fz_desc_safe(uint32_t low, uint32_t high);
uint32_t fz_page(unsigned k);            /* VA of region page k */

#endif
