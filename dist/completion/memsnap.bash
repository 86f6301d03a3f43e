# bash completion for memsnap.
#
# Nothing here lists a command, an option or a rule: they are asked of the
# memsnap being completed (the first word, so ./build/memsnap completes as
# itself), when completing:
#   commands          memsnap --list-commands
#   a command's options, and which take a value
#                     memsnap help COMMAND
#   rule ids (--only, --skip, --set, rules show/sql), with the --rules
#   directories already on the line
#                     memsnap rules [-r DIR]...
# Only the choices of a few values are written here (--format, --color,
# --fail-on, export's --format and --ddl); tests/e2e/cli/completion.sh
# checks that memsnap takes each.

# _memsnap_opts PROG CMD: "-d --duration= --count= ..." (= marks a value)
_memsnap_opts()
{
	"$1" help "$2" 2>/dev/null | awk '
		/^  (-[A-Za-z], )?--[a-z]|^      --[a-z]/ {
			left = $0
			sub(/^ +/, "", left)
			sub(/  .*/, "", left)   # the help text follows two spaces
			n = split(left, w, " ")
			v = w[n] ~ /^-/ ? "" : "="
			for (i = 1; i <= n; i++) {
				t = w[i]
				sub(/,$/, "", t)
				if (t ~ /^-/)
					printf "%s%s ", t, v
			}
		}'
}

# _memsnap_rules PROG DIR...: every rule id, then its folders ("leak")
_memsnap_rules()
{
	local prog=$1 d args=()
	shift
	for d in "$@"; do args+=(-r "$d"); done
	"$prog" rules "${args[@]}" 2>/dev/null | awk '/^[^ ]/ { print $1; f = $1; sub(/\/.*/, "", f); dirs[f] = 1 }
		END { for (f in dirs) print f }'
}

# _memsnap_params PROG DIR...: every ID.PARAM=
_memsnap_params()
{
	local prog=$1 d args=()
	shift
	for d in "$@"; do args+=(-r "$d"); done
	"$prog" rules "${args[@]}" 2>/dev/null | awk '/^[^ ]/ { id = $1; next }
		/^  [a-z_0-9]+ +=/ { print id "." $1 "=" }'
}

_memsnap()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local prog=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]} i dirs=()
	prog=${prog/#\~/$HOME}
	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$("$prog" --list-commands 2>/dev/null) help --help --version --list-commands" -- "$cur"))
		return
	fi
	if [ "$cmd" = help ]; then
		[ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "$("$prog" --list-commands 2>/dev/null)" -- "$cur"))
		return
	fi
	for ((i = 2; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-r | --rules) dirs+=("${COMP_WORDS[i+1]}") ;;
		--rules=*) dirs+=("${COMP_WORDS[i]#--rules=}") ;;
		esac
	done
	local opts
	opts=" $(_memsnap_opts "$prog" "$cmd")"
	case $prev in
	--only | --skip)
		local head="" tail=$cur
		case $cur in *,*) head=${cur%,*}, tail=${cur##*,} ;; esac
		COMPREPLY=($(compgen -P "$head" -W "$(_memsnap_rules "$prog" "${dirs[@]}")" -- "$tail"))
		compopt -o nospace 2>/dev/null
		return ;;
	-s | --set)
		COMPREPLY=($(compgen -W "$(_memsnap_params "$prog" "${dirs[@]}")" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return ;;
	--format)
		if [ "$cmd" = export ]; then COMPREPLY=($(compgen -W "csv ndjson" -- "$cur"))
		else COMPREPLY=($(compgen -W "text json tsv" -- "$cur")); fi
		return ;;
	--ddl) COMPREPLY=($(compgen -W "clickhouse postgres" -- "$cur")); return ;;
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--fail-on) COMPREPLY=($(compgen -W "info warning critical" -- "$cur")); return ;;
	-r | --rules | --proc-root | --sys-root | -D | --dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-o | --output | --html | --db) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	# any other option that takes a value: nothing to offer
	case $opts in *" $prev="*) [ "${prev#-}" != "$prev" ] && return ;; esac
	if [ "${cur#-}" != "$cur" ]; then
		COMPREPLY=($(compgen -W "$(echo "$opts" | tr -d =)" -- "$cur"))
		return
	fi
	if [ "$cmd" = rules ]; then
		case $prev in
		show | sql) COMPREPLY=($(compgen -W "$(_memsnap_rules "$prog" "${dirs[@]}" | grep /)" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "list show sql" -- "$cur")) ;;
		esac
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _memsnap memsnap memsnap-static
