/*
 * ms_opt.c - getopt_long and --help from a command's option tables (see
 * ms_opt.h).
 */
#include "ms_opt.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ms_buf.h"

enum { HELP_ID = 'h', LEFT_MAX = 30 };

static const struct ms_opt help_opt = { HELP_ID, "help", NULL, "show this help" };

static int is_short(int id)
{
	return (id >= 'a' && id <= 'z') || (id >= 'A' && id <= 'Z');
}

static size_t count_opts(const struct ms_cmd_doc *doc)
{
	size_t n = 0;
	for (size_t g = 0; doc->opts && doc->opts[g]; g++)
		for (const struct ms_opt *o = doc->opts[g]; o->id; o++)
			n++;
	return n;
}

/* getopt_long's tables: LONGOPTS (N + help + the end) and SHORTOPTS */
static int build(const struct ms_cmd_doc *doc, struct option *longopts, struct ms_buf *shortopts)
{
	size_t k = 0;
	if (ms_buf_addstr(shortopts, ":h") < 0)
		return -1;
	for (size_t g = 0; doc->opts && doc->opts[g]; g++)
		for (const struct ms_opt *o = doc->opts[g]; o->id; o++, k++) {
			longopts[k] = (struct option){ o->name, o->arg ? required_argument : no_argument,
						       NULL, o->id };
			char s[3] = { (char)o->id, ':', '\0' };
			if (is_short(o->id) && ms_buf_add(shortopts, s, o->arg ? 2 : 1) < 0)
				return -1;
		}
	longopts[k++] = (struct option){ "help", no_argument, NULL, HELP_ID };
	longopts[k] = (struct option){ NULL, 0, NULL, 0 };
	return ms_buf_add(shortopts, "", 1); /* the NUL */
}

/* The handler of option ID, or NULL. */
static const struct ms_opt_handler *handler_of(const struct ms_cmd_doc *doc,
					       const struct ms_opt_handler *h, int id)
{
	for (size_t g = 0; doc->opts && doc->opts[g]; g++)
		for (const struct ms_opt *o = doc->opts[g]; o->id; o++)
			if (o->id == id)
				return &h[g];
	return NULL;
}

/* The option getopt complained about: a long one as written, a short one
 * from optopt (argv may hold a cluster such as "-zq"). */
static const char *bad_name(const char *arg, int opt, char buf[3])
{
	if (!strncmp(arg, "--", 2) || opt <= ' ' || opt > '~')
		return arg;
	buf[0] = '-';
	buf[1] = (char)opt;
	buf[2] = '\0';
	return buf;
}

static int run_getopt(const struct ms_cmd_doc *doc, const struct ms_opt_handler *h, int argc,
		      char **argv, const struct option *longopts, const char *shortopts,
		      struct ms_err *err)
{
	char nb[3];
	int ch;
	optind = 0; /* 0: a full reset of glibc getopt, even after a stop mid-cluster */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct ms_opt_handler *x = handler_of(doc, h, ch);
		if (ch == ':')
			return ms_err_set(err, EINVAL, "option '%s' needs a value",
					  bad_name(argv[optind - 1], optopt, nb));
		if (x) {
			if (x->fn(x->ctx, ch, optarg, err) < 0)
				return -1;
		} else if (ch == HELP_ID) {
			ms_opt_usage(doc, stdout);
			return 1;
		} else {
			return ms_err_set(err, EINVAL, "unknown option '%s'",
					  bad_name(argv[optind - 1], optopt, nb));
		}
	}
	return 0;
}

int ms_opt_parse(const struct ms_cmd_doc *doc, const struct ms_opt_handler *h, int argc,
		 char **argv, int *first, struct ms_err *err)
{
	size_t n = count_opts(doc);
	struct option *longopts = calloc(n + 2, sizeof(*longopts));
	struct ms_buf shortopts;
	int rc = -1;
	if (!longopts || ms_buf_init(&shortopts, 64) < 0) {
		free(longopts);
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	if (build(doc, longopts, &shortopts) < 0)
		ms_err_set(err, ENOMEM, "out of memory");
	else
		rc = run_getopt(doc, h, argc, argv, longopts, shortopts.data, err);
	*first = optind;
	ms_buf_release(&shortopts);
	free(longopts);
	return rc;
}

/* "  -d, --duration DURATION" into BUF; its length */
static int left_part(const struct ms_opt *o, char *buf, size_t n)
{
	int w = is_short(o->id) ? snprintf(buf, n, "  -%c, --%s", o->id, o->name)
				: snprintf(buf, n, "      --%s", o->name);
	if (o->arg && w >= 0 && (size_t)w < n)
		w += snprintf(buf + w, n - (size_t)w, " %s", o->arg);
	return w;
}

static void print_opt(const struct ms_opt *o, int width, FILE *out)
{
	char left[128];
	int w = left_part(o, left, sizeof(left));
	fputs(left, out);
	if (w + 1 > width) { /* too long: the help starts on the next line */
		fputc('\n', out);
		w = 0;
	}
	const char *p = o->help;
	for (;;) {
		const char *nl = strchr(p, '\n');
		fprintf(out, "%*s%.*s\n", width - w, "", (int)(nl ? nl - p : (long)strlen(p)), p);
		if (!nl)
			break;
		p = nl + 1;
		w = 0;
	}
}

void ms_opt_usage(const struct ms_cmd_doc *doc, FILE *out)
{
	int width = 0;
	char left[128];
	for (size_t g = 0; doc->opts && doc->opts[g]; g++)
		for (const struct ms_opt *o = doc->opts[g]; o->id; o++) {
			int w = left_part(o, left, sizeof(left)) + 2;
			if (w > width && w <= LEFT_MAX)
				width = w;
		}
	if (width < 16)
		width = 16;
	const char *p = doc->synopsis;
	for (int i = 0;; i++) {
		const char *nl = strchr(p, '\n');
		fprintf(out, "%s memsnap %.*s\n", i ? "      " : "usage:", (int)(nl ? nl - p : (long)strlen(p)), p);
		if (!nl)
			break;
		p = nl + 1;
	}
	fprintf(out, "\n%s\n\n", doc->about);
	for (size_t g = 0; doc->opts && doc->opts[g]; g++)
		for (const struct ms_opt *o = doc->opts[g]; o->id; o++)
			print_opt(o, width, out);
	print_opt(&help_opt, width, out);
	if (doc->footer)
		fprintf(out, "\n%s", doc->footer);
}
