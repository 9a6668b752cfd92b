/*
 * tests/unit/test_rvlib.c: libpvguest's string functions and formatter.
 *
 * host_names.h comes before rvlib.h, so every call here reaches our
 * implementation (rv_memcpy ...) and libc's snprintf stays available as
 * the reference for the differential formatter test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "host_names.h"
#include "rvlib.h"
#include "harness.h"

/* ------------------------------------------------------------ strings */

TEST(str_memcpy_memset, "memcpy and memset fill exactly the bytes asked for")
{
    unsigned char a[64], b[64];

    for (int i = 0; i < 64; i++)
        a[i] = (unsigned char)i;
    memset(b, 0xee, sizeof b);
    CHECK(memcpy(b + 3, a + 5, 40) == b + 3);
    for (int i = 0; i < 64; i++)
        CHECK_EQ(b[i], (i >= 3 && i < 43) ? (unsigned)(i + 2) : 0xeeu);
    CHECK(memset(b + 1, 0x1ff, 10) == b + 1);   /* the value is converted to unsigned char */
    CHECK_EQ(b[0], 0xee);
    for (int i = 1; i < 11; i++)
        CHECK_EQ(b[i], 0xff);
    CHECK_EQ(b[11], 11 + 2);
    memcpy(b, a, 0);
    memset(b, 0, 0);
    CHECK_EQ(b[0], 0xee);
}

/* memmove at every small offset pair and length against a byte-by-byte reference. */
TEST(str_memmove, "memmove handles overlap in both directions")
{
    unsigned char buf[48], ref[48], tmp[48];

    for (int src = 0; src < 16; src++) {
        for (int dst = 0; dst < 16; dst++) {
            for (int n = 0; n <= 32; n += 3) {
                for (int i = 0; i < 48; i++)
                    buf[i] = ref[i] = (unsigned char)(i * 7 + 1);
                for (int i = 0; i < n; i++)
                    tmp[i] = ref[src + i];
                for (int i = 0; i < n; i++)
                    ref[dst + i] = tmp[i];
                CHECK(memmove(buf + dst, buf + src, (size_t)n) == buf + dst);
                CHECK(memcmp(buf, ref, sizeof buf) == 0);
            }
        }
    }
}

TEST(str_compare, "memcmp, strcmp and strncmp compare as unsigned char")
{
    CHECK(memcmp("abc", "abd", 3) < 0);
    CHECK(memcmp("abd", "abc", 3) > 0);
    CHECK(memcmp("abc", "abd", 2) == 0);
    CHECK(memcmp("\x80", "\x01", 1) > 0);
    CHECK(strcmp("", "") == 0);
    CHECK(strcmp("a", "") > 0);
    CHECK(strcmp("", "a") < 0);
    CHECK(strcmp("hello", "hello") == 0);
    CHECK(strcmp("hello", "help") < 0);
    CHECK(strcmp("\xff", "a") > 0);
    CHECK(strncmp("hello", "help", 3) == 0);
    CHECK(strncmp("hello", "help", 4) < 0);
    CHECK(strncmp("abc", "abc\0x", 10) == 0);  /* stops at the NUL */
    CHECK(strncmp("x", "y", 0) == 0);
}

TEST(str_length, "strlen, strnlen and strchr")
{
    static const char s[] = "ringvisor";

    CHECK_EQ(strlen(""), 0);
    CHECK_EQ(strlen(s), 9);
    CHECK_EQ(strnlen(s, 4), 4);
    CHECK_EQ(strnlen(s, 100), 9);
    CHECK_EQ(strnlen("ab", 0), 0);
    CHECK(strchr(s, 'v') == s + 4);
    CHECK(strchr(s, 'r') == s);           /* the first one */
    CHECK(strchr(s, 'z') == NULL);
    CHECK(strchr(s, '\0') == s + 9);      /* the terminator counts */
}

