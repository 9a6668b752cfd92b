/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/events/evtkit.h: what the event tests share.
 *
 * - Verdicts with figures: evt_success() prints "RESULT: SUCCESS <msg>",
 *   so measurements land in the one line a log reader looks for.
 * - Loopback channels (alloc_unbound(self) + bind_interdomain(self)).
 * - Bad pointers, each proved by a real access before a test relies on it.
 * - Statistics over samples (integer only: guests build without the FPU).
 * - Groups: tests that need several domains (ping-pong, fairness, an event
 *   storm) are several manifest lines in a row, which the runner boots
 *   together, so their domain ids are consecutive.  Member k (args
 *   member=k) finds member j at id (own id - k + j) and meets it over
 *   event channels at port numbers fixed by the scenario (evtkit.c), so a
 *   domain of another test is never taken for a peer.  If the runner put
 *   the group's lines in different boots the peers are missing and the
 *   test reports an ERROR that says so.
 */
#ifndef EVTKIT_H
#define EVTKIT_H

#include "rvtest.h"

_Noreturn void evt_success(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline uint32_t evt_self(void)
{
    return rv_start_info->domid;
}

/* A loopback pair: sending on *a raises *b and the other way round.
 * Both ports are left masked, with no handler. */
void evt_loopback(uint32_t *a, uint32_t *b);

/* Expected status of a port; fails the test with `what` otherwise. */
void evt_expect_status(uint32_t port, uint32_t status, uint32_t remote_dom, uint32_t remote_port,
                       const char *what);

/* Bad pointers: an unmapped page below the hole, and 64 bytes of a
 * read-only page (the tail of the last page-table frame, all zero). */
uint32_t evt_unmapped_page(void);
uint32_t evt_readonly_tail(void);
int evt_all_zero(uint32_t va, unsigned n);

/* A page we may read but not write that holds a copy of data (n bytes at
 * its start): our first free page, remapped read-only (update_va_mapping).
 * Each call rewrites the same page. */
uint32_t evt_readonly_copy(const void *data, unsigned n);

/* For evt_expect_status: do not check remote_port. */
#define EVT_ANY 0xffffffffu

/* Spins (events as they are) until system time reaches deadline. */
void evt_spin_until(uint64_t deadline_ns);

/* TSC ticks per microsecond, from the monitor's published scale. */
uint32_t evt_tsc_mhz(void);

/*
 * Our own CPU time, as the monitor's scheduler sees it: the monitor
 * republishes vcpu_info.time (a new version, system_time = now) every time
 * it switches us in, so time between two of our reads under the same
 * version was ours, and of an interval with a switch in it only the part
 * after the switch-in (system_time) is.  Time and version are read as a
 * pair.  The emulator being descheduled by its host counts for whoever
 * runs, as the monitor counts it, except just before a switch (lost).
 * Call evt_cpu_tick often (each loop iteration; it returns system time);
 * only time from `from` on counts.
 */
struct evt_cpu {
    uint64_t from, prev, on_ns;
    uint32_t version;
};
void evt_cpu_start(struct evt_cpu *c, uint64_t from);
uint64_t evt_cpu_tick(struct evt_cpu *c);

/* Samples: count, sum, min, max. */
struct evt_stat {
    uint64_t n, sum, min, max;
};
void evt_stat_add(struct evt_stat *s, uint64_t v);
static inline uint64_t evt_stat_mean(const struct evt_stat *s)
{
    return s->n ? s->sum / s->n : 0;
}

/* The median of n samples (sorts v in place). */
uint64_t evt_median(uint64_t *v, unsigned n);

/* Integer helpers for messages: "12.345" from a value in thousandths. */
const char *evt_milli(uint64_t v_thousandths);

/* ---- groups of domains ---------------------------------------------------- */

#define EVT_MAX_MEMBERS 4

/* Scenarios: each group's own port numbers (evtkit.c meet_port). */
#define EVT_SCENARIO_STORM 1
#define EVT_SCENARIO_FAIR 2
#define EVT_SCENARIO_PING 3
#define EVT_SCENARIO_LATENCY 4

struct evt_group {
    unsigned scenario;      /* 1 .. 20: picks the port numbers */
    unsigned size, me;      /* members, and which one we are (args member=) */
    uint32_t base;          /* domain id of member 0 */
    uint32_t main[EVT_MAX_MEMBERS];  /* our port of the channel to member j */
    uint32_t aux[EVT_MAX_MEMBERS];   /* a second channel, for the test's use */
    uint32_t d0[EVT_MAX_MEMBERS];    /* two more for evt_send_u32 / evt_recv_u32 only */
    uint32_t d1[EVT_MAX_MEMBERS];
    uint8_t token[EVT_MAX_MEMBERS];  /* 1: we may send next on d0/d1 (the peer took our last) */
};

/*
 * Connects us with every other member: four interdomain channels per pair,
 * left masked with no handler, then a barrier on d0/d1 (nobody returns
 * before all have connected).  main and aux carry no event yet: the test
 * may use them, sending on one only after the peer has answered its last
 * event there (pending bits coalesce: two events in a row are one).  Calls rvt_error if a member is missing after
 * EVT_MEET_TIMEOUT_MS.
 */
#define EVT_MEET_TIMEOUT_MS 20000u
void evt_group_join(struct evt_group *g, unsigned scenario, unsigned size);

/* Domain id of member j. */
static inline uint32_t evt_member_id(const struct evt_group *g, unsigned j)
{
    return g->base + j;
}

/*
 * Waits until port is pending (poll, masked or not) or system time reaches
 * deadline (0 = never); clears it.  1 if it was pending, 0 on timeout.
 */
int evt_wait(uint32_t port, uint64_t deadline_ns);

/* nbits (1..32) of v to / from member j, one bit per round trip, on d0/d1. */
void evt_send_bits(struct evt_group *g, unsigned j, uint32_t v, int nbits);
uint32_t evt_recv_bits(struct evt_group *g, unsigned j, int nbits);
/* A 32-bit value to / from member j. */
void evt_send_u32(struct evt_group *g, unsigned j, uint32_t v);
uint32_t evt_recv_u32(struct evt_group *g, unsigned j);

#endif
