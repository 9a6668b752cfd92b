/*
 * tests/unit/test_termtext.c: monitor/termtext.c, the console's reading
 * of guest bytes: what the line view may show as it is, and where the
 * terminal view's stream is between escape and UTF-8 sequences.
 */
#include <string.h>
#include "harness.h"
#include "termtext.h"

/* The line view of s (no '\n' in it), as a string. */
static const char *clean(const char *s, size_t n)
{
    static char out[512];
    struct line_clean c = { 0 };
    uint8_t b[LINE_CLEAN_MAX_OUT];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned m = line_clean_byte(&c, (uint8_t)s[i], b);
        memcpy(out + k, b, m);
        k += m;
    }
    unsigned m = line_clean_end(&c, b);
    memcpy(out + k, b, m);
    out[k + m] = 0;
    return out;
}
#define CLEAN(lit) clean(lit, sizeof(lit) - 1)

TEST(line_clean_ascii, "line view: printable ASCII and tab pass, C0 and DEL become '?', CR vanishes")
{
    CHECK_STR(CLEAN("hello, world\t!~"), "hello, world\t!~");
    CHECK_STR(CLEAN("a\x1b[31mred\x07"), "a?[31mred?");
    CHECK_STR(CLEAN("\x00\x01\x08\x7f z"), "???? z");
    CHECK_STR(CLEAN("line\r"), "line");
    CHECK_STR(CLEAN("over\rwrite"), "overwrite");
}

TEST(line_clean_utf8, "line view: valid UTF-8 from U+00A0 passes, C1 controls and malformed bytes become '?'")
{
    CHECK_STR(CLEAN("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
    CHECK_STR(CLEAN("\xc2\xa0"), "\xc2\xa0");              /* U+00A0, the first shown */
    CHECK_STR(CLEAN("\xc2\x9b" "31m"), "??31m");           /* U+009B: CSI in a UTF-8 terminal */
    CHECK_STR(CLEAN("\xc2\x80\xc2\x9f"), "????");          /* C1 at both ends */
    CHECK_STR(CLEAN("\x9b" "31m"), "?31m");                /* an 8-bit CSI */
    CHECK_STR(CLEAN("\xc0\xaf \xe0\x80\xaf"), "?? ???");   /* overlong '/' */
    CHECK_STR(CLEAN("\xed\xa0\x80"), "???");               /* a surrogate */
    CHECK_STR(CLEAN("\xf4\x90\x80\x80"), "????");          /* past U+10FFFF */
    CHECK_STR(CLEAN("\xf5\xff"), "??");                    /* never valid */
    CHECK_STR(CLEAN("\xe2\x9c" "x"), "??x");               /* broken off by ASCII */
    CHECK_STR(CLEAN("\xe2\x9c\xc3\xa9"), "??\xc3\xa9");    /* broken off by a new sequence */
    CHECK_STR(CLEAN("end\xe2\x9c"), "end??");              /* unfinished at the end of the line */
}

/* The quiet points after each byte of s: '.' quiet, '-' inside a sequence. */
static const char *quiet(const char *s, size_t n)
{
    static char out[256];
    struct term_track t = { 0 };
    for (size_t i = 0; i < n; i++) {
        term_track_byte(&t, (uint8_t)s[i]);
        out[i] = term_track_quiet(&t) ? '.' : '-';
    }
    out[n] = 0;
    return out;
}
#define QUIET(lit) quiet(lit, sizeof(lit) - 1)

TEST(term_track_seq, "terminal view: quiet between escape sequences, never inside one")
{
    CHECK_STR(QUIET("ab\r\n"), "....");
    CHECK_STR(QUIET("\x1b[1;31m"), "------.");             /* CSI ... final byte */
    CHECK_STR(QUIET("\x1b[?25h"), "-----.");
    CHECK_STR(QUIET("\x1b" "7x"), "-..");                  /* ESC 7 (save cursor) */
    CHECK_STR(QUIET("\x1b(Bx"), "--..");                   /* ESC ( B: an intermediate byte */
    CHECK_STR(QUIET("\x1b]0;title\x07x"), "---------..");    /* OSC ... BEL */
    CHECK_STR(QUIET("\x1b]0;t\x1b\\x"), "------..");         /* OSC ... ST */
    CHECK_STR(QUIET("\x1bPq\x1b\x1b\\"), "-----.");          /* DCS, ESC ESC \ */
    CHECK_STR(QUIET("\x1b[12\x18x"), "----.."); /* CAN aborts */
}

TEST(term_track_utf8, "terminal view: not quiet inside a UTF-8 sequence")
{
    CHECK_STR(QUIET("\xc3\xa9"), "-.");
    CHECK_STR(QUIET("\xe2\x9c\x93"), "--.");
    CHECK_STR(QUIET("\xf0\x9f\x98\x80"), "---.");
    CHECK_STR(QUIET("\xe2x"), "-.");                       /* broken off: quiet again */
    CHECK_STR(QUIET("\x80\xbf"), "..");                    /* stray continuation bytes */
}
