#!/usr/bin/env bash
# check_live.sh - `smtpdoc check` against a real authoritative DNS server
# (Knot, tests/dns/) serving zones written here, and a real Postfix on the
# loopback (tests/mta/probe-postfix-start.sh) as the MX.
#
# Usage: bash tests/e2e/check_live.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# Zones:
#   good.test   MX to mx.good.test (127.0.0.1, the Postfix), SPF that lists
#               127.0.0.1, DMARC p=reject, a DKIM key at selector s1,
#               MTA-STS and TLS-RPT records; 127.0.0.1's PTR is
#               mx.good.test (forward-confirmed)
#   bad.test    MX to a CNAME, SPF whose includes need 12 lookups, two
#               DMARC records, no DKIM at the selector asked for
#   nospf.test  MX only
#   nomail.test null MX
#   bl.test, refuse.test  DNS blocklists: 127.0.0.2 listed on bl.test;
#               refuse.test answers 127.255.255.254 (a refusal) for all
# Checks the status of the items that matter in each case, that a record
# over the SPF lookup limit still shows how far evaluation got, that a
# refusing blocklist is never reported as a listing, and that a DKIM
# selector not found is "not found for the selectors tried". Exit 0 pass,
# 1 fail, 77 when knotd or postfix is missing.
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-check.XXXXXX") || exit 2
chmod 0755 "$tmp"
cleanup() {
	bash "$SRC/tests/dns/dns-stop.sh" "$tmp/zones" >/dev/null 2>&1
	[[ -d $tmp/pf ]] && bash "$SRC/tests/mta/postfix-stop.sh" "$tmp/pf" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
bad() { FAILED=$((FAILED + 1)); echo "FAIL - $1"; }

# ---- zones --------------------------------------------------------------
mkdir -p "$tmp/zones"
dkimkey=$(openssl genrsa 2048 2>/dev/null | openssl rsa -pubout 2>/dev/null | grep -v '^-----' | tr -d '\n')
# DKIM keys are longer than one TXT string (255 bytes): split them
split_txt() { python3 -c 'import sys; s=sys.argv[1]; print(" ".join("\"%s\"" % s[i:i+250] for i in range(0, len(s), 250)))' "$1"; }
cat >"$tmp/zones/good.test.zone" <<EOF
@        MX  10 mx
mx       A   127.0.0.1
@        TXT "v=spf1 ip4:127.0.0.1 -all"
_dmarc   TXT "v=DMARC1; p=reject; rua=mailto:dmarc@good.test"
s1._domainkey TXT $(split_txt "v=DKIM1; k=rsa; p=$dkimkey")
_mta-sts TXT "v=STSv1; id=20261201"
mta-sts  A   127.0.0.1
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@good.test"
EOF
{
	echo '@        MX  10 alias'
	echo 'alias    CNAME mx.good.test.'
	printf '@        TXT "v=spf1'
	for i in 1 2 3 4 5 6; do printf ' include:i%d.bad.test' "$i"; done
	echo ' -all"'
	for i in 1 2 3 4 5 6; do
		echo "i$i      TXT \"v=spf1 a:h$i.bad.test mx:h$i.bad.test ~all\""
		echo "h$i      A   192.0.2.$i"
		echo "h$i      MX  10 h$i"
	done
	echo '_dmarc   TXT "v=DMARC1; p=none"'
	echo '_dmarc   TXT "v=DMARC1; p=reject"'
} >"$tmp/zones/bad.test.zone"
echo '@ MX 10 mx.good.test.' >"$tmp/zones/nospf.test.zone"
echo '@ MX 0 .' >"$tmp/zones/nomail.test.zone"
echo '1 PTR mx.good.test.' >"$tmp/zones/0.0.127.in-addr.arpa.zone"
printf '2.0.0.127 A 127.0.0.2\n2.0.0.127 TXT "listed for testing"\n' >"$tmp/zones/bl.test.zone"
printf '* A 127.255.255.254\n' >"$tmp/zones/refuse.test.zone"

dport=$(python3 "$SRC/tests/dns/dnsprobe.py" free-port 53530 53999) || { echo "no free port"; exit 1; }
if ! bash "$SRC/tests/dns/dns-start.sh" "$tmp/zones" "$dport" >"$tmp/dns.log" 2>&1; then
	cat "$tmp/dns.log"
	bad "DNS server started"
	exit 1
fi
ok "DNS server started on port $dport"

# ---- Postfix as the MX ------------------------------------------------------
mkdir -p "$tmp/certs"
sport=$(python3 "$SRC/tests/dns/dnsprobe.py" free-port 25300 25399) || { echo "no free port"; exit 1; }
have_pf=0
if bash "$SRC/tests/mta/probe-certs.sh" "$tmp/certs" >/dev/null 2>&1 &&
	bash "$SRC/tests/mta/probe-postfix-start.sh" "$tmp/pf" "$sport" "$tmp/certs/pf.crt" "$tmp/certs/pf.key" \
		>"$tmp/pf.log" 2>&1; then
	have_pf=1
	ok "Postfix started on port $sport"
else
	cat "$tmp/pf.log"
	bad "Postfix started"
fi

run() { # run NAME ARGS... -> $tmp/NAME.jsonl, exit code in $tmp/NAME.rc
	local name=$1
	shift
	timeout 120 "$SMTPDOC" check --format jsonl --resolver "127.0.0.1:$dport" --timeout 5 "$@" \
		>"$tmp/$name.jsonl" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}
# item NAME CHECK [SUBJECT] -> the status of the first such item, or "missing"
item() {
	python3 - "$tmp/$1.jsonl" "$2" "${3:-}" <<'EOF'
import json, sys
path, check, subject = sys.argv[1], sys.argv[2], sys.argv[3]
for line in open(path):
    o = json.loads(line)
    if o["check"] == check and (not subject or o["subject"] == subject):
        print(o["status"]); break
else:
    print("missing")
EOF
}
# field NAME CHECK KEY -> details[KEY] joined, or summary when KEY is "summary"
field() {
	python3 - "$tmp/$1.jsonl" "$2" "$3" <<'EOF'
import json, sys
path, check, key = sys.argv[1], sys.argv[2], sys.argv[3]
for line in open(path):
    o = json.loads(line)
    if o["check"] == check:
        print(o[key] if key in o else " | ".join(o["details"].get(key, []))); break
EOF
}
expect() { # expect WHAT GOT WANT
	if [[ $2 == "$3" ]]; then ok "$1: $2"; else bad "$1: got '$2', want '$3'"; fi
}

# ---- good.test ---------------------------------------------------------------
args=(--port "$sport" --ip 127.0.0.1 --dkim-selector s1 --dnsbl bl.test --dbl bl.test)
((have_pf)) || args+=(--no-smtp)
run good "${args[@]}" good.test
expect "good.test: exit status" "$(cat "$tmp/good.rc")" 0
for pair in mx.records:pass spf.record:pass spf.ip:pass dmarc.record:pass dkim.key:pass \
	mta-sts.record:pass tlsrpt.record:pass; do
	expect "good.test: ${pair%%:*}" "$(item good "${pair%%:*}")" "${pair#*:}"
done
expect "good.test: PTR of 127.0.0.1 forward-confirmed" "$(item good rdns.ptr 127.0.0.1)" pass
expect "good.test: 127.0.0.1 not on bl.test" "$(item good dnsbl.ip)" pass
if ((have_pf)); then
	expect "good.test: the MX answers SMTP with STARTTLS" "$(item good mx.smtp)" pass
	expect "good.test: SIZE limit read from EHLO" "$(field good mx.smtp size_limit)" 10240000
	expect "good.test: STARTTLS offered" "$(field good mx.smtp starttls)" offered
fi
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/good.jsonl" &&
	ok "good.test: every line is a JSON object" || bad "good.test: output is not JSON lines"

# ---- bad.test ----------------------------------------------------------------
run bad --no-smtp --ip 127.0.0.2 --dkim-selector nosuch --dnsbl bl.test --dnsbl refuse.test bad.test
expect "bad.test: exit status 1 (problems found)" "$(cat "$tmp/bad.rc")" 1
expect "bad.test: MX pointing to a CNAME" "$(item bad mx.host)" fail
expect "bad.test: SPF over the lookup limit" "$(item bad spf.record)" fail
expect "bad.test: SPF permerror for the IP" "$(item bad spf.ip)" fail
summary=$(field bad spf.ip summary)
case $summary in
*"10 DNS lookups"*) ok "bad.test: the permerror says how far evaluation got ($summary)" ;;
*) bad "bad.test: the permerror summary: $summary" ;;
esac
needed=$(field bad spf.ip lookups_needed)
[[ $needed =~ ^[0-9]+$ ]] && ((needed > 10)) && ok "bad.test: the whole tree needs $needed lookups" ||
	bad "bad.test: lookups_needed '$needed'"
