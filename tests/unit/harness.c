/*
 * tests/unit/harness.c: runs every registered case and reports.
 *
 * Each case prints one line; failed CHECKs add indented detail lines
 * above it (at most a few per case, so a failing loop stays readable).
 * The exit status is 1 when any case failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

#define MAX_CASES 512
#define MAX_DETAILS 8

#if defined(__i386__)
#define ARCH "i386"
#else
#define ARCH "x86_64"
#endif

static struct {
    const char *id, *what;
    void (*fn)(void);
} cases[MAX_CASES];
static int nr_cases;
static int case_failures;

void unit_register(const char *id, const char *what, void (*fn)(void))
{
    if (nr_cases == MAX_CASES) {
        fprintf(stderr, "harness: more than %d cases\n", MAX_CASES);
        exit(2);
    }
    cases[nr_cases].id = id;
    cases[nr_cases].what = what;
    cases[nr_cases].fn = fn;
    nr_cases++;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    if (case_failures++ >= MAX_DETAILS)
        return;
    printf("    %s:%d: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

int unit_streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

int main(void)
{
    int passed = 0, failed = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; i < nr_cases; i++) {
        case_failures = 0;
        cases[i].fn();
        if (case_failures > MAX_DETAILS)
            printf("    (%d more failed checks)\n", case_failures - MAX_DETAILS);
        printf("%s %s/%s: %s\n", case_failures ? "FAIL" : "PASS", ARCH, cases[i].id,
               cases[i].what);
        if (case_failures)
            failed++;
        else
            passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