TEST(str_strlcpy, "strlcpy truncates, terminates and returns strlen(src)")
{
    char buf[8];

    memset(buf, 'x', sizeof buf);
    CHECK_EQ(strlcpy(buf, "hi", sizeof buf), 2);
    CHECK_STR(buf, "hi");
    CHECK_EQ(strlcpy(buf, "ringvisor", sizeof buf), 9);
    CHECK_STR(buf, "ringvis");
    memset(buf, 'x', sizeof buf);
    CHECK_EQ(strlcpy(buf, "abc", 0), 3);
    CHECK_EQ(buf[0], 'x');                /* size 0 writes nothing */
    CHECK_EQ(strlcpy(buf, "abc", 1), 3);
    CHECK_EQ(buf[0], '\0');
}

/* ---------------------------------------------------------- formatter */

static char out[256];

/*
 * Formats into out.  No format attribute on purpose: several cases feed
 * the formatter what gcc's format checker rightly warns about (a '0' flag
 * it will ignore, a NULL %s, an unknown conversion).
 */
static const char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    rv_vsnprintf(out, sizeof out, f, ap);
    va_end(ap);
    return out;
}

TEST(fmt_conversions, "each conversion prints as printf would")
{
    CHECK_STR(fmt("plain"), "plain");
    CHECK_STR(fmt("%d %i", -42, 17), "-42 17");
    CHECK_STR(fmt("%u", 4000000000u), "4000000000");
    CHECK_STR(fmt("%x %X", 0xdeadbeefu, 0xdeadbeefu), "deadbeef DEADBEEF");
    CHECK_STR(fmt("%c%c%c", 'r', 'v', '!'), "rv!");
    CHECK_STR(fmt("%s|%s", "abc", ""), "abc|");
    CHECK_STR(fmt("100%%"), "100%");
    CHECK_STR(fmt("%d", 0), "0");
    CHECK_STR(fmt("%x", 0u), "0");
    CHECK_STR(fmt("%d", INT32_MIN), "-2147483648");
    CHECK_STR(fmt("%d", INT32_MAX), "2147483647");
}

TEST(fmt_pointer_null, "%p prints 0x%08x; %s of NULL prints (null)")
{
    CHECK_STR(fmt("%p", (void *)0x1234), "0x00001234");
    CHECK_STR(fmt("%p", (void *)0), "0x00000000");
    CHECK_STR(fmt("%p", (void *)(uintptr_t)0xfc000000u), "0xfc000000");
    CHECK_STR(fmt("[%12p]", (void *)0x10), "[  0x00000010]");
    CHECK_STR(fmt("[%-12p]", (void *)0x10), "[0x00000010  ]");
    CHECK_STR(fmt("%s", (char *)NULL), "(null)");
    CHECK_STR(fmt("[%8s]", (char *)NULL), "[  (null)]");
}

TEST(fmt_width, "width, '-', '0' and '*'")
{
    CHECK_STR(fmt("[%5d]", 42), "[   42]");
    CHECK_STR(fmt("[%-5d]", 42), "[42   ]");
    CHECK_STR(fmt("[%05d]", 42), "[00042]");
    CHECK_STR(fmt("[%05d]", -42), "[-0042]");
    CHECK_STR(fmt("[%-05d]", 42), "[42   ]");   /* '-' beats '0' */
    CHECK_STR(fmt("[%08x]", 0xbeefu), "[0000beef]");
    CHECK_STR(fmt("[%2d]", 12345), "[12345]");  /* never truncates */
    CHECK_STR(fmt("[%*d]", 6, 7), "[     7]");
    CHECK_STR(fmt("[%*d]", -6, 7), "[7     ]"); /* negative '*' width means '-' */
    CHECK_STR(fmt("[%-*d]", 3, 7), "[7  ]");
    CHECK_STR(fmt("[%6s]", "ab"), "[    ab]");
    CHECK_STR(fmt("[%-6s]", "ab"), "[ab    ]");
    CHECK_STR(fmt("[%3c]", 'x'), "[  x]");
    CHECK_STR(fmt("[%-3c]", 'x'), "[x  ]");
    CHECK_STR(fmt("[%#x] [%#010x] [%#x]", 0xffu, 0xffu, 0u), "[0xff] [0x000000ff] [0]");
    CHECK_STR(fmt("[%+d] [% d] [%+d]", 5, 5, -5), "[+5] [ 5] [-5]");
}

