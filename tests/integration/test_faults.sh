# Faults while writing: a siphon-fuse mount and a ceph-fuse mount of one
# cluster (3 mons, 3 OSDs with 3 copies, 3 MDSs) each run a writer
# (fault_writer.sh: create, rename, append to an open file) while a fault
# is made: an MDS failed over (`ceph mds fail`), the active MDS killed -9,
# rank 1 of two failed, a monitor killed, an OSD killed and restarted,
# two OSDs marked down (they boot again by themselves), siphon-fuse
# stalled while ceph-fuse wants its file (evicted, then recovering),
# socket failures injected on the daemons, both clients stalled (SIGSTOP)
# past the session timeout. Each round checks that nothing hangs (the
# writer goes on), no step fails, and every acknowledged file and journal
# line is there with the right bytes, read through the other client. The
# longest step of each writer from the fault on (the time from the fault
# to working again; after the stall, from SIGCONT) is printed for siphon
# and ceph-fuse side by side.
source "$(dirname "$0")/lib.sh"

SIPHON_FUSE=${SIPHON_FUSE:-$(dirname "$SIPHON")/../fuse/siphon-fuse}
[ -x "$SIPHON_FUSE" ] || fail "no siphon-fuse at $SIPHON_FUSE"
command -v ceph-fuse >/dev/null || fail "ceph-fuse is not installed"
writer="$top/tests/integration/fault_writer.sh"

cluster_start faults --mons 3 --osds 3 --mds 3 --pool-size 3
conf=$CONF
dir=$(dirname "$conf")
sfm="$dir/mnt-sf" cfm="$dir/mnt-cf"
mkdir -p "$sfm" "$cfm"
results=()

