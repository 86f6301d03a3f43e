/*
 * rule_set.c - gathering, replacing, selecting and overriding rules (see
 * rule_set.h).
 *
 * Invariants: every entry owns its origin; a broken entry has error set and
 * a zeroed rule; ids are unique among the valid entries (a later added
 * directory never silently shadows another added file).
 */
#include "rule_set.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ms_buf.h"

/* The built-in rules, generated from rules/ (every .sql below it) by cmake/embed.cmake. */
extern const char *const ms_rules_text[];
extern const char *const ms_rules_name[];

#define RULE_FILE_MAX (1u << 20)

static int add_entry(struct rule_set *set, struct rule_entry **out, struct ms_err *err);
static int add_text(struct rule_set *set, const char *origin, const char *text, size_t len,
		    int builtin, struct ms_err *err);
static int read_file(const char *path, struct ms_buf *b, struct ms_err *err);
struct seen_dirs;
static int walk(struct rule_set *set, const char *dir, int depth, struct seen_dirs *seen,
		struct ms_err *err);
static int cmp_str(const void *a, const void *b);
static int matches(const char *id, const char *list);

static int add_entry(struct rule_set *set, struct rule_entry **out, struct ms_err *err)
{
	struct rule_entry *e = realloc(set->e, (set->n + 1) * sizeof(*e));
	if (!e)
		return ms_err_set(err, ENOMEM, "out of memory");
	set->e = e;
	*out = &e[set->n++];
	memset(*out, 0, sizeof(**out));
	(*out)->selected = 1;
	return 0;
}

/* Parse one rule file and put it in the set (replacing a built-in). */
static int add_text(struct rule_set *set, const char *origin, const char *text, size_t len,
		    int builtin, struct ms_err *err)
{
	struct rule r;
	struct ms_err perr = MS_ERR_INIT;
	int ok = rule_parse(origin, text, len, &r, &perr) == 0;
	if (!ok && perr.code == ENOMEM) {
		ms_err_set(err, ENOMEM, "%s", ms_err_msg(&perr));
		ms_err_release(&perr);
		return -1;
	}
	struct rule_entry *e = ok ? rule_set_find(set, r.id) : NULL;
	if (e && (builtin || !e->builtin)) {
		ms_err_set(&perr, EEXIST, "%s:1: id '%s' is already defined in %s", origin, r.id,
			   e->origin);
		rule_release(&r);
		ok = 0;
		e = NULL;
	}
	if (e) {
		rule_release(&e->rule); /* a user's file replaces the built-in rule */
		free(e->origin);
	} else if (add_entry(set, &e, err) < 0) {
		if (ok)
			rule_release(&r);
		ms_err_release(&perr);
		return -1;
	}
	e->origin = strdup(origin);
	e->builtin = builtin;
	if (ok)
		e->rule = r;
	else
		e->error = strdup(ms_err_msg(&perr));
	ms_err_release(&perr);
	if (!e->origin || (!ok && !e->error))
		return ms_err_set(err, ENOMEM, "out of memory");
	return 0;
}

int rule_set_init(struct rule_set *set, struct ms_err *err)
{
	memset(set, 0, sizeof(*set));
	struct ms_buf origin;
	if (ms_buf_init(&origin, 64) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	int rc = 0;
	for (size_t i = 0; ms_rules_text[i] && rc == 0; i++) {
		ms_buf_reset(&origin);
		if (ms_buf_addf(&origin, "rules/%s (built in)", ms_rules_name[i]) < 0)
			rc = ms_err_set(err, ENOMEM, "out of memory");
		else
			rc = add_text(set, origin.data, ms_rules_text[i], strlen(ms_rules_text[i]), 1,
				      err);
	}
	ms_buf_release(&origin);
	if (rc < 0)
		rule_set_release(set);
	return rc;
}

static int read_file(const char *path, struct ms_buf *b, struct ms_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ms_err_set(err, errno, "%s: %s", path, strerror(errno));
	ms_buf_reset(b);
	char chunk[8192];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > RULE_FILE_MAX) {
			rc = ms_err_set(err, EFBIG, "%s: larger than %u bytes: not a rule file", path,
					RULE_FILE_MAX);
			break;
		}
		if (ms_buf_add(b, chunk, n) < 0) {
			rc = ms_err_set(err, ENOMEM, "%s: out of memory", path);
			break;
		}
	}
	if (rc == 0 && ferror(f))
		rc = ms_err_set(err, EIO, "%s: read error", path);
	fclose(f);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directories one rule_set_add_dir() walked: each is read once, so
 * that links between directories (a shared rule tree is untrusted: ten
 * links per level, eight levels deep, are 10^7 paths to the same eight
 * directories) cost nothing more. */
#define MAX_RULE_DIRS 4096
struct seen_dirs {
	dev_t dev[MAX_RULE_DIRS];
	ino_t ino[MAX_RULE_DIRS];
	size_t n;
};

