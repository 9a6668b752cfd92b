/* monitor/serial.h: COM1. */
#ifndef MON_SERIAL_H
#define MON_SERIAL_H
void serial_init(void);
void serial_putc(char c);      /* '\n' goes out as CR LF */
void serial_putc_raw(char c);  /* as it is */
void serial_drain(void);
int serial_getc(void); /* a received byte, -1 when none is waiting */
#endif
