#!/bin/sh
# label: slow (two analyses of each of the eleven bundles)
# Every recorded sample bundle redacted (command lines to argv[0], host,
# cgroup and user names to pseudonyms): the analysis of the redacted
# bundle finds exactly what the original's finds, once its pseudonyms are
# turned back into the real names through the mapping file, with the
# same exit status.
. "$SRC/tests/e2e/lib.sh"
# unmap MAP FILE: FILE with every pseudonym of MAP replaced by its real name
unmap() {
	awk -F '\t' -v X=0123456789ABCDEF '
	function unescape(s,   o, h) {
		o = ""
		while (match(s, /%[0-9A-F][0-9A-F]/)) {
			h = index(X, substr(s, RSTART + 1, 1)) * 16 + index(X, substr(s, RSTART + 2, 1)) - 17
			o = o substr(s, 1, RSTART - 1) sprintf("%c", h)
			s = substr(s, RSTART + 3)
		}
		return o s
	}
	NR == FNR { if ($0 !~ /^#/) real[$2] = unescape($3); next }
	{
		s = $0; o = ""
		while (match(s, /(host|cg|user)-[0-9]+(\.[a-z]+)?/)) {
			t = substr(s, RSTART, RLENGTH)
			before = RSTART > 1 ? substr(s, RSTART - 1, 1) : ""
			if (before ~ /[A-Za-z0-9_-]/ || !(t in real)) {
				if (t !~ /\./ || before ~ /[A-Za-z0-9_-]/ || !(substr(t, 1, index(t, ".") - 1) in real)) {
					o = o substr(s, 1, RSTART + RLENGTH - 1); s = substr(s, RSTART + RLENGTH); continue
				}
				t = substr(t, 1, index(t, ".") - 1)
			}
			o = o substr(s, 1, RSTART - 1) real[t]; s = substr(s, RSTART + length(t))
		}
		print o s
	}' "$1" "$2"
}
n=0 mapped=
for b in "$SRC"/samples/bundles/*.tar.zst; do
	name=$(basename "$b" .tar.zst)
	cp "$b" "$name.tar.zst"
	run "$MEMSNAP" redact -q "$name.tar.zst" -o "$name-r.tar.zst"
	assert_rc 0 "redact $name"
	for v in "$name" "$name-r"; do
		"$MEMSNAP" analyze -q --format json "$v.tar.zst" > "$v.json" 2> "$v.err"
		echo "exit $?" >> "$v.err"
		# the bundle's own size differs, of course
		grep -v -e '"seconds":' -e '"hash":' -e '"path":' -e '^		"size":' "$v.json" > "$v.cmp"
	done
	assert_eq "$(cat "$name-r.err")" "$(cat "$name.err")" "$name: exit status and errors"
	grep -q '"rule":' "$name.cmp" && n=$((n + 1))
	unmap "$name-r.tar.zst.map" "$name-r.cmp" > "$name-r.unmapped"
	diff "$name.cmp" "$name-r.unmapped" > d || { head -20 d; fail "$name: the findings differ"; }
	grep -q '^cgroup	cg-1	' "$name-r.tar.zst.map" && mapped="$mapped $name"
done
# there were findings, and names to map (a redaction that mapped nothing
# would pass); the VM bundles (frag*, numa-*) have no host name and no
# cgroup but the root, except frag-cgroup2
[ "$n" -ge 9 ] || fail "only $n bundles have findings"
assert_eq "$mapped" " frag-cgroup2 leak oom slab swap thrash" "bundles with cgroups mapped"
exit 0
