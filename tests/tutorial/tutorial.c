/* SPDX-License-Identifier: MIT */
/*
 * tests/tutorial/tutorial.c: the C half of the porting tutorial's guest
 * (docs/porting-tutorial.md).  Five steps, each one console line the
 * tutorial quotes and tests/tutorial_test.py compares: hello, a trap, a
 * timer event, one page mapped, a ring-3 task.  It uses pv-abi/ only, no
 * libpvguest: everything a porter must write is here.
 */
#include <stdint.h>
#include "ringvisor.h"

_Static_assert(RV_HC_iret == 8, "entry.S hard-codes the iret stub's number");

extern char hcpage[];
void _start(void), ud_entry(void), event_entry(void), syscall_entry(void), user_task(void);
void enter_user(uint32_t eip, uint32_t esp);
extern char kstack_top[], ustack_top[];

/* The ELF note: name "Ringvisor" (namesz 10, padded to 12), then the descriptor. */
static const struct {
    uint32_t namesz, descsz, type;
    char name[12];
    struct rv_elfnote_guest_info desc;
} note __attribute__((section(".note.ringvisor"), used, aligned(4))) = {
    10, sizeof(struct rv_elfnote_guest_info), RV_ELFNOTE_GUEST_INFO, "Ringvisor",
    { RV_ABI_VERSION, (uint32_t)_start, (uint32_t)hcpage, RV_FEAT_HYPERCALL_PAGE, 0 },
};

static struct rv_start_info *si;
static struct rv_shared_info *sh;
static uint32_t timer_port;
static volatile int timer_seen;

/* A call through the hypercall page: EAX = stub, EBX ECX EDX ESI = arguments. */
static long hc(unsigned nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
    long r;
    __asm__ volatile("call *%%eax" : "=a"(r)
                     : "a"(hcpage + nr * RV_HYPERCALL_STUB_SIZE), "b"(a1), "c"(a2), "d"(a3), "S"(a4)
                     : "memory");
    return r;
}

static void print(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    hc(RV_HC_console_io, RV_CONSOLE_WRITE, n, (uint32_t)s, 0);
}

static void print_hex(uint32_t v)
{
    char b[11] = "0x";
    for (int i = 0; i < 8; i++)
        b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    b[10] = 0;
    print(b);
}

void on_trap(uint32_t eip)
{
    (void)eip; /* the ud2's address: where a real kernel would look */
    print("step 2: #UD caught in ring 1, resuming after the ud2\n");
}

/* The event protocol of ABI.md "Events and time", for the ports we know. */
void on_event(void)
{
    sh->vcpu_info[0].evtchn_upcall_pending = 0;
    uint32_t sel = __atomic_exchange_n(&sh->vcpu_info[0].evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    for (uint32_t w = 0; sel; w++, sel >>= 1) {
        if (!(sel & 1))
            continue;
        uint32_t bits = sh->evtchn_pending[w] & ~sh->evtchn_mask[w];
        __atomic_fetch_and(&sh->evtchn_pending[w], ~bits, __ATOMIC_SEQ_CST);
        if (w == timer_port / 32 && (bits & (1u << (timer_port % 32))) && !timer_seen) {
            timer_seen = 1;
            print("step 3: timer event on port ");
            print_hex(timer_port);
            print("\n");
        }
    }
}

/* Ring 3's system calls: EAX = 1 write(EBX = string), 2 exit(EBX = code). */
struct regs { uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax; };
void on_syscall(struct regs *r)
{
    if (r->eax == 1)
        print((const char *)r->ebx);
    if (r->eax == 2) {
        print("done\n");
        hc(RV_HC_sched_op, RV_SCHED_SHUTDOWN, RV_SHUTDOWN_POWEROFF, r->ebx, 0);
    }
}

#define NEW_VA 0x01000000u  /* a 2 MiB slot with no L1 table yet (mem=4M) */

/* Map one page: a free frame becomes an L1 table, another the page. */
static void map_one_page(void)
{
    uint32_t l1_va = si->free_start, data_va = l1_va + RV_PAGE_SIZE;
    uint64_t l1_mfn = si->first_mfn + ((l1_va - si->virt_base) >> RV_PAGE_SHIFT), data_mfn = l1_mfn + 1;
    uint64_t ro = (l1_mfn << RV_PAGE_SHIFT) | RV_PTE_P | RV_PTE_US;
    long r1 = hc(RV_HC_update_va_mapping, l1_va, (uint32_t)ro, (uint32_t)(ro >> 32), RV_UVMF_INVLPG);
    const uint64_t *l3 = (const uint64_t *)si->pt_base;         /* readable, not writable */
    uint64_t l2_ma = l3[NEW_VA >> 30] & RV_PTE_ADDR;
    struct rv_mmu_update u = { l2_ma + ((NEW_VA >> 21) & 511) * 8,
                               (l1_mfn << RV_PAGE_SHIFT) | RV_PTE_P | RV_PTE_RW | RV_PTE_US };
    long r2 = hc(RV_HC_mmu_update, (uint32_t)&u, 1, 0, 0);
    uint64_t pte = (data_mfn << RV_PAGE_SHIFT) | RV_PTE_P | RV_PTE_RW | RV_PTE_US;
    long r3 = hc(RV_HC_update_va_mapping, NEW_VA, (uint32_t)pte, (uint32_t)(pte >> 32), RV_UVMF_INVLPG);
    if (r1 || r2 || r3) {
        print("step 4 failed\n");
        return;
    }
    *(volatile uint32_t *)NEW_VA = 0xcafe;
    print("step 4: mapped a page at ");
    print_hex(NEW_VA);
    print(", the linear map reads ");
    print_hex(*(volatile uint32_t *)data_va);
    print("\n");
}

void tutorial_main(struct rv_start_info *start)
{
    si = start;
    sh = (struct rv_shared_info *)si->shared_info;
    print("step 1: hello from ring 1\n");

    struct rv_trap_info traps[] = {
        { 6, 0, RV_FLAT_RING1_CS, (uint32_t)ud_entry },          /* #UD, from ring 1 only */
        { 0x80, 3, RV_FLAT_RING1_CS, (uint32_t)syscall_entry },  /* DPL 3, events on: direct */
    };
    hc(RV_HC_set_trap_table, (uint32_t)traps, 2, 0, 0);
    __asm__ volatile("ud2");

    struct rv_evtchn_bind_virq b = { RV_VIRQ_TIMER, 0 };
    hc(RV_HC_event_channel_op, RV_EVTCHNOP_BIND_VIRQ, (uint32_t)&b, 0, 0);
    timer_port = b.port;                                          /* bound ports start unmasked */
    hc(RV_HC_set_callbacks, RV_FLAT_RING1_CS, (uint32_t)event_entry, 0, 0);
    uint64_t when = sh->vcpu_info[0].time.system_time + 1000000;  /* about 1 ms from now */
    hc(RV_HC_set_timer_op, (uint32_t)when, (uint32_t)(when >> 32), 0, 0);
    while (!timer_seen)
        hc(RV_HC_sched_op, RV_SCHED_BLOCK, 0, 0, 0);              /* unmasks events, sleeps */

    map_one_page();

    hc(RV_HC_stack_switch, RV_FLAT_RING1_DS, (uint32_t)kstack_top, 0, 0);
    enter_user((uint32_t)user_task, (uint32_t)ustack_top);
}
