/*
 * monitor/lock.h: the monitor's one lock primitive, and the locking
 * discipline of the whole monitor, in one place.
 *
 * A spinlock is a word taken with XCHG, which is atomic with an implicit
 * LOCK on a memory operand (SDM Vol. 3A 8.1.2.1), and a full barrier: no
 * load or store is moved across it by the CPU (8.2.2, "locked instructions
 * have a total order").  Release is a plain store after a compiler
 * barrier: x86 does not reorder a store with older loads or stores (8.2.3.2,
 * 8.2.3.3), so what the holder wrote is visible before the lock is seen
 * free.  PAUSE in the wait loop tells the CPU (and a hyperthread sibling)
 * that this is a spin (Vol. 2B PAUSE).
 *
 * The monitor runs with EFLAGS.IF = 0 everywhere (every IDT gate is an
 * interrupt gate; idt.c) except the idle loop's STI; HLT, where no lock is
 * held.  So no interrupt handler can run on a CPU while that CPU holds a
 * lock, and the plain spin_lock is enough: there is no _irqsave variant.
 *
 * THE DISCIPLINE (which lock guards what):
 *   console_lock (console.c)  the serial line and all of console.c's state
 *       (the terminal view, the pending text, every domain's line buffer and
 *       history ring).  Taken by every public console.c entry point; it
 *       nests on the CPU that holds it (console.c keeps the owner and a
 *       depth), because console code calls mlog/dlog itself and panic must
 *       print from anywhere.  A panic that cannot get it in about 100 ms
 *       takes it anyway: a last message beats a silent hang.
 *   smp_boot (smp.c)  not a lock: the BSP starts one AP at a time and waits
 *       for its answer; the AP writes only its own struct cpu and the
 *       answer word, the BSP reads them after seeing the answer.
 *   Everything else (domains, frames, page tables, events, the scheduler)
 *       is touched by the boot CPU only at this stage: APs park after
 *       start-up and run no guest.  The next stage gives each such area its
 *       lock and adds it to this list.
 * Rules that hold for every lock, now and later:
 *   - No lock is held across a guest entry (an IRET or the fast exit to
 *     ring 1 or 3): a guest could then hold up every CPU.
 *   - Locks nest only in the order of the list above (top first); the
 *     console lock is taken last and may be taken under any other.
 *   - No lock is held across HLT.
 */
#ifndef MON_LOCK_H
#define MON_LOCK_H

#include <stdint.h>

typedef struct {
    volatile uint32_t word; /* 0 free, 1 held */
} spinlock_t;

#define SPINLOCK_INIT { 0 }

static inline uint32_t xchg32(volatile uint32_t *p, uint32_t v)
{
    __asm__ volatile("xchgl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
    return v;
}

static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

static inline int spin_trylock(spinlock_t *l)
{
    return xchg32(&l->word, 1) == 0;
}

static inline void spin_lock(spinlock_t *l)
{
    while (!spin_trylock(l))
        while (l->word)
            cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
    __asm__ volatile("" ::: "memory");
    l->word = 0;
}

#endif
