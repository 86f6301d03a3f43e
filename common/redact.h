/*
 * redact.h - a bundle's members made fit to share: command lines cut, and
 * host, cgroup and user names replaced by pseudonyms.
 *
 * One redactor serves both places that redact: `memsnap redact` (a bundle
 * already taken, member by member as the reader gives them) and `collect
 * --redact` (each member before the bundle writer writes it).  What it
 * rewrites, and what it leaves (docs/security.md, "Redaction"):
 *
 *   memsnap.header     hostname; command (the collector's own command
 *                      line, cut as the others); a "redacted" line saying
 *                      what was done
 *   /proc/PID/cmdline  argv[0] only (up to its first NUL, and up to a
 *                      space in it: a process that rewrote its title,
 *                      "sshd: alice [priv]"), or nothing; whole for a
 *                      process whose name matches a KEEP pattern
 *   cgroup paths       every directory name below a cgroup mount, in the
 *                      records' paths and in /proc/PID/cgroup, except the
 *                      names every host has (redact_names.c)
 *   host names         /proc/sys/kernel/hostname, memsnap:uname nodename
 *   user names         "/home/NAME" in command lines, smaps and numa_maps
 *   NNNNNN/trigger     a recorder's trigger lines: the cgroup= path's names
 *                      mapped (the other fields are the recorder's words
 *                      and numbers); a line that is not one is left out
 *
 * Members must come in bundle order: the header first (its cgroup mounts
 * say which record paths are cgroups), and a process's stat before its
 * cmdline (the collector's order: the stat gives the process's name).
 * The meta and trailer members, and every record not named above, are
 * copied as they are (but for the offsets of a rewritten bundle); a member this format does not name is left out (it
 * may hold what the redactor cannot see).
 */
#ifndef REDACT_H
#define REDACT_H

#include <stddef.h>
#include <stdint.h>

#include "ms_buf.h"
#include "ms_err.h"

enum redact_cmdline { REDACT_CMDLINE_KEEP, REDACT_CMDLINE_ARGV0, REDACT_CMDLINE_NONE };

struct redact_opts {
	enum redact_cmdline cmdline;
	int names;                  /* host, cgroup and user names to pseudonyms */
	const char *const *keep;    /* shell patterns (fnmatch) of process names
				     * (comm) whose command lines stay whole */
	size_t nkeep;
};

struct redact_counts {
	uint64_t cmdlines;          /* command lines cut or removed */
	uint64_t names;             /* distinct names given a pseudonym */
};

struct redactor;

/* A redactor for O (copied; the KEEP patterns are borrowed), writing the
 * pseudonyms it makes to MAP_FD (-1: nowhere).  -1 with ERR. */
int redactor_new(struct redactor **out, const struct redact_opts *o, int map_fd,
		 struct ms_err *err);

/* Member NAME (DATA, LEN bytes) redacted into OUT (replacing it).
 * Returns 0; 1 when the member's record framing is damaged: OUT holds the
 * records before the damage, the rest is left out, and ERR says where;
 * 2 when the member is to be left out (a name the format does not know);
 * -1 with ERR on a failure (out of memory, the mapping not written). */
int redactor_member(struct redactor *r, const char *name, const char *data, size_t len,
		    struct ms_buf *out, struct ms_err *err);

/* The bundle is being rewritten, and BYTES are in the new file so far:
 * the next meta's offset (and the trailer's bytes_before_trailer) say so.
 * Without it (the collector, whose own counts are right) they are copied. */
void redactor_set_offset(struct redactor *r, uint64_t bytes);

struct redact_counts redactor_counts(const struct redactor *r);

/* The length of argv[0] in the command line T (N bytes): up to its first
 * NUL, and up to a space in it (a process that rewrote its title).  The
 * one rule, for the redactor and the collector's --redact-cmdline. */
size_t redact_argv0_len(const char *t, size_t n);

/* Where the mapping of the redacted bundle BUNDLE goes by default:
 * BUNDLE.map (malloc'd; NULL when out of memory). */
char *redact_map_path(const char *bundle);

void redactor_free(struct redactor *r);

#endif
