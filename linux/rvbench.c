/* SPDX-License-Identifier: MIT */
/*
 * linux/rvbench.c: the Linux benchmark of `make bench` (suite `linux`,
 * tests/bench/README.md): the same static i386 program, in the same
 * initramfs, run by the ringvisor guest kernel and by the same source built
 * for bare i386 (build/linux/native/bzImage), so the harness can put the two
 * figures side by side.  Installed as /bin/rvbench.
 *
 *   rvbench                  as PID 1 (kernel command line rdinit=/bin/rvbench):
 *                            read the TSC the moment the kernel hands over to
 *                            user space, put it in RVBENCH_INIT_TSC, exec /init
 *   rvbench tsc LABEL [N]    print "RVBENCH tsc at=LABEL cycles=N" (N: now)
 *   rvbench run [quick] [reps=R] [only=KEY]
 *                            the benchmarks, one line each (below); quick:
 *                            loops a tenth as long, 2 repetitions; only=KEY:
 *                            that figure alone (only=none: none, for a
 *                            baseline); other words (e.g. `full`) are ignored
 *   rvbench exit             exit 0 at once: the program fork+execve runs
 *
 * Each figure is the best of R repetitions (default 5) of a timed loop of n
 * operations (rounds: each round times every figure once), timed with RDTSC (user-mode RDTSC works under both kernels:
 * neither sets CR4.TSD, SDM Vol. 3A 2.5).  Under QEMU's -icount the TSC
 * counts guest instructions, under real-time TCG it is the host's TSC; it
 * is the same counter for both kernels, so the ratio of two figures is the
 * ratio of their cycles whatever the clock rate.  Output:
 *
 *   RVBENCH clock tsc_mhz=F          TSC against CLOCK_MONOTONIC over 100 ms
 *   RVBENCH op=KEY n=N reps=R best=C us=U
 *                                    C: fewest TSC cycles of a repetition of
 *                                    N operations; U = C / N / tsc_mhz
 *   RVBENCH done
 *   RVBENCH-ERROR what               a benchmark could not run
 *
 * Loops are not corrected for their own overhead (a few instructions per
 * operation against hundreds for the cheapest operation).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static const char *self = "/bin/rvbench";
static int reps = 5;
static int scale = 1;           /* divide every loop count (quick: 10) */
static const char *only;        /* run only the figure with this key (none: none) */
static double tsc_mhz;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void fail(const char *what)
{
    printf("RVBENCH-ERROR %s: %s\n", what, strerror(errno));
    fflush(stdout);
}

static uint64_t ns_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* TSC ticks per microsecond, against the kernel's monotonic clock. */
static double calibrate(void)
{
    uint64_t n0 = ns_now(), t0 = rdtsc(), n1;
    while ((n1 = ns_now()) - n0 < 100000000u)
        ;
    uint64_t t1 = rdtsc();
    return (double)(t1 - t0) * 1000.0 / (double)(n1 - n0);
}

/*
 * Empty and never inlined: tests/bench/linprof.py, which watches QEMU's
 * trace of executed blocks, sees each timed repetition begin and end at
 * these two addresses (the program is static, so they are fixed).
 */
__attribute__((noinline)) void rvbench_mark_begin(void) { __asm__ volatile("" ::: "memory"); }
__attribute__((noinline)) void rvbench_mark_end(void) { __asm__ volatile("" ::: "memory"); }

/* A figure: body(n) runs n operations and returns the cycles they took
 * (0: it failed and said so). */
struct figure {
    const char *key;
    long n;
    uint64_t (*body)(long);
    uint64_t best;
    int failed;
};

static int wanted(const char *key)
{
    return !only || strcmp(key, only) == 0;
}

/*
 * Best of `reps` rounds.  A round runs every figure once, so the
 * repetitions of one figure are spread over the whole run: under real
 * time, a burst of host load then spoils one round of each figure rather
 * than every repetition of a few.
 */
static void measure(struct figure *f, int nf)
{
    for (int i = 0; i < nf; i++) {
        f[i].n = f[i].n / scale > 0 ? f[i].n / scale : 1;
        f[i].best = ~0ull;
        if (wanted(f[i].key) && f[i].body(f[i].n / 10 > 0 ? f[i].n / 10 : 1) == 0)
            f[i].failed = 1;                /* warm-up: caches, page cache, TLB */
    }
    for (int r = 0; r < reps; r++)
        for (int i = 0; i < nf; i++) {
            if (!wanted(f[i].key) || f[i].failed)
                continue;
            rvbench_mark_begin();
            uint64_t c = f[i].body(f[i].n);
            rvbench_mark_end();
            if (c == 0)
                f[i].failed = 1;
            else if (c < f[i].best)
                f[i].best = c;
        }
    for (int i = 0; i < nf; i++)
        if (wanted(f[i].key) && !f[i].failed)
            printf("RVBENCH op=%s n=%ld reps=%d best=%llu us=%.3f\n", f[i].key, f[i].n, reps,
                   (unsigned long long)f[i].best, (double)f[i].best / f[i].n / tsc_mhz);
    fflush(stdout);
}

