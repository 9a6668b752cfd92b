/* SPDX-License-Identifier: MIT */
/*
 * tests/conformance/vnet/netkit.h: what the network tests share: MACs,
 * test frames (Ethernet type 0x88b5, IEEE 802's "local experimental"
 * type, so nothing else takes them for its own) with a checked payload,
 * and a start-up rendezvous between guests of one boot.
 *
 * A test frame: Ethernet header, then struct nk_msg, then a payload whose
 * bytes follow from the sequence number, so a receiver can tell a frame
 * that arrived whole from one that did not.
 */
#ifndef NETKIT_H
#define NETKIT_H

#include "rvtest.h"

#define NK_ETHERTYPE 0x88b5
#define NK_MAGIC 0x544e5652u  /* "RVNT" */

enum nk_type {
    NK_HELLO = 1,  /* "who is there?", broadcast */
    NK_HERE,       /* the answer, unicast */
    NK_DATA,       /* a numbered test frame */
    NK_QUERY,      /* "what have you received?" */
    NK_REPORT,     /* arg = bitmap of DATA seqs received, seq = frames that arrived damaged */
    NK_SENDTO,     /* "send DATA seq=arg to the MAC in peer" */
    NK_PING,       /* answer with PONG at once */
    NK_PONG,
    NK_ACK,        /* arg = frames received so far */
    NK_QUIT,       /* "stop": answer BYE, then end */
    NK_BYE,
};

struct nk_msg {
    uint8_t dst[6], src[6];
    uint16_t ethertype;      /* big-endian on the wire */
    uint32_t magic;
    uint32_t type;
    uint32_t seq;
    uint32_t arg;
    uint32_t extra;
    uint8_t peer[6];
    uint8_t payload[];
} __attribute__((packed));

#define NK_HDR ((uint32_t)sizeof(struct nk_msg))

extern const uint8_t nk_broadcast[6];

static inline uint16_t nk_htons(uint16_t v) { return (uint16_t)(v << 8 | v >> 8); }
static inline uint32_t nk_htonl(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}
int nk_mac_eq(const uint8_t *a, const uint8_t *b);
/* "52:54:00:12:34:56" into out[18]; returns out. */
const char *nk_mac_str(const uint8_t *m, char *out);
/* "xx:xx:xx:xx:xx:xx": 0, or -1. */
int nk_parse_mac(const char *s, uint8_t m[6]);

/* A test frame of len bytes (at least NK_HDR) into f. */
void nk_build(void *f, const uint8_t *dst, const uint8_t *src, uint32_t type, uint32_t seq, uint32_t arg,
              uint32_t len);
/* Is f (len bytes) a test frame, with its payload intact?  Its message or NULL. */
const struct nk_msg *nk_parse(const void *f, long len, int *damaged);
/* The same, looking only at the header (its length must be len). */
const struct nk_msg *nk_head(const void *f, long len, int *damaged);
/* Build and send; rvt_error if the device will not take it. */
void nk_send(struct rv_vnet *n, const uint8_t *dst, uint32_t type, uint32_t seq, uint32_t arg, uint32_t len);

/* Opens network device 0 and checks its MAC against want (if not NULL). */
void nk_open(struct rv_vnet *n, const uint8_t *want);

#endif