c() { timeout 60 ceph -c "$conf" "$@" 2>/dev/null; }
cl() { "$top/scripts/cluster" "$1" --dir "$dir" "${@:2}" >/dev/null; }
umount_all() {
	fusermount3 -u "$sfm" 2>/dev/null || umount -l "$sfm" 2>/dev/null
	fusermount3 -u "$cfm" 2>/dev/null || umount -l "$cfm" 2>/dev/null
}
# FAULT_KEEP_LOGS=DIR keeps the writers' and the clients' logs there.
keep_logs() { [ -z "${FAULT_KEEP_LOGS:-}" ] || { mkdir -p "$FAULT_KEEP_LOGS" && cp "$dir"/*.log "$FAULT_KEEP_LOGS"/; }; }
trap 'set +e; touch "$dir"/stop.*; keep_logs; umount_all; cleanup_clusters' EXIT

# client_recover_session = clean: after an eviction, start over with a
# new address (the kernel client's option; ceph-fuse has none)
"$SIPHON_FUSE" -c "$conf" --log_file "$dir/siphon-fuse.log" \
	--client_recover_session clean "$sfm" ||
	fail "siphon-fuse did not mount"
ceph-fuse -c "$conf" "$cfm" --pid_file "$dir/ceph-fuse.pid" \
	--admin_socket "$dir/ceph-fuse.asok" --log_file "$dir/ceph-fuse.log" \
	>/dev/null 2>&1 || fail "ceph-fuse did not mount"
sf_pid=$(pgrep -nf "siphon-fuse -c $conf")
cf_pid=$(cat "$dir/ceph-fuse.pid")
[ -n "$sf_pid" ] && [ -n "$cf_pid" ] || fail "no client daemons"
mkdir "$sfm/sf" "$cfm/cf" || fail "mkdir"
s() { "$SIPHON" -c "$conf" "$@"; }
s xattr set /sf ceph.quota.max_bytes $((1 << 30)) && s xattr set /cf ceph.quota.max_bytes $((1 << 30)) ||
	fail "quota"
ok "mounted: siphon-fuse (pid $sf_pid) and ceph-fuse (pid $cf_pid)"

# The name of the daemon holding rank $1 while active ("" if none).
active_mds() {
	c fs dump -f json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for fs in d["filesystems"]:
    for i in fs["mdsmap"]["info"].values():
        if i["rank"] == int(sys.argv[1]) and i["state"] == "up:active":
            print(i["name"])' "$1"
}
# Waits until $1 ranks are active and $2 daemons stand by.
wait_mds() {
	local i
	for ((i = 0; i < 120; i++)); do
		c fs dump -f json | python3 -c '
import json, sys
d = json.load(sys.stdin)
m = d["filesystems"][0]["mdsmap"]
act = sum(1 for i in m["info"].values() if i["state"] == "up:active")
sys.exit(0 if act == int(sys.argv[1]) and len(d["standbys"]) >= int(sys.argv[2]) else 1)' "$1" "$2" && return 0
		sleep 1
	done
	fail "MDS ranks did not settle ($1 active, $2 standby)"
}
steps() { grep -vc '^ERR' "$1" 2>/dev/null || true; }
# The longest a writer's step took once the fault began at $2, in
# seconds: the part of a step before the fault is not counted (where in
# its step the fault catches a writer is chance, up to a step's length).
longest() { awk -v t="$2" '$1 != "ERR" && $4 > t { d = $4 - ($3 > t ? $3 : t); if (d > m) m = d } END { printf "%.1f", m }' "$1"; }
# After a stall, the time from the clients' SIGCONT ($2) to the end of a
# writer's first step after it. (Not its longest step: a step the stop
# caught lasts the stop, but one may end just before it and the writer
# then wait in a command outside the timed part: every command the
# script runs inherits the journal's descriptor and flushes it on exit.)
resumed() { awk -v t="$2" '$1 != "ERR" && $4 > t { printf "%.1f", $4 - t; done = 1; exit } END { if (!done) printf "never" }' "$1"; }

# round NAME SUBDIR ACTION...: both writers run in SUBDIR of their own
# directory; after 3 s ACTION runs; then each writer must complete 20 more
# steps within 120 s. Then both stop and everything is checked.
# FAULT_ROUNDS="osd_kill socket_faults" runs only the rounds named.
wanted() { [ -z "${FAULT_ROUNDS:-}" ] || [[ " $FAULT_ROUNDS " == *" $1 "* ]]; }
want() { wanted "$1" || { echo "skipping round $1 (FAULT_ROUNDS)"; return 1; }; }
round() {
	local name=$1 sub=$2; shift 2
	want "$name" || return 0
	local sd="$sfm/sf/$sub/$name" cd="$cfm/cf/$sub/$name"
	local sl="$dir/$name.sf.log" cl_="$dir/$name.cf.log" stop="$dir/stop.$name"
	local i n_sf n_cf t0 t1
	rm -f "$sl" "$cl_" "$stop"; : >"$sl"; : >"$cl_"
	bash "$writer" "$sd" "$sl" "$stop" & local wsf=$!
	bash "$writer" "$cd" "$cl_" "$stop" & local wcf=$!
	sleep 3
	t0=$(date +%s.%N)
	"$@" || { touch "$stop"; fail "$name: the fault action failed: $*"; }
	t1=$(date +%s.%N)
	n_sf=$(steps "$sl"); n_cf=$(steps "$cl_")
	for ((i = 0; i < 1200; i++)); do
		[ "$(steps "$sl")" -ge $((n_sf + 20)) ] && [ "$(steps "$cl_")" -ge $((n_cf + 20)) ] && break
		sleep 0.1
	done
	touch "$stop"
	[ "$(steps "$sl")" -ge $((n_sf + 20)) ] || fail "$name: siphon-fuse's writer hangs ($(steps "$sl") steps, $n_sf when the fault ended)"
	local cf_note=""
	[ "$(steps "$cl_")" -ge $((n_cf + 20)) ] || cf_note=" (ceph-fuse's writer stalled)"
	wait "$wsf" "$wcf" 2>/dev/null
	grep '^ERR' "$sl" && fail "$name: siphon-fuse steps failed"
	grep -q '^ERR' "$cl_" && cf_note="$cf_note (ceph-fuse: $(grep -c '^ERR' "$cl_") failed steps)"
	# Every acknowledged step of siphon's, read back through ceph-fuse
	# (from the cluster, not siphon's memory); ceph-fuse's through itself
	# (through siphon, each file would wait for the MDS to take back
	# ceph-fuse's caps on it, which takes ceph-fuse seconds per file).
	verify "$name" "$sl" "$cfm/sf/$sub/$name" siphon-fuse
	verify "$name" "$cl_" "$cfm/cf/$sub/$name" ceph-fuse
	local m_sf m_cf
	if [ -n "$resumed_at" ]; then
		m_sf=$(resumed "$sl" "$resumed_at") m_cf=$(resumed "$cl_" "$resumed_at")
	else
		m_sf=$(longest "$sl" "$t0") m_cf=$(longest "$cl_" "$t0")
	fi
	results+=("$(printf '%-14s %8s s %10s s   (%s + %s steps; fault took %.1f s)%s' "$name" \
		"$m_sf" "$m_cf" "$(steps "$sl")" "$(steps "$cl_")" \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$cf_note")")
	ok "$name: $(steps "$sl") siphon-fuse steps and $(steps "$cl_") ceph-fuse steps, all there; working again after $m_sf s (ceph-fuse $m_cf s)$cf_note"
	rm -rf "$sd" "$cd"
}
# verify NAME LOG DIR WHO: the files and journal LOG says were written.
verify() {
	local name=$1 log=$2 d=$3 who=$4 i h bad=0 n=0
	while read -r i h _; do
		[ "$i" = ERR ] && continue
		n=$((n + 1))
		[ "$(sha256sum <"$d/f.$i" 2>/dev/null | cut -c1-16)" = "$h" ] ||
			{ bad=$((bad + 1)); [ $bad -le 5 ] && echo "  $who's f.$i is wrong or missing" >&2; }
		grep -qx "step $i" "$d/journal" 2>/dev/null ||
			{ bad=$((bad + 1)); [ $bad -le 5 ] && echo "  $who's journal lacks step $i" >&2; }
	done <"$log"
	if [ "$bad" -gt 0 ]; then
		[ "$who" = siphon-fuse ] && fail "$name: $bad of $n acknowledged steps of siphon-fuse lost"
		echo "note: $name: ceph-fuse lost $bad of $n steps" >&2
	fi
}

mds_fail_rank0() { c mds fail cephfs:0 >/dev/null; }
mds_kill_active() {
	local a; a=$(active_mds 0); [ -n "$a" ] || return 1
	cl kill "mds.$a" && sleep 1 && cl restart --no-wait "mds.$a"
}
mds_fail_rank1() { c mds fail cephfs:1 >/dev/null; }
mon_kill() { cl kill mon.a; }
osd_kill_restart() { cl kill osd.1 && sleep 8 && cl restart --no-wait osd.1; }
# Marked down while it runs: no socket fails, only the map changes (the
# daemon sees itself marked down and boots again); requests must follow
# the PGs to their new primaries and back.
osd_marked_down() {
	local i
	c osd down 0 1 >/dev/null || return 1
	for ((i = 0; i < 60; i++)); do
		[ "$(c osd dump -f json | python3 -c 'import json, sys
print(sum(o["up"] for o in json.load(sys.stdin)["osds"]))')" = 3 ] && return 0
		sleep 1
	done
	return 1
}
socket_faults() {
	c config set mds ms_inject_socket_failures 400 &&
	c config set osd ms_inject_socket_failures 400 && sleep 20 &&
	c config rm mds ms_inject_socket_failures && c config rm osd ms_inject_socket_failures
}
# The round's measure is then the time from SIGCONT (resumed_at).
resumed_at=""
stall_clients() {
	kill -STOP "$sf_pid" "$cf_pid" && sleep 36 && kill -CONT "$sf_pid" "$cf_pid" &&
		resumed_at=$(date +%s.%N)
}

round mds_fail "" mds_fail_rank0
wait_mds 1 2
round mds_kill9 "" mds_kill_active
wait_mds 1 2

# Two active ranks; the writers' directories pinned to rank 1.
rank1_round() {
	c fs set cephfs max_mds 2 || fail "max_mds 2"
	wait_mds 2 1
	mkdir -p "$sfm/sf/r1" "$cfm/cf/r1"
	# not empty: rank 1 hands an empty imported directory straight back
	: >"$sfm/sf/r1/keep" && : >"$cfm/cf/r1/keep" || fail "files in the pinned directories"
	s xattr set /sf/r1 ceph.dir.pin 1 && s xattr set /cf/r1 ceph.dir.pin 1 || fail "pinning to rank 1"
	# A pin takes effect when rank 0's balancer gets to it, which here can
	# take minutes: ask rank 0 to export them now (again every 10 s: an
	# export asked for while rank 1 settles can be dropped).
	on_rank1() {
		c tell mds.cephfs:1 get subtrees | python3 -c '
import json, sys
paths = {t["dir"]["path"] for t in json.load(sys.stdin) if t["auth_first"] == 1}
sys.exit(0 if sys.argv[1] in paths else 1)' "$1"
	}
	for ((i = 0; i < 90; i++)); do
		on_rank1 /sf/r1 && on_rank1 /cf/r1 && break
		if [ $((i % 10)) -eq 0 ]; then
			on_rank1 /sf/r1 || c tell mds.cephfs:0 export dir /sf/r1 1 >/dev/null
			on_rank1 /cf/r1 || c tell mds.cephfs:0 export dir /cf/r1 1 >/dev/null
		fi
		sleep 1
	done
	[ "$i" -lt 90 ] || fail "rank 1 did not take the pinned directories"
	round rank1_fail r1 mds_fail_rank1
	wait_mds 2 1
	c fs set cephfs max_mds 1 || fail "max_mds 1"
	wait_mds 1 2
}
! want rank1_fail || rank1_round

round mon_kill "" mon_kill
! wanted mon_kill || cl restart mon.a || fail "mon.a did not come back"
round osd_kill "" osd_kill_restart
round osd_down "" osd_marked_down
round socket_faults "" socket_faults

# Stalled past the session timeout: caps go stale, then come back.
# (30 s is the least the monitors take)
# Stalled past the session timeout while another client wants a file it
# holds with buffered writes: the MDS evicts it. The writes that a close
# of the file (a reader's) started before the stop are kept; the held
# file then fails, and siphon-fuse (recover_session = clean) works again.
stall_evicted_round() {
	local d="$sfm/sf/stallev" t0 t1 t_read t_back="" i r hp want
	want=$(printf 'line %s\n' 1 2 3 4 5)
	rm -f "$dir/stallev.ready" "$dir/stallev.go"
	mkdir -p "$d" || fail "stall_evicted: mkdir"
	# the writer holds the file in a process of its own: a process
	# holding it (this shell's command substitutions too) would wait on
	# its exit to flush it while siphon-fuse is stopped
	(
		exec 3>"$d/held" || exit 2
		for i in 1 2 3 4 5; do echo "line $i" >&3; done
		: >"$dir/stallev.ready"
		while [ ! -e "$dir/stallev.go" ]; do sleep 0.1; done
		for ((i = 0; i < 300; i++)); do
			echo more >&3 2>/dev/null || exit 0
			sleep 0.1
		done
		exit 1
	) & hp=$!
	for ((i = 0; i < 100; i++)); do [ -e "$dir/stallev.ready" ] && break; sleep 0.1; done
	[ -e "$dir/stallev.ready" ] || fail "stall_evicted: cannot write the held file"
	: <"$d/held"	# a reader opens and closes it
	sleep 0.5
	kill -STOP "$sf_pid"
	t0=$(date +%s.%N)
	cat "$cfm/sf/stallev/held" >"$dir/stallev.read" 2>/dev/null & local rd=$!
	# the MDS evicts a stale client whose write caps another wants, in
	# ~33 s; it may also just wait for it (seen once, with the other
	# client waiting on a directory lock): then, after 45 s, it resumes
	for ((i = 0; i < 450; i++)); do
		kill -0 "$rd" 2>/dev/null || break
		sleep 0.1
	done
	t1=$(date +%s.%N)
	kill -CONT "$sf_pid"
	touch "$dir/stallev.go"
	if [ "$i" -ge 450 ]; then
		timeout 60 tail --pid="$rd" -f /dev/null || fail "stall_evicted: ceph-fuse's read hangs after SIGCONT"
		wait "$rd" || fail "stall_evicted: ceph-fuse's read failed"
		kill "$hp" 2>/dev/null || true
		wait "$hp" 2>/dev/null || true
		[ "$(head -5 "$dir/stallev.read")" = "$want" ] ||
			fail "stall_evicted: ceph-fuse read '$(tr '\n' '|' <"$dir/stallev.read")', not the five lines"
		results+=("$(printf '%-14s %8s s %10s s   (not evicted: the MDS waited for siphon-fuse)' stall_evicted - -)")
		ok "stall_evicted: not evicted within 45 s (the MDS waited); ceph-fuse read the five lines once siphon-fuse resumed"
		rm -rf "$d"
		return 0
	fi
	wait "$rd" || fail "stall_evicted: ceph-fuse could not read the stopped client's file"
	t_read=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	[ "$(cat "$dir/stallev.read")" = "$want" ] ||
		fail "stall_evicted: ceph-fuse read '$(tr '\n' '|' <"$dir/stallev.read")', not the five lines"
	r=0
	timeout 60 tail --pid="$hp" -f /dev/null || r=$?
	[ $r -eq 0 ] || { kill "$hp" 2>/dev/null; fail "stall_evicted: the held file still works after the eviction"; }
	wait "$hp" || fail "stall_evicted: the held file still works 30 s after SIGCONT"
	for ((i = 0; i < 60; i++)); do
		if timeout 20 sh -c 'echo probe >"$1" && [ "$(cat "$1")" = probe ]' _ "$d/probe" 2>/dev/null; then
			t_back=$(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
			break
		fi
		sleep 0.5
	done
	[ -n "$t_back" ] || fail "stall_evicted: siphon-fuse did not work again within 30 s of SIGCONT"
	[ "$(cat "$d/held")" = "$want" ] || fail "stall_evicted: siphon-fuse reads other lines after recovering"
	results+=("$(printf '%-14s %8s s %10s s   (siphon-fuse stopped; ceph-fuse read its file after %s s)' \
		stall_evicted "$t_back" - "$t_read")")
	ok "stall_evicted: ceph-fuse read the stopped client's five lines after $t_read s (eviction); the held file failed; siphon-fuse worked again $t_back s after SIGCONT"
	rm -rf "$d"
}

if want stall || wanted stall_evicted; then
	c fs set cephfs session_timeout 30 || fail "session_timeout"
	round stall "" stall_clients
	resumed_at=""
	! want stall_evicted || stall_evicted_round
	c fs set cephfs session_timeout 60
fi

# Eviction (`ceph tell mds.N client evict`: the client's address is
# blocklisted, its session killed). Each client must report errors rather
# than hang: a file it held open fails. siphon-fuse (recover_session =
# clean) must then work again with a fresh session and have lost nothing
# that was synced before; ceph-fuse stays refused until remounted.
# evict_round NAME WHO MOUNT SUBDIR
evict_round() {
	local name=$1 who=$2 m=$3 sub=$4 d="$3/$4" log="$dir/$1.log" stop="$dir/stop.$1"
	local id t0 t_err="" t_back="" i r hp
	want "$name" || return 0
	rm -f "$log" "$stop"; : >"$log"
	bash "$writer" "$d" "$log" "$stop" & local w=$!
	sleep 3
	touch "$stop"; wait "$w" || true
	sync -f "$d/journal" || fail "$name: sync before the eviction"
	# a file held open across the eviction, written every 0.1 s
	(
		exec 3>>"$d/held" || exit 2
		while echo x >&3; do sleep 0.1; done 2>/dev/null
		date +%s.%N >"$dir/$name.err"
	) & hp=$!
	sleep 0.5
	kill -0 "$hp" 2>/dev/null || fail "$name: cannot write the held file"
	id=$(c tell mds.cephfs:0 client ls | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    v = s.get("client_metadata", {}).get("ceph_version", "")
    if v.startswith("siphon") == (sys.argv[1] == "siphon"):
        print(s["id"]); break' "$who")
	[ -n "$id" ] || fail "$name: no session of $who at rank 0"
	t0=$(date +%s.%N)
	c tell mds.cephfs:0 client evict id="$id" >/dev/null || fail "$name: evict failed"
	# errors, not a hang: the held file fails within 60 s
	for ((i = 0; i < 600; i++)); do
		kill -0 "$hp" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$hp" 2>/dev/null; then
		kill "$hp" 2>/dev/null || true
		[ "$who" = siphon ] && fail "$name: siphon-fuse's open file still works 60 s after the eviction"
		t_err="none"
	else
		t_err=$(awk -v a="$t0" -v b="$(cat "$dir/$name.err" 2>/dev/null || echo "$t0")" 'BEGIN { printf "%.1f", b - a }')
	fi
	wait "$hp" 2>/dev/null || true
	# working again: a new file written and read back (each try bounded)
	for ((i = 0; i < 60; i++)); do
		r=0
		timeout 20 sh -c 'echo "probe $2" >"$1" && [ "$(cat "$1")" = "probe $2" ]' \
			_ "$d/probe.$i" "$i" 2>/dev/null || r=$?
		if [ $r -eq 0 ]; then
			t_back=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
			break
		fi
		[ $r -eq 124 ] && [ "$who" = siphon ] && fail "$name: a call on siphon-fuse hangs after the eviction"
		sleep 0.5
	done
	if [ "$who" = siphon ]; then
		[ -n "$t_back" ] || fail "$name: siphon-fuse did not recover a session within 60 s"
		# what was synced before is all there, read with the new session
		verify "$name" "$log" "$d" siphon-fuse
	fi
	results+=("$(printf '%-14s %8s s %10s s   (%s: first error after %s s)' "$name" \
		"$([ "$who" = siphon ] && echo "$t_back" || echo "-")" \
		"$([ "$who" = siphon ] && echo "-" || echo "${t_back:-never}")" "$who" "$t_err")")
	ok "$name: $who reported errors after ${t_err} s and worked again $([ -n "$t_back" ] && echo "after $t_back s" || echo "never (needs a remount)")$([ "$who" = siphon ] && echo "; $(steps "$log") synced steps all there")"
}
evict_round evict_siphon siphon "$sfm" sf/evict
evict_round evict_ceph_fuse ceph "$cfm" cf/evict

echo
echo "time from the fault to working again (each writer's longest step from the"
echo "fault on; after the stall, from SIGCONT to its first step done):"
printf '%-14s %10s %12s\n' round siphon-fuse ceph-fuse
printf '%s\n' "${results[@]}"
grep -E "reconnect|session lost|caps lost" "$dir/siphon-fuse.log" | tail -20 || true
ok "all fault rounds passed"
