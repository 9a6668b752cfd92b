/*
 * drivers/switch.c: a learning Ethernet switch (IEEE 802.1D's forwarding,
 * without spanning tree: the switch is the only bridge) connecting every
 * guest's virtio-net device, and the machine's NIC for the guests that
 * may use it.
 *
 * Each frame that comes in on a port teaches the switch that its source
 * address lives behind that port (the forwarding database, FDB).  A frame
 * to a group address (broadcast, multicast) or to an address not learned
 * yet is flooded to every other port; a frame to a learned address goes
 * to that port only; no frame ever goes back out of the port it came
 * in on.  Each port's own MAC (a guest device's, the NIC's) is known from
 * the start, like an administrator's static entry: frames for a guest
 * never flood, however full the FDB gets.  The uplink is a port like the others, except that frames pass
 * between it and a guest's port only when that guest asked for the
 * uplink (net=switch:uplink): the rest stay among the guests.
 *
 * A guest may send from any source address (a bridge inside it may
 * forward other machines' frames), but not from an address that belongs
 * to another port (a guest's own MAC, or the NIC's): such a frame is
 * refused, so one guest cannot steal another's traffic by teaching the
 * switch a lie.  Frames from a group source address are refused too.  A
 * port learns at most SW_LEARN_MAX addresses (past that its oldest makes
 * room), so a guest sending from made-up addresses cannot crowd the
 * others' out of the FDB and have their traffic flooded to it.
 *
 * Learned entries live FDB_AGE_NS without being seen (802.1D's default
 * ageing time, 300 s), and go at once when their port goes.  Everything
 * runs inside a hypercall or an interrupt, never preempted: a frame is
 * delivered to every port it goes to before switch_input returns.
 */
#include "switch.h"
#include "console.h"
#include "rvlib.h"
#include "time.h"

#define FDB_SIZE 512                  /* learned addresses, a power of two */
#define FDB_PROBE 8                   /* slots an address may sit in after its hash */
#define FDB_AGE_NS (300ull * 1000000000ull)
#define SW_LEARN_MAX 64               /* learned addresses per port */
#define ETH_HLEN 14

struct port {
    int used;
    unsigned flags;                   /* SW_UPLINK, SW_UPLINK_OK */
    uint8_t mac[6];                   /* the port's own address */
    sw_deliver_fn deliver;
    void *ctx;
    char name[SW_NAME_MAX];
    uint32_t learned;                 /* FDB entries behind it */
    struct sw_stats st;
};

struct fdb_entry {
    uint8_t mac[6];
    uint8_t valid;
    uint8_t port;
    uint64_t seen;                    /* ns, the last frame from it */
};

static struct port ports[SW_MAX_PORTS];
static struct fdb_entry fdb[FDB_SIZE];

static int is_group(const uint8_t *mac) { return mac[0] & 1; }  /* the I/G bit (802.3 3.2.3) */

static uint32_t fdb_hash(const uint8_t *mac)
{
    /* The low bytes differ most between the addresses of one site. */
    return ((uint32_t)mac[3] * 31u + (uint32_t)mac[4] * 131u + mac[5] * 7u + mac[2]) & (FDB_SIZE - 1);
}

static struct fdb_entry *fdb_find(const uint8_t *mac, uint64_t now)
{
    uint32_t h = fdb_hash(mac);
    for (uint32_t i = 0; i < FDB_PROBE; i++) {
        struct fdb_entry *e = &fdb[(h + i) & (FDB_SIZE - 1)];
        if (e->valid && memcmp(e->mac, mac, 6) == 0)
            return now - e->seen < FDB_AGE_NS ? e : 0;
    }
    return 0;
}

static int fdb_free(const struct fdb_entry *e, uint64_t now)
{
    return !e->valid || now - e->seen >= FDB_AGE_NS;
}

/* mac's entry (*found), else the slot to put it in: a free or aged one, else the oldest. */
static struct fdb_entry *fdb_slot(const uint8_t *mac, uint64_t now, int *found)
{
    uint32_t h = fdb_hash(mac);
    struct fdb_entry *slot = 0;
    *found = 0;
    for (uint32_t i = 0; i < FDB_PROBE; i++) {
        struct fdb_entry *e = &fdb[(h + i) & (FDB_SIZE - 1)];
        if (e->valid && memcmp(e->mac, mac, 6) == 0) {
            *found = 1;
            return e;
        }
        if (!slot || (fdb_free(e, now) && !fdb_free(slot, now)) ||
            (!fdb_free(slot, now) && e->seen < slot->seen))
            slot = e;
    }
    return slot;
}

static void fdb_drop(struct fdb_entry *e)
{
    ports[e->port].learned--;
    e->valid = 0;
}

/* The port's entry seen longest ago (it has some: its count is at the cap). */
static struct fdb_entry *fdb_oldest(int port)
{
    struct fdb_entry *old = 0;
    for (uint32_t i = 0; i < FDB_SIZE; i++)
        if (fdb[i].valid && fdb[i].port == port && (!old || fdb[i].seen < old->seen))
            old = &fdb[i];
    return old;
}

