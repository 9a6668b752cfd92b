/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/demo.c: a whole (tiny) deprivileged kernel in one file.
 *
 *  1. It prints from ring 1 and proves it: CS & 3 is the CPL (SDM Vol. 3A 5.5).
 *  2. It takes a trap: ud2 raises #UD (vector 6); the monitor bounces it
 *     to our handler, which counts it and steps over the 2-byte ud2.
 *  3. It runs a task in ring 3 that talks to it only through int 0x80,
 *     a system call the monitor turns into a real trap gate into ring 1:
 *       eax = 1  write(ebx = string, ecx = length) -> eax = length
 *       eax = 2  exit(ebx = code)
 *     The task reports its own CS & 3 through write, and the kernel checks
 *     the CS the CPU pushed.
 *  4. It shuts down with the exit code from its command line ("exit=N",
 *     default 0).
 */
#include <pvguest.h>

#define SYSCALL_VECTOR 0x80
#define SYS_WRITE 1
#define SYS_EXIT 2

static unsigned ud_count;
static rv_jmp_buf task_done;
static int task_exit_code;
static unsigned task_ring_seen;

/* The stacks: ring 3's, and ring 1's for entries from ring 3. */
static uint8_t user_stack[4096] __attribute__((aligned(16)));
static uint8_t kernel_stack[8192] __attribute__((aligned(16)));

static void on_invalid_opcode(struct rv_trap_frame *f)
{
    ud_count++;
    rv_printf("  #UD handler: vector %u at eip 0x%08x, ring %u; skipping the ud2\n",
              f->vector, f->eip, rv_frame_ring(f));
    f->eip += 2; /* ud2 is 0f 0b */
}

static void on_syscall(struct rv_trap_frame *f)
{
    task_ring_seen = rv_frame_ring(f);
    switch (f->eax) {
    case SYS_WRITE:
        rv_printf("  [task, ring %u] %.*s\n", rv_frame_ring(f), (int)f->ecx, (const char *)f->ebx);
        f->eax = f->ecx;
        break;
    case SYS_EXIT:
        task_exit_code = (int)f->ebx;
        rv_trap_longjmp(f, task_done, 1); /* back into main, in ring 1 */
        break;
    default:
        f->eax = (uint32_t)-RV_ENOSYS;
    }
}

/* Ring 3 from here: no hypercalls, only int 0x80. */

static long sys_call(long nr, long a1, long a2)
{
    long ret;

    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a1), "c"(a2) : "memory");
    return ret;
}

static void sys_write(const char *s)
{
    sys_call(SYS_WRITE, (long)s, (long)strlen(s));
}

static void user_task(void)
{
    char line[64];
    unsigned cs = rv_read_cs();

    sys_write("hello from the ring-3 task");
    rv_snprintf(line, sizeof(line), "my CS = 0x%04x, CS & 3 = %u", cs, cs & 3);
    sys_write(line);
    sys_call(SYS_EXIT, 7, 0);
    for (;;) /* exit does not return */
        ;
}

/* Ring 1 again. */

static void run_user_task(void)
{
    long r;

    if ((r = rv_stack_switch_to(kernel_stack + sizeof(kernel_stack))) < 0 ||
        (r = rv_syscall_set(SYSCALL_VECTOR, on_syscall)) < 0) {
        rv_printf("cannot set up ring 3: %ld\n", r);
        rv_crash();
    }
    if (rv_setjmp(task_done) == 0)
        rv_enter_user(user_task, user_stack + sizeof(user_stack));
    rv_printf("task exited with code %d; its system calls came from ring %u\n",
              task_exit_code, task_ring_seen);
}

int guest_main(void)
{
    unsigned cs = rv_read_cs();
    long code = rv_cmdline_int("exit", 0);

    rv_printf("demo kernel in ring %u: CS = 0x%04x, CS & 3 = %u\n", cs & 3, cs, cs & 3);

    rv_trap_set_defaults();
    rv_trap_set(6, on_invalid_opcode, 0);
    __asm__ volatile("ud2");
    rv_printf("back after ud2: the handler ran %u time(s)\n", ud_count);

    run_user_task();

    rv_printf("shutting down with exit code %ld\n", code);
    return (int)code;
}
