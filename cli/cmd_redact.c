/*
 * cmd_redact.c - `memsnap redact BUNDLE -o OUT`: a bundle already taken,
 * made fit to share (common/redact.h): read member by member, each
 * redacted and written to OUT, a sample committed at its meta, so that
 * OUT is a bundle of the same samples; the pseudonyms' real names in
 * OUT.map, never in OUT.
 *
 * Exit status: 0 written (a truncated bundle gives its complete samples);
 * 1 not a bundle, unreadable, or corrupt (OUT then holds the samples before
 * the damage), or OUT or its mapping not written (neither is left); 2
 * usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_arg.h"
#include "bundle_format.h"
#include "bundle_reader.h"
#include "bundle_text.h"
#include "bundle_writer.h"
#include "commands.h"
#include "private_file.h"
#include "redact.h"

enum { OPT_MAP = 300, OPT_CMDLINE, OPT_KEEP_CMDLINE, OPT_KEEP_NAMES };

struct redact_args {
	const char *out, *map;
	struct redact_opts ro;
	const char **keep;        /* owned array, borrowed strings */
	int quiet;
};

static const struct ms_opt redact_opts_table[] = {
	{ 'o', "output", "FILE", "the redacted bundle (required; never overwritten)" },
	{ OPT_MAP, "map", "FILE", "write the pseudonyms' real names to FILE (default:\n"
	  "OUT.map; keep it private: it undoes the redaction)" },
	{ OPT_CMDLINE, "cmdline", "WHAT", "command lines: argv0 (default: argv[0] only), none,\n"
	  "or keep" },
	{ OPT_KEEP_CMDLINE, "keep-cmdline", "PATTERN", "keep the whole command line of processes whose name\n"
	  "(comm) matches the shell PATTERN (repeatable)" },
	{ OPT_KEEP_NAMES, "keep-names", NULL, "keep host, cgroup and user names (no mapping)" },
	{ 'q', "quiet", NULL, "no summary line" },
	{ 0, NULL, NULL, NULL },
};

static const struct ms_opt *const redact_tables[] = { redact_opts_table, NULL };

const struct ms_cmd_doc redact_doc = {
	"redact",
	"redact BUNDLE -o OUT [--map FILE] [--cmdline WHAT] [--keep-cmdline PATTERN]",
	"Rewrite a bundle already taken so that it can be shared: command lines cut to\n"
	"argv[0] (or removed), and host, cgroup and user names replaced by stable\n"
	"pseudonyms (host-1, cg-2.service, user-1), the same name the same pseudonym\n"
	"throughout. OUT is a bundle of the same samples, whose analysis finds the same\n"
	"things about the pseudonymous entities; the mapping back to the real names is\n"
	"written beside it (0600), never into it. docs/security.md says what redaction\n"
	"covers and what it does not.",
	redact_tables,
	"Exit status: 0 written (a truncated bundle gives its complete samples), 1 not a\n"
	"bundle, corrupt (OUT holds the samples before the damage) or not written, 2\n"
	"usage error.\n",
};

static int redact_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	static const char *const words[] = { "keep", "argv0", "none" };
	struct redact_args *a = ctx;
	switch (id) {
	case 'o': a->out = arg; return 0;
	case OPT_MAP: a->map = arg; return 0;
	case 'q': a->quiet = 1; return 0;
	case OPT_KEEP_NAMES: a->ro.names = 0; return 0;
	case OPT_CMDLINE:
		for (int i = 0; i < 3; i++)
			if (!strcmp(arg, words[i])) {
				a->ro.cmdline = (enum redact_cmdline)i;
				return 0;
			}
		return ms_err_set(err, EINVAL, "--cmdline '%s': expected argv0, none or keep", arg);
	case OPT_KEEP_CMDLINE: {
		const char **k = realloc(a->keep, (a->ro.nkeep + 1) * sizeof(*k));
		if (!k)
			return ms_err_set(err, ENOMEM, "out of memory");
		k[a->ro.nkeep++] = arg;
		a->keep = k;
		a->ro.keep = k;
		return 0;
	}
	}
	return ms_err_set(err, EINVAL, "unknown option");
}

/* What the writer may hold before it writes, when no meta comes to commit
 * a sample (a hostile bundle must not fill the memory) */
#define MAX_UNCOMMITTED (4u << 20)

