/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/virtio.h: virtio devices over a hypercall transport (ABI 1.3).
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
 * configuration changes alike.
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
#define RV_VIRTIO_S_NEEDS_RESET 64
#define RV_VIRTIO_S_FAILED 128

/* Device types (virtio 1.1, 5) */
#define RV_VIRTIO_ID_NET 1
#define RV_VIRTIO_ID_BLOCK 2
#define RV_VIRTIO_ID_CONSOLE 3

/* Feature bits every device offers */
#define RV_VIRTIO_F_RING_EVENT_IDX 29
#define RV_VIRTIO_F_VERSION_1 32   /* required: legacy devices are not offered */

struct rv_virtio_info {
    uint32_t device_id;       /* RV_VIRTIO_ID_* */
    uint32_t vendor_id;       /* 0x52564d52 "RVMR" */
    uint32_t num_queues;
    uint32_t max_queue_size;  /* a power of two */
    uint32_t evtchn;          /* the port the device raises */
    uint32_t config_len;      /* bytes of device configuration */
    char name[16];            /* from the module line, NUL terminated */
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

#endif
