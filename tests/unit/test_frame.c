/* tests/unit/test_frame.c: the physical frame allocator (monitor/frame.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "frame.h"
#include "harness.h"

#define KB 1024ull
#define MB (1024ull * 1024)
#define GB (1024ull * MB)

TEST(frame_init, "after frames_init nothing is free and nothing can be allocated")
{
    frames_init();
    CHECK_EQ(frames_free_count(), 0);
    CHECK_EQ(frame_alloc_below(FRAME_MAX), 0);
    CHECK_EQ(frames_alloc_contig(1), 0);
    CHECK(!frame_is_free(1));
}

TEST(frame_add, "frames_add_free rounds inward and never frees frame 0")
{
    frames_init();
    frames_add_free(0, 640 * KB);
    CHECK_EQ(frames_free_count(), 159);          /* frames 1 .. 159 */
    CHECK(!frame_is_free(0));
    CHECK(frame_is_free(1));
    CHECK(frame_is_free(159));
    CHECK(!frame_is_free(160));

    frames_init();
    frames_add_free(0x1800, 0x5800);             /* partial frames 1 and 5 are not RAM we own */
    CHECK_EQ(frames_free_count(), 3);
    CHECK(!frame_is_free(1));
    CHECK(frame_is_free(2) && frame_is_free(3) && frame_is_free(4));
    CHECK(!frame_is_free(5));
    frames_add_free(0x2000, 0x5000);             /* again: the count does not grow */
    CHECK_EQ(frames_free_count(), 3);
    frames_add_free(0x7000, 0x7fff);             /* less than a frame */
    frames_add_free(0x9000, 0x8000);             /* empty */
    CHECK_EQ(frames_free_count(), 3);
}

TEST(frame_add_high, "ranges reaching past 4 GiB are clamped")
{
    frames_init();
    frames_add_free(4 * GB - 8 * KB, 4 * GB + MB);
    CHECK_EQ(frames_free_count(), 2);
    CHECK(frame_is_free(FRAME_MAX - 1));
    CHECK(!frame_is_free(FRAME_MAX));            /* out of range is never free */
    frames_add_free(8 * GB, 9 * GB);             /* wholly above: ignored */
    CHECK_EQ(frames_free_count(), 2);
    CHECK_EQ(frames_alloc_contig(2), FRAME_MAX - 2);
    CHECK_EQ(frames_free_count(), 0);
    frames_reserve(4 * GB, 5 * GB);              /* harmless */
    CHECK_EQ(frames_free_count(), 0);
}

TEST(frame_reserve, "frames_reserve rounds outward and keeps the count right")
{
    frames_init();
    frames_add_free(MB, 2 * MB);
    CHECK_EQ(frames_free_count(), 256);
    frames_reserve(MB + 0x800, MB + 0x1800);     /* touches frames 0x100 and 0x101 */
    CHECK(!frame_is_free(0x100) && !frame_is_free(0x101));
    CHECK(frame_is_free(0x102));
    CHECK_EQ(frames_free_count(), 254);
    frames_reserve(MB, MB + 0x1000);             /* already reserved: no change */
    CHECK_EQ(frames_free_count(), 254);
    frames_reserve(2 * MB - 1, 2 * MB);          /* one byte of the last frame */
    CHECK(!frame_is_free(0x1ff));
    CHECK_EQ(frames_free_count(), 253);
    frames_reserve(0, 0);
    CHECK_EQ(frames_free_count(), 253);
}

TEST(frame_below, "frame_alloc_below takes the lowest free frame under the limit")
{
    frames_init();
    frames_add_free(0, 64 * KB);                 /* frames 1 .. 15 */
    frames_add_free(MB, 2 * MB);
    CHECK_EQ(frame_alloc_below(0x200), 1);
    CHECK_EQ(frame_alloc_below(0x200), 2);
    CHECK(!frame_is_free(1) && !frame_is_free(2));
    for (uint32_t i = 3; i < 16; i++)
        CHECK_EQ(frame_alloc_below(0x200), i);
    CHECK_EQ(frame_alloc_below(0x100), 0);       /* nothing left below 1 MiB */
    CHECK_EQ(frame_alloc_below(0x101), 0x100);
    CHECK_EQ(frame_alloc_below(0x101), 0);
    CHECK_EQ(frame_alloc_below(0), 0);
    CHECK_EQ(frame_alloc_below(0xffffffffu), 0x101);   /* a limit above 4 GiB is fine */
    CHECK_EQ(frames_free_count(), 256 - 2);
}

