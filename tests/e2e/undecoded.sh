#!/usr/bin/env bash
# undecoded.sh - a bounce that cannot be decoded is never dropped silently.
#
# Usage: bash tests/e2e/undecoded.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# Writes a directory of hand-written messages: two that look like bounces
# but name no recipient (a Postfix-style notice without any address, and a
# multipart/report whose delivery-status part has no recipient block), an
# ordinary message, a good bounce and an empty file. Checks that
# `smtpdoc explain --undecoded` lists each undecodable message (and the
# non-bounce) on standard error as `smtpdoc: ORIGIN: why`, with its path
# (or `-`, or `PATH#N` in an mbox) and a reason, once; that the summary
# line counts them as undecodable with or without --undecoded; that the
# exit status is the documented one (0 bounces decoded, 1 nothing
# bounce-like, 2 an input error such as the empty file); and that the JSON
# output of the good bounce is the same on every run and in both JSON
# formats.
#
# Prints one line per check and ends with "N passed, N failed"; exits 1 if
# any check failed, 2 on a usage error.

set -u

if [ $# -ne 2 ]; then
	echo "usage: bash $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1

if [ ! -x "$SMTPDOC" ]; then
	echo "undecoded.sh: $SMTPDOC: not an executable" >&2
	exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "undecoded.sh: python3 is needed to compare JSON output" >&2
	exit 77
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-undecoded.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

TIMEOUT=()
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT=(timeout 60)
fi

PASSED=0
FAILED=0

pass() {
	PASSED=$((PASSED + 1))
	echo "ok - $1"
}

fail() {
	FAILED=$((FAILED + 1))
	echo "FAIL - $1: $2"
}

# check WHAT PROBLEM - pass when PROBLEM is empty, else fail with it
check() {
	if [ -z "$2" ]; then
		pass "$1"
	else
		fail "$1" "$2"
	fi
}

# run ARGS... - run smtpdoc; sets RC, OUT (stdout file), ERR (stderr file)
RUNS=0
run() {
	RUNS=$((RUNS + 1))
	OUT="$TMP/out.$RUNS"
	ERR="$TMP/err.$RUNS"
	${TIMEOUT[@]+"${TIMEOUT[@]}"} "$SMTPDOC" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}

# run_stdin FILE ARGS... - like run, with FILE on standard input
run_stdin() {
	local in=$1
	shift
	RUNS=$((RUNS + 1))
	OUT="$TMP/out.$RUNS"
	ERR="$TMP/err.$RUNS"
	${TIMEOUT[@]+"${TIMEOUT[@]}"} "$SMTPDOC" "$@" <"$in" >"$OUT" 2>"$ERR"
	RC=$?
}

SANITIZER_RE='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error'

# crash_problem - empty when the last run did not crash, else what went wrong
crash_problem() {
	if [ "$RC" -ge 128 ]; then
		echo "killed by signal $((RC - 128))"
	elif [ "$RC" -eq 124 ] && [ ${#TIMEOUT[@]} -gt 0 ]; then
		echo "timed out"
	elif grep -Eq "$SANITIZER_RE" "$ERR"; then
		echo "sanitizer report: $(grep -Em1 "$SANITIZER_RE" "$ERR" | cut -c 1-200)"
	elif [ "$RC" -gt 2 ]; then
		echo "exit code $RC (want 0, 1 or 2)"
	fi
}

# want_rc N - empty when the last run exited N and did not crash
want_rc() {
	local p
	p=$(crash_problem)
	if [ -n "$p" ]; then
		echo "$p"
	elif [ "$RC" -ne "$1" ]; then
		echo "exit $RC (want $1); stderr: $(head -n 1 "$ERR" | cut -c 1-200)"
	fi
}

# listed ORIGIN - empty when stderr has exactly one line that starts
#   "smtpdoc: ORIGIN: " and goes on with a reason, else the problem
listed() {
	local n line
	n=$(PREFIX="smtpdoc: $1: " awk 'index($0, ENVIRON["PREFIX"]) == 1 { n++ } END { print n + 0 }' "$ERR")
	if [ "$n" -eq 0 ]; then
		echo "stderr has no line 'smtpdoc: $1: why'"
		return
	fi
	if [ "$n" -gt 1 ]; then
		echo "stderr names $1 in $n lines (want 1)"
		return
	fi
	line=$(PREFIX="smtpdoc: $1: " awk 'index($0, ENVIRON["PREFIX"]) == 1' "$ERR")
	if ! printf '%s' "${line#"smtpdoc: $1: "}" | grep -q '[[:alpha:]]'; then
		echo "no reason given: $line"
	fi
}

# not_named TEXT - empty when stderr does not mention TEXT
not_named() {
	if grep -qF -- "$1" "$ERR"; then
		echo "stderr names $1: $(grep -F -- "$1" "$ERR" | head -n 1 | cut -c 1-200)"
	fi
}

# summary_is WANT - empty when the last stderr line is the summary WANT
summary_is() {
	local last
	last=$(tail -n 1 "$ERR")
	if [ "$last" != "smtpdoc: $1" ]; then
		echo "summary is '$last', want 'smtpdoc: $1'"
	fi
}

# no_summary - empty when stderr has no summary line
no_summary() {
	if grep -q 'messages\? read:' "$ERR"; then
		echo "unexpected summary: $(grep 'messages\? read:' "$ERR")"
	fi
}

# first_problem P... - the first non-empty argument
first_problem() {
	local p
	for p in "$@"; do
		if [ -n "$p" ]; then
			echo "$p"
			return
		fi
	done
}

# ---- the messages --------------------------------------------------------

DIR="$TMP/in"
OK="$TMP/ok"
mkdir "$DIR" "$OK"

# Looks like a bounce (MAILER-DAEMON, "Undelivered Mail", the usual
# notice), but no address anywhere.
cat >"$DIR/no-recipient.eml" <<'EOF'
Return-Path: <>
Date: Tue, 14 May 2024 10:45:12 +0200
From: Mail Delivery System <MAILER-DAEMON>
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

This is the mail system.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

For further assistance, please send mail to postmaster.

                   The mail system
EOF

# A delivery report whose per-recipient block was lost: the report
# fields are there, no Final-Recipient or Original-Recipient.
cat >"$DIR/report-no-recipient.eml" <<'EOF'
Return-Path: <>
Date: Tue, 14 May 2024 10:45:13 +0200
From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>
To: sender@example.net
Subject: Returned mail: see transcript for details
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="NO-RCPT-BOUNDARY"

--NO-RCPT-BOUNDARY
Content-Type: text/plain; charset=us-ascii

The original message was received at Tue, 14 May 2024 10:45:10 +0200.

--NO-RCPT-BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net
Arrival-Date: Tue, 14 May 2024 10:45:10 +0200

--NO-RCPT-BOUNDARY--
EOF

cat >"$DIR/ordinary.eml" <<'EOF'
From: Alice <alice@example.org>
To: Bob <bob@example.net>
Subject: Lunch on Thursday?
Date: Tue, 14 May 2024 09:12:00 +0200
Message-ID: <lunch-1@mail.example.org>

Hi Bob, are you free for lunch on Thursday?

Alice
EOF

cat >"$DIR/good.eml" <<'EOF'
Return-Path: <>
Date: Tue, 14 May 2024 10:45:12 +0200 (CEST)
From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: sender@example.net
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="E2E-BOUNDARY"

--E2E-BOUNDARY
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.net.

<user@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <user@example.org>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

--E2E-BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net
Arrival-Date: Tue, 14 May 2024 10:45:10 +0200 (CEST)

Final-Recipient: rfc822; user@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <user@example.org>: Recipient address
    rejected: User unknown in virtual mailbox table

--E2E-BOUNDARY
Content-Type: text/rfc822-headers

From: Sender <sender@example.net>
To: user@example.org
Subject: Meeting on Friday
Message-ID: <20240514084510.E2E001@mail.example.net>

--E2E-BOUNDARY--
EOF

cp "$DIR/no-recipient.eml" "$DIR/report-no-recipient.eml" "$DIR/ordinary.eml" "$DIR/good.eml" "$OK/"
: >"$DIR/empty.eml"

# An mbox: the good bounce, then the bounce without a recipient.
MBOX="$TMP/bounces.mbox"
for f in "$DIR/good.eml" "$DIR/no-recipient.eml"; do
	echo "From MAILER-DAEMON Tue May 14 10:45:12 2024"
	sed 's/^From />From /' "$f"
	echo
done >"$MBOX"

# ---- 1. the whole directory, with --undecoded ---------------------------

run explain --undecoded "$DIR"
check "--undecoded DIR: exit 2 (the empty file is an input error)" "$(want_rc 2)"
check "--undecoded DIR: lists no-recipient.eml with a reason" "$(listed "$DIR/no-recipient.eml")"
check "--undecoded DIR: lists report-no-recipient.eml with a reason" "$(listed "$DIR/report-no-recipient.eml")"
check "--undecoded DIR: lists ordinary.eml with a reason" "$(listed "$DIR/ordinary.eml")"
check "--undecoded DIR: lists empty.eml with a reason" "$(listed "$DIR/empty.eml")"
check "--undecoded DIR: does not list good.eml" "$(not_named "$DIR/good.eml")"
check "--undecoded DIR: summary counts 2 undecodable" \
	"$(summary_is "4 messages read: 1 bounce (1 recipient result), 1 not a bounce, 2 undecodable, 1 input error")"
p=""
if ! grep -qF "user@example.org" "$OUT"; then
	p="stdout does not explain user@example.org"
fi
check "--undecoded DIR: the good bounce is still explained" "$p"

# The two undecodable messages are told apart from the ordinary one.
p=""
u=$(grep -F -- "smtpdoc: $DIR/no-recipient.eml: " "$ERR")
o=$(grep -F -- "smtpdoc: $DIR/ordinary.eml: " "$ERR")
if [ "${u#*.eml: }" = "${o#*.eml: }" ]; then
	p="same reason for the undecodable bounce and the ordinary message: ${u#*.eml: }"
fi
check "--undecoded DIR: the undecodable bounce's reason differs from the non-bounce's" "$p"

# ---- 2. without --undecoded: not listed, still counted ------------------

run explain "$DIR"
check "DIR without --undecoded: exit 2" "$(want_rc 2)"
check "DIR without --undecoded: summary still counts 2 undecodable" \
	"$(summary_is "4 messages read: 1 bounce (1 recipient result), 1 not a bounce, 2 undecodable, 1 input error")"
check "DIR without --undecoded: no-recipient.eml not listed" "$(not_named "$DIR/no-recipient.eml")"
check "DIR without --undecoded: the empty file is still reported" "$(listed "$DIR/empty.eml")"

run explain "$OK"
check "DIR without the empty file: exit 0" "$(want_rc 0)"
check "DIR without the empty file: summary" \
	"$(summary_is "4 messages read: 1 bounce (1 recipient result), 1 not a bounce, 2 undecodable, 0 input errors")"
p=""
if [ -s "$ERR" ] && [ "$(grep -cv '^$' "$ERR")" -ne 1 ]; then
	p="stderr has more than the summary: $(head -n 1 "$ERR" | cut -c 1-200)"
fi
check "DIR without the empty file: stderr is only the summary" "$p"

run explain --undecoded --quiet "$OK"
check "--undecoded --quiet: exit 0" "$(want_rc 0)"
check "--undecoded --quiet: still lists no-recipient.eml" "$(listed "$OK/no-recipient.eml")"
check "--undecoded --quiet: still lists report-no-recipient.eml" "$(listed "$OK/report-no-recipient.eml")"
check "--undecoded --quiet: no summary" "$(no_summary)"

# ---- 3. one input at a time: the exit status ----------------------------

run explain --undecoded "$DIR/no-recipient.eml"
check "only an undecodable bounce: exit 1" "$(want_rc 1)"
check "only an undecodable bounce: listed" "$(listed "$DIR/no-recipient.eml")"
check "only an undecodable bounce: summary" \
	"$(summary_is "1 message read: 0 bounces (0 recipient results), 0 not a bounce, 1 undecodable, 0 input errors")"
p=""
if [ -s "$OUT" ]; then
	p="unexpected stdout: $(head -n 1 "$OUT" | cut -c 1-200)"
fi
check "only an undecodable bounce: nothing on stdout" "$p"

run explain "$DIR/report-no-recipient.eml"
check "only a report without recipient: exit 1" "$(want_rc 1)"
check "only a report without recipient: summary" \
	"$(summary_is "1 message read: 0 bounces (0 recipient results), 0 not a bounce, 1 undecodable, 0 input errors")"

# An Amazon SES notification whose JSON was cut off: reported as a
# notification that could not be read, not as an ordinary message.
SES="$TMP/ses"
mkdir -p "$SES"
cat >"$SES/ses-cut.eml" <<'EOF'
From: AWS Notifications <no-reply@sns.amazonaws.com>
To: bounces@example.net
Subject: AWS Notification Message
Date: Tue, 14 May 2024 08:45:13 +0000
Content-Type: text/plain; charset=UTF-8

{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"user@exa
EOF
run explain --undecoded "$SES/ses-cut.eml"
check "a cut-off SES notification: exit 1" "$(want_rc 1)"
check "a cut-off SES notification: listed" "$(listed "$SES/ses-cut.eml")"
p=""
grep -q "^smtpdoc: $SES/ses-cut.eml: an Amazon SES notification" "$ERR" ||
	p="stderr does not name it an Amazon SES notification: $(head -n 1 "$ERR" | cut -c 1-200)"
check "a cut-off SES notification: the reason names it" "$p"
check "a cut-off SES notification: summary counts it undecodable" \
	"$(summary_is "1 message read: 0 bounces (0 recipient results), 0 not a bounce, 1 undecodable, 0 input errors")"

run explain --undecoded "$DIR/ordinary.eml"
check "only an ordinary message: exit 1" "$(want_rc 1)"
check "only an ordinary message: summary" \
	"$(summary_is "1 message read: 0 bounces (0 recipient results), 1 not a bounce, 0 undecodable, 0 input errors")"

run explain --undecoded "$DIR/empty.eml"
check "only an empty file: exit 2" "$(want_rc 2)"
check "only an empty file: listed" "$(listed "$DIR/empty.eml")"

run explain --undecoded "$DIR/good.eml" "$DIR/no-recipient.eml"
check "good + undecodable: exit 0" "$(want_rc 0)"
check "good + undecodable: undecodable listed" "$(listed "$DIR/no-recipient.eml")"

# ---- 4. other origins: standard input and an mbox -----------------------

run_stdin "$DIR/no-recipient.eml" explain --undecoded
check "standard input: listed as 'smtpdoc: -: why'" "$(listed "-")"
check "standard input: exit 1" "$(want_rc 1)"

run explain --undecoded "$MBOX"
check "mbox: exit 0" "$(want_rc 0)"
check "mbox: the second message listed as PATH#2" "$(listed "$MBOX#2")"
check "mbox: the first message (good) not listed" "$(not_named "$MBOX#1")"
check "mbox: summary counts 1 undecodable" \
	"$(summary_is "2 messages read: 1 bounce (1 recipient result), 0 not a bounce, 1 undecodable, 0 input errors")"

# ---- 5. JSON: undecodable messages on stderr, results stable ------------

run explain --format jsonl --undecoded "$OK"
JL_DIR_1=$OUT
p=$(want_rc 0)
if [ -z "$p" ] && [ "$(awk 'END { print NR }' "$OUT")" -ne 1 ]; then
	p="$(awk 'END { print NR }' "$OUT") stdout lines (want 1, the good bounce)"
fi
if [ -z "$p" ] && ! grep -q '^{.*"recipient":"user@example.org".*}$' "$OUT"; then
	p="stdout is not the good bounce's object: $(head -n 1 "$OUT" | cut -c 1-200)"
fi
check "jsonl --undecoded DIR: one object, exit 0" "$p"
check "jsonl --undecoded DIR: no-recipient.eml listed on stderr" "$(listed "$OK/no-recipient.eml")"
check "jsonl --undecoded DIR: report-no-recipient.eml listed on stderr" "$(listed "$OK/report-no-recipient.eml")"

run explain --format jsonl --undecoded "$OK"
p=""
if ! cmp -s "$JL_DIR_1" "$OUT"; then
	p="stdout differs between two runs"
fi
check "jsonl DIR: byte-identical on a second run" "$p"

run explain --format jsonl "$DIR/good.eml"
JL_1=$OUT
check "jsonl good.eml: exit 0" "$(want_rc 0)"
run explain --format jsonl "$DIR/good.eml"
JL_2=$OUT
p=""
if ! cmp -s "$JL_1" "$JL_2"; then
	p="stdout differs between two runs"
fi
check "jsonl good.eml: byte-identical on a second run" "$p"

run explain --format json "$DIR/good.eml"
J_1=$OUT
check "json good.eml: exit 0" "$(want_rc 0)"

# same_objects JSONL JSON - empty when the JSON array holds the same
#   objects, in the same order, as the JSON lines
same_objects() {
	python3 - "$1" "$2" <<'PY'
import json, sys
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = [json.loads(l) for l in f if l.strip()]
    with open(sys.argv[2], encoding="utf-8") as f:
        arr = json.load(f)
except ValueError as e:
    print("not valid JSON: %s" % e)
    sys.exit(0)
if not isinstance(arr, list):
    print("--format json is not an array")
elif not lines:
    print("--format jsonl printed no object")
elif lines != arr:
    print("%d jsonl objects and %d json objects differ" % (len(lines), len(arr)))
PY
}

check "json and jsonl of good.eml: the same objects" "$(same_objects "$JL_1" "$J_1")"
run explain --format json --undecoded "$OK"
check "json and jsonl of DIR: the same objects" "$(same_objects "$JL_DIR_1" "$OUT")"
check "json --undecoded DIR: no-recipient.eml listed on stderr" "$(listed "$OK/no-recipient.eml")"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
