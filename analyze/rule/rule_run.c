/*
 * rule_run.c - the rule sandbox and the runner (see rule_run.h).
 *
 * Defence in depth, each layer enough on its own for writes:
 *  1. the database is opened SQLITE_OPEN_READONLY;
 *  2. the authorizer allows SELECT, READ, RECURSIVE and functions other
 *     than file or extension access, and denies every other action;
 *  3. extension loading is off, the connection is DEFENSIVE, untrusted
 *     schema objects run no functions, ATTACH is limited to 0 databases;
 *  4. a prepared rule must be sqlite3_stmt_readonly();
 *  5. no string or blob longer than RULE_MAX_LENGTH, and SQLite's heap is
 *     capped by the caller (sqlite3_hard_heap_limit64).
 * A progress handler stops a query at its deadline (SQLITE_INTERRUPT).
 *
 * Invariants: a rule that fails leaves the finding list as it was; errors
 * name the rule file and, where SQLite gives an offset, the line in it.
 */
#include "rule_run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats_sql.h"
#include "text_clean.h"

/* The columns that mean something to the engine, by role; the first six
 * are required (entity only when no entity column is returned), every
 * other column is evidence. */
enum role { C_ENTITY_KIND, C_ENTITY, C_T_START, C_T_END, C_VALUE, C_MESSAGE, C_SEVERITY,
	    C_VALUE_UNIT, C_PROCESS_ID, C_CGROUP_ID, C_NODE, C_ZONE, C_MAP_START, C_MAP_END, C_N };
#define N_REQUIRED 6
static const char *const fixed_cols[] = {
	"entity_kind", "entity", "t_start", "t_end", "value", "message", "severity", "value_unit",
};

/* Where each role's column is in the query (-1: not returned). */
struct layout {
	int col[C_N];
	int ncol;
};

static int authorize(void *ctx, int action, const char *a, const char *b, const char *db,
		     const char *trigger);
static int on_progress(void *ctx);
static int line_at(const struct rule *r, int offset);
static int only_comments(const char *s);
static int bind_params(sqlite3_stmt *st, const struct rule *r, struct ms_err *err);
static int take_row(sqlite3_stmt *st, const struct rule *r, const struct layout *lay,
		    struct finding *f, long row, struct ms_err *err);
static char *dup_col(sqlite3_stmt *st, int i);

static int authorize(void *ctx, int action, const char *a, const char *b, const char *db,
		     const char *trigger)
{
	struct rule_sandbox *sb = ctx;
	(void)db;
	(void)trigger;
	static const char *const banned_fn[] = {
		"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer",
	};
	const char *what;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		for (size_t i = 0; i < sizeof(banned_fn) / sizeof(*banned_fn); i++)
			if (b && !strcmp(b, banned_fn[i])) {
				if (!sb->denied[0])
					snprintf(sb->denied, sizeof(sb->denied),
						 "the function %s() is not allowed in rules", b);
				return SQLITE_DENY;
			}
		return SQLITE_OK;
	case SQLITE_INSERT: case SQLITE_UPDATE: case SQLITE_DELETE:
		/* a write to the schema table is how CREATE shows up first */
		what = a && (!strcmp(a, "sqlite_master") || !strcmp(a, "sqlite_temp_master"))
		       ? "changing the schema (CREATE, DROP, ALTER, temporary objects, virtual "
			 "tables such as the pragma_* functions)"
		       : "writing to a table";
		break;
	case SQLITE_ATTACH: what = "ATTACH"; break;
	case SQLITE_DETACH: what = "DETACH"; break;
	case SQLITE_PRAGMA: what = "PRAGMA"; break;
	case SQLITE_TRANSACTION: case SQLITE_SAVEPOINT: what = "a transaction"; break;
	default: what = "changing the database (CREATE, DROP, ALTER ...)"; break;
	}
	if (sb->denied[0])
		return SQLITE_DENY; /* the first refusal is the one to report */
	snprintf(sb->denied, sizeof(sb->denied), "%s%s%s is not allowed in rules", what,
		 action == SQLITE_PRAGMA && a ? " " : "", action == SQLITE_PRAGMA && a ? a : "");
	return SQLITE_DENY;
}

