/* SPDX-License-Identifier: MIT */
/*
 * tests/hostile/leak.c: what one domain could learn about another.
 * One case per domain (case=); tests.list pairs them in one boot.
 *   padding      every reserved and padding byte of start_info and
 *                shared_info (and the rest of both pages) is zero: the
 *                monitor builds them in memory that may have held another
 *                domain's data
 *   fpu-secret   loads a pattern into x87 ST0-7 and XMM0-7 (FXRSTOR) and
 *                keeps it there while it yields for a while, checking that
 *                nobody changed it (FXSAVE)
 *   fpu-probe    beside it: at start and after each yield, none of its own
 *                FPU/SSE registers may hold fpu-secret's pattern (the
 *                monitor switches FPU state per domain, lazily or not)
 *   frames-dead  fills all its free memory with a pattern and exits
 *   frames-check restart=reboot: its first run waits until frames-dead has
 *                ended and reboots; the restarted run (new frames, maybe
 *                frames-dead's) must find no word of the pattern
 * Debug registers cannot leak: MOV DRn kills (core-priv), and DR7 is 0
 * (the cpu: boot line).  FS/GS hidden parts: seg-fsgs-switch.
 */
#include "rvtest.h"

#define SECRET 0x5ec2e7a1u
#define DEAD 0xdeadf00du

static int is(const char *c, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(c, name, n) && (c[n] == 0 || c[n] == ' ');
}

static void zero_range(const char *what, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i])
            rvt_failure("%s: byte %u is 0x%02x, not 0", what, i, p[i]);
}

static void padding(void)
{
    const struct rv_start_info *si = rv_start_info;
    const struct rv_shared_info *sh = rv_shared_info;
    zero_range("start_info.reserved", (const uint8_t *)si->reserved, sizeof si->reserved);
    size_t m = strlen(si->magic);
    zero_range("start_info.magic after its NUL", (const uint8_t *)si->magic + m, sizeof si->magic - m);
    size_t c = strlen(si->cmdline);
    zero_range("start_info.cmdline after its NUL", (const uint8_t *)si->cmdline + c, RV_CMDLINE_MAX - c);
    zero_range("the start_info page after the structure", (const uint8_t *)si + sizeof *si,
               RV_PAGE_SIZE - sizeof *si);
    const struct rv_vcpu_info *v = &sh->vcpu_info[0];
    zero_range("vcpu_info.pad", v->pad, sizeof v->pad);
    zero_range("vcpu_info.arch.pad", (const uint8_t *)&v->arch.pad, sizeof v->arch.pad);
    zero_range("vcpu_info.time.pad0", (const uint8_t *)&v->time.pad0, sizeof v->time.pad0);
    zero_range("vcpu_info.time.pad1", (const uint8_t *)v->time.pad1, sizeof v->time.pad1);
    for (unsigned k = 1; k < RV_MAX_VCPUS; k++)
        zero_range("an unused vcpu_info", (const uint8_t *)&sh->vcpu_info[k], sizeof sh->vcpu_info[k]);
    zero_range("the shared_info page after the structure", (const uint8_t *)sh + sizeof *sh,
               RV_PAGE_SIZE - sizeof *sh);
    rvt_log("start_info and shared_info: every padding and reserved byte zero");
}

static uint8_t fx[512] __attribute__((aligned(16)));

static void fxsave(void) { __asm__ volatile("fxsave %0" : "=m"(fx)); }

static void load_secret(void)
{
    memset(fx, 0, sizeof fx);
    *(uint16_t *)&fx[0] = 0x37f;        /* FCW */
    fx[4] = 0xff;                        /* abridged tag: every ST valid */
    *(uint32_t *)&fx[24] = 0x1f80;      /* MXCSR */
    for (unsigned r = 0; r < 8; r++) {
        uint32_t *st = (uint32_t *)&fx[32 + 16 * r], *xmm = (uint32_t *)&fx[160 + 16 * r];
        st[0] = SECRET ^ r, st[1] = SECRET, *(uint16_t *)&st[2] = 0x3fff;
        for (int k = 0; k < 4; k++)
            xmm[k] = SECRET ^ (r << 8 | k);
    }
    __asm__ volatile("fxrstor %0" : : "m"(fx));
}

/* Does the saved image hold any word of the pattern in ST0-7 or XMM0-7? */
static int holds_secret(void)
{
    for (unsigned i = 32; i < 288; i += 4) {
        uint32_t w = *(uint32_t *)&fx[i];
        if ((w & 0xffff0000u) == (SECRET & 0xffff0000u))
            return 1;
    }
    return 0;
}

