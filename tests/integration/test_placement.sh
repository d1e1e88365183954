# siphon's CRUSH mapper and object/PG placement against Ceph's own tools:
# crushtool --test --show-mappings on synthetic maps of every bucket
# algorithm, tunables and device classes; osdmaptool --test-map-object and
# --test-map-pgs-dump-all on the test data maps and on a live cluster's map
# (pools of several pg_num, size 2, EC, upmaps, primary affinity, reweight);
# `ceph osd map` for full object hashes with namespaces.
source "$(dirname "$0")/lib.sh"

PC=${PLACEMENT_CHECK:-$(dirname "$SIPHON")/../../tests/placement_check}
[ -x "$PC" ] || fail "no placement_check at $PC"
data="$top/tests/data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_clusters' EXIT
compared=0

# crushtool and siphon on one map: every rule, num-rep 1..5, x 0..X
crush_vs() {	# MAP MAX_X [extra crushtool --test args]
	local map=$1 maxx=$2; shift 2
	crushtool -i "$map" --test --show-mappings --min-x 0 --max-x "$maxx" \
		--num-rep 1 "$@" >/dev/null 2>&1 || fail "crushtool --test on $map"
	local rules
	rules=$(crushtool -i "$map" --dump 2>/dev/null | python3 -c \
		'import json,sys; print(" ".join(str(r["rule_id"]) for r in json.load(sys.stdin)["rules"]))')
	for r in $rules; do
		for n in 1 2 3 4 5; do
			crushtool -i "$map" --test --show-mappings --rule "$r" --num-rep "$n" \
				--min-x 0 --max-x "$maxx" "$@" 2>/dev/null | { grep '^CRUSH' || true; } >"$tmp/want"
			"$PC" crush "$map" --rule "$r" --num-rep "$n" --min-x 0 --max-x "$maxx" \
				"$@" >"$tmp/got" || fail "placement_check crush $map"
			if ! cmp -s "$tmp/want" "$tmp/got"; then
				diff "$tmp/want" "$tmp/got" | head -5
				fail "$(basename "$map") rule $r num-rep $n: siphon differs from crushtool"
			fi
			compared=$((compared + $(wc -l <"$tmp/want")))
		done
	done
}

# Synthetic maps: every bucket algorithm at every level, then rules of
# every kind, reweighted items, device classes and tunable profiles.
build() {	# NAME --build args...
	local m="$tmp/$1"; shift
	crushtool -o "$m" --build "$@" >/dev/null 2>&1 || fail "crushtool --build $*"
	# a firstn and an indep rule across hosts and across racks-or-roots,
	# and a plain choose over devices
	crushtool -i "$m" --create-simple-rule hfirst root host firstn -o "$m" >/dev/null 2>&1
	crushtool -i "$m" --create-simple-rule hindep root host indep -o "$m" >/dev/null 2>&1
	crushtool -i "$m" --create-simple-rule ofirst root osd firstn -o "$m" >/dev/null 2>&1
	crushtool -i "$m" --create-simple-rule oindep root osd indep -o "$m" >/dev/null 2>&1
	echo "$m"
}
reweight() {	# MAP SEED: random CRUSH weights on a third of the devices
	local m=$1 seed=$2 n
	n=$(crushtool -i "$m" --dump 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["devices"]))')
	for i in $(python3 -c "import random; random.seed($seed); print(' '.join(str(i) for i in random.sample(range($n), $n // 3)))"); do
		w=$(python3 -c "import random; random.seed($seed * 1000 + $i); print('%.3f' % random.uniform(0.05, 3))")
		crushtool -i "$m" --reweight-item "osd.$i" "$w" -o "$m" >/dev/null 2>&1 ||
			fail "reweight osd.$i"
	done
}

m1=$(build m1 --num_osds 24 host straw2 4 rack straw 2 root tree 0)
m2=$(build m2 --num_osds 30 host uniform 3 rack list 2 root straw2 0)
m3=$(build m3 --num_osds 16 host list 4 root straw 0)
m4=$(build m4 --num_osds 27 host tree 3 rack uniform 3 root straw2 0)
m5=$(build m5 --num_osds 20 host straw 5 root uniform 0)
reweight "$m1" 1
reweight "$m3" 3
reweight "$m4" 4
reweight "$m5" 5
for m in "$m1" "$m2" "$m3" "$m4" "$m5"; do
	crush_vs "$m" 999
done
ok "synthetic maps (straw2/straw/tree/list/uniform at each level, reweighted): $compared mappings equal"

# Device classes: some devices become ssd, the rest hdd, with class rules
crushtool -d "$m1" -o "$tmp/c1.txt" >/dev/null 2>&1 || fail "crushtool -d"
sed -i -E 's/^(device ([0-9]|1[0-5]) osd\.[0-9]+)$/\1 class ssd/; s/^(device [0-9]+ osd\.[0-9]+)$/\1 class hdd/' "$tmp/c1.txt"
crushtool -c "$tmp/c1.txt" -o "$tmp/c1" >/dev/null 2>&1 || fail "crushtool -c with classes"
crushtool -i "$tmp/c1" --create-replicated-rule ssdr root host --device-class ssd -o "$tmp/c1" >/dev/null 2>&1 ||
	fail "class rule"
crushtool -i "$tmp/c1" --create-replicated-rule hddr root osd --device-class hdd -o "$tmp/c1" >/dev/null 2>&1 ||
	fail "class rule hdd"
crush_vs "$tmp/c1" 999

