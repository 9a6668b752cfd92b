/*
 * monitor/hc_info.c: hypercalls that tell a guest about itself and the
 * monitor, and the console: version, console_io, vcpu_op.
 */
#include "abi.h"
#include "console.h"
#include "domain.h"
#include "elfnote.h"
#include "hypercall_table.h"
#include "rvlib.h"
#include "uaccess.h"

#ifndef RINGVISOR_BUILD_ID
#define RINGVISOR_BUILD_ID "ringvisor"
#endif

int32_t hc_version(struct domain *d, const uint32_t a[5])
{
    (void)d;
    switch (a[0]) {
    case RV_VERSION_ABI:
        return RV_ABI_VERSION;
    case RV_VERSION_FEATURES:
        return RV_FEATURES_SUPPORTED;
    case RV_VERSION_EXTRA: {
        char id[32] = { 0 };
        strlcpy(id, RINGVISOR_BUILD_ID, sizeof(id));
        return copy_to_guest(a[1], id, sizeof(id));
    }
    default:
        return -RV_ENOSYS;
    }
}

static int32_t console_write(struct domain *d, uint32_t count, uint32_t buf)
{
    char chunk[128];
    for (uint32_t done = 0; done < count;) {
        uint32_t n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
        if (copy_from_guest(chunk, buf + done, n))
            return -RV_EFAULT;
        console_guest_write(d, chunk, n);
        done += n;
    }
    return (int32_t)count;
}

/* Serial input belongs to the domain with the console focus (Ctrl-A n). */
static int32_t console_read_guest(struct domain *d, uint32_t count, uint32_t buf)
{
    char chunk[64];
    if (!guest_writable(buf, count))
        return -RV_EFAULT;
    uint32_t n = console_read(d, chunk, count < sizeof(chunk) ? count : sizeof(chunk));
    if (copy_to_guest(buf, chunk, n))
        return -RV_EFAULT; /* the bytes are lost, as on a UART overrun */
    return (int32_t)n;
}

int32_t hc_console_io(struct domain *d, const uint32_t a[5])
{
    if (a[1] > RV_CONSOLE_MAX)
        return -RV_E2BIG;
    switch (a[0]) {
    case RV_CONSOLE_WRITE:
        return console_write(d, a[1], a[2]);
    case RV_CONSOLE_READ:
        return console_read_guest(d, a[1], a[2]);
    default:
        return -RV_ENOSYS;
    }
}

static int32_t set_return_window(struct domain *d, uint32_t arg)
{
    struct rv_return_window w;
    if (copy_from_guest(&w, arg, sizeof(w)))
        return -RV_EFAULT;
    if (w.start > w.native || w.native > w.end || w.end > RV_HOLE_START)
        return -RV_EINVAL;
    d->ret_win = w;
    return 0;
}

int32_t hc_vcpu_op(struct domain *d, const uint32_t a[5])
{
    switch (a[0]) {
    case RV_VCPUOP_GET_STATS:
        return copy_to_guest(a[1], &d->stats, sizeof(d->stats));
    case RV_VCPUOP_SET_RETURN_WINDOW:
        return set_return_window(d, a[1]);
    default:
        return -RV_ENOSYS;
    }
}