TEST(frame_contig_highest, "frames_alloc_contig takes the highest run that fits")
{
    frames_init();
    frames_add_free(MB, 16 * MB);
    CHECK_EQ(frames_alloc_contig(16), 0x1000 - 16);
    CHECK_EQ(frames_alloc_contig(16), 0x1000 - 32);
    CHECK_EQ(frames_alloc_contig(1), 0x1000 - 33);
    CHECK_EQ(frames_free_count(), 0xf00 - 33);
    for (uint32_t m = 0x1000 - 33; m < 0x1000; m++)
        CHECK(!frame_is_free(m));

    /* A short run at the top is passed over for a lower one that fits. */
    frames_init();
    frames_add_free(MB, 2 * MB);                 /* 256 frames at 0x100 */
    frames_add_free(8 * MB, 8 * MB + 16 * KB);   /* 4 frames at 0x800 */
    CHECK_EQ(frames_alloc_contig(8), 0x200 - 8);
    CHECK_EQ(frames_alloc_contig(4), 0x800);
    CHECK_EQ(frames_alloc_contig(4), 0x200 - 12);
    CHECK_EQ(frames_alloc_contig(244), 0x100);   /* exactly what is left */
    CHECK_EQ(frames_free_count(), 0);
    CHECK_EQ(frames_alloc_contig(1), 0);
}

TEST(frame_contig_limits, "frames_alloc_contig of 0, of too many, and across word edges")
{
    frames_init();
    frames_add_free(0, 2 * MB);                  /* frames 1 .. 511 */
    CHECK_EQ(frames_alloc_contig(0), 0);
    CHECK_EQ(frames_alloc_contig(512), 0);       /* frame 0 is never part of a run */
    CHECK_EQ(frames_free_count(), 511);
    CHECK_EQ(frames_alloc_contig(0xffffffffu), 0);
    CHECK_EQ(frames_alloc_contig(511), 1);
    CHECK_EQ(frames_free_count(), 0);

    /* Free frames 31 .. 97: a run starting and ending inside 32-bit words. */
    frames_init();
    frames_add_free(31 * 4 * KB, 98 * 4 * KB);
    CHECK_EQ(frames_alloc_contig(68), 0);
    CHECK_EQ(frames_alloc_contig(67), 31);

    /* Two runs split by one used frame in the middle of a word. */
    frames_init();
    frames_add_free(64 * 4 * KB, 200 * 4 * KB);
    frames_reserve(130 * 4 * KB, 131 * 4 * KB);
    CHECK_EQ(frames_alloc_contig(70), 0);        /* 64..129 holds 66, 131..199 holds 69 */
    CHECK_EQ(frames_alloc_contig(67), 133);      /* the top of the upper run */
    CHECK_EQ(frames_alloc_contig(66), 64);
    CHECK_EQ(frames_alloc_contig(3), 0);
    CHECK_EQ(frames_alloc_contig(2), 131);
    CHECK_EQ(frames_free_count(), 0);
}

TEST(frame_free, "frames_free returns frames; double frees and frame 0 change nothing")
{
    uint32_t m;

    frames_init();
    frames_add_free(MB, 2 * MB);
    m = frames_alloc_contig(10);
    CHECK_EQ(frames_free_count(), 246);
    frames_free(m, 10);
    CHECK_EQ(frames_free_count(), 256);
    frames_free(m, 10);                          /* double free: ignored */
    CHECK_EQ(frames_free_count(), 256);
    frames_free(0, 1);                           /* frame 0 stays used */
    CHECK(!frame_is_free(0));
    CHECK_EQ(frames_free_count(), 256);
    frames_free(FRAME_MAX - 1, 10);              /* runs off the end: only the last frame */
    CHECK_EQ(frames_free_count(), 257);
    frames_free(0xfffffff0u, 0x20);              /* wraps: ignored */
    CHECK_EQ(frames_free_count(), 257);
    CHECK_EQ(frames_alloc_contig(1), FRAME_MAX - 1);
    CHECK_EQ(frames_alloc_contig(256), 0x100);   /* all back in one piece */
}

/* ---- randomized comparison with a plain byte-per-frame model ---- */

#define MODEL_FRAMES 4096

static uint32_t rng = 12345;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint32_t model_contig(const unsigned char *freed, uint32_t n)
{
    uint32_t run = 0;
    for (uint32_t m = MODEL_FRAMES; m-- > 1;) {
        run = freed[m] ? run + 1 : 0;
        if (run == n)
            return m;
    }
    return 0;
}

