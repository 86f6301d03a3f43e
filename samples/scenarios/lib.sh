# shellcheck shell=bash
# lib.sh - sourced by the scenario scripts in this directory (not run alone).
#
# A scenario script is run as
#     SCRIPT [-d DURATION] [-k] MEMSNAP OUT.tar.zst [-- EXTRA-COLLECT-OPTIONS]
# (the record-* scripts: OUT is the recorder's directory, and the duration
# the longest they wait for an incident)
# and, in order: builds the programs it needs from ../src into a temporary
# directory, sets up what it needs (files, memory cgroups, a swap file),
# starts the processes, records the whole host with `MEMSNAP collect` for
# DURATION, and removes everything it created. Cleanup runs from an EXIT
# trap, so it also runs when a step fails or the script is interrupted
# (INT, TERM, HUP): processes are stopped by PID, cgroups removed with
# rmdir, swap files swapoff'd and removed, tmpfs and temporary files removed.
# A failed or interrupted run also removes its partial bundle unless -k is
# given. (Only SIGKILL leaves things behind. A script started in the
# background by a non-interactive shell ignores SIGINT, as bash makes such
# jobs do: stop it with SIGTERM.)
#
# Memory cgroups: the v1 memory controller (a mounted "memory" hierarchy)
# when the host has it, else cgroup v2 with the memory controller. New
# cgroups are made below the script's own memory cgroup. On v2 the memory
# controller has to be enabled in the parent's cgroup.subtree_control, which
# the kernel refuses while the parent holds processes ("no internal
# processes"); the script then moves itself into a leaf child ms-self first,
# which works when it is the only process there, e.g. under
#     systemd-run --scope -p Delegate=yes SCRIPT ...
# and moves itself back when done.
#
# Environment: CC (default cc), CFLAGS (default -O2 -Wall -Wextra -Werror).

set -euo pipefail

MS_SCN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MS_SRC_DIR=$(cd "$MS_SCN_DIR/../src" && pwd)

MS_PIDS=()      # processes we started (stopped by PID)
MS_CGROUPS=()   # cgroup directories we made (removed in reverse order)
MS_FILES=()     # files we made outside MS_TMP (removed)
MS_SWAPS=()     # swap files we enabled (swapoff)
MS_TMP=""       # our temporary directory (removed)
MS_COLLECTOR="" # PID of the collector while it runs
MS_OUT=""       # the bundle
MS_OUT_MADE=0   # 1 once the collector may have created MS_OUT
MS_KEEP=0       # -k: keep a partial bundle
MS_CG_SELF=""   # v2 only: the leaf we moved ourselves into
MS_CG_HOME=""   # v2 only: where we were before
MS_CG_ENABLED="" # v2 only: the subtree_control we enabled memory in

ms_log() { printf '[%s %s] %s\n' "$(date -u +%H:%M:%S)" "${MS_NAME:-scenario}" "$*" >&2; }
ms_die() { ms_log "error: $*"; exit 1; }

# seconds from "90", "90s", "10m", "1m30s", "1h"
ms_secs() {
	local s=$1 total=0 n u
	[[ $s =~ ^[0-9]+$ ]] && { echo "$s"; return; }
	while [[ -n $s ]]; do
		[[ $s =~ ^([0-9]+)([smh])(.*)$ ]] || { echo "bad duration: $1" >&2; return 1; }
		n=${BASH_REMATCH[1]} u=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
		case $u in s) total=$((total + n)) ;; m) total=$((total + n * 60)) ;; h) total=$((total + n * 3600)) ;; esac
	done
	echo "$total"
}

