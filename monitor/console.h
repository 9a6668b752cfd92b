/*
 * monitor/console.h: monitor messages ("(rv) ..." lines) and guest console
 * output ("[d<ID> <NAME>] ..." lines); tests/PROTOCOL.md fixes the format.
 */
#ifndef MON_CONSOLE_H
#define MON_CONSOLE_H

#include <stdarg.h>
#include <stdint.h>

struct domain;

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
/* One monitor line: "(rv) " + the text; add the newline yourself. */
void mlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Monitor line about a domain: "(rv) d<ID> <NAME>: " + the text. */
void dlog(const struct domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * The two views of the serial line (console.c): console=lines prefixes
 * and cleans every domain's lines; console=terminal (the default) gives
 * the focused domain a raw byte stream both ways.
 */
enum console_mode { CONSOLE_TERMINAL, CONSOLE_LINES };
void console_set_mode(enum console_mode m);
enum console_mode console_mode(void);

/* Guest output (console_io, virtio-console): into its history, and out
 * through the view it has. */
void console_guest_write(struct domain *d, const char *buf, uint32_t n);
/* domctl CONSOLE_READ: unread history of d (console.c); CONSOLE_WRITE: input for d
 * whatever the focus (console_input.c), returns the bytes taken. */
uint32_t console_hist_read(struct domain *d, char *buf, uint32_t n, uint32_t *lost, uint32_t *pending);
uint32_t console_inject(struct domain *d, const char *buf, uint32_t n);
/* d writes no more: its last line goes out. */
void console_guest_flush(struct domain *d);
/* From the scheduler loop: monitor text that waited for a quiet point. */
void console_poll(void);
/* console_input.c -> console.c: the focus moved to d. */
void console_focus_changed(struct domain *d);

/* IRQ 4: serial input goes to the domain with the console focus; Ctrl-A
 * starts a monitor command (Ctrl-A h lists them). */
void console_input(void);
/* Up to n bytes of input for d (it has the focus or it gets nothing). */
uint32_t console_read(struct domain *d, char *buf, uint32_t n);
/* The domain with the focus (moved on if it ended), or NULL; _peek does not move it. */
struct domain *console_focus(void);
struct domain *console_focus_peek(void);

__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
