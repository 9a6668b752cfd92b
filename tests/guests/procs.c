/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/procs.c: a tiny kernel (ring 1) with two ring-3 processes,
 * each in its own address space (libpvguest's pvguest/mm.h).
 *
 *  1. It loads the ring-3 program (procs_user.c, a flat binary linked at
 *     0x10000000 and embedded in this image) into fresh frames.
 *  2. It builds two address spaces, A and B.  Each maps the program's
 *     frames read-only at the same VA (shared), plus its own data page at
 *     USER_DATA_VA and stack page, and shares the kernel's mappings
 *     supervisor-only.  Both are pinned: counted with vcpu_op GET_STATS.
 *  3. It runs them cooperatively: int 0x80 is a direct gate into this
 *     kernel; SYS_YIELD saves the caller's user registers (the trap frame),
 *     loads the other process's space (rv_as_activate: NEW_BASEPTR) and
 *     returns into the other's registers.  Both write "VA X" (the counter
 *     in their data page); each finds only its own value there.
 *  4. Each finally reads kernel memory: #PF with U/S set in the error
 *     code, and the kernel kills it.
 *  5. It measures a bigger space (many pages, live updates), destroys
 *     everything and checks that the monitor's memory statistics and the
 *     frame allocator are back to their start-of-day values.
 * Exit code 0 when every check held, 1 otherwise.  The user addresses
 * (0x10000000 up) must lie past the kernel's linear map: mem below 252M.
 */
#include <pvguest.h>
#include "procs.h"

#define NPROCS 2
#define ROUNDS 3
#define PF_VECTOR 14
#define PF_PRESENT 1u /* error code bits (SDM Vol. 3A 4.7) */
#define PF_WRITE 2u
#define PF_USER 4u

/* The program, embedded by rv_user_blob (libpvguest/build.mk). */
extern const uint8_t procs_user_start[], procs_user_end[];

struct proc {
    const char *name;
    struct rv_as as;
    struct proc_page *page;      /* its data page, through the kernel's linear map */
    struct rv_trap_frame regs;   /* its user registers while it does not run */
    int alive;
    uint32_t pf_err, pf_addr;    /* the fault that killed it */
};

static struct proc procs[NPROCS];
static struct proc *cur;
static unsigned switches;
static rv_jmp_buf all_done;
static int failures;

static const struct rv_user_header *prog;
static void *prog_pages[16];
static unsigned prog_npages;

/* The ring-1 stack for entries from ring 3; and something for A to try to read. */
static uint8_t kernel_stack[8192] __attribute__((aligned(16)));
static volatile uint32_t kernel_secret = 0x5ec2e7;

static void check(int ok, const char *what)
{
    if (!ok) {
        failures++;
        rv_printf("CHECK FAILED: %s\n", what);
    }
}

/* Hypercalls made so far, by the monitor's count (GET_STATS counts itself). */
static uint32_t hypercalls(void)
{
    struct rv_vcpu_stats st;

    rv_hc_vcpu_op(RV_VCPUOP_GET_STATS, &st);
    return st.hypercalls;
}

/* Hypercalls since t0 = hypercalls(), not counting this call. */
static uint32_t hypercalls_since(uint32_t t0)
{
    return hypercalls() - t0 - 1;
}

static void die(const char *what, long rc)
{
    rv_printf("%s: %s\n", what, rv_errname(rc));
    rv_crash();
}

/* ---- the program and the processes ---------------------------------------- */

/* Copies the embedded binary into frames of its own, page by page. */
static void load_program(void)
{
    uint32_t size = (uint32_t)(procs_user_end - procs_user_start);

    prog = (const struct rv_user_header *)procs_user_start;
    if (size < sizeof(*prog) || prog->size != size || (prog->base & (RV_PAGE_SIZE - 1)) ||
        prog->entry - prog->base >= size || prog->base + size > USER_DATA_VA)
        die("the embedded program's header is wrong", -RV_EINVAL);
    prog_npages = (size + RV_PAGE_SIZE - 1) / RV_PAGE_SIZE;
    if (prog_npages > sizeof(prog_pages) / sizeof(prog_pages[0]))
        die("the program is too big", -RV_E2BIG);
    for (unsigned i = 0; i < prog_npages; i++) {
        uint32_t n = size - i * RV_PAGE_SIZE < RV_PAGE_SIZE ? size - i * RV_PAGE_SIZE : RV_PAGE_SIZE;

        if (!(prog_pages[i] = rv_frame_alloc()))
            die("no frame for the program", -RV_ENOMEM);
        memcpy(prog_pages[i], procs_user_start + i * RV_PAGE_SIZE, n);
    }
    rv_printf("program: %u bytes, entry 0x%08x, %u page(s) mapped read-only at 0x%08x in every process\n",
              size, prog->entry, prog_npages, prog->base);
}

