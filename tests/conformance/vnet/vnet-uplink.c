/* SPDX-License-Identifier: MIT */
/*
 * vnet-uplink: the switch's uplink through the machine's NIC (QEMU
 * -device e1000 on -netdev user: QEMU's own little network, 10.0.2.0/24,
 * with a DHCP server and gateway at 10.0.2.2, and nothing routed beyond
 * it with restrict=on).  Args: role=up (net=switch:uplink, MAC
 * 02:00:00:00:02:0a) or role=witness (net=switch, 02:00:00:00:02:0b), in
 * one boot.
 *
 * up: after the witness says READY, it broadcasts a DHCP DISCOVER (UDP
 * from 0.0.0.0:68 to 255.255.255.255:67) and must get a DHCPOFFER from
 * 10.0.2.2, then asks by ARP who has 10.0.2.2 (as the offered address)
 * and must get the answer: frames went out through the card and came
 * back.  Then it tells the witness to stop.
 *
 * witness: on the switch without the uplink.  It sees up's broadcasts
 * (guests reach each other), but must never see a frame from outside
 * (the offer is a broadcast too): any frame not from up fails it.
 */
#include "netkit.h"

#define ETH_IP 0x0800
#define ETH_ARP 0x0806
#define BOOTP_LEN 548    /* 236 bytes of BOOTP, 312 of options: the size servers expect (RFC 2131 2) */
#define DHCP_XID 0x52564e31u

static struct rv_vnet net;
static uint8_t buf[RV_VIRTIO_NET_FRAME_MAX], frame[RV_VIRTIO_NET_FRAME_MAX];
static const uint8_t mac_up[6] = { 0x02, 0, 0, 0, 2, 0x0a }, mac_witness[6] = { 0x02, 0, 0, 0, 2, 0x0b };
static const uint8_t gateway_ip[4] = { 10, 0, 2, 2 };

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* The Internet checksum (RFC 1071) of n bytes. */
static uint16_t csum(const uint8_t *p, uint32_t n)
{
    uint32_t s = 0;
    for (uint32_t i = 0; i + 1 < n; i += 2)
        s += get16(p + i);
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static uint32_t eth(uint8_t *f, const uint8_t *dst, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, net.mac, 6);
    put16(f + 12, type);
    return 14;
}

/* DHCPDISCOVER (RFC 2131 4.4.1), broadcast, asking for the reply to be broadcast. */
static uint32_t discover(uint8_t *f)
{
    uint32_t n = eth(f, nk_broadcast, ETH_IP);
    uint8_t *ip = f + n, *udp = ip + 20, *bp = udp + 8;
    memset(ip, 0, 28 + BOOTP_LEN);
    ip[0] = 0x45;
    put16(ip + 2, 28 + BOOTP_LEN);
    ip[8] = 64;
    ip[9] = 17;
    memset(ip + 16, 0xff, 4);
    put16(ip + 10, csum(ip, 20));
    put16(udp, 68);
    put16(udp + 2, 67);
    put16(udp + 4, 8 + BOOTP_LEN);  /* UDP checksum 0: none (RFC 768) */
    bp[0] = 1;                      /* BOOTREQUEST */
    bp[1] = 1;                      /* Ethernet */
    bp[2] = 6;
    put16(bp + 4, DHCP_XID >> 16);  /* xid */
    put16(bp + 6, DHCP_XID & 0xffff);
    put16(bp + 10, 0x8000);         /* broadcast flag */
    memcpy(bp + 28, net.mac, 6);    /* chaddr */
    static const uint8_t opts[] = { 99, 130, 83, 99, 53, 1, 1, 55, 2, 1, 3, 255 };
    memcpy(bp + 236, opts, sizeof(opts));
    return n + 28 + BOOTP_LEN;
}

