#!/bin/sh
# memsnap redact's options and its bad input: --cmdline none and keep,
# --keep-names (no mapping), --map; the same bundle redacts to the same
# bytes, and redacting twice says the stronger of each; a truncated bundle
# gives its complete samples, a corrupt one those before the damage (exit
# 1); usage errors exit 2; what cannot be read or written exits 1 in one
# line and leaves neither output; an existing file is never overwritten.
. "$SRC/tests/e2e/lib.sh"
cp "$SRC/samples/bundles/oom.tar.zst" b.tar.zst
q() { "$MEMSNAP" query "$1" "$2" --csv | tail -n +2; }
hdr() { tar --zstd -xOf "$1" memsnap.header | sed -n "s/^$2 //p"; }
# --cmdline none: no command line at all; keep: every one as it was
run "$MEMSNAP" redact -q --cmdline none b.tar.zst -o none.tar.zst
assert_rc 0 "--cmdline none"
assert_empty err
assert_eq "$(q none.tar.zst "SELECT count(*) FROM process WHERE cmdline <> ''")" 0 "command lines left by none"
assert_eq "$(hdr none.tar.zst command)" "" "the header's command with none"
run "$MEMSNAP" redact -q --cmdline keep b.tar.zst -o keep.tar.zst
assert_rc 0 "--cmdline keep"
assert_eq "$(q keep.tar.zst "SELECT group_concat(cmdline, '|') FROM (SELECT cmdline FROM process ORDER BY id)")" \
	"$(q b.tar.zst "SELECT group_concat(cmdline, '|') FROM (SELECT cmdline FROM process ORDER BY id)")" "kept command lines"
assert_eq "$(hdr keep.tar.zst redacted)" "cmdline=argv0 names=pseudonyms" "the recorded bundle was argv0 already"
# names: mapped by default, kept with --keep-names (no mapping file), --map elsewhere
run "$MEMSNAP" redact b.tar.zst -o n.tar.zst --map names.tsv
assert_rc 0 "--map"
assert_line err "memsnap: redact: wrote n.tar.zst: 120 samples, 2 command lines cut, 17 names in names.tsv (keep it private)"
[ -f names.tsv ] && [ ! -e n.tar.zst.map ] || fail "the mapping is not where --map said"
assert_eq "$(hdr n.tar.zst hostname)" "host-1" "hostname"
"$MEMSNAP" info n.tar.zst > info || fail "info"
assert_line info "redacted:    cmdline=argv0 names=pseudonyms"
assert_eq "$(q n.tar.zst "SELECT hostname FROM host")" "host-1" "the host table's name"
run "$MEMSNAP" redact -q --keep-names b.tar.zst -o k.tar.zst
assert_rc 0 "--keep-names"
[ ! -e k.tar.zst.map ] || fail "a mapping with --keep-names"
assert_eq "$(hdr k.tar.zst hostname)" "vm" "kept hostname"
# the same bytes every time; twice: the stronger of each
run "$MEMSNAP" redact -q b.tar.zst -o n2.tar.zst
cmp -s n.tar.zst n2.tar.zst || fail "two redactions of one bundle differ"
cmp -s names.tsv n2.tar.zst.map || fail "two mappings of one bundle differ"
run "$MEMSNAP" redact -q --keep-names --cmdline keep n.tar.zst -o twice.tar.zst
assert_rc 0 "redact a redacted bundle"
assert_eq "$(hdr twice.tar.zst redacted)" "cmdline=argv0 names=pseudonyms" "redacted twice"
assert_eq "$(tar --zstd -xOf twice.tar.zst memsnap.header | grep -c '^redacted ')" 1 "redacted lines"
# a truncated bundle: its complete samples (exit 0)
head -c 200000 b.tar.zst > cut.tar.zst
n=$(complete_samples cut.tar.zst)
run "$MEMSNAP" redact cut.tar.zst -o cut-r.tar.zst
assert_rc 0 "a truncated bundle"
grep -qx "memsnap: redact: 'cut.tar.zst' is truncated (.*): its $n complete samples were redacted" err || { cat err; fail "truncated message"; }
assert_eq "$(complete_samples cut-r.tar.zst)" "$n" "complete samples of the redacted cut"
# a corrupt one: the samples before the damage, exit 1, OUT kept
cp b.tar.zst bad.tar.zst
printf 'GARBAGEGARBAGEGARBAGE' | dd of=bad.tar.zst bs=1 seek=200000 conv=notrunc 2>/dev/null
run "$MEMSNAP" redact bad.tar.zst -o bad-r.tar.zst
assert_rc 1 "a corrupt bundle"
grep -qx "memsnap: redact: 'bad.tar.zst': corrupt: .*; 'bad-r.tar.zst' holds the [0-9]* complete samples before the damage" err ||
	{ cat err; fail "corrupt message"; }
"$MEMSNAP" info bad-r.tar.zst > /dev/null || fail "the redacted prefix is not a readable bundle"
# usage errors (2), nothing written
for args in "b.tar.zst" "-o x.tar.zst" "b.tar.zst b.tar.zst -o x.tar.zst" "--cmdline all b.tar.zst -o x.tar.zst" \
	"--keep-names --map m b.tar.zst -o x.tar.zst"; do
	run "$MEMSNAP" redact $args
	assert_rc 2 "redact $args"
	[ ! -e x.tar.zst ] && [ ! -e x.tar.zst.map ] && [ ! -e m ] || fail "redact $args wrote a file"
done
assert_line err "memsnap: redact: --map and --keep-names: with names kept there is no mapping"
# what is not a bundle, or cannot be written: exit 1 in one line, nothing left
echo hello > text.tar.zst
mkdir d
"$MEMSNAP" load -q b.tar.zst
for case in "text.tar.zst|'text.tar.zst': not a memsnap bundle (no zstd frame at the start)" \
	"d|'d' is a directory, not a bundle (a .tar.zst file)" \
	"b.db|'b.db' is an SQLite database, not a bundle: use 'memsnap analyze b.db'" \
	"missing.tar.zst|'missing.tar.zst': No such file or directory"; do
	in=${case%%|*}
	run "$MEMSNAP" redact "$in" -o x.tar.zst
	assert_rc 1 "redact $in"
	assert_eq "$(cat err)" "memsnap: redact: ${case#*|}" "redact $in"
	[ ! -e x.tar.zst ] && [ ! -e x.tar.zst.map ] || fail "redact $in left a file"
done
# never over an existing file: OUT, or its mapping
run "$MEMSNAP" redact b.tar.zst -o n.tar.zst
assert_rc 1 "OUT exists"
assert_line err "memsnap: redact: 'n.tar.zst': File exists"
touch y.tar.zst.map
run "$MEMSNAP" redact b.tar.zst -o y.tar.zst
assert_rc 1 "the mapping exists"
assert_line err "memsnap: redact: 'y.tar.zst.map': File exists"
[ ! -e y.tar.zst ] || fail "OUT left when its mapping could not be made"
assert_eq "$(stat -c %s y.tar.zst.map)" 0 "the existing mapping"
ln -s /nonexistent z.tar.zst
run "$MEMSNAP" redact b.tar.zst -o z.tar.zst
assert_rc 1 "OUT a symbolic link"
exit 0
