#!/usr/bin/env bash
# exim-stop.sh - stop an Exim daemon started by exim-start.sh.
#
# Usage: bash exim-stop.sh DIR
#
# Sends SIGTERM to the daemon named in DIR/exim.pid and waits (10 seconds at
# most) for it to go, then SIGKILL. Delivery processes that the daemon
# started end with their delivery; those still running after that wait are
# found by the -C DIR/exim.conf on their command line and killed by id.
# Quiet and exit 0 when no daemon runs.
set -u
dir=$1
pidfile=$dir/exim.pid
pid=
[[ -s $pidfile ]] && pid=$(tr -dc '0-9' <"$pidfile")
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 1 20); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	kill -KILL "$pid" 2>/dev/null
fi
# Leftover children of this instance only (their argv names our config).
# The bracket keeps grep from matching its own command line.
re=$(printf '%s' "$dir/" | sed 's/[][\.*^$+?(){}|]/\\&/g')'[e]xim\.conf'
for f in $(grep -lsE -- "$re" /proc/[0-9]*/cmdline); do
	p=${f#/proc/}
	p=${p%/cmdline}
	[[ $p != "$$" && $p != "$BASHPID" ]] && kill -KILL "$p" 2>/dev/null
done
exit 0
