/* SPDX-License-Identifier: MIT */
/*
 * vnet-bench: guest-to-guest network figures through the switch, in the
 * RESULT line (it passes unless frames go missing or arrive damaged).
 * Args: role=a or b; a measures, b echoes and counts.  MACs
 * 02:00:00:00:01:0a and 02:00:00:00:01:0b.  Optional: rtts=N (default
 * 2000), mib=N (default 8).
 *
 * - Round trip: a sends a 64-byte PING, b answers PONG at once, a waits
 *   for it: N times; the mean in ns and in TSC cycles.  Each way is one
 *   NOTIFY hypercall (the switch copies the frame into the other guest's
 *   receive buffer inside it) and a wake-up of the other guest by its
 *   device's event channel.
 * - Throughput: a sends mib MiB in 1514-byte frames (16 queued per
 *   NOTIFY), b acknowledges every 16; a never has more than 48
 *   unacknowledged (b posts 64 receive buffers), so no frame is dropped;
 *   then the same count of 64-byte frames (frames per second).  MB/s =
 *   10^6 bytes of Ethernet frame per second.  So that the figures are the
 *   device's and not the test's, a builds each stream's frame once and
 *   changes only its number, and b checks every header but compares the
 *   whole payload only of every 64th frame.
 */
#include "netkit.h"

#define BURST 16
#define WINDOW 48
#define BIG 1514
#define SMALL 64

static struct rv_vnet net;
static uint8_t buf[RV_VIRTIO_NET_FRAME_MAX], frame[RV_VIRTIO_NET_FRAME_MAX], ref[RV_VIRTIO_NET_FRAME_MAX];
static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 1, 0x0a }, mac_b[6] = { 0x02, 0, 0, 0, 1, 0x0b };

static long last_len;

/* The next test frame (its header checked), NULL on timeout. */
static const struct nk_msg *next(uint64_t timeout_ns)
{
    int damaged;
    for (;;) {
        long len = rv_vnet_recv(&net, buf, sizeof(buf), timeout_ns);
        if (len == -RV_ETIMEDOUT)
            return 0;
        RVT_REQUIRE_OK(len, "receiving");
        const struct nk_msg *m = nk_head(buf, len, &damaged);
        if (damaged)
            rvt_failure("a damaged frame (seq %u, %ld bytes)", m->seq, len);
        last_len = len;
        if (m)
            return m;
    }
}

/* A stream frame's payload: the same in every frame of the stream (seq 0's). */
static void check_payload(const struct nk_msg *m)
{
    nk_build(ref, mac_b, mac_a, NK_DATA, 0, 0, (uint32_t)last_len);
    if (memcmp(m->payload, ((struct nk_msg *)ref)->payload, (uint32_t)last_len - NK_HDR))
        rvt_failure("DATA %u (%ld bytes) arrived damaged", m->seq, last_len);
}

static void echo(void)
{
    uint32_t count = 0;
    for (;;) {
        const struct nk_msg *m = next(30ull * RV_NS_PER_SEC);
        if (!m)
            rvt_failure("no word from a for 30 s");
        switch (m->type) {
        case NK_HELLO:
            nk_send(&net, mac_a, NK_HERE, 0, 0, 64);
            break;
        case NK_PING:
            nk_send(&net, mac_a, NK_PONG, m->seq, 0, 64);
            break;
        case NK_DATA:
            if (m->seq != count)
                rvt_failure("DATA %u arrived where %u was due: a frame went missing", m->seq, count);
            if (count % 64 == 0)
                check_payload(m);
            if (++count % BURST == 0)
                nk_send(&net, mac_a, NK_ACK, 0, count, 64);
            break;
        case NK_ACK: /* a: "start counting again" */
            count = 0;
            nk_send(&net, mac_a, NK_ACK, 0, 0, 64);
            break;
        case NK_QUIT:
            nk_send(&net, mac_a, NK_BYE, 0, 0, 64);
            rvt_success();
        }
    }
}

static const struct nk_msg *wait_for(uint32_t type, const char *what)
{
    const struct nk_msg *m;
    while ((m = next(5ull * RV_NS_PER_SEC)))
        if (m->type == type)
            return m;
    rvt_failure("no %s from b in 5 s", what);
}

