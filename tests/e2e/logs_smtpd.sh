#!/usr/bin/env bash
# logs_smtpd.sh - smtpdoc logs and track on what a real Postfix and a real
# Exim log when they themselves refuse mail during the SMTP dialogue
# (Postfix smtpd "NOQUEUE: reject:" lines in its maillog_file; Exim's
# reject log and main log), as opposed to the remote refusals of
# logs_live.sh.
#
# Usage: bash tests/e2e/logs_smtpd.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# Starts the probe test's private Postfix and Exim (tests/mta/probe-*.sh,
# 127.0.0.1 only, stopped on exit) and talks to them with python3's
# smtplib: an unknown local user, a disabled mailbox, relaying to another
# domain, a message larger than the SIZE limit announced, a client on
# postscreen's deny list (Postfix's postscreen lines), a failure kept in
# the queue by soft_bounce = yes (status=SOFTBOUNCE), and at Exim a
# recipient that needs authentication. Then smtpdoc logs must report each
# refusal with its sender, recipient, code and the reason explain would
# give, and smtpdoc track must find the refused recipient.
# Exit 0 pass, 1 fail, 77 skipped (not root, or Postfix or Exim missing).
set -u -o pipefail

if (($# != 2)); then
	echo "usage: $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1
SRC=$2
MTA=$SRC/tests/mta
export TZ=UTC
((EUID == 0)) || { echo "needs root; skipped"; exit 77; }
[[ -x /usr/sbin/postfix ]] || { echo "postfix missing; skipped"; exit 77; }
EXIM=$(bash "$MTA/exim-path.sh" 2>/dev/null) || EXIM=
command -v python3 >/dev/null 2>&1 || { echo "python3 missing; skipped"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-smtpd.XXXXXX") || exit 2
chmod 0711 "$tmp"
cleanup() {
	[[ -d $tmp/pf ]] && bash "$MTA/postfix-stop.sh" "$tmp/pf" >/dev/null 2>&1
	[[ -d $tmp/ex ]] && bash "$MTA/exim-stop.sh" "$tmp/ex" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
bad() { FAILED=$((FAILED + 1)); echo "FAIL - $1"; }
expect() { if [[ $2 == "$3" ]]; then ok "$1: $2"; else bad "$1: got '$2', want '$3'"; fi; }

free_port() { python3 "$SRC/tests/dns/dnsprobe.py" free-port "$1" "$2"; }
bash "$MTA/probe-certs.sh" "$tmp/certs" >/dev/null 2>&1 || { bad "certificates"; exit 1; }
pport=$(free_port 25600 25649)
psport=$(free_port 25650 25699)
bash "$MTA/probe-postfix-start.sh" "$tmp/pf" "$pport" "$tmp/certs/pf.crt" "$tmp/certs/pf.key" "$psport" \
	>"$tmp/pf.log" 2>&1 || { cat "$tmp/pf.log"; bad "Postfix started"; exit 1; }
have_exim=0
if [[ -n $EXIM ]]; then
	eport=$(free_port 25700 25749)
	etls=$(free_port 25750 25799)
	if bash "$MTA/probe-exim-start.sh" "$EXIM" "$tmp/ex" "$eport" "$etls" "$tmp/certs/ex.crt" \
		"$tmp/certs/ex.key" >"$tmp/ex.log" 2>&1; then
		have_exim=1
	else
		cat "$tmp/ex.log"
		bad "Exim started"
	fi
fi

# send PORT FROM RCPT [SIZE]: one SMTP transaction, refusals expected
send() {
	python3 - "$@" <<'EOF'
import smtplib, sys
port, frm, rcpt = int(sys.argv[1]), sys.argv[2], sys.argv[3]
size = int(sys.argv[4]) if len(sys.argv) > 4 else 0
try:
    s = smtplib.SMTP("127.0.0.1", port, timeout=20)
    s.ehlo("client.test")
    opts = ["SIZE=%d" % size] if size else []
    code, _ = s.mail(frm, opts)
    if code < 300:
        s.rcpt(rcpt)
    s.rset()
    s.quit()
except (smtplib.SMTPException, OSError) as e:
    print("smtp:", e, file=sys.stderr)
EOF
}
send "$pport" alice@client.test other@probe.test
send "$pport" bob@client.test disabled@probe.test
send "$pport" carol@client.test someone@elsewhere.test
send "$pport" dave@client.test alice@probe.test 20000000
# postscreen answers itself: the loopback is on its deny list (enforce)
for _ in $(seq 1 20); do
	(exec 3<>"/dev/tcp/127.0.0.1/$psport") 2>/dev/null && break
	sleep 0.5
done
send "$psport" gina@client.test bob@probe.test
if ((have_exim)); then
	send "$eport" erin@client.test secret@probe.test
	send "$eport" frank@client.test someone@elsewhere.test
fi
sleep 1 # let the daemons write their logs

# event LOG RCPT FIELD -> FIELD of the first event for RCPT ("" for null)
event() {
	timeout 60 "$SMTPDOC" logs --format jsonl "$1" 2>/dev/null | python3 -c '
import json, sys
rcpt, field = sys.argv[1], sys.argv[2]
for line in sys.stdin:
    o = json.loads(line)
    if o.get("recipient") == rcpt:
        v = o.get(field)
        print("" if v is None else v)
        break
else:
    print("missing")' "$2" "$3"
}

pf=$tmp/pf/maillog
[[ -s $pf ]] && ok "Postfix wrote its maillog_file" || bad "no Postfix log"
expect "Postfix unknown user: reason" "$(event "$pf" other@probe.test reason)" userunknown
expect "Postfix unknown user: code" "$(event "$pf" other@probe.test replycode)" 550
expect "Postfix unknown user: sender" "$(event "$pf" other@probe.test addresser)" alice@client.test
expect "Postfix disabled mailbox: reason" "$(event "$pf" disabled@probe.test reason)" suspend
expect "Postfix relay refused: reason" "$(event "$pf" someone@elsewhere.test reason)" norelaying
size_reason=$(timeout 60 "$SMTPDOC" logs --format jsonl "$pf" 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if o.get("replycode") == "552":
        print(o.get("reason")); break
else:
    print("missing")')
case $size_reason in
mesgtoobig | exceedlimit) ok "Postfix oversized message at MAIL FROM: $size_reason" ;;
*) bad "Postfix oversized message: reason '$size_reason'" ;;
esac
expect "postscreen refusal: program" "$(event "$pf" bob@probe.test program)" postfix/postscreen
expect "postscreen refusal: code" "$(event "$pf" bob@probe.test replycode)" 550
expect "postscreen refusal: status" "$(event "$pf" bob@probe.test deliverystatus)" 5.3.2
expect "postscreen refusal: sender" "$(event "$pf" bob@probe.test addresser)" gina@client.test
expect "postscreen refusal: stage" "$(event "$pf" bob@probe.test smtpcommand)" RCPT
expect "postscreen refusal: client" "$(event "$pf" bob@probe.test rhost_ip)" 127.0.0.1
expect "postscreen refusal: reason" "$(event "$pf" bob@probe.test reason)" blocked
timeout 60 "$SMTPDOC" track --recipient other@probe.test "$pf" >"$tmp/track.txt" 2>&1
grep -qi "other@probe.test" "$tmp/track.txt" && ok "track finds the refused recipient" ||
	bad "track: $(head -3 "$tmp/track.txt")"

# soft_bounce = yes: a failure kept in the queue, logged status=SOFTBOUNCE.
# A local submission (sendmail -C) to a domain the instance sends to
# error(8), which fails it; soft_bounce turns that into a deferral.
if postconf -c "$tmp/pf/etc" -e soft_bounce=yes >/dev/null 2>&1 &&
	postfix -c "$tmp/pf/etc" reload >/dev/null 2>&1; then
	printf 'Subject: soft bounce\n\nhello\n' |
		timeout 20 sendmail -C "$tmp/pf/etc" -f hank@client.test soft@elsewhere.test
	for _ in $(seq 1 20); do
		grep -q 'status=SOFTBOUNCE' "$pf" && break
		sleep 0.5
	done
	expect "soft_bounce: event" "$(event "$pf" soft@elsewhere.test event)" deferred
	expect "soft_bounce: status" "$(event "$pf" soft@elsewhere.test deliverystatus)" 4.4.4
else
	bad "soft_bounce could not be turned on"
fi

if ((have_exim)); then
	for f in "$tmp/ex/log/rejectlog" "$tmp/ex/log/mainlog"; do
		[[ -s $f ]] || continue
		r=$(event "$f" secret@probe.test reason)
		[[ $r != missing ]] && break
	done
	[[ -s $tmp/ex/log/rejectlog ]] && ok "Exim wrote its reject log" || bad "no Exim reject log"
	expect "Exim relay refused: reason" "$(event "$tmp/ex/log/rejectlog" someone@elsewhere.test reason)" norelaying
	r=$(event "$tmp/ex/log/rejectlog" secret@probe.test reason)
	case $r in
	norelaying | securityerror | rejected) ok "Exim authentication required: $r" ;;
	*) bad "Exim authentication required: reason '$r'" ;;
	esac
fi

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
