#!/usr/bin/env bash
# dns_live.sh - the DNS resolver against a real DNS server and a bad one.
#
# Usage: bash tests/e2e/dns_live.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# Writes the test zones below into a temporary directory, serves them with
# a private Knot (tests/dns/dns-start.sh) on a free port of 127.0.0.1 in
# 53530..53999, starts tests/dns/badserver.py on another (54000..54499),
# and runs the live test program live_dns (built beside smtpdoc) against
# both. Both servers are stopped on exit. Exits 77 (skipped) when knotd is
# not installed (scripts/install-deps installs it), 0 when every check
# passed, 1 otherwise.
set -u -o pipefail

if (($# != 2)); then
	echo "usage: $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1
SRC=$(cd "$2" && pwd)
DNS=$SRC/tests/dns
LIVE=$(dirname "$SMTPDOC")/live_dns
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

if ! command -v knotd >/dev/null 2>&1 && [[ ! -x /usr/sbin/knotd ]]; then
	echo "dns_live.sh: knotd not installed (scripts/install-deps): skipped"
	exit 77
fi
if [[ ! -x $LIVE ]]; then
	echo "FAIL - $LIVE not built"
	echo "0 passed, 1 failed"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-dns.XXXXXX") || exit 1
zones=$tmp/zones
badpid=
cleanup() {
	bash "$DNS/dns-stop.sh" "$zones"
	if [[ -n $badpid ]]; then
		kill "$badpid" 2>/dev/null
		wait "$badpid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$zones"

# ---- the zones --------------------------------------------------------------
# (SOA and NS records are added by dns-start.sh)
a255=$(printf 'a%.0s' $(seq 1 255))
b255=$(printf 'b%.0s' $(seq 1 255))
c255=$(printf 'c%.0s' $(seq 1 255))
d100=$(printf 'd%.0s' $(seq 1 100))
cat >"$zones/example.test.zone" <<ZONE
@         MX    10 mx1
@         MX    20 mx2
mx1  1234 A     192.0.2.1
mx2       A     192.0.2.2
mx2       AAAA  2001:db8::2
nullmx    MX    0 .
viacname  MX    5 alias
alias     CNAME mx1
literal   MX    10 192.0.2.25.
onlya     A     192.0.2.10
onlya     AAAA  2001:db8::10
txt       TXT   "v=spf1 " "ip4:192.0.2.0/24 " "-all"
txt       TXT   "second record"
_dmarc    TXT   "v=DMARC1; p=reject"
longtxt   TXT   "$a255" "$b255" "$c255" "$d100"
chain1    CNAME chain2
chain2    CNAME chain3.example.test.
chain3    A     192.0.2.33
nodata    TXT   "only a TXT record here"
x.sub     TXT   "sub is an empty non-terminal"
ZONE
cat >"$zones/2.0.192.in-addr.arpa.zone" <<'ZONE'
1         PTR   mx1.example.test.
25        PTR   literal-host.example.test.
ZONE
cat >"$zones/8.b.d.0.1.0.0.2.ip6.arpa.zone" <<'ZONE'
2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 PTR mx2.example.test.
ZONE

# ---- the servers ------------------------------------------------------------
started=0
for _ in 1 2 3; do
	port=$("$PY" "$DNS/dnsprobe.py" free-port 53530 53999) || break
	bash "$DNS/dns-start.sh" "$zones" "$port"
	rc=$?
	if ((rc == 0)); then
		started=1
		break
	fi
	((rc == 3)) || break # only a port taken in between is worth a retry
done
if ((started == 0)); then
	echo "FAIL - Knot did not start"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "# Knot serving the test zones on 127.0.0.1:$port"

if ! badport=$("$PY" "$DNS/dnsprobe.py" free-port 54000 54499); then
	echo "FAIL - no free port for badserver.py"
	echo "0 passed, 1 failed"
	exit 1
fi
"$PY" "$DNS/badserver.py" "$badport" 120 &
badpid=$!
ready=0
for _ in $(seq 1 40); do
	if [[ $("$PY" "$DNS/dnsprobe.py" rcode "$badport" refused.bad.test) == 5 ]]; then
		ready=1
		break
	fi
	sleep 0.25
done
if ((ready == 0)); then
	echo "FAIL - badserver.py did not answer on 127.0.0.1:$badport"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "# badserver.py on 127.0.0.1:$badport"

# ---- the checks -------------------------------------------------------------
timeout -k 10 120 "$LIVE" "$port" "$badport"