# ms_init NAME DEFAULT-DURATION "$@": parse the command line, set the traps.
# Sets MEMSNAP, MS_OUT, MS_DURATION (as given), MS_SECS, MS_EXTRA (array).
ms_init() {
	MS_NAME=$1 MS_DURATION=$2
	shift 2
	local pos=()
	MS_EXTRA=()
	while (($#)); do
		case $1 in
		-d | --duration) MS_DURATION=${2:?-d needs a duration}; shift 2 ;;
		--duration=*) MS_DURATION=${1#*=}; shift ;;
		-k | --keep) MS_KEEP=1; shift ;;
		-h | --help) ms_usage; exit 0 ;;
		--) shift; MS_EXTRA=("$@"); break ;;
		-*) ms_usage >&2; exit 2 ;;
		*) pos+=("$1"); shift ;;
		esac
	done
	((${#pos[@]} == 2)) || { ms_usage >&2; exit 2; }
	MEMSNAP=${pos[0]} MS_OUT=${pos[1]}
	[[ $MEMSNAP == */* ]] || MEMSNAP=$(command -v "$MEMSNAP" || echo "$MEMSNAP")
	[[ -x $MEMSNAP ]] || { echo "$MEMSNAP: not an executable" >&2; exit 2; }
	[[ ! -e $MS_OUT && ! -L $MS_OUT ]] || { echo "$MS_OUT exists (bundles are never overwritten)" >&2; exit 2; }
	MS_SECS=$(ms_secs "$MS_DURATION") || exit 2
	((MS_SECS >= 10)) || { echo "duration must be at least 10s" >&2; exit 2; }
	(($(id -u) == 0)) || { echo "run as root (cgroups, swapon, page-walking reads)" >&2; exit 2; }
	trap ms_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	MS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/memsnap-$MS_NAME.XXXXXX")
	ms_log "host $(uname -n), kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo); duration $MS_DURATION; temp $MS_TMP"
}

ms_usage() {
	cat <<EOF
usage: ${0##*/} [-d DURATION] [-k] MEMSNAP OUT.tar.zst [-- EXTRA-COLLECT-OPTIONS]

  -d DURATION  length of the recording (default ${MS_DURATION:-see the script})
  -k           keep a partial bundle when the run fails or is interrupted
Run as root. Everything the script creates is removed when it ends.
EOF
}

# is PID alive (a zombie is not)?
ms_alive() {
	local st
	st=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[[ -n $st && $st != Z && $st != X ]]
}

# stop one of our processes: TERM, up to 5 s, then KILL; reap it
ms_stop() {
	local pid=$1 i
	if ms_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			ms_alive "$pid" || break
			sleep 0.1
		done
		if ms_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
	fi
	wait "$pid" 2>/dev/null || true
}

ms_cleanup() {
	local rc=$? i
	trap - EXIT INT TERM HUP
	trap '' INT TERM HUP # cleanup itself is not interrupted
	if [[ -n $MS_COLLECTOR ]]; then
		ms_log "stopping the collector (pid $MS_COLLECTOR)"
		kill -TERM "$MS_COLLECTOR" 2>/dev/null || true
		wait "$MS_COLLECTOR" 2>/dev/null || true
		MS_COLLECTOR=""
	fi
	for ((i = ${#MS_PIDS[@]} - 1; i >= 0; i--)); do
		ms_stop "${MS_PIDS[i]}"
	done
	for ((i = ${#MS_SWAPS[@]} - 1; i >= 0; i--)); do
		if grep -q "^${MS_SWAPS[i]} " /proc/swaps; then
			ms_log "swapoff ${MS_SWAPS[i]}"
			swapoff "${MS_SWAPS[i]}" || ms_log "warning: swapoff ${MS_SWAPS[i]} failed"
		fi
	done
	for ((i = ${#MS_FILES[@]} - 1; i >= 0; i--)); do
		rm -f -- "${MS_FILES[i]}"
	done
	for ((i = ${#MS_CGROUPS[@]} - 1; i >= 0; i--)); do
		ms_cg_remove "${MS_CGROUPS[i]}"
	done
	if [[ -n $MS_CG_SELF ]]; then
		echo $$ >"$MS_CG_HOME/cgroup.procs" 2>/dev/null || ms_log "warning: could not move back to $MS_CG_HOME"
		ms_cg_remove "$MS_CG_SELF"
	fi
	if [[ -n $MS_CG_ENABLED ]]; then
		echo -memory >"$MS_CG_ENABLED/cgroup.subtree_control" 2>/dev/null ||
			ms_log "warning: could not disable memory in $MS_CG_ENABLED/cgroup.subtree_control"
	fi
	[[ -n $MS_TMP && -d $MS_TMP ]] && rm -rf -- "$MS_TMP"
	if ((rc != 0 && MS_OUT_MADE && !MS_KEEP)) && [[ -f $MS_OUT ]]; then
		ms_log "run failed (status $rc): removing the partial bundle $MS_OUT (-k keeps it)"
		rm -f -- "$MS_OUT"
	fi
	if ((rc == 0)); then ms_log "done, cleaned up"; else ms_log "exit status $rc, cleaned up"; fi
	exit "$rc"
}

# ms_build PROG...: compile ../src/PROG.c into $MS_TMP/bin/PROG
ms_build() {
	local p cc=${CC:-cc}
	mkdir -p "$MS_TMP/bin"
	for p in "$@"; do
		# shellcheck disable=SC2086
		"$cc" ${CFLAGS:--O2 -Wall -Wextra -Werror} -pthread -o "$MS_TMP/bin/$p" "$MS_SRC_DIR/$p.c" -lm
	done
	ms_log "built $* with $cc ${CFLAGS:--O2 -Wall -Wextra -Werror}"
}

# ms_start CGROUP-DIR|"" PROG ARGS...: start $MS_TMP/bin/PROG in the cgroup
# (joined before exec, so the program's first page is charged there), and
# wait until it runs the program. Start processes before the collector (and
# delay what they do with their -w option): the collector reads comm and
# cmdline when it first sees a PID, and a PID seen between fork and exec
# would keep the script's name. Sets MS_LAST_PID.
ms_start() {
	local cg=$1 prog=$2
	shift 2
	(
		if [[ -n $cg ]]; then echo "$BASHPID" >"$cg/cgroup.procs"; fi
		exec "$MS_TMP/bin/$prog" "$@"
	) &
	MS_LAST_PID=$!
	MS_PIDS+=("$MS_LAST_PID")
	local i
	for ((i = 0; i < 50; i++)); do
		[[ $(readlink "/proc/$MS_LAST_PID/exe" 2>/dev/null) == "$MS_TMP/bin/$prog" ]] && break
		sleep 0.05
	done
	sleep 0.2 # its main() sets the comm first thing
	ms_alive "$MS_LAST_PID" || ms_die "$prog $* exited at once"
	ms_log "started pid $MS_LAST_PID comm $(cat "/proc/$MS_LAST_PID/comm"): $prog $*${cg:+ (cgroup ${cg#"$MS_CG_MNT"})}"
}

# ms_collect ARGS...: start the collector on the whole host, in the background
ms_collect() {
	MS_OUT_MADE=1
	"$MEMSNAP" collect -q -d "$MS_DURATION" -o "$MS_OUT" "$@" "${MS_EXTRA[@]}" &
	MS_COLLECTOR=$!
	ms_log "collector pid $MS_COLLECTOR: $MEMSNAP collect -q -d $MS_DURATION -o $MS_OUT $* ${MS_EXTRA[*]}"
}

# ms_record ARGS...: start `memsnap record -D OUT` (OUT is then the recorder's
# directory) on the whole host, in the background; its log in $MS_TMP/record.log
ms_record() {
	MS_OUT_MADE=1
	"$MEMSNAP" record -D "$MS_OUT" "$@" "${MS_EXTRA[@]}" 2>"$MS_TMP/record.log" &
	MS_COLLECTOR=$!
	ms_log "recorder pid $MS_COLLECTOR: $MEMSNAP record -D $MS_OUT $* ${MS_EXTRA[*]}"
}

# ms_record_incident: wait (up to the duration) for the recorder to seal an
# incident; fail if it does not
ms_record_incident() {
	local i
	for ((i = 0; i < MS_SECS * 10; i++)); do
		if compgen -G "$MS_OUT/incidents/*.tar.zst" >/dev/null; then
			ms_log "incident sealed: $(cd "$MS_OUT/incidents" && ls -- *.tar.zst | tr '\n' ' ')"
			return 0
		fi
		ms_alive "$MS_COLLECTOR" || ms_die "the recorder exited: $(tail -3 "$MS_TMP/record.log")"
		sleep 0.1
	done
	ms_die "no incident within $MS_DURATION: $(tail -5 "$MS_TMP/record.log")"
}

# ms_record_stop: stop the recorder (SIGTERM), keep its log as OUT/record.log
ms_record_stop() {
	local rc=0
	kill -TERM "$MS_COLLECTOR"
	wait "$MS_COLLECTOR" || rc=$?
	MS_COLLECTOR=""
	cp "$MS_TMP/record.log" "$MS_OUT/record.log"
	((rc == 0)) || ms_die "the recorder exited with status $rc"
	ms_log "recorder stopped; its log: $MS_OUT/record.log"
}

# ms_collect_wait: wait for the collector to finish; fail if it did
ms_collect_wait() {
	local rc=0
	wait "$MS_COLLECTOR" || rc=$?
	MS_COLLECTOR=""
	((rc == 0)) || ms_die "collector exited with status $rc"
	ms_log "bundle $MS_OUT: $(stat -c %s "$MS_OUT") bytes"
}

# ms_swapfile MIB: make and enable a swap file of MIB MiB in $MS_TMP (swapoff'd
# and removed at the end); sets MS_SWAPFILE
ms_swapfile() {
	MS_SWAPFILE=$MS_TMP/swapfile
	dd if=/dev/zero of="$MS_SWAPFILE" bs=1M count="$1" conv=fsync status=none
	chmod 600 "$MS_SWAPFILE"
	mkswap -q "$MS_SWAPFILE" >/dev/null
	MS_SWAPS+=("$MS_SWAPFILE")
	swapon "$MS_SWAPFILE"
	ms_log "swapon $MS_SWAPFILE: $(grep "^$MS_SWAPFILE " /proc/swaps)"
}

# ---- memory cgroups ----

# ms_cg_detect: sets MS_CGV (1 or 2), MS_CG_MNT, MS_CG_BASE (our own memory cgroup)
ms_cg_detect() {
	local rel mnt
	rel=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
	mnt=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/mounts)
	if [[ -n $rel && -n $mnt ]]; then
		MS_CGV=1 MS_CG_MNT=$mnt MS_CG_BASE=$mnt${rel%/}
		ms_log "cgroup v1 memory controller at $mnt; own memory cgroup ${rel}"
		return
	fi
	rel=$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)
	while read -r mnt; do
		if grep -qw memory "$mnt/cgroup.controllers" 2>/dev/null; then
			MS_CGV=2 MS_CG_MNT=$mnt MS_CG_BASE=$mnt${rel%/}
			ms_log "cgroup v2 with the memory controller at $mnt; own cgroup ${rel}"
			ms_cg_v2_delegate
			return
		fi
	done < <(awk '$3 == "cgroup2" { print $2 }' /proc/mounts)
	ms_die "no memory cgroup controller (neither a v1 memory hierarchy nor v2 with memory)"
}

# v2: make memory available to children of MS_CG_BASE
ms_cg_v2_delegate() {
	local base=$MS_CG_BASE other
	grep -qw memory "$base/cgroup.subtree_control" && return
	if [[ $base != "$MS_CG_MNT" ]]; then
		# the parent must hold no processes: move ourselves into a leaf
		other=$(grep -vx "$$" "$base/cgroup.procs" || true)
		[[ -z $other ]] || ms_die "cgroup $base holds other processes ($(echo "$other" | tr '\n' ' ')); run under: systemd-run --scope -p Delegate=yes $0 ..."
		mkdir "$base/ms-self"
		MS_CG_SELF=$base/ms-self MS_CG_HOME=$base
		echo $$ >"$MS_CG_SELF/cgroup.procs"
	fi
	echo +memory >"$base/cgroup.subtree_control" || ms_die "cannot enable memory in $base/cgroup.subtree_control"
	MS_CG_ENABLED=$base
}

# ms_cgroup NAME LIMIT [noswap]: make a memory cgroup below ours, limited to
# LIMIT (bytes, or with k/m/g); "noswap" forbids swapping its memory. Prints
# nothing; sets MS_LAST_CG to its directory.
ms_cgroup() {
	local name=$1 limit=$2 swap=${3:-}
	[[ -n ${MS_CGV:-} ]] || ms_cg_detect
	local cg=$MS_CG_BASE/$name
	[[ ! -e $cg ]] || ms_die "$cg already exists (left over from another run? remove it after checking it is not in use)"
	mkdir "$cg"
	MS_CGROUPS+=("$cg")
	if ((MS_CGV == 1)); then
		echo "$limit" >"$cg/memory.limit_in_bytes"
		if [[ $swap == noswap ]]; then
			echo 0 >"$cg/memory.swappiness"
			[[ -e $cg/memory.memsw.limit_in_bytes ]] && echo "$limit" >"$cg/memory.memsw.limit_in_bytes"
		fi
		ms_log "cgroup v1 ${cg#"$MS_CG_MNT"}: memory.limit_in_bytes=$(cat "$cg/memory.limit_in_bytes") swappiness=$(cat "$cg/memory.swappiness")$([[ $swap == noswap && -e $cg/memory.memsw.limit_in_bytes ]] && echo " memsw.limit_in_bytes=$(cat "$cg/memory.memsw.limit_in_bytes")")"
	else
		echo "$limit" >"$cg/memory.max"
		if [[ $swap == noswap && -e $cg/memory.swap.max ]]; then echo 0 >"$cg/memory.swap.max"; fi
		ms_log "cgroup v2 ${cg#"$MS_CG_MNT"}: memory.max=$(cat "$cg/memory.max")$([[ -e $cg/memory.swap.max ]] && echo " memory.swap.max=$(cat "$cg/memory.swap.max")")"
	fi
	# shellcheck disable=SC2034 # used by the scenario scripts
	MS_LAST_CG=$cg
}

# remove a cgroup we made; its processes are already stopped
ms_cg_remove() {
	local cg=$1 i
	[[ -d $cg ]] || return 0
	for ((i = 0; i < 50; i++)); do
		rmdir "$cg" 2>/dev/null && return 0
		sleep 0.1
	done
	ms_log "warning: could not remove cgroup $cg (tasks: $(tr '\n' ' ' <"$cg/cgroup.procs"))"
}

# ms_cg_file CG FILE-V1 FILE-V2: print the value of a cgroup file
ms_cg_get() {
	local cg=$1
	if ((MS_CGV == 1)); then cat "$cg/$2"; else cat "$cg/$3"; fi
}

# ---- files ----

# ms_datafile PATH SIZE-MIB: write a file of SIZE MiB on disk and drop it from
# the page cache (a file just written stays cached and charged to the writer's
# cgroup: a reader in another cgroup would never fault on it)
ms_datafile() {
	local path=$1 mib=$2
	dd if=/dev/urandom of="$path" bs=1M count="$mib" conv=fsync status=none
	ms_dropcache "$path"
}

ms_dropcache() {
	sync "$1"
	dd if="$1" iflag=nocache count=0 status=none
	if command -v fincore >/dev/null; then
		ms_log "$1: $(stat -c %s "$1") bytes, in page cache: $(fincore -nb -o RES "$1" | tr -d ' ') bytes"
	fi
}
