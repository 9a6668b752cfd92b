/*
 * drivers/virtio.c: the virtio transport over the virtio_op hypercall
 * (pv-abi/virtio.h).  A domain's devices are numbered from 0; a device
 * number the domain does not have is -RV_ENOENT.
 */
#include "abi.h"
#include "domain.h"
#include "hypercall_table.h"

int32_t hc_virtio_op(struct domain *d, const uint32_t a[5])
{
    (void)d;
    (void)a;
    return -RV_ENOENT; /* no devices yet */
}
