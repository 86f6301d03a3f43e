/*
 * ring.h - the recorder's directory: DIR/lock, DIR/ring-id, the ring of
 * segment bundles in DIR/ring/ and the incident bundles in
 * DIR/incidents/ (names: common/recording_format.h).
 *
 * Disk use is bounded by construction: before a segment is opened, the
 * oldest closed segments are deleted until the closed ones plus the new
 * segment's cap (SEG_CAP) fit in --max-disk, and a segment is rotated
 * before one more sample could pass SEG_CAP; segments older than
 * --max-age go too.  Incidents are capped in number and each in size.
 */
#ifndef RING_H
#define RING_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ms_buf.h"
#include "ms_err.h"

struct ring_file {
	char *name;               /* owned */
	unsigned long long seq;   /* segments: the sequence number */
	uint64_t size;
	time_t mtime;
	long mtime_ns;            /* its nanoseconds */
};

struct ring_files {
	struct ring_file *f;
	size_t n, alloc;
};

struct ring {
	char *dir;                /* owned copy of DIR */
	int dirfd, ringfd, incfd, lockfd;
	char ring_id[17];         /* 16 hex digits */
	unsigned long long next_seq;
};

/* Make DIR (and ring/, incidents/) if needed, take the lock (a second
 * recorder gets a one-line error naming the holder), read or create the
 * ring id, and find the next segment number.  Empty segment files (a
 * recorder killed between creating one and writing its header) are
 * removed; their names are put in REMOVED (one a line). */
int ring_open(struct ring *r, const char *dir, struct ms_buf *removed, struct ms_err *err);
void ring_close(struct ring *r);

/* The PID of the recorder holding DIR's lock: 1 and *PID, 0 when none. */
int ring_holder(const char *dir, int64_t *pid, struct ms_err *err);

/* The segments (sorted by sequence number) or the incidents (INCIDENTS;
 * sealed ones, oldest first: by the time they were last written) of the
 * directory. */
int ring_list(const struct ring *r, int incidents, struct ring_files *out, struct ms_err *err);
void ring_files_release(struct ring_files *l);

/*
 * Which of the closed segments L (oldest first) to delete so that the
 * rest plus RESERVE bytes fit in MAX_DISK and none is older than MAX_AGE_S
 * (0: no age limit) at NOW: sets DEL[i]; returns how many.  Pure.
 */
size_t ring_plan(const struct ring_files *l, uint64_t max_disk, uint64_t reserve,
		 uint64_t max_age_s, time_t now, unsigned char *del);

/* Create the next segment (O_EXCL, 0600): its fd, and its name in NAME. */
int ring_create_segment(struct ring *r, long long wall, struct ms_buf *name, struct ms_err *err);

/* Bytes in the filesystem of DIR available to us, or UINT64_MAX unknown. */
uint64_t ring_free_bytes(const struct ring *r);

#endif