# Tunable profiles: legacy (local tries, no descend_once, no vary_r, no
# stable), firefly-like, and the map's own
for t in "0 2 5 0 0" "1 0 0 1 0" "1 0 0 2 1"; do
	set -- $t
	crushtool -i "$m2" --set-chooseleaf-descend-once "$1" --set-choose-local-tries "$2" \
		--set-choose-local-fallback-tries "$3" --set-chooseleaf-vary-r "$4" \
		--set-chooseleaf-stable "$5" --set-choose-total-tries 19 -o "$tmp/t" >/dev/null 2>&1 ||
		fail "tunables $t"
	crush_vs "$tmp/t" 599
done

# Hand-written maps: the test data's all-algorithms map (set_* steps,
# choose_args, classes), and x hashed with a pool id
crushtool -c "$data/crush-allalgs.src.txt" -o "$tmp/allalgs" >/dev/null 2>&1 || fail "crushtool -c"
crush_vs "$tmp/allalgs" 2999
crush_vs "$tmp/allalgs" 999 --pool-id 1
crush_vs "$data/crush-seq-e59.bin" 1999
ok "classes, tunable profiles, hand-written maps: $compared CRUSH mappings equal in all"

# OSDMaps of the test data: every PG of every pool
pgs=0
pgs_vs() {	# OSDMAP
	osdmaptool "$1" --test-map-pgs-dump-all 2>/dev/null | { grep -E '^pool|raw' || true; } >"$tmp/want"
	"$PC" osdmap "$1" --test-map-pgs-dump-all >"$tmp/got" || fail "placement_check osdmap $1"
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		diff "$tmp/want" "$tmp/got" | head -5
		fail "$(basename "$1"): PG mappings differ from osdmaptool"
	fi
	pgs=$((pgs + $(grep -c raw "$tmp/want" || true)))
}
for f in "$data"/osd-seq/full-*.bin "$data"/osdmap-3osd-e48.bin "$data/placement-synth-allalgs.bin"; do
	pgs_vs "$f"
done
ok "test data OSDMaps: $pgs PGs (raw, up, acting, primaries) equal to osdmaptool"

# objects: osdmaptool takes one name per run
objs=0
objects_vs() {	# OSDMAP POOL NAMEFILE
	: >"$tmp/want"
	while read -r name; do
		osdmaptool "$1" --test-map-object "$name" --pool "$2" 2>/dev/null | { grep "^ object" || true; } >>"$tmp/want"
	done <"$3"
	"$PC" osdmap "$1" --test-map-objects "$3" --pool "$2" >"$tmp/got" || fail "placement_check objects"
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		diff "$tmp/want" "$tmp/got" | head -5
		fail "$(basename "$1") pool $2: object mappings differ from osdmaptool"
	fi
	objs=$((objs + $(wc -l <"$tmp/want")))
}
python3 - "$tmp/names" <<'PY'
import random, sys
random.seed(7)
alpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"
names = ["obj%d" % i for i in range(150)] + ["10000000%03x.%08x" % (i, i * 7) for i in range(150)]
names += ["".join(random.choice(alpha) for _ in range(random.randint(1, 60))) for _ in range(200)]
open(sys.argv[1], "w").write("\n".join(names) + "\n")
PY

# The live cluster: 3 OSDs, pools of several shapes and every override
cluster_start placement --osds 3 --mds 0
conf=$CONF
c() { timeout 60 ceph -c "$conf" "$@" >/dev/null 2>&1 || fail "ceph $*"; }
c osd pool create p16 16 16 replicated
c osd pool create p32s2 32 32 replicated
c osd pool set p32s2 size 2 --yes-i-really-mean-it
c osd pool create p12 12 12 replicated
c osd erasure-code-profile set ec21 k=2 m=1 crush-failure-domain=osd
c osd pool create ecp 8 8 erasure ec21
c osd set-require-min-compat-client luminous
c osd reweight 0 0.8
c osd primary-affinity osd.1 0.5
pool_id() { ceph -c "$conf" osd pool ls detail -f json 2>/dev/null |
	python3 -c "import json,sys; print([p['pool_id'] for p in json.load(sys.stdin) if p['pool_name']=='$1'][0])"; }
p32=$(pool_id p32s2)
c osd pg-upmap-items "$p32.1" 0 1
c osd pg-upmap-items "$p32.2" 1 2
c osd pg-upmap "$p32.3" 2 0
c osd primary-temp "$p32.4" 1
sleep 2
timeout 60 ceph -c "$conf" osd getmap -o "$tmp/live.bin" >/dev/null 2>&1 || fail "getmap"
pgs_vs "$tmp/live.bin"
for p in $(pool_id p16) "$p32" $(pool_id p12) $(pool_id ecp); do
	objects_vs "$tmp/live.bin" "$p" "$tmp/names"
done
ok "live map: $pgs PGs and $objs objects equal to osdmaptool"

# full 32-bit hashes, with namespaces and locator-style keys, from the
# monitor itself
n=0
for spec in "obj0 -" "obj1 ns1" "10000000000.00000000 -" "10000000000.00000000 fsns" \
	    "a -" "a b" "longer-object-name-for-a-twelve-byte-tail -" "x ns-with-dashes"; do
	set -- $spec
	if [ "$2" = - ]; then out=$(ceph -c "$conf" osd map p16 "$1" -f json 2>/dev/null)
	else out=$(ceph -c "$conf" osd map p16 "$1" "$2" -f json 2>/dev/null); fi
	want=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["raw_pgid"].split(".")[1])')
	got=$("$PC" hash "$1" "$2") || fail "placement_check hash"
	[ "$want" = "$got" ] || fail "hash of $2/$1: siphon $got, ceph $want"
	n=$((n + 1))
done
ok "$n object hashes (namespaces included) equal to ceph osd map"
