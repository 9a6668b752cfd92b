/* SPDX-License-Identifier: MIT */
/*
 * vnet-switch: the monitor's learning switch, with three guests in one
 * boot (ABI.md "Network devices").  Args: role=a, b or c; each has
 * net=switch:mac=02:00:00:00:00:0a (0b, 0c).
 *
 * a leads; b and c answer what it asks and record the test frames (DATA)
 * they receive.  After a rendezvous (a broadcasts HELLO until b and c
 * have answered HERE, so the switch has learned all three), a sends:
 *   1  to the broadcast address           b and c get it, a does not
 *   2  to an address nobody has used      flooded: b and c
 *   3  to b                               only b (its address was learned)
 *   4  to c                               only c
 *   5  broadcast from a made-up source X  b and c; the switch learns X at a
 *   6  b, told by a, sends to X           only a gets it
 *   7  to b from c's address (a lie)      refused: nobody gets it
 *   8  from 64 more made-up sources,      a port learns at most 64
 *      to a's own address                 addresses: X is forgotten; and
 *                                         a frame to a's own port goes nowhere
 *   9  b, told by a, sends to X again     flooded now: a and c
 * then asks b and c which DATA frames reached them (their answer must be
 * {1,2,3,5} and {1,2,4,5,9}), and tells them to stop.  Every guest fails if
 * it ever receives a frame it sent itself or a damaged test frame.
 */
#include "netkit.h"

#define ROLE_MAC(r) { 0x02, 0, 0, 0, 0, (uint8_t)(0x0a + (r)) }
#define IDLE_NS (20ull * RV_NS_PER_SEC)

static struct rv_vnet net;
static uint8_t buf[RV_VIRTIO_NET_FRAME_MAX];
static uint8_t mac[3][6] = { ROLE_MAC(0), ROLE_MAC(1), ROLE_MAC(2) };
static const uint8_t mac_x[6] = { 0x02, 0, 0, 0, 0, 0x77 }, mac_nobody[6] = { 0x02, 0, 0, 0, 0, 0x99 };
#define LEARN_MAX 64  /* addresses a port learns (drivers/switch.c) */

/* The next test frame; fails on our own frames and on damaged ones.  NULL on timeout. */
static const struct nk_msg *next(uint64_t timeout_ns)
{
    char s[18];
    int damaged;
    for (;;) {
        long len = rv_vnet_recv(&net, buf, sizeof(buf), timeout_ns);
        if (len == -RV_ETIMEDOUT)
            return 0;
        RVT_REQUIRE_OK(len, "receiving");
        if (nk_mac_eq(buf + 6, net.mac))
            rvt_failure("received a frame it sent itself (to %s)", nk_mac_str(buf, s));
        const struct nk_msg *m = nk_parse(buf, len, &damaged);
        if (damaged)
            rvt_failure("a damaged test frame (seq %u, %ld bytes)", m->seq, len);
        if (m)
            return m;
    }
}

static int role_of(const uint8_t *m)
{
    for (int r = 0; r < 3; r++)
        if (nk_mac_eq(m, mac[r]))
            return r;
    return -1;
}

/* b and c: answer a until it says stop. */
static void follower(void)
{
    uint32_t got = 0, data_frames = 0;
    for (;;) {
        const struct nk_msg *m = next(IDLE_NS);
        if (!m)
            rvt_failure("no word from a for 20 s (DATA received: 0x%x)", got);
        switch (m->type) {
        case NK_HELLO:
            nk_send(&net, m->src, NK_HERE, 0, 0, 64);
            break;
        case NK_DATA:
            got |= 1u << (m->seq & 31);
            data_frames++;
            break;
        case NK_QUERY:
            nk_send(&net, m->src, NK_REPORT, data_frames, got, 64);
            break;
        case NK_SENDTO: {
            static uint8_t f[128];
            nk_build(f, m->peer, net.mac, NK_DATA, m->arg, 0, 128);
            RVT_REQUIRE_OK(rv_vnet_send(&net, f, 128), "sending to X");
            break;
        }
        case NK_QUIT:
            nk_send(&net, m->src, NK_BYE, 0, 0, 64);
            rvt_log("received DATA 0x%x in %u frames, %u sent, %u received", got, data_frames, net.sent,
                    net.received);
            rvt_success();
        }
    }
}