TEST(frame_model, "random add/reserve/alloc/free agree with a reference model")
{
    static unsigned char freed[MODEL_FRAMES];
    uint32_t nfree = 0, bad = 0;

    frames_init();
    memset(freed, 0, sizeof freed);
    for (int step = 0; step < 20000 && bad < 5; step++) {
        uint32_t a = next_rand() % MODEL_FRAMES, n = 1 + next_rand() % 200, got, want;
        uint32_t end = a + n < MODEL_FRAMES ? a + n : MODEL_FRAMES;

        switch (next_rand() % 5) {
        case 0:                                  /* add free RAM */
            frames_add_free((uint64_t)a << 12, (uint64_t)end << 12);
            for (uint32_t m = a ? a : 1; m < end; m++)
                freed[m] = 1;
            break;
        case 1:                                  /* reserve */
            frames_reserve((uint64_t)a << 12, (uint64_t)end << 12);
            for (uint32_t m = a; m < end; m++)
                freed[m] = 0;
            break;
        case 2:                                  /* one frame below a */
            got = frame_alloc_below(a);
            want = 0;
            for (uint32_t m = 1; m < a && !want; m++)
                if (freed[m])
                    want = m;
            freed[want] = 0;
            if (got != want && bad++ < 5)
                unit_fail(__FILE__, __LINE__, "step %d: alloc_below(%u) = %u, want %u", step, a, got, want);
            break;
        case 3:                                  /* a run */
            want = model_contig(freed, n);
            got = frames_alloc_contig(n);
            for (uint32_t m = want; want && m < want + n; m++)
                freed[m] = 0;
            if (got != want && bad++ < 5)
                unit_fail(__FILE__, __LINE__, "step %d: alloc_contig(%u) = %u, want %u", step, n, got, want);
            break;
        case 4:                                  /* free */
            frames_free(a, end - a);
            for (uint32_t m = a ? a : 1; m < end; m++)
                freed[m] = 1;
            break;
        }
        nfree = 0;
        for (uint32_t m = 0; m < MODEL_FRAMES; m++)
            nfree += freed[m];
        if (frames_free_count() != nfree && bad++ < 5)
            unit_fail(__FILE__, __LINE__, "step %d: free count %u, want %u", step, frames_free_count(), nfree);
    }
    for (uint32_t m = 0; m < MODEL_FRAMES; m++)
        if (frame_is_free(m) != freed[m] && bad++ < 5)
            unit_fail(__FILE__, __LINE__, "frame %u: free %d, want %d", m, frame_is_free(m), freed[m]);
    CHECK_EQ(bad, 0);
}

TEST(frame_contig_below, "frames_alloc_contig_below takes the lowest run under the limit")
{
    frames_init();
    frames_add_free(MB, 2 * MB);                 /* frames 0x100 - 0x1ff */
    frames_reserve(MB + 4 * KB, MB + 8 * KB);    /* 0x101 used: a run of 1 at 0x100 */
    CHECK_EQ(frames_alloc_contig_below(2, 0x200), 0x102);
    CHECK_EQ(frames_alloc_contig_below(1, 0x200), 0x100);
    CHECK_EQ(frames_alloc_contig_below(8, 0x10a), 0);      /* 0x104 + 8 > limit */
    CHECK_EQ(frames_alloc_contig_below(6, 0x10a), 0x104);
    CHECK_EQ(frames_alloc_contig_below(0, 0x200), 0);
    CHECK_EQ(frames_free_count(), 256 - 10);
}

TEST(frame_zeroed, "frames_free_zeroed marks frames known zero; every other way back clears the mark")
{
    frames_init();
    frames_add_free(MB, 2 * MB);                 /* frames 0x100 - 0x1ff */
    CHECK_EQ(frame_is_zeroed(0x100), 0);         /* boot memory: contents unknown */
    uint32_t m = frames_alloc_contig(16);
    CHECK_EQ(m, 0x1f0);
    frames_free_zeroed(m, 8);                    /* scrubbed: known zero */
    frames_free(m + 8, 8);                       /* freed any other way: not */
    CHECK_EQ(frame_is_zeroed(m), 1);
    CHECK_EQ(frame_is_zeroed(m + 7), 1);
    CHECK_EQ(frame_is_zeroed(m + 8), 0);
    CHECK_EQ(frames_free_count(), 256);
    frames_free_zeroed(m + 8, 8);                /* already free: a double free changes nothing */
    CHECK_EQ(frame_is_zeroed(m + 8), 0);
    CHECK_EQ(frames_alloc_contig(16), m);        /* the same run again */
    frames_free(m, 16);                          /* used and given back unscrubbed */
    CHECK_EQ(frame_is_zeroed(m), 0);
    frames_add_free(MB, 2 * MB);
    frames_reserve(MB, MB + 4 * KB);
    frames_free_zeroed(0x100, 1);
    frames_init();
    frames_add_free(MB, 2 * MB);                 /* a new boot map forgets every mark */
    CHECK_EQ(frame_is_zeroed(0x100), 0);
    CHECK_EQ(frame_is_zeroed(FRAME_MAX), 0);
}

TEST(frame_zeroed_run, "frames_zeroed_run counts frames alike, a word at a time or one by one")
{
    frames_init();
    frames_add_free(MB, 2 * MB);                 /* frames 0x100 - 0x1ff, none known zero */
    uint32_t m = frames_alloc_contig(256);
    CHECK_EQ(m, 0x100);
    frames_free_zeroed(0x100, 100);              /* 0x100 - 0x163 zero */
    frames_free(0x164, 156);
    CHECK_EQ(frames_zeroed_run(0x100, 256, 1), 100);
    CHECK_EQ(frames_zeroed_run(0x100, 50, 1), 50); /* stops at n */
    CHECK_EQ(frames_zeroed_run(0x100, 256, 0), 0);
    CHECK_EQ(frames_zeroed_run(0x164, 156, 0), 156);
    CHECK_EQ(frames_zeroed_run(0x164, 256, 0), 256); /* not known zero, free or not */
    CHECK_EQ(frames_zeroed_run(0x105, 90, 1), 90);
    CHECK_EQ(frames_zeroed_run(FRAME_MAX - 2, 10, 0), 2); /* stops at FRAME_MAX */
    CHECK_EQ(frames_zeroed_run(0x100, 0, 1), 0);
}
