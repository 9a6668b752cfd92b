/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/virtio.h: virtio devices over a hypercall transport (everything
 * here since 1.3).
 *
 * A domain's devices are standard virtio 1.x devices (the OASIS virtio 1.1
 * specification: device types, feature bits, configuration layouts, split
 * virtqueues) reached through one hypercall, virtio_op, instead of PCI or
 * MMIO registers: the way virtio-mmio is a transport.  Devices are numbered
 * 0 .. n-1 per domain.  Virtqueues live in the guest's own memory; every
 * address in them (descriptor table, available and used rings, buffers) is
 * a machine address (start_info.first_mfn-relative, like page-table
 * entries), and the monitor checks each one against the domain's frames
 * before use.  The guest notifies a queue with RV_VIRTIO_NOTIFY; the device
 * notifies the guest by raising the device's event channel (info.evtchn,
 * already bound when the domain starts), for used buffers and for
 * configuration changes alike.  ABI.md "Devices" is the full contract.
 */
#ifndef RV_VIRTIO_H
#define RV_VIRTIO_H

#include <stdint.h>

/* virtio_op(cmd, dev, arg) */
#define RV_VIRTIO_PROBE 0         /* arg = struct rv_virtio_info *; -RV_ENOENT past the last device */
#define RV_VIRTIO_GET_FEATURES 1  /* arg = struct rv_virtio_features * (sel in, bits out) */
#define RV_VIRTIO_SET_FEATURES 2  /* arg = struct rv_virtio_features * (driver features) */
#define RV_VIRTIO_GET_STATUS 3    /* returns the device status byte */
#define RV_VIRTIO_SET_STATUS 4    /* arg = status; 0 resets the device */
#define RV_VIRTIO_CONFIG_READ 5   /* arg = struct rv_virtio_config * */
#define RV_VIRTIO_CONFIG_WRITE 6  /* arg = struct rv_virtio_config * */
#define RV_VIRTIO_QUEUE_GET 7     /* arg = struct rv_virtio_queue * (index in; max size out) */
#define RV_VIRTIO_QUEUE_SET 8     /* arg = struct rv_virtio_queue * (index, size, rings in) */
#define RV_VIRTIO_NOTIFY 9        /* arg = queue index: the device looks at its available ring */

/* Device status bits (virtio 1.1, 2.1) */
#define RV_VIRTIO_S_ACKNOWLEDGE 1
#define RV_VIRTIO_S_DRIVER 2
#define RV_VIRTIO_S_DRIVER_OK 4
#define RV_VIRTIO_S_FEATURES_OK 8
#define RV_VIRTIO_S_NEEDS_RESET 64   /* set by the device only: a ring was bad */
#define RV_VIRTIO_S_FAILED 128

/* Device types (virtio 1.1, 5) */
#define RV_VIRTIO_ID_NET 1
#define RV_VIRTIO_ID_BLOCK 2
#define RV_VIRTIO_ID_CONSOLE 3

#define RV_VIRTIO_VENDOR 0x52564d52u /* "RVMR", rv_virtio_info.vendor_id */

/* Feature bits of every device (virtio 1.1, 6) */
#define RV_VIRTIO_F_INDIRECT_DESC 28 /* never offered: indirect descriptors are refused */
#define RV_VIRTIO_F_RING_EVENT_IDX 29
#define RV_VIRTIO_F_VERSION_1 32   /* required: legacy devices are not offered */

struct rv_virtio_info {
    uint32_t device_id;       /* RV_VIRTIO_ID_* */
    uint32_t vendor_id;       /* 0x52564d52 "RVMR" */
    uint32_t num_queues;
    uint32_t max_queue_size;  /* a power of two */
    uint32_t evtchn;          /* the port the device raises */
    uint32_t config_len;      /* bytes of device configuration */
    char name[16];            /* "console", "disk0", "disk1"...: NUL terminated */
};

struct rv_virtio_features {
    uint32_t sel;             /* which 32 bits: 0 = bits 0-31, 1 = 32-63 */
    uint32_t bits;
};

#define RV_VIRTIO_CONFIG_MAX 256
struct rv_virtio_config {
    uint32_t offset;          /* into the device configuration */
    uint32_t len;             /* 1, 2, 4 or 8 bytes */
    uint64_t value;           /* in for write, out for read (little-endian) */
};