/* Sends a frame of ours with any source address. */
static void send_from(const uint8_t *src, const uint8_t *dst, uint32_t seq)
{
    static uint8_t f[100];
    nk_build(f, dst, src, NK_DATA, seq, 0, sizeof(f));
    RVT_REQUIRE_OK(rv_vnet_send(&net, f, sizeof(f)), "sending");
}

/* Broadcasts HELLO until b and c have both answered. */
static void rendezvous(void)
{
    unsigned have = 0;
    uint64_t give_up = rv_time_ns() + IDLE_NS;
    while (have != 6) {
        if (rv_time_ns() > give_up)
            rvt_failure("b and c did not answer HELLO in 20 s (answers from 0x%x)", have);
        nk_send(&net, nk_broadcast, NK_HELLO, 0, 0, 64);
        const struct nk_msg *m;
        while ((m = next(20000000ull)))
            if (m->type == NK_HERE && role_of(m->src) > 0)
                have |= 1u << role_of(m->src);
    }
}

/* What role r (1 b, 2 c) has received: the DATA bitmap. */
static uint32_t query(int r)
{
    for (int tries = 0; tries < 5; tries++) {
        nk_send(&net, mac[r], NK_QUERY, 0, 0, 64);
        const struct nk_msg *m;
        while ((m = next(RV_NS_PER_SEC / 2)))
            if (m->type == NK_REPORT && role_of(m->src) == r)
                return m->arg;
    }
    rvt_failure("%c does not answer QUERY", 'a' + r);
}

static void quit(int r)
{
    for (int tries = 0; tries < 5; tries++) {
        nk_send(&net, mac[r], NK_QUIT, 0, 0, 64);
        const struct nk_msg *m;
        while ((m = next(RV_NS_PER_SEC / 2)))
            if (m->type == NK_BYE && role_of(m->src) == r)
                return;
    }
    rvt_failure("%c does not answer QUIT", 'a' + r);
}

/* Has b send DATA seq to X, and waits for it. */
static void expect_from_b_to_x(uint32_t seq, const char *fail)
{
    static uint8_t f[64];
    nk_build(f, mac[1], net.mac, NK_SENDTO, 0, seq, sizeof(f));
    memcpy(((struct nk_msg *)f)->peer, mac_x, 6);
    RVT_REQUIRE_OK(rv_vnet_send(&net, f, sizeof(f)), "SENDTO");
    const struct nk_msg *m;
    while ((m = next(2 * RV_NS_PER_SEC)) && !(m->type == NK_DATA && m->seq == seq))
        ;
    if (!m)
        rvt_failure("%s", fail);
    if (!nk_mac_eq(m->src, mac[1]) || !nk_mac_eq(m->dst, mac_x))
        rvt_failure("DATA %u came from the wrong place", seq);
}

static void leader(void)
{
    rendezvous();
    rvt_log("b and c are there: sending the test frames");
    send_from(net.mac, nk_broadcast, 1);
    send_from(net.mac, mac_nobody, 2);
    send_from(net.mac, mac[1], 3);
    send_from(net.mac, mac[2], 4);
    send_from(mac_x, nk_broadcast, 5);
    expect_from_b_to_x(6, "b's frame to X (learned at a's port) did not reach a");
    send_from(mac[2], mac[1], 7);
    for (uint8_t i = 0; i < LEARN_MAX; i++) {
        const uint8_t made_up[6] = { 0x02, 0, 0, 1, 0, i };
        send_from(made_up, net.mac, 8);
    }
    expect_from_b_to_x(9, "b's frame to X (forgotten) did not reach a");
    uint32_t b = query(1), c = query(2);
    rvt_log("b received DATA 0x%x, c 0x%x", b, c);
    RVT_EXPECT_EQ(b, (1u << 1) | (1u << 2) | (1u << 3) | (1u << 5),
                  "the DATA frames b received (1 broadcast, 2 unknown, 3 to b, 5 from X; not 4, 7)");
    RVT_EXPECT_EQ(c, (1u << 1) | (1u << 2) | (1u << 4) | (1u << 5) | (1u << 9),
                  "the DATA frames c received (1 broadcast, 2 unknown, 4 to c, 5 from X, 9 to X forgotten; "
                  "not 3, 6, 7, 8)");
    quit(1);
    quit(2);
    rvt_success();
}

void test_main(void)
{
    const char *role = rv_cmdline_value("role");
    if (!role || role[0] < 'a' || role[0] > 'c')
        rvt_error("args role=a, b or c");
    int r = role[0] - 'a';
    nk_open(&net, mac[r]);
    if (r == 0)
        leader();
    follower();
}