int rule_db_open(const char *path, struct rule_sandbox *sb, sqlite3 **out, struct ms_err *err)
{
	sqlite3 *db = NULL;
	memset(sb, 0, sizeof(*sb));
	*out = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ms_err_set(err, EIO, "'%s': %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return -1;
	}
	int off = 0;
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &off) != SQLITE_OK ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &off) != SQLITE_OK ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &off) != SQLITE_OK ||
	    ms_stats_register(db) != SQLITE_OK) {
		ms_err_set(err, EIO, "'%s': cannot set up the rule sandbox: %s", path,
			   sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, RULE_MAX_LENGTH);
	sqlite3_set_authorizer(db, authorize, sb);
	*out = db;
	return 0;
}

static int on_progress(void *ctx)
{
	struct rule_deadline *d = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > d->end.tv_sec || (now.tv_sec == d->end.tv_sec && now.tv_nsec >= d->end.tv_nsec))
		d->fired = 1;
	return d->fired;
}

void rule_deadline_start(sqlite3 *db, struct rule_deadline *d, double timeout_s)
{
	d->fired = 0;
	clock_gettime(CLOCK_MONOTONIC, &d->end);
	double whole = floor(timeout_s);
	d->end.tv_sec += (time_t)whole;
	d->end.tv_nsec += (long)((timeout_s - whole) * 1e9);
	if (d->end.tv_nsec >= 1000000000L) {
		d->end.tv_sec++;
		d->end.tv_nsec -= 1000000000L;
	}
	sqlite3_progress_handler(db, 1000, on_progress, d);
}

void rule_deadline_stop(sqlite3 *db)
{
	sqlite3_progress_handler(db, 0, NULL, NULL);
}

/* The line of the rule file that holds byte OFFSET of its query. */
static int line_at(const struct rule *r, int offset)
{
	int line = r->sql_line;
	for (int i = 0; i < offset && r->sql[i]; i++)
		line += r->sql[i] == '\n';
	return line;
}

/* Is S only blanks and SQL comments? */
static int only_comments(const char *s)
{
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == ';')
			s++;
		if (s[0] == '-' && s[1] == '-') {
			s = strchr(s, '\n');
			if (!s)
				return 1;
		} else if (s[0] == '/' && s[1] == '*') {
			s = strstr(s + 2, "*/");
			if (!s)
				return 1;
			s += 2;
		} else {
			return *s == '\0';
		}
	}
}

/* Bind every :name of the query to its parameter's value; every declared
 * parameter must be used, every used one declared. */
static int bind_params(sqlite3_stmt *st, const struct rule *r, struct ms_err *err)
{
	int n = sqlite3_bind_parameter_count(st);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		if (!name || name[0] != ':') {
			const char *at = name ? strstr(r->sql, name) : NULL;
			return ms_err_set(err, EINVAL, "%s:%d: use named parameters ':name'%s%s",
					  r->origin, line_at(r, at ? (int)(at - r->sql) : 0),
					  name ? ", not " : "", name ? name : "");
		}
		const struct rule_param *p = rule_find_param(r, name + 1, strlen(name + 1));
		if (!p) {
			const char *at = strstr(r->sql, name);
			return ms_err_set(err, EINVAL, "%s:%d: unknown parameter '%s' (declare it: "
					  "'-- param: %s = VALUE UNIT | description')", r->origin,
					  line_at(r, at ? (int)(at - r->sql) : 0), name, name + 1);
		}
		const char *v = p->value;
		int rc;
		if (v[0] == '\'') {
			size_t len = strlen(v);
			char *t = malloc(len);
			if (!t)
				return ms_err_set(err, ENOMEM, "out of memory");
			size_t k = 0;
			for (size_t j = 1; j + 1 < len; j++) {
				t[k++] = v[j];
				j += v[j] == '\'';
			}
			t[k] = '\0';
			rc = sqlite3_bind_text(st, i, t, (int)k, free);
		} else {
			char *end;
			errno = 0;
			long long ll = strtoll(v, &end, 10);
			if (*end == '\0' && errno == 0)
				rc = sqlite3_bind_int64(st, i, ll);
			else
				rc = sqlite3_bind_double(st, i, strtod(v, NULL));
		}
		if (rc != SQLITE_OK)
			return ms_err_set(err, EIO, "%s:%d: binding '%s': %s", r->origin, p->line,
					  name, sqlite3_errstr(rc));
	}
	for (size_t i = 0; i < r->nparams; i++) {
		char name[128];
		int w = snprintf(name, sizeof(name), ":%s", r->params[i].name);
		if (w < 0 || (size_t)w >= sizeof(name) || sqlite3_bind_parameter_index(st, name) == 0)
			return ms_err_set(err, EINVAL, "%s:%d: parameter '%s' is declared but the "
					  "query does not use :%s", r->origin, r->params[i].line,
					  r->params[i].name, r->params[i].name);
	}
	return 0;
}

