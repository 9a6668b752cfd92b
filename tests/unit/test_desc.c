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

TEST(desc_expand_down, "expand-down data is refused when any valid offset lands in the hole")
{
    const char *why;
    uint32_t lo, hi;

    /* B = 1 and a small limit: offsets up to 0xFFFFFFFF reach 0xFFFFFFFF. */
    for (unsigned type = 0x4; type <= 0x7; type++) {
        raw(0, 0xfff, type, 1, 3, 1, 0, 1, 0, &lo, &hi);
        CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
        CHECK_STR(why, "segment reaches the monitor hole");
    }
    raw(0x10000, 0xff, 0x6, 1, 3, 1, 0, 1, 0, &lo, &hi);        /* wraps through the hole */
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    raw(0, 0xfbfff, 0x6, 1, 1, 1, 0, 1, 1, &lo, &hi);           /* offsets 0xFC000000 .. */
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    /* Base 0x10000000, offsets from 0xF0000000 - 0x1000: the first 4 KiB wrap too late. */
    raw(0x10000000, 0xeffff - 1, 0x6, 1, 3, 1, 0, 1, 1, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    /* B = 0: offsets limit+1 .. 0xFFFF, 64 KiB above a base too close to the hole. */
    raw(RV_HOLE_START - 0x8000, 0xfff, 0x6, 1, 3, 1, 0, 0, 0, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    raw(RV_HOLE_START - 0xffff, 0, 0x6, 1, 3, 1, 0, 0, 0, &lo, &hi);  /* last offset at the hole */
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    /* Based in the hole, even if every offset wraps below it. */
    raw(RV_HOLE_START, 0xfbfff, 0x6, 1, 3, 1, 0, 1, 1, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    raw(0xfffff000, 0xfffff - 1, 0x6, 1, 3, 1, 0, 1, 1, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    /* Still refused for what else is wrong with it. */
    raw(0x10000000, 0xeffff, 0x6, 1, 0, 1, 0, 1, 1, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    CHECK_STR(why, "DPL 0");
    raw(0x10000000, 0xeffff, 0x6, 1, 3, 1, 1, 0, 1, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    CHECK_STR(why, "L bit set");
}

TEST(desc_expand_down_ok, "expand-down data whose valid offsets all land below the hole is accepted")
{
    const char *why;
    uint32_t lo, hi;

    /* Base 0x10000000, B = 1, G = 1, limit 0xEFFFF: offsets 0xF0000000 .. 0xFFFFFFFF
     * wrap to linear 0 .. 0x0FFFFFFF. */
    for (unsigned type = 0x4; type <= 0x7; type++) {
        raw(0x10000000, 0xeffff, type, 1, 3, 1, 0, 1, 1, &lo, &hi);
        CHECK_EQ(check(lo, hi, &why), 0);
    }
    /* The largest: base a page below the hole, offsets 0x04001000 .. wrapping to [0, base);
     * one page less of limit and the first offsets land at 0xFFFFF000. */
    raw(RV_HOLE_START - 0x1000, 0x04000, 0x6, 1, 1, 1, 0, 1, 1, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), 0);
    raw(RV_HOLE_START - 0x1000, 0x03fff, 0x6, 1, 1, 1, 0, 1, 1, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    /* Byte granular with B = 1: offsets from at most 1 MiB up to 0xFFFFFFFF always cross the hole. */
    raw(0xfbfff000, 0xfffff, 0x6, 1, 3, 1, 0, 1, 0, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), -RV_EINVAL);
    /* B = 0: offsets limit+1 .. 0xFFFF above the base. */
    raw(0x100000, 0xfff, 0x6, 1, 3, 1, 0, 0, 0, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), 0);
    raw(RV_HOLE_START - 0x10000, 0, 0x2 | 0x4, 1, 3, 1, 0, 0, 0, &lo, &hi); /* last offset 0xFBFFFFFF */
    CHECK_EQ(check(lo, hi, &why), 0);
    /* No valid offset at all (limit at the upper bound): every access faults. */
    raw(0, 0xfffff, 0x6, 1, 3, 1, 0, 1, 1, &lo, &hi);
    CHECK_EQ(check(lo, hi, &why), 0);
    raw(0x5000, 0xffff, 0x6, 1, 3, 1, 0, 0, 0, &lo, &hi);    /* B = 0, limit 0xFFFF */
    CHECK_EQ(check(lo, hi, &why), 0);
    raw(0x5000, 0xfffff, 0x6, 1, 3, 1, 0, 0, 1, &lo, &hi);   /* B = 0, G = 1: limit far above 0xFFFF */
    CHECK_EQ(check(lo, hi, &why), 0);
}

TEST(desc_cut_4g, "a 4 GiB segment cut at the hole flips to expand-down and back")
{
    static const uint32_t bases[] = { 0x1000, 0x0823df28, 0x12345678, 0x80000000u,
                                      RV_HOLE_START - 0x2000, RV_HOLE_START - 0x1001 };
    uint32_t lo, hi;

    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        uint32_t b = bases[i], olo, ohi;
        /* What a guest installs for base b and a flat limit, cut as Linux's port cuts it. */
        raw(b, (RV_HOLE_START - b - 0x1000) >> 12, 0x3, 1, 3, 1, 0, 1, 1, &olo, &ohi);
        CHECK_EQ(desc_check(olo, ohi, NULL), 0);
        CHECK(desc_is_cut_4g(olo, ohi));
        lo = olo;
        hi = ohi;
        CHECK_EQ(desc_cut_4g_down(&lo, &hi), 1);
        CHECK_EQ(desc_check(lo, hi, NULL), 0);
        CHECK(desc_is_expand_down(hi));
        CHECK(!desc_is_cut_4g(lo, hi));
        CHECK_EQ(desc_base(lo, hi), b);
        /* Valid offsets start at the first page boundary at or above 4 GiB - b: linear b % 4 KiB. */
        uint64_t first = (uint64_t)desc_limit_bytes(lo, hi) + 1;
        CHECK_EQ(first, 0x100000000ull - (b & ~0xfffu));
        CHECK_EQ((uint32_t)(b + first), b & 0xfff);
        CHECK_EQ(hi & ~0x000f0400u, ohi & ~0x000f0400u);   /* only the limit and the type changed */
        desc_cut_4g_up(&lo, &hi);
        CHECK_EQ(lo, olo);
        CHECK_EQ(hi, ohi);
    }
    /* Below 4 KiB there is nothing to flip to. */
    raw(0x800, (RV_HOLE_START - 0x800 - 0x1000) >> 12, 0x3, 1, 3, 1, 0, 1, 1, &lo, &hi);
    CHECK(desc_is_cut_4g(lo, hi));
    CHECK_EQ(desc_cut_4g_down(&lo, &hi), 0);
    /* Not cut 4 GiB segments: ends a page short, byte granular, 16-bit, code, expand-down. */
    raw(0x10000000, 0xebffe, 0x3, 1, 3, 1, 0, 1, 1, &lo, &hi);
    CHECK(!desc_is_cut_4g(lo, hi));
    raw(0xfbf00000, 0xfffff, 0x3, 1, 3, 1, 0, 1, 0, &lo, &hi);
    CHECK(!desc_is_cut_4g(lo, hi));
    raw(0x10000000, 0xebfff, 0x3, 1, 3, 1, 0, 0, 1, &lo, &hi);
    CHECK(!desc_is_cut_4g(lo, hi));
    raw(0x10000000, 0xebfff, 0xb, 1, 3, 1, 0, 1, 1, &lo, &hi);
    CHECK(!desc_is_cut_4g(lo, hi));
    raw(0x10000000, 0xebfff, 0x7, 1, 3, 1, 0, 1, 1, &lo, &hi);
    CHECK(!desc_is_cut_4g(lo, hi));
    raw(0x10000000, 0xebfff, 0x3, 1, 3, 0, 0, 1, 1, &lo, &hi);   /* not present */
    CHECK(!desc_is_cut_4g(lo, hi));
    raw(0x10000000, 0xebfff, 0x3, 1, 3, 1, 0, 1, 1, &lo, &hi);   /* the real thing */
    CHECK(desc_is_cut_4g(lo, hi));
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
