/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core.h: bad-pointer targets the core tests share.
 *
 * The calling convention says a pointer that reaches the hole, or whose
 * pages are not present (or read-only, when the monitor writes), gives
 * -RV_EFAULT.  To test each case a test needs such places in its own
 * address space.  Each helper finds one from start_info and then proves it
 * with a real access (an expected #PF), so a test never leans on a layout
 * guess: if the proof fails the test reports an error, not a verdict.
 */
#ifndef CORE_TEST_H
#define CORE_TEST_H

#include "rvtest.h"

/*
 * RVT_EXPECT_RC, but correct in its message when neither value is an
 * error code: rv_errname keeps such numbers in one static buffer, so
 * RVT_EXPECT_RC would print the same number twice.
 */
#define CORE_EXPECT(actual, expected, what)                                          \
    do {                                                                             \
        long a_ = (long)(actual), e_ = (long)(expected);                             \
        char an_[24];                                                                \
        if (a_ != e_) {                                                              \
            strlcpy(an_, rv_errname(a_), sizeof(an_));                               \
            rvt_failure("%s: returned %s, expected %s at %s:%d", (what), an_,         \
                        rv_errname(e_), __FILE__, __LINE__);                         \
        }                                                                            \
    } while (0)

#define CORE_HOLE RV_HOLE_START
#define CORE_STRADDLE (RV_HOLE_START - 16u) /* 16 bytes below the hole, 16 in it */

static inline void core_read_byte(void *p)
{
    (void)*(volatile uint8_t *)p;
}

/* Stores the byte that is already there: harmless where it succeeds. */
static inline void core_write_same(void *p)
{
    volatile uint8_t *b = p;
    *b = *b;
}

static inline int core_mapped(uint32_t va)
{
    return !rvt_expect_fault(14, core_read_byte, (void *)va, 0);
}

static inline int core_writable(uint32_t va)
{
    return core_mapped(va) && !rvt_expect_fault(14, core_write_same, (void *)va, 0);
}

/*
 * A page below the hole that is not mapped: two pages past the last
 * start-of-day mapping (frame nr_mapped - 1 and then shared_info).
 */
static inline uint32_t core_unmapped_page(void)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t va = si->virt_base + si->nr_mapped * RV_PAGE_SIZE + 2 * RV_PAGE_SIZE;

    if (va < si->virt_base || va >= RV_HOLE_START)
        rvt_error("no room for an unmapped page below the hole (va 0x%x)", va);
    if (core_mapped(va) || core_mapped(va + RV_PAGE_SIZE - 1))
        rvt_error("page 0x%x is mapped; expected a hole in the layout", va);
    return va;
}

/*
 * The end of a writable page followed by an unmapped one: the returned
 * address E has E-1 writable and E not mapped.  The shared_info page is
 * mapped just past the last frame and nothing follows it; its last 64
 * bytes are unused in ABI 1.0 (struct rv_shared_info is far smaller).
 * Callers put things in [E - 64, E) and zero them again afterwards.
 */
static inline uint32_t core_mapped_end(void)
{
    uint32_t end = rv_start_info->shared_info + RV_PAGE_SIZE;

    _Static_assert(sizeof(struct rv_shared_info) <= RV_PAGE_SIZE - 64, "shared_info tail");
    if (end >= RV_HOLE_START || end < RV_PAGE_SIZE)
        rvt_error("shared_info at 0x%x leaves no page after it", rv_start_info->shared_info);
    if (!core_writable(end - 64) || !core_writable(end - 1))
        rvt_error("the tail of shared_info (0x%x) is not writable", end - 64);
    if (core_mapped(end))
        rvt_error("0x%x (after shared_info) is mapped; need an unmapped page there", end);
    return end;
}

static inline void core_clear_tail(uint32_t end)
{
    memset((void *)(end - 64), 0, 64);
}

/*
 * 64 bytes of a page the guest can read but not write: the tail of the
 * last page-table frame (the last L1), whose final entries map nothing
 * and are zero.  A monitor that wrote there anyway would show up as
 * changed bytes, which the callers check.
 */
static inline uint32_t core_readonly_tail(void)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t va = si->pt_base + si->nr_pt_frames * RV_PAGE_SIZE - 64;
    const uint8_t *p = (const uint8_t *)va;

    if (si->nr_pt_frames == 0 || !core_mapped(va))
        rvt_error("page tables at 0x%x (%u frames) are not mapped", si->pt_base, si->nr_pt_frames);
    if (core_writable(va))
        rvt_error("the page tables at 0x%x are writable; expected read-only", va);
    for (unsigned i = 0; i < 64; i++)
        if (p[i])
            rvt_error("the tail of the last page-table frame (0x%x) is not zero", va);
    return va;
}

/* 1 if the n bytes at va are all zero (a read-only target stayed untouched). */
static inline int core_all_zero(uint32_t va, unsigned n)
{
    const volatile uint8_t *p = (const volatile uint8_t *)va;

    for (unsigned i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

#endif
