#!/usr/bin/env bash
# logs_bench.sh - how fast smtpdoc logs reads big mail logs, beside grep -c,
# eximstats and pflogsumm, measured in the same run.
#
# Usage: bash bench/logs_bench.sh [SMTPDOC] [SIZE_MB]
#
# Generates (bench/gen_logs.py, fixed seed) an Exim main log and a Postfix
# log of SIZE_MB each (default 1024) into a mktemp directory that is
# removed at the end, reads each once to warm the page cache, then times:
#   grep -c of the failure marker    (" \*\* " for Exim, "status=" for Postfix)
#   smtpdoc logs -q                  (summary: every failure classified)
#   smtpdoc logs -f jsonl >/dev/null (one JSON object per failure)
#   eximstats / pflogsumm            (Perl; on the first PERL_MB MB, default
#                                     all, compared by MB/s)
# and prints seconds, MB/s, peak memory and the ratios. One core each.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SMTPDOC=${1:-$here/../build/smtpdoc}
SIZE_MB=${2:-1024}
PERL_MB=${PERL_MB:-$SIZE_MB}
EXIMSTATS=${EXIMSTATS:-/var/cache/smtpdoc/exim4/usr/sbin/eximstats}
export TZ=UTC LC_ALL=C

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# tm OUT CMD... - run CMD, stdout to /dev/null; OUT gets "seconds kbytes".
# grep's output goes to a file instead: GNU grep stops at the first match
# when its output is /dev/null, which would time nothing.
tm() {
	local out=$1 sink=/dev/null
	shift
	[[ $1 == grep ]] && sink=$tmp/grep.out
	/usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >"$sink" 2>"$tmp/err" || true
	tail -1 "$tmp/t" >"$out"
}
mbs() { awk -v mb="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.01; printf "%.0f", mb / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.01; printf "%.1f", a / b }'; }

echo "smtpdoc logs benchmark: $SIZE_MB MB per log (Perl tools on $PERL_MB MB), $(nproc) cores, one used"
for kind in exim postfix; do
	log=$tmp/$kind.log
	python3 "$here/gen_logs.py" "$kind" "$SIZE_MB" "$log"
	head -c $((PERL_MB * 1024 * 1024)) "$log" >"$tmp/$kind.perl.log"
	size=$(stat -c %s "$log")
	mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')
	pmb=$(awk -v s="$(stat -c %s "$tmp/$kind.perl.log")" 'BEGIN { printf "%.1f", s / 1048576 }')
	cat "$log" "$tmp/$kind.perl.log" >/dev/null
	if [[ $kind == exim ]]; then marker=' \*\* '; else marker='status='; fi
	tm "$tmp/grep" grep -c "$marker" "$log"
	tm "$tmp/sum" "$SMTPDOC" logs -q "$log"
	tm "$tmp/jsonl" "$SMTPDOC" logs -q -f jsonl "$log"
	events=$("$SMTPDOC" logs -q -f jsonl "$log" | wc -l)
	if [[ $kind == exim ]]; then
		if [[ -x $EXIMSTATS ]]; then tm "$tmp/perl" perl "$EXIMSTATS" -nr "$tmp/$kind.perl.log"; else echo "0 0" >"$tmp/perl"; fi
		tool=eximstats
	else
		if command -v pflogsumm >/dev/null; then tm "$tmp/perl" pflogsumm "$tmp/$kind.perl.log"; else echo "0 0" >"$tmp/perl"; fi
		tool=pflogsumm
	fi
	read -r g gk <"$tmp/grep"
	read -r s sk <"$tmp/sum"
	read -r j jk <"$tmp/jsonl"
	read -r p pk <"$tmp/perl"
	echo
	echo "$kind main log: $mb MB, $(wc -l <"$log") lines, $events failure events"
	printf '  %-28s %8s s %7s MB/s %8s KB\n' "grep -c '$marker'" "$g" "$(mbs "$mb" "$g")" "$gk"
	printf '  %-28s %8s s %7s MB/s %8s KB\n' "smtpdoc logs (summary)" "$s" "$(mbs "$mb" "$s")" "$sk"
	printf '  %-28s %8s s %7s MB/s %8s KB\n' "smtpdoc logs -f jsonl" "$j" "$(mbs "$mb" "$j")" "$jk"
	if [[ $p != 0 ]]; then
		printf '  %-28s %8s s %7s MB/s %8s KB  (on %s MB)\n' "$tool" "$p" "$(mbs "$pmb" "$p")" "$pk" "$pmb"
	else
		echo "  $tool: not installed"
	fi
	echo "  summary / grep: $(ratio "$s" "$g")x the time;  jsonl / grep: $(ratio "$j" "$g")x"
	if [[ $p != 0 ]]; then
		echo "  $tool / smtpdoc summary: $(ratio "$(mbs "$mb" "$s")" "$(mbs "$pmb" "$p")")x faster (MB/s)"
	fi
done
