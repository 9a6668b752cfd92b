/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/fmt.c: printf-style formatting for the monitor and guests.
 *
 * One engine, rv_vformat, walks the format and hands each character to a
 * put function; rv_vsnprintf is that engine writing into a bounded buffer.
 * Nothing here allocates or keeps state between calls, so the monitor may
 * format from any context, including a panic.
 */
#include <stdint.h>
#include "rvlib.h"

enum {
    F_LEFT = 1,   /* '-': pad on the right */
    F_ZERO = 2,   /* '0': pad numbers with zeros */
    F_PLUS = 4,   /* '+': always print a sign */
    F_SPACE = 8,  /* ' ': a space where '+' would go */
    F_ALT = 16,   /* '#': 0x before non-zero hex */
};

struct spec {
    unsigned flags;
    int width;  /* 0 = none */
    int prec;   /* -1 = none */
    int size;   /* 'H' hh, 'h', 0 int, 'l', 'L' ll, 'z' */
    char conv;
};

struct out {
    rv_put_fn put;
    void *ctx;
    int count;
};

static void emit(struct out *o, char c)
{
    o->put(o->ctx, c);
    o->count++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        emit(o, c);
}

/* A decimal number in the format, or '*' taking an int argument. */
static const char *parse_count(const char *f, va_list *ap, int *val)
{
    int v = 0;
    if (*f == '*') {
        *val = va_arg(*ap, int);
        return f + 1;
    }
    while (*f >= '0' && *f <= '9') {
        if (v < 100000)   /* a runaway width is clamped, not overflowed */
            v = v * 10 + (*f - '0');
        f++;
    }
    *val = v;
    return f;
}

/* Parses flags, width, precision and length after a '%'. */
static const char *parse_spec(const char *f, va_list *ap, struct spec *sp)
{
    static const char flagchars[] = "-0+ #"; /* in the order of the F_ bits */
    const char *p;

    sp->flags = 0;
    while (*f && (p = strchr(flagchars, *f)) != NULL) {
        sp->flags |= 1u << (p - flagchars);
        f++;
    }
    f = parse_count(f, ap, &sp->width);
    if (sp->width < 0) {              /* C99: a negative '*' width means '-' */
        sp->flags |= F_LEFT;
        sp->width = sp->width == INT32_MIN ? 0 : -sp->width;
    }
    sp->prec = -1;
    if (*f == '.') {
        f = parse_count(f + 1, ap, &sp->prec);
        if (sp->prec < 0)             /* a negative '*' precision means none */
            sp->prec = -1;
    }
    sp->size = 0;
    if (*f == 'h' || *f == 'l') {
        sp->size = *f++;
        if (*f == sp->size) {
            sp->size = sp->size == 'h' ? 'H' : 'L';
            f++;
        }
    } else if (*f == 'z') {
        sp->size = *f++;
    }
    sp->conv = *f;
    return *f ? f + 1 : f;
}

/* Digits of v in base 10 or 16, least significant first; returns how many. */
static int digits(char *buf, uint64_t v, int hex, int upper)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    uint32_t w;

    if (hex) {
        do {
            buf[n++] = set[v & 15];
            v >>= 4;
        } while (v);
        return n;
    }
    while (v > 0xffffffffu) {         /* 64-bit division: on i386 gcc may call libgcc here */
        buf[n++] = set[v % 10];
        v /= 10;
    }
    w = (uint32_t)v;
    do {
        buf[n++] = set[w % 10];
        w /= 10;
    } while (w);
    return n;
}

