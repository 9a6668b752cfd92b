/*
 * tests/unit/harness.h: a tiny host test harness.
 *
 * TEST(id, "what it checks") { ... } defines and registers one case;
 * CHECK(expr) records a failure and goes on, so one run shows every broken
 * assertion of a case.  harness.c runs the cases in registration order and
 * prints "PASS <arch>/<id>: <what>" or "FAIL <arch>/<id>: <what>" for each
 * (the line format tests/run.py reads), then "N passed, N failed".
 */
#ifndef UNIT_HARNESS_H
#define UNIT_HARNESS_H

void unit_register(const char *id, const char *what, void (*fn)(void));
void unit_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define TEST(id, name)                                                   \
    static void id(void);                                                \
    __attribute__((constructor)) static void id##_register(void)         \
    {                                                                    \
        unit_register(#id, name, id);                                    \
    }                                                                    \
    static void id(void)

#define CHECK(expr)                                                      \
    do {                                                                 \
        if (!(expr))                                                     \
            unit_fail(__FILE__, __LINE__, "CHECK(%s)", #expr);           \
    } while (0)

/* Integer equality, printing both values on failure. */
#define CHECK_EQ(a, b)                                                   \
    do {                                                                 \
        unsigned long long a_ = (unsigned long long)(a);                 \
        unsigned long long b_ = (unsigned long long)(b);                 \
        if (a_ != b_)                                                    \
            unit_fail(__FILE__, __LINE__, "%s == %s: 0x%llx != 0x%llx",  \
                      #a, #b, a_, b_);                                   \
    } while (0)

/* String equality; NULL counts as a string that matches nothing. */
#define CHECK_STR(a, b)                                                  \
    do {                                                                 \
        const char *a_ = (a), *b_ = (b);                                 \
        if (!unit_streq(a_, b_))                                         \
            unit_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"",  \
                      #a, #b, a_ ? a_ : "(NULL)", b_ ? b_ : "(NULL)");   \
    } while (0)

int unit_streq(const char *a, const char *b);

#endif
