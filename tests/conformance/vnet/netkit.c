/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/vnet/netkit.c: see netkit.h.
 */
#include "netkit.h"

const uint8_t nk_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

int nk_mac_eq(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, 6) == 0;
}

const char *nk_mac_str(const uint8_t *m, char *out)
{
    rv_snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    return out;
}

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int nk_parse_mac(const char *s, uint8_t m[6])
{
    for (int i = 0; i < 6; i++) {
        int hi = hex(s[3 * i]), lo = hex(s[3 * i + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
            return -1;
        m[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

static uint8_t pattern(uint32_t seq, uint32_t i)
{
    return (uint8_t)(seq * 13 + i * 7 + (i >> 8));
}

void nk_build(void *f, const uint8_t *dst, const uint8_t *src, uint32_t type, uint32_t seq, uint32_t arg,
              uint32_t len)
{
    struct nk_msg *m = f;
    memcpy(m->dst, dst, 6);
    memcpy(m->src, src, 6);
    m->ethertype = nk_htons(NK_ETHERTYPE);
    m->magic = NK_MAGIC;
    m->type = type;
    m->seq = seq;
    m->arg = arg;
    m->extra = len;
    memset(m->peer, 0, 6);
    for (uint32_t i = 0; i + NK_HDR < len; i++)
        m->payload[i] = pattern(seq, i);
}

const struct nk_msg *nk_head(const void *f, long len, int *damaged)
{
    const struct nk_msg *m = f;
    *damaged = 0;
    if (len < (long)NK_HDR || m->ethertype != nk_htons(NK_ETHERTYPE) || m->magic != NK_MAGIC)
        return 0;
    *damaged = m->extra != (uint32_t)len;
    return m;
}

const struct nk_msg *nk_parse(const void *f, long len, int *damaged)
{
    const struct nk_msg *m = nk_head(f, len, damaged);
    if (!m)
        return 0;
    for (uint32_t i = 0; !*damaged && i + NK_HDR < (uint32_t)len; i++)
        if (m->payload[i] != pattern(m->seq, i))
            *damaged = 1;
    return m;
}

void nk_send(struct rv_vnet *n, const uint8_t *dst, uint32_t type, uint32_t seq, uint32_t arg, uint32_t len)
{
    static uint8_t f[RV_VIRTIO_NET_FRAME_MAX];
    nk_build(f, dst, n->mac, type, seq, arg, len);
    RVT_REQUIRE_OK(rv_vnet_send(n, f, len), "sending a frame");
}

void nk_open(struct rv_vnet *n, const uint8_t *want)
{
    char a[18], b[18];
    RVT_REQUIRE_OK(rv_vnet_open(n, 0), "opening the network device");
    if (want && !nk_mac_eq(n->mac, want))
        rvt_failure("the device's MAC is %s, the module line says %s", nk_mac_str(n->mac, a), nk_mac_str(want, b));
}