static void rendezvous(void)
{
    const struct nk_msg *m = 0;
    for (int tries = 0; tries < 500 && !m; tries++) {
        nk_send(&net, mac_b, NK_HELLO, 0, 0, 64);
        while ((m = next(20000000ull)) && m->type != NK_HERE)
            ;
    }
    if (!m)
        rvt_failure("b does not answer");
    while (next(50000000ull)) /* late answers */
        ;
}

/* n frames of len bytes to b; the ns it took. */
static uint64_t stream(uint32_t n, uint32_t len)
{
    uint32_t acked = 0;
    nk_send(&net, mac_b, NK_ACK, 0, 0, 64);   /* b counts from 0 again */
    wait_for(NK_ACK, "the ACK of the reset");
    nk_build(frame, mac_b, net.mac, NK_DATA, 0, 0, len);
    uint64_t t0 = rv_time_ns();
    for (uint32_t sent = 0; sent < n;) {
        while (sent < n && sent - acked < WINDOW) {
            uint32_t k = 0;
            for (; k < BURST && sent < n; k++, sent++) {
                ((struct nk_msg *)frame)->seq = sent;
                RVT_REQUIRE_OK(rv_vnet_queue(&net, frame, len), "queueing");
            }
            RVT_REQUIRE_OK(rv_vnet_flush(&net), "notifying");
        }
        const struct nk_msg *m = wait_for(NK_ACK, "ACK");
        if (m->arg > acked)
            acked = m->arg;
    }
    while (acked < n / BURST * BURST)
        acked = wait_for(NK_ACK, "the last ACK")->arg;
    return rv_time_ns() - t0;
}

static const char *fixed2(uint64_t hundredths, char *out)
{
    rv_snprintf(out, 24, "%llu.%02llu", (unsigned long long)(hundredths / 100),
                (unsigned long long)(hundredths % 100));
    return out;
}

static void measure(void)
{
    uint32_t rtts = (uint32_t)rv_cmdline_int("rtts", 2000);
    uint32_t frames = (uint32_t)(rv_cmdline_int("mib", 8) * 1048576 / BIG) / BURST * BURST;
    char mbs[24];
    rendezvous();
    uint64_t t0 = rv_time_ns(), c0 = rv_rdtsc();
    for (uint32_t i = 0; i < rtts; i++) {
        nk_send(&net, mac_b, NK_PING, i, 0, SMALL);
        const struct nk_msg *m = wait_for(NK_PONG, "PONG");
        if (m->seq != i)
            rvt_failure("PONG %u for PING %u", m->seq, i);
    }
    uint64_t rtt_ns = (rv_time_ns() - t0) / rtts, rtt_cycles = (rv_rdtsc() - c0) / rtts;
    uint64_t big_ns = stream(frames, BIG);
    uint64_t small_ns = stream(frames, SMALL);
    uint64_t rate = big_ns ? (uint64_t)frames * BIG * 100000ull / big_ns : 0;
    uint64_t big_fps = big_ns ? (uint64_t)frames * RV_NS_PER_SEC / big_ns : 0;
    uint64_t small_fps = small_ns ? (uint64_t)frames * RV_NS_PER_SEC / small_ns : 0;
    nk_send(&net, mac_b, NK_QUIT, 0, 0, 64);
    wait_for(NK_BYE, "BYE");
    rvt_log("%u round trips, %u frames each way of %u and %u bytes, %u notifies (%u spared by the event index)",
            rtts, frames, BIG, SMALL, net.dev.notifies, net.dev.notifies_saved);
    rv_printf("RESULT: SUCCESS round trip %llu ns (%llu cycles), %u-byte frames %s MB/s (%llu frames/s), "
              "%u-byte frames %llu frames/s\n",
              (unsigned long long)rtt_ns, (unsigned long long)rtt_cycles, BIG, fixed2(rate, mbs),
              (unsigned long long)big_fps, SMALL, (unsigned long long)small_fps);
    rv_shutdown(0);
}

void test_main(void)
{
    const char *role = rv_cmdline_value("role");
    if (!role || (role[0] != 'a' && role[0] != 'b'))
        rvt_error("args role=a or b");
    nk_open(&net, role[0] == 'a' ? mac_a : mac_b);
    if (role[0] == 'a')
        measure();
    echo();
}
