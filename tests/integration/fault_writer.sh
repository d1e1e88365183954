#!/usr/bin/env bash
# A writer for fault tests: in DIR, step after step, creates a file of
# random bytes (cp), renames it into place and appends a line to a journal
# file it keeps open throughout. Each step it completes goes to LOG as
# "N SHA16 START END" (the content's hash, the step's wall-clock times);
# a step that fails goes there as "ERR N what". Stops when STOPFILE appears.
#   fault_writer.sh DIR LOG STOPFILE
set -u
dir=$1 log=$2 stop=$3
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
mkdir -p "$dir" || { echo "ERR 0 mkdir" >>"$log"; exit 1; }
exec 3>>"$dir/journal" || { echo "ERR 0 journal" >>"$log"; exit 1; }
i=0
while [ ! -e "$stop" ]; do
	i=$((i + 1))
	head -c $((i * 997 % 65536 + 1)) /dev/urandom >"$tmp"
	t0=$(date +%s.%N)
	if ! cp "$tmp" "$dir/tmp.$i"; then echo "ERR $i write" >>"$log"; continue; fi
	if ! mv "$dir/tmp.$i" "$dir/f.$i"; then echo "ERR $i rename" >>"$log"; continue; fi
	if ! echo "step $i" >&3; then echo "ERR $i append" >>"$log"; continue; fi
	t1=$(date +%s.%N)
	echo "$i $(sha256sum <"$tmp" | cut -c1-16) $t0 $t1" >>"$log"
done
exec 3>&-
