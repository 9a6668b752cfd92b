/* SPDX-License-Identifier: MIT */
/*
 * monitor/termtext.h: the console's view of guest bytes (termtext.c):
 * cleaning them for the line view, and finding quiet points in the
 * terminal view's raw stream.
 */
#ifndef MON_TERMTEXT_H
#define MON_TERMTEXT_H

#include <stdint.h>

/* ---- the line view: bytes in, bytes safe to show out ----------------------- */
#define LINE_CLEAN_MAX_OUT 8 /* a broken-off sequence (3) + the byte that broke it (4) */

struct line_clean {
    uint8_t held[4];   /* an unfinished UTF-8 sequence */
    uint8_t have, need;
};

/*
 * Feeds one byte (not '\n': the caller ends lines) and writes what may be
 * shown for it to out: printable ASCII, tab and valid UTF-8 (U+00A0 on)
 * as they are, every other byte as '?', CR as nothing.  A UTF-8 sequence
 * is held until complete, so the count may be 0 and later up to
 * LINE_CLEAN_MAX_OUT.  Returns the count.
 */
unsigned line_clean_byte(struct line_clean *s, uint8_t c, uint8_t out[LINE_CLEAN_MAX_OUT]);
/* At the end of a line: what is held becomes '?'s.  Returns the count. */
unsigned line_clean_end(struct line_clean *s, uint8_t out[LINE_CLEAN_MAX_OUT]);

/* ---- the terminal view: where the monitor may speak ---------------------- */
struct term_track {
    uint8_t state;     /* in an escape sequence, or not */
    uint8_t utf8_left; /* continuation bytes still due */
};

void term_track_byte(struct term_track *t, uint8_t c);
/* 1 when the stream is between sequences: a monitor line may go here. */
int term_track_quiet(const struct term_track *t);

#endif
