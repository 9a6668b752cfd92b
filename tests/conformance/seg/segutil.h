/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/seg/segutil.h: what the segment tests share.
 *
 * Raw descriptors with every field spelled out (the refusal tests need
 * shapes libpvguest's rv_desc_segment never builds), the instructions
 * that read a descriptor back without loading it (LAR, LSL: SDM Vol. 2A),
 * loading selectors, catching whichever exception an access raises, and
 * running a few instructions in ring 3 with segments of our choosing.
 */
#ifndef SEGUTIL_H
#define SEGUTIL_H

#include "rvtest.h"

/* Descriptor high-word bits (SDM Vol. 3A 3.4.5, Figure 3-8). */
#define SEG_AVL (1u << 20)
#define SEG_L (1u << 21)
#define SEG_DB (1u << 22)
#define SEG_G (1u << 23)

/* Code/data type nibbles (SDM Vol. 3A Table 3-1), accessed bit clear. */
#define T_DATA_RO 0x0
#define T_DATA_RW 0x2
#define T_DATA_RO_DOWN 0x4
#define T_DATA_RW_DOWN 0x6
#define T_CODE_X 0x8
#define T_CODE_RX 0xa
#define T_CODE_X_CONF 0xc
#define T_CODE_RX_CONF 0xe
#define T_ACCESSED 0x1

/* LAR's result: the high word masked with 0x00f0ff00. */
#define AR_TYPE(ar) (((ar) >> 8) & 0xf)
#define AR_S(ar) (((ar) >> 12) & 1)
#define AR_DPL(ar) (((ar) >> 13) & 3)
#define AR_P(ar) (((ar) >> 15) & 1)

/*
 * Any descriptor: base, the raw 20-bit limit, type nibble, S (1 = code or
 * data), DPL, P, and SEG_* flag bits.
 */
struct rv_descriptor seg_raw(uint32_t base, uint32_t limit20, unsigned type, unsigned s,
                             unsigned dpl, unsigned p, uint32_t flags);

/* A present 32-bit code/data segment, byte granular (last < 1 MiB) or 4 KiB granular. */
struct rv_descriptor seg_desc(uint32_t base, uint32_t last, unsigned type, unsigned dpl);

/* update_descriptor of d at index. */
long seg_update(unsigned index, struct rv_descriptor d);

/* LAR / LSL of sel: 1 and *out when the CPU accepts the selector, else 0 (and *out = 0). */
static inline int seg_lar(unsigned sel, uint32_t *out)
{
    uint32_t r = 0;
    uint8_t ok;
    __asm__ volatile("larl %2, %0\n\tsetz %1" : "+r"(r), "=qm"(ok) : "r"(sel) : "cc");
    *out = ok ? r : 0;
    return ok;
}

static inline int seg_lsl(unsigned sel, uint32_t *out)
{
    uint32_t r = 0;
    uint8_t ok;
    __asm__ volatile("lsll %2, %0\n\tsetz %1" : "+r"(r), "=qm"(ok) : "r"(sel) : "cc");
    *out = ok ? r : 0;
    return ok;
}

#define SEG_GET(reg)                                                   \
    static inline unsigned seg_get_##reg(void)                         \
    {                                                                  \
        uint16_t s;                                                    \
        __asm__ volatile("movw %%" #reg ", %0" : "=rm"(s));            \
        return s;                                                      \
    }
SEG_GET(cs)
SEG_GET(ds)
SEG_GET(es)
SEG_GET(fs)
SEG_GET(gs)
SEG_GET(ss)
#undef SEG_GET

static inline void seg_set_fs(unsigned sel)
{
    __asm__ volatile("movw %w0, %%fs" : : "r"(sel) : "memory");
}

static inline void seg_set_gs(unsigned sel)
{
    __asm__ volatile("movw %w0, %%gs" : : "r"(sel) : "memory");
}

/* Reads/writes the 32-bit word at offset off of segment sel (through ES, put back at once). */
uint32_t seg_read32(unsigned sel, uint32_t off);
void seg_write32(unsigned sel, uint32_t off, uint32_t val);

/* Far jump (LRET) to offset-preserving code selector cs: we go on in the same code, under cs. */
static inline void seg_far_jump(unsigned cs)
{
    __asm__ volatile("pushl %0\n\tpushl $1f\n\tlret\n1:" : : "r"(cs) : "memory");
}

/*
 * Runs fn(arg) in ring 1.  If it raises an exception (vectors 0-31) the
 * handler keeps the frame in *out (if not NULL), abandons fn and
 * seg_catch returns the vector; if fn returns, -1.  Outside seg_catch an
 * exception is a test failure.  DS and ES are flat again after a fault.
 */
int seg_catch(void (*fn)(void *), void *arg, struct rv_trap_frame *out);

/*
 * Enters eip in ring 3 (native IRET) with the given CS, SS:ESP, DS and ES
 * (FS = GS = 0) and waits until it raises an exception or calls int $0x80
 * (SEG_SYSCALL).  Returns the vector, and the frame in *out.
 */
#define SEG_SYSCALL 0x80
struct seg_ring3 {
    uint32_t eip, cs, esp, ss, ds, es;
};
int seg_run_ring3(const struct seg_ring3 *r, struct rv_trap_frame *out);

/* A page-aligned ring-3 stack the tests may use (its top). */
extern uint8_t seg_user_stack[];
#define SEG_USER_STACK_TOP ((uint32_t)(uintptr_t)seg_user_stack + 4096u)

/* The probe every isolation test starts with: skip where limits are not enforced. */
void seg_require_limits(void);

/* Prints the result name and fails if a hypercall did not return what it must. */
#define SEG_RC(call, expected, fmt, ...)                                              \
    do {                                                                              \
        long r_ = (long)(call), e_ = (long)(expected);                                \
        if (r_ != e_)                                                                 \
            rvt_failure(fmt ": returned %s, expected %s at %s:%d", ##__VA_ARGS__,     \
                        rv_errname(r_), rv_errname(e_), __FILE__, __LINE__);          \
    } while (0)

#endif
