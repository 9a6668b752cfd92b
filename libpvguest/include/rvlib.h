/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/include/rvlib.h: the little C library the monitor and every
 * guest share: memory and string helpers and a printf-style formatter.
 *
 * Freestanding: no libc, no global state, no assumption about which side
 * of the hypercall boundary links it.  Output goes through a caller-given
 * put(ctx, c) function, so the monitor can send it to the serial port and a
 * guest to its console hypercall.  64-bit conversions (%llu ...) divide
 * 64-bit numbers, which on i386 needs libgcc's __udivdi3 and __umoddi3.
 */
#ifndef RVLIB_H
#define RVLIB_H

#include <stdarg.h>
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copies at most size-1 bytes and NUL-terminates (size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * The formatter.  Conversions: %d %i %u %x %X %c %s %p %% with the flags
 * '-' '0' '+' ' ' '#', a width and a precision (either may be '*'), and the
 * length modifiers hh h l ll z.  %s of NULL prints "(null)"; %p prints
 * 0x%08x of the pointer.  An unknown conversion is printed as it stands.
 */
typedef void (*rv_put_fn)(void *ctx, char c);

/* Sends every character to put; returns how many it sent. */
int rv_vformat(rv_put_fn put, void *ctx, const char *fmt, va_list ap);
int rv_format(rv_put_fn put, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Writes at most n-1 characters and a NUL into buf (nothing when n == 0);
 * returns the length the whole output would have had (C99 snprintf).
 */
int rv_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int rv_snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