/* Is NAME a column of the rule's query Q (or "severity" or "entity", which
 * every finding has)? */
static int is_column(sqlite3_stmt *q, const char *name)
{
	if (!strcmp(name, "severity") || !strcmp(name, "entity"))
		return 1;
	for (int i = 0; i < sqlite3_column_count(q); i++)
		if (!strcmp(sqlite3_column_name(q, i), name))
			return 1;
	return 0;
}

/* One SQL of a chart (KIND and NAME say which, LINE is its header line):
 * one read-only statement of NCOL columns whose parameters are columns of
 * the rule's query Q, prepared in the sandbox. */
static int check_chart_sql(sqlite3 *db, struct rule_sandbox *sb, const struct rule *r,
			   sqlite3_stmt *q, const char *sql, int ncol, int line, const char *kind,
			   const char *name, struct ms_err *err)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL, *msg = NULL, *bad = NULL;
	sb->denied[0] = '\0';
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
	if (rc != SQLITE_OK)
		msg = sb->denied[0] ? sb->denied : sqlite3_errmsg(db);
	else if (!st)
		msg = "the SQL is empty";
	else if (tail && !only_comments(tail))
		msg = "one SQL statement only";
	else if (!sqlite3_stmt_readonly(st))
		msg = "the SQL is not read-only";
	else if (sqlite3_column_count(st) != ncol)
		msg = ncol == 2 ? "a series returns two columns, t and y"
			       : "a ref returns one column, the value";
	for (int i = 1; !msg && i <= sqlite3_bind_parameter_count(st); i++) {
		bad = sqlite3_bind_parameter_name(st, i);
		if (!bad)
			bad = "?";
		if (bad[0] != ':')
			msg = "': use parameters ':name', the finding's columns";
		else if (!is_column(q, bad + 1))
			msg = "' is not a column of the rule's query (a chart's parameters are its finding's "
			      "columns)";
		else
			bad = NULL;
	}
	int ret = 0;
	if (msg)
		ret = ms_err_set(err, sb->denied[0] ? EPERM : EINVAL, "%s:%d: chart %s%s%s%s: %s%s%s",
				 r->origin, line, kind, name ? " '" : "", name ? name : "", name ? "'" : "",
				 bad ? "'" : "", bad ? bad : "", msg);
	sqlite3_finalize(st);
	return ret;
}

