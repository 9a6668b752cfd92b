/*
 * drivers/switch.h: the monitor's learning Ethernet switch.  Its ports are
 * the guests' virtio-net devices (vnet.c) and, when a guest asks for it,
 * the machine's network card (the uplink, e1000.c).  A port hands the
 * switch whole Ethernet frames (no CRC) and gets frames back through its
 * deliver function.
 */
#ifndef DRV_SWITCH_H
#define DRV_SWITCH_H

#include <stdint.h>

#define SW_MAX_PORTS 65          /* every virtio device of the machine could be one, and the uplink */
#define SW_NAME_MAX 40

/* Port flags */
#define SW_UPLINK 1              /* this port is the machine's NIC */
#define SW_UPLINK_OK 2           /* this port may exchange frames with the uplink */

/* Puts a frame into the port's owner: 0, or -1 when it had no room (dropped). */
typedef int (*sw_deliver_fn)(void *ctx, const uint8_t *frame, uint32_t len);

struct sw_stats {
    uint64_t in_frames, in_bytes;    /* from the port into the switch */
    uint64_t out_frames, out_bytes;  /* from the switch out of the port */
    uint32_t dropped;                /* frames for the port it had no room for */
    uint32_t refused;                /* frames from the port the switch would not take */
};

/* A new port: its number, or -1 when all are taken. */
int switch_attach(const char *name, const uint8_t mac[6], unsigned flags, sw_deliver_fn fn, void *ctx);
/* The port goes, and every address learned on it. */
void switch_detach(int port);
/* A frame that came in on port (the switch copies what it keeps: nothing). */
void switch_input(int port, const uint8_t *frame, uint32_t len);
const struct sw_stats *switch_stats(int port);
/* The name of the port whose own MAC is mac, or 0. */
const char *switch_mac_user(const uint8_t mac[6]);
/* Ctrl-A s: the ports with their counters, then the learned addresses. */
void switch_print(void);

#endif
