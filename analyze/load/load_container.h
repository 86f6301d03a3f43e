/*
 * load_container.h - fill cgroup_container at the end of a load (private
 * to the loader).
 */
#ifndef LOAD_CONTAINER_H
#define LOAD_CONTAINER_H

#include <sqlite3.h>

#include "ms_err.h"

int load_containers(sqlite3 *db, struct ms_err *err);

#endif
