/* monitor/irq.h: the 8259 PICs, the 8254 PIT, and hardware interrupt dispatch. */
#ifndef MON_IRQ_H
#define MON_IRQ_H
#include <stdint.h>
#define TIMER_HZ 100
void irq_init(void);
void irq_dispatch(unsigned irq);
extern volatile uint64_t ticks;  /* timer interrupts since boot */
#endif
