/*
 * fleet.c - findings grouped across hosts (see fleet.h).
 */
#include "fleet.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "text_clean.h"

/* The end of "PID (" at the start of S, or NULL. */
static const char *after_pid(const char *s)
{
	const char *p = s;
	while (isdigit((unsigned char)*p))
		p++;
	return p > s && p[0] == ' ' && p[1] == '(' ? p + 2 : NULL;
}

/* Whether P starts "HEX-HEX " (a mapping's address range). */
static size_t range_len(const char *p)
{
	const char *q = p;
	while (isxdigit((unsigned char)*q))
		q++;
	if (q == p || *q++ != '-')
		return 0;
	const char *r = q;
	while (isxdigit((unsigned char)*q))
		q++;
	return q > r && *q == ' ' ? (size_t)(q + 1 - p) : 0;
}

static char *join(const char *a, size_t an, const char *b)
{
	size_t bn = b ? strlen(b) : 0;
	char *s = malloc(an + bn + 2);
	if (!s)
		return NULL;
	memcpy(s, a, an);
	if (b) {
		s[an] = ' ';
		memcpy(s + an + 1, b, bn);
		an += bn + 1;
	}
	s[an] = '\0';
	return s;
}

/* A mapping's entity "PID (COMM) START-END PATH": PATH, and COMM's length
 * in *N; NULL when it has not that shape (the comm ends at the last ") "
 * that an address range follows: a comm may hold ") "). */
static const char *mapping_path(const char *e, size_t *n)
{
	const char *comm = after_pid(e);
	for (const char *p = comm ? comm + strlen(comm) : NULL; p && p-- > comm;) {
		size_t r;
		if (p[0] == ')' && p[1] == ' ' && (r = range_len(p + 2))) {
			*n = (size_t)(p - comm);
			return p + 2 + r;
		}
	}
	return NULL;
}

/* What stays the same from host to host: a process's program name, a
 * mapping's program name and path, a cgroup's path (from the finding's
 * subject, else from its entity's text: "PID (COMM)", "PID (COMM)
 * START-END PATH"); anything else is its entity. */
char *finding_identity(const struct finding *f)
{
	const struct finding_subject *sj = &f->subject;
	const char *e = f->entity ? f->entity : "", *comm = after_pid(e), *path;
	int process = !strcmp(f->entity_kind, "process"), mapping = !strcmp(f->entity_kind, "mapping");
	size_t n = 0;
	if (!strcmp(f->entity_kind, "cgroup") && sj->has_cgroup && sj->cgroup)
		return strdup(sj->cgroup);
	path = mapping ? mapping_path(e, &n) : NULL;
	if ((process || mapping) && sj->has_process && sj->comm)
		return join(sj->comm, strlen(sj->comm), path);
	if (path)
		return join(comm, n, path);
	if (comm && process && (n = strlen(comm)) && comm[n - 1] == ')')
		return join(comm, n - 1, NULL);
	return strdup(e);
}

struct item {
	const struct finding *f;
	size_t host;
	char *identity;
};

static int cmp_item(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c = strcmp(a->f->rule->id, b->f->rule->id);
	if (!c)
		c = strcmp(a->f->entity_kind, b->f->entity_kind);
	if (!c)
		c = strcmp(a->identity, b->identity);
	return c ? c : a->host < b->host ? -1 : a->host > b->host;
}

static int same_group(const struct item *a, const struct item *b)
{
	return !strcmp(a->f->rule->id, b->f->rule->id) && !strcmp(a->f->entity_kind, b->f->entity_kind) &&
	       !strcmp(a->identity, b->identity);
}

static int cmp_group(const void *pa, const void *pb)
{
	const struct fleet_group *a = pa, *b = pb;
	if (a->worst != b->worst)
		return a->worst > b->worst ? -1 : 1;
	if (a->nhosts != b->nhosts)
		return a->nhosts > b->nhosts ? -1 : 1;
	int c = strcmp(a->rule->id, b->rule->id);
	if (!c)
		c = strcmp(a->entity_kind, b->entity_kind);
	return c ? c : strcmp(a->identity, b->identity);
}

/* The group of items IT[0..N) (sorted, so hosts ascend). */
static int make_group(struct fleet_group *g, struct item *it, size_t n)
{
	memset(g, 0, sizeof(*g));
	g->rule = it[0].f->rule;
	g->entity_kind = it[0].f->entity_kind;
	g->identity = it[0].identity;
	it[0].identity = NULL;
	g->worst = it[0].f->severity;
	g->onset_first = g->onset_last = it[0].f->t_start;
	g->findings = n;
	g->hosts = malloc(n * sizeof(*g->hosts));
	g->worst_on = malloc(n * sizeof(*g->worst_on));
	if (!g->hosts || !g->worst_on)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct finding *x = it[i].f;
		if (x->severity > g->worst)
			g->worst = x->severity;
		if (x->t_start < g->onset_first)
			g->onset_first = x->t_start;
		if (x->t_start > g->onset_last)
			g->onset_last = x->t_start;
		if (!g->nhosts || g->hosts[g->nhosts - 1] != it[i].host) {
			g->hosts[g->nhosts] = it[i].host;
			g->worst_on[g->nhosts++] = x->severity;
		} else if (x->severity > g->worst_on[g->nhosts - 1]) {
			g->worst_on[g->nhosts - 1] = x->severity;
		}
	}
	return 0;
}

