#!/usr/bin/env bash
# smtp_probe.sh - the SMTP probe (src/smtp_*.c) against real servers on the
# loopback: misbehaving ones, Postfix and Exim.
#
# Usage: bash tests/e2e/smtp_probe.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# Runs live_probe (built beside smtpdoc from tests/live/live_probe.c)
# against:
#   1. tests/mta/badsmtp.py: a good server and one per way to misbehave
#      (slow banner, dropped connection, garbage, a 1 MiB line, a reply
#      without end, 421 and 554 banners, broken STARTTLS, ...), plus a
#      port nothing listens on, one that drops connection attempts, and,
#      when unshare(1) can make a network namespace, a network without a
#      route; several sessions in one poll() loop;
#   2. a private Postfix (tests/mta/probe-postfix-start.sh, self-signed
#      certificate) and a private Exim (tests/mta/probe-exim-start.sh,
#      certificate of a test CA, AUTH, implicit TLS port), with
#      certificates made now (tests/mta/probe-certs.sh): each RCPT reply
#      (code, enhanced status, text), one connection for many RCPTs with
#      RSET where asked (counted in the servers' own logs), STARTTLS and
#      what is reported about it, SIZE, no DATA ever.
# Part 2 needs root, postfix and the exim4 binary (scripts/install-deps);
# without them it is skipped and said so. Every server listens on
# 127.0.0.1 (and [::1]) only and is stopped on exit; every wait is bounded.
# One line per check (ok/FAIL), then "N passed, N failed"; exit 1 when a
# check failed, 77 when nothing could run (no python3).
set -u -o pipefail

