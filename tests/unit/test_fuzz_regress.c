/*
 * test_fuzz_regress.c - what the fuzzers (tests/fuzz/) found, kept as unit
 * cases so that the normal build runs them (the fuzz flavour also replays
 * the inputs themselves: tests/fuzz/corpus/<target>/regress-*).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_summary.h"
#include "rule.h"
#include "rule_set.h"
#include "test.h"

/* fuzz_rule: "'''" passed as quoted text, though its last quote is the
 * second of a pair: the text never ends (rule_value_check) */
TEST(rule_value_unterminated_text)
{
	CHECK(rule_value_check("'''") == -1);
	CHECK(rule_value_check("'a''") == -1);
	CHECK(rule_value_check("''''") == 0);   /* the text "'" */
	CHECK(rule_value_check("'a''b'") == 0);
	CHECK(rule_value_check("''") == 0);
}

/* ... and --set ID.PARAM=''' was stored as is; now it is text, quoted */
TEST(rule_set_quotes_unterminated_text)
{
	static const char text[] =
		"-- id: t/x\n-- severity: info\n-- title: t\n-- explain: e\n-- action: a\n"
		"-- param: p = 'x' | a text parameter\n-- param: n = 1 | a number\nSELECT :p, :n\n";
	struct rule_entry e;
	struct ms_err err = MS_ERR_INIT;
	memset(&e, 0, sizeof(e));
	REQUIRE(rule_parse("x.sql", text, sizeof(text) - 1, &e.rule, &err) == 0);
	struct rule_set set = { &e, 1 };
	CHECK(rule_set_override(&set, "t/x.p='''", &err) == 0);
	CHECK_STR(e.rule.params[0].value, "''''''''");
	CHECK(rule_value_check(e.rule.params[0].value) == 0);
	/* a number parameter takes no text */
	CHECK(rule_set_override(&set, "t/x.n='''", &err) == -1);
	CHECK_STR(e.rule.params[1].value, "1");
	rule_release(&e.rule);
	ms_err_release(&err);
}

static char *print(struct bundle_summary *s)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	REQUIRE(f != NULL);
	bundle_summary_print(f, "b.tar.zst", s);
	fclose(f);
	return buf;
}

/* fuzz_bundle: a meta's "wall 17961700000000000000" reached a double to
 * time_t conversion out of range (undefined behaviour; UBSan stopped) */
TEST(info_times_out_of_range)
{
	struct bundle_summary s;
	memset(&s, 0, sizeof(s));
	s.wall_first = 1.79617e19;
	s.wall_last = 3e19;
	char *out = print(&s);
	CHECK(strstr(out, "\nspan:        unknown to unknown (") != NULL);
	free(out);
	s.wall_first = 1767225600;  /* 2026-01-01 */
	s.wall_last = NAN;
	out = print(&s);
	CHECK(strstr(out, "\nspan:        2026-01-01 00:00:00 UTC to unknown (0 s;") != NULL);
	free(out);
}

/* hostile bundles and rules: an escape sequence never reaches a terminal
 * through an error message, info's summary or a rule's header */
TEST(error_messages_show_control_characters)
{
	struct ms_err err = MS_ERR_INIT;
	ms_err_set(&err, EINVAL, "member '%s' is bad", "a\033]0;x\007b\tc\x7f");
	CHECK_STR(ms_err_msg(&err), "member 'a\\x1b]0;x\\x07b\tc\\x7f' is bad");
	ms_err_prefix(&err, "'%s'", "f\033[2J");
	CHECK_STR(ms_err_msg(&err), "'f\\x1b[2J': member 'a\\x1b]0;x\\x07b\tc\\x7f' is bad");
	ms_err_release(&err);
}

TEST(rule_header_control_character)
{
	static const char text[] =
		"-- id: t/x\n-- severity: info\n-- title: t\033]0;owned\007\n-- explain: e\n"
		"-- action: a\nSELECT 1\n";
	struct rule r;
	struct ms_err err = MS_ERR_INIT;
	CHECK(rule_parse("x.sql", text, sizeof(text) - 1, &r, &err) == -1);
	CHECK_STR(ms_err_msg(&err), "x.sql:3: control character 0x1b in the header");
	ms_err_release(&err);
}
