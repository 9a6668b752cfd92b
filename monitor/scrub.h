/* monitor/scrub.h: zeroing dead domains' frames in the background. */
#ifndef MON_SCRUB_H
#define MON_SCRUB_H
#include <stdint.h>
#define SCRUB_CHUNK 64 /* frames (256 KiB, ~2-3 ms on TCG) between two scheduling decisions */
void scrub_add(uint32_t mfn, uint32_t n, int restart_module);
int scrub_pending(void);
/* Zeroes up to max_frames, stopping early when stop() says a domain can run. */
void scrub_some(uint32_t max_frames, int (*stop)(void));
#endif
