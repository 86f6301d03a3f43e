#!/bin/sh
# The recorded bundles in samples/bundles stay fit to publish: each says it
# was redacted (memsnap redact --keep-names --keep-cmdline 'ms-*', see
# samples/README.md), the collector's own command line is its argv[0], no
# process but a scenario's (ms-*) has more than its argv[0], and no
# command line holds an environment (NAME=value, JSON) anywhere.
. "$SRC/tests/e2e/lib.sh"
n=0
for b in "$SRC"/samples/bundles/*.tar.zst; do
	name=$(basename "$b")
	cp "$b" "$name"
	tar --zstd -xOf "$name" memsnap.header > header || fail "$name: no header"
	grep -qx 'redacted cmdline=\(argv0\|none\) names=\(kept\|pseudonyms\)' header ||
		fail "$name: not redacted ($(grep '^redacted' header))"
	grep -q '^command [^ ]*$' header || fail "$name: the header's $(grep '^command' header)"
	q() { "$MEMSNAP" query "$name" "$1" --csv | tail -n +2; }
	assert_eq "$(q "SELECT count(*) FROM process WHERE comm NOT GLOB 'ms-*' AND cmdline GLOB '* *'")" 0 \
		"$name: processes outside the scenario with arguments"
	assert_eq "$(q "SELECT count(*) FROM process WHERE cmdline GLOB '*[A-Za-z_]=*' OR cmdline GLOB '*{*'")" 0 \
		"$name: command lines with an environment"
	[ "$(q "SELECT count(*) FROM process WHERE comm GLOB 'ms-*' AND cmdline GLOB '* *'")" -gt 0 ] &&
		n=$((n + 1))
	! zstd -dcq "$name" | grep -aq -e '--env' -e '"[A-Z_]*": "' || fail "$name: an environment in the bundle"
	rm -f "${name%.tar.zst}.db"
done
# the scenarios' own command lines are kept, in every bundle
assert_eq "$n" 11 "bundles with a scenario's command lines"
exit 0
