/*
 * monitor/scrub.c: a dead domain's frames are zeroed before any other
 * domain can have them, a chunk at a time.  Zeroing a large guest's memory
 * at once (128 MiB for a Linux guest) would hold the CPU with interrupts
 * off for seconds; the scheduler instead scrubs one chunk between two
 * picks (and while idle), so the other domains' timers stay on time.
 * Frames go back to the allocator as their chunk is done; a domain that is
 * to be restarted is rebuilt when its last chunk is.
 */
#include "scrub.h"
#include "console.h"
#include "domain.h"
#include "frame.h"
#include "mm.h"
#include "paging.h"

struct scrub {
    uint32_t mfn, left;   /* frames still dirty, from mfn up */
    int restart_module;   /* -1: none */
};

static struct scrub queue[MAX_DOMAINS * 2];
static unsigned nr_queued;

void scrub_add(uint32_t mfn, uint32_t n, int restart_module)
{
    if (nr_queued == sizeof(queue) / sizeof(queue[0]))
        panic("scrub queue full");
    queue[nr_queued++] = (struct scrub){ mfn, n, restart_module };
}

int scrub_pending(void)
{
    return nr_queued != 0;
}

void scrub_some(uint32_t max_frames, int (*stop)(void))
{
    if (!nr_queued)
        return;
    struct scrub *s = &queue[0];
    uint32_t n = s->left < max_frames ? s->left : max_frames, i;
    /* A frame at a time, and back to the scheduler as soon as a domain can
     * run: a domain woken from a short block must not wait for a chunk. */
    for (i = 0; i < n; i++) {
        zero_frame(s->mfn + i);
        if (stop && stop())
            break;
    }
    n = i < n ? i + 1 : n;
    mm_release(s->mfn, n);
    frames_free(s->mfn, n);
    s->mfn += n;
    s->left -= n;
    if (s->left)
        return;
    int module = s->restart_module;
    for (unsigned i = 1; i < nr_queued; i++)
        queue[i - 1] = queue[i];
    nr_queued--;
    if (module >= 0)
        domain_build(module);
}
