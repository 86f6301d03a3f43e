/*
 * load_cli.c - options and reporting common to the commands that load.
 */
#include "load_cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "parse_num.h"

enum { OPT_MAXMEMBER = 256, OPT_MAXTOTAL, OPT_CSV, OPT_JSON, OPT_DB };

struct progress_state {
	time_t start;
	int shown;
};

int load_cli_parse(struct load_cli *c, int argc, char **argv, const char *name,
		   const char *usage, int npos)
{
	return load_cli_parse_ext(c, argc, argv, name, usage, npos, NULL);
}

int load_cli_parse_ext(struct load_cli *c, int argc, char **argv, const char *name,
		       const char *usage, int npos, const struct load_cli_extra *x)
{
	static const struct option base_opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "max-member", required_argument, NULL, OPT_MAXMEMBER },
		{ "max-total", required_argument, NULL, OPT_MAXTOTAL },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "db", required_argument, NULL, OPT_DB },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
	};
	enum { NBASE = sizeof(base_opts) / sizeof(*base_opts) };
	size_t nx = 0;
	while (x && x->longopts[nx].name)
		nx++;
	struct option longopts[NBASE + 32];
	if (nx > 31) {
		fprintf(stderr, "memsnap: %s: internal error: too many options\n", name);
		return -1;
	}
	memcpy(longopts, base_opts, sizeof(base_opts));
	memcpy(longopts + NBASE, x ? x->longopts : base_opts, nx * sizeof(*longopts));
	memset(&longopts[NBASE + nx], 0, sizeof(*longopts));
	char shortopts[64];
	int w = snprintf(shortopts, sizeof(shortopts), ":o:fqh%s", x ? x->shortopts : "");
	if (w < 0 || (size_t)w >= sizeof(shortopts)) {
		fprintf(stderr, "memsnap: %s: internal error: too many short options\n", name);
		return -1;
	}
	struct ms_err err = MS_ERR_INIT;
	memset(c, 0, sizeof(*c));
	c->o.limits.max_member = MS_DEFAULT_MAX_MEMBER;
	c->o.limits.max_total = MS_DEFAULT_MAX_TOTAL;
	int ch;
	optind = 0; /* 0: a full reset of glibc getopt, even after a stop mid-cluster */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (x && x->own_output) {
				if (x->fn(x->ctx, 'o', optarg, &err) < 0)
					goto bad;
			} else {
				c->o.db_path = optarg;
			}
			break;
		case OPT_DB:
			if (!x || !x->own_output) {
				ms_err_set(&err, 1, "unknown option '%s'", argv[optind - 1]);
				goto bad;
			}
			c->o.db_path = optarg;
			break;
		case 'f': c->o.force = 1; break;
		case 'q': c->quiet = 1; break;
		case OPT_CSV:
		case OPT_JSON:
			if (npos != 2) { /* query's output formats only */
				ms_err_set(&err, 1, "unknown option '%s'", argv[optind - 1]);
				goto bad;
			}
			*(ch == OPT_CSV ? &c->csv : &c->json) = 1;
			break;
		case OPT_MAXMEMBER:
			if (ms_parse_size(optarg, &c->o.limits.max_member, "--max-member", &err) < 0)
				goto bad;
			break;
		case OPT_MAXTOTAL:
			if (ms_parse_size(optarg, &c->o.limits.max_total, "--max-total", &err) < 0)
				goto bad;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		case ':':
			ms_err_set(&err, 1, "option '%s' needs a value", argv[optind - 1]);
			goto bad;
		case '?':
			ms_err_set(&err, 1, "unknown option '%s'", argv[optind - 1]);
			goto bad;
		default:
			if (!x || x->fn(x->ctx, ch, optarg, &err) < 0)
				goto bad;
		}
	}
	c->npositional = argc - optind;
	if (c->npositional != npos) {
		ms_err_set(&err, 1, npos == 1 ? "expected one BUNDLE" : "expected BUNDLE|DB and one SQL statement");
		goto bad;
	}
	for (int i = 0; i < npos; i++)
		c->positional[i] = argv[optind + i];
	c->o.bundle = c->positional[0];
	return 0;
bad:
	fprintf(stderr, "memsnap: %s: %s\nTry 'memsnap %s --help'.\n", name, ms_err_msg(&err), name);
	ms_err_release(&err);
	return -1;
}

/* A progress bar on stderr, when it is a terminal and the load has taken
 * more than a second. */
static void progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress_state *p = ctx;
	if (time(NULL) - p->start < 1 || !total)
		return;
	int pct = (int)(done * 100 / total);
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r\033[Kloading [%s] %3d%%", bar, pct > 100 ? 100 : pct);
	p->shown = 1;
}

int load_cli_run(struct load_cli *c, const char *name, struct load_result *res)
{
	struct ms_err err = MS_ERR_INIT;
	struct progress_state ps = { time(NULL), 0 };
	if (!c->quiet && isatty(2)) {
		c->o.progress = progress;
		c->o.progress_ctx = &ps;
	}
	int rc = loader_load(&c->o, res, &err);
	if (ps.shown)
		fputs("\r\033[K", stderr);
	if (rc < 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, c->o.bundle, ms_err_msg(&err));
		ms_err_release(&err);
		return MS_EXIT_FAILURE;
	}
	if (res->corrupt) {
		fprintf(stderr, "memsnap: %s: '%s': corrupt: %s; loaded the %u complete samples before the damage\n",
			name, c->o.bundle, res->damage, res->samples);
		return MS_EXIT_FAILURE;
	}
	return MS_EXIT_OK;
}

void load_cli_report(const struct load_cli *c, const char *name, const struct load_result *res)
{
	if (c->quiet)
		return;
	if (res->reused) {
		fprintf(stderr, "memsnap: %s: reusing %s (already loaded from this bundle)\n", name,
			res->db_path);
		return;
	}
	fprintf(stderr, "memsnap: %s: loaded %u samples (%llu rows) into %s", name, res->samples,
		(unsigned long long)res->rows, res->db_path);
	if (res->truncated)
		fprintf(stderr, "; the bundle is truncated (%s): every complete sample was loaded",
			res->damage ? res->damage : "no trailer");
	if (res->load_errors)
		fprintf(stderr, "; %llu records could not be parsed (see table load_error)",
			(unsigned long long)res->load_errors);
	fputc('\n', stderr);
}
