#!/usr/bin/env bash
# generate.sh - make real bounces with Postfix and Exim on the loopback.
#
# Usage: bash generate.sh OUTDIR
#
# Starts the scripted sink (sink.py), a private Postfix (postfix-start.sh)
# and a private Exim (exim-start.sh), all on 127.0.0.1 in a temporary
# directory, submits one message per case of cases.tsv to each MTA
# (inject.py), and waits until each MTA has returned its bounce to the sink:
# OUTDIR/bounces/pf-CASE.eml and ex-CASE.eml, exactly as the MTA sent them
# (the sink adds nothing). The MTAs' logs go to OUTDIR/logs/. Checks with
# ss(8) that nothing of ours listens beyond 127.0.0.1. Everything is
# stopped and the temporary directory (always under /tmp, which the MTAs'
# unprivileged users can reach) removed on exit.
#
# Waits at most 60 seconds for the bounces. Exits 0 when every bounce came,
# 1 when some did not or an MTA would not start, 77 when the test cannot run
# here (not root, or Postfix or Exim not installed; see scripts/install-deps).
set -u

if (($# != 1)); then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
out=$1
PY=/usr/bin/python3
[[ -x $PY ]] || PY=$(command -v python3) || {
	echo "generate.sh: python3 not found" >&2
	exit 77
}

skip() {
	echo "generate.sh: $*; skipped" >&2
	exit 77
}
((EUID == 0)) || skip "must run as root (private Postfix and Exim instances)"
command -v postfix >/dev/null 2>&1 || skip "postfix is not installed"
getent passwd postfix >/dev/null || skip "no postfix user"
exim=$(bash "$here/exim-path.sh") || skip "no exim4 binary (tests/mta/exim-fetch.sh)"
getent passwd Debian-exim >/dev/null || skip "no Debian-exim user"

work=$(mktemp -d /tmp/smtpdoc-mta.XXXXXX) || exit 1
# The MTAs' unprivileged processes must reach their directories below.
chmod 0711 "$work"
sink_pid=
cleanup() {
	bash "$here/postfix-stop.sh" "$work/pf"
	bash "$here/exim-stop.sh" "$work/ex"
	if [[ -n $sink_pid ]]; then
		kill "$sink_pid" 2>/dev/null
		wait "$sink_pid" 2>/dev/null
	fi
	mkdir -p "$out/logs"
	cp "$work/pf/maillog" "$out/logs/postfix.log" 2>/dev/null
	cp "$work/ex/log/mainlog" "$out/logs/exim-main.log" 2>/dev/null
	cp "$work/ex/log/paniclog" "$out/logs/exim-panic.log" 2>/dev/null
	cp "$work/sink.log" "$out/logs/sink.log" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$out"
mkdir -p "$out/bounces" "$work/store"

# Three free loopback ports: Postfix's, Exim's, and one left closed.
read -r pf_port ex_port closed_port < <("$PY" -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))
')

"$PY" "$here/sink.py" --store "$work/store" --ports-file "$work/ports" \
	--max-seconds 240 2>"$work/sink.log" &
sink_pid=$!
for _ in $(seq 1 50); do
	[[ -s $work/ports ]] && break
	sleep 0.2
done
if ! read -r sink_port greet_port small_port <"$work/ports" 2>/dev/null || [[ -z $small_port ]]; then
	echo "generate.sh: the sink did not start" >&2
	exit 1
fi

if ! bash "$here/postfix-start.sh" "$work/pf" "$pf_port" "$sink_port" "$greet_port" "$small_port" "$closed_port" >"$work/pf-start.log" 2>&1; then
	echo "generate.sh: Postfix did not start:" >&2
	tail -n 5 "$work/pf-start.log" "$work/pf/maillog" >&2 2>/dev/null
	exit 1
fi
if ! bash "$here/exim-start.sh" "$exim" "$work/ex" "$ex_port" "$sink_port" "$greet_port" "$small_port" "$closed_port" >"$work/ex-start.log" 2>&1; then
	echo "generate.sh: Exim did not start:" >&2
	tail -n 5 "$work/ex-start.log" >&2
	exit 1
fi

# Nothing of ours may listen beyond the loopback.
if command -v ss >/dev/null 2>&1; then
	pf_master=$(tr -dc '0-9' <"$work/pf/queue/pid/master.pid")
	ex_daemon=$(tr -dc '0-9' <"$work/ex/exim.pid")
	wide=$(ss -Hltnp | grep -E "pid=($pf_master|$ex_daemon|$sink_pid)," | awk '$4 !~ /^127\.0\.0\.1:/')
	if [[ -n $wide ]]; then
		echo "generate.sh: listening beyond the loopback: $wide" >&2
		exit 1
	fi
	echo "generate.sh: listening on 127.0.0.1 only:" \
		"$(ss -Hltnp | grep -E "pid=($pf_master|$ex_daemon|$sink_pid)," | awk '{print $4}' | sort | tr '\n' ' ')"
fi

# Submit every case to both MTAs, all at once.
expected=()
while IFS=$'\t' read -r name rcpt kb; do
	[[ -z $name || $name == \#* ]] && continue
	printf '%s\t%s\t%s\t%s\t%s\n' \
		"$pf_port" "pf-$name@bounces.test" "${rcpt//LOCAL/pf.test}" "$name" "$kb" \
		"$ex_port" "ex-$name@bounces.test" "${rcpt//LOCAL/ex.test}" "$name" "$kb"
	expected+=("pf-$name" "ex-$name")
done <"$here/cases.tsv" >"$work/inject.list"
"$PY" "$here/inject.py" "$work/inject.list" >"$work/inject.log" 2>&1
grep -v '^accepted ' "$work/inject.log" >&2
accepted=()
while read -r word sender; do
	[[ $word == accepted ]] && accepted+=("${sender%@bounces.test}")
done <"$work/inject.log"

# Wait for the bounces (60 seconds at most), nudging Postfix's queue.
missing=(${accepted[@]+"${accepted[@]}"})
for i in $(seq 1 60); do
	still=()
	for b in "${missing[@]}"; do
		[[ -f $work/store/$b.eml ]] || still+=("$b")
	done
	missing=(${still[@]+"${still[@]}"})
	((${#missing[@]} == 0)) && break
	((i % 3 == 0)) && postqueue -c "$work/pf/etc" -f >/dev/null 2>&1
	sleep 1
done

for b in "${accepted[@]}"; do
	[[ -f $work/store/$b.eml ]] && cp "$work/store/$b.eml" "$out/bounces/"
done
if ((${#missing[@]} != 0)); then
	echo "generate.sh: no bounce after 60 s for: ${missing[*]}" >&2
	exit 1
fi
if ((${#accepted[@]} != ${#expected[@]})); then
	echo "generate.sh: only ${#accepted[@]} of ${#expected[@]} messages were accepted" >&2
	exit 1
fi
echo "generate.sh: ${#accepted[@]} bounces in $out/bounces (${SECONDS}s)"
exit 0
