/* monitor/emulate.h: privileged instructions a ring-1 guest still executes. */
#ifndef MON_EMULATE_H
#define MON_EMULATE_H
struct domain;
struct trap_frame;
/* Called on #GP(0) from ring 1: 1 = emulated (or the domain was killed), 0 = not ours. */
int emulate_privileged(struct domain *d, struct trap_frame *f);
extern const char *const emul_names[];
/* The `trapped:` line: where its ring-1 #GP(0) traps came from (none: no line). */
void emulate_print_sites(struct domain *d);
#endif
