/*
 * monitor/timer.c: the monitor's one timer interrupt, programmed for the
 * next thing that must happen (a guest's one-shot timer, the end of a time
 * slice, the end of a cap period) and for nothing when nothing must: the
 * monitor is tickless, and a machine whose domains all sleep takes no timer
 * interrupts at all.
 *
 * The device is the local APIC timer in one-shot mode (SDM Vol. 3A 10.5.4),
 * its rate calibrated against the PIT; where there is no local APIC it is
 * the PIT's channel 0 in mode 0 (interrupt on terminal count), whose 16-bit
 * counter reaches at most 55 ms, so a far deadline takes a few interrupts.
 */
#include "time.h"
#include "console.h"
#include "paging.h"
#include "x86.h"

#define APIC_VERSION 0x30
#define APIC_TPR 0x80
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_ESR 0x280
#define APIC_LVT_CMCI 0x2f0
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_THERMAL 0x330
#define APIC_LVT_PERF 0x340
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_LVT_MASKED 0x10000
#define APIC_TMICT 0x380   /* initial count */
#define APIC_TMCCT 0x390   /* current count */
#define APIC_TDCR 0x3e0    /* divide configuration */
#define PIT_HZ 1193182u

static volatile uint32_t *apic;
static uint32_t apic_khz;    /* timer ticks per ms, divide by 16 */
static uint32_t apic_mul;    /* timer ticks per ns, 0.32 fixed point, rounded up */

static uint32_t rd(uint32_t reg) { return apic[reg / 4]; }
static void wr(uint32_t reg, uint32_t v) { apic[reg / 4] = v; }

/*
 * The local vector table entries the monitor does not use, masked: the
 * firmware may have left one pointing at a vector that is now a guest's
 * direct gate (SDM Vol. 3A 10.5.1).  Which exist depends on the
 * version register's "max LVT entry" (10.4.8).
 */
static void lvt_mask_unused(void)
{
    uint32_t max_lvt = (rd(APIC_VERSION) >> 16) & 0xff;
    wr(APIC_LVT_ERROR, APIC_LVT_MASKED | VEC_SPURIOUS);
    if (max_lvt >= 4)
        wr(APIC_LVT_PERF, APIC_LVT_MASKED | VEC_SPURIOUS);
    if (max_lvt >= 5)
        wr(APIC_LVT_THERMAL, APIC_LVT_MASKED | VEC_SPURIOUS);
    if (max_lvt >= 6)
        wr(APIC_LVT_CMCI, APIC_LVT_MASKED | VEC_SPURIOUS);
    wr(APIC_ESR, 0); /* write, then read, clears the error status (10.5.3) */
    (void)rd(APIC_ESR);
}

/* Ticks of the APIC timer in 10 ms of PIT channel 2. */
static uint32_t apic_calibrate(void)
{
    uint32_t count = PIT_HZ / 100;
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xb0);
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    wr(APIC_TMICT, 0xffffffffu);
    while (!(inb(0x61) & 0x20))
        ;
    uint32_t ticks = 0xffffffffu - rd(APIC_TMCCT);
    wr(APIC_TMICT, 0);
    return ticks;
}

static int have_apic(void)
{
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    return (d >> 9) & 1;
}

void timer_device_init(void)
{
    if (!have_apic()) {
        mlog("timer: no local APIC, using the PIT one-shot\n");
        return;
    }
    uint32_t base = (uint32_t)rdmsr(MSR_APIC_BASE) & 0xfffff000u;
    apic = fixmap(FIXMAP_LAPIC, base);
    wr(APIC_SVR, 0x100 | VEC_SPURIOUS);   /* software enable */
    wr(APIC_TPR, 0);                      /* accept every vector */
    wr(APIC_LVT_LINT0, 0x700);            /* ExtINT: the 8259 still delivers COM1 */
    wr(APIC_LVT_LINT1, 0x400);            /* NMI */
    lvt_mask_unused();
    wr(APIC_TDCR, 0x3);                   /* divide by 16 */
    wr(APIC_LVT_TIMER, VEC_TIMER);        /* one-shot, unmasked */
    uint32_t best = 0;
    for (int i = 0; i < 3; i++) {
        uint32_t t = apic_calibrate();
        if (!best || t < best)
            best = t;
    }
    apic_khz = best / 10;
    if (!apic_khz)
        panic("local APIC timer does not count");
    apic_mul = (uint32_t)((((uint64_t)apic_khz << 32) + 999999u) / 1000000u); /* < 1 GHz: fits */
    mlog("timer: local APIC one-shot, %u kHz\n", apic_khz);
}

/*
 * An AP's local APIC (smp.c): enabled, every LVT masked, its timer too.
 * The boot CPU keeps LINT0 as ExtINT for the 8259 (COM1) and LINT1 as NMI,
 * and is the only one whose timer is programmed: guests run there alone
 * at this stage, and traps.c would take an NMI on an AP for one in the
 * boot CPU's running domain.
 */
void timer_device_init_ap(void)
{
    if (!apic)
        return;
    wr(APIC_SVR, 0x100 | VEC_SPURIOUS);
    wr(APIC_TPR, 0);
    wr(APIC_LVT_LINT0, APIC_LVT_MASKED | 0x700);
    wr(APIC_LVT_LINT1, APIC_LVT_MASKED | 0x400);
    lvt_mask_unused();
    wr(APIC_TMICT, 0);
    wr(APIC_LVT_TIMER, APIC_LVT_MASKED | VEC_TIMER);
}

/* Raw register access for smp.c (the ICR, the APIC id); 0 without an APIC. */
int lapic_present(void) { return apic != 0; }
uint32_t lapic_read(uint32_t reg) { return apic ? rd(reg) : 0; }
void lapic_write(uint32_t reg, uint32_t v)
{
    if (apic)
        wr(reg, v);
}

const char *timer_device_name(void)
{
    return apic ? "local APIC" : "PIT";
}

static inline __attribute__((always_inline)) void program(uint64_t deadline, uint64_t now)
{
    if (!deadline) {
        if (apic)
            wr(APIC_TMICT, 0);
        return;
    }
    uint64_t delta = deadline > now ? deadline - now : 1000;
    if (apic) {
        /* a multiply, not a 64-bit division, for the deadlines of every switch */
        uint64_t ticks = delta < 0x100000000ull ? ((uint64_t)(uint32_t)delta * apic_mul + 0xffffffffu) >> 32
                                                : delta * apic_khz / 1000000u;
        wr(APIC_TMICT, ticks == 0 ? 1 : ticks > 0xffffffffu ? 0xffffffffu : (uint32_t)ticks);
        return;
    }
    uint64_t count = delta * PIT_HZ / 1000000000u;
    if (count == 0)
        count = 1;
    if (count > 0xffff)
        count = 0xffff;
    outb(0x43, 0x30); /* channel 0, lo/hi, mode 0 */
    outb(0x40, count & 0xff);
    outb(0x40, (uint8_t)(count >> 8));
}

void timer_device_program(uint64_t deadline)
{
    program(deadline, deadline ? now_ns() : 0);
}

void timer_device_program_at(uint64_t deadline, uint64_t now)
{
    program(deadline, now);
}

void timer_device_ack(void)
{
    if (apic)
        wr(APIC_EOI, 0);
}
