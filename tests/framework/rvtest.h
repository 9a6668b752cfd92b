/* SPDX-License-Identifier: MIT */
/*
 * tests/framework/rvtest.h: the conformance test framework.
 *
 * A test is a libpvguest guest that defines test_main() and ends with
 * exactly one verdict (tests/PROTOCOL.md).  The framework's guest_main
 * prints "TEST <name>", runs test_main, and reports an error if it
 * returns without a verdict.  Build one with
 *   $(eval $(call rv_test,NAME,SOURCES))     (tests/framework/framework.mk)
 */
#ifndef RVTEST_H
#define RVTEST_H

#include <pvguest.h>

/* The test defines this. */
void test_main(void);

/* The test's name (its make target's NAME). */
extern const char rvt_name[];

/*
 * Verdicts.  Each prints "RESULT: <WORD> <message>" and shuts down
 * (poweroff) with the exit code the runner reads:
 *   SUCCESS 0, FAILURE 1 (the monitor misbehaved), ERROR 2 (the test
 *   broke), SKIP 3 (cannot run here).
 */
_Noreturn void rvt_success(void);
_Noreturn void rvt_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void rvt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void rvt_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A progress line: "  <message>" on the console. */
void rvt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Checks.  On a mismatch each calls rvt_failure with what, both values
 * and the file:line.  Values are compared as long (32 bits here).
 *   RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, 0), RV_ABI_VERSION, "version");
 *   RVT_EXPECT_RC(rv_hc_set_gdt(t, 1), -RV_EINVAL, "set_gdt of a DPL-0 entry");
 * RVT_EXPECT_RC prints hypercall results by name (-EINVAL).
 */
#define RVT_EXPECT_EQ(actual, expected, what)                                        \
    do {                                                                             \
        long a_ = (long)(actual), e_ = (long)(expected);                             \
        if (a_ != e_)                                                                \
            rvt_failure("%s: got %ld (0x%lx), expected %ld (0x%lx) at %s:%d", (what), \
                        a_, a_, e_, e_, __FILE__, __LINE__);                         \
    } while (0)

#define RVT_EXPECT_NE(actual, unexpected, what)                                      \
    do {                                                                             \
        long a_ = (long)(actual), u_ = (long)(unexpected);                           \
        if (a_ == u_)                                                                \
            rvt_failure("%s: got %ld (0x%lx), which it must not be, at %s:%d", (what), \
                        a_, a_, __FILE__, __LINE__);                                 \
    } while (0)

#define RVT_EXPECT_RC(actual, expected, what)                                        \
    do {                                                                             \
        long a_ = (long)(actual), e_ = (long)(expected);                             \
        if (a_ != e_)                                                                \
            rvt_failure("%s: returned %s, expected %s at %s:%d", (what), rv_errname(a_), \
                        rv_errname(e_), __FILE__, __LINE__);                         \
    } while (0)

#define RVT_EXPECT_TRUE(cond, what)                                                  \
    do {                                                                             \
        if (!(cond))                                                                 \
            rvt_failure("%s: (%s) is false at %s:%d", (what), #cond, __FILE__, __LINE__); \
    } while (0)

/*
 * For setting up: a hypercall the test relies on (not the one it tests)
 * failed, so the test cannot go on: rvt_error.
 */
#define RVT_REQUIRE_OK(result, what)                                                 \
    do {                                                                             \
        long r_ = (long)(result);                                                    \
        if (r_ < 0)                                                                  \
            rvt_error("%s: %s at %s:%d", (what), rv_errname(r_), __FILE__, __LINE__); \
    } while (0)

/*
 * Runs fn(arg) in ring 1 with a temporary handler on vector.  If that
 * vector fires, the handler copies its frame to *out (when out is not
 * NULL), abandons fn, and rvt_expect_fault returns 1; if fn returns
 * normally, 0.  The previous handler of vector is put back either way.
 * Another vector firing is handled by whatever is installed for it.
 * After a fault DS and ES are the flat ring-1 selectors again; other
 * state fn changed (FS, GS, the GDT, the stack switch) is the test's.
 */
int rvt_expect_fault(unsigned vector, void (*fn)(void *), void *arg, struct rv_trap_frame *out);

/*
 * 1 if the CPU enforces segment limits, 0 if not (QEMU TCG), so isolation
 * tests can skip honestly.  It writes guest GDT entry
 * RVT_PROBE_GDT_INDEX (a ring-1 data segment at virt_base, limit 4 KiB-1,
 * byte granular), loads it into ES, reads es:0x2000, sees whether #GP
 * fires, and then clears the entry.  Calls rvt_error if it cannot set up.
 */
#define RVT_PROBE_GDT_INDEX (RV_GDT_GUEST_ENTRIES - 1)
int rvt_probe_segment_limits(void);

/*
 * A checksum of the words in [lo, hi) (8-byte steps; each even word ANDed
 * with mask_even first, so a witness can ignore the accessed and dirty
 * bits the CPU sets in its own page-table entries).  Witnesses and the
 * fuzzer use it to see whether memory they own changed.
 */
uint32_t rvt_sum_words(uint32_t lo, uint32_t hi, uint32_t mask_even);

#endif
