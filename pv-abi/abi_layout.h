/* SPDX-License-Identifier: MIT */
/*
 * pv-abi/abi_layout.h: the size of every ABI structure and the offset and size
 * of every field, as the compiler must see them (i386, gcc -m32).  ABI.md
 * "Structure layouts" states the same numbers for a port without a C
 * compiler; tools/check-abi-doc.py checks the two against each other, and
 * any C file that includes ringvisor.h checks these against the structs.
 * A change here is an ABI change (a new major, or a field appended with a
 * new minor: see ABI.md "Versions").
 */
#ifndef RV_ABI_LAYOUT_H
#define RV_ABI_LAYOUT_H

#if defined(__i386__)
#define RV_SIZE(s, n) _Static_assert(sizeof(struct s) == (n), "sizeof(struct " #s ") == " #n)
#define RV_FIELD(s, f, off, n)                                                               \
    _Static_assert(__builtin_offsetof(struct s, f) == (off), #s "." #f " at offset " #off); \
    _Static_assert(sizeof(((struct s *)0)->f) == (n), #s "." #f " is " #n " bytes")
#define RV_FLEX(s, f, off) _Static_assert(__builtin_offsetof(struct s, f) == (off), #s "." #f " at offset " #off)

/* elfnote.h */
RV_SIZE(rv_elfnote_guest_info, 20);
RV_FIELD(rv_elfnote_guest_info, abi_version, 0, 4);
RV_FIELD(rv_elfnote_guest_info, entry, 4, 4);
RV_FIELD(rv_elfnote_guest_info, hypercall_page, 8, 4);
RV_FIELD(rv_elfnote_guest_info, features, 12, 4);
RV_FIELD(rv_elfnote_guest_info, min_mem_kb, 16, 4);
/* start_info.h */
RV_SIZE(rv_start_info, 1160);
RV_FIELD(rv_start_info, magic, 0, 16);
RV_FIELD(rv_start_info, abi_version, 16, 4);
RV_FIELD(rv_start_info, flags, 20, 4);
RV_FIELD(rv_start_info, domid, 24, 4);
RV_FIELD(rv_start_info, nr_pages, 28, 4);
RV_FIELD(rv_start_info, first_mfn, 32, 4);
RV_FIELD(rv_start_info, virt_base, 36, 4);
RV_FIELD(rv_start_info, nr_mapped, 40, 4);
RV_FIELD(rv_start_info, shared_info, 44, 4);
RV_FIELD(rv_start_info, pt_base, 48, 4);
RV_FIELD(rv_start_info, nr_pt_frames, 52, 4);
RV_FIELD(rv_start_info, image_end, 56, 4);
RV_FIELD(rv_start_info, free_start, 60, 4);
RV_FIELD(rv_start_info, stack_top, 64, 4);
RV_FIELD(rv_start_info, mod_start, 68, 4);
RV_FIELD(rv_start_info, mod_len, 72, 4);
RV_FIELD(rv_start_info, console_evtchn, 76, 4);
RV_FIELD(rv_start_info, reserved, 80, 56);
RV_FIELD(rv_start_info, cmdline, 136, 1024);
/* shared_info.h */
RV_SIZE(rv_arch_vcpu_info, 8);
RV_FIELD(rv_arch_vcpu_info, cr2, 0, 4);
RV_FIELD(rv_arch_vcpu_info, pad, 4, 4);
RV_SIZE(rv_vcpu_time_info, 32);
RV_FIELD(rv_vcpu_time_info, version, 0, 4);
RV_FIELD(rv_vcpu_time_info, pad0, 4, 4);
RV_FIELD(rv_vcpu_time_info, tsc_timestamp, 8, 8);
RV_FIELD(rv_vcpu_time_info, system_time, 16, 8);
RV_FIELD(rv_vcpu_time_info, tsc_to_system_mul, 24, 4);
RV_FIELD(rv_vcpu_time_info, tsc_shift, 28, 1);
RV_FIELD(rv_vcpu_time_info, pad1, 29, 3);
RV_SIZE(rv_vcpu_info, 48);
RV_FIELD(rv_vcpu_info, evtchn_upcall_pending, 0, 1);
RV_FIELD(rv_vcpu_info, evtchn_upcall_mask, 1, 1);
RV_FIELD(rv_vcpu_info, pad, 2, 2);
RV_FIELD(rv_vcpu_info, evtchn_pending_sel, 4, 4);
RV_FIELD(rv_vcpu_info, arch, 8, 8);
RV_FIELD(rv_vcpu_info, time, 16, 32);
RV_SIZE(rv_shared_info, 316);
RV_FIELD(rv_shared_info, vcpu_info, 0, 48);
RV_FIELD(rv_shared_info, evtchn_pending, 48, 128);
RV_FIELD(rv_shared_info, evtchn_mask, 176, 128);
RV_FIELD(rv_shared_info, wc_version, 304, 4);
RV_FIELD(rv_shared_info, wc_sec, 308, 4);
RV_FIELD(rv_shared_info, wc_nsec, 312, 4);
/* hypercall.h */
RV_SIZE(rv_trap_info, 8);
RV_FIELD(rv_trap_info, vector, 0, 1);
RV_FIELD(rv_trap_info, flags, 1, 1);
RV_FIELD(rv_trap_info, cs, 2, 2);
RV_FIELD(rv_trap_info, address, 4, 4);
RV_SIZE(rv_descriptor, 8);
RV_FIELD(rv_descriptor, low, 0, 4);
RV_FIELD(rv_descriptor, high, 4, 4);
RV_SIZE(rv_multicall_entry, 28);
RV_FIELD(rv_multicall_entry, op, 0, 4);
RV_FIELD(rv_multicall_entry, result, 4, 4);
RV_FIELD(rv_multicall_entry, args, 8, 20);
RV_SIZE(rv_vcpu_stats, 16);
RV_FIELD(rv_vcpu_stats, hypercalls, 0, 4);
RV_FIELD(rv_vcpu_stats, traps_bounced, 4, 4);
RV_FIELD(rv_vcpu_stats, emulated, 8, 4);
RV_FIELD(rv_vcpu_stats, schedules, 12, 4);
RV_SIZE(rv_return_window, 12);
RV_FIELD(rv_return_window, start, 0, 4);
RV_FIELD(rv_return_window, native, 4, 4);
RV_FIELD(rv_return_window, end, 8, 4);
/* memory.h */
RV_SIZE(rv_mmu_update, 16);
RV_FIELD(rv_mmu_update, ptr, 0, 8);
RV_FIELD(rv_mmu_update, val, 8, 8);
RV_SIZE(rv_mmuext_op, 8);
RV_FIELD(rv_mmuext_op, cmd, 0, 4);
RV_FIELD(rv_mmuext_op, arg, 4, 4);
RV_SIZE(rv_mem_stats, 20);
RV_FIELD(rv_mem_stats, nr_pages, 0, 4);
RV_FIELD(rv_mem_stats, pt_frames, 4, 4);
RV_FIELD(rv_mem_stats, pinned, 8, 4);
RV_FIELD(rv_mem_stats, writable, 12, 4);
RV_FIELD(rv_mem_stats, base_mfn, 16, 4);
/* event.h */
RV_SIZE(rv_evtchn_bind_virq, 8);
RV_FIELD(rv_evtchn_bind_virq, virq, 0, 4);
RV_FIELD(rv_evtchn_bind_virq, port, 4, 4);
RV_SIZE(rv_evtchn_alloc_unbound, 8);
RV_FIELD(rv_evtchn_alloc_unbound, remote_dom, 0, 4);
RV_FIELD(rv_evtchn_alloc_unbound, port, 4, 4);
RV_SIZE(rv_evtchn_bind_interdomain, 12);
RV_FIELD(rv_evtchn_bind_interdomain, remote_dom, 0, 4);
RV_FIELD(rv_evtchn_bind_interdomain, remote_port, 4, 4);
RV_FIELD(rv_evtchn_bind_interdomain, local_port, 8, 4);
RV_SIZE(rv_evtchn_status, 16);
RV_FIELD(rv_evtchn_status, port, 0, 4);
RV_FIELD(rv_evtchn_status, status, 4, 4);
RV_FIELD(rv_evtchn_status, remote_dom, 8, 4);
RV_FIELD(rv_evtchn_status, remote_port, 12, 4);
RV_SIZE(rv_sched_poll, 16);
RV_FIELD(rv_sched_poll, ports, 0, 4);
RV_FIELD(rv_sched_poll, nr_ports, 4, 4);
RV_FIELD(rv_sched_poll, timeout, 8, 8);
/* virtio.h */
RV_SIZE(rv_virtio_info, 40);
RV_FIELD(rv_virtio_info, device_id, 0, 4);
RV_FIELD(rv_virtio_info, vendor_id, 4, 4);
RV_FIELD(rv_virtio_info, num_queues, 8, 4);
RV_FIELD(rv_virtio_info, max_queue_size, 12, 4);
RV_FIELD(rv_virtio_info, evtchn, 16, 4);
RV_FIELD(rv_virtio_info, config_len, 20, 4);
RV_FIELD(rv_virtio_info, name, 24, 16);
RV_SIZE(rv_virtio_features, 8);
RV_FIELD(rv_virtio_features, sel, 0, 4);
RV_FIELD(rv_virtio_features, bits, 4, 4);
RV_SIZE(rv_virtio_config, 16);
RV_FIELD(rv_virtio_config, offset, 0, 4);
RV_FIELD(rv_virtio_config, len, 4, 4);
RV_FIELD(rv_virtio_config, value, 8, 8);
RV_SIZE(rv_virtio_queue, 32);
RV_FIELD(rv_virtio_queue, index, 0, 4);
RV_FIELD(rv_virtio_queue, size, 4, 4);
RV_FIELD(rv_virtio_queue, desc, 8, 8);
RV_FIELD(rv_virtio_queue, avail, 16, 8);
RV_FIELD(rv_virtio_queue, used, 24, 8);
RV_SIZE(rv_vring_desc, 16);
RV_FIELD(rv_vring_desc, addr, 0, 8);
RV_FIELD(rv_vring_desc, len, 8, 4);
RV_FIELD(rv_vring_desc, flags, 12, 2);
RV_FIELD(rv_vring_desc, next, 14, 2);
RV_SIZE(rv_vring_avail, 4);
RV_FIELD(rv_vring_avail, flags, 0, 2);
RV_FIELD(rv_vring_avail, idx, 2, 2);
RV_FLEX(rv_vring_avail, ring, 4);
RV_SIZE(rv_vring_used_elem, 8);
RV_FIELD(rv_vring_used_elem, id, 0, 4);
RV_FIELD(rv_vring_used_elem, len, 4, 4);
RV_SIZE(rv_vring_used, 4);
RV_FIELD(rv_vring_used, flags, 0, 2);
RV_FIELD(rv_vring_used, idx, 2, 2);
RV_FLEX(rv_vring_used, ring, 4);
RV_SIZE(rv_virtio_blk_config, 24);
RV_FIELD(rv_virtio_blk_config, capacity, 0, 8);
RV_FIELD(rv_virtio_blk_config, size_max, 8, 4);
RV_FIELD(rv_virtio_blk_config, seg_max, 12, 4);
RV_FIELD(rv_virtio_blk_config, cylinders, 16, 2);
RV_FIELD(rv_virtio_blk_config, heads, 18, 1);
RV_FIELD(rv_virtio_blk_config, sectors, 19, 1);
RV_FIELD(rv_virtio_blk_config, blk_size, 20, 4);
RV_SIZE(rv_virtio_blk_req, 16);
RV_FIELD(rv_virtio_blk_req, type, 0, 4);
RV_FIELD(rv_virtio_blk_req, reserved, 4, 4);
RV_FIELD(rv_virtio_blk_req, sector, 8, 8);
RV_SIZE(rv_virtio_console_config, 12);
RV_FIELD(rv_virtio_console_config, cols, 0, 2);
RV_FIELD(rv_virtio_console_config, rows, 2, 2);
RV_FIELD(rv_virtio_console_config, max_nr_ports, 4, 4);
RV_FIELD(rv_virtio_console_config, emerg_wr, 8, 4);
RV_SIZE(rv_virtio_net_config, 12);
RV_FIELD(rv_virtio_net_config, mac, 0, 6);
RV_FIELD(rv_virtio_net_config, status, 6, 2);
RV_FIELD(rv_virtio_net_config, max_virtqueue_pairs, 8, 2);
RV_FIELD(rv_virtio_net_config, mtu, 10, 2);
RV_SIZE(rv_virtio_net_hdr, 12);
RV_FIELD(rv_virtio_net_hdr, flags, 0, 1);
RV_FIELD(rv_virtio_net_hdr, gso_type, 1, 1);
RV_FIELD(rv_virtio_net_hdr, hdr_len, 2, 2);
RV_FIELD(rv_virtio_net_hdr, gso_size, 4, 2);
RV_FIELD(rv_virtio_net_hdr, csum_start, 6, 2);
RV_FIELD(rv_virtio_net_hdr, csum_offset, 8, 2);
RV_FIELD(rv_virtio_net_hdr, num_buffers, 10, 2);

/* domctl.h (1.6) */
RV_SIZE(rv_domctl_create, 32);
RV_FIELD(rv_domctl_create, image, 0, 4);
RV_FIELD(rv_domctl_create, image_len, 4, 4);
RV_FIELD(rv_domctl_create, initrd, 8, 4);
RV_FIELD(rv_domctl_create, initrd_len, 12, 4);
RV_FIELD(rv_domctl_create, options, 16, 4);
RV_FIELD(rv_domctl_create, options_len, 20, 4);
RV_FIELD(rv_domctl_create, reason, 24, 4);
RV_FIELD(rv_domctl_create, reason_len, 28, 4);
RV_SIZE(rv_domctl_info, 72);
RV_FIELD(rv_domctl_info, domid, 0, 4);
RV_FIELD(rv_domctl_info, state, 4, 4);
RV_FIELD(rv_domctl_info, flags, 8, 4);
RV_FIELD(rv_domctl_info, nr_pages, 12, 4);
RV_FIELD(rv_domctl_info, weight, 16, 4);
RV_FIELD(rv_domctl_info, cap, 20, 4);
RV_FIELD(rv_domctl_info, cpu_ns, 24, 8);
RV_FIELD(rv_domctl_info, hypercalls, 32, 4);
RV_FIELD(rv_domctl_info, traps, 36, 4);
RV_FIELD(rv_domctl_info, exit_reason, 40, 4);
RV_FIELD(rv_domctl_info, exit_code, 44, 4);
RV_FIELD(rv_domctl_info, name, 48, 24);
RV_SIZE(rv_domctl_console, 16);
RV_FIELD(rv_domctl_console, buf, 0, 4);
RV_FIELD(rv_domctl_console, len, 4, 4);
RV_FIELD(rv_domctl_console, lost, 8, 4);
RV_FIELD(rv_domctl_console, pending, 12, 4);
RV_SIZE(rv_domctl_physinfo, 16);
RV_FIELD(rv_domctl_physinfo, free_frames, 0, 4);
RV_FIELD(rv_domctl_physinfo, scrubbing, 4, 4);
RV_FIELD(rv_domctl_physinfo, nr_domains, 8, 4);
RV_FIELD(rv_domctl_physinfo, max_domains, 12, 4);

#undef RV_SIZE
#undef RV_FIELD
#undef RV_FLEX
#endif /* __i386__ */

#endif
