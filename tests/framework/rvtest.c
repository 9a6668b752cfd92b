/* SPDX-License-Identifier: MIT */
/*
 * tests/framework/rvtest.c: verdicts and the helpers negative tests need:
 * surviving an expected fault, and finding out whether this CPU enforces
 * segment limits at all.
 */
#include "rvtest.h"

static _Noreturn void verdict(const char *word, int code, const char *fmt, va_list ap)
{
    rv_printf("RESULT: %s", word);
    if (*fmt) {
        rv_putchar(' ');
        rv_vprintf(fmt, ap);
    }
    rv_putchar('\n');
    rv_shutdown(code);
}

static _Noreturn void say(const char *word, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict(word, code, fmt, ap);
}

void rvt_success(void)
{
    say("SUCCESS", 0, "");
}

void rvt_failure(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict("FAILURE", 1, fmt, ap);
}

void rvt_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict("ERROR", 2, fmt, ap);
}

void rvt_skip(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict("SKIP", 3, fmt, ap);
}

void rvt_log(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rv_printf("  ");
    rv_vprintf(fmt, ap);
    rv_putchar('\n');
    va_end(ap);
}

/* ---- expected faults ---------------------------------------------------- */

static rv_jmp_buf fault_resume;
static struct rv_trap_frame fault_frame;

static void catch_fault(struct rv_trap_frame *f)
{
    fault_frame = *f;
    rv_trap_longjmp(f, fault_resume, 1);
}

int rvt_expect_fault(unsigned vector, void (*fn)(void *), void *arg, struct rv_trap_frame *out)
{
    unsigned old_flags;
    rv_trap_fn old = rv_trap_get(vector, &old_flags);
    volatile int faulted = 0;

    RVT_REQUIRE_OK(rv_trap_set(vector, catch_fault, 0), "installing the fault handler");
    if (rv_setjmp(fault_resume) == 0)
        fn(arg);
    else
        faulted = 1;
    RVT_REQUIRE_OK(rv_trap_set(vector, old, old_flags), "restoring the old handler");
    if (faulted && out)
        *out = fault_frame;
    return faulted;
}

/* ---- segment limits ----------------------------------------------------- */

/* ES is put back inside the asm: compiled code assumes a flat ES (rep movs). */
static void read_past_limit(void *selector)
{
    __asm__ volatile("movw %w0, %%es\n\t"
                     "movl %%es:0x2000, %%eax\n\t"
                     "pushl %%ds\n\t"
                     "popl %%es"
                     :
                     : "r"((unsigned)(uintptr_t)selector)
                     : "eax", "memory");
}

int rvt_probe_segment_limits(void)
{
    const struct rv_start_info *si = rv_start_info;
    struct rv_descriptor d = rv_desc_segment(si->virt_base, 0xfff, RV_SEG_DATA_RW, 1);
    unsigned sel = rv_selector(RVT_PROBE_GDT_INDEX, 1);
    int enforced;

    /* es:0x2000 must be mapped, or a CPU without limits takes #PF instead. */
    if (si->nr_mapped < 3)
        rvt_error("probe needs 3 mapped pages at virt_base, have %u", si->nr_mapped);
    RVT_REQUIRE_OK(rv_hc_update_descriptor(RVT_PROBE_GDT_INDEX, d.low, d.high),
                   "update_descriptor of the probe segment");
    enforced = rvt_expect_fault(13, read_past_limit, (void *)(uintptr_t)sel, 0);
    RVT_REQUIRE_OK(rv_hc_update_descriptor(RVT_PROBE_GDT_INDEX, 0, 0),
                   "clearing the probe segment");
    rvt_log("segment limits %s", enforced ? "enforced" : "not enforced (no #GP past the limit)");
    return enforced;
}

uint32_t rvt_sum_words(uint32_t lo, uint32_t hi, uint32_t mask_even)
{
    uint32_t s = 0;
    for (uint32_t va = lo; va < hi; va += 8) {
        s = (s << 5 | s >> 27) ^ (*(const volatile uint32_t *)va & mask_even);
        s = (s << 5 | s >> 27) ^ *(const volatile uint32_t *)(va + 4);
    }
    return s;
}