expect "bad.test: two DMARC records count as none" "$(item bad dmarc.record)" fail
dkim=$(field bad dkim.key summary)
case $dkim in
*"DKIM missing"* | *"no DKIM"*) bad "bad.test: DKIM summary: $dkim" ;;
*"selector nosuch"*) ok "bad.test: DKIM not found for the selector tried, not 'missing'" ;;
*) bad "bad.test: DKIM summary: $dkim" ;;
esac
expect "bad.test: 127.0.0.2 listed on bl.test" "$(item bad dnsbl.ip "127.0.0.2 on bl.test")" fail
expect "bad.test: refuse.test's refusal is not a listing" "$(item bad dnsbl.ip "127.0.0.2 on refuse.test")" unknown

# ---- nospf.test, nomail.test, usage -------------------------------------------
run nospf --no-smtp nospf.test
expect "nospf.test: no SPF record" "$(item nospf spf.record)" fail
run nomail --no-smtp nomail.test
expect "nomail.test: null MX" "$(item nomail mx.records)" fail
timeout 10 "$SMTPDOC" check >/dev/null 2>"$tmp/usage.err"
expect "no domain: usage error" "$?" 2
timeout 10 "$SMTPDOC" check --ip 300.1.2.3 good.test >/dev/null 2>"$tmp/ip.err"
expect "bad --ip: usage error" "$?" 2
grep -q "300.1.2.3" "$tmp/ip.err" && ok "bad --ip: the error names the input" || bad "bad --ip message: $(cat "$tmp/ip.err")"
timeout 30 "$SMTPDOC" check --no-smtp --format text --resolver "127.0.0.1:$dport" good.test >"$tmp/text.out" 2>&1
grep -q "Checklist for good.test" "$tmp/text.out" && ok "text output has its heading" || bad "text output: $(head -3 "$tmp/text.out")"

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
