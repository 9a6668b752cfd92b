/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-console.c: hypercall 1, console_io, writing.
 *
 * - RV_CONSOLE_WRITE returns count: short writes, a zero-length write,
 *   exactly RV_CONSOLE_MAX bytes, a buffer ending exactly before an
 *   unmapped page, a buffer in a read-only page (the monitor only reads).
 * - count > RV_CONSOLE_MAX (4097, 0x80000000, 0xffffffff): -E2BIG, for
 *   write and for read.
 * - A bad buffer: -EFAULT: NULL, the hole, a range crossing into the hole,
 *   an unmapped page, a range running from a mapped page into an unmapped
 *   one.
 * - Other cmd: -ENOSYS.
 * (Reading is core-console-read.)
 */
#include "core.h"

static char big[RV_CONSOLE_MAX + 1];

static long cwrite(const void *p, uint32_t n)
{
    return rv_hc_console_io(RV_CONSOLE_WRITE, n, p);
}

/* RV_CONSOLE_MAX printable bytes in lines of 128. */
static void fill_big(void)
{
    for (unsigned i = 0; i < sizeof(big); i++)
        big[i] = (i % 128 == 127) ? '\n' : (char)('a' + (i / 128) % 26);
}

static void check_good(void)
{
    static const char hello[] = "core-console: hello\n";
    static const char tab[] = "core-console:\tcontrol \x01\x1b[2J characters\n";

    CORE_EXPECT(cwrite(hello, sizeof(hello) - 1), sizeof(hello) - 1, "write returns count");
    CORE_EXPECT(rv_hypercall_int82(RV_HC_console_io, RV_CONSOLE_WRITE, sizeof(hello) - 1,
                                     (uint32_t)hello, 0, 0),
                  sizeof(hello) - 1, "write through int 0x82 returns count");
    CORE_EXPECT(cwrite(tab, sizeof(tab) - 1), sizeof(tab) - 1, "write with control characters");
    CORE_EXPECT(cwrite(hello, 0), 0, "zero-length write");
    CORE_EXPECT(cwrite("x", 1), 1, "one-byte write");
    CORE_EXPECT(cwrite("\n", 1), 1, "newline");

    fill_big();
    big[RV_CONSOLE_MAX - 1] = '\n';
    CORE_EXPECT(cwrite(big, RV_CONSOLE_MAX), RV_CONSOLE_MAX, "write of exactly RV_CONSOLE_MAX bytes");
}

static void check_e2big(void)
{
    static const uint32_t counts[] = { RV_CONSOLE_MAX + 1, 0x10000, 0x80000000u, 0xffffffffu };
    char what[64];

    for (unsigned i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        rv_snprintf(what, sizeof(what), "write of %u bytes", counts[i]);
        CORE_EXPECT(cwrite(big, counts[i]), -RV_E2BIG, what);
        rv_snprintf(what, sizeof(what), "read of %u bytes", counts[i]);
        CORE_EXPECT(rv_hc_console_io(RV_CONSOLE_READ, counts[i], big), -RV_E2BIG, what);
    }
}

static void check_efault(void)
{
    uint32_t end = core_mapped_end(), unmapped = core_unmapped_page(), ro = core_readonly_tail();

    CORE_EXPECT(cwrite(0, 1), -RV_EFAULT, "write from NULL");
    CORE_EXPECT(cwrite((const void *)CORE_HOLE, 1), -RV_EFAULT, "write from the hole (0xFC000000)");
    CORE_EXPECT(cwrite((const void *)CORE_STRADDLE, 32), -RV_EFAULT,
                  "write of a range crossing into the hole (0xFBFFFFF0, 32)");
    CORE_EXPECT(cwrite((const void *)0xfffffff0u, 16), -RV_EFAULT, "write from the top of the hole");
    CORE_EXPECT(cwrite((const void *)unmapped, 1), -RV_EFAULT, "write from an unmapped page");
    CORE_EXPECT(cwrite((const void *)unmapped, RV_CONSOLE_MAX), -RV_EFAULT,
                  "write of RV_CONSOLE_MAX bytes from an unmapped page");

    /* A mapped page followed by an unmapped one. */
    memcpy((void *)(end - 16), "core-console: e\n", 16);
    CORE_EXPECT(cwrite((const void *)(end - 16), 16), 16, "write ending exactly before an unmapped page");
    CORE_EXPECT(cwrite((const void *)(end - 16), 17), -RV_EFAULT,
                  "write running 1 byte into an unmapped page");
    CORE_EXPECT(cwrite("\n", 1), 1, "newline");
    core_clear_tail(end);

    /* The monitor only reads the buffer: a read-only page is fine (zeros show as '?'). */
    CORE_EXPECT(cwrite((const void *)ro, 8), 8, "write from a read-only page");
    CORE_EXPECT(cwrite("\n", 1), 1, "newline");
}

void test_main(void)
{
    static const uint32_t bad_cmds[] = { 2, 3, 0x100, 0x80000000u, 0xffffffffu };
    char what[48];

    check_good();
    check_e2big();
    check_efault();
    for (unsigned i = 0; i < sizeof(bad_cmds) / sizeof(bad_cmds[0]); i++) {
        rv_snprintf(what, sizeof(what), "console_io cmd 0x%x", bad_cmds[i]);
        CORE_EXPECT(rv_hc_console_io(bad_cmds[i], 1, "?"), -RV_ENOSYS, what);
        CORE_EXPECT(rv_hc_console_io(bad_cmds[i], 0, 0), -RV_ENOSYS, what);
    }
    rvt_success();
}