struct rv_virtio_queue {
    uint32_t index;           /* queue number */
    uint32_t size;            /* QUEUE_GET: max size out; QUEUE_SET: chosen size (power of two, 0 = disable) */
    uint64_t desc;            /* machine address of the descriptor table (16-byte aligned) */
    uint64_t avail;           /* of the available ring (2-byte aligned) */
    uint64_t used;            /* of the used ring (4-byte aligned) */
};

/*
 * Split virtqueues (virtio 1.1, 2.6), in the guest's memory, little-endian.
 * A queue of size n has a descriptor table of n entries, an available ring
 * (flags, idx, ring[n], used_event) and a used ring (flags, idx, ring[n],
 * avail_event).  Descriptor addresses are machine addresses.
 */
struct rv_vring_desc {
    uint64_t addr;            /* machine address of the buffer */
    uint32_t len;             /* bytes, never 0 */
    uint16_t flags;           /* RV_VRING_DESC_F_* */
    uint16_t next;            /* the next descriptor when F_NEXT */
};
#define RV_VRING_DESC_F_NEXT 1
#define RV_VRING_DESC_F_WRITE 2     /* the device writes this buffer */
#define RV_VRING_DESC_F_INDIRECT 4  /* refused (not offered) */

struct rv_vring_avail {
    uint16_t flags;           /* RV_VRING_AVAIL_F_NO_INTERRUPT */
    uint16_t idx;             /* where the driver puts the next entry (free running) */
    uint16_t ring[];          /* n heads of chains, then uint16_t used_event */
};
#define RV_VRING_AVAIL_F_NO_INTERRUPT 1

struct rv_vring_used_elem {
    uint32_t id;              /* head of the chain */
    uint32_t len;             /* bytes the device wrote into it */
};

struct rv_vring_used {
    uint16_t flags;           /* RV_VRING_USED_F_NO_NOTIFY (never set by ringvisor) */
    uint16_t idx;
    struct rv_vring_used_elem ring[]; /* n entries, then uint16_t avail_event */
};
#define RV_VRING_USED_F_NO_NOTIFY 1

/* Bytes of each part of a queue of size n. */
#define RV_VRING_DESC_BYTES(n) (16u * (n))
#define RV_VRING_AVAIL_BYTES(n) (6u + 2u * (n))
#define RV_VRING_USED_BYTES(n) (6u + 8u * (n))
/* Alignments QUEUE_SET requires (virtio 1.1, 2.6). */
#define RV_VRING_DESC_ALIGN 16
#define RV_VRING_AVAIL_ALIGN 2
#define RV_VRING_USED_ALIGN 4

/* With RV_VIRTIO_F_RING_EVENT_IDX: the words after the rings. */
static inline volatile uint16_t *rv_vring_used_event(volatile struct rv_vring_avail *a, uint32_t n)
{
    return &a->ring[n];
}
static inline volatile uint16_t *rv_vring_avail_event(volatile struct rv_vring_used *u, uint32_t n)
{
    return (volatile uint16_t *)&u->ring[n];
}

/* Whether moving an index from old to new_idx passes event (virtio 1.1, 2.6.7.2). */
static inline int rv_vring_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

/* ---- virtio-blk (virtio 1.1, 5.2) ------------------------------------------ */

#define RV_VIRTIO_BLK_F_SIZE_MAX 1  /* config size_max is valid */
#define RV_VIRTIO_BLK_F_SEG_MAX 2   /* config seg_max is valid */
#define RV_VIRTIO_BLK_F_RO 5        /* the disk is read-only */
#define RV_VIRTIO_BLK_F_BLK_SIZE 6  /* config blk_size is valid */
#define RV_VIRTIO_BLK_F_FLUSH 9     /* RV_VIRTIO_BLK_T_FLUSH works */

struct rv_virtio_blk_config {
    uint64_t capacity;        /* in 512-byte sectors */
    uint32_t size_max;        /* largest segment, bytes */
    uint32_t seg_max;         /* most data segments in one request */
    uint16_t cylinders;       /* geometry: not offered, 0 */
    uint8_t heads;
    uint8_t sectors;
    uint32_t blk_size;        /* 512 */
};

/* A request: this header (device-readable), the data, then one status byte
 * (device-writable), in one chain; how they are cut into descriptors is free. */