/* A DHCPOFFER for our xid: the offered address into yiaddr, the server's into server. */
static int is_offer(const uint8_t *f, long len, uint8_t yiaddr[4], uint8_t server[4])
{
    if (len < 14 + 28 + 240 || get16(f + 12) != ETH_IP)
        return 0;
    const uint8_t *ip = f + 14, *udp = ip + (ip[0] & 15) * 4, *bp = udp + 8;
    if (ip[9] != 17 || get16(udp) != 67 || get16(udp + 2) != 68 || bp[0] != 2)
        return 0;
    if (((uint32_t)bp[4] << 24 | bp[5] << 16 | bp[6] << 8 | bp[7]) != DHCP_XID || memcmp(bp + 236, "\x63\x82\x53\x63", 4))
        return 0;
    int type = 0;
    memcpy(yiaddr, bp + 16, 4);
    memcpy(server, ip + 12, 4);
    for (const uint8_t *o = bp + 240; o + 2 <= f + len && *o != 255;) {
        if (*o == 0) {
            o++;
            continue;
        }
        if (o[0] == 53 && o[1] >= 1)
            type = o[2];
        if (o[0] == 54 && o[1] == 4)
            memcpy(server, o + 2, 4);
        o += 2 + o[1];
    }
    return type == 2;
}

/* ARP request (RFC 826): who has tpa?  Tell spa. */
static uint32_t arp_request(uint8_t *f, const uint8_t *spa, const uint8_t *tpa)
{
    uint32_t n = eth(f, nk_broadcast, ETH_ARP);
    uint8_t *a = f + n;
    put16(a, 1);
    put16(a + 2, ETH_IP);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, 1);
    memcpy(a + 8, net.mac, 6);
    memcpy(a + 14, spa, 4);
    memset(a + 18, 0, 6);
    memcpy(a + 24, tpa, 4);
    return n + 28;
}

static int is_arp_reply(const uint8_t *f, long len, const uint8_t *spa, uint8_t sha[6])
{
    if (len < 42 || get16(f + 12) != ETH_ARP || get16(f + 14 + 6) != 2 || memcmp(f + 14 + 14, spa, 4))
        return 0;
    memcpy(sha, f + 14 + 8, 6);
    return 1;
}

/* Sends f and waits up to 1 s for a frame match accepts, 5 times: the ns of the round trip that worked. */
static uint64_t ask(const uint8_t *f, uint32_t n, int (*match)(const uint8_t *, long, void *), void *ctx,
                    const char *what)
{
    for (int tries = 0; tries < 5; tries++) {
        uint64_t t0 = rv_time_ns(), until = t0 + RV_NS_PER_SEC;
        RVT_REQUIRE_OK(rv_vnet_send(&net, f, n), "sending");
        while (rv_time_ns() < until) {
            long len = rv_vnet_recv(&net, buf, sizeof(buf), until - rv_time_ns() + 1);
            if (len == -RV_ETIMEDOUT)
                break;
            RVT_REQUIRE_OK(len, "receiving");
            if (match(buf, len, ctx))
                return rv_time_ns() - t0;
        }
        rvt_log("no answer to %s yet", what);
    }
    rvt_failure("no answer to %s in 5 tries", what);
}

struct offer {
    uint8_t yiaddr[4], server[4];
};

static int offer_match(const uint8_t *f, long len, void *ctx)
{
    struct offer *o = ctx;
    return is_offer(f, len, o->yiaddr, o->server);
}

static int arp_match(const uint8_t *f, long len, void *ctx)
{
    return is_arp_reply(f, len, gateway_ip, ctx);
}

static int nk_match(const uint8_t *f, long len, void *ctx)
{
    int damaged;
    const struct nk_msg *m = nk_parse(f, len, &damaged);
    return m && m->type == *(uint32_t *)ctx;
}

