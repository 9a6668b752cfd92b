/*
 * monitor/scrub.c: a dead domain's frames are zeroed before any other
 * domain can have them, a slice at a time.
 *
 * Isolation needs one thing: no domain ever sees another's data.  So the
 * frames of a dead domain stay allocated (no build can take them) until
 * they are zeroed, and only then go back to the allocator, marked as
 * holding zeros so that the next build does not zero them again
 * (frame.c).  Zeroing 512 MiB at once would hold the CPU with interrupts
 * off for a long time; the scheduler instead calls scrub_some between two
 * picks and while idle, and a slice stops as soon as a domain can run, so
 * the others' timers stay on time (Xen scrubs from its idle loop the same
 * way).  A domain that is to restart is rebuilt when its last slice is
 * done, from the scrubbed frames.
 *
 * The frames go through the run window (paging.c: 512 frames per TLB
 * flush, not one INVLPG each) and are zeroed with wide unrolled stores.
 * Besides a domain's own run of frames the queue takes lists of scattered
 * frames (an in-memory disk's private copies, drivers/memdisk.c), zeroed
 * LIST_BATCH at a time, each freed on its own, and the frames holding the
 * list freed with the last.
 *
 * When no domain is left and none waits for a restart, nothing will ever
 * run again: the monitor stops without finishing the scrub (scrub_needed),
 * since no domain exists that could see the frames, and the emulator or
 * the next boot's firmware owns the memory after that.
 */
#include "scrub.h"
#include "console.h"
#include "domain.h"
#include "frame.h"
#include "mm.h"
#include "paging.h"
#include "rvlib.h"
#include "time.h"

#define SCRUB_CHECK 8 /* frames (32 KiB) between two looks at stop() */
#define LIST_BATCH 32 /* frames of a list mapped and zeroed at once */

struct scrub {
    uint32_t mfn, left;   /* frames still dirty, from mfn up (a list: its next index, entries left) */
    uint32_t total;       /* frames at the start */
    uint32_t dirty;       /* frames still to zero */
    uint32_t *list;       /* or 0: a list of frames, 0 entries are holes */
    uint32_t list_mfn, list_frames; /* the frames holding the list */
    int restart_module;   /* -1: none */
    uint32_t domid;
    char name[DOM_NAME_MAX];
    uint64_t queued_ns, busy_ns; /* when it died; time spent zeroing */
};

/* Dead domains, and a list for each in-memory disk (at most one per virtio
 * device: 64 in all, drivers/virtio.c). */
static struct scrub queue[MAX_DOMAINS * 2 + 64];
static unsigned nr_queued;

void scrub_add(const struct domain *d, int restart_module)
{
    if (nr_queued == sizeof(queue) / sizeof(queue[0]))
        panic("scrub queue full");
    struct scrub *s = &queue[nr_queued++];
    *s = (struct scrub){ .mfn = d->first_mfn, .left = d->nr_pages, .total = d->nr_pages, .dirty = d->nr_pages,
                         .restart_module = restart_module, .domid = d->id, .queued_ns = now_ns() };
    strlcpy(s->name, d->name, sizeof(s->name));
}

void scrub_add_list(uint32_t *list, uint32_t n, uint32_t nr_frames, uint32_t list_mfn, uint32_t list_frames)
{
    if (nr_queued == sizeof(queue) / sizeof(queue[0]))
        panic("scrub queue full");
    queue[nr_queued++] = (struct scrub){ .left = n, .total = nr_frames, .dirty = nr_frames,
                                         .list = list, .list_mfn = list_mfn,
                                         .list_frames = list_frames, .restart_module = -1,
                                         .queued_ns = now_ns() };
}

int scrub_pending(void)
{
    return nr_queued != 0;
}

int scrub_needed(void)
{
    for (unsigned i = 0; i < nr_queued; i++)
        if (queue[i].restart_module >= 0)
            return 1;
    return 0;
}

uint32_t scrub_frames_left(void)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < nr_queued; i++)
        n += queue[i].dirty;
    return n;
}

/* A list: the next up to LIST_BATCH frames zeroed and freed; returns the
 * entries passed. */
static uint32_t zero_list_batch(struct scrub *s)
{
    static uint32_t batch[LIST_BATCH];
    uint32_t n = 0, i = 0;
    for (; i < s->left && n < LIST_BATCH; i++)
        if (s->list[s->mfn + i])
            batch[n++] = s->list[s->mfn + i];
    if (n) {
        zero_pages(map_list(batch, n), n);
        for (uint32_t k = 0; k < n; k++)
            frames_free_zeroed(batch[k], 1);
    }
    s->dirty -= n < s->dirty ? n : s->dirty;
    return i;
}

static void some_of_list(struct scrub *s, uint32_t max_frames, int (*stop)(void))
{
    uint32_t before = s->dirty;
    do {
        uint32_t i = zero_list_batch(s);
        s->mfn += i;
        s->left -= i;
    } while (s->left && before - s->dirty < max_frames && !(stop && stop()));
    if (!s->left)
        frames_free(s->list_mfn, s->list_frames);
}

/* Zeroes up to max frames from s->mfn, SCRUB_CHECK at a time; returns how many. */
static uint32_t zero_some(struct scrub *s, uint32_t max, int (*stop)(void))
{
    uint32_t done = 0;
    while (done < max) {
        uint32_t mapped, n = max - done < SCRUB_CHECK ? max - done : SCRUB_CHECK;
        uint8_t *va = map_run(s->mfn + done, s->left - done, &mapped);
        if (n > mapped)
            n = mapped;
        zero_pages(va, n);
        done += n;
        if (stop && stop())
            break;
    }
    return done;
}

static void finish(struct scrub *s)
{
    if (s->list)
        return; /* the disk's own lines said what it held */
    uint64_t ms = (now_ns() - s->queued_ns) / 1000000u, us = s->busy_ns / 1000u;
    uint32_t mib_s = us ? (uint32_t)((uint64_t)s->total * 4096u * 1000000u / us >> 20) : 0;
    mlog("d%u %s: scrubbed %u KiB in %u ms (%u us zeroing, %u MiB/s)\n", s->domid, s->name,
         s->total * 4, (uint32_t)ms, (uint32_t)us, mib_s);
}

void scrub_some(uint32_t max_frames, int (*stop)(void))
{
    if (!nr_queued)
        return;
    struct scrub *s = &queue[0];
    uint64_t t0 = now_ns();
    if (s->list) {
        some_of_list(s, max_frames, stop);
    } else {
        uint32_t n = zero_some(s, s->left < max_frames ? s->left : max_frames, stop);
        mm_release(s->mfn, n);
        frames_free_zeroed(s->mfn, n);
        s->mfn += n;
        s->left -= n;
        s->dirty -= n;
    }
    s->busy_ns += now_ns() - t0;
    if (s->left)
        return;
    finish(s);
    int module = s->restart_module;
    for (unsigned i = 1; i < nr_queued; i++)
        queue[i - 1] = queue[i];
    nr_queued--;
    if (module >= 0)
        domain_build(module);
}
