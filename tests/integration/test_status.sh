# `siphon status` and `siphon df` against a real cluster agree with the
# ceph tool; errors are clear and timely.
source "$(dirname "$0")/lib.sh"

cluster_start status --mons 1 --osds 1 --mds 2
conf=$CONF
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_clusters' EXIT

"$SIPHON" -c "$conf" status --format json >"$tmp/siphon.json" || fail "siphon status failed"
ceph_json "$conf" mon dump >"$tmp/mon.json"
ceph_json "$conf" osd dump >"$tmp/osd.json"
ceph_json "$conf" fs dump >"$tmp/fs.json"
ceph_json "$conf" status >"$tmp/s.json"
python3 - "$tmp" <<'PY' || fail "status disagrees with ceph"
import json, sys
d = sys.argv[1]
s = json.load(open(d + "/siphon.json"))
mon = json.load(open(d + "/mon.json"))
osd = json.load(open(d + "/osd.json"))
fs = json.load(open(d + "/fs.json"))
st = json.load(open(d + "/s.json"))
def eq(what, a, b):
    if a != b:
        sys.exit("%s: siphon says %r, ceph says %r" % (what, a, b))
eq("fsid", s["fsid"], mon["fsid"])
eq("fsid vs status", s["fsid"], st["fsid"])
assert s["global_id"] > 0, "no global_id"
eq("monmap epoch", s["monmap"]["epoch"], mon["epoch"])
eq("mon names", [m["name"] for m in s["monmap"]["mons"]], [m["name"] for m in mon["mons"]])
eq("mon ranks", [m["rank"] for m in s["monmap"]["mons"]], [m["rank"] for m in mon["mons"]])
eq("mon addrs", [m["public_addrs"] for m in s["monmap"]["mons"]],
   ["[" + ",".join("%s:%s/%d" % (a["type"], a["addr"], a["nonce"]) for a in m["public_addrs"]["addrvec"]) + "]" for m in mon["mons"]])
eq("osdmap epoch", s["osdmap"]["epoch"], osd["epoch"])
eq("num_osds", s["osdmap"]["num_osds"], len(osd["osds"]))
eq("num_up_osds", s["osdmap"]["num_up_osds"], sum(o["up"] for o in osd["osds"]))
eq("num_in_osds", s["osdmap"]["num_in_osds"], sum(o["in"] for o in osd["osds"]))
eq("pools", [(p["id"], p["name"], p["pg_num"], p["size"]) for p in s["osdmap"]["pools"]],
   [(p["pool"], p["pool_name"], p["pg_num"], p["size"]) for p in osd["pools"]])
eq("fsmap epoch", s["fsmap"]["epoch"], fs["epoch"])
eq("filesystems", [(f["name"], f["id"]) for f in s["filesystems"]],
   [(f["mdsmap"]["fs_name"], f["id"]) for f in fs["filesystems"]])
for sf, cf in zip(s["filesystems"], fs["filesystems"]):
    eq("max_mds", sf["max_mds"], cf["mdsmap"]["max_mds"])
    cinfo = sorted((i["rank"], i["name"], i["state"], i["gid"]) for i in cf["mdsmap"]["info"].values())
    eq("mds of " + sf["name"], sorted((m["rank"], m["name"], m["state"], m["gid"]) for m in sf["mds"]), cinfo)
    assert any(m["state"] == "up:active" and m["rank"] == 0 for m in sf["mds"]), "no active rank 0"
eq("standbys", sorted((m["name"], m["state"], m["gid"]) for m in s["standbys"]),
   sorted((m["name"], m["state"], m["gid"]) for m in fs["standbys"]))
print("status agrees with ceph")
PY
ok "status --format json agrees with ceph mon/osd/fs dump"

"$SIPHON" -c "$conf" status >"$tmp/plain.txt" || fail "plain status failed"
grep -q "up:active" "$tmp/plain.txt" || fail "plain status lacks the active MDS"
grep -q "^monmap e" "$tmp/plain.txt" || fail "plain status lacks the monmap"
ok "plain status"

# df against ceph df; a mgr is up, so totals are not zero
for i in $(seq 1 30); do
	"$SIPHON" -c "$conf" df --format json >"$tmp/df.json" || fail "siphon df failed"
	python3 -c "import json,sys; sys.exit(0 if json.load(open('$tmp/df.json'))['stats']['total_bytes'] > 0 else 1)" && break
	sleep 1
done
ceph_json "$conf" df >"$tmp/cdf.json"
python3 - "$tmp" <<'PY' || fail "df disagrees with ceph df"
import json, sys
d = sys.argv[1]
s = json.load(open(d + "/df.json"))["stats"]
c = json.load(open(d + "/cdf.json"))["stats"]
if s["total_bytes"] != c["total_bytes"]:
    sys.exit("total_bytes: siphon %d, ceph %d" % (s["total_bytes"], c["total_bytes"]))
if s["total_bytes"] <= 0:
    sys.exit("zero total")
print("df agrees:", s["total_bytes"])
PY
"$SIPHON" -c "$conf" df | grep -q TOTAL || fail "plain df"
ok "df agrees with ceph df"

# -m alone, without a config file, works like the ceph tool
mon=$(grep -m1 'mon host' "$conf" | sed 's/.*= *//')
CEPH_CONF=/nonexistent "$SIPHON" -m "$mon" status --format json >/dev/null || fail "-m without a conf"
ok "-m without a config file"

# No monitor: a clear error within --timeout, non-zero exit
start=$(date +%s)
if "$SIPHON" -m 127.0.0.1:9 --timeout 3 status 2>"$tmp/err"; then fail "status without a monitor succeeded"; fi
end=$(date +%s)
grep -q "no monitor answered within 3 s" "$tmp/err" || { cat "$tmp/err"; fail "unclear error without monitor"; }
[ $((end - start)) -le 6 ] || fail "took $((end - start)) s to give up with --timeout 3"
ok "no monitor: '$(cat "$tmp/err")' after $((end - start)) s"

# A missing config file named with -c is an error naming it
if "$SIPHON" -c /nonexistent/ceph.conf status 2>"$tmp/err"; then fail "missing -c file accepted"; fi
grep -q "/nonexistent/ceph.conf" "$tmp/err" || { cat "$tmp/err"; fail "error does not name the file"; }
ok "missing config: $(cat "$tmp/err")"

# Usage errors exit 2
set +e
"$SIPHON" frobnicate >/dev/null 2>&1; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "unknown command exit $rc"
ok "usage errors"