/* Remembers mac behind port (it may have moved from another). */
static void fdb_learn(const uint8_t *mac, int port, uint64_t now)
{
    int found;
    struct fdb_entry *e = fdb_slot(mac, now, &found);
    if (found && e->port == port) {
        e->seen = now;
        return;
    }
    struct fdb_entry *old = ports[port].learned >= SW_LEARN_MAX ? fdb_oldest(port) : 0;
    if (old)
        fdb_drop(old);
    if (e->valid)
        fdb_drop(e);   /* moved, aged, or the oldest of its window */
    memcpy(e->mac, mac, 6);
    e->valid = 1;
    e->port = (uint8_t)port;
    e->seen = now;
    ports[port].learned++;
}

static int port_of_mac(const uint8_t *mac)
{
    for (int p = 0; p < SW_MAX_PORTS; p++)
        if (ports[p].used && memcmp(ports[p].mac, mac, 6) == 0)
            return p;
    return -1;
}

int switch_attach(const char *name, const uint8_t mac[6], unsigned flags, sw_deliver_fn fn, void *ctx)
{
    for (int p = 0; p < SW_MAX_PORTS; p++) {
        if (ports[p].used)
            continue;
        ports[p] = (struct port){ .used = 1, .flags = flags, .deliver = fn, .ctx = ctx };
        memcpy(ports[p].mac, mac, 6);
        strlcpy(ports[p].name, name, sizeof(ports[p].name));
        return p;
    }
    return -1;
}

void switch_detach(int port)
{
    if (port < 0 || port >= SW_MAX_PORTS)
        return;
    for (uint32_t i = 0; i < FDB_SIZE; i++)
        if (fdb[i].valid && fdb[i].port == port)
            fdb_drop(&fdb[i]);
    ports[port].used = 0;
}

const struct sw_stats *switch_stats(int port)
{
    return &ports[port].st;
}

const char *switch_mac_user(const uint8_t mac[6])
{
    int p = port_of_mac(mac);
    return p < 0 ? 0 : ports[p].name;
}

/* Frames pass between the uplink and a guest only if the guest asked for it. */
static int may_pass(const struct port *from, const struct port *to)
{
    if ((from->flags | to->flags) & SW_UPLINK)
        return ((from->flags | to->flags) & SW_UPLINK_OK) != 0;
    return 1;
}

static void out(struct port *to, const uint8_t *frame, uint32_t len)
{
    if (to->deliver(to->ctx, frame, len) == 0) {
        to->st.out_frames++;
        to->st.out_bytes += len;
    } else {
        to->st.dropped++;
    }
}

void switch_input(int port, const uint8_t *frame, uint32_t len)
{
    struct port *from = &ports[port];
    const uint8_t *dst = frame, *src = frame + 6;
    uint64_t now = now_ns();
    int owner;
    from->st.in_frames++;
    from->st.in_bytes += len;
    if (len < ETH_HLEN || is_group(src) || ((owner = port_of_mac(src)) >= 0 && owner != port)) {
        from->st.refused++;
        return;
    }
    fdb_learn(src, port, now);
    int to = -1;
    if (!is_group(dst)) {
        const struct fdb_entry *e;
        if ((to = port_of_mac(dst)) < 0 && (e = fdb_find(dst, now)))
            to = e->port;
    }
    if (to >= 0) {
        if (to != port && may_pass(from, &ports[to]))
            out(&ports[to], frame, len);
        return;  /* to a station on its own segment: filtered, as a bridge does */
    }
    for (int p = 0; p < SW_MAX_PORTS; p++)
        if (p != port && ports[p].used && may_pass(from, &ports[p]))
            out(&ports[p], frame, len);
}

static void print_mac(const uint8_t *m)
{
    kprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

void switch_print(void)
{
    uint64_t now = now_ns();
    mlog("switch: port name                    mac               in frames    KiB  out frames    KiB "
         "dropped refused\n");
    for (int p = 0; p < SW_MAX_PORTS; p++) {
        const struct port *pt = &ports[p];
        if (!pt->used)
            continue;
        mlog("switch: %4d %-23s ", p, pt->name);
        print_mac(pt->mac);
        kprintf(" %10u %6u %10u %6u %7u %7u%s\n", (uint32_t)pt->st.in_frames, (uint32_t)(pt->st.in_bytes >> 10),
                (uint32_t)pt->st.out_frames, (uint32_t)(pt->st.out_bytes >> 10), pt->st.dropped, pt->st.refused,
                (pt->flags & SW_UPLINK) ? " (uplink)" : (pt->flags & SW_UPLINK_OK) ? " (may use the uplink)" : "");
    }
    for (uint32_t i = 0; i < FDB_SIZE; i++) {
        const struct fdb_entry *e = &fdb[i];
        if (!e->valid || now - e->seen >= FDB_AGE_NS)
            continue;
        mlog("switch: learned ");
        print_mac(e->mac);
        kprintf(" on port %u, last seen %u ms ago\n", e->port, (uint32_t)((now - e->seen) / 1000000u));
    }
}