static void map_or_die(struct rv_as *as, uint32_t va, void *page, uint64_t flags)
{
    long rc = rv_as_map(as, va, rv_virt_to_mfn(page), flags);

    if (rc)
        die("rv_as_map", rc);
}

/* A process: its space, its pages, its first user registers. */
static void create_process(struct proc *p, const char *name, uint32_t step, uint32_t kernel_va)
{
    uint32_t t0 = hypercalls();
    void *data, *stack;
    long rc;

    if ((rc = rv_as_create(&p->as)) != 0)
        die("rv_as_create", rc);
    for (unsigned i = 0; i < prog_npages; i++)
        map_or_die(&p->as, prog->base + i * RV_PAGE_SIZE, prog_pages[i], RV_PTE_US);
    if (!(data = rv_frame_alloc()) || !(stack = rv_frame_alloc()))
        die("no frame for a process", -RV_ENOMEM);
    map_or_die(&p->as, USER_DATA_VA, data, RV_PTE_US | RV_PTE_RW | RV_PTE_OWNED);
    map_or_die(&p->as, USER_STACK_TOP - RV_PAGE_SIZE, stack, RV_PTE_US | RV_PTE_RW | RV_PTE_OWNED);
    if ((rc = rv_as_pin(&p->as)) != 0)
        die("rv_as_pin", rc);
    uint32_t cost = hypercalls_since(t0);

    p->name = name;
    p->page = data;
    strlcpy(p->page->name, name, sizeof(p->page->name));
    p->page->step = step;
    p->page->rounds = ROUNDS;
    p->page->kernel_va = kernel_va;
    memset(&p->regs, 0, sizeof(p->regs));
    p->regs.eip = prog->entry;
    p->regs.cs = RV_FLAT_RING3_CS;
    p->regs.eflags = 0x202; /* IF (the virtual IF, on the iret hypercall) and bit 1 */
    p->regs.esp = USER_STACK_TOP;
    p->regs.ss = p->regs.ds = p->regs.es = RV_FLAT_RING3_DS;
    p->alive = 1;
    rv_printf("process %s: L3 mfn 0x%x, %u user pages (data page mfn 0x%x), built and pinned in %u hypercall(s)\n",
              name, p->as.l3_mfn, prog_npages + 2, rv_virt_to_mfn(data), cost);
}

/* ---- running them ----------------------------------------------------------- */

/* The next live process after cur (cur itself if it is the only one), or NULL. */
static struct proc *pick_next(void)
{
    for (unsigned i = 1; i <= NPROCS; i++) {
        struct proc *p = &procs[(unsigned)(cur - procs + i) % NPROCS];
        if (p->alive)
            return p;
    }
    return 0;
}

/*
 * Leaves cur (its registers are the trap frame f) and makes f return into
 * the next process, in its address space.  The kernel's stack, code and
 * data are mapped (supervisor-only) in every space, so switching CR3 under
 * our own feet is fine.  With nobody left, f returns into guest_main.
 */
static void switch_process(struct rv_trap_frame *f)
{
    struct proc *next = pick_next();
    long rc;

    if (cur->alive)
        cur->regs = *f;
    if (!next) {
        rv_trap_longjmp(f, all_done, 1);
        return;
    }
    if (next != cur) {
        if ((rc = rv_as_activate(&next->as)) != 0)
            die("rv_as_activate", rc);
        switches++;
        rv_printf("  [kernel] switch %s -> %s: base mfn 0x%x\n", cur->name, next->name, next->as.l3_mfn);
    }
    *f = next->regs;
    cur = next;
}

/* Whether [va, va + len) is user-readable in the current process (copy_from_user's check). */
static int user_readable(uint32_t va, uint32_t len)
{
    if (len > RV_CONSOLE_LINE || va >= USER_LIMIT || len > USER_LIMIT - va)
        return 0;
    for (uint32_t page = va & ~(RV_PAGE_SIZE - 1); page < va + len; page += RV_PAGE_SIZE) {
        uint64_t pte = rv_as_pte(&cur->as, page);
        if (!(pte & RV_PTE_P) || !(pte & RV_PTE_US))
            return 0;
    }
    return 1;
}

