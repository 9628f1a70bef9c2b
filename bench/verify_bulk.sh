#!/usr/bin/env bash
# verify_bulk.sh - a bulk `smtpdoc verify` of 10,000 addresses over 50
# domains against local servers: wall time, SMTP connections opened, DNS
# queries, peak memory; beside the same run with one connection per
# address (--per-connection 1) over a tenth of the list, as a verifier
# that opens one connection per address would.
#
# Usage: bench/verify_bulk.sh [--addresses N] [--domains D]
#
# Starts (as the tests do) a private Knot DNS server serving D zones whose
# MX is 127.0.0.1, and a private Postfix on 127.0.0.1 as that MX (it
# answers every RCPT: 554 relay refused for these domains, which is as
# much work for the probe as a 250). Needs root, knot and postfix
# (scripts/install-deps). Prints figures only; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=10000 domains=50
while (($#)); do
	case $1 in
	--addresses) n=${2:?}; shift 2 ;;
	--domains) domains=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "verify_bulk.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
scripts/build >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-vbench.XXXXXX")
chmod 0711 "$tmp"
cleanup() {
	bash tests/dns/dns-stop.sh "$tmp/zones" >/dev/null 2>&1 || true
	[[ -d $tmp/pf ]] && bash tests/mta/postfix-stop.sh "$tmp/pf" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/zones" "$tmp/certs"
for ((d = 1; d <= domains; d++)); do
	printf '@ MX 10 mx\nmx A 127.0.0.1\n' >"$tmp/zones/d$d.test.zone"
done
dport=$(python3 tests/dns/dnsprobe.py free-port 53530 53999)
bash tests/dns/dns-start.sh "$tmp/zones" "$dport" >/dev/null
sport=$(python3 tests/dns/dnsprobe.py free-port 25500 25599)
bash tests/mta/probe-certs.sh "$tmp/certs" >/dev/null 2>&1
bash tests/mta/probe-postfix-start.sh "$tmp/pf" "$sport" "$tmp/certs/pf.crt" "$tmp/certs/pf.key" >/dev/null

for ((i = 0; i < n; i++)); do echo "user$i@d$((i % domains + 1)).test"; done >"$tmp/list.txt"
head -n $((n / 10)) "$tmp/list.txt" >"$tmp/tenth.txt"

now() { date +%s.%N; }
run() { # run LIST EXTRA... -> wall seconds, summary line, peak RSS (kB)
	local list=$1 t0 t1
	shift
	t0=$(now)
	/usr/bin/time -f '%M' -o "$tmp/rss" build/smtpdoc verify --resolver "127.0.0.1:$dport" --port "$sport" \
		--helo bench.test --timeout 10 --rate 100000 --progress never --format jsonl --file "$list" "$@" \
		>"$tmp/out.jsonl" 2>"$tmp/err" || true
	t1=$(now)
	WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	SUMMARY=$(grep 'smtpdoc verify:' "$tmp/err" | tail -n 1)
	RSS=$(tail -n 1 "$tmp/rss")
	ANSWERS=$(grep -c . "$tmp/out.jsonl" || true)
}
field() { sed -n "s/.* \\([0-9]*\\) $1.*/\\1/p" <<<"$SUMMARY"; }

run "$tmp/list.txt"
b_wall=$WALL b_conn=$(field "SMTP connection") b_dns=$(field "DNS quer") b_rss=$RSS b_ans=$ANSWERS b_sum=$SUMMARY
run "$tmp/tenth.txt" --per-connection 1 --connections 2
o_wall=$WALL o_conn=$(field "SMTP connection") o_ans=$ANSWERS o_sum=$SUMMARY

echo "smtpdoc verify, bulk: $n addresses over $domains domains, local Knot + Postfix on 127.0.0.1"
echo
printf '%-44s %10s %12s %10s %10s\n' "run" "answers" "wall (s)" "SMTP conn" "DNS"
printf '%-44s %10s %12s %10s %10s\n' "bulk (50 addresses per connection)" "$b_ans" "$b_wall" "$b_conn" "$b_dns"
printf '%-44s %10s %12s %10s %10s\n' "one connection per address, $((n / 10)) addresses" "$o_ans" "$o_wall" "$o_conn" "-"
echo
echo "bulk:     $b_sum"
echo "one each: $o_sum"
echo
awk -v n="$n" -v d="$domains" -v c="$b_conn" -v q="$b_dns" -v w="$b_wall" -v ow="$o_wall" -v oa="$o_ans" -v r="$b_rss" 'BEGIN {
	printf "connections: %d for %d addresses = one per %.1f addresses (target: at most one per 50 of a domain; one per address would be %d)\n", c, n, n / c, n
	printf "DNS queries: %d for %d domains\n", q, d
	printf "throughput: %.0f addresses/s bulk, %.0f addresses/s one connection per address (%.1fx)\n", n / w, oa / ow, (n / w) / (oa / ow)
	printf "peak memory: %.1f MB\n", r / 1024
}'
