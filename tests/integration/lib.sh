# Helpers for integration tests: a cluster per test under $RUNDIR, and
# assertions that say what went wrong.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SIPHON=${SIPHON:-$top/build/src/tools/siphon}
RUNDIR=${RUNDIR:-$top/run/check}
CLUSTERS=()

# Starts a cluster in $RUNDIR/NAME and sets CONF to its ceph.conf. Not in
# a subshell: the EXIT trap must know the cluster to stop it.
cluster_start() {	# NAME [scripts/cluster start options...]
	local name=$1; shift
	local dir="$RUNDIR/$name"
	CLUSTERS+=("$dir")
	"$top/scripts/cluster" start --dir "$dir" "$@" >/dev/null
	CONF="$dir/ceph.conf"
}

cleanup_clusters() {
	for d in "${CLUSTERS[@]}"; do
		"$top/scripts/cluster" stop --dir "$d" >/dev/null 2>&1 || true
	done
}
trap cleanup_clusters EXIT

ceph_json() {	# CONF ARGS...
	local conf=$1; shift
	timeout 60 ceph -c "$conf" "$@" -f json 2>/dev/null
}

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