/* Prints sign/prefix, zeros to the precision, digits, padded to the width. */
static void put_number(struct out *o, const struct spec *sp, uint64_t v,
                       const char *prefix, int hex)
{
    char buf[24];
    int nd = digits(buf, v, hex, sp->conv == 'X');
    int np = (int)strlen(prefix);
    int zeros, spaces;

    if (sp->prec == 0 && v == 0)
        nd = 0;                       /* C99: "%.0d" of 0 prints nothing */
    zeros = sp->prec > nd ? sp->prec - nd : 0;
    spaces = sp->width - np - zeros - nd;
    if ((sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->prec < 0 && spaces > 0) {
        zeros += spaces;
        spaces = 0;
    }
    if (!(sp->flags & F_LEFT))
        pad(o, ' ', spaces);
    while (*prefix)
        emit(o, *prefix++);
    pad(o, '0', zeros);
    while (nd)
        emit(o, buf[--nd]);
    if (sp->flags & F_LEFT)
        pad(o, ' ', spaces);
}

static int64_t signed_arg(va_list *ap, int size)
{
    switch (size) {
    case 'H': return (signed char)va_arg(*ap, int);
    case 'h': return (short)va_arg(*ap, int);
    case 'l': return va_arg(*ap, long);
    case 'L': return va_arg(*ap, long long);
    case 'z': return va_arg(*ap, ptrdiff_t);  /* the signed type as wide as size_t */
    default:  return va_arg(*ap, int);
    }
}

static uint64_t unsigned_arg(va_list *ap, int size)
{
    switch (size) {
    case 'H': return (unsigned char)va_arg(*ap, unsigned);
    case 'h': return (unsigned short)va_arg(*ap, unsigned);
    case 'l': return va_arg(*ap, unsigned long);
    case 'L': return va_arg(*ap, unsigned long long);
    case 'z': return va_arg(*ap, size_t);
    default:  return va_arg(*ap, unsigned);
    }
}

static void put_signed(struct out *o, const struct spec *sp, int64_t v)
{
    const char *sign = v < 0 ? "-" : (sp->flags & F_PLUS) ? "+" : (sp->flags & F_SPACE) ? " " : "";
    /* Negate in unsigned arithmetic so INT64_MIN does not overflow. */
    put_number(o, sp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, sign, 0);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
    int len;

    if (!s)
        s = "(null)";
    /* With a precision, s need not be NUL-terminated: read no further. */
    len = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : (size_t)INT32_MAX);
    if (!(sp->flags & F_LEFT))
        pad(o, ' ', sp->width - len);
    for (int i = 0; i < len; i++)
        emit(o, s[i]);
    if (sp->flags & F_LEFT)
        pad(o, ' ', sp->width - len);
}

static void put_char(struct out *o, const struct spec *sp, char c)
{
    if (!(sp->flags & F_LEFT))
        pad(o, ' ', sp->width - 1);
    emit(o, c);
    if (sp->flags & F_LEFT)
        pad(o, ' ', sp->width - 1);
}

/* One conversion; its arguments come from *ap. */
static void convert(struct out *o, struct spec *sp, va_list *ap)
{
    uint64_t u;

    switch (sp->conv) {
    case 'd':
    case 'i':
        put_signed(o, sp, signed_arg(ap, sp->size));
        break;
    case 'u':
        put_number(o, sp, unsigned_arg(ap, sp->size), "", 0);
        break;
    case 'x':
    case 'X':
        u = unsigned_arg(ap, sp->size);
        put_number(o, sp, u, (sp->flags & F_ALT) && u ? (sp->conv == 'x' ? "0x" : "0X") : "", 1);
        break;
    case 'p':
        if (sp->prec < 8)
            sp->prec = 8;
        put_number(o, sp, (uintptr_t)va_arg(*ap, void *), "0x", 1);
        break;
    case 's':
        put_string(o, sp, va_arg(*ap, const char *));
        break;
    case 'c':
        put_char(o, sp, (char)va_arg(*ap, int));
        break;
    case '%':
        emit(o, '%');
        break;
    default:                          /* unknown: print it as written */
        emit(o, '%');
        if (sp->conv)
            emit(o, sp->conv);
        break;
    }
}

int rv_vformat(rv_put_fn put, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { put, ctx, 0 };
    struct spec sp;
    va_list args;

    /* A copy, so the helpers can take its address (va_list may be an array). */
    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            emit(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &args, &sp);
        convert(&o, &sp, &args);
    }
    va_end(args);
    return o.count;
}

int rv_format(rv_put_fn put, void *ctx, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = rv_vformat(put, ctx, fmt, ap);
    va_end(ap);
    return n;
}

struct bounded {
    char *buf;
    size_t size;
    size_t pos;
};

/* Keeps the first size-1 characters; counts them all. */
static void put_bounded(void *ctx, char c)
{
    struct bounded *b = ctx;
    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int rv_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct bounded b = { buf, n, 0 };
    int len = rv_vformat(put_bounded, &b, fmt, ap);

    if (n)
        buf[b.pos < n ? b.pos : n - 1] = '\0';
    return len;
}

int rv_snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = rv_vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return len;
}