if (($# != 2)); then
	echo "usage: $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1
SRC=$(cd "$2" && pwd)
MTA=$SRC/tests/mta
LP=$(cd "$(dirname "$SMTPDOC")" && pwd)/live_probe
PY=/usr/bin/python3
[[ -x $PY ]] || PY=$(command -v python3) || {
	echo "smtp_probe.sh: python3 not found; skipped"
	exit 77
}

pass=0
fail=0
ok() {
	echo "ok - $*"
	pass=$((pass + 1))
}
bad() {
	echo "FAIL - $*"
	fail=$((fail + 1))
}
finish() {
	echo "$pass passed, $fail failed"
	((fail == 0))
	exit $?
}

if [[ ! -x $LP ]]; then
	bad "missing: $LP"
	finish
fi

tmp=$(mktemp -d /tmp/smtpdoc-probe.XXXXXX) || exit 1
# the MTAs' unprivileged processes must reach their directories below
chmod 0711 "$tmp"
bad_pid=
cleanup() {
	if [[ -n $bad_pid ]]; then
		kill "$bad_pid" 2>/dev/null
		wait "$bad_pid" 2>/dev/null
	fi
	[[ -d $tmp/pf ]] && bash "$MTA/postfix-stop.sh" "$tmp/pf"
	[[ -d $tmp/ex ]] && bash "$MTA/exim-stop.sh" "$tmp/ex"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run NAME ARGS... - live_probe ARGS into $tmp/NAME.out; a sanitizer
# report or a non-zero exit is a failure of its own.
run() {
	local name=$1
	shift
	timeout -k 5 90 "$LP" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	local rc=$?
	if grep -Eq 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error' "$tmp/$name.err"; then
		bad "$name: sanitizer report: $(grep -Em1 'Sanitizer|runtime error' "$tmp/$name.err" | cut -c 1-200)"
	elif ((rc != 0)); then
		bad "$name: live_probe exited with $rc: $(head -n 3 "$tmp/$name.err" | tr '\n' ' ')"
	fi
}

# want NAME TEXT [TEXT...] - each TEXT is a line of NAME's output (exact).
want() {
	local name=$1 t missing=()
	shift
	for t in "$@"; do
		grep -qxF -- "$t" "$tmp/$name.out" || missing+=("$t")
	done
	if ((${#missing[@]} == 0)); then
		ok "$name: $1${2:+ (+$(($# - 1)) more)}"
	else
		bad "$name: no line \"${missing[0]}\"${missing[1]:+ (and $((${#missing[@]} - 1)) more)}"
		sed 's/^/#   /' "$tmp/$name.out" | head -n 40
	fi
}

# lacks NAME REGEX WHAT - no line of NAME's output matches REGEX.
lacks() {
	if grep -Eq -- "$2" "$tmp/$1.out"; then
		bad "$1: $3: $(grep -Em1 -- "$2" "$tmp/$1.out")"
	else
		ok "$1: $3"
	fi
}

# wait_count FILE REGEX N - wait (10 s at most) until FILE has N lines
# matching REGEX (servers write their logs a little after the client ends);
# prints the count.
wait_count() {
	local n=0 i
	for i in $(seq 1 50); do
		n=$(grep -Ec -- "$2" "$1" 2>/dev/null)
		((n >= $3)) && break
		sleep 0.2
	done
	echo "$n"
}

# ---------------------------------------------------------------------------
# 1. misbehaving servers (badsmtp.py)
# ---------------------------------------------------------------------------
"$PY" "$MTA/badsmtp.py" --ports-file "$tmp/bad.ports" --log "$tmp/bad.log" \
	--max-seconds 300 2>"$tmp/badsmtp.err" &
bad_pid=$!
for _ in $(seq 1 50); do
	[[ -s $tmp/bad.ports ]] && break
	sleep 0.2
done
port() { awk -v m="$1" '$1 == m { print $2 }' "$tmp/bad.ports"; }
if [[ -z $(port good) ]]; then
	bad "badsmtp.py did not start: $(head -n 3 "$tmp/badsmtp.err")"
	finish
fi
L=127.0.0.1
R3=(--rcpt a@x.test --rcpt b@x.test --rcpt c@x.test)

# A good server: every reply kept, many RCPTs on one connection, RSET where
# asked, a multi-line reply joined, no DATA.
before=$(grep -Ec '^good [0-9]+ connect' "$tmp/bad.log")
run good session --transcript --rcpt ok@x.test --rcpt unknown1@x.test --rset \
	--rcpt grey@x.test --rcpt multi@x.test --rcpt ok2@x.test $L "$(port good)"
want good \
	"result error=ok stage=end connections=1 mails=2 rcpts=5 rsets=1 answered=5" \
	"rcpt ok@x.test 250 2.1.5 conn=1 Ok" \
	"rcpt unknown1@x.test 550 5.1.1 conn=1 <unknown1@x.test>: Recipient address rejected: User unknown" \
	"rcpt grey@x.test 451 4.7.1 conn=1 <grey@x.test>: Recipient address rejected: Greylisted, try again later" \
	"rcpt multi@x.test 550 5.2.1 conn=1 <multi@x.test>: mailbox disabled | it was closed in 2020 | see https://bad.test/help" \
	"rcpt ok2@x.test 250 2.1.5 conn=1 Ok" \
	"banner 220 - lines=1 truncated=0 mx.bad.test ESMTP badsmtp" \
	"features esmtp=1 size_offered=1 size=1000000 starttls=0 pipelining=1 8bitmime=1 smtputf8=0 auth=-" \
	"transcript > RSET" "transcript > QUIT" "transcript < 221 2.0.0 Bye"
grep '^transcript >' "$tmp/good.out" | cut -c 14- | tr '\n' ';' >"$tmp/good.cmds"
if [[ $(cat "$tmp/good.cmds") == "EHLO probe.smtpdoc.test;MAIL FROM:<probe@smtpdoc.test>;RCPT TO:<ok@x.test>;RCPT TO:<unknown1@x.test>;RSET;MAIL FROM:<probe@smtpdoc.test>;RCPT TO:<grey@x.test>;RCPT TO:<multi@x.test>;RCPT TO:<ok2@x.test>;QUIT;" ]]; then
	ok "good: commands in order: EHLO, MAIL, 2 RCPT, RSET, MAIL, 3 RCPT, QUIT"
else
	bad "good: commands sent: $(cat "$tmp/good.cmds")"
fi
after=$(wait_count "$tmp/bad.log" '^good [0-9]+ connect' $((before + 1)))
if ((after == before + 1)); then
	ok "good: the server saw one connection for five RCPTs"
else
	bad "good: the server saw $((after - before)) connections (want 1)"
fi

# The server's timing and connection drops.
run slow_banner session --banner-ms 1000 "${R3[@]}" $L "$(port slow-banner)"
want slow_banner "result error=timeout stage=banner connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"why timeout waiting for the banner after 1 s" \
	"rcpt a@x.test none error=timeout conn=1 timeout waiting for the banner after 1 s" \
	"rcpt c@x.test none error=timeout conn=1 timeout waiting for the banner after 1 s"
run drop_banner session "${R3[@]}" $L "$(port drop-after-banner)"
want drop_banner "result error=closed stage=EHLO connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"why connection closed by the server during EHLO" \
	"banner 220 - lines=1 truncated=0 mx.bad.test ESMTP badsmtp"
run drop_rcpt session "${R3[@]}" $L "$(port drop-in-rcpt)"
want drop_rcpt "result error=closed stage=RCPT connections=1 mails=1 rcpts=1 rsets=0 answered=0" \
	"why connection closed by the server during RCPT" \
	"rcpt a@x.test none error=closed conn=1 connection closed by the server during RCPT" \
	"rcpt b@x.test none error=closed conn=1 connection closed by the server during RCPT" \
	"rcpt c@x.test none error=closed conn=1 connection closed by the server during RCPT"

# What is not SMTP, and replies without bounds.
run garbage session "${R3[@]}" $L "$(port garbage)"
want garbage "result error=protocol stage=banner connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	'why reply is not SMTP: "HTTP/1.1 400 Bad Request", in the banner'
run garbage_ehlo session "${R3[@]}" $L "$(port garbage-ehlo)"
want garbage_ehlo "result error=protocol stage=EHLO connections=1 mails=0 rcpts=0 rsets=0 answered=0"
grep -q '^why reply is not SMTP: "?.*", in the reply to EHLO$' "$tmp/garbage_ehlo.out" &&
	ok "garbage_ehlo: binary bytes quoted as '?'" || bad "garbage_ehlo: $(grep '^why' "$tmp/garbage_ehlo.out")"
run longline session "${R3[@]}" $L "$(port longline)"
want longline "result error=protocol stage=EHLO connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"why reply line longer than 16384 bytes, in the reply to EHLO"
run stall session --command-ms 1500 "${R3[@]}" $L "$(port multiline-stall)"
want stall "result error=timeout stage=EHLO connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"why timeout waiting for the reply to EHLO after 1.5 s (2 lines came, not the last)"
run flood session "${R3[@]}" $L "$(port multiline-flood)"
want flood "result error=protocol stage=EHLO connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"why reply of more than 1000 lines, in the reply to EHLO"

# Refusals: banner, RCPT, MAIL.
run banner421 session "${R3[@]}" $L "$(port banner421)"
want banner421 "result error=rejected stage=banner connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"banner 421 4.3.2 lines=1 truncated=0 mx.bad.test Service not available, closing transmission channel" \
	"rcpt a@x.test none error=rejected conn=1 the server refused the session in its banner: 421 4.3.2 mx.bad.test Service not available, closing transmission channel"
run banner554 session --transcript "${R3[@]}" $L "$(port banner554)"
want banner554 "result error=rejected stage=banner connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"why the server refused the session in its banner: 554 5.7.1 mx.bad.test No SMTP service for you" \
	"last 554 5.7.1 lines=1 truncated=0 mx.bad.test No SMTP service for you" \
	"transcript > QUIT"
lacks banner554 '^transcript > (EHLO|MAIL|RCPT)' "nothing but QUIT after a 554 banner"
run rcpt421 session "${R3[@]}" $L "$(port rcpt-421)"
want rcpt421 "result error=rejected stage=RCPT connections=1 mails=1 rcpts=2 rsets=0 answered=2" \
	"rcpt a@x.test 250 2.1.5 conn=1 Ok" \
	"rcpt b@x.test 421 4.7.0 conn=1 mx.bad.test Error: too many errors" \
	"rcpt c@x.test none error=rejected conn=1 the server ended the session during RCPT: 421 4.7.0 mx.bad.test Error: too many errors"
run mail550 session "${R3[@]}" $L "$(port mail-550)"
want mail550 "result error=rejected stage=MAIL connections=1 mails=1 rcpts=0 rsets=0 answered=0" \
	"mail 550 5.7.1 lines=1 truncated=0 <sender>: Sender address rejected: Access denied" \
	"last 550 5.7.1 lines=1 truncated=0 <sender>: Sender address rejected: Access denied" \
	"rcpt b@x.test none error=rejected conn=1 MAIL FROM refused: 550 5.7.1 <sender>: Sender address rejected: Access denied"

# EHLO refused: HELO. STARTTLS refused or broken: plain text.
run ehlo502 session --transcript "${R3[@]}" $L "$(port ehlo-502)"
want ehlo502 "result error=ok stage=end connections=1 mails=1 rcpts=3 rsets=0 answered=3" \
	"transcript > HELO probe.smtpdoc.test" \
	"features esmtp=0 size_offered=0 size=0 starttls=0 pipelining=0 8bitmime=0 smtputf8=0 auth=-"
run tls454 session "${R3[@]}" $L "$(port starttls-454)"
want tls454 "result error=ok stage=end connections=1 mails=1 rcpts=3 rsets=0 answered=3" \
	"tls offered=1 attempted=0 established=0 version=- cipher=- verified=0 name_checked=0 name_matched=0" \
	"tls_error STARTTLS refused: 454 4.7.0 TLS not available due to local problem" \
	"rcpt c@x.test 250 2.1.5 conn=1 Ok"
before=$(grep -Ec '^tls-broken [0-9]+ connect' "$tmp/bad.log")
run tlsbroken session --transcript "${R3[@]}" $L "$(port tls-broken)"
want tlsbroken "result error=ok stage=end connections=2 mails=1 rcpts=3 rsets=0 answered=3" \
	"tls offered=1 attempted=1 established=0 version=- cipher=- verified=0 name_checked=0 name_matched=0" \
	"rcpt a@x.test 250 2.1.5 conn=2 Ok"
# the bytes may come with the 220 (dropped unread: RFC 3207 6) or after it
grep -Eq '^tls_error (TLS handshake failed: |connection closed by the server during the TLS handshake)' "$tmp/tlsbroken.out" &&
	ok "tlsbroken: $(grep '^tls_error' "$tmp/tlsbroken.out")" || bad "tlsbroken: no tls_error line"
if [[ $(grep -c '^transcript > STARTTLS$' "$tmp/tlsbroken.out") == 1 ]]; then
	ok "tlsbroken: STARTTLS tried once, then plain text on a new connection"
else
	bad "tlsbroken: STARTTLS sent $(grep -c '^transcript > STARTTLS$' "$tmp/tlsbroken.out") times"
fi
after=$(wait_count "$tmp/bad.log" '^tls-broken [0-9]+ connect' $((before + 2)))
((after == before + 2)) && ok "tlsbroken: the server saw two connections" ||
	bad "tlsbroken: the server saw $((after - before)) connections (want 2)"
run tlsbroken_nofb session --no-fallback "${R3[@]}" $L "$(port tls-broken)"
want tlsbroken_nofb "result error=tls stage=TLS handshake connections=1 mails=0 rcpts=0 rsets=0 answered=0"

# The caller's queue: RCPTs added while the session runs, no finish (the
# session QUITs once idle), and an RSET every N RCPTs.
run later session --transcript --rcpt a@x.test --later b@x.test --later unknown2@x.test $L "$(port good)"
want later "result error=ok stage=end connections=1 mails=1 rcpts=3 rsets=0 answered=3" \
	"rcpt b@x.test 250 2.1.5 conn=1 Ok" \
	"rcpt unknown2@x.test 550 5.1.1 conn=1 <unknown2@x.test>: Recipient address rejected: User unknown"
run idle session --transcript --no-finish --idle-ms 300 --rcpt a@x.test $L "$(port good)"
want idle "result error=ok stage=end connections=1 mails=1 rcpts=1 rsets=0 answered=1" "transcript > QUIT"
run permail session --per-mail 2 --rcpt a@x.test --rcpt b@x.test --rcpt c@x.test --rcpt d@x.test \
	--rcpt e@x.test $L "$(port good)"
want permail "result error=ok stage=end connections=1 mails=3 rcpts=5 rsets=2 answered=5" \
	"rcpt e@x.test 250 2.1.5 conn=1 Ok"

# IPv6 loopback.
if [[ -n $(port good6) ]]; then
	run good6 session --rcpt a@x.test ::1 "$(port good6)"
	want good6 "result error=ok stage=end connections=1 mails=1 rcpts=1 rsets=0 answered=1" \
		"rcpt a@x.test 250 2.1.5 conn=1 Ok"
else
	echo "# no IPv6 loopback: [::1] not tested"
fi

# Port reachability: open, refused, silent (dropped), no route.
run reach_open reach $L "$(port good)" 2000
want reach_open "reach open"
run reach_refused reach $L "$(port closed)" 2000
want reach_refused "reach refused cannot connect to 127.0.0.1 port $(port closed): Connection refused"
run reach_dropped reach $L "$(port blackhole)" 1000
want reach_dropped "reach timeout timeout connecting to 127.0.0.1 port $(port blackhole) after 1 s"
if unshare -n true 2>/dev/null; then
	# a new network namespace: its loopback is down, so there is no route
	timeout -k 5 30 unshare -n "$LP" reach 127.0.0.1 25 1000 >"$tmp/reach_unreach.out" 2>&1
	want reach_unreach "reach unreachable cannot connect to 127.0.0.1 port 25: Network is unreachable"
else
	echo "# unshare -n not allowed here: 'unreachable' not tested"
fi

# Several sessions in one poll() loop, as the bulk verifier runs them: a
# slow server does not hold up the others.
run multi multi --banner-ms 1500 --rcpt a@x.test -- $L "$(port slow-banner)" $L "$(port good)" \
	$L "$(port closed)" $L "$(port rcpt-421)" $L "$(port good)"
want multi \
	"s0 result error=timeout stage=banner connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"s1 rcpt a@x.test 250 2.1.5 conn=1 Ok" \
	"s2 result error=refused stage=connect connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"s3 rcpt a@x.test 250 2.1.5 conn=1 Ok" \
	"s4 result error=ok stage=end connections=1 mails=1 rcpts=1 rsets=0 answered=1" \
	"counters sessions=5 connections=5 rcpts=3"
echo "# multi: sessions ended in the order $(grep '^finished' "$tmp/multi.out" | cut -d' ' -f2 | tr '\n' ' ')"

# The probe never sent DATA to any of them.
if grep -q '> DATA' "$tmp/bad.log"; then
	bad "badsmtp: DATA was sent: $(grep -m1 '> DATA' "$tmp/bad.log")"
else
	ok "badsmtp: no DATA in $(grep -c ' > ' "$tmp/bad.log") commands"
fi

# ---------------------------------------------------------------------------
# 2. real Postfix and Exim
# ---------------------------------------------------------------------------
skip_mta=
((EUID == 0)) || skip_mta="not root"
[[ -z $skip_mta ]] && ! command -v postfix >/dev/null 2>&1 && skip_mta="postfix is not installed"
[[ -z $skip_mta ]] && ! getent passwd postfix >/dev/null && skip_mta="no postfix user"
[[ -z $skip_mta ]] && { exim=$(bash "$MTA/exim-path.sh") || skip_mta="no exim4 binary"; }
[[ -z $skip_mta ]] && ! getent passwd Debian-exim >/dev/null && skip_mta="no Debian-exim user"
[[ -z $skip_mta ]] && ! command -v openssl >/dev/null 2>&1 && skip_mta="no openssl command"
if [[ -n $skip_mta ]]; then
	echo "# real Postfix and Exim skipped: $skip_mta (see scripts/install-deps)"
	finish
fi

if ! bash "$MTA/probe-certs.sh" "$tmp/certs" >"$tmp/certs.log" 2>&1; then
	bad "making the certificates: $(tail -n 3 "$tmp/certs.log")"
	finish
fi
read -r pf_port ex_port ex_tls_port < <("$PY" -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))
')
if ! bash "$MTA/probe-postfix-start.sh" "$tmp/pf" "$pf_port" "$tmp/certs/pf.crt" "$tmp/certs/pf.key" \
	>"$tmp/pf-start.log" 2>&1; then
	bad "Postfix did not start: $(tail -n 3 "$tmp/pf-start.log" | tr '\n' ' ')"
	finish
fi
if ! bash "$MTA/probe-exim-start.sh" "$exim" "$tmp/ex" "$ex_port" "$ex_tls_port" "$tmp/certs/ex.crt" \
	"$tmp/certs/ex.key" >"$tmp/ex-start.log" 2>&1; then
	bad "Exim did not start: $(tail -n 3 "$tmp/ex-start.log" | tr '\n' ' ')"
	finish
fi
if command -v ss >/dev/null 2>&1; then
	pf_master=$(tr -dc '0-9' <"$tmp/pf/queue/pid/master.pid")
	ex_daemon=$(tr -dc '0-9' <"$tmp/ex/exim.pid")
	wide=$(ss -Hltnp | grep -E "pid=($pf_master|$ex_daemon|$bad_pid)," | awk '$4 !~ /^(127\.0\.0\.1|\[::1\]):/')
	[[ -z $wide ]] && ok "Postfix, Exim and badsmtp listen on the loopback only" ||
		bad "listening beyond the loopback: $wide"
fi

# Postfix: every kind of RCPT reply in one connection, RSET around the
# catch-all probe, STARTTLS with a self-signed certificate.
before=$(wait_count "$tmp/pf/maillog" 'postfix/smtpd.*: disconnect from' 1)
run pf session --transcript --tls-name mx-pf.probe.test \
	--rcpt alice@probe.test --rcpt nobody@probe.test --rcpt disabled@probe.test \
	--rcpt grey@probe.test --rcpt grey2@probe.test --rset --rcpt x7q2k9@catchall.test --rset \
	--rcpt someone@outside.test --rcpt bob@probe.test $L "$pf_port"
want pf \
	"result error=ok stage=end connections=1 mails=3 rcpts=8 rsets=2 answered=8" \
	"banner 220 - lines=1 truncated=0 mx-pf.probe.test ESMTP" \
	"rcpt alice@probe.test 250 2.1.5 conn=1 Ok" \
	"rcpt nobody@probe.test 550 5.1.1 conn=1 <nobody@probe.test>: Recipient address rejected: User unknown in virtual mailbox table" \
	"rcpt disabled@probe.test 550 5.2.1 conn=1 <disabled@probe.test>: Recipient address rejected: mailbox disabled" \
	"rcpt grey@probe.test 450 4.2.0 conn=1 <grey@probe.test>: Recipient address rejected: greylisted, try again later" \
	"rcpt grey2@probe.test 451 4.7.1 conn=1 <grey2@probe.test>: Recipient address rejected: please try again later" \
	"rcpt x7q2k9@catchall.test 250 2.1.5 conn=1 Ok" \
	"rcpt someone@outside.test 554 5.7.1 conn=1 <someone@outside.test>: Relay access denied" \
	"rcpt bob@probe.test 250 2.1.5 conn=1 Ok" \
	"features_plain esmtp=1 size_offered=1 size=10240000 starttls=1 pipelining=1 8bitmime=1 smtputf8=1 auth=-" \
	"features esmtp=1 size_offered=1 size=10240000 starttls=0 pipelining=1 8bitmime=1 smtputf8=1 auth=-" \
	"tls_verify_error self-signed certificate" \
	"tls_subject CN=mx-pf.probe.test" \
	"transcript > STARTTLS" "transcript < 220 2.0.0 Ready to start TLS"
grep -Eq '^tls offered=1 attempted=1 established=1 version=TLSv1\.[23] cipher=[A-Z0-9_-]+ verified=0 name_checked=1 name_matched=1$' "$tmp/pf.out" &&
	ok "pf: $(grep '^tls ' "$tmp/pf.out")" || bad "pf: $(grep '^tls ' "$tmp/pf.out")"
# Postfix's own count of the session's commands: one connection, two
# EHLO, STARTTLS, three MAIL, eight RCPT (three accepted), two RSET, QUIT.
# (the start script's check that the port is open was the first one)
n=$(wait_count "$tmp/pf/maillog" 'postfix/smtpd.*: disconnect from' $((before + 1)))
last=$(grep 'postfix/smtpd.*: disconnect from' "$tmp/pf/maillog" | tail -n 1)
if ((n == before + 1)) && [[ $last == *" ehlo=2 starttls=1 mail=3 rcpt=3/8 rset=2 quit=1 commands=12/17" ]]; then
	ok "pf: Postfix logged one connection: ${last#*disconnect from }"
else
	bad "pf: Postfix logged $((n - before)) connections: $(grep 'disconnect from' "$tmp/pf/maillog" | tr '\n' ' ')"
fi

# SIZE: declared when offered; over the limit the MAIL FROM is refused.
run pf_size_ok session --transcript --size 1000 --rcpt alice@probe.test $L "$pf_port"
want pf_size_ok "transcript > MAIL FROM:<probe@smtpdoc.test> SIZE=1000" \
	"rcpt alice@probe.test 250 2.1.5 conn=1 Ok"
run pf_size_big session --size 20000000 --rcpt alice@probe.test $L "$pf_port"
want pf_size_big "result error=rejected stage=MAIL connections=1 mails=1 rcpts=0 rsets=0 answered=0" \
	"mail 552 5.3.4 lines=1 truncated=0 Message size exceeds fixed limit" \
	"rcpt alice@probe.test none error=rejected conn=1 MAIL FROM refused: 552 5.3.4 Message size exceeds fixed limit"
# SMTPUTF8 declared when offered and asked for (RFC 6531), for an address
# with a UTF-8 local part.
run pf_utf8 session --transcript --smtputf8 --rcpt "jörg@probe.test" $L "$pf_port"
want pf_utf8 "transcript > MAIL FROM:<probe@smtpdoc.test> SMTPUTF8" \
	"rcpt jörg@probe.test 550 5.1.1 conn=1 <jörg@probe.test>: Recipient address rejected: User unknown in virtual mailbox table"
# The certificate for another name; TLS not wanted; check's probe.
run pf_name session --tls-name mx.elsewhere.test --rcpt alice@probe.test $L "$pf_port"
grep -Eq '^tls .*established=1 .*name_checked=1 name_matched=0$' "$tmp/pf_name.out" &&
	ok "pf_name: a certificate for another name: name_matched=0" || bad "pf_name: $(grep '^tls ' "$tmp/pf_name.out")"
run pf_notls session --tls no --rcpt alice@probe.test $L "$pf_port"
want pf_notls "tls offered=1 attempted=0 established=0 version=- cipher=- verified=0 name_checked=0 name_matched=0" \
	"rcpt alice@probe.test 250 2.1.5 conn=1 Ok"
run pf_check check --tls-name mx-pf.probe.test $L "$pf_port"
want pf_check "result error=ok stage=end connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"banner 220 - lines=1 truncated=0 mx-pf.probe.test ESMTP" \
	"features_plain esmtp=1 size_offered=1 size=10240000 starttls=1 pipelining=1 8bitmime=1 smtputf8=1 auth=-"
grep -q '^tls offered=1 attempted=1 established=1 ' "$tmp/pf_check.out" && ok "pf_check: STARTTLS negotiated" ||
	bad "pf_check: $(grep '^tls ' "$tmp/pf_check.out")"
run pf_reach reach $L "$pf_port" 2000
want pf_reach "reach open"
if grep -Eq 'postfix/smtpd.*(data|bdat)=' "$tmp/pf/maillog"; then
	bad "pf: DATA or BDAT was sent: $(grep -Em1 'data=|bdat=' "$tmp/pf/maillog")"
else
	ok "pf: no DATA in $(grep -c 'disconnect from' "$tmp/pf/maillog") sessions"
fi

# Exim: a certificate of the test CA, AUTH after TLS, a multi-line
# refusal, authentication required, implicit TLS.
before=$(grep -c 'TCP/IP connection count' "$tmp/ex/log/mainlog" 2>/dev/null)
run ex session --transcript --ca "$tmp/certs/ca.crt" --tls-name mx-ex.probe.test \
	--rcpt alice@probe.test --rcpt nobody@probe.test --rcpt disabled@probe.test \
	--rcpt grey@probe.test --rcpt secret@probe.test --rset --rcpt x7q2k9@catchall.test --rset \
	--rcpt someone@outside.test --rcpt bob@probe.test $L "$ex_port"
want ex \
	"result error=ok stage=end connections=1 mails=3 rcpts=8 rsets=2 answered=8" \
	"rcpt alice@probe.test 250 - conn=1 Accepted" \
	"rcpt nobody@probe.test 550 - conn=1 Unrouteable address" \
	"rcpt disabled@probe.test 550 5.2.1 conn=1 Mailbox disabled | It was closed by its owner" \
	"rcpt grey@probe.test 451 4.7.1 conn=1 Greylisted, please try again later" \
	"rcpt secret@probe.test 530 5.7.0 conn=1 Authentication required" \
	"rcpt x7q2k9@catchall.test 250 - conn=1 Accepted" \
	"rcpt someone@outside.test 550 5.7.1 conn=1 relay not permitted" \
	"rcpt bob@probe.test 250 - conn=1 Accepted" \
	"features_plain esmtp=1 size_offered=1 size=5242880 starttls=1 pipelining=1 8bitmime=1 smtputf8=1 auth=PLAIN" \
	"features esmtp=1 size_offered=1 size=5242880 starttls=0 pipelining=1 8bitmime=1 smtputf8=1 auth=PLAIN,LOGIN" \
	"tls_subject CN=mx-ex.probe.test" \
	"transcript < 550-5.2.1 Mailbox disabled" "transcript < 550 5.2.1 It was closed by its owner"
grep -Eq '^tls offered=1 attempted=1 established=1 version=TLSv1\.[23] cipher=[A-Z0-9_-]+ verified=1 name_checked=1 name_matched=1$' "$tmp/ex.out" &&
	ok "ex: $(grep '^tls ' "$tmp/ex.out")" || bad "ex: $(grep '^tls ' "$tmp/ex.out")"
lacks ex '^tls_verify_error' "the chain verified against the test CA"
after=$(wait_count "$tmp/ex/log/mainlog" 'TCP/IP connection count' $((before + 1)))
closed=$(wait_count "$tmp/ex/log/mainlog" 'closed by QUIT' 1)
if ((after == before + 1 && closed == 1)); then
	ok "ex: Exim logged one connection, closed by QUIT"
else
	bad "ex: Exim logged $((after - before)) connections, $closed closed by QUIT"
fi
run ex_system session --tls-name mx-ex.probe.test --rcpt alice@probe.test $L "$ex_port"
want ex_system "tls_verify_error unable to get local issuer certificate"
grep -q '^tls .*established=1 .*verified=0 name_checked=1 name_matched=1$' "$tmp/ex_system.out" &&
	ok "ex_system: the test CA is not in the system store: verified=0" ||
	bad "ex_system: $(grep '^tls ' "$tmp/ex_system.out")"
run ex_implicit session --tls implicit --ca "$tmp/certs/ca.crt" --tls-name mx-ex.probe.test \
	--rcpt alice@probe.test $L "$ex_tls_port"
want ex_implicit "result error=ok stage=end connections=1 mails=1 rcpts=1 rsets=0 answered=1" \
	"rcpt alice@probe.test 250 - conn=1 Accepted" \
	"features esmtp=1 size_offered=1 size=5242880 starttls=0 pipelining=1 8bitmime=1 smtputf8=1 auth=PLAIN,LOGIN"
grep -q '^banner 220 - lines=1 truncated=0 mx-ex.probe.test ESMTP Exim ' "$tmp/ex_implicit.out" &&
	ok "ex_implicit: the banner came through TLS" || bad "ex_implicit: no banner"
grep -q '^tls offered=1 attempted=1 established=1 .* verified=1 name_checked=1 name_matched=1$' "$tmp/ex_implicit.out" &&
	ok "ex_implicit: TLS from the first byte, verified" || bad "ex_implicit: $(grep '^tls ' "$tmp/ex_implicit.out")"
run ex_check check --ca "$tmp/certs/ca.crt" $L "$ex_port"
want ex_check "result error=ok stage=end connections=1 mails=0 rcpts=0 rsets=0 answered=0" \
	"features_plain esmtp=1 size_offered=1 size=5242880 starttls=1 pipelining=1 8bitmime=1 smtputf8=1 auth=PLAIN"
# Both MTAs in one poll() loop with the misbehaving server.
run mta_multi multi --banner-ms 1500 --ca "$tmp/certs/ca.crt" --rcpt alice@probe.test --rcpt nobody@probe.test \
	-- $L "$pf_port" $L "$ex_port" $L "$(port slow-banner)"
want mta_multi "s0 rcpt nobody@probe.test 550 5.1.1 conn=1 <nobody@probe.test>: Recipient address rejected: User unknown in virtual mailbox table" \
	"s1 rcpt nobody@probe.test 550 - conn=1 Unrouteable address" \
	"s2 result error=timeout stage=banner connections=1 mails=0 rcpts=0 rsets=0 answered=0"
if grep -Eq 'rejected after DATA|<= .* P=e?smtp' "$tmp/ex/log/mainlog"; then
	bad "ex: a message reached Exim"
else
	ok "ex: no message reached Exim"
fi

finish
