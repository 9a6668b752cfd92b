/* SPDX-License-Identifier: MIT */
/*
 * monitor/termtext.c: what the console needs to know about the bytes a
 * guest writes, as pure functions (console.c does the I/O; the host unit
 * tests check these).
 *
 * Two questions.  In the line view (a domain without the focus, or every
 * domain with console=lines) a guest must not be able to move the cursor,
 * change colours or retitle the terminal, over its own lines or anyone
 * else's: which of its bytes may reach the terminal as they are?  Printable
 * ASCII, tab, and well-formed UTF-8 for code points from U+00A0 on.
 * Everything else is shown as '?': C0 controls and DEL, and the C1 controls
 * U+0080-U+009F (a terminal may take U+009B as CSI), overlong forms,
 * surrogates, code points past U+10FFFF and stray bytes (RFC 3629, 3-4).
 * Carriage returns are dropped: a line is a line.
 *
 * In the terminal view the focused domain's bytes go out untouched, and
 * the monitor may put a line of its own between them only at a quiet
 * point: not inside an escape sequence (ECMA-48 5.3-5.6: ESC, CSI ...
 * final byte, the string controls OSC/DCS/SOS/PM/APC up to ST or BEL) and
 * not inside a UTF-8 sequence.  term_track follows the stream just enough
 * to tell.
 */
#include "termtext.h"

/* ---- the line view ------------------------------------------------------ */

static int is_cont(uint8_t c)
{
    return (c & 0xc0) == 0x80;
}

/* Bytes a sequence led by c needs after it, or -1 if c cannot lead one. */
static int utf8_tail(uint8_t c)
{
    if (c >= 0xc2 && c <= 0xdf)
        return 1;
    if (c >= 0xe0 && c <= 0xef)
        return 2;
    if (c >= 0xf0 && c <= 0xf4)
        return 3;
    return -1;
}

/* A complete sequence: is it a code point the line view shows? */
static int utf8_ok(const uint8_t *b, unsigned n)
{
    uint32_t cp;
    if (n == 2)
        cp = (b[0] & 0x1fu) << 6 | (b[1] & 0x3fu);
    else if (n == 3)
        cp = (b[0] & 0x0fu) << 12 | (b[1] & 0x3fu) << 6 | (b[2] & 0x3fu);
    else
        cp = (b[0] & 0x07u) << 18 | (b[1] & 0x3fu) << 12 | (b[2] & 0x3fu) << 6 | (b[3] & 0x3fu);
    static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 }; /* shorter forms are overlong */
    if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return cp >= 0xa0; /* U+0080-U+009F are the C1 controls */
}

/* What is held of an unfinished sequence becomes '?'s. */
static unsigned flush_held(struct line_clean *s, uint8_t *out)
{
    unsigned n = s->have;
    for (unsigned i = 0; i < n; i++)
        out[i] = '?';
    s->have = s->need = 0;
    return n;
}

unsigned line_clean_byte(struct line_clean *s, uint8_t c, uint8_t out[LINE_CLEAN_MAX_OUT])
{
    unsigned n = 0;
    if (s->need && !is_cont(c))
        n = flush_held(s, out);          /* the sequence broke off */
    if (s->need) {
        s->held[s->have++] = c;
        if (--s->need)
            return n;
        unsigned len = s->have, ok = utf8_ok(s->held, len);
        for (unsigned i = 0; i < len; i++)
            out[n + i] = ok ? s->held[i] : '?';
        s->have = 0;
        return n + len;
    }
    if (c == '\r')
        return n;
    if (c < 0x80) {
        out[n++] = (c >= 0x20 && c != 0x7f) || c == '\t' ? c : '?';
        return n;
    }
    int tail = utf8_tail(c);
    if (tail < 0) {
        out[n++] = '?';
        return n;
    }
    s->held[0] = c;
    s->have = 1;
    s->need = (uint8_t)tail;
    return n;
}

unsigned line_clean_end(struct line_clean *s, uint8_t out[LINE_CLEAN_MAX_OUT])
{
    return flush_held(s, out);
}

/* ---- the terminal view ------------------------------------------------------ */

enum { T_GROUND, T_ESC, T_CSI, T_STRING, T_STRING_ESC };

void term_track_byte(struct term_track *t, uint8_t c)
{
    if (c == 0x18 || c == 0x1a) { /* CAN, SUB: abort any sequence (ECMA-48 8.3.13) */
        t->state = T_GROUND;
        t->utf8_left = 0;
        return;
    }
    switch (t->state) {
    case T_GROUND:
        if (c == 0x1b) {
            t->state = T_ESC;
        } else if (t->utf8_left && is_cont(c)) {
            t->utf8_left--;
        } else {
            int tail = c >= 0x80 ? utf8_tail(c) : -1;
            t->utf8_left = tail > 0 ? (uint8_t)tail : 0;
        }
        return;
    case T_ESC:
        t->utf8_left = 0;
        if (c == '[')
            t->state = T_CSI;
        else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')
            t->state = T_STRING;
        else if (c >= 0x20 && c <= 0x2f)
            ; /* intermediate bytes: the final byte follows */
        else
            t->state = T_GROUND; /* a final byte (or anything else) ends it */
        return;
    case T_CSI:
        if (c >= 0x40 && c <= 0x7e)
            t->state = T_GROUND; /* the final byte */
        else if (c == 0x1b)
            t->state = T_ESC;
        return;
    case T_STRING:
        if (c == 0x07)
            t->state = T_GROUND; /* BEL ends an OSC, as xterm takes it */
        else if (c == 0x1b)
            t->state = T_STRING_ESC;
        return;
    case T_STRING_ESC:
        t->state = c == '\\' ? T_GROUND : c == 0x1b ? T_STRING_ESC : T_STRING; /* ST is ESC \ */
        return;
    }
}

int term_track_quiet(const struct term_track *t)
{
    return t->state == T_GROUND && t->utf8_left == 0;
}
