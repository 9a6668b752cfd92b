/* SPDX-License-Identifier: MIT */
/*
 * pvguest/console.h: the guest's console, over the console_io hypercall.
 *
 * Output is gathered per line and written with one hypercall when a '\n'
 * arrives or the buffer fills, so the monitor's "[d<ID> <NAME>]" lines
 * come out whole.  rv_shutdown() flushes what is left.
 */
#ifndef PVGUEST_CONSOLE_H
#define PVGUEST_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#define RV_CONSOLE_LINE 256 /* bytes gathered before a forced flush */

int rv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rv_vprintf(const char *fmt, va_list ap);
int rv_puts(const char *s);             /* s and a newline; returns 0 */
void rv_putchar(char c);
void rv_console_flush(void);            /* writes a partial line now */
/* Unbuffered: flushes, then writes n bytes in as few hypercalls as it can. */
long rv_console_write(const void *buf, size_t n);
/* Reads what input is waiting (at most n bytes), never blocks; returns the count or -RV_E*. */
long rv_console_read(void *buf, size_t n);

#endif