/* Every SQL of the rule's charts, against its query Q. */
static int check_charts(sqlite3 *db, struct rule_sandbox *sb, const struct rule *r, sqlite3_stmt *q,
			struct ms_err *err)
{
	static const char *const kinds[] = { "line", "dashed", "area", "ref" };
	for (size_t i = 0; i < r->charts.n; i++) {
		const struct rule_chart *c = &r->charts.c[i];
		if (c->when) {
			char *sql = sqlite3_mprintf("SELECT (%s\n)", c->when);
			if (!sql)
				return ms_err_set(err, ENOMEM, "out of memory");
			int rc = check_chart_sql(db, sb, r, q, sql, 1, c->when_line, "when", NULL, err);
			sqlite3_free(sql);
			if (rc < 0)
				return -1;
		}
		for (size_t k = 0; k < c->nseries; k++) {
			const struct rule_series *s = &c->series[k];
			if (check_chart_sql(db, sb, r, q, s->sql, s->kind == RULE_REF ? 1 : 2, s->line,
					    kinds[s->kind], s->name, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* A text column, without control characters: findings end on terminals. */
static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	char *s = t ? strdup((const char *)t) : NULL;
	text_clean(s, 1);
	return s;
}

/* The entity columns of the current row into F->subject. */
static int take_subject(sqlite3_stmt *st, const struct rule *r, const struct layout *lay,
			struct finding *f, long row, struct ms_err *err)
{
	struct finding_subject *sj = &f->subject;
	for (int k = C_PROCESS_ID; k < C_N; k++) {
		int c = lay->col[k];
		int type = c < 0 ? SQLITE_NULL : sqlite3_column_type(st, c);
		if (type == SQLITE_NULL)
			continue;
		/* an address above 2^63-1 is a REAL (docs/schema.md), exact: a
		 * multiple of 2048 */
		int addr = k == C_MAP_START || k == C_MAP_END;
		double d = sqlite3_column_double(st, c);
		int big = addr && type == SQLITE_FLOAT && d >= 9223372036854775808.0 &&
			  d < 18446744073709551616.0;
		if (type != (k == C_ZONE ? SQLITE_TEXT : SQLITE_INTEGER) && !big)
			return ms_err_set(err, EINVAL, "%s:%d: row %ld: '%s' must be %s", r->origin,
					  r->sql_line, row, finding_entity_columns[k - C_PROCESS_ID],
					  k == C_ZONE ? "text" : addr ? "an address" : "an integer");
		int64_t v = big ? (int64_t)(uint64_t)d : sqlite3_column_int64(st, c);
		switch (k) {
		case C_PROCESS_ID: sj->has_process = 1; sj->process_id = v; break;
		case C_CGROUP_ID: sj->has_cgroup = 1; sj->cgroup_id = v; break;
		case C_NODE: sj->has_node = 1; sj->node = v; break;
		case C_MAP_START: sj->has_mapping = 1; sj->mapping_start = (uint64_t)v; break;
		case C_MAP_END: sj->has_mapping = 1; sj->mapping_end = (uint64_t)v; break;
		default:
			if (!(sj->zone = dup_col(st, c)))
				return ms_err_set(err, ENOMEM, "out of memory");
		}
	}
	return 0;
}

/* The entity of the current row: the column, or left to finding_resolve()
 * when an entity column is given, or "system" for a system finding of a
 * query without the column. */
static int take_entity(sqlite3_stmt *st, const struct rule *r, const struct layout *lay,
		       struct finding *f, long row, struct ms_err *err)
{
	const struct finding_subject *sj = &f->subject;
	int c = lay->col[C_ENTITY];
	if (c >= 0 && sqlite3_column_type(st, c) != SQLITE_NULL)
		f->entity = dup_col(st, c);
	else if (sj->has_process || sj->has_cgroup || sj->has_node)
		return 0;
	else if (c < 0 && !strcmp(f->entity_kind, "system"))
		f->entity = strdup("system");
	else if (c >= 0)
		return ms_err_set(err, EINVAL, "%s:%d: row %ld: 'entity' is NULL", r->origin,
				  r->sql_line, row);
	else
		return ms_err_set(err, EINVAL, "%s:%d: row %ld: no entity: the query has no 'entity' "
				  "and process_id, cgroup_id and node are NULL", r->origin, r->sql_line,
				  row);
	return f->entity ? 0 : ms_err_set(err, ENOMEM, "out of memory");
}

/* Turn the current row into *F. */
static int take_row(sqlite3_stmt *st, const struct rule *r, const struct layout *lay,
		    struct finding *f, long row, struct ms_err *err)
{
	const int *col = lay->col;
	f->rule = r;
	f->severity = r->severity;
	for (size_t k = 0; k < N_REQUIRED; k++)
		if (k != C_VALUE && k != C_ENTITY && sqlite3_column_type(st, col[k]) == SQLITE_NULL)
			return ms_err_set(err, EINVAL, "%s:%d: row %ld: '%s' is NULL", r->origin,
					  r->sql_line, row, fixed_cols[k]);
	f->entity_kind = dup_col(st, col[C_ENTITY_KIND]);
	f->t_start = sqlite3_column_double(st, col[C_T_START]);
	f->t_end = sqlite3_column_double(st, col[C_T_END]);
	f->has_value = sqlite3_column_type(st, col[C_VALUE]) != SQLITE_NULL;
	f->value = sqlite3_column_double(st, col[C_VALUE]);
	const struct rule_column_unit *vu = rule_column_unit(r, "value");
	f->value_unit = vu ? &vu->u : NULL;
	int uc = col[C_VALUE_UNIT];
	if (uc >= 0 && sqlite3_column_type(st, uc) != SQLITE_NULL) {
		/* this row's value has a unit of its own */
		if (!(f->value_unit_name = dup_col(st, uc)))
			return ms_err_set(err, ENOMEM, "out of memory");
		if (rule_unit_parse(f->value_unit_name, 1, &f->own_value_unit) < 0)
			return ms_err_set(err, EINVAL, "%s:%d: row %ld: value_unit '%s': not a unit (%s; "
					  "1, epoch, text)", r->origin, r->sql_line, row,
					  f->value_unit_name, rule_unit_vocabulary());
	}
	f->message = dup_col(st, col[C_MESSAGE]);
	if (!f->entity_kind || !f->message)
		return ms_err_set(err, ENOMEM, "out of memory");
	if (take_subject(st, r, lay, f, row, err) < 0 || take_entity(st, r, lay, f, row, err) < 0)
		return -1;
	if (!isfinite(f->t_start) || !isfinite(f->t_end) || (f->has_value && !isfinite(f->value)))
		return ms_err_set(err, EINVAL, "%s:%d: row %ld: t_start, t_end and value must be "
				  "finite numbers", r->origin, r->sql_line, row);
	int sev_col = col[C_SEVERITY];
	if (sev_col >= 0 && sqlite3_column_type(st, sev_col) != SQLITE_NULL) {
		const char *s = (const char *)sqlite3_column_text(st, sev_col);
		int sev = s ? rule_severity_parse(s, strlen(s)) : -1;
		if (sev < 0)
			return ms_err_set(err, EINVAL, "%s:%d: row %ld: severity '%s': expected info, "
					  "warning or critical", r->origin, r->sql_line, row, s ? s : "");
		f->severity = (enum rule_severity)sev;
	}
	f->ev = calloc((size_t)lay->ncol, sizeof(*f->ev));
	if (!f->ev && lay->ncol)
		return ms_err_set(err, ENOMEM, "out of memory");
	for (int i = 0; i < lay->ncol; i++) {
		int is_fixed = 0;
		for (int k = 0; k < C_N; k++)
			is_fixed |= col[k] == i;
		if (is_fixed)
			continue;
		struct evidence *e = &f->ev[f->nev++];
		e->name = strdup(sqlite3_column_name(st, i));
		if (!e->name)
			return ms_err_set(err, ENOMEM, "out of memory");
		const struct rule_column_unit *cu = rule_column_unit(r, e->name);
		e->unit = cu ? &cu->u : NULL;
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			e->type = EV_INT;
			e->i = sqlite3_column_int64(st, i);
			break;
		case SQLITE_FLOAT:
			e->r = sqlite3_column_double(st, i);
			e->type = isfinite(e->r) ? EV_REAL : EV_NULL;
			break;
		case SQLITE_NULL:
			e->type = EV_NULL;
			break;
		default:
			e->type = EV_TEXT;
			e->text = dup_col(st, i);
			if (!e->text)
				return ms_err_set(err, ENOMEM, "out of memory");
		}
	}
	return 0;
}

/* Which column of ST plays which role, checked: the required ones there,
 * names distinct, every unit: declaration naming value or an evidence
 * column. */
static int find_layout(sqlite3_stmt *st, const struct rule *r, struct layout *lay,
		       struct ms_err *err)
{
	lay->ncol = sqlite3_column_count(st);
	int has_entity_col = 0;
	for (int k = 0; k < C_N; k++) {
		const char *name = k < C_PROCESS_ID ? fixed_cols[k] : finding_entity_columns[k - C_PROCESS_ID];
		lay->col[k] = -1;
		for (int i = 0; i < lay->ncol; i++)
			if (!strcmp(sqlite3_column_name(st, i), name))
				lay->col[k] = i;
		has_entity_col |= k >= C_PROCESS_ID && k != C_ZONE && lay->col[k] >= 0;
	}
	for (size_t k = 0; k < N_REQUIRED; k++)
		if (lay->col[k] < 0 && !(k == C_ENTITY && has_entity_col))
			return ms_err_set(err, EINVAL, "%s:%d: the query has no column '%s' (a rule returns "
					  "entity_kind, entity, t_start, t_end, value, message)", r->origin,
					  r->sql_line, fixed_cols[k]);
	for (int i = 0; i < lay->ncol; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(sqlite3_column_name(st, i), sqlite3_column_name(st, j)))
				return ms_err_set(err, EINVAL, "%s:%d: two columns are named '%s'", r->origin,
						  r->sql_line, sqlite3_column_name(st, i));
	for (size_t u = 0; u < r->nunits; u++) {
		int found = 0;
		for (int i = 0; i < lay->ncol && !found; i++) {
			int fixed = 0;
			for (int k = 0; k < C_N; k++)
				fixed |= k != C_VALUE && lay->col[k] == i;
			found = !fixed && !strcmp(sqlite3_column_name(st, i), r->units[u].column);
		}
		if (!found)
			return ms_err_set(err, EINVAL, "%s:%d: unit: '%s' is not value or an evidence "
					  "column of the query", r->origin, r->units[u].line,
					  r->units[u].column);
	}
	return 0;
}

int rule_run(sqlite3 *db, struct rule_sandbox *sb, const struct rule *r, double timeout_s,
	     struct finding_list *out, struct ms_err *err)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	size_t before = out->n;
	sb->denied[0] = '\0';
	int rc = sqlite3_prepare_v2(db, r->sql, -1, &st, &tail);
	if (rc != SQLITE_OK) {
		int off = sqlite3_error_offset(db);
		if (off < 0) {
			/* "no such table: X" and the like carry no offset: find X */
			const char *m = strrchr(sqlite3_errmsg(db), ':');
			const char *at = m && m[1] == ' ' && m[2] ? strstr(r->sql, m + 2) : NULL;
			off = at ? (int)(at - r->sql) : -1;
		}
		if (sb->denied[0])
			ms_err_set(err, EPERM, "%s:%d: %s", r->origin, r->sql_line, sb->denied);
		else
			ms_err_set(err, EINVAL, "%s:%d: %s", r->origin, line_at(r, off < 0 ? 0 : off),
				   sqlite3_errmsg(db));
		return -1;
	}
	if (!st)
		return ms_err_set(err, EINVAL, "%s:%d: the query is empty", r->origin, r->sql_line);
	int ret = -1;
	if (tail && !only_comments(tail)) {
		while (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r')
			tail++;
		ms_err_set(err, EINVAL, "%s:%d: a rule holds one SQL statement; more follows",
			   r->origin, line_at(r, (int)(tail - r->sql)));
		goto out;
	}
	if (!sqlite3_stmt_readonly(st)) {
		ms_err_set(err, EPERM, "%s:%d: the query is not read-only", r->origin, r->sql_line);
		goto out;
	}
	struct layout lay;
	if (find_layout(st, r, &lay, err) < 0)
		goto out;
	if (bind_params(st, r, err) < 0 || check_charts(db, sb, r, st, err) < 0)
		goto out;

	struct rule_deadline d;
	rule_deadline_start(db, &d, timeout_s);
	long row = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++row > RULE_MAX_FINDINGS) {
			ms_err_set(err, E2BIG, "%s:%d: more than %d findings: refine the query",
				   r->origin, r->sql_line, RULE_MAX_FINDINGS);
			break;
		}
		struct finding *f = finding_list_add(out);
		if (!f) {
			ms_err_set(err, ENOMEM, "out of memory");
			break;
		}
		if (take_row(st, r, &lay, f, row, err) < 0)
			break;
	}
	rule_deadline_stop(db);
	if (rc == SQLITE_DONE)
		ret = 0;
	else if (rc != SQLITE_ROW && d.fired)
		ms_err_set(err, ETIMEDOUT, "%s:%d: stopped after %.0f s (the rule time limit, "
			   "--rule-timeout)", r->origin, r->sql_line, timeout_s);
	else if (rc != SQLITE_ROW)
		ms_err_set(err, EINVAL, "%s:%d: %s", r->origin, r->sql_line,
			   sb->denied[0] ? sb->denied : sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	if (ret < 0) {
		finding_list_truncate(out, before); /* drop what the failed rule returned */
	}
	return ret;
}
