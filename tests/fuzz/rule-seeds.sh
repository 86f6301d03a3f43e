#!/bin/sh
# rule-seeds.sh SRC OUT - the rule target's seeds, made at build time from
# the rules themselves (so that they never drift from rules/): every
# built-in rule and every test fixture rule, and two with --set assignments
# after a NUL (fuzz_rule.c's input).  tests/fuzz/corpus/rule/ keeps only
# the inputs that once found a bug (regress-*, crash-*).
set -eu
src=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
find "$src/rules" "$src/tests/fixtures/rules" -name '*.sql' | sort | while read -r f; do
	cp "$f" "$out/$(echo "${f#"$src"/}" | tr / .)"
done
{ cat "$src/tests/fixtures/rules/good/graded.sql"; printf '\000x.y=1\000'; } > "$out/set.graded"
id=$(sed -n 's/^-- id: //p' "$src/rules/leak/process.sql")
pm=$(sed -n 's/^-- param: \([a-z_0-9]*\) .*/\1/p' "$src/rules/leak/process.sql" | head -n 1)
{ cat "$src/rules/leak/process.sql"; printf '\000%s.%s=2.5\000%s.%s=it'"'"'s\000' "$id" "$pm" "$id" "$pm"; } \
	> "$out/set.leak-process"
# values with units, in and out of range, of the wrong kind
{ cat "$src/rules/leak/process.sql"
  printf '\000%s.min_growth=512K\000%s.min_minutes=1h30m\000%s.min_rate=1MiB/s' "$id" "$id" "$id"
  printf '\000%s.drop_pct=5%%\000%s.p_suspect=1.5\000%s.min_minutes=2MiB\000' "$id" "$id" "$id"; } \
	> "$out/set.units"
