/*
 * container_evidence.h - a finding about a cgroup, a process or a mapping
 * in a container says which: its pod UID, QoS class, container id and
 * runtime (schema/060-container.sql) as evidence, so every report format
 * shows them.
 */
#ifndef CONTAINER_EVIDENCE_H
#define CONTAINER_EVIDENCE_H

#include <sqlite3.h>

#include "finding.h"
#include "ms_err.h"

/* Add pod_uid, pod_qos, container_id, container_runtime (those known) to
 * the findings of L whose entity is in a container.  -1 on ENOMEM. */
int container_evidence(sqlite3 *db, struct finding_list *l, struct ms_err *err);

#endif