struct rv_virtio_blk_req {
    uint32_t type;            /* RV_VIRTIO_BLK_T_* */
    uint32_t reserved;
    uint64_t sector;          /* 512-byte sector of the disk */
};
#define RV_VIRTIO_BLK_T_IN 0      /* read: the data buffers are device-writable */
#define RV_VIRTIO_BLK_T_OUT 1     /* write */
#define RV_VIRTIO_BLK_T_FLUSH 4   /* everything written before is on the medium */
#define RV_VIRTIO_BLK_T_GET_ID 8  /* up to 20 bytes of a serial number */
#define RV_VIRTIO_BLK_S_OK 0
#define RV_VIRTIO_BLK_S_IOERR 1
#define RV_VIRTIO_BLK_S_UNSUPP 2
#define RV_VIRTIO_BLK_SECTOR 512
#define RV_VIRTIO_BLK_ID_BYTES 20

/* ---- virtio-console (virtio 1.1, 5.3) --------------------------------------- */

#define RV_VIRTIO_CONSOLE_F_SIZE 0        /* not offered */
#define RV_VIRTIO_CONSOLE_F_MULTIPORT 1   /* not offered */
#define RV_VIRTIO_CONSOLE_F_EMERG_WRITE 2 /* writing emerg_wr prints a character */

struct rv_virtio_console_config {
    uint16_t cols;            /* 0: F_SIZE not offered */
    uint16_t rows;
    uint32_t max_nr_ports;    /* 0: F_MULTIPORT not offered */
    uint32_t emerg_wr;        /* write-only: the low byte goes to the console */
};
#define RV_VIRTIO_CONSOLE_RX 0  /* receiveq: device-writable buffers for input */
#define RV_VIRTIO_CONSOLE_TX 1  /* transmitq: device-readable output */

/* ---- virtio-net (virtio 1.1, 5.1) ------------------------------------------- */

#define RV_VIRTIO_NET_F_CSUM 0         /* not offered: every frame carries its checksums */
#define RV_VIRTIO_NET_F_GUEST_CSUM 1   /* not offered */
#define RV_VIRTIO_NET_F_MTU 3          /* config mtu is valid (1500) */
#define RV_VIRTIO_NET_F_MAC 5          /* config mac is valid */
#define RV_VIRTIO_NET_F_MRG_RXBUF 15   /* a received frame may take several receive buffers */
#define RV_VIRTIO_NET_F_STATUS 16      /* config status is valid */
#define RV_VIRTIO_NET_F_CTRL_VQ 17     /* not offered: no control queue */

struct rv_virtio_net_config {
    uint8_t mac[6];           /* the device's MAC: the module line's or derived */
    uint16_t status;          /* RV_VIRTIO_NET_S_LINK_UP, always */
    uint16_t max_virtqueue_pairs; /* 1 (VIRTIO_NET_F_MQ is not offered) */
    uint16_t mtu;             /* 1500 */
};
#define RV_VIRTIO_NET_S_LINK_UP 1

/*
 * Every buffer on both queues starts with this header (12 bytes: with
 * VERSION_1 num_buffers is always there).  Transmit: the driver sets
 * flags 0 and gso_type NONE (no offloads are offered; other values are
 * ignored).  Receive: the device writes flags 0, gso_type NONE and
 * num_buffers (1 without MRG_RXBUF).  The Ethernet frame follows the
 * header: destination, source, type, payload, without the CRC.
 */
struct rv_virtio_net_hdr {
    uint8_t flags;
    uint8_t gso_type;         /* RV_VIRTIO_NET_HDR_GSO_NONE */
    uint16_t hdr_len;
    uint16_t gso_size;
    uint16_t csum_start;
    uint16_t csum_offset;
    uint16_t num_buffers;     /* receive: the buffers this frame took */
};
#define RV_VIRTIO_NET_HDR_GSO_NONE 0
#define RV_VIRTIO_NET_RX 0        /* receiveq1: device-writable buffers */
#define RV_VIRTIO_NET_TX 1        /* transmitq1: device-readable frames */
#define RV_VIRTIO_NET_MTU 1500
#define RV_VIRTIO_NET_FRAME_MIN 14    /* an Ethernet header */
#define RV_VIRTIO_NET_FRAME_MAX 1518  /* 14 + a VLAN tag (4) + 1500 */

#endif
