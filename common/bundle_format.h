/*
 * bundle_format.h - names and constants of the memsnap bundle (format 1).
 *
 * The normative description is docs/bundle-format.md; this header is its
 * single source in code, shared by the collector (writer) and the readers
 * (info, load).  Summary:
 *
 *   memsnap.header          first member: format, collector, options, start
 *   NNNNNN/host             host identity (sample 1, and again when it changed)
 *   NNNNNN/t0[.K]           every-tick files (system, cgroups, processes)
 *   NNNNNN/t1[.K]           smaps_rollup of every process (slow tier; smaps
 *                           where the kernel has no smaps_rollup)
 *   NNNNNN/t2[.K]           smaps + numa_maps of chosen processes (slowest)
 *   NNNNNN/meta             written last: the sample's commit record
 *   memsnap.trailer         written on a clean close only
 *
 * A sample is complete when its meta member is present.  Members other than
 * the header, meta and trailer are sequences of records (see record.h).
 */
#ifndef BUNDLE_FORMAT_H
#define BUNDLE_FORMAT_H

#define MS_BUNDLE_FORMAT 1            /* bumped on incompatible change */
#define MS_MEMBER_HEADER "memsnap.header"
#define MS_MEMBER_TRAILER "memsnap.trailer"
#define MS_TIERS 3                    /* t0, t1, t2 */

/* Members of a sample are named "%06u/<kind>"; wider numbers are valid. */
#define MS_SAMPLE_NAME_FMT "%06u/%s"

#endif