/* Add the *.sql files of DIR, then its subdirectories, in name order. */
static int walk(struct rule_set *set, const char *dir, int depth, struct seen_dirs *seen,
		struct ms_err *err)
{
	if (depth > 16)
		return ms_err_set(err, ELOOP, "%s: rule directories nested too deep", dir);
	struct stat dst;
	if (stat(dir, &dst) < 0)
		return ms_err_set(err, errno, "%s: %s", dir, strerror(errno));
	for (size_t i = 0; i < seen->n; i++)
		if (seen->dev[i] == dst.st_dev && seen->ino[i] == dst.st_ino)
			return 0; /* reached again through a link: read already */
	if (seen->n == MAX_RULE_DIRS)
		return ms_err_set(err, E2BIG, "%s: more than %d rule directories", dir, MAX_RULE_DIRS);
	seen->dev[seen->n] = dst.st_dev;
	seen->ino[seen->n++] = dst.st_ino;
	DIR *d = opendir(dir);
	if (!d)
		return ms_err_set(err, errno, "%s: %s", dir, strerror(errno));
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		size_t size = strlen(dir) + strlen(de->d_name) + 2;
		char *name = malloc(size);
		char **nn = name ? realloc(names, (n + 1) * sizeof(*nn)) : NULL;
		if (!nn) {
			free(name);
			rc = ms_err_set(err, ENOMEM, "out of memory");
			break;
		}
		names = nn;
		snprintf(name, size, "%s/%s", dir, de->d_name);
		names[n++] = name;
	}
	closedir(d);
	if (rc == 0)
		qsort(names, n, sizeof(*names), cmp_str);
	struct ms_buf text = { NULL, 0, 0 };
	if (rc == 0 && ms_buf_init(&text, 4096) < 0)
		rc = ms_err_set(err, ENOMEM, "out of memory");
	/* files first, then folders: a folder's rules come after its own files */
	for (int pass = 0; pass < 2 && rc == 0; pass++)
		for (size_t i = 0; i < n && rc == 0; i++) {
			struct stat st;
			if (stat(names[i], &st) < 0) {
				rc = ms_err_set(err, errno, "%s: %s", names[i], strerror(errno));
				break;
			}
			if (pass == 1 && S_ISDIR(st.st_mode)) {
				rc = walk(set, names[i], depth + 1, seen, err);
				continue;
			}
			size_t len = strlen(names[i]);
			if (pass != 0 || !S_ISREG(st.st_mode) || len < 4 ||
			    strcmp(names[i] + len - 4, ".sql"))
				continue;
			struct ms_err ferr = MS_ERR_INIT;
			if (read_file(names[i], &text, &ferr) < 0) {
				/* an unreadable file is a broken rule, not the end of the run */
				struct rule_entry *e;
				if (ferr.code == ENOMEM || add_entry(set, &e, err) < 0) {
					rc = ms_err_set(err, ENOMEM, "out of memory");
				} else {
					e->origin = strdup(names[i]);
					e->error = strdup(ms_err_msg(&ferr));
					if (!e->origin || !e->error)
						rc = ms_err_set(err, ENOMEM, "out of memory");
				}
			} else {
				rc = add_text(set, names[i], text.data, text.len, 0, err);
			}
			ms_err_release(&ferr);
		}
	if (text.data)
		ms_buf_release(&text);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int rule_set_add_dir(struct rule_set *set, const char *dir, struct ms_err *err)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return ms_err_set(err, errno, "--rules '%s': %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ms_err_set(err, ENOTDIR, "--rules '%s': not a directory", dir);
	struct seen_dirs *seen = calloc(1, sizeof(*seen));
	if (!seen)
		return ms_err_set(err, ENOMEM, "out of memory");
	int rc = walk(set, dir, 0, seen, err);
	free(seen);
	return rc;
}

int rule_set_build(struct rule_set *set, const char *const *dirs, size_t ndirs,
		   const char *const *sets, size_t nsets, struct ms_err *err)
{
	if (rule_set_init(set, err) < 0)
		return -1;
	for (size_t i = 0; i < ndirs; i++)
		if (rule_set_add_dir(set, dirs[i], err) < 0)
			return -1;
	for (size_t i = 0; i < nsets; i++)
		if (rule_set_override(set, sets[i], err) < 0)
			return -1;
	return 0;
}

/* Does ID match one of the comma-separated ids or folders in LIST? */
static int matches(const char *id, const char *list)
{
	size_t idlen = strlen(id);
	for (const char *p = list; *p;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		while (n && p[n - 1] == '/')
			n--;
		if (n && n <= idlen && !memcmp(id, p, n) && (id[n] == '\0' || id[n] == '/'))
			return 1;
		p += c ? (size_t)(c - p) + 1 : strlen(p);
	}
	return 0;
}

