# help2scd.awk - the SYNOPSIS and OPTIONS sections a man page must hold,
# made from `memsnap help COMMAND` (stdin).  tests/e2e/cli/man.sh compares
# them with docs/man/memsnap-COMMAND.1.scd, line for line; run it by hand
# to write those sections after changing a command's options:
#   build/memsnap help collect | awk -f docs/man/help2scd.awk
#
# The help's layout (common/ms_opt.c): "usage: memsnap SYNOPSIS", more
# synopsis lines indented by 7, a blank line, the about text, a blank line,
# the options ("  -d, --duration DURATION   text" or "      --level N  text",
# the text continued on lines indented to its column), a blank line, the
# footer.  In scdoc, \ * and _ are markup: escaped.
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/\*/, "\\*", s); gsub(/_/, "\\_", s); return s }
function flush_opt() {
	if (left == "") return
	n = split(left, w, " ")
	head = ""
	for (i = 1; i <= n; i++) {
		t = w[i]; comma = ""
		if (t ~ /,$/) { comma = ","; t = substr(t, 1, length(t) - 1) }
		if (t ~ /^-/) t = "*" esc(t) "*"; else t = "_" esc(t) "_"
		head = head (i > 1 ? " " : "") t comma
	}
	opts = opts (opts == "" ? "" : "\n") head "\n" text "\n"
	left = ""; text = ""
}
BEGIN { part = "synopsis" }
function synopsis(s) {   # "collect [-d D]" -> "*memsnap collect* [-d D]"
	cmd = s; rest = ""
	if (match(s, / /)) { cmd = substr(s, 1, RSTART - 1); rest = substr(s, RSTART) }
	if (cmd ~ /^\[/)        # memsnap's own: "[--version] ..."
		return "*memsnap* " esc(s) "\n"
	return "*memsnap " esc(cmd) "*" esc(rest) "\n"
}
part == "synopsis" && /^usage: memsnap / { syn = syn synopsis(substr($0, 16)); next }
part == "synopsis" && /^       memsnap / { syn = syn "\n" synopsis(substr($0, 16)); next }
part == "synopsis" && /^$/ { part = "about"; next }
part == "about" && /^$/ { part = "options"; next }
part == "about" { next }
part == "options" && /^$/ { flush_opt(); part = "footer"; next }
part == "options" && /^  (-[A-Za-z], )?--|^      --/ {
	flush_opt()
	line = $0
	sub(/^ +/, "", line)
	if (match(line, /  +/)) {
		left = substr(line, 1, RSTART - 1)
		text = "\t" esc(substr(line, RSTART + RLENGTH))
	} else {
		left = line
		text = ""
	}
	next
}
part == "options" {
	line = $0
	sub(/^ +/, "", line)
	text = text (text == "" ? "" : "\n") "\t" esc(line)
	next
}
END {
	flush_opt()
	printf "# SYNOPSIS\n\n%s\n# OPTIONS\n\n%s", syn, opts
}