/* ---- system calls ---- */

static uint64_t b_null(long n)
{
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++)
        syscall(SYS_getppid);               /* libc's way in: vDSO __kernel_vsyscall */
    return rdtsc() - t;
}

static uint64_t b_null_int80(long n)
{
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++) {
        long r = SYS_getppid;
        __asm__ volatile("int $0x80" : "+a"(r) : : "memory");
    }
    return rdtsc() - t;
}

static uint64_t b_stat(long n)
{
    struct stat st;
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++)
        if (stat(self, &st) < 0)
            return fail("stat"), 0;
    return rdtsc() - t;
}

static uint64_t b_open(long n)
{
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++) {
        int fd = open(self, O_RDONLY);
        if (fd < 0)
            return fail("open"), 0;
        close(fd);
    }
    return rdtsc() - t;
}

/* ---- signals ---- */

static volatile int caught;
static void on_usr1(int sig) { (void)sig; caught++; }
static void on_usr1_b(int sig) { (void)sig; caught++; }

static uint64_t b_sig_install(long n)
{
    struct sigaction sa = { 0 };
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++) {
        sa.sa_handler = (i & 1) ? on_usr1_b : on_usr1;
        sigaction(SIGUSR1, &sa, 0);
    }
    return rdtsc() - t;
}

static uint64_t b_sig_deliver(long n)
{
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, 0);
    pid_t me = getpid();
    caught = 0;
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++)
        kill(me, SIGUSR1);                  /* delivered on the way out of kill */
    uint64_t c = rdtsc() - t;
    if (caught != n) {
        printf("RVBENCH-ERROR signal: %d of %ld delivered\n", caught, n);
        return 0;
    }
    return c;
}

/* ---- processes ---- */

static int reap(pid_t pid)
{
    int status;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static uint64_t b_fork_exit(long n)
{
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        if (pid < 0 || !reap(pid))
            return fail("fork+exit"), 0;
    }
    return rdtsc() - t;
}

static uint64_t b_fork_exec(long n)
{
    char *const argv[] = { (char *)self, "exit", 0 };
    char *const envp[] = { 0 };
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            execve(self, argv, envp);
            _exit(127);
        }
        if (pid < 0 || !reap(pid))
            return fail("fork+execve"), 0;
    }
    return rdtsc() - t;
}

/* Two processes pass one byte back and forth: two context switches a round. */
static uint64_t b_pipe(long n)
{
    int ab[2], ba[2];
    char c = 0;
    if (pipe(ab) < 0 || pipe(ba) < 0)
        return fail("pipe"), 0;
    pid_t pid = fork();
    if (pid == 0) {
        close(ab[1]);
        close(ba[0]);
        while (read(ab[0], &c, 1) == 1)
            if (write(ba[1], &c, 1) != 1)
                break;
        _exit(0);
    }
    close(ab[0]);
    close(ba[1]);
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++)
        if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
            return fail("pipe ping-pong"), 0;
    uint64_t cyc = rdtsc() - t;
    close(ab[1]);
    close(ba[0]);
    reap(pid);
    return cyc;
}

/* ---- memory ---- */

#define REGION (4u << 20)
#define PAGE 4096u

/* n faults: write to each page of fresh anonymous mappings; only the
 * touching is timed (mmap before, munmap after). */
static uint64_t b_pagefault(long n)
{
    uint64_t cyc = 0;
    for (long done = 0; done < n;) {
        long pages = n - done < (long)(REGION / PAGE) ? n - done : (long)(REGION / PAGE);
        volatile char *p = mmap(0, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return fail("mmap"), 0;
        uint64_t t = rdtsc();
        for (long i = 0; i < pages; i++)
            p[i * PAGE] = 1;
        cyc += rdtsc() - t;
        munmap((void *)p, REGION);
        done += pages;
    }
    return cyc;
}

/* mmap + munmap of 4 MiB of anonymous memory, touching one byte every
 * 16 KiB in between (256 faults), as lmbench's lat_mmap does. */
static uint64_t b_mmap(long n)
{
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++) {
        volatile char *p = mmap(0, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return fail("mmap"), 0;
        for (unsigned o = 0; o < REGION; o += 16384)
            p[o] = 1;
        munmap((void *)p, REGION);
    }
    return rdtsc() - t;
}

/* The control: no system call, no fault; only what interrupts take. */
static uint64_t b_cpu(long n)
{
    uint32_t x = 1;
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        __asm__ volatile("" : "+r"(x));
    }
    uint64_t c = rdtsc() - t;
    __asm__ volatile("" : : "r"(x));
    return c;
}

