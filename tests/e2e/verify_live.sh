#!/usr/bin/env bash
# verify_live.sh - `smtpdoc verify` against a real authoritative DNS server
# (Knot, tests/dns/) and a real Postfix (tests/mta/probe-postfix-start.sh)
# on the loopback, plus tests/mta/badsmtp.py for a port that drops
# connection attempts (a blocked port 25) and a server that refuses the
# probe's MAIL FROM.
#
# Usage: bash tests/e2e/verify_live.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# Zones (every MX is 127.0.0.1, where the Postfix or badsmtp listens):
#   probe.test     the Postfix's mailboxes: alice 250, other 550 5.1.1,
#                  disabled 550 5.2.1, grey 450 4.2.0
#   catchall.test  a catch-all domain on the Postfix
#   relay.test     not served by the Postfix: 554 5.7.1 relay refused
#   nullmx.test    null MX (RFC 7505); nomx.test neither MX nor address
#   bh1..bh3.test  served on a port that drops every connection attempt
# Checks each verdict, reason and reply; catch-all and --no-catch-all;
# a misspelt domain suggestion; one connection per 50 addresses of a
# domain and one MX query per domain in bulk; resuming with --output; CSV;
# a blocked port 25 said once, plainly. Exit 0 pass, 1 fail, 77 skipped.
set -u -o pipefail