TEST(fmt_precision, "precision on numbers and strings, with '*'")
{
    CHECK_STR(fmt("[%.3d]", 7), "[007]");
    CHECK_STR(fmt("[%6.3d]", -7), "[  -007]");
    CHECK_STR(fmt("[%06.3d]", 7), "[   007]");    /* '0' is ignored with a precision */
    CHECK_STR(fmt("[%.0d]", 0), "[]");
    CHECK_STR(fmt("[%.0x]", 0u), "[]");
    CHECK_STR(fmt("[%.3s]", "abcdef"), "[abc]");
    CHECK_STR(fmt("[%5.2s]", "abcdef"), "[   ab]");
    CHECK_STR(fmt("[%.*s]", 2, "xyz"), "[xy]");
    CHECK_STR(fmt("[%.*s]", -1, "xyz"), "[xyz]");  /* negative: as if none */
    CHECK_STR(fmt("[%.*d]", 4, 5), "[0005]");
    CHECK_STR(fmt("[%*.*d]", 6, 4, 5), "[  0005]");
    CHECK_STR(fmt("[%.10s]", "abc"), "[abc]");
    /* With a precision %s reads no further than it, so the string may be unterminated. */
    static const char unterminated[3] = { 'a', 'b', 'c' };
    CHECK_STR(fmt("[%.3s]", unterminated), "[abc]");
}

TEST(fmt_lengths, "hh, h, l, ll and z, including 64-bit values")
{
    CHECK_STR(fmt("%lld", (long long)INT64_MIN), "-9223372036854775808");
    CHECK_STR(fmt("%lld", (long long)INT64_MAX), "9223372036854775807");
    CHECK_STR(fmt("%llu", (unsigned long long)UINT64_MAX), "18446744073709551615");
    CHECK_STR(fmt("%llx", 0xfedcba9876543210ull), "fedcba9876543210");
    CHECK_STR(fmt("%llX", 0x100000000ull), "100000000");
    CHECK_STR(fmt("%llu", 10000000000ull), "10000000000");
    CHECK_STR(fmt("%016llx", 0x12345ull), "0000000000012345");
    CHECK_STR(fmt("%ld %lu %lx", -1L, 7UL, 0xabcUL), "-1 7 abc");
    CHECK_STR(fmt("%zu %zx", (size_t)12345, (size_t)0xfff), "12345 fff");
    CHECK_STR(fmt("%zu", (size_t)-1), sizeof(size_t) == 8 ? "18446744073709551615" : "4294967295");
    CHECK_STR(fmt("%hhd %hhu %hd %hu", 0x1ff, 0x1ff, 70000, 70000), "-1 255 4464 4464");
    CHECK_STR(fmt("%d %lld %d", 1, 2LL, 3), "1 2 3");   /* argument widths stay in step */
}

TEST(fmt_odd, "unknown conversions and a trailing '%' print as written")
{
    CHECK_STR(fmt("%q"), "%q");
    CHECK_STR(fmt("abc%"), "abc%");
    CHECK_STR(fmt("%5%"), "%");
}

