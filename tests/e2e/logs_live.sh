#!/usr/bin/env bash
# logs_live.sh - smtpdoc logs and smtpdoc track on the logs that a real
# Postfix and a real Exim write.
#
# Usage: bash logs_live.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# tests/mta/generate.sh starts a private Postfix, a private Exim and the
# scripted sink on 127.0.0.1 (as root; everything stopped on exit by its
# own trap) and sends each MTA the messages of tests/mta/cases.tsv over
# SMTP (python3 smtplib): unknown users remote and local, relay refused,
# oversized messages, a full mailbox, greylisting, a refused connection,
# ... The MTAs' own logs are then read by smtpdoc logs (JSON lines and
# the summary, from files, gzip and standard input) and smtpdoc track,
# and again after damage: binary junk, cut and overlong lines, and a
# gzip file cut short, each of which must give a warning with the line
# number and never stop the scan.
#
# Exit: 0 all checks passed, 1 some failed, 77 skipped (generate.sh could
# not run here: not root, or Postfix or Exim missing).
set -u

if (($# != 2)); then
	echo "usage: $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1
SRC=$2
export TZ=UTC
pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
check() { # check DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}

tmp=$(mktemp -d /tmp/smtpdoc-logs.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

timeout 180 bash "$SRC/tests/mta/generate.sh" "$tmp/gen" >"$tmp/gen.out" 2>&1
rc=$?
if ((rc == 77)); then
	tail -1 "$tmp/gen.out"
	exit 77
fi
pf=$tmp/gen/logs/postfix.log
ex=$tmp/gen/logs/exim-main.log
if [[ ! -s $pf || ! -s $ex ]]; then
	cat "$tmp/gen.out"
	echo "FAIL - the MTAs wrote no logs"
	exit 1
fi
((rc == 0)) || echo "note: generate.sh exited $rc (some bounce missing); the logs are still read"

run() { timeout 60 "$SMTPDOC" "$@"; }

# jsonl EVENTFILE KIND RECIPIENT FIELD=VALUE... - an event with these fields
has_event() {
	local file=$1
	shift
	python3 - "$file" "$@" <<'PY'
import json, sys
path, kind, rcpt = sys.argv[1], sys.argv[2], sys.argv[3]
want = dict(a.split("=", 1) for a in sys.argv[4:])
for line in open(path):
    e = json.loads(line)
    if e["event"] != kind or (e.get("recipient") or "").lower() != rcpt:
        continue
    if all(str(e.get(k)) == v for k, v in want.items()):
        sys.exit(0)
sys.exit(1)
PY
}

# ---- Postfix ---------------------------------------------------------------
run logs -f jsonl "$pf" >"$tmp/pf.jsonl" 2>"$tmp/pf.err"
check "postfix: logs exits 0 with failures found" test $? -eq 0
check "postfix: no warnings on a clean log" test ! -s "$tmp/pf.err"
check "postfix: every line is JSON" python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "$tmp/pf.jsonl"
check "postfix: hardbounce is 1 or 0, as explain writes it" python3 -c "
import json,sys
v=[e['hardbounce'] for e in map(json.loads,open(sys.argv[1])) if 'hardbounce' in e]
assert v and all(type(x) is int and x in (0,1) for x in v) and 1 in v" "$tmp/pf.jsonl"
check "postfix: unknown user bounced at RCPT" has_event "$tmp/pf.jsonl" bounced unknown@remote.test \
	reason=userunknown cause=mailbox.unknown replycode=550 deliverystatus=5.1.1 smtpcommand=RCPT rhost_ip=127.0.0.1
check "postfix: forwarder to a missing mailbox" has_event "$tmp/pf.jsonl" bounced gone@pf.test \
	alias=fwd@pf.test reason=userunknown deliverystatus=5.1.1
check "postfix: relay refused" has_event "$tmp/pf.jsonl" bounced relay@remote.test reason=norelaying replycode=554
check "postfix: oversized after DATA" has_event "$tmp/pf.jsonl" bounced toobig@remote.test reason=mesgtoobig smtpcommand=DATA
check "postfix: over the receiver's SIZE" has_event "$tmp/pf.jsonl" bounced someone@small.test reason=mesgtoobig
check "postfix: local unknown user" has_event "$tmp/pf.jsonl" bounced nosuch@pf.test reason=userunknown
check "postfix: alias to a full mailbox" has_event "$tmp/pf.jsonl" bounced full@pf.test reason=mailboxfull
check "postfix: greylisting deferred" has_event "$tmp/pf.jsonl" deferred tempfail@remote.test replycode=451
check "postfix: refused connection deferred" has_event "$tmp/pf.jsonl" deferred someone@closed.test smtpcommand=CONN
check "postfix: expiry" grep -q '"event":"expired"' "$tmp/pf.jsonl"
check "postfix: bounce notices" grep -q '"event":"notice"' "$tmp/pf.jsonl"
check "postfix: title and fix written" grep -q '"title":"The recipient.s address does not exist","explanation":.*"fix":\["' "$tmp/pf.jsonl"

# ---- Exim ------------------------------------------------------------------
run logs -f jsonl "$ex" >"$tmp/ex.jsonl" 2>"$tmp/ex.err"
check "exim: logs exits 0" test $? -eq 0
check "exim: unknown user bounced at RCPT" has_event "$tmp/ex.jsonl" bounced unknown@remote.test \
	reason=userunknown replycode=550 smtpcommand=RCPT
[[ $(grep -c '"event":"bounced"' "$tmp/ex.jsonl") -ge 10 ]] && ok "exim: at least 10 bounces" || bad "exim: at least 10 bounces"
check "exim: unknown user with a queue id" python3 -c "
import json,sys
ok=any(e['event']=='bounced' and e['recipient']=='unknown@remote.test' and len(e['queueid'] or '')>=16 for e in map(json.loads,open(sys.argv[1])))
sys.exit(0 if ok else 1)" "$tmp/ex.jsonl"
check "exim: relay refused" has_event "$tmp/ex.jsonl" bounced relay@remote.test reason=norelaying
check "exim: forwarder to a missing mailbox" has_event "$tmp/ex.jsonl" bounced gone@ex.test alias=fwd@ex.test
run track --recipient fwd@ex.test -f jsonl "$ex" >"$tmp/track-fwd.jsonl"
check "track --recipient: found through the forwarder's address" python3 -c "
import json,sys
s=json.loads(open(sys.argv[1]).readline())
o=s['outcomes'][0]
assert o['recipient']=='gone@ex.test' and o['alias']=='fwd@ex.test' and o['outcome']=='bounced', o" "$tmp/track-fwd.jsonl"
check "exim: spam after DATA" has_event "$tmp/ex.jsonl" bounced spam@remote.test reason=spamdetected smtpcommand=DATA
check "exim: full mailbox after DATA" has_event "$tmp/ex.jsonl" bounced full@remote.test reason=mailboxfull
check "exim: greylisting deferred" has_event "$tmp/ex.jsonl" deferred tempfail@remote.test replycode=451
check "exim: retry timeout" has_event "$tmp/ex.jsonl" bounced someone@closed.test reason=expired

# ---- summary, json, stdin, time window --------------------------------------
run logs "$pf" "$ex" >"$tmp/sum.txt" 2>"$tmp/sum.err"
check "summary: exit 0" test $? -eq 0
check "summary: top causes" grep -q "mailbox.unknown (userunknown)" "$tmp/sum.txt"
check "summary: recipient domains" grep -q "remote.test" "$tmp/sum.txt"
check "summary: by hour" grep -q "Failures by hour" "$tmp/sum.txt"
run logs -f json "$pf" >"$tmp/pf.json"
check "json: one array" python3 -c "import json,sys; assert isinstance(json.load(open(sys.argv[1])), list)" "$tmp/pf.json"
n_file=$(wc -l <"$tmp/pf.jsonl")
n_stdin=$(run logs -f jsonl <"$pf" | wc -l)
check "stdin: same events as the file ($n_file)" test "$n_stdin" -eq "$n_file"
run logs -f jsonl --since 2099-01-01 "$pf" >"$tmp/none.jsonl"
check "--since in the future: exit 1" test $? -eq 1
check "--since in the future: no events" test ! -s "$tmp/none.jsonl"
run logs --since yesterday "$pf" >/dev/null 2>&1
check "--since with a bad time: exit 2" test $? -eq 2
run logs /nonexistent/log >/dev/null 2>&1
check "unreadable file: exit 2" test $? -eq 2

# ---- track -------------------------------------------------------------------
run track --recipient unknown@remote.test "$pf" "$ex" >"$tmp/track.txt" 2>&1
check "track --recipient: exit 0" test $? -eq 0
check "track: received line" grep -q "received" "$tmp/track.txt"
check "track: outcome" grep -q "Outcome for <unknown@remote.test>: bounced" "$tmp/track.txt"
check "track: diagnosis" grep -q "Diagnosis: userunknown (mailbox.unknown)" "$tmp/track.txt"
check "track: both MTAs" test "$(grep -c '^Message ' "$tmp/track.txt")" -ge 2
exid=$(python3 -c "
import json,sys
for e in map(json.loads,open(sys.argv[1])):
    if e['event']=='bounced' and e['recipient']=='someone@closed.test': print(e['queueid']); break" "$tmp/ex.jsonl")
run track --id "$exid" -f jsonl "$ex" >"$tmp/track.jsonl"
check "track --id: deferrals then expiry" python3 -c "
import json,sys
s=json.loads(open(sys.argv[1]).readline())
o=s['outcomes'][0]
assert s['queueid']==sys.argv[2] and o['deferrals']>=1 and o['outcome']=='bounced' and o['reason']=='expired', o
assert any(e['event']=='received' for e in s['events'])" "$tmp/track.jsonl" "$exid"
check "track --id: Exim's bounce notice (<= <> R=id) joins the story" python3 -c "
import json,sys
stories=[json.loads(l) for l in open(sys.argv[1])]
assert len(stories)>=2, len(stories)
notice=[s for s in stories[1:] if any(e['event']=='received' and e.get('related_id')==sys.argv[2] and e.get('addresser')=='' for e in s['events'])]
assert notice and notice[0]['queueid']!=sys.argv[2], stories
assert any(e['event'] in ('delivered','bounced','deferred') for e in notice[0]['events'])" "$tmp/track.jsonl" "$exid"
run track --sender pf-tempfail@bounces.test <"$pf" >"$tmp/track2.txt" 2>&1
check "track --sender from stdin: exit 0" test $? -eq 0
check "track --sender: expired after deferrals" grep -q "Outcome for <tempfail@remote.test>: expired" "$tmp/track2.txt"
# rotated logs given newest first (as a glob lists maillog, maillog.1):
# the story still runs in time order, the outcome is the same
half=$(($(wc -l <"$pf") / 2))
head -n "$half" "$pf" >"$tmp/pf.1"
tail -n +"$((half + 1))" "$pf" >"$tmp/pf.0"
run track --sender pf-tempfail@bounces.test -f jsonl "$pf" >"$tmp/t-whole.jsonl"
run track --sender pf-tempfail@bounces.test -f jsonl "$tmp/pf.0" "$tmp/pf.1" >"$tmp/t-split.jsonl"
check "track: files newest first tell the same story" python3 -c "
import json,sys
def story(path):
    out=[]
    for l in open(path):
        s=json.loads(l)
        t=[e['timestamp'] for e in s['events']]
        assert t==sorted(t), t
        out.append((s['queueid'],[(e['event'],e.get('recipient')) for e in s['events']],
                    [(o['recipient'],o['outcome'],o['attempts']) for o in s['outcomes']]))
    return sorted(out)
a,b=story(sys.argv[1]),story(sys.argv[2])
assert a and a==b, (a,b)" "$tmp/t-whole.jsonl" "$tmp/t-split.jsonl"
run track --recipient nobody@nowhere.test "$pf" >/dev/null 2>&1
check "track: nothing found: exit 1" test $? -eq 1

# ---- damage: junk, cut and overlong lines, a gzip file cut short -------------
{
	head -n 20 "$pf"
	printf 'Dec  2 10:1\n'
	printf '\x00\x01\x02binary\xff\xfe junk\n'
	head -c 20000 /dev/zero | tr '\0' 'x'
	printf '\n'
	tail -n +21 "$pf"
} >"$tmp/damaged.log"
run logs -f jsonl "$tmp/damaged.log" >"$tmp/dam.jsonl" 2>"$tmp/dam.err"
check "damaged: exit 0" test $? -eq 0
check "damaged: cut line reported with its number" grep -q "damaged.log:21: the line is cut short" "$tmp/dam.err"
check "damaged: binary line reported" grep -q "damaged.log:22: binary data" "$tmp/dam.err"
check "damaged: overlong line reported" grep -q "damaged.log:23: line longer than" "$tmp/dam.err"
check "damaged: every event still found" test "$(wc -l <"$tmp/dam.jsonl")" -eq "$n_file"
for i in $(seq 1 30); do printf 'garbage line %d\n' "$i"; done >"$tmp/many.log"
run logs "$tmp/many.log" >/dev/null 2>"$tmp/many.err"
check "many bad lines: the first 10 shown" test "$(grep -c 'many.log:[0-9]*: not a line' "$tmp/many.err")" -eq 10
check "many bad lines: then a count" grep -q "20 more problem lines not shown" "$tmp/many.err"
head -c 300000 /dev/urandom >"$tmp/random.bin"
run logs "$tmp/random.bin" >/dev/null 2>"$tmp/random.err"
check "random bytes: exit 1, no crash" test $? -eq 1
check "random bytes: warned" grep -q "random.bin:" "$tmp/random.err"

for i in 1 2 3 4 5 6 7 8; do cat "$pf"; done >"$tmp/big.log"
gzip -c "$tmp/big.log" >"$tmp/big.log.gz"
n_big=$(run logs -f jsonl "$tmp/big.log" | wc -l)
n_gz=$(run logs -f jsonl "$tmp/big.log.gz" | wc -l)
check "gzip: same events as plain ($n_big)" test "$n_gz" -eq "$n_big"
size=$(stat -c %s "$tmp/big.log.gz")
head -c $((size / 2)) "$tmp/big.log.gz" >"$tmp/cut.log.gz"
run logs -f jsonl "$tmp/cut.log.gz" >"$tmp/cut.jsonl" 2>"$tmp/cut.err"
check "gzip cut short: exit 0" test $? -eq 0
check "gzip cut short: warned with the line" grep -q "cut.log.gz:[0-9]*: compressed data cut short after line" "$tmp/cut.err"
n_cut=$(wc -l <"$tmp/cut.jsonl")
check "gzip cut short: the lines before count ($n_cut of $n_big)" test "$n_cut" -gt 0 -a "$n_cut" -lt "$n_big"

echo "$pass passed, $fail failed"
((fail == 0))
