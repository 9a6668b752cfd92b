/* SPDX-License-Identifier: MIT */
/*
 * libpvguest/virtio_blk.c: a virtio-blk driver (virtio 1.1, 5.2) on
 * pvguest/virtio.h.  One request at a time: a header, the caller's buffer
 * (zero copy: it is in the linear map, so one descriptor), and the status
 * byte, which lives with the header in a frame of ours.  Transfers larger
 * than RV_VBLK_MAX_SECTORS become several requests.
 */
#include <pvguest.h>
#include <pvguest/virtio.h>

#define SECTOR RV_VIRTIO_BLK_SECTOR
#define BLK_FEATURES ((1ull << RV_VIRTIO_BLK_F_FLUSH) | (1ull << RV_VIRTIO_BLK_F_RO) | \
                      (1ull << RV_VIRTIO_BLK_F_SEG_MAX) | (1ull << RV_VIRTIO_BLK_F_BLK_SIZE))

long rv_vblk_open(struct rv_vblk *b, unsigned nth)
{
    long dev = rv_virtio_find(RV_VIRTIO_ID_BLOCK, nth), r;
    uint64_t cap;
    if (dev < 0)
        return dev;
    if ((r = rv_virtio_open(&b->dev, (unsigned)dev, BLK_FEATURES)) < 0 ||
        (r = rv_virtio_config_read(&b->dev, 0, 8, &cap)) < 0 || (r = rv_vq_setup(&b->dev, 0, RV_VQ_DEFAULT_SIZE)) < 0)
        return r;
    if (!b->hdr) {
        uint8_t *page = rv_frame_alloc();
        if (!page)
            return -RV_ENOMEM;
        b->hdr = (struct rv_virtio_blk_req *)page;
        b->status = page + 64;
    }
    b->capacity = cap;
    b->ro = rv_virtio_has(&b->dev, RV_VIRTIO_BLK_F_RO);
    return rv_virtio_ready(&b->dev);
}

/* One request: header, then data (readable for OUT, writable for IN), then the status byte. */
static long request(struct rv_vblk *b, uint32_t type, uint64_t sector, void *data, uint32_t bytes, uint32_t *len)
{
    struct rv_vbuf bufs[3];
    unsigned n_out = 1, n_in = 0;
    b->hdr->type = type;
    b->hdr->reserved = 0;
    b->hdr->sector = sector;
    *b->status = 0xff;
    bufs[0] = (struct rv_vbuf){ b->hdr, sizeof(*b->hdr) };
    if (bytes) {
        bufs[1] = (struct rv_vbuf){ data, bytes };
        if (type == RV_VIRTIO_BLK_T_OUT)
            n_out++;
        else
            n_in++;
    }
    bufs[n_out + n_in] = (struct rv_vbuf){ b->status, 1 };
    n_in++;
    long r = rv_vq_call(&b->dev, 0, bufs, n_out, n_in, len);
    return r < 0 ? r : *b->status;
}

static long transfer(struct rv_vblk *b, uint32_t type, uint64_t sector, uint8_t *buf, uint32_t count)
{
    while (count) {
        uint32_t n = count < RV_VBLK_MAX_SECTORS ? count : RV_VBLK_MAX_SECTORS, len;
        long r = request(b, type, sector, buf, n * SECTOR, &len);
        if (r)
            return r;
        sector += n;
        buf += n * SECTOR;
        count -= n;
    }
    return 0;
}

long rv_vblk_read(struct rv_vblk *b, uint64_t sector, void *buf, uint32_t count)
{
    return transfer(b, RV_VIRTIO_BLK_T_IN, sector, buf, count);
}

long rv_vblk_write(struct rv_vblk *b, uint64_t sector, const void *buf, uint32_t count)
{
    return transfer(b, RV_VIRTIO_BLK_T_OUT, sector, (uint8_t *)buf, count);
}

long rv_vblk_flush(struct rv_vblk *b)
{
    uint32_t len;
    return request(b, RV_VIRTIO_BLK_T_FLUSH, 0, 0, 0, &len);
}

long rv_vblk_get_id(struct rv_vblk *b, char id[RV_VIRTIO_BLK_ID_BYTES + 1])
{
    uint32_t len;
    char *buf = (char *)b->hdr + 128; /* in our frame, after the header and the status */
    memset(buf, 0, RV_VIRTIO_BLK_ID_BYTES);
    long r = request(b, RV_VIRTIO_BLK_T_GET_ID, 0, buf, RV_VIRTIO_BLK_ID_BYTES, &len);
    memcpy(id, buf, RV_VIRTIO_BLK_ID_BYTES);
    id[RV_VIRTIO_BLK_ID_BYTES] = '\0';
    return r;
}
