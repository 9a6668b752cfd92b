/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/netdemo.c: two guests talking over the monitor's switch
 * through libpvguest's virtio-net driver (pvguest/virtio.h).
 *
 *   module lines:  netdemo.elf net=switch:mac=02:00:00:00:00:01 -- echo
 *                  netdemo.elf net=switch -- ping=02:00:00:00:00:01 [count=N]
 *
 * The echo guest sends every frame it gets back to where it came from
 * (source and destination swapped) until it has been quiet for 10 s.  The
 * ping guest sends count (default 10) 64-byte frames to the MAC given and
 * prints the time each took to come back.  Both print their MAC first;
 * Ctrl-A s on the serial console shows the switch meanwhile.  Frames are
 * Ethernet type 0x88b5 (IEEE "local experimental").
 */
#include <pvguest.h>

#define ETHERTYPE 0x88b5

static struct rv_vnet net;
static uint8_t frame[RV_VIRTIO_NET_FRAME_MAX];

static int parse_mac(const char *s, uint8_t m[6])
{
    for (int i = 0; i < 6; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[3 * i + k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                return -1;
            v = v * 16 + (unsigned)d;
        }
        if (i < 5 && s[3 * i + 2] != ':')
            return -1;
        m[i] = (uint8_t)v;
    }
    return 0;
}

static void echo(void)
{
    long len;
    while ((len = rv_vnet_recv(&net, frame, sizeof(frame), 10ull * RV_NS_PER_SEC)) >= 0) {
        uint8_t peer[6];
        memcpy(peer, frame + 6, 6);
        memcpy(frame, peer, 6);
        memcpy(frame + 6, net.mac, 6);
        rv_vnet_send(&net, frame, (uint32_t)len);
    }
    rv_printf("netdemo: quiet for 10 s after %u frames: done\n", net.received);
}

static void ping(const uint8_t *peer, long count)
{
    for (long i = 0; i < count; i++) {
        memcpy(frame, peer, 6);
        memcpy(frame + 6, net.mac, 6);
        frame[12] = ETHERTYPE >> 8;
        frame[13] = ETHERTYPE & 0xff;
        memcpy(frame + 14, &i, sizeof(i));
        uint64_t t0 = rv_time_ns();
        long r = rv_vnet_send(&net, frame, 64), len;
        if (r < 0) {
            rv_printf("netdemo: send: %s\n", rv_errname(r));
            return;
        }
        while ((len = rv_vnet_recv(&net, frame, sizeof(frame), RV_NS_PER_SEC)) >= 0 &&
               (len < 64 || memcmp(frame + 6, peer, 6) != 0))
            ; /* not the answer */
        if (len < 0)
            rv_printf("netdemo: frame %ld: no answer in 1 s\n", i);
        else
            rv_printf("netdemo: frame %ld: back in %llu us\n", i, (unsigned long long)(rv_time_ns() - t0) / 1000);
    }
}

int guest_main(void)
{
    uint8_t peer[6];
    const char *to = rv_cmdline_value("ping");
    long r = rv_vnet_open(&net, 0);
    if (r < 0) {
        rv_printf("netdemo: no network device (%s): give it net=switch\n", rv_errname(r));
        return 1;
    }
    rv_printf("netdemo: MAC %02x:%02x:%02x:%02x:%02x:%02x, MTU %u\n", net.mac[0], net.mac[1], net.mac[2],
              net.mac[3], net.mac[4], net.mac[5], net.mtu);
    if (to && parse_mac(to, peer) == 0)
        ping(peer, rv_cmdline_int("count", 10));
    else
        echo();
    return 0;
}
