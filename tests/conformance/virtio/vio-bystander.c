/* SPDX-License-Identifier: MIT */
/*
 * vio-bystander: a guest that shares a boot with the hostile virtio tests
 * (vio-desc, vio-queue) and checks that nothing of its own changes: a
 * pattern in 64 KiB of its memory and on 128 sectors of its own disk
 * (disk=ram:256K), verified again and again (yielding between rounds) for
 * `secs` seconds of system time (default 4), then once more.  A device of
 * another domain that wrote here, or a monitor that mixed up disks, shows
 * up as a FAILURE naming the place.
 */
#include "viokit.h"

#define MEM 65536
#define SECTORS 128

static uint8_t mem[MEM] __attribute__((aligned(4096)));
static uint8_t buf[SECTORS * 512] __attribute__((aligned(4096)));
static struct rv_vblk disk;

static uint8_t pat(uint32_t i, uint32_t salt)
{
    uint32_t x = i * 2654435761u ^ salt;
    return (uint8_t)(x ^ (x >> 11) ^ (x >> 23));
}

static void verify(uint32_t round)
{
    for (uint32_t i = 0; i < MEM; i++)
        if (mem[i] != pat(i, 1))
            rvt_failure("round %u: memory byte %u changed to 0x%02x", round, i, mem[i]);
    memset(buf, 0, sizeof(buf));
    long r = rv_vblk_read(&disk, 0, buf, SECTORS);
    if (r)
        rvt_failure("round %u: reading my disk: %ld (status 0x%lx)", round, r, rv_virtio_status(&disk.dev));
    for (uint32_t i = 0; i < sizeof(buf); i++)
        if (buf[i] != pat(i, 2))
            rvt_failure("round %u: disk byte %u is 0x%02x, expected 0x%02x", round, i, buf[i], pat(i, 2));
}

void test_main(void)
{
    uint64_t end = rv_time_ns() + (uint64_t)rv_cmdline_int("secs", 4) * RV_NS_PER_SEC;
    uint32_t rounds = 0;
    VIO_EXPECT(rv_vblk_open(&disk, 0), 0, "opening my disk");
    for (uint32_t i = 0; i < MEM; i++)
        mem[i] = pat(i, 1);
    for (uint32_t i = 0; i < sizeof(buf); i++)
        buf[i] = pat(i, 2);
    VIO_EXPECT(rv_vblk_write(&disk, 0, buf, SECTORS), 0, "writing my disk");
    while (rv_time_ns() < end) {
        verify(rounds++);
        rv_yield();
    }
    verify(rounds++);
    rvt_log("%u rounds: my memory and my disk are as I left them", rounds);
    rvt_success();
}
