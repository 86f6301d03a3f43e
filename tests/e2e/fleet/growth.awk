# The fleet summary's growth, from `memsnap analyze --format json` of
# several hosts: "HOST<TAB>BYTES<TAB>PID<TAB>COMM" a host (hosts[].growth),
# for the warehouse tests' growth query to be compared with.
/^\t"rules":/ { exit }
{ v = $0; sub(/^[^:]*:\t"?/, "", v); sub(/"?,?$/, "", v) }
/^\t\t\t"host":/ { h = v }
/^\t\t\t\t"pid":/ { p = v }
/^\t\t\t\t"comm":/ { c = v }
/^\t\t\t\t"bytes":/ { printf "%s\t%s\t%s\t%s\n", h, v, p, c }
