# bench/common.sh: shell functions bench/compare and bench/compare-io share. Sourced, not run.
#
# The caller sets PROG (its name, for messages) and OUT (the file collecting every raw line),
# and uses:
#   die MSG                         message on stderr, exit 1
#   bench_run_client ROUND CLIENT PROGRAM ARGS...   one run, its stdout appended to OUT
#   bench_rounds K FN               for round 1..K: FN ROUND FIRST SECOND, where FIRST/SECOND are
#                                   libcephfs/siphon on odd rounds and siphon/libcephfs on even
#   median                          median of the numbers on stdin ("nan" if none)
#   bench_col K CLIENT PHASE        median of column K over OUT's result lines of CLIENT, PHASE
#   bench_info K CLIENT KEY         median of column K over OUT's "info CLIENT KEY" lines
#   ratio A B                       A / B with two decimals, "-" if B is not positive

die() { echo "$PROG: $*" >&2; exit 1; }

bench_run_client() {
  local round=$1 client=$2 prog=$3
  shift 3
  echo "$PROG: round $round: $client" >&2
  if ! "$prog" "$@" >>"$OUT"; then
    die "round $round: $client failed (exit status above); nothing to compare"
  fi
}

bench_rounds() {
  local k=$1 fn=$2 round
  for ((round = 1; round <= k; round++)); do
    if ((round % 2)); then
      "$fn" "$round" libcephfs siphon
    else
      "$fn" "$round" siphon libcephfs
    fi
  done
}

median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

bench_col() {
  awk -F'\t' -v k="$1" -v c="$2" -v p="$3" '$1 == "result" && $2 == c && $3 == p { print $k }' \
    "$OUT" | median
}

bench_info() {
  awk -F'\t' -v k="$1" -v c="$2" -v p="$3" '$1 == "info" && $2 == c && $3 == p { print $k }' \
    "$OUT" | median
}

ratio() {
  awk -v s="$1" -v l="$2" 'BEGIN { if (l > 0) printf "%.2f", s / l; else print "-" }'
}