TEST(fmt_snprintf_bounds, "rv_snprintf truncates, always terminates, returns the full length")
{
    char buf[8];

    memset(buf, 'x', sizeof buf);
    CHECK_EQ(rv_snprintf(buf, 5, "hello world"), 11);
    CHECK_STR(buf, "hell");
    CHECK_EQ(buf[5], 'x');                 /* nothing past n */
    CHECK_EQ(rv_snprintf(buf, 1, "abc"), 3);
    CHECK_EQ(buf[0], '\0');
    buf[0] = 'q';
    CHECK_EQ(rv_snprintf(buf, 0, "abc"), 3);
    CHECK_EQ(buf[0], 'q');                 /* n = 0 writes nothing */
    CHECK_EQ(rv_snprintf(NULL, 0, "%d-%s", 1234, "xy"), 7);
    CHECK_EQ(rv_snprintf(buf, sizeof buf, "%s", "1234567"), 7);
    CHECK_STR(buf, "1234567");
    CHECK_EQ(rv_snprintf(buf, sizeof buf, "%s", "12345678"), 8);
    CHECK_STR(buf, "1234567");
    CHECK_EQ(rv_snprintf(buf, sizeof buf, "%08x", 0x1234u), 8);
    CHECK_STR(buf, "0000123");
    CHECK_STR(fmt(""), "");
    CHECK_EQ(rv_snprintf(buf, sizeof buf, "%s", ""), 0);
    CHECK_STR(buf, "");
}

struct sink {
    char text[64];
    int n;
};

static void put_sink(void *ctx, char c)
{
    struct sink *s = ctx;
    if (s->n < (int)sizeof s->text - 1)
        s->text[s->n] = c;
    s->n++;
}

TEST(fmt_callback, "rv_format hands every character to put and counts them")
{
    struct sink s = { { 0 }, 0 };

    CHECK_EQ(rv_format(put_sink, &s, "(rv) d%u %s: exit code %d", 3u, "hello", -1), 27);
    CHECK_EQ(s.n, 27);
    CHECK_STR(s.text, "(rv) d3 hello: exit code -1");
}

/*
 * Every combination of flags, width and precision over %d %u %x %X and a
 * set of awkward values, compared with the host C library.
 */
TEST(fmt_differential, "integer formatting matches libc snprintf over flag/width/precision combinations")
{
    static const char *flags[] = { "", "-", "0", "+", " ", "#", "-0", "+0", "#0", "-#", "- " };
    static const char *widths[] = { "", "1", "5", "12" };
    static const char *precs[] = { "", ".", ".0", ".1", ".4", ".11" };
    static const char convs[] = "duxX";
    static const long long values[] = { 0, 1, -1, 9, 10, 42, -42, 255, 65535, 123456789,
                                        INT32_MAX, INT32_MIN, (long long)UINT32_MAX,
                                        INT64_MAX, INT64_MIN, 0x100000000ll };
    char f[32], want[128], got[128];
    int mismatches = 0;

    for (size_t a = 0; a < sizeof flags / sizeof *flags; a++)
    for (size_t b = 0; b < sizeof widths / sizeof *widths; b++)
    for (size_t c = 0; c < sizeof precs / sizeof *precs; c++)
    for (size_t d = 0; convs[d]; d++)
    for (size_t e = 0; e < sizeof values / sizeof *values; e++)
    for (int ll = 0; ll <= 1; ll++) {
        int wn, gn;
        snprintf(f, sizeof f, "%%%s%s%s%s%c", flags[a], widths[b], precs[c], ll ? "ll" : "", convs[d]);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        if (ll) {
            wn = snprintf(want, sizeof want, f, values[e]);
            gn = rv_snprintf(got, sizeof got, f, values[e]);
        } else {
            wn = snprintf(want, sizeof want, f, (int)values[e]);
            gn = rv_snprintf(got, sizeof got, f, (int)values[e]);
        }
#pragma GCC diagnostic pop
        if (wn != gn || strcmp(want, got) != 0) {
            if (mismatches++ < 5)
                unit_fail(__FILE__, __LINE__, "\"%s\": libc \"%s\", rv \"%s\"", f, want, got);
        }
    }
    CHECK_EQ(mismatches, 0);
}