static void on_syscall(struct rv_trap_frame *f)
{
    switch (f->eax) {
    case SYS_WRITE:
        if (!user_readable(f->ebx, f->ecx)) {
            f->eax = (uint32_t)-RV_EFAULT;
            break;
        }
        rv_printf("  [%s, ring %u] %.*s\n", cur->name, rv_frame_ring(f), (int)f->ecx, (const char *)f->ebx);
        f->eax = f->ecx;
        break;
    case SYS_YIELD:
        f->eax = 0;
        switch_process(f);
        break;
    case SYS_EXIT:
        rv_printf("  [kernel] %s exits with code %d\n", cur->name, (int)f->ebx);
        cur->alive = 0;
        switch_process(f);
        break;
    default:
        f->eax = (uint32_t)-RV_ENOSYS;
    }
}

static void on_page_fault(struct rv_trap_frame *f)
{
    uint32_t err = f->error_code;

    if (rv_frame_ring(f) != 3) {
        rv_trap_default(f); /* the kernel's own bug */
        return;
    }
    rv_printf("  [kernel] #PF in %s at eip 0x%08x, address 0x%08x, error 0x%x (%s, %s, %s): killed\n",
              cur->name, f->eip, f->cr2, err, err & PF_PRESENT ? "protection" : "not present",
              err & PF_WRITE ? "write" : "read", err & PF_USER ? "user" : "supervisor");
    cur->pf_err = err;
    cur->pf_addr = f->cr2;
    cur->alive = 0;
    switch_process(f);
}

static void run_processes(void)
{
    long rc;

    if (rv_setjmp(all_done))
        return;
    cur = &procs[0];
    if ((rc = rv_as_activate(&cur->as)) != 0)
        die("rv_as_activate", rc);
    rv_enter_user((void (*)(void))cur->regs.eip, (void *)cur->regs.esp);
}

/* ---- checks and measurements ------------------------------------------------ */

static void check_processes(void)
{
    for (unsigned i = 0; i < NPROCS; i++) {
        struct proc *p = &procs[i];

        rv_printf("kernel view: %s's data frame mfn 0x%x holds counter %u at VA 0x%08x\n", p->name,
                  rv_virt_to_mfn(p->page), p->page->counter, USER_COUNTER_VA);
        check(p->page->counter == ROUNDS * p->page->step, "a process's counter is its own");
        check((p->pf_err & (PF_PRESENT | PF_USER)) == (PF_PRESENT | PF_USER) && !(p->pf_err & PF_WRITE),
              "the kernel read faulted as a user-mode protection fault");
        check(p->pf_addr == p->page->kernel_va, "the fault was at the kernel address");
        check(rv_as_pte(&p->as, USER_COUNTER_VA & ~(RV_PAGE_SIZE - 1)) >> RV_PAGE_SHIFT ==
                  rv_virt_to_mfn(p->page),
              "VA X maps the process's own frame");
    }
    check(procs[0].page != procs[1].page, "the processes have different data frames");
    check(switches >= 2 * ROUNDS - 1, "the processes took turns");
}

/*
 * A scratch space with many pages: built and pinned (one multicall
 * however many pages: only the tables need hypercalls), then grown while
 * pinned (live updates through the queue), used, and destroyed.
 */
#define SCRATCH_VA 0x30000000u
#define SCRATCH_BUILT 64
#define SCRATCH_LIVE 160

