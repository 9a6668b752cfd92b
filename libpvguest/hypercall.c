/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/hypercall.c: the two ways into the monitor, and one typed
 * wrapper per hypercall.
 *
 * Register convention (pv-abi/hypercall.h): EAX = number, EBX ECX EDX ESI
 * EDI = arguments, result in EAX, every other register preserved.  The
 * page stub loads EAX itself, so through the page EAX carries the stub's
 * address instead.
 */
#include <pvguest.h>

long rv_hypercall(unsigned nr, unsigned long a1, unsigned long a2,
                  unsigned long a3, unsigned long a4, unsigned long a5)
{
    long ret;

    if (nr >= RV_HYPERCALL_PAGE_SLOTS)
        return rv_hypercall_int82(nr, a1, a2, a3, a4, a5);
    __asm__ volatile("call *%%eax"
                     : "=a"(ret)
                     : "a"(rv_hypercall_page + nr * RV_HYPERCALL_STUB_SIZE),
                       "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
                     : "memory");
    return ret;
}

long rv_hypercall_int82(unsigned nr, unsigned long a1, unsigned long a2,
                        unsigned long a3, unsigned long a4, unsigned long a5)
{
    long ret;

    __asm__ volatile("int $0x82"
                     : "=a"(ret)
                     : "a"(nr), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
                     : "memory");
    return ret;
}

#define HC_NAME(nr, name, nargs) [nr] = #name,
#define HC_NARGS(nr, name, nargs) [nr] = nargs,
static const char *const hc_names[RV_NR_HYPERCALLS] = { RV_HYPERCALLS(HC_NAME) };
static const signed char hc_nargs[RV_NR_HYPERCALLS] = { RV_HYPERCALLS(HC_NARGS) };

const char *rv_hypercall_name(unsigned nr)
{
    return nr < RV_NR_HYPERCALLS ? hc_names[nr] : 0;
}

int rv_hypercall_nargs(unsigned nr)
{
    return nr < RV_NR_HYPERCALLS && hc_names[nr] ? hc_nargs[nr] : -1;
}

const char *rv_errname(long r)
{
    static const struct {
        long code;
        const char *name;
    } names[] = {
        { RV_EPERM, "-EPERM" },   { RV_ENOENT, "-ENOENT" }, { RV_ESRCH, "-ESRCH" },
        { RV_E2BIG, "-E2BIG" },   { RV_EAGAIN, "-EAGAIN" }, { RV_ENOMEM, "-ENOMEM" },
        { RV_EFAULT, "-EFAULT" }, { RV_EBUSY, "-EBUSY" },   { RV_EEXIST, "-EEXIST" },
        { RV_EINVAL, "-EINVAL" }, { RV_ENOSPC, "-ENOSPC" }, { RV_ERANGE, "-ERANGE" },
        { RV_ENOSYS, "-ENOSYS" }, { RV_ETIMEDOUT, "-ETIMEDOUT" },
    };
    /* A few buffers in turn, so that one message can name two results. */
    static char others[4][24];
    static unsigned next;
    char *other = others[next++ % 4];

    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (r == -names[i].code)
            return names[i].name;
    rv_snprintf(other, sizeof(others[0]), r < 0 ? "-E?(%ld)" : "%ld", r);
    return other;
}

#define HC(name, a1, a2, a3) \
    rv_hypercall(RV_HC_##name, (unsigned long)(a1), (unsigned long)(a2), (unsigned long)(a3), 0, 0)

long rv_hc_version(unsigned cmd, unsigned long arg) { return HC(version, cmd, arg, 0); }
long rv_hc_console_io(unsigned cmd, unsigned count, const void *buf) { return HC(console_io, cmd, count, buf); }
long rv_hc_sched_op(unsigned cmd, unsigned long a1, unsigned long a2) { return HC(sched_op, cmd, a1, a2); }
long rv_hc_set_trap_table(const struct rv_trap_info *t, unsigned n) { return HC(set_trap_table, t, n, 0); }
long rv_hc_stack_switch(unsigned ss, unsigned long esp) { return HC(stack_switch, ss, esp, 0); }
long rv_hc_update_descriptor(unsigned i, uint32_t lo, uint32_t hi) { return HC(update_descriptor, i, lo, hi); }
long rv_hc_set_gdt(const struct rv_descriptor *t, unsigned n) { return HC(set_gdt, t, n, 0); }
long rv_hc_fpu_taskswitch(int set) { return HC(fpu_taskswitch, set, 0, 0); }
long rv_hc_multicall(struct rv_multicall_entry *c, unsigned n) { return HC(multicall, c, n, 0); }
long rv_hc_vcpu_op(unsigned cmd, void *arg) { return HC(vcpu_op, cmd, arg, 0); }
long rv_hc_event_channel_op(unsigned cmd, void *arg) { return HC(event_channel_op, cmd, arg, 0); }
long rv_hc_set_callbacks(unsigned cs, unsigned long address) { return HC(set_callbacks, cs, address, 0); }
long rv_hc_set_timer_op(uint64_t t) { return HC(set_timer_op, (uint32_t)t, (uint32_t)(t >> 32), 0); }
long rv_hc_domctl(unsigned cmd, unsigned dom, unsigned long arg1, unsigned long arg2)
{
    return rv_hypercall(RV_HC_domctl, cmd, dom, arg1, arg2, 0);
}
long rv_hc_mmu_update(const struct rv_mmu_update *r, unsigned n, uint32_t *done) { return HC(mmu_update, r, n, done); }
long rv_hc_mmuext_op(const struct rv_mmuext_op *o, unsigned n, uint32_t *done) { return HC(mmuext_op, o, n, done); }
long rv_hc_memory_op(unsigned cmd, void *arg) { return HC(memory_op, cmd, arg, 0); }

/* The entry goes as two 32-bit halves, low first (ABI.md, hypercall 13). */
long rv_hc_update_va_mapping(unsigned long va, uint64_t val, unsigned flags)
{
    return rv_hypercall(RV_HC_update_va_mapping, va, (uint32_t)val, (uint32_t)(val >> 32), flags, 0);
}
