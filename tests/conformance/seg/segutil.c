/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/seg/segutil.c: helpers of the segment tests
 * (segutil.h): descriptors, segment access, catching exceptions, ring 3.
 */
#include "segutil.h"

uint8_t seg_user_stack[4096] __attribute__((aligned(4096)));
static uint8_t kernel_stack[8192] __attribute__((aligned(16)));

struct rv_descriptor seg_raw(uint32_t base, uint32_t limit20, unsigned type, unsigned s,
                             unsigned dpl, unsigned p, uint32_t flags)
{
    struct rv_descriptor d;

    d.low = (limit20 & 0xffff) | (base << 16);
    d.high = ((base >> 16) & 0xff) | (type & 0xf) << 8 | (s & 1) << 12 | (dpl & 3) << 13 |
             (p & 1) << 15 | (limit20 & 0xf0000) | (flags & 0x00f00000) | (base & 0xff000000);
    return d;
}

struct rv_descriptor seg_desc(uint32_t base, uint32_t last, unsigned type, unsigned dpl)
{
    if (last < (1u << 20))
        return seg_raw(base, last, type, 1, dpl, 1, SEG_DB);
    return seg_raw(base, last >> 12, type, 1, dpl, 1, SEG_DB | SEG_G);
}

long seg_update(unsigned index, struct rv_descriptor d)
{
    return rv_hc_update_descriptor(index, d.low, d.high);
}

/* ES is put back inside the asm: compiled code assumes a flat ES (rep movs). */
uint32_t seg_read32(unsigned sel, uint32_t off)
{
    uint32_t v;

    __asm__ volatile("movw %w1, %%es\n\t"
                     "movl %%es:(%2), %0\n\t"
                     "pushl %%ds\n\t"
                     "popl %%es"
                     : "=&r"(v)
                     : "r"(sel), "r"(off)
                     : "memory");
    return v;
}

void seg_write32(unsigned sel, uint32_t off, uint32_t val)
{
    __asm__ volatile("movw %w0, %%es\n\t"
                     "movl %2, %%es:(%1)\n\t"
                     "pushl %%ds\n\t"
                     "popl %%es"
                     :
                     : "r"(sel), "r"(off), "r"(val)
                     : "memory");
}

/* ---- exceptions ---------------------------------------------------------- */

static rv_jmp_buf catch_jb;
static struct rv_trap_frame catch_frame;
static volatile int catch_armed;
static int handlers_installed;

static void seg_trap(struct rv_trap_frame *f)
{
    if (catch_armed) {
        catch_armed = 0;
        catch_frame = *f;
        rv_trap_longjmp(f, catch_jb, 1);
        return;
    }
    rv_trap_dump(f);
    rvt_failure("unexpected exception %u in ring %u at eip 0x%x (error code 0x%x)", f->vector,
                rv_frame_ring(f), f->eip, f->error_code);
}

static void install_handlers(void)
{
    if (handlers_installed)
        return;
    for (unsigned v = 0; v < 32; v++)
        RVT_REQUIRE_OK(rv_trap_set(v, seg_trap, 0), "installing the exception handlers");
    RVT_REQUIRE_OK(rv_syscall_set(SEG_SYSCALL, seg_trap), "installing the int $0x80 handler");
    handlers_installed = 1;
}

int seg_catch(void (*fn)(void *), void *arg, struct rv_trap_frame *out)
{
    volatile int vector = -1;

    install_handlers();
    if (rv_setjmp(catch_jb) == 0) {
        catch_armed = 1;
        fn(arg);
        catch_armed = 0;
    } else {
        vector = (int)catch_frame.vector;
        if (out)
            *out = catch_frame;
    }
    return vector;
}

/* ---- ring 3 ------------------------------------------------------------------ */

/*
 * A native IRET from ring 1 to ring 3 (SDM Vol. 2A IRET, return to an
 * outer privilege level) pops EIP, CS, EFLAGS, ESP, SS.  EFLAGS keeps only
 * IF and the always-one bit.  DS and ES are loaded first (a DPL-3 data
 * segment survives the IRET; anything less privileged is nulled by it).
 */
static void enter_ring3(void *arg)
{
    const struct seg_ring3 *r = arg;

    __asm__ volatile("pushl 12(%0)\n\t"  /* SS */
                     "pushl 8(%0)\n\t"   /* ESP */
                     "pushfl\n\t"
                     "andl $0x202, (%%esp)\n\t"
                     "pushl 4(%0)\n\t"   /* CS */
                     "pushl 0(%0)\n\t"   /* EIP */
                     "movl 20(%0), %%eax\n\t"
                     "movw %%ax, %%es\n\t"
                     "movl 16(%0), %%eax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "movw %%ax, %%fs\n\t"
                     "movw %%ax, %%gs\n\t"
                     "iret"
                     :
                     : "r"(r)
                     : "eax", "memory");
    __builtin_unreachable();
}

int seg_run_ring3(const struct seg_ring3 *r, struct rv_trap_frame *out)
{
    RVT_REQUIRE_OK(rv_stack_switch_to(kernel_stack + sizeof kernel_stack), "stack_switch");
    return seg_catch(enter_ring3, (void *)r, out);
}

void seg_require_limits(void)
{
    if (!rvt_probe_segment_limits())
        rvt_skip("CPU does not enforce segment limits");
}
