/* monitor/serial.h: COM1. */
#ifndef MON_SERIAL_H
#define MON_SERIAL_H
void serial_init(void);
void serial_putc(char c);
void serial_drain(void);
void serial_irq(void);
int serial_getc(void); /* -1 when nothing was received */
#endif
