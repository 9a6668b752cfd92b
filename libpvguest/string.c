/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/string.c: memory and string helpers for the monitor and guests.
 *
 * gcc may turn a plain byte loop into a call to memcpy or memset, which
 * inside memcpy or memset itself would recurse forever.  On i386 the three
 * block operations therefore use the string instructions (REP MOVSB and
 * REP STOSB, SDM Vol. 2B; fast-string microcode makes them quick on every
 * CPU since the P6).  The C loops are the fallback for a 64-bit host, where
 * the unit tests run.
 */
#include <stdint.h>
#include "rvlib.h"

void *memcpy(void *dst, const void *src, size_t n)
{
#if defined(__i386__)
    void *d = dst;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
#else
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
#endif
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    if ((uintptr_t)dst - (uintptr_t)src >= n)
        return memcpy(dst, src, n); /* dst below src, or no overlap: a forward copy is safe */
    /* dst overlaps the tail of src: copy from the last byte down. */
#if defined(__i386__)
    /* EFLAGS.DF = 1 makes MOVSB step ESI and EDI downwards; the ABI wants DF = 0 again. */
    void *d = (char *)dst + n - 1;
    const void *s = (const char *)src + n - 1;
    __asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
#else
    unsigned char *d = (unsigned char *)dst + n;
    const unsigned char *s = (const unsigned char *)src + n;
    while (n--)
        *--d = *--s;
#endif
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
#if defined(__i386__)
    void *d = dst;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
#else
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
#endif
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p < *q ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, (size_t)-1);
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x != y)
            return x < y ? -1 : 1;
        if (!x)
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
