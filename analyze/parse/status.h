/*
 * status.h - parser for /proc/PID/status (one record per process).
 *
 * Numbers are int64, sizes converted from kB to bytes, and -1 when the
 * kernel did not print the line: RssAnon/RssFile/RssShmem appear in 4.5,
 * HugetlbPages in 4.x, VmPin in 3.2, and a process without an mm (a kernel
 * thread, a zombie) has no Vm* lines at all.  Strings are NULL when absent.
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.  The struct owns its strings: status_release() frees them.
 */
#ifndef STATUS_H
#define STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

struct proc_status {
	/* "Name:" as written (the kernel escapes '\n' and '\\' in it);
	 * malloc'd, owned; NULL when absent. */
	char *name;
	char state;              /* 'R', 'S', 'D', 'Z' ...; '\0' when absent */
	int64_t tgid, ppid;
	int64_t uid_real, uid_effective;
	int64_t threads;
	/* bytes */
	int64_t vm_peak, vm_size, vm_lck, vm_pin, vm_hwm, vm_rss;
	int64_t rss_anon, rss_file, rss_shmem;
	int64_t vm_data, vm_stk, vm_exe, vm_lib, vm_pte, vm_swap;
	int64_t hugetlb_pages;
	/* "0-3,8", "0": malloc'd, owned; NULL when absent */
	char *cpus_allowed_list;
	char *mems_allowed_list;
	int64_t voluntary_ctxt_switches, nonvoluntary_ctxt_switches;
};

/* Parse TEXT (LEN bytes) into *OUT, which is overwritten (release a reused
 * one first).  Unknown keys are ignored.  A line it cannot read (a kept
 * key's value not of its shape, a kept key a second time, a NUL byte) goes
 * to REP ("status:LINE: what") and costs that line: the field stays absent
 * (or keeps its first value).  Returns 0, or -1 with ERR set and *OUT
 * holding nothing to free: an empty or too large text, no memory, or REP
 * stopped the parse. */
int status_parse(const char *text, size_t len, struct proc_status *out,
		 const struct ms_report *rep, struct ms_err *err);

/* Free the strings of *ST and reset them to NULL (idempotent). */
void status_release(struct proc_status *st);

#endif
