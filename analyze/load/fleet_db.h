/*
 * fleet_db.h - one database for many hosts (`memsnap load --into DB`).
 *
 * A fleet database holds every table of the single-host schema
 * (the files in schema/) with a first column host_id, the key of its host in
 * fleet_host; each table's primary key and indexes are the single-host
 * ones with host_id in front.  The tables are derived from the embedded
 * schema when the database is created, so the schema files stay the one
 * owner of every column.  Views are not stored: fleet_db_select() makes,
 * on one connection, TEMP views named like the tables that show one host,
 * and the schema's views on top of them, so rules and queries written for
 * one host run unchanged (SQLite resolves an unqualified name in temp
 * first; a view of the main schema would see main's tables).
 *
 * A host is loaded into a single-host database first (the loader), then
 * copied in (fleet_db_add): one transaction that replaces the host's rows
 * when its key is there already.
 */
#ifndef FLEET_DB_H
#define FLEET_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"

#define FLEET_SCHEMA_VERSION 1

/* A host as the fleet database knows it. */
struct fleet_db_host {
	int64_t id;
	char *key;                /* its identity (host_group.h's key) */
	char *label;              /* unique in the database */
	char *hostname, *boot_id; /* NULL when the bundle did not say */
	char *source;             /* the inputs it was loaded from */
	int replaced;             /* fleet_db_add(): its key was there already */
};

/* 1 when DB is a fleet database (it has fleet_host), 0 otherwise. */
int fleet_db_is(sqlite3 *db);

/* Open PATH for adding hosts: created (private_file.h: 0600) with the
 * fleet schema when missing, under PATH.lock as a loader takes it; refused
 * when it is another kind of database or was made from other schema files
 * than this memsnap's. */
int fleet_db_open(const char *path, sqlite3 **db, struct ms_err *err);

/* Check a fleet database opened read-only against this memsnap's schema. */
int fleet_db_check(sqlite3 *db, struct ms_err *err);

/* Copy the single-host database HOST_DB into FLEET as host H (key, label
 * wanted, hostname, boot id, source); the rows of a host with the same key
 * are replaced.  H->id and H->label are set to what the database holds. */
int fleet_db_add(sqlite3 *fleet, const char *host_db, struct fleet_db_host *h,
		 struct ms_err *err);

/* The hosts of DB, by label. */
int fleet_db_hosts(sqlite3 *db, struct fleet_db_host **out, size_t *n, struct ms_err *err);
void fleet_db_hosts_release(struct fleet_db_host *h, size_t n);

/* The id of the host labelled LABEL (or whose host name is LABEL, when
 * only one has it); ENOENT naming the labels when none is. */
int fleet_db_host_id(sqlite3 *db, const char *label, int64_t *id, struct ms_err *err);

/* On connection DB (read-only is enough): TEMP views of host HOST_ID named
 * like the tables, and the schema's views over them. */
int fleet_db_select(sqlite3 *db, int64_t host_id, struct ms_err *err);

#endif
