/*
 * monitor/time.c: time.
 *
 * System time is nanoseconds since the monitor booted, computed from the
 * TSC, which the monitor calibrates against the PIT at boot (channel 2,
 * gated through port 0x61, counts 10 ms whatever the CPU speed: 8254 data
 * sheet, mode 0).  Guests read it without a trap, pvclock style, from
 * vcpu_info.time: ns = system_time + ((tsc - tsc_timestamp) scaled by
 * tsc_shift) * tsc_to_system_mul >> 32, re-read while version is odd or
 * changed.  The wall clock at boot comes from the CMOS RTC.
 */
#include "time.h"
#include "console.h"
#include "domain.h"
#include "x86.h"

#define PIT_HZ 1193182u
#define CAL_MS 10

uint32_t tsc_khz;
uint64_t tsc_at_entry;
static uint64_t tsc_boot;
static uint32_t mul_frac;  /* ns per TSC tick, 32.32, after the shift */
static int8_t shift;
static uint32_t wc_sec;

/* Counts TSC ticks across CAL_MS of PIT channel 2. */
static uint64_t pit_measure_tsc(void)
{
    uint32_t count = PIT_HZ * CAL_MS / 1000;
    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
    outb(0x43, 0xb0);                       /* channel 2, lo/hi, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    uint64_t t0 = rdtsc();
    while (!(inb(0x61) & 0x20))             /* OUT2 rises at terminal count */
        ;
    return rdtsc() - t0;
}

/* Chooses shift and mul_frac so that (delta << shift) * mul_frac >> 32 = ns,
 * with tsc_hz << shift in (1e9, 2e9] for full precision. */
static void set_scale(uint64_t tsc_hz)
{
    uint64_t scaled = tsc_hz;
    shift = 0;
    while (scaled > 2000000000ull) {
        scaled >>= 1;
        shift--;
    }
    while (scaled <= 1000000000ull) {
        scaled <<= 1;
        shift++;
    }
    mul_frac = (uint32_t)((1000000000ull << 32) / scaled);
}

uint64_t tsc_to_ns(uint64_t delta)
{
    delta = shift >= 0 ? delta << shift : delta >> -shift;
    uint64_t lo = ((delta & 0xffffffffu) * mul_frac) >> 32;
    return lo + (delta >> 32) * mul_frac;
}

uint64_t now_ns(void)
{
    return tsc_to_ns(rdtsc() - tsc_boot);
}

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static unsigned bcd(uint8_t v) { return (v & 15) + (v >> 4) * 10; }

/* Seconds since 1970 from the RTC (MC146818: registers 0-9, BCD unless 0x0b bit 2). */
static uint32_t rtc_seconds(void)
{
    while (cmos(0x0a) & 0x80) /* update in progress */
        ;
    int binary = cmos(0x0b) & 4;
    unsigned s = cmos(0), m = cmos(2), h = cmos(4), d = cmos(7), mo = cmos(8), y = cmos(9);
    if (!binary) {
        s = bcd(s); m = bcd(m); h = bcd(h & 0x7f); d = bcd(d); mo = bcd(mo); y = bcd(y);
    }
    y += 2000;
    /* days from 1970-01-01 (civil-from-days inverse, Howard Hinnant's method) */
    unsigned yy = mo <= 2 ? y - 1 : y;
    unsigned era = yy / 400, yoe = yy - era * 400;
    unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    uint32_t days = era * 146097 + doe - 719468;
    return days * 86400u + h * 3600u + m * 60u + s;
}

void time_init(void)
{
    uint64_t best = ~0ull;
    for (int i = 0; i < 3; i++) { /* the shortest of three: least disturbed */
        uint64_t t = pit_measure_tsc();
        if (t < best)
            best = t;
    }
    uint64_t hz = best * (1000 / CAL_MS);
    tsc_khz = (uint32_t)(hz / 1000);
    set_scale(hz);
    tsc_boot = rdtsc();
    wc_sec = rtc_seconds();
    mlog("time: TSC %u.%03u MHz, wall clock %u s since 1970, monitor entered at TSC %llu\n",
         tsc_khz / 1000, tsc_khz % 1000, wc_sec, (unsigned long long)tsc_at_entry);
}

void time_publish(struct domain *d)
{
    struct rv_vcpu_time_info *t = &vcpu_info(d)->time;
    uint64_t tsc = rdtsc();
    t->version++;
    __asm__ volatile("" ::: "memory");
    t->tsc_timestamp = tsc;
    t->system_time = tsc_to_ns(tsc - tsc_boot);
    t->tsc_to_system_mul = mul_frac;
    t->tsc_shift = shift;
    __asm__ volatile("" ::: "memory");
    t->version++;
    struct rv_shared_info *s = d->shared;
    if (s->wc_sec != wc_sec) {
        s->wc_version++;
        s->wc_sec = wc_sec;
        s->wc_nsec = 0;
        s->wc_version++;
    }
}
