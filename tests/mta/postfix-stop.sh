#!/usr/bin/env bash
# postfix-stop.sh - stop a Postfix instance started by postfix-start.sh.
#
# Usage: bash postfix-stop.sh DIR
#
# Runs "postfix -c DIR/etc stop" and waits (10 seconds at most) for the
# master process to go; if it is still there, kills it and its process
# group. Quiet and exit 0 when no instance runs.
set -u
dir=$1
pidfile=$dir/queue/pid/master.pid
[[ -s $pidfile ]] || exit 0
pid=$(tr -dc '0-9' <"$pidfile")
[[ -n $pid ]] || exit 0
postfix -c "$dir/etc" stop >/dev/null 2>&1 || true
for _ in $(seq 1 20); do
	kill -0 "$pid" 2>/dev/null || exit 0
	sleep 0.5
done
postfix -c "$dir/etc" abort >/dev/null 2>&1 || true
sleep 0.5
if kill -0 "$pid" 2>/dev/null; then
	kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
fi
exit 0
