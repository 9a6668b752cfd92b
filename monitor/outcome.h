/* monitor/outcome.h: the run's outcome and the emulator's exit status (outcome.c). */
#ifndef MON_OUTCOME_H
#define MON_OUTCOME_H

struct domain;

#define OUTCOME_CODE_MAX 99  /* poweroff codes 1..98 as they are, the rest as 99 */
#define OUTCOME_KILLED 100
#define OUTCOME_CRASH 101
#define OUTCOME_REBOOT 102
#define OUTCOME_REFUSED 103
#define OUTCOME_NOTHING 104
#define OUTCOME_PANIC 120

void outcome_set_autoexit(int on);
void outcome_refused(int index);
void outcome_domain_end(const struct domain *d);   /* after its exit or kill line */
void outcome_nothing(void);
int outcome_failed(void);
__attribute__((noreturn)) void outcome_exit(int panicked);

#endif