/* The run: the reader's members through the redactor into the writer */
struct run {
	const char *in;
	struct redactor *r;
	struct bundle_writer *w;
	struct ms_buf buf;
	int has_header;
	unsigned samples;
	unsigned damaged;          /* members whose framing broke */
	unsigned left_out;         /* members not of this format */
	unsigned long sample;      /* of the last member */
	uint64_t sample_start;     /* bytes in OUT before it */
	uint64_t committed_raw;    /* tar bytes at the last commit */
};

/* The sample of member NAME ("NNNNNN/KIND"), 0 for the others; where it
 * starts in OUT (its meta's offset) */
static void track_sample(struct run *x, const char *name)
{
	unsigned long n = strchr(name, '/') ? strtoul(name, NULL, 10) : 0;
	if (n != x->sample) {
		x->sample = n;
		x->sample_start = bundle_writer_bytes(x->w);
	}
	redactor_set_offset(x->r, n ? x->sample_start : bundle_writer_bytes(x->w));
}

/* A member left out: said for the first, counted for the others */
static void left_out(struct run *x, const char *name)
{
	if (!x->left_out++)
		fprintf(stderr, "memsnap: redact: '%s': member '%s' left out: not of this format (it could "
				"hold what redaction does not see)\n", x->in, name);
}

static int on_member(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct run *x = ctx;
	if (!x->has_header) {
		long format;
		if (strcmp(m->name, MS_MEMBER_HEADER))
			return ms_err_set(err, EINVAL, "first member is '%s', not '%s': not a memsnap bundle",
					  m->name, MS_MEMBER_HEADER);
		if (bt_header_format(m->data, m->len, &format, err) < 0)
			return -1;
		x->has_header = 1;
	} else if (!strcmp(m->name, MS_MEMBER_HEADER)) {
		return 0; /* a second header: readers take the first */
	}
	/* the trailer in a frame of its own, as the collector writes it */
	if (!strcmp(m->name, MS_MEMBER_TRAILER) && bundle_writer_end_frame(x->w, err) < 0)
		return ms_err_prefix(err, "writing");
	track_sample(x, m->name);
	int rc = redactor_member(x->r, m->name, m->data, m->len, &x->buf, err);
	if (rc < 0)
		return -1;
	if (rc == 2) {
		left_out(x, m->name);
		return 0;
	}
	if (rc == 1) {
		fprintf(stderr, "memsnap: redact: '%s': %s; the rest of that member was left out\n",
			x->in, ms_err_msg(err));
		ms_err_release(err);
		x->damaged++;
	}
	const char *slash = strchr(m->name, '/');
	int meta = slash && !strcmp(slash + 1, "meta");
	x->samples += meta;
	if (bundle_writer_add(x->w, m->name, x->buf.data, x->buf.len, (time_t)m->mtime, err) < 0)
		return ms_err_prefix(err, "writing");
	if (meta || bundle_writer_raw_bytes(x->w) - x->committed_raw > MAX_UNCOMMITTED) {
		if (bundle_writer_commit(x->w, err) < 0)
			return ms_err_prefix(err, "writing");
		x->committed_raw = bundle_writer_raw_bytes(x->w);
	}
	ms_buf_shrink(&x->buf, 1 << 20);
	return 0;
}

enum outcome { DONE, PARTIAL, FAILED };  /* PARTIAL: written, not all of it */

/* The input read into the open outputs */
static enum outcome redact_run(struct run *x, const struct redact_args *a, int fd, int map_fd)
{
	struct ms_err err = MS_ERR_INIT;
	struct bundle_read_result rr;
	memset(&rr, 0, sizeof(rr));
	const struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	const struct bundle_writer_opts wo = { 3, BUNDLE_WINDOW_LOG, BUNDLE_FRAME_BYTES, 0 };
	enum outcome o = FAILED;
	if (ms_buf_init(&x->buf, 64 * 1024) < 0)
		ms_err_set(&err, ENOMEM, "out of memory");
	else if (redactor_new(&x->r, &a->ro, map_fd, &err) == 0 &&
		 bundle_writer_open(&x->w, fd, &wo, &err) == 0 &&
		 bundle_read(x->in, &lim, on_member, x, &rr, &err) == 0 &&
		 (x->has_header ||
		  ms_err_set(&err, EINVAL, "no '%s' member: not a memsnap bundle", MS_MEMBER_HEADER) == 0) &&
		 bundle_writer_close(x->w, &err) == 0)
		o = rr.corrupt || x->damaged ? PARTIAL : DONE;
	if (o == FAILED)
		fprintf(stderr, "memsnap: redact: '%s': %s\n", x->in, ms_err_msg(&err));
	else if (o == PARTIAL)
		fprintf(stderr, "memsnap: redact: '%s': %s%s; '%s' holds the %u complete samples before the damage\n",
			x->in, rr.corrupt ? "corrupt: " : "damaged records", rr.corrupt ? rr.damage : "",
			a->out, x->samples);
	else if (rr.truncated && !a->quiet)
		fprintf(stderr, "memsnap: redact: '%s' is truncated (%s): its %u complete samples were redacted\n",
			x->in, rr.damage, x->samples);
	if (o != FAILED && x->left_out > 1)
		fprintf(stderr, "memsnap: redact: '%s': %u members left out in all\n", x->in, x->left_out);
	bundle_read_result_release(&rr);
	ms_err_release(&err);
	return o;
}