if (($# != 2)); then
	echo "usage: $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1
SRC=$2
command -v knotd >/dev/null 2>&1 || { echo "knotd not installed; skipped"; exit 77; }
command -v postfix >/dev/null 2>&1 || [[ -x /usr/sbin/postfix ]] || { echo "postfix not installed; skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 missing; skipped"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-verify.XXXXXX") || exit 2
chmod 0711 "$tmp"
bad_pid=
cleanup() {
	[[ -n $bad_pid ]] && { kill "$bad_pid" 2>/dev/null; wait "$bad_pid" 2>/dev/null; }
	bash "$SRC/tests/dns/dns-stop.sh" "$tmp/zones" >/dev/null 2>&1
	[[ -d $tmp/pf ]] && bash "$SRC/tests/mta/postfix-stop.sh" "$tmp/pf" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
bad() { FAILED=$((FAILED + 1)); echo "FAIL - $1"; }
expect() { if [[ $2 == "$3" ]]; then ok "$1: $2"; else bad "$1: got '$2', want '$3'"; fi; }

# ---- servers -------------------------------------------------------------------
mkdir -p "$tmp/zones" "$tmp/certs"
for z in probe catchall relay bh1 bh2 bh3; do
	printf '@ MX 10 mx\nmx A 127.0.0.1\n' >"$tmp/zones/$z.test.zone"
done
echo '@ MX 0 .' >"$tmp/zones/nullmx.test.zone"
echo '@ TXT "no mail here"' >"$tmp/zones/nomx.test.zone"
dport=$(python3 "$SRC/tests/dns/dnsprobe.py" free-port 53530 53999) || exit 1
bash "$SRC/tests/dns/dns-start.sh" "$tmp/zones" "$dport" >"$tmp/dns.log" 2>&1 || { cat "$tmp/dns.log"; bad "DNS server"; exit 1; }
sport=$(python3 "$SRC/tests/dns/dnsprobe.py" free-port 25400 25499) || exit 1
bash "$SRC/tests/mta/probe-certs.sh" "$tmp/certs" >/dev/null 2>&1 &&
	bash "$SRC/tests/mta/probe-postfix-start.sh" "$tmp/pf" "$sport" "$tmp/certs/pf.crt" "$tmp/certs/pf.key" \
		>"$tmp/pf.log" 2>&1 || { cat "$tmp/pf.log"; bad "Postfix"; exit 1; }
python3 "$SRC/tests/mta/badsmtp.py" --ports-file "$tmp/bad.ports" --log "$tmp/bad.log" --max-seconds 300 \
	>/dev/null 2>&1 &
bad_pid=$!
for _ in $(seq 100); do [[ -s $tmp/bad.ports ]] && break; sleep 0.1; done
badport() { awk -v m="$1" '$1 == m { print $2 }' "$tmp/bad.ports"; }
[[ -n $(badport blackhole) ]] || { bad "badsmtp.py started"; exit 1; }
ok "servers: DNS on $dport, Postfix on $sport, badsmtp"

V=(timeout 300 "$SMTPDOC" verify --resolver "127.0.0.1:$dport" --timeout 3 --helo probe-client.test
	--from probe@client.test --rate 1000 --progress never)

# answer FILE ADDRESS FIELD -> the field of that address's JSON line
answer() {
	python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
path, addr, field = sys.argv[1:4]
for line in open(path):
    o = json.loads(line)
    if o["input"] == addr:
        v = o.get(field)
        print("null" if v is None else (str(v).lower() if isinstance(v, bool) else v)); break
else:
    print("missing")
EOF
}

# ---- single addresses --------------------------------------------------------
"${V[@]}" --port "$sport" --format jsonl alice@probe.test other@probe.test disabled@probe.test \
	grey@probe.test x@catchall.test w@relay.test z@nullmx.test q@nomx.test y@nosuch.probe.test \
	"a b@probe.test" u@gmial.com >"$tmp/one.jsonl" 2>"$tmp/one.err"
expect "exit status: some address not deliverable" "$?" 1
f=$tmp/one.jsonl
expect "alice: verdict" "$(answer "$f" alice@probe.test verdict)" deliverable
expect "alice: catch-all probe said no" "$(answer "$f" alice@probe.test catch_all)" false
expect "alice: mx_host" "$(answer "$f" alice@probe.test mx_host)" mx.probe.test
expect "other: verdict" "$(answer "$f" other@probe.test verdict)" undeliverable
expect "other: reason" "$(answer "$f" other@probe.test reason)" userunknown
expect "other: status" "$(answer "$f" other@probe.test deliverystatus)" 5.1.1
expect "disabled: reason" "$(answer "$f" disabled@probe.test reason)" suspend
expect "grey: verdict" "$(answer "$f" grey@probe.test verdict)" unknown
expect "grey: retry" "$(answer "$f" grey@probe.test retry)" true
expect "grey: replycode" "$(answer "$f" grey@probe.test replycode)" 450
expect "catch-all: verdict" "$(answer "$f" x@catchall.test verdict)" risky
expect "catch-all: cause" "$(answer "$f" x@catchall.test cause)" verify.accept-all
expect "relay refused: verdict" "$(answer "$f" w@relay.test verdict)" undeliverable
expect "relay refused: reason" "$(answer "$f" w@relay.test reason)" norelaying
expect "null MX: reason" "$(answer "$f" z@nullmx.test reason)" notaccept
expect "no MX, no address: reason" "$(answer "$f" q@nomx.test reason)" notaccept
expect "no such domain: reason" "$(answer "$f" y@nosuch.probe.test reason)" hostunknown
expect "bad syntax: cause" "$(answer "$f" "a b@probe.test" cause)" address.syntax
# every check that can run does: the domain of a malformed address is still looked up
expect "bad syntax: its domain's MX still reported" "$(answer "$f" "a b@probe.test" mx)" "['mx.probe.test']"
expect "misspelt provider: suggestion" "$(answer "$f" u@gmial.com suggestion)" u@gmail.com
expect "a working domain gets no suggestion" "$(answer "$f" alice@probe.test suggestion)" null
grep -q "DATA" "$tmp/pf/maillog" 2>/dev/null && bad "the probe never sends DATA" || ok "the probe never sends DATA"

"${V[@]}" --port "$sport" --format jsonl --no-catch-all x@catchall.test >"$tmp/nca.jsonl" 2>/dev/null
expect "--no-catch-all: a catch-all domain's address looks deliverable" \
	"$(answer "$tmp/nca.jsonl" x@catchall.test verdict)" deliverable
expect "--no-catch-all: catch_all not known" "$(answer "$tmp/nca.jsonl" x@catchall.test catch_all)" null

# ---- bulk: one connection per 50 addresses of a domain, one MX query per domain ---------
{
	for i in $(seq 1 120); do echo "user$i@probe.test"; done
	for i in $(seq 1 60); do echo "user$i@catchall.test"; done
	echo "alice@probe.test"
} >"$tmp/list.txt"
"${V[@]}" --port "$sport" --format jsonl --file "$tmp/list.txt" >"$tmp/bulk.jsonl" 2>"$tmp/bulk.err"
n=$(grep -c . "$tmp/bulk.jsonl")
expect "bulk: one answer per address" "$n" 181
summary=$(tail -n 1 "$tmp/bulk.err")
conns=$(sed -n 's/.* \([0-9]*\) SMTP connections*$/\1/p' <<<"$summary")
queries=$(sed -n 's/.*, \([0-9]*\) DNS quer.*/\1/p' <<<"$summary")
# probe.test: 121 addresses -> 3 sessions of at most 50; catchall.test: 60 -> 2
[[ $conns =~ ^[0-9]+$ ]] && ((conns <= 5)) && ok "bulk: $conns SMTP connections for 181 addresses" ||
	bad "bulk: connections '$conns' ($summary)"
# one MX query per domain: Knot sends the MX host's address along
expect "bulk: DNS queries (one MX query per domain; host addresses came with it)" "$queries" 2
expect "bulk: unknown users answered" "$(grep -c '"reason":"userunknown"' "$tmp/bulk.jsonl")" 120

# ---- resume with --output, and CSV --------------------------------------------------------
printf 'alice@probe.test\nother@probe.test\n' >"$tmp/a.txt"
printf 'alice@probe.test\nother@probe.test\ndisabled@probe.test\n' >"$tmp/b.txt"
"${V[@]}" --port "$sport" --format csv --output "$tmp/out.csv" --file "$tmp/a.txt" 2>/dev/null
"${V[@]}" --port "$sport" --format csv --output "$tmp/out.csv" --file "$tmp/b.txt" 2>"$tmp/resume.err"
expect "resume: the CSV holds a header and three answers" "$(grep -c . "$tmp/out.csv")" 4
grep -q "2 skipped" "$tmp/resume.err" && ok "resume: two addresses skipped" || bad "resume: $(tail -1 "$tmp/resume.err")"
expect "CSV header" "$(head -1 "$tmp/out.csv" | cut -d, -f1-3)" "input,address,verdict"

# ---- a server that refuses the probe: not a verdict on the address --------------------------
"${V[@]}" --port "$(badport mail-550)" --format jsonl alice@probe.test >"$tmp/m550.jsonl" 2>/dev/null
expect "MAIL FROM refused: verdict" "$(answer "$tmp/m550.jsonl" alice@probe.test verdict)" unknown
expect "MAIL FROM refused: command" "$(answer "$tmp/m550.jsonl" alice@probe.test smtpcommand)" MAIL

# ---- port 25 blocked: said once, plainly ------------------------------------------------------
"${V[@]}" --port "$(badport blackhole)" --timeout 1 --format jsonl a@bh1.test b@bh2.test c@bh3.test \
	d@bh1.test >"$tmp/bh.jsonl" 2>"$tmp/bh.err"
expect "blocked port: cause" "$(answer "$tmp/bh.jsonl" a@bh1.test cause)" network.port-blocked
expect "blocked port: every address answered" "$(grep -c . "$tmp/bh.jsonl")" 4
grep -q "blocks outgoing port 25" "$tmp/bh.err" && ok "blocked port: said plainly" || bad "blocked port message: $(cat "$tmp/bh.err")"

# ---- bad lists: each bad line named with its number, the rest still answered ---------------------
{
	echo "alice@probe.test"
	head -c 9000 /dev/zero | tr '\0' 'a'
	echo
	printf 'nul\0byte@probe.test\n'
	echo "other@probe.test"
} >"$tmp/badlist.txt"
"${V[@]}" --no-smtp --format jsonl --file "$tmp/badlist.txt" >"$tmp/badlist.jsonl" 2>"$tmp/badlist.err"
expect "bad lines: exit status 2" "$?" 2
expect "bad lines: the good addresses still answered" "$(grep -c . "$tmp/badlist.jsonl")" 2
grep -q "line 2:" "$tmp/badlist.err" && ok "bad lines: the overlong line is named by its number" ||
	bad "bad lines: overlong line: $(cat "$tmp/badlist.err")"
grep -q "line 3: .*NUL" "$tmp/badlist.err" && ok "bad lines: the NUL byte is named by its line" ||
	bad "bad lines: NUL: $(cat "$tmp/badlist.err")"
printf 'name,phone\nAlice,123\n' >"$tmp/nocol.csv"
"${V[@]}" --no-smtp --file "$tmp/nocol.csv" >/dev/null 2>"$tmp/nocol.err"
expect "CSV without an address column: exit status 2" "$?" 2
[[ $(grep -c . "$tmp/nocol.err") -ge 1 ]] && grep -q "nocol.csv" "$tmp/nocol.err" &&
	ok "CSV without an address column: one line naming the file" || bad "CSV error: $(cat "$tmp/nocol.err")"
"${V[@]}" --no-smtp --file "$tmp/missing.txt" >/dev/null 2>"$tmp/missing.err"
expect "missing list: exit status 2" "$?" 2
grep -q "missing.txt: cannot open" "$tmp/missing.err" && ok "missing list: the error names the file" ||
	bad "missing list: $(cat "$tmp/missing.err")"

# ---- usage ------------------------------------------------------------------------------------
timeout 10 "$SMTPDOC" verify >/dev/null 2>&1
expect "no address: usage error" "$?" 2
timeout 10 "$SMTPDOC" verify --from "a b" x@probe.test >/dev/null 2>"$tmp/from.err"
expect "bad --from: usage error" "$?" 2

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
