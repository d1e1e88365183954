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
#   ratio_better A B higher|lower   the ratio that is above 1 when A (siphon) is better
#   bench_summary GROUP ROW UNIT BETTER SIPHON PEERNAME PEER
#                                   a row for bench/run's combined table, into $SUMMARY
#   mib_of_kib KIB                  KiB as MiB, one decimal

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

# ratio_better VALUE PEER BETTER: VALUE / PEER when BETTER is "higher", PEER / VALUE when it
# is "lower"; so above 1 siphon is better either way ("-" if a divisor is not positive)
ratio_better() {
  if [ "$3" = lower ]; then ratio "$2" "$1"; else ratio "$1" "$2"; fi
}

# bench_summary GROUP ROW UNIT BETTER SIPHON PEERNAME PEER: one row of bench/run's combined
# table, appended to $SUMMARY (nothing if SUMMARY is empty). Tab-separated:
#   GROUP ROW UNIT BETTER(higher|lower) SIPHON PEERNAME PEER RATIO
bench_summary() {
  [ -n "${SUMMARY:-}" ] || return 0
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" \
    "$(ratio_better "$5" "$7" "$4")" >>"$SUMMARY"
}

# mib_of_kib KIB: KiB as MiB with one decimal ("nan" stays "nan")
mib_of_kib() {
  awk -v k="$1" 'BEGIN { if (k == "nan" || k == "") print "nan"; else printf "%.1f", k / 1024 }'
}
