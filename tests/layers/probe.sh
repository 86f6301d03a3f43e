#!/bin/sh
# probe.sh CC FLAGSFILE HEADER:allowed|forbidden ... (see layers.cmake)
# Compiles '#include "HEADER"' with the include flags of one layer.
cc=$1 flags=$2
shift 2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
for probe in "$@"; do
	header=${probe%%:*} want=${probe#*:}
	printf '#include "%s"\nint layer_probe;\n' "$header" > "$tmp/probe.c"
	# shellcheck disable=SC2046 # one flag a line, no spaces in build paths
	if "$cc" -fsyntax-only -D_GNU_SOURCE -std=c11 $(cat "$flags") "$tmp/probe.c" 2> "$tmp/err"; then
		got=allowed
	elif grep -q "$header.*No such file\|'$header' file not found" "$tmp/err"; then
		got=forbidden
	else
		echo "$header: failed for another reason:"; cat "$tmp/err"; status=1; continue
	fi
	if [ "$got" = "$want" ]; then
		echo "ok: $header is $want"
	else
		echo "FAIL: $header should be $want, is $got"; status=1
	fi
done
exit $status
