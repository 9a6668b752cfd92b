/*
 * monitor/hc_mm.c: the memory hypercalls: mmu_update (batched page-table
 * writes), update_va_mapping (one entry, found by address, with a flush),
 * mmuext_op (pin, unpin, base pointer, TLB) and memory_op.  The rules
 * themselves are in mm.c; this file moves requests in and results out.
 */
#include "abi.h"
#include "domain.h"
#include "hypercall_table.h"
#include "memory.h"
#include "mm.h"
#include "uaccess.h"
#include "x86.h"

/* Runs count requests of size bytes each through one(), stopping at the
 * first failure; writes how many succeeded to *done_va when it is not 0. */
static int32_t batch(struct domain *d, uint32_t list, uint32_t count, uint32_t done_va, uint32_t size,
                     uint32_t max, int (*one)(struct domain *d, const void *req))
{
    uint8_t req[16];
    uint32_t i;
    int32_t rc = 0;
    if (count > max)
        return -RV_E2BIG;
    for (i = 0; i < count && rc == 0; i++) {
        rc = copy_from_guest(req, list + i * size, size);
        if (rc == 0)
            rc = one(d, req);
        if (rc)
            break;
    }
    if (done_va && copy_to_guest(done_va, &i, sizeof(i)))
        return -RV_EFAULT;
    return rc;
}

/*
 * mmu_update: as batch(), but the requests are copied in sixteen at a time
 * (a fault in a chunk falls back to one at a time, so the request reported
 * is still the one that faults), and the table a run of them writes stays
 * mapped through the call (mm.c).
 */
int32_t hc_mmu_update(struct domain *d, const uint32_t a[5])
{
    struct rv_mmu_update req[16];
    uint32_t list = a[0], count = a[1], done_va = a[2], i = 0;
    int32_t rc = 0;
    if (count > RV_MMU_UPDATE_MAX)
        return -RV_E2BIG;
    while (i < count && rc == 0) {
        uint32_t k = count - i < 16 ? count - i : 16;
        if (copy_from_guest(req, list + i * sizeof(*req), k * sizeof(*req))) {
            k = 1;
            if (copy_from_guest(req, list + i * sizeof(*req), sizeof(*req))) {
                rc = -RV_EFAULT;
                break;
            }
        }
        for (uint32_t j = 0; j < k; j++, i++) {
            d->mmu_entries++;       /* the profile: calls alone hide how big batches are */
            if ((rc = mm_update_entry(d, req[j].ptr, req[j].val)) != 0)
                break;
        }
    }
    mm_update_done();
    if (done_va && copy_to_guest(done_va, &i, sizeof(i)))
        return -RV_EFAULT;
    return rc;
}

static int one_ext(struct domain *d, const void *req)
{
    const struct rv_mmuext_op *op = req;
    if (op->cmd < sizeof(d->mmuext_count) / sizeof(d->mmuext_count[0]))
        d->mmuext_count[op->cmd]++;
    switch (op->cmd) {
    case RV_MMUEXT_PIN_L1_TABLE:
        return mm_pin(d, op->arg, PGT_L1);
    case RV_MMUEXT_PIN_L2_TABLE:
        return mm_pin(d, op->arg, PGT_L2);
    case RV_MMUEXT_PIN_L3_TABLE:
        return mm_pin(d, op->arg, PGT_L3);
    case RV_MMUEXT_UNPIN_TABLE:
        return mm_unpin(d, op->arg);
    case RV_MMUEXT_NEW_BASEPTR:
        return mm_new_base(d, op->arg);
    case RV_MMUEXT_TLB_FLUSH:
        mm_flush_tlb();
        return 0;
    case RV_MMUEXT_INVLPG:
        if (op->arg >= RV_HOLE_START)
            return -RV_EINVAL;
        invlpg(op->arg);
        return 0;
    default:
        return -RV_ENOSYS;
    }
}

int32_t hc_mmuext_op(struct domain *d, const uint32_t a[5])
{
    return batch(d, a[0], a[1], a[2], sizeof(struct rv_mmuext_op), RV_MMUEXT_MAX, one_ext);
}

int32_t hc_update_va_mapping(struct domain *d, const uint32_t a[5])
{
    uint32_t va = a[0], flags = a[3];
    if (flags > RV_UVMF_TLB_FLUSH)
        return -RV_EINVAL;
    int rc = mm_update_va(d, va, ((uint64_t)a[2] << 32) | a[1]);
    if (rc)
        return rc;
    if (flags == RV_UVMF_INVLPG)
        invlpg(va);
    else if (flags == RV_UVMF_TLB_FLUSH)
        mm_flush_tlb();
    return 0;
}

int32_t hc_memory_op(struct domain *d, const uint32_t a[5])
{
    struct rv_mem_stats st = { .nr_pages = d->nr_pages, .base_mfn = d->base_mfn };
    if (a[0] != RV_MEMOP_STATS)
        return -RV_ENOSYS;
    mm_count(d, &st.pt_frames, &st.pinned, &st.writable);
    return copy_to_guest(a[1], &st, sizeof(st));
}
