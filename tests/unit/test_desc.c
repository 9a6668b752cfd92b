/* tests/unit/test_desc.c: the guest segment-descriptor validator (monitor/desc.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "abi.h"
#include "desc.h"
#include "harness.h"

/* Raw descriptor fields (SDM Vol. 3A Figure 3-8). */
static void raw(uint32_t base, uint32_t limit20, unsigned type, int s, unsigned dpl, int p,
                int l, int db, int g, uint32_t *lo, uint32_t *hi)
{
    *lo = (limit20 & 0xffff) | (base << 16);
    *hi = ((base >> 16) & 0xff) | (base & 0xff000000u) | (limit20 & 0xf0000) |
          (type << 8) | ((uint32_t)s << 12) | (dpl << 13) | ((uint32_t)p << 15) |
          ((uint32_t)l << 21) | ((uint32_t)db << 22) | ((uint32_t)g << 23);
}

/* desc_check's verdict, and its reason in *why (NULL when accepted). */
static int check(uint32_t lo, uint32_t hi, const char **why)
{
    *why = NULL;
    return desc_check(lo, hi, why);
}

TEST(desc_zero, "the all-zero descriptor is accepted")
{
    const char *why;
    CHECK_EQ(check(0, 0, &why), 0);
    CHECK(why == NULL);
}

TEST(desc_flat, "flat ring-1/ring-3 code and data up to RV_HOLE_START-1 are accepted")
{
    static const unsigned types[] = { 0xa, 0x2, 0xb, 0x3, 0x8, 0x0 }; /* code r/x, data r/w, accessed, x-only, r-only */
    const char *why;
    uint32_t lo, hi;

    for (unsigned dpl = 1; dpl <= 3; dpl++) {
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
            desc_make(0, RV_HOLE_START - 1, types[i], dpl, 0, &lo, &hi);
            CHECK_EQ(check(lo, hi, &why), 0);
        }
    }
    raw(0, 0xfbfff, 0xa, 1, 1, 1, 0, 1, 1, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), 0);
    raw(0x10000000, 0xebfff, 0x2, 1, 3, 1, 0, 1, 1, &lo, &hi);   /* ends at 0xfbffffff */
    CHECK_EQ(check(lo, hi, &why), 0);
}

TEST(desc_make_fields, "desc_make and the field helpers agree")
{
    uint32_t lo, hi;

    desc_make(0, RV_GUEST_VA_LIMIT, 0xa, 1, 0, &lo, &hi);
    CHECK_EQ(desc_base(lo, hi), 0);
    CHECK_EQ(desc_limit_bytes(lo, hi), RV_GUEST_VA_LIMIT);
    CHECK_EQ(desc_dpl(hi), 1);
    CHECK(desc_is_code(hi));
    CHECK(desc_is_present(hi));
    CHECK(hi & (1u << 23));                  /* G */
    CHECK(hi & (1u << 22));                  /* D/B: 32-bit */

    desc_make(0x12345678, 0xfff, 0x2, 3, 0, &lo, &hi);
    CHECK_EQ(desc_base(lo, hi), 0x12345678);
    CHECK_EQ(desc_limit_bytes(lo, hi), 0xfff);
    CHECK_EQ(desc_dpl(hi), 3);
    CHECK(!desc_is_code(hi));
    CHECK(!(hi & (1u << 23)));               /* byte granular */

    /* A flat 4 GiB ring-1 code segment encodes as the textbook 0x00cfba00 0000ffff. */
    desc_make(0, 0xffffffff, 0xa, 1, 0, &lo, &hi);
    CHECK_EQ(lo, 0x0000ffff);
    CHECK_EQ(hi, 0x00cfba00);

    /* A limit that is not a whole number of pages is rounded down with G = 1. */
    desc_make(0, 0x200000, 0x2, 1, 0, &lo, &hi);
    CHECK_EQ(desc_limit_bytes(lo, hi), 0x1fffff);

    /* A TSS: S = 0, D/B = 0; it is not a code segment and the validator refuses it. */
    desc_make(0xc0001000, 103, 0x9, 0, 1, &lo, &hi);
    CHECK(!(hi & (1u << 12)));
    CHECK(!(hi & (1u << 22)));
    CHECK(!desc_is_code(hi));
    CHECK_EQ(desc_base(lo, hi), 0xc0001000);
    CHECK_EQ(desc_limit_bytes(lo, hi), 103);
    CHECK(desc_check(lo, hi, NULL) == -RV_EINVAL);
}

TEST(desc_hole, "a limit reaching the hole is refused")
{
    const char *why;
    uint32_t lo, hi;

    raw(0, 0xfc000, 0x2, 1, 3, 1, 0, 1, 1, &lo, &hi);            /* last byte 0xfc000fff */
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    CHECK_STR(why, "segment reaches the monitor hole");
    raw(0, 0xfffff, 0xa, 1, 1, 1, 0, 1, 1, &lo, &hi);            /* the usual flat 4 GiB */
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    raw(0x1000, 0xfbfff, 0x2, 1, 1, 1, 0, 1, 1, &lo, &hi);       /* base pushes it over */
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    raw(0xfbffff00, 0x100, 0x2, 1, 1, 1, 0, 1, 0, &lo, &hi);     /* byte granular, one byte in */
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    raw(0xfbffff00, 0xff, 0x2, 1, 1, 1, 0, 1, 0, &lo, &hi);      /* ends at the last guest byte */
    CHECK_EQ(check(lo, hi, &why), 0);
    raw(0xfc000000, 0, 0x2, 1, 1, 1, 0, 1, 0, &lo, &hi);         /* based in the hole */
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
}

