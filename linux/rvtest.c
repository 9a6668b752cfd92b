/* SPDX-License-Identifier: MIT */
/*
 * linux/rvtest.c: the few checks of the Linux boot test that busybox cannot
 * make exactly, as one static i386 program (gcc -m32 -static), installed in
 * the initramfs as /bin/rvtest.  Each sub-command prints one line and exits
 * 0 when the check passed:
 *
 *   rvtest forkexec N PROG   fork N children that each exec PROG; all exit 0
 *   rvtest memtouch MB       allocate MB MiB, write every page, check, free
 *   rvtest sleep MS          nanosleep MS ms; the monotonic clock agrees to 10%
 *   rvtest segv              dereference NULL (the caller expects SIGSEGV)
 *   rvtest ring              print the privilege level of this process (CS & 3)
 *
 * Busybox's shell runs some applets without forking, so counting real
 * fork+exec pairs needs a program of our own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static int forkexec(int n, const char *prog)
{
    int ok = 0;
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            break;
        }
        if (pid == 0) {
            execl(prog, prog, (char *)0);
            _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
            ok++;
    }
    printf("forkexec: %d of %d children ran %s and exited 0\n", ok, n, prog);
    return ok == n ? 0 : 1;
}

static int memtouch(long mb)
{
    size_t len = (size_t)mb << 20;
    unsigned char *p = malloc(len);
    if (!p) {
        printf("memtouch: malloc(%ld MiB) failed\n", mb);
        return 1;
    }
    for (size_t i = 0; i < len; i += 4096)
        p[i] = (unsigned char)(i >> 12);
    size_t bad = 0;
    for (size_t i = 0; i < len; i += 4096)
        bad += p[i] != (unsigned char)(i >> 12);
    free(p);
    printf("memtouch: %ld MiB allocated, %zu pages touched, %zu wrong, freed\n", mb, len >> 12, bad);
    return bad != 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sleeper(long ms)
{
    struct timespec req = { ms / 1000, (ms % 1000) * 1000000L };
    struct timespec left = { 0, 0 };
    double t0 = now();
    int rc = nanosleep(&req, &left);
    double took = (now() - t0) * 1000.0;
    int ok = rc == 0 && took >= ms * 0.9 && took <= ms * 1.1;
    printf("sleep: asked %ld ms, slept %.1f ms (%s)", ms, took, ok ? "within 10%" : "off by more than 10%");
    if (rc)
        printf(", nanosleep: %s, %ld.%09ld s left", strerror(errno), (long)left.tv_sec, left.tv_nsec);
    printf("\n");
    return !ok;
}

static int ring(void)
{
    unsigned cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    printf("ring: user code runs with CS 0x%x, ring %u\n", cs, cs & 3);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, 0, _IONBF, 0);
    if (argc >= 4 && !strcmp(argv[1], "forkexec"))
        return forkexec(atoi(argv[2]), argv[3]);
    if (argc >= 3 && !strcmp(argv[1], "memtouch"))
        return memtouch(atol(argv[2]));
    if (argc >= 3 && !strcmp(argv[1], "sleep"))
        return sleeper(atol(argv[2]));
    if (argc >= 2 && !strcmp(argv[1], "segv"))
        return *(volatile int *)0;
    if (argc >= 2 && !strcmp(argv[1], "ring"))
        return ring();
    fprintf(stderr, "usage: rvtest forkexec N PROG | memtouch MB | sleep MS | segv | ring\n");
    return 2;
}