static void measure_scratch(void)
{
    struct rv_as as;
    uint32_t t0, built = 0, live, destroyed;
    long rc;

    t0 = hypercalls();
    if ((rc = rv_as_create(&as)) != 0)
        die("rv_as_create", rc);
    for (unsigned i = 0; i < SCRATCH_BUILT + SCRATCH_LIVE; i++) {
        void *page = rv_frame_alloc();

        if (!page)
            die("no frame for the scratch space", -RV_ENOMEM);
        *(uint32_t *)page = i; /* a mark to find through the new mapping */
        if (i == SCRATCH_BUILT) {
            if ((rc = rv_as_pin(&as)) != 0)
                die("rv_as_pin", rc);
            built = hypercalls_since(t0);
            t0 = hypercalls();
        }
        /* The live ones start in the next 2 MiB: a new L1 in a pinned space. */
        map_or_die(&as, SCRATCH_VA + (i < SCRATCH_BUILT ? i : 512 + i) * RV_PAGE_SIZE, page,
                   RV_PTE_US | RV_PTE_RW | RV_PTE_OWNED);
    }
    if ((rc = rv_mmu_flush()) != 0)
        die("rv_mmu_flush", rc);
    live = hypercalls_since(t0);

    /* Read the marks through the space's own mappings, from ring 1. */
    if ((rc = rv_as_activate(&as)) != 0)
        die("rv_as_activate", rc);
    int marks_ok = 1;
    for (unsigned i = 0; i < SCRATCH_BUILT + SCRATCH_LIVE; i++)
        marks_ok &= *(volatile uint32_t *)(SCRATCH_VA + (i < SCRATCH_BUILT ? i : 512 + i) * RV_PAGE_SIZE) == i;
    check(marks_ok, "every scratch page reads back through the new space");
    check(rv_as_map(&as, SCRATCH_VA, rv_virt_to_mfn(prog_pages[0]), RV_PTE_US) == -RV_EEXIST,
          "rv_as_map refuses a mapped va");
    check(rv_as_map(&as, (uint32_t)&kernel_secret & ~(RV_PAGE_SIZE - 1), rv_virt_to_mfn(prog_pages[0]),
                    RV_PTE_US) == -RV_EPERM,
          "rv_as_map refuses the kernel's shared slots");

    t0 = hypercalls();
    if ((rc = rv_as_destroy(&as)) != 0)
        die("rv_as_destroy", rc);
    destroyed = hypercalls_since(t0);
    check(rv_as_current() == rv_as_kernel(), "destroying the current space went back to the kernel's");
    rv_printf("scratch space: %u pages built + pinned in %u hypercall(s); %u more mapped live in %u; "
              "destroyed (while current) in %u\n",
              SCRATCH_BUILT, built, SCRATCH_LIVE, live, destroyed);
}

int guest_main(void)
{
    struct rv_mem_stats start, running, end;
    unsigned free_at_start;
    uint32_t t0, destroy_cost;
    long rc;

    rv_printf("procs: kernel in ring %u, two ring-3 processes in their own address spaces\n",
              rv_read_cs() & 3);
    if ((rc = rv_trap_set_defaults()) < 0 || (rc = rv_trap_set(PF_VECTOR, on_page_fault, 0)) < 0 ||
        (rc = rv_stack_switch_to(kernel_stack + sizeof(kernel_stack))) < 0 ||
        (rc = rv_syscall_set(SYSCALL_VECTOR, on_syscall)) < 0)
        die("cannot set up traps", rc);
    rv_mem_stats_print("start of day", &start);
    free_at_start = rv_frames_available();

    load_program();
    create_process(&procs[0], "A", 1, (uint32_t)&kernel_secret);
    create_process(&procs[1], "B", 100, (uint32_t)rv_start_info);
    rv_mem_stats_print("two processes", &running);

    t0 = hypercalls();
    run_processes();
    rv_printf("both processes are gone after %u address-space switches (%u hypercalls in all)\n", switches,
              hypercalls_since(t0));
    check_processes();

    measure_scratch();

    t0 = hypercalls();
    for (unsigned i = 0; i < NPROCS; i++)
        if ((rc = rv_as_destroy(&procs[i].as)) != 0)
            die("rv_as_destroy", rc);
    destroy_cost = hypercalls_since(t0);
    for (unsigned i = 0; i < prog_npages; i++)
        rv_frame_free(prog_pages[i]);
    rv_printf("destroyed both address spaces in %u hypercall(s)\n", destroy_cost);
    rv_mem_stats_print("after destroy", &end);
    rv_printf("allocator: %u free frames at start, %u now\n", free_at_start, rv_frames_available());

    check(running.pt_frames > start.pt_frames && running.pinned == start.pinned + NPROCS,
          "the processes' tables were page tables, pinned");
    check(end.pt_frames == start.pt_frames, "page-table frames back to the start-of-day count");
    check(end.pinned == start.pinned, "pins back to the start-of-day count");
    check(end.writable == start.writable, "writable frames back to the start-of-day count");
    check(end.base_mfn == start.base_mfn, "the kernel's base is current again");
    check(rv_frames_available() == free_at_start, "every frame is back in the allocator");
    rv_printf("%s\n", failures ? "SOME CHECKS FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