static void fpu_secret(void)
{
    load_secret();
    uint8_t want[512];
    fxsave();
    memcpy(want, fx, sizeof want);
    for (int i = 0; i < 300; i++) {
        rv_yield();
        fxsave();
        if (memcmp(want + 32, fx + 32, 256))
            rvt_failure("our x87/SSE registers changed across yield %d", i);
    }
    rvt_log("held the pattern in ST0-7 and XMM0-7 across 300 yields");
}

static void fpu_probe(void)
{
    for (int i = 0; i < 300; i++) {
        fxsave();
        if (holds_secret())
            rvt_failure("another domain's x87/SSE pattern is in our registers (after %d yields)", i);
        rv_yield();
    }
    rvt_log("300 looks at our x87/SSE registers: none held another domain's values");
}

/*
 * frames-dead is domain N, frames-check domain N + 1 (tests.list order).
 * frames-dead offers a port to N + 1, fills its memory and waits until
 * the port is bound; then it exits.  frames-check's first run binds it
 * (so it knows it is the first run), waits until the peer has gone (the
 * port becomes unbound again, ABI.md event_channel_op SEND) and reboots;
 * its restarted run finds domain N gone (-ESRCH) and scans.
 */
static void frames(int dead)
{
    const struct rv_start_info *si = rv_start_info;
    uint32_t lo = si->free_start, hi = si->virt_base + si->nr_mapped * RV_PAGE_SIZE - 8 * RV_PAGE_SIZE;
    struct rv_evtchn_status st;
    if (dead) {
        long p = rv_evtchn_alloc_unbound(si->domid + 1);
        RVT_REQUIRE_OK(p, "offer a port to frames-check");
        for (uint32_t va = lo; va < hi; va += 4)
            *(volatile uint32_t *)va = DEAD ^ (va & 0xfff);
        do {
            rv_yield();
            RVT_REQUIRE_OK(rv_evtchn_status((uint32_t)p, &st), "status");
        } while (st.status != RV_EVTCHNSTAT_INTERDOMAIN);
        rvt_log("filled 0x%x-0x%x; port %ld bound; exiting", lo, hi, p);
        return;
    }
    long bound = -RV_EINVAL;
    for (int tries = 0; tries < 2000 && bound == -RV_EINVAL; tries++) {
        for (uint32_t p = 1; p < 16; p++) {
            bound = rv_hc_event_channel_op(RV_EVTCHNOP_BIND_INTERDOMAIN,
                                           &(struct rv_evtchn_bind_interdomain){ si->domid - 1, p, 0 });
            if (bound != -RV_EINVAL)
                break;
        }
        if (bound == -RV_EINVAL)
            rv_yield(); /* not offered yet */
    }
    uint32_t found = 0;
    for (uint32_t va = lo; va < hi; va += 4)
        if (*(volatile uint32_t *)va == (DEAD ^ (va & 0xfff)))
            found++;
    if (found)
        rvt_failure("%u words of a dead domain's memory in our frames (mfn 0x%x on)", found, si->first_mfn);
    if (bound == 0) {
        rvt_log("first run (mfn 0x%x): clean; waiting for frames-dead to end, then a reboot", si->first_mfn);
        for (uint32_t p = 1; p < 64; p++)
            if (rv_evtchn_status(p, &st) == 0 && st.status == RV_EVTCHNSTAT_INTERDOMAIN) {
                do {
                    rv_yield();
                    RVT_REQUIRE_OK(rv_evtchn_status(p, &st), "status");
                } while (st.status == RV_EVTCHNSTAT_INTERDOMAIN);
                break;
            }
        rv_reboot();
    }
    if (bound != -RV_ESRCH)
        rvt_error("binding to frames-dead: %s", rv_errname(bound));
    rvt_log("restarted at mfn 0x%x: no word of the dead domain's pattern", si->first_mfn);
}

void test_main(void)
{
    const char *c = rv_cmdline_value("case");
    if (!c)
        rvt_error("needs case=");
    if (is(c, "padding")) padding();
    else if (is(c, "fpu-secret")) fpu_secret();
    else if (is(c, "fpu-probe")) fpu_probe();
    else if (is(c, "frames-dead")) frames(1);
    else if (is(c, "frames-check")) frames(0);
    else rvt_error("unknown case '%s'", c);
    rvt_success();
}
