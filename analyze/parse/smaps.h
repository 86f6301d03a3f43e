/*
 * smaps.h - parser for /proc/PID/smaps (one record per mapping, VMA).
 *
 * Each VMA is a header line "start-end perms offset dev inode [path]"
 * followed by "Key:   N kB" lines, "THPeligible: 0|1" and "VmFlags: rd wr
 * ...".  smaps_parse() calls back once per VMA, in file order, with the
 * sizes converted to bytes.  Fields the kernel did not print are -1:
 * kernels differ (Pss_Dirty and KSM are 6.x additions, THPeligible 5.x,
 * VmFlags 3.8; Pss_Anon/Pss_File/Pss_Shmem only ever appear in
 * smaps_rollup).  Field order is not relied on (3.x printed KernelPageSize
 * after Swap).
 * Unknown "Key: ..." lines are ignored, so new kernel fields do not break
 * the parse.
 *
 * Pure: no I/O, no globals.  TEXT is borrowed and need not be
 * NUL-terminated.  The strings handed to the callback live in a buffer the
 * parser owns; they are valid until the callback returns (copy to keep).
 *
 * smaps_header_parse(), smaps_fields_init() and smaps_fields_slot() are
 * shared with smaps_rollup.c, whose totals use the same field set.
 */
#ifndef SMAPS_H
#define SMAPS_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

/* Per-VMA (or rolled-up) sizes in BYTES; -1 when the line was absent. */
struct smaps_fields {
	int64_t size;
	int64_t kernel_page_size;
	int64_t mmu_page_size;
	int64_t rss;
	int64_t pss;
	int64_t pss_dirty;
	int64_t pss_anon;        /* smaps_rollup only (5.x and later) */
	int64_t pss_file;        /* smaps_rollup only */
	int64_t pss_shmem;       /* smaps_rollup only */
	int64_t shared_clean;
	int64_t shared_dirty;
	int64_t private_clean;
	int64_t private_dirty;
	int64_t referenced;
	int64_t anonymous;
	int64_t ksm;
	int64_t lazy_free;
	int64_t anon_huge_pages;
	int64_t shmem_pmd_mapped;
	int64_t file_pmd_mapped;
	int64_t shared_hugetlb;
	int64_t private_hugetlb;
	int64_t swap;
	int64_t swap_pss;
	int64_t locked;
};

/* One mapping header line, as smaps_header_parse() reads it. */
struct smaps_header {
	uint64_t start, end;        /* end is exclusive */
	char perms[5];              /* "r-xp": [r-][w-][x-][sp], NUL-terminated */
	uint64_t offset;
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	const char *path;           /* borrowed span of the line, NOT NUL-terminated */
	size_t path_len;            /* 0 for an anonymous mapping */
};

struct smaps_vma {
	uint64_t start, end;        /* end is exclusive */
	char perms[5];
	uint64_t offset;
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	/* The pathname exactly as written after the padding: "" (anonymous),
	 * "/usr/lib/libc.so.6", "[heap]", "[stack]", "[vdso]", "[anon:name]",
	 * "/dev/zero (deleted)".  Spaces are literal; the kernel escapes only
	 * '\n' (as "\012") and not '\\', so no decoding is attempted.  Leading
	 * blanks of a name are lost to the column padding.  Parser-owned,
	 * NUL-terminated, valid during the callback. */
	const char *path;
	int deleted;                /* path ends in " (deleted)" */
	struct smaps_fields f;
	int thp_eligible;           /* THPeligible (5.x+): 0 or 1; -1 absent */
	/* VmFlags (3.8+) without surrounding blanks, e.g. "rd wr mr mw me ac";
	 * NULL when absent.  Parser-owned like path. */
	const char *vm_flags;
	int line;                   /* 1-based line of the header */
};

/* Return 0 to go on, -1 to stop (set ERR, or smaps_parse returns -1 with
 * whatever ERR holds). */
typedef int (*smaps_fn)(void *ctx, const struct smaps_vma *vma, struct ms_err *err);

/* Parse TEXT (LEN bytes; NULL allowed when LEN is 0) and call FN once per
 * VMA.  A line it cannot read goes to REP ("smaps:LINE: what") and costs
 * that line: a bad field line leaves its field absent (a repeated one
 * keeps the first value), a bad header loses its mapping (and the field
 * lines up to the next header).  Returns 0, or -1 with ERR set when FN or
 * REP stopped the parse, or the text is too large.  An empty text (a
 * kernel thread) is valid and yields no VMA. */
int smaps_parse(const char *text, size_t len, smaps_fn fn, void *ctx,
		const struct ms_report *rep, struct ms_err *err);

/* Parse one header line (LEN bytes, no newline) into *H.  Returns 0, or -1
 * (ERR untouched) when it is not "start-end perms offset major:minor inode
 * [path]"; the caller names file and line in its message. */
int smaps_header_parse(const char *line, size_t len, struct smaps_header *h);

/* Set every field to -1 (absent). */
void smaps_fields_init(struct smaps_fields *f);

/* The member of F for the smaps key KEY (KEY_LEN bytes, no ':'), e.g.
 * "Pss_Anon", or NULL when it is not one of the "N kB" fields above. */
int64_t *smaps_fields_slot(struct smaps_fields *f, const char *key, size_t key_len);

#endif
