/*
 * tests/unit/test_lock.c: monitor/lock.h's spinlock, on the host's
 * threads (the same XCHG and PAUSE the monitor runs): a counter that four
 * threads increment under the lock with a plain read-modify-write ends
 * exactly at the sum, which a lost update would break.
 */
#include <pthread.h>
#include <stdint.h>
#include "lock.h"
#include "harness.h"

#define THREADS 4
#define ROUNDS 200000

static spinlock_t lock = SPINLOCK_INIT;
static volatile uint32_t counter;

static void *bump(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        spin_lock(&lock);
        uint32_t v = counter; /* read, then write: not atomic by itself */
        counter = v + 1;
        spin_unlock(&lock);
    }
    return 0;
}

TEST(spinlock_trylock, "spinlock: trylock takes a free lock once, unlock frees it")
{
    spinlock_t l = SPINLOCK_INIT;
    CHECK(spin_trylock(&l));
    CHECK(!spin_trylock(&l));
    spin_unlock(&l);
    CHECK(spin_trylock(&l));
    spin_unlock(&l);
    CHECK_EQ(l.word, 0);
}

TEST(spinlock_threads, "spinlock: 4 threads x 200000 locked increments lose none")
{
    pthread_t t[THREADS];
    counter = 0;
    for (int i = 0; i < THREADS; i++)
        CHECK_EQ(pthread_create(&t[i], 0, bump, 0), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], 0);
    CHECK_EQ(counter, (uint32_t)THREADS * ROUNDS);
    CHECK_EQ(lock.word, 0);
}