int rule_set_select(struct rule_set *set, const char *only, const char *skip,
		    struct ms_err *err)
{
	const char *lists[2] = { only, skip };
	for (int l = 0; l < 2; l++) {
		if (!lists[l])
			continue;
		/* every name must match something, or it is a typo */
		for (const char *p = lists[l]; *p;) {
			const char *c = strchr(p, ',');
			size_t n = c ? (size_t)(c - p) : strlen(p);
			char name[256];
			if (n == 0 || n >= sizeof(name))
				return ms_err_set(err, EINVAL, "--%s: '%.*s' is not a rule id or folder",
						  l ? "skip" : "only", (int)n, p);
			memcpy(name, p, n);
			name[n] = '\0';
			int found = 0;
			for (size_t i = 0; i < set->n && !found; i++)
				found = !set->e[i].error && matches(set->e[i].rule.id, name);
			if (!found)
				return ms_err_set(err, ENOENT, "--%s: no rule or folder '%s' (see "
						  "'memsnap rules')", l ? "skip" : "only", name);
			p += n + (c != NULL);
		}
	}
	for (size_t i = 0; i < set->n; i++) {
		struct rule_entry *e = &set->e[i];
		if (e->error)
			continue;
		e->selected = (!only || matches(e->rule.id, only)) && !(skip && matches(e->rule.id, skip));
	}
	return 0;
}

int rule_set_override(struct rule_set *set, const char *a, struct ms_err *err)
{
	const char *eq = strchr(a, '=');
	const char *dot = NULL;
	for (const char *c = a; eq && c < eq; c++)
		if (*c == '.')
			dot = c;
	if (!eq || !dot || dot == a || dot + 1 == eq)
		return ms_err_set(err, EINVAL, "--set '%s': expected ID.PARAM=VALUE", a);
	struct rule_entry *e = NULL;
	for (size_t i = 0; i < set->n && !e; i++)
		if (!set->e[i].error && strlen(set->e[i].rule.id) == (size_t)(dot - a) &&
		    !memcmp(set->e[i].rule.id, a, (size_t)(dot - a)))
			e = &set->e[i];
	if (!e)
		return ms_err_set(err, ENOENT, "--set '%s': no rule '%.*s' (see 'memsnap rules')", a,
				  (int)(dot - a), a);
	struct rule_param *pm = rule_find_param(&e->rule, dot + 1, (size_t)(eq - dot - 1));
	if (!pm)
		return ms_err_set(err, ENOENT, "--set '%s': rule '%s' has no parameter '%.*s' (see "
				  "'memsnap rules show %s')", a, e->rule.id, (int)(eq - dot - 1), dot + 1,
				  e->rule.id);
	return rule_set_assign(e, pm, eq + 1, a, err);
}

/* The shortest text that reads back as V exactly. */
static int number_text(double v, struct ms_buf *b)
{
	char t[40];
	snprintf(t, sizeof(t), "%.15g", v);
	if (strtod(t, NULL) != v)
		snprintf(t, sizeof(t), "%.17g", v);
	return ms_buf_addstr(b, t);
}

int rule_set_assign(const struct rule_entry *e, struct rule_param *pm, const char *v,
		    const char *what, struct ms_err *err)
{
	struct ms_buf b;
	if (ms_buf_init(&b, strlen(v) + 3) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	double x = 0;
	int rc = 0, wrong = 0;
	if (pm->text) {
		/* quoted here, so that the shell's quoting does not matter */
		rc = ms_buf_addstr(&b, "'");
		for (const char *c = v; *c && rc == 0; c++) /* ' doubled */
			rc = ms_buf_add(&b, c, 1) < 0 || (*c == '\'' && ms_buf_add(&b, c, 1) < 0) ? -1 : 0;
		if (rc == 0)
			rc = ms_buf_addstr(&b, "'");
	} else if (rule_unit_read(v, &pm->u, &x) < 0 || !rule_param_in_range(pm, x)) {
		wrong = 1;
	} else {
		rc = number_text(x, &b);
	}
	if (rc == 0 && wrong) {
		ms_buf_reset(&b);
		rc = ms_buf_addf(&b, "--set '%s': rule %s, parameter %s: ", what, e->rule.id, pm->name);
		if (rc == 0 && rule_unit_read(v, &pm->u, &x) == 0)
			rc = ms_buf_addf(&b, "%g%s%s is out of range; ", x, pm->u.name[0] ? " " : "",
					 pm->u.name);
		if (rc == 0)
			rc = ms_buf_addstr(&b, "expected ") < 0 ? -1 : rule_param_say_forms(pm, &b);
		if (rc == 0)
			ms_err_set(err, EINVAL, "%s", b.data);
	}
	if (rc < 0 || wrong) {
		ms_buf_release(&b);
		return rc < 0 ? ms_err_set(err, ENOMEM, "out of memory") : -1;
	}
	free(pm->value);
	pm->value = b.data; /* handed over */
	return 0;
}

struct rule_entry *rule_set_find(const struct rule_set *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (!set->e[i].error && !strcmp(set->e[i].rule.id, id))
			return &set->e[i];
	return NULL;
}

void rule_set_release(struct rule_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		rule_release(&set->e[i].rule);
		free(set->e[i].origin);
		free(set->e[i].error);
	}
	free(set->e);
	memset(set, 0, sizeof(*set));
}
