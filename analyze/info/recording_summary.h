/*
 * recording_summary.h - `memsnap info` on a recording: a recorder's
 * directory or several bundles of one host (common/recording.h).  Each
 * bundle is summarised in turn (bounded memory: one at a time), then the
 * recording: its span, samples, the gaps and overlaps between bundles,
 * every trigger, the incidents in the recorder's DIR/incidents, and one
 * line per bundle.
 */
#ifndef RECORDING_SUMMARY_H
#define RECORDING_SUMMARY_H

#include <stdio.h>

#include "bundle_reader.h"
#include "recording.h"

/* Print the summary; returns 0, or 1 when a bundle is corrupt or
 * unreadable (said in its line). */
int recording_summary_print(FILE *out, const struct recording *rec,
			    const struct bundle_limits *lim);

#endif