static void summary(const struct run *x, const struct redact_args *a)
{
	struct redact_counts c = redactor_counts(x->r);
	fprintf(stderr, "memsnap: redact: wrote %s: %u samples, %llu command lines cut", a->out,
		x->samples, (unsigned long long)c.cmdlines);
	if (a->ro.names)
		fprintf(stderr, ", %llu names in %s (keep it private)", (unsigned long long)c.names,
			a->map);
	fputc('\n', stderr);
}

/* OUT and its mapping, made exclusively (0600); -1 after saying why */
static int open_outputs(const struct redact_args *a, int *fd, int *map_fd)
{
	*map_fd = -1;
	*fd = private_create(AT_FDCWD, a->out);
	if (*fd < 0) {
		fprintf(stderr, "memsnap: redact: '%s': %s\n", a->out, strerror(errno));
		return -1;
	}
	if (a->ro.names && (*map_fd = private_create(AT_FDCWD, a->map)) < 0) {
		fprintf(stderr, "memsnap: redact: '%s': %s\n", a->map, strerror(errno));
		close(*fd);
		unlink(a->out);
		return -1;
	}
	return 0;
}

/* IN redacted into the open outputs, which go again unless written; an
 * exit status */
static int redact(const struct redact_args *a, const char *in, int fd, int map_fd)
{
	struct run x;
	memset(&x, 0, sizeof(x));
	x.in = in;
	enum outcome o = redact_run(&x, a, fd, map_fd);
	if (o == DONE && !a->quiet)
		summary(&x, a);
	bundle_writer_free(x.w);
	redactor_free(x.r);
	ms_buf_release(&x.buf);
	if ((close(fd) < 0 || (map_fd >= 0 && close(map_fd) < 0)) && o != FAILED) {
		fprintf(stderr, "memsnap: redact: '%s': %s\n", a->out, strerror(errno));
		o = FAILED;
	}
	if (o == FAILED) {
		unlink(a->out);
		if (map_fd >= 0)
			unlink(a->map);
	}
	return o == DONE ? MS_EXIT_OK : MS_EXIT_FAILURE;
}

/* The operands and options together: -1 to go on, or an exit status */
static int check_args(struct redact_args *a, int nargs, const char *in, char **map_default)
{
	if (nargs != 1)
		return command_usage_error("redact", "expected one BUNDLE");
	if (!a->out)
		return command_usage_error("redact", "-o OUT is required");
	if (a->map && !a->ro.names)
		return command_usage_error("redact", "--map and --keep-names: with names kept there is no mapping");
	if (a->ro.names && !a->map && !(a->map = *map_default = redact_map_path(a->out))) {
		fprintf(stderr, "memsnap: redact: out of memory\n");
		return MS_EXIT_FAILURE;
	}
	return bundle_arg_check("redact", in) == BUNDLE_ARG_REFUSED ? MS_EXIT_FAILURE : -1;
}

int cmd_redact(int argc, char **argv)
{
	struct redact_args a = { NULL, NULL, { REDACT_CMDLINE_ARGV0, 1, NULL, 0 }, NULL, 0 };
	const struct ms_opt_handler h[] = { { redact_opt, &a } };
	char *map_default = NULL;
	int first, fd, map_fd;
	int rc = command_parse(&redact_doc, h, argc, argv, &first);
	if (rc < 0)
		rc = check_args(&a, argc - first, argv[first], &map_default);
	if (rc < 0 && open_outputs(&a, &fd, &map_fd) < 0)
		rc = MS_EXIT_FAILURE;
	if (rc < 0)
		rc = redact(&a, argv[first], fd, map_fd);
	free(a.keep);
	free(map_default);
	return rc;
}
