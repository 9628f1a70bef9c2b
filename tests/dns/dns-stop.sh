#!/usr/bin/env bash
# dns-stop.sh - stop a Knot DNS server started by dns-start.sh.
#
# Usage: bash tests/dns/dns-stop.sh ZONEDIR [RUNDIR]
#
# With the same arguments as dns-start.sh (RUNDIR defaults to
# ZONEDIR/.knot). Sends SIGTERM to the server named in RUNDIR/knotd.pid
# (only if that process is a knotd), waits for it to go (10 seconds at
# most), then sends SIGKILL. Leaves RUNDIR in place (knotd.log is in it).
# Quiet, and exit 0, when no server of that directory runs.
set -u

if (($# < 1 || $# > 2)); then
	echo "usage: $0 ZONEDIR [RUNDIR]" >&2
	exit 2
fi
rundir=${2:-$1/.knot}
pidfile=$rundir/knotd.pid
[[ -s $pidfile ]] || exit 0
pid=$(tr -dc '0-9' <"$pidfile")
[[ -n $pid ]] || exit 0
# a pid from an old run may belong to another program by now
if [[ $(cat "/proc/$pid/comm" 2>/dev/null) != knotd ]]; then
	rm -f "$pidfile"
	exit 0
fi
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 40); do
	if ! kill -0 "$pid" 2>/dev/null; then
		rm -f "$pidfile"
		exit 0
	fi
	sleep 0.25
done
kill -KILL "$pid" 2>/dev/null || true
rm -f "$pidfile"
exit 0