/* ---- the macro workload: busybox in tmpfs ---- */

#define MACRO_FILES 300
#define MACRO_DIR "/tmp/rvbench"

/* A deterministic tree of small files (64 B - 8 KiB) and its tarball. */
static int macro_setup(void)
{
    static char buf[8192];
    char name[64];
    uint32_t x = 12345;
    if (mkdir(MACRO_DIR, 0755) < 0 && errno != EEXIST)
        return fail("mkdir " MACRO_DIR), -1;
    if (mkdir(MACRO_DIR "/src", 0755) < 0 && errno != EEXIST)
        return fail("mkdir src"), -1;
    for (int i = 0; i < MACRO_FILES; i++) {
        if (i % 30 == 0) {
            snprintf(name, sizeof name, MACRO_DIR "/src/d%02d", i / 30);
            mkdir(name, 0755);
        }
        snprintf(name, sizeof name, MACRO_DIR "/src/d%02d/f%03d.txt", i / 30, i);
        x = x * 1664525u + 1013904223u;
        size_t len = 64 + (x >> 8) % (sizeof buf - 64);
        for (size_t j = 0; j < len; j++) {
            x = x * 1664525u + 1013904223u;
            buf[j] = 'a' + (x >> 24) % 26;
        }
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
            return fail("write tree"), -1;
        close(fd);
    }
    return system("cd " MACRO_DIR "/src && tar cf " MACRO_DIR "/tree.tar . && rm -rf " MACRO_DIR "/src") == 0
        ? 0 : (errno = EIO, fail("tar cf"), -1);
}

/* n times: unpack the tarball into tmpfs, md5sum every file, remove it. */
static uint64_t b_macro(long n)
{
    static const char *script =
        "mkdir " MACRO_DIR "/x && cd " MACRO_DIR "/x && tar xf ../tree.tar && "
        "find . -type f | sort | xargs md5sum | md5sum >../sum && cd / && rm -rf " MACRO_DIR "/x";
    uint64_t t = rdtsc();
    for (long i = 0; i < n; i++)
        if (system(script) != 0)
            return errno = EIO, fail("macro workload"), 0;
    return rdtsc() - t;
}

static void run(void)
{
    tsc_mhz = calibrate();
    printf("RVBENCH clock tsc_mhz=%.3f\n", tsc_mhz);
    fflush(stdout);
    struct figure f[] = {
        { "cpu", 10000000, b_cpu },
        { "null", 100000, b_null },
        { "null-int80", 100000, b_null_int80 },
        { "stat", 20000, b_stat },
        { "open", 20000, b_open },
        { "sig-install", 50000, b_sig_install },
        { "sig-deliver", 20000, b_sig_deliver },
        { "fork-exit", 500, b_fork_exit },
        { "fork-exec", 200, b_fork_exec },
        { "pipe", 10000, b_pipe },
        { "pagefault", 8192, b_pagefault },
        { "mmap", 200, b_mmap },
        { "macro", 3 * scale, b_macro },    /* 3 runs a repetition, quick or not */
    };
    int nf = sizeof f / sizeof f[0];
    if (wanted("macro") && macro_setup() != 0)
        nf--;                               /* macro is last */
    measure(f, nf);
    printf("RVBENCH done\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (getpid() == 1) {
        /* rdinit=/bin/rvbench: the first user instruction the kernel runs */
        char v[32];
        snprintf(v, sizeof v, "%llu", (unsigned long long)rdtsc());
        setenv("RVBENCH_INIT_TSC", v, 1);
        execv("/init", (char *[]){ "/init", 0 });
        perror("rvbench: exec /init");
        for (;;)
            pause();
    }
    if (argc >= 2 && strcmp(argv[1], "exit") == 0)
        return 0;
    if (argc >= 3 && strcmp(argv[1], "tsc") == 0) {
        unsigned long long c = argc >= 4 ? strtoull(argv[3], 0, 10) : rdtsc();
        /* on a line of its own: a shell prompt may precede it */
        printf("\nRVBENCH tsc at=%s cycles=%llu\n", argv[2], c);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "run") == 0) {
        for (int i = 2; i < argc; i++) {
            if (strcmp(argv[i], "quick") == 0)
                scale = 10, reps = 2;
            else if (strncmp(argv[i], "reps=", 5) == 0)
                reps = atoi(argv[i] + 5) > 0 ? atoi(argv[i] + 5) : 1;
            else if (strncmp(argv[i], "only=", 5) == 0)
                only = argv[i] + 5;
        }
        setvbuf(stdout, 0, _IOLBF, 0);
        run();
        return 0;
    }
    fprintf(stderr, "usage: rvbench [tsc LABEL [CYCLES] | run [quick] [reps=R] [only=KEY] | exit]\n");
    return 2;
}