TEST(desc_wrap, "base + limit wrapping past 4 GiB is refused")
{
    const char *why;
    uint32_t lo, hi;

    raw(0xfffff000, 0x1fff, 0x2, 1, 3, 1, 0, 1, 0, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    CHECK_STR(why, "segment wraps around 4 GiB");
    raw(0x10000000, 0xfffff, 0xa, 1, 3, 1, 0, 1, 1, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    CHECK_STR(why, "segment wraps around 4 GiB");
}

TEST(desc_dpl0, "DPL 0 code and data are refused")
{
    const char *why;
    uint32_t lo, hi;

    raw(0, 0xfff, 0xa, 1, 0, 1, 0, 1, 0, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    CHECK_STR(why, "DPL 0");
    raw(0, 0xfff, 0x2, 1, 0, 1, 0, 1, 0, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    CHECK_STR(why, "DPL 0");
}

TEST(desc_system, "TSS, LDT, call/interrupt/trap/task gates are refused at any DPL")
{
    /* 1/3 16-bit TSS, 2 LDT, 4 16-bit call gate, 5 task gate, 6/7 16-bit gates,
     * 9/B 32-bit TSS, C call gate, E interrupt gate, F trap gate; 0/8/A/D reserved. */
    const char *why;
    uint32_t lo, hi;

    for (unsigned type = 0; type < 16; type++) {
        for (unsigned dpl = 0; dpl <= 3; dpl++) {
            for (int p = 0; p <= 1; p++) {
                raw(0x1000, 0x67, type, 0, dpl, p, 0, 0, 0, &lo, &hi);
                CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
                CHECK_STR(why, "system descriptor (gate, TSS or LDT)");
            }
        }
    }
    /* A gate as Linux would write it: selector 0x10, offset 0xc0101234, DPL 3. */
    CHECK_EQ(desc_check(0x00101234, 0xc010ee00, &why), -RV_EINVAL);   /* interrupt gate */
    CHECK_EQ(desc_check(0x00101234, 0xc010ef00, &why), -RV_EINVAL);   /* trap gate */
    CHECK_EQ(desc_check(0x00101234, 0xc010ec00, &why), -RV_EINVAL);   /* call gate */
    CHECK_EQ(desc_check(0x00280000, 0x0000e500, &why), -RV_EINVAL);   /* task gate */
}

TEST(desc_conforming, "conforming code is refused")
{
    const char *why;
    uint32_t lo, hi;

    for (unsigned type = 0xc; type <= 0xf; type++) {
        raw(0, 0xfff, type, 1, 3, 1, 0, 1, 0, &lo, &hi);
        CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
        CHECK_STR(why, "conforming code segment");
    }
}

TEST(desc_expand_down, "expand-down data is refused")
{
    const char *why;
    uint32_t lo, hi;

    for (unsigned type = 0x4; type <= 0x7; type++) {
        raw(0, 0xfff, type, 1, 3, 1, 0, 1, 0, &lo, &hi);
        CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
        CHECK_STR(why, "expand-down data segment");
    }
}

TEST(desc_lbit, "the L bit is refused on code and data")
{
    const char *why;
    uint32_t lo, hi;

    raw(0, 0xfff, 0xa, 1, 3, 1, 1, 0, 0, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    CHECK_STR(why, "L bit set");
    raw(0, 0xfff, 0x2, 1, 3, 1, 1, 0, 0, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
}

TEST(desc_not_present, "not-present code/data descriptors are accepted")
{
    const char *why;
    uint32_t lo, hi;

    raw(0, 0xfff, 0x2, 1, 3, 0, 0, 1, 0, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), 0);
    raw(0, 0xfffff, 0xa, 1, 1, 0, 0, 1, 1, &lo, &hi);    /* would reach the hole: #NP first */
    CHECK_EQ(check(lo, hi, &why), 0);
    CHECK(!desc_is_present(hi));
    CHECK(desc_is_code(hi));
}

TEST(desc_small, "byte-granular small segments and 16-bit segments are accepted")
{
    const char *why;
    uint32_t lo, hi;

    raw(0x1000, 0xfff, 0x2, 1, 3, 1, 0, 1, 0, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), 0);
    CHECK_EQ(desc_limit_bytes(lo, hi), 0xfff);
    raw(0xb8000, 0, 0x3, 1, 1, 1, 0, 1, 0, &lo, &hi);    /* one byte */
    CHECK_EQ(check(lo, hi, &why), 0);
    raw(0x7c00, 0xffff, 0xa, 1, 1, 1, 0, 0, 0, &lo, &hi); /* 16-bit code */
    CHECK_EQ(check(lo, hi, &why), 0);
    raw(0x7c00, 0xfffff, 0x2, 1, 2, 1, 0, 1, 0, &lo, &hi); /* 1 MiB byte granular, DPL 2 */
    CHECK_EQ(check(lo, hi, &why), 0);
}

TEST(desc_why_null, "a NULL why pointer is allowed")
{
    CHECK_EQ(desc_check(0x0000ffff, 0x00cf9a00, NULL), -RV_EINVAL);  /* ring-0 flat code */
    CHECK_EQ(desc_check(0, 0, NULL), 0);
}
