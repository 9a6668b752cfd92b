/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/core/core-version.c: hypercall 0, version(cmd, arg).
 *
 * - RV_VERSION_ABI returns RV_ABI_VERSION; it matches start_info.
 * - RV_VERSION_FEATURES returns the RV_FEAT_* bits: at least the ones this
 *   image requires (it was accepted), none the ABI does not define.
 * - RV_VERSION_EXTRA copies exactly 32 bytes, NUL-terminated, returns 0:
 *   the bytes after them stay untouched, and a buffer that ends exactly at
 *   an unmapped page works.  A bad arg is -EFAULT: NULL, the hole, a buffer
 *   straddling the hole, one running 1 byte into an unmapped page, an
 *   unmapped page, a read-only page (left unchanged).
 * - Other cmd: -ENOSYS, and nothing is written through arg.
 * - ABI and FEATURES ignore arg (nothing written through it).
 */
#include "core.h"

#define ID_LEN 32

static uint8_t buf[ID_LEN * 2];

static void fill(uint8_t v)
{
    memset(buf, v, sizeof(buf));
}

static int untouched(const uint8_t *p, unsigned n, uint8_t v)
{
    for (unsigned i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

static void check_extra_good(void)
{
    unsigned len;

    fill(0xaa);
    CORE_EXPECT(rv_hc_version(RV_VERSION_EXTRA, (unsigned long)buf), 0, "version EXTRA");
    len = strnlen((const char *)buf, ID_LEN);
    RVT_EXPECT_TRUE(len < ID_LEN, "the build id is NUL-terminated within 32 bytes");
    RVT_EXPECT_TRUE(untouched(buf + ID_LEN, ID_LEN, 0xaa), "bytes after the 32-byte build id");
    rvt_log("build id \"%s\"", (const char *)buf);

    /* A second call gives the same id (it is the monitor's, not per call). */
    {
        uint8_t again[ID_LEN];
        memset(again, 0x55, sizeof(again));
        CORE_EXPECT(rv_hc_version(RV_VERSION_EXTRA, (unsigned long)again), 0, "version EXTRA again");
        RVT_EXPECT_EQ(memcmp(again, buf, len + 1), 0, "the build id is the same twice");
    }
}

static void check_extra_edges(void)
{
    uint32_t end = core_mapped_end(), ro = core_readonly_tail(), unmapped = core_unmapped_page();

    core_clear_tail(end);
    CORE_EXPECT(rv_hc_version(RV_VERSION_EXTRA, end - ID_LEN), 0,
                  "version EXTRA into the last 32 bytes before an unmapped page");
    RVT_EXPECT_TRUE(strnlen((const char *)(end - ID_LEN), ID_LEN) < ID_LEN,
                    "build id written at the end of a page");
    core_clear_tail(end);
    CORE_EXPECT(rv_hc_version(RV_VERSION_EXTRA, end - ID_LEN + 1), -RV_EFAULT,
                  "version EXTRA running 1 byte into an unmapped page");
    core_clear_tail(end);

    CORE_EXPECT(rv_hc_version(RV_VERSION_EXTRA, 0), -RV_EFAULT, "version EXTRA to NULL");
    CORE_EXPECT(rv_hc_version(RV_VERSION_EXTRA, CORE_HOLE), -RV_EFAULT,
                  "version EXTRA to the hole (0xFC000000)");
    CORE_EXPECT(rv_hc_version(RV_VERSION_EXTRA, CORE_STRADDLE), -RV_EFAULT,
                  "version EXTRA straddling the hole (0xFBFFFFF0)");
    CORE_EXPECT(rv_hc_version(RV_VERSION_EXTRA, 0xffffffe0u), -RV_EFAULT,
                  "version EXTRA to the top of the address space");
    CORE_EXPECT(rv_hc_version(RV_VERSION_EXTRA, unmapped), -RV_EFAULT,
                  "version EXTRA to an unmapped page");
    CORE_EXPECT(rv_hc_version(RV_VERSION_EXTRA, ro), -RV_EFAULT,
                  "version EXTRA to a read-only page (a page table)");
    RVT_EXPECT_TRUE(core_all_zero(ro, 64), "the read-only page is unchanged");
}

void test_main(void)
{
    long v = rv_hc_version(RV_VERSION_ABI, 0);
    long feat;

    RVT_EXPECT_EQ(v, RV_ABI_VERSION, "version ABI");
    RVT_EXPECT_EQ(rv_start_info->abi_version, RV_ABI_VERSION, "start_info.abi_version");

    fill(0xaa);
    RVT_EXPECT_EQ(rv_hc_version(RV_VERSION_ABI, (unsigned long)buf), RV_ABI_VERSION,
                  "version ABI with a pointer arg");
    feat = rv_hc_version(RV_VERSION_FEATURES, (unsigned long)buf);
    RVT_EXPECT_TRUE(untouched(buf, sizeof(buf), 0xaa), "ABI and FEATURES write nothing through arg");
    RVT_EXPECT_EQ(feat & RV_FEAT_HYPERCALL_PAGE, RV_FEAT_HYPERCALL_PAGE,
                  "FEATURES includes the hypercall page (this image requires it)");
    RVT_EXPECT_EQ(feat & ~(long)RV_FEATURES_SUPPORTED, 0, "FEATURES has only bits the ABI defines");

    check_extra_good();
    check_extra_edges();

    static const uint32_t bad_cmds[] = { 3, 4, 0x100, 0x7fffffff, 0x80000000u, 0xffffffffu };
    for (unsigned i = 0; i < sizeof(bad_cmds) / sizeof(bad_cmds[0]); i++) {
        char what[48];

        rv_snprintf(what, sizeof(what), "version cmd 0x%x", bad_cmds[i]);
        fill(0xaa);
        CORE_EXPECT(rv_hc_version(bad_cmds[i], (unsigned long)buf), -RV_ENOSYS, what);
        RVT_EXPECT_TRUE(untouched(buf, sizeof(buf), 0xaa), what);
        CORE_EXPECT(rv_hc_version(bad_cmds[i], 0), -RV_ENOSYS, what);
    }
    rvt_success();
}