static void up(void)
{
    struct offer o;
    uint8_t gw_mac[6];
    char m1[18];
    uint32_t type = NK_HERE;
    /* The witness broadcasts HELLO until we answer. */
    long len;
    uint64_t until = rv_time_ns() + 20ull * RV_NS_PER_SEC;
    for (;;) {
        if (rv_time_ns() > until)
            rvt_failure("the witness never said HELLO");
        len = rv_vnet_recv(&net, buf, sizeof(buf), RV_NS_PER_SEC);
        int damaged;
        const struct nk_msg *m = len > 0 ? nk_parse(buf, len, &damaged) : 0;
        if (m && m->type == NK_HELLO && nk_mac_eq(m->src, mac_witness))
            break;
    }
    nk_send(&net, mac_witness, NK_HERE, 0, 0, 64);
    /* QEMU's e1000 holds what it receives for 1 s after its receiver is
     * enabled (hw/net/e1000.c, flush_queue_timer): the first answer waits
     * for that, so ask twice and report both. */
    uint64_t first_ns = ask(frame, discover(frame), offer_match, &o, "DHCPDISCOVER");
    uint64_t dhcp_ns = ask(frame, discover(frame), offer_match, &o, "DHCPDISCOVER");
    rvt_log("DHCPOFFER of %u.%u.%u.%u from %u.%u.%u.%u in %llu us, the first in %llu us", o.yiaddr[0],
            o.yiaddr[1], o.yiaddr[2], o.yiaddr[3], o.server[0], o.server[1], o.server[2], o.server[3],
            (unsigned long long)dhcp_ns / 1000, (unsigned long long)first_ns / 1000);
    if (memcmp(o.server, gateway_ip, 4) || o.yiaddr[0] != 10 || o.yiaddr[1] != 0 || o.yiaddr[2] != 2)
        rvt_failure("the offer is not QEMU's (10.0.2.x from 10.0.2.2)");
    uint64_t arp_ns = ask(frame, arp_request(frame, o.yiaddr, gateway_ip), arp_match, gw_mac, "ARP for 10.0.2.2");
    type = NK_BYE;
    nk_build(frame, mac_witness, net.mac, NK_QUIT, 0, 0, 64);
    ask(frame, 64, nk_match, &type, "QUIT to the witness");
    rv_printf("RESULT: SUCCESS offered %u.%u.%u.%u by 10.0.2.2 in %llu us (the first offer %llu us); "
              "10.0.2.2 is at %s (ARP in %llu us)\n",
              o.yiaddr[0], o.yiaddr[1], o.yiaddr[2], o.yiaddr[3], (unsigned long long)dhcp_ns / 1000,
              (unsigned long long)first_ns / 1000, nk_mac_str(gw_mac, m1), (unsigned long long)arp_ns / 1000);
    rv_shutdown(0);
}

static void witness(void)
{
    char s[18];
    int answered = 0;
    uint32_t from_up = 0;
    uint64_t last = rv_time_ns();
    for (;;) {
        if (!answered)
            nk_send(&net, mac_up, NK_HELLO, 0, 0, 64);
        long len = rv_vnet_recv(&net, buf, sizeof(buf), answered ? RV_NS_PER_SEC : 20000000ull);
        if (len == -RV_ETIMEDOUT) {
            if (rv_time_ns() - last > 30ull * RV_NS_PER_SEC)
                rvt_failure("nothing from up for 30 s");
            continue;
        }
        RVT_REQUIRE_OK(len, "receiving");
        last = rv_time_ns();
        if (!nk_mac_eq(buf + 6, mac_up))
            rvt_failure("a frame from %s reached a guest without the uplink (%ld bytes, type 0x%04x)",
                        nk_mac_str(buf + 6, s), len, get16(buf + 12));
        from_up++;
        int damaged;
        const struct nk_msg *m = nk_parse(buf, len, &damaged);
        if (m && m->type == NK_HERE)
            answered = 1;
        if (m && m->type == NK_QUIT) {
            nk_send(&net, mac_up, NK_BYE, 0, 0, 64);
            rvt_log("%u frames from up (its broadcasts reach us), none from outside", from_up);
            rvt_success();
        }
    }
}

void test_main(void)
{
    const char *role = rv_cmdline_value("role");
    if (!role || (role[0] != 'u' && role[0] != 'w'))
        rvt_error("args role=up or role=witness");
    nk_open(&net, role[0] == 'u' ? mac_up : mac_witness);
    if (role[0] == 'u')
        up();
    witness();
}
