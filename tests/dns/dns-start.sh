#!/usr/bin/env bash
# dns-start.sh - serve test zones from a private Knot DNS server on
# 127.0.0.1:PORT.
#
# Usage: bash tests/dns/dns-start.sh ZONEDIR PORT [RUNDIR]
#
# ZONEDIR holds one file per zone, named after the zone with ".zone" added:
# example.test.zone, 2.0.192.in-addr.arpa.zone, ... in the zone file format
# of RFC 1035 5. Names in a file are relative to its zone. A file without
# an SOA record gets one, and an NS record, from this script, so a zone can
# be as short as
#     @    MX 10 mx1
#     mx1  A  192.0.2.1
# The files are copied to RUNDIR (default: ZONEDIR/.knot), where the server
# also keeps its configuration, databases, control socket, pid file and log
# (knotd.log); ZONEDIR itself is only read.
#
# The server (knotd, Debian's "knot" package) runs in the background as the
# caller, answers over UDP and TCP on 127.0.0.1:PORT only and does nothing
# else (no zone transfers, notifies or DNSSEC). The script waits until every
# zone answers its SOA query (20 seconds at most) and exits 0; otherwise it
# stops the server, prints why and the end of the log, and exits 1. The
# exit status is 2 on a usage error, 3 when PORT is already in use on
# 127.0.0.1 (pick another: python3 tests/dns/dnsprobe.py free-port A B),
# 77 when knotd is not installed (scripts/install-deps installs it).
#
# Stop it with: bash tests/dns/dns-stop.sh ZONEDIR [RUNDIR]. Should the
# caller die before it can, a watchdog stops the server after
# SMTPDOC_DNS_LIFETIME seconds (900 unless set in the environment).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if (($# < 2 || $# > 3)); then
	echo "usage: $0 ZONEDIR PORT [RUNDIR]" >&2
	exit 2
fi
zonedir=$(cd "$1" && pwd)
port=$2
rundir=${3:-$zonedir/.knot}
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
	echo "dns-start.sh: bad port: $port" >&2
	exit 2
fi
knotd=$(command -v knotd || true)
[[ -n $knotd ]] || knotd=/usr/sbin/knotd
if [[ ! -x $knotd ]]; then
	echo "dns-start.sh: knotd not found (Debian package knot; scripts/install-deps)" >&2
	exit 77
fi

zones=()
for f in "$zonedir"/*.zone; do
	[[ -e $f ]] || continue
	zones+=("$(basename "$f" .zone)")
done
if ((${#zones[@]} == 0)); then
	echo "dns-start.sh: no *.zone file in $zonedir" >&2
	exit 2
fi

# Knot's UDP sockets use SO_REUSEPORT: a second server on a busy port would
# share it silently. Refuse a port that anything holds.
if ! "$PY" "$here/dnsprobe.py" free-port "$port" "$port" >/dev/null 2>&1; then
	echo "dns-start.sh: 127.0.0.1:$port is already in use" >&2
	exit 3
fi

# A server of ours still running from an earlier start: stop it first.
bash "$here/dns-stop.sh" "$zonedir" "$rundir"
rm -rf "$rundir"
mkdir -p "$rundir/zones" "$rundir/db"

# The zones as served: an origin, a default TTL, and SOA and NS when the
# file has none.
for zone in "${zones[@]}"; do
	src=$zonedir/$zone.zone
	{
		printf '$ORIGIN %s.\n$TTL 300\n' "$zone"
		if ! grep -Eiq '^[^;]*[[:space:]]SOA[[:space:]]' "$src"; then
			printf '@ SOA ns.smtpdoc-dns.test. hostmaster.smtpdoc-dns.test. 1 3600 600 86400 60\n'
			printf '@ NS ns.smtpdoc-dns.test.\n'
		fi
		cat "$src"
		echo
	} >"$rundir/zones/$zone.zone"
done

{
	cat <<EOF
# Knot DNS for smtpdoc's tests (written by tests/dns/dns-start.sh).
server:
    rundir: "$rundir"
    listen: 127.0.0.1@$port
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
log:
  - target: "$rundir/knotd.log"
    any: info
database:
    storage: "$rundir/db"
template:
  - id: default
    storage: "$rundir/zones"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
EOF
	for zone in "${zones[@]}"; do
		echo "  - domain: \"$zone.\""
	done
} >"$rundir/knot.conf"

# In the background, in its own session so that the caller's terminal
# signals do not reach it; output to the log, never to the caller's pipes.
setsid "$knotd" -c "$rundir/knot.conf" -s "$rundir/knot.sock" \
	>>"$rundir/knotd.log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$rundir/knotd.pid"

# A watchdog, in case the caller dies without running dns-stop.sh: the
# server is stopped after SMTPDOC_DNS_LIFETIME seconds (default 900).
lifetime=${SMTPDOC_DNS_LIFETIME:-900}
[[ $lifetime =~ ^[0-9]+$ ]] || lifetime=900
(
	for _ in $(seq 1 "$lifetime"); do
		[[ $(cat "/proc/$pid/comm" 2>/dev/null) == knotd ]] || exit 0
		sleep 1
	done
	[[ $(cat "/proc/$pid/comm" 2>/dev/null) == knotd ]] && kill -TERM "$pid"
) >/dev/null 2>&1 </dev/null &

# Wait until every zone answers (20 seconds at most).
why=
for _ in $(seq 1 40); do
	if ! kill -0 "$pid" 2>/dev/null; then
		why="knotd exited"
		break
	fi
	if missing=$("$PY" "$here/dnsprobe.py" ready "$port" "${zones[@]}"); then
		exit 0
	fi
	why="zone $missing does not answer"
	sleep 0.5
done
echo "dns-start.sh: Knot on 127.0.0.1:$port not ready: $why; end of $rundir/knotd.log:" >&2
tail -n 15 "$rundir/knotd.log" | sed 's/^/    /' >&2
bash "$here/dns-stop.sh" "$zonedir" "$rundir"
exit 1