int fleet_group(struct fleet *f, struct ms_err *err)
{
	size_t n = fleet_findings(f, -1), k = 0;
	struct item *it = calloc(n ? n : 1, sizeof(*it));
	int rc = it ? 0 : -1;
	for (size_t h = 0; rc == 0 && h < f->n; h++)
		for (size_t i = 0; rc == 0 && f->h[h].ran && i < f->h[h].a.findings.n; i++) {
			struct item *x = &it[k++];
			x->f = &f->h[h].a.findings.f[i];
			x->host = h;
			rc = (x->identity = finding_identity(x->f)) ? 0 : -1;
		}
	if (rc == 0)
		qsort(it, k, sizeof(*it), cmp_item);
	for (size_t i = 0, j; rc == 0 && i < k; i = j) {
		for (j = i + 1; j < k && same_group(&it[i], &it[j]); j++)
			;
		struct fleet_group *ng = realloc(f->g, (f->ng + 1) * sizeof(*ng));
		if (!ng) {
			rc = -1;
			break;
		}
		f->g = ng;
		rc = make_group(&f->g[f->ng++], &it[i], j - i);
	}
	for (size_t i = 0; it && i < k; i++)
		free(it[i].identity);
	free(it);
	if (rc < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	if (f->ng > 1)
		qsort(f->g, f->ng, sizeof(*f->g), cmp_group);
	return 0;
}

/* Per process, the first and the last sample with a value; the largest
 * difference (ties: the lowest PID). */
static const char growth_sql[] =
	"WITH s AS (SELECT process_id, pid, comm, t, anon_total_bytes,"
	"  row_number() OVER (PARTITION BY process_id ORDER BY sample) AS a,"
	"  row_number() OVER (PARTITION BY process_id ORDER BY sample DESC) AS z"
	" FROM proc_series WHERE anon_total_bytes IS NOT NULL)"
	" SELECT f.pid, f.comm, l.anon_total_bytes - f.anon_total_bytes AS growth, f.t, l.t,"
	"  CASE WHEN l.anon_total_bytes >= f.anon_total_bytes THEN '+' ELSE '' END"
	"  || fmt_bytes(l.anon_total_bytes - f.anon_total_bytes, 1, 1)"
	" FROM s f JOIN s l ON l.process_id = f.process_id AND l.z = 1"
	" WHERE f.a = 1 AND l.a > 1 ORDER BY growth DESC, f.pid LIMIT 1";

int fleet_growth_query(sqlite3 *db, struct fleet_growth *g, struct ms_err *err)
{
	sqlite3_stmt *st;
	memset(g, 0, sizeof(*g));
	if (sqlite3_prepare_v2(db, growth_sql, -1, &st, NULL) != SQLITE_OK)
		return ms_err_set(err, EIO, "process growth: %s", sqlite3_errmsg(db));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *c = sqlite3_column_text(st, 1);
		g->has = 1;
		g->pid = sqlite3_column_int64(st, 0);
		g->comm = strdup(c ? (const char *)c : "");
		text_clean(g->comm, 0);
		g->bytes = sqlite3_column_double(st, 2);
		g->t0 = sqlite3_column_double(st, 3);
		g->t1 = sqlite3_column_double(st, 4);
		c = sqlite3_column_text(st, 5);
		g->text = strdup(c ? (const char *)c : "");
		rc = g->comm && g->text ? SQLITE_DONE : SQLITE_NOMEM;
	}
	if (rc != SQLITE_DONE)
		ms_err_set(err, rc == SQLITE_NOMEM ? ENOMEM : EIO, "process growth: %s",
			   rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int cmp_growth(const void *pa, const void *pb)
{
	const struct fleet_host *a = *(const struct fleet_host *const *)pa, *b = *(const struct fleet_host *const *)pb;
	if (a->growth.bytes != b->growth.bytes)
		return a->growth.bytes > b->growth.bytes ? -1 : 1;
	return strcmp(a->label, b->label);
}

const struct fleet_host **fleet_by_growth(const struct fleet *f, size_t *n)
{
	const struct fleet_host **v = malloc((f->n ? f->n : 1) * sizeof(*v));
	*n = 0;
	for (size_t i = 0; v && i < f->n; i++)
		if (f->h[i].ran && f->h[i].growth.has)
			v[(*n)++] = &f->h[i];
	if (v)
		qsort(v, *n, sizeof(*v), cmp_growth);
	return v;
}

size_t fleet_ran(const struct fleet *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->h[i].ran;
	return n;
}

size_t fleet_findings(const struct fleet *f, int s)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->h[i].ran)
			n += s < 0 ? f->h[i].a.findings.n
				   : finding_list_count(&f->h[i].a.findings, (enum rule_severity)s);
	return n;
}

int fleet_window(const struct fleet *f, double *t0, double *t1)
{
	int any = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct bundle_facts *b = &f->h[i].a.facts;
		if (!f->h[i].ran || !b->samples)
			continue;
		*t0 = any && *t0 < b->t_first ? *t0 : b->t_first;
		*t1 = any && *t1 > b->t_last ? *t1 : b->t_last;
		any = 1;
	}
	return any ? 0 : -1;
}

void fleet_release(struct fleet *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct fleet_host *h = &f->h[i];
		free(h->label);
		free(h->hostname);
		free(h->boot_id);
		free(h->source);
		free(h->error);
		free(h->report);
		free(h->growth.comm);
		free(h->growth.text);
		if (h->ran)
			analysis_release(&h->a);
	}
	free(f->h);
	for (size_t i = 0; i < f->ng; i++) {
		free(f->g[i].identity);
		free(f->g[i].hosts);
		free(f->g[i].worst_on);
	}
	free(f->g);
	memset(f, 0, sizeof(*f));
}
