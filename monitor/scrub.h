/* monitor/scrub.h: zeroing dead domains' frames in the background. */
#ifndef MON_SCRUB_H
#define MON_SCRUB_H
#include <stdint.h>
struct domain;
#define SCRUB_CHUNK 64 /* frames (256 KiB) at most between two scheduling decisions */
/* Queues d's frames (still allocated: nobody can take them until zeroed). */
void scrub_add(const struct domain *d, int restart_module);
/* Queues the nr_frames nonzero frames of list[0..n) (each freed once zeroed)
 * and then frees list_frames frames from list_mfn, where the list lives. */
void scrub_add_list(uint32_t *list, uint32_t n, uint32_t nr_frames, uint32_t list_mfn, uint32_t list_frames);
int scrub_pending(void);
/* 1 while a queued domain waits to restart: the scrub must finish first. */
int scrub_needed(void);
uint32_t scrub_frames_left(void);
/* Zeroes up to max_frames, stopping early when stop() says a domain can run. */
void scrub_some(uint32_t max_frames, int (*stop)(void));
#endif
