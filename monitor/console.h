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
/* Guest output: buffered per line, each line prefixed with the domain. */
void console_guest_write(struct domain *d, const char *buf, uint32_t n);
void console_guest_flush(struct domain *d);

/* IRQ 4: serial input goes to the domain with the console focus; Ctrl-A
 * starts a monitor command (Ctrl-A h lists them). */
void console_input(void);
/* Up to n bytes of input for d (it has the focus or it gets nothing). */
uint32_t console_read(struct domain *d, char *buf, uint32_t n);

__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
