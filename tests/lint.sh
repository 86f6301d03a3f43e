#!/bin/sh
# lint.sh SRCDIR - fail when a banned function appears in the C sources:
# they cannot report errors (atoi), overflow (sprintf, strcpy, strcat, gets)
# or keep hidden state (strtok).
cd "$1" || exit 2
hits=$(grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets)[[:space:]]*\(' \
	cli/*.c common/*.c collect/*.c analyze/*/*.c analyze/report/*/*.c 2>/dev/null | grep -v 'snprintf\|vsnprintf')
if [ -n "$hits" ]; then
	echo "banned functions:"
	echo "$hits"
	exit 1
fi
echo "lint: no banned functions"
