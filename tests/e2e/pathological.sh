#!/usr/bin/env bash
# pathological.sh - smtpdoc on hostile and oversized messages.
#
# Usage: bash tests/e2e/pathological.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# Every input is generated at test time into a mktemp directory (nothing big
# is committed) and removed after its check:
#
#   - message/rfc822 nested 100 deep, with the DSN at the bottom, and with
#     the DSN on top and the returned message nested 100 deep;
#   - multipart nested 100 deep (deeper than SD_MAX_MIME_DEPTH);
#   - a 1 MB header line: as the Subject, as the first header, and as a
#     DSN Diagnostic-Code field;
#   - a multipart/report with no boundary parameter, and one whose boundary
#     parameter is not the one the parts use; a 990-byte boundary whose
#     text fills a 3 MB line (a delimiter only counts at a line start);
#   - NUL bytes in header names, header values, DSN fields and body text;
#   - invalid UTF-8, and an unknown charset (x-no-such-charset), both in
#     RFC 2047 encoded words and in a text part;
#   - a DSN with 10,000 recipient blocks (SD_MAX_RECIPIENTS, all decoded)
#     and one with 10,001 (10,000 decoded, and the limit is reported); a
#     plain-text bounce with 10,000 recipients, and one naming the same
#     recipient on 200,000 lines (bounded memory);
#   - a DSN with a 50 MB base64 attachment, as application/octet-stream and
#     as text/plain (the text path decodes the part).
#
# Each run of `smtpdoc explain --format jsonl --undecoded` must: exit 0, 1
# or 2 (not killed by a signal, no other code); leave no sanitizer report on
# stderr; finish within `timeout 60` (a timeout is a failure; nothing here
# asserts how fast it is); stay under a memory cap (`ulimit -v` in the
# normal build; under AddressSanitizer, whose shadow memory defeats
# `ulimit -v`, the peak RSS measured by /usr/bin/time, when it is there);
# print only JSON objects on stdout; and, since every input is a real
# bounce, find the expected recipient(s), or, where the brief allows it
# (the nesting cases), refuse with one stderr line that names the input.
#
# The ok line shows the exit status, the peak RSS (when /usr/bin/time is
# available) and the seconds taken, for information only.
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
	echo "pathological.sh: $SMTPDOC: not an executable" >&2
	exit 2
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-patho.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# A hung run counts as a failure rather than stalling the test run.
TIMEOUT=()
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT=(timeout 60)
fi
# GNU time gives the peak RSS of its child (timeout, and so smtpdoc).
TIMEV=0
if [ -x /usr/bin/time ] && /usr/bin/time -f '%M' -o "$TMP/probe" true 2>/dev/null; then
	TIMEV=1
fi
# AddressSanitizer reserves terabytes of address space for its shadow
# memory, so `ulimit -v` cannot be used on a sanitizer build; there the cap
# applies to the measured peak RSS instead, doubled for ASan's overhead.
ASAN=0
if grep -aq '__asan_init' "$SMTPDOC" 2>/dev/null; then
	ASAN=1
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

SANITIZER_RE='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|MemorySanitizer|ThreadSanitizer|runtime error'

# run CAP_MB FILE - run `smtpdoc explain --format jsonl --undecoded FILE`
#   with at most CAP_MB of memory; sets RC, OUT, ERR, RSS_KB (peak RSS, or
#   empty when unknown) and SECS.
RUNS=0
run() {
	local cap_mb=$1 file=$2 t0 t1
	RUNS=$((RUNS + 1))
	OUT="$TMP/out.$RUNS"
	ERR="$TMP/err.$RUNS"
	RSSF="$TMP/rss.$RUNS"
	: >"$RSSF"
	t0=$(date +%s.%N)
	(
		if [ "$ASAN" -eq 0 ]; then
			ulimit -v $((cap_mb * 1024)) || exit 125
		fi
		if [ "$TIMEV" -eq 1 ]; then
			exec /usr/bin/time -f '%M' -o "$RSSF" \
				${TIMEOUT[@]+"${TIMEOUT[@]}"} "$SMTPDOC" explain \
				--format jsonl --undecoded "$file"
		fi
		exec ${TIMEOUT[@]+"${TIMEOUT[@]}"} "$SMTPDOC" explain \
			--format jsonl --undecoded "$file"
	) >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	t1=$(date +%s.%N)
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	# GNU time writes "Command exited with non-zero status N" first.
	RSS_KB=$(tail -n 1 "$RSSF" 2>/dev/null | grep -E '^[0-9]+$')
	RUNCAP=$cap_mb
}

# crash_problem - empty when the last run did not crash, else what went wrong
crash_problem() {
	if [ "$RC" -eq 125 ] && [ ! -s "$OUT" ]; then
		echo "could not set up the run (ulimit or timeout failed)"
	elif [ "$RC" -eq 124 ] && [ ${#TIMEOUT[@]} -gt 0 ]; then
		echo "timed out after 60 s"
	elif [ "$RC" -ge 128 ]; then
		echo "killed by signal $((RC - 128))"
	elif grep -Eq "$SANITIZER_RE" "$ERR"; then
		echo "sanitizer report: $(grep -Em1 "$SANITIZER_RE" "$ERR" | cut -c 1-200)"
	elif [ "$RC" -gt 2 ]; then
		echo "exit code $RC (want 0, 1 or 2): $(head -n 1 "$ERR" | cut -c 1-200)"
	elif [ -n "$RSS_KB" ]; then
		local cap_kb=$((RUNCAP * 1024))
		if [ "$ASAN" -eq 1 ]; then
			cap_kb=$((cap_kb * 2))
		fi
		if [ "$RSS_KB" -gt "$cap_kb" ]; then
			echo "peak RSS $((RSS_KB / 1024)) MB over the cap of $((cap_kb / 1024)) MB"
		fi
	fi
}

# stdout_problem - empty when every stdout line looks like one JSON object
stdout_problem() {
	if grep -qv '^{.*}$' "$OUT"; then
		echo "stdout line is not a JSON object: $(grep -v '^{.*}$' "$OUT" | head -n 1 | cut -c 1-200)"
	fi
}

# utf8_problem - empty when stdout is valid UTF-8 (or iconv is missing)
utf8_problem() {
	if command -v iconv >/dev/null 2>&1 &&
		! iconv -f UTF-8 -t UTF-8 "$OUT" >/dev/null 2>&1; then
		echo "stdout is not valid UTF-8"
	fi
}

# count_recipient ADDR - number of stdout results for recipient ADDR
count_recipient() {
	grep -cF "\"recipient\":\"$1\"" "$OUT"
}

# stats - exit status, peak RSS and time of the last run, for the ok line
stats() {
	local s="exit $RC"
	if [ -n "$RSS_KB" ]; then
		s="$s, peak RSS $((RSS_KB / 1024)) MB"
	fi
	echo "$s, ${SECS} s"
}

# refused_problem FILE - empty when the last run refused FILE cleanly: exit
#   1 or 2, nothing on stdout, exactly one stderr line and it names FILE
refused_problem() {
	if [ "$RC" -eq 0 ]; then
		echo "exit 0 without the expected recipient"
	elif [ -s "$OUT" ]; then
		echo "exit $RC with results on stdout"
	elif [ "$(awk 'END { print NR }' "$ERR")" -ne 1 ]; then
		echo "exit $RC with $(awk 'END { print NR }' "$ERR") stderr lines (want 1 naming the input)"
	elif ! grep -qF -- "$1" "$ERR"; then
		echo "stderr does not name $1: $(head -n 1 "$ERR" | cut -c 1-200)"
	fi
}

# check WHAT CAP_MB FILE ADDR [MODE] - run FILE, then require no crash,
#   JSON-only stdout and exactly one result for ADDR; with MODE "or-refuse"
#   a clean refusal (see refused_problem) is accepted instead; with MODE
#   "utf8" stdout must also be valid UTF-8. FILE is removed afterwards.
check() {
	local what=$1 cap=$2 file=$3 addr=$4 mode=${5:-} problem n
	run "$cap" "$file"
	problem=$(crash_problem)
	if [ -z "$problem" ]; then
		problem=$(stdout_problem)
	fi
	if [ -z "$problem" ] && [ "$mode" = utf8 ]; then
		problem=$(utf8_problem)
	fi
	if [ -z "$problem" ]; then
		n=$(count_recipient "$addr")
		if [ "$RC" -eq 0 ] && [ "$n" -eq 1 ]; then
			:
		elif [ "$mode" = or-refuse ]; then
			problem=$(refused_problem "$file")
		elif [ "$RC" -ne 0 ]; then
			problem="exit $RC (want 0): $(head -n 1 "$ERR" | cut -c 1-200)"
		else
			problem="$n results for $addr (want 1)"
		fi
	fi
	if [ -z "$problem" ]; then
		pass "$what: $(stats)"
	else
		fail "$what" "$problem"
	fi
	rm -f "$file"
}

# ---- generators ------------------------------------------------------------

# repeat N CHAR - N copies of CHAR, no newline
repeat() {
	head -c "$1" /dev/zero | tr '\0' "$2"
}

# bounce_headers BOUNCARY [SUBJECT] - top headers of a multipart/report DSN;
#   an empty BOUNDARY leaves the boundary parameter out
bounce_headers() {
	local ct='multipart/report; report-type=delivery-status'
	if [ -n "$1" ]; then
		ct="$ct; boundary=\"$1\""
	fi
	printf 'Return-Path: <>\n'
	printf 'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n'
	printf 'To: alice@example.com\n'
	printf 'Subject: %s\n' "${2:-Undelivered Mail Returned to Sender}"
	printf 'Date: Tue, 05 Mar 2024 10:14:09 +0000\n'
	printf 'Message-ID: <bounce-1@mx.example.org>\n'
	printf 'MIME-Version: 1.0\n'
	printf 'Content-Type: %s\n\n' "$ct"
}

# bounce_parts BOUNDARY RCPT [CLOSE] - the three parts of a Postfix-style
#   DSN for RCPT; the closing delimiter is written unless CLOSE is "open"
bounce_parts() {
	local b=$1 r=$2
	cat <<EOF
--$b
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.org.
I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<$r>: host mx.example.net[192.0.2.25] said: 550 5.1.1 <$r>: Recipient
    address rejected: User unknown (in reply to RCPT TO command)

--$b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Tue, 05 Mar 2024 10:14:02 +0000

Final-Recipient: rfc822; $r
Original-Recipient: rfc822;$r
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; 550 5.1.1 <$r>: Recipient address rejected: User unknown

--$b
Content-Type: text/rfc822-headers

From: Alice <alice@example.com>
To: $r
Subject: hello
Message-ID: <orig-1@example.com>

EOF
	if [ "${3:-}" != open ]; then
		printf -- '--%s--\n' "$b"
	fi
}

# dsn BOUNDARY RCPT - a whole, well-formed DSN
dsn() {
	bounce_headers "$1"
	bounce_parts "$1" "$2"
}

# ---- 1. nesting ------------------------------------------------------------

# 100 levels of message/rfc822, each a forwarded message, the DSN at the
# bottom. mime.c follows SD_MAX_MIME_DEPTH levels and never reads the body
# of a returned message, so the recipient is found through the raw-body
# fallback, or the input is refused.
f="$TMP/rfc822-nested-100.eml"
{
	for ((i = 0; i < 100; i++)); do
		printf 'From: Forwarder %d <fwd%d@example.org>\n' "$i" "$i"
		printf 'To: alice@example.com\nSubject: Fwd: level %d\n' "$i"
		printf 'MIME-Version: 1.0\nContent-Type: message/rfc822\n\n'
	done
	dsn B1 deep@example.net
} >"$f"
check "message/rfc822 nested 100 deep, DSN at the bottom" 1024 "$f" deep@example.net or-refuse

# A DSN on top whose returned message is message/rfc822 nested 100 deep:
# the DSN itself must be decoded.
f="$TMP/rfc822-returned-nested-100.eml"
{
	bounce_headers B1
	bounce_parts B1 top@example.net open
	printf -- '--B1\nContent-Type: message/rfc822\n\n'
	for ((i = 0; i < 100; i++)); do
		printf 'From: Alice <alice@example.com>\nTo: x%d@example.net\n' "$i"
		printf 'Subject: level %d\nMIME-Version: 1.0\n' "$i"
		printf 'Content-Type: message/rfc822\n\n'
	done
	printf 'From: alice@example.com\nSubject: innermost\n\nhello\n\n--B1--\n'
} >"$f"
check "DSN returning a message/rfc822 nested 100 deep" 1024 "$f" top@example.net

# multipart/mixed nested 100 deep, the DSN parts in the innermost one.
f="$TMP/multipart-nested-100.eml"
{
	printf 'From: MAILER-DAEMON@mx.example.org\nTo: alice@example.com\n'
	printf 'Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/mixed; boundary="L0"\n\n'
	for ((i = 1; i < 100; i++)); do
		printf -- '--L%d\nContent-Type: multipart/mixed; boundary="L%d"\n\n' $((i - 1)) "$i"
	done
	bounce_parts L99 mp@example.net
} >"$f"
check "multipart nested 100 deep" 1024 "$f" mp@example.net or-refuse

# ---- 2. a 1 MB header line -------------------------------------------------

MB=1048576
f="$TMP/subject-1mb.eml"
{
	bounce_headers B1 "Undelivered Mail $(repeat $MB x)"
	bounce_parts B1 subj@example.net
} >"$f"
check "1 MB Subject header line" 1024 "$f" subj@example.net

f="$TMP/first-header-1mb.eml"
{
	printf 'X-Long: '
	repeat $MB z
	printf '\n'
	dsn B1 first@example.net
} >"$f"
check "1 MB first header line" 1024 "$f" first@example.net

f="$TMP/diagnostic-1mb.eml"
{
	bounce_headers B1
	printf -- '--B1\nContent-Type: message/delivery-status\n\n'
	printf 'Reporting-MTA: dns; mx.example.org\n\n'
	printf 'Final-Recipient: rfc822; diag@example.net\nAction: failed\n'
	printf 'Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown '
	repeat $MB y
	printf '\n\n--B1--\n'
} >"$f"
check "1 MB Diagnostic-Code line" 1024 "$f" diag@example.net

# ---- 3. missing and wrong MIME boundary -----------------------------------

f="$TMP/boundary-missing.eml"
{
	bounce_headers ""
	bounce_parts B1 nobound@example.net
} >"$f"
check "multipart/report without a boundary parameter" 1024 "$f" nobound@example.net

f="$TMP/boundary-wrong.eml"
{
	bounce_headers WRONG-BOUNDARY
	bounce_parts B1 wrongbound@example.net
} >"$f"
check "multipart/report with the wrong boundary" 1024 "$f" wrongbound@example.net

f="$TMP/boundary-unclosed.eml"
{
	bounce_headers B1
	bounce_parts B1 unclosed@example.net open
	printf -- '--B1\nContent-Type: message/rfc822\n\nFrom: alice@example.com\nSubject: cut'
} >"$f"
check "multipart/report cut off inside a part" 1024 "$f" unclosed@example.net

# The longest boundary a header line allows, and the boundary's text
# repeated along a 3 MB line of the first part: every position of that line
# holds the boundary, but none starts a line, so none is a delimiter. The
# split must stay linear (one search per line, not one per byte).
f="$TMP/boundary-long-repeated.eml"
long=$(repeat 990 a)
{
	bounce_headers "$long"
	printf -- '--%s\nContent-Type: text/plain\n\n' "$long"
	repeat 3000000 a
	printf '\n\n'
	bounce_parts "$long" longbound@example.net
} >"$f"
check "a 990-byte boundary repeated along a 3 MB line" 1024 "$f" longbound@example.net

# ---- 4. NUL bytes ----------------------------------------------------------

f="$TMP/nul-bytes.eml"
{
	printf 'Return-Path: <>\n'
	printf 'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n'
	printf 'To: al\0ice@example.com\n'
	printf 'Subj\0ect: Undeliv\0ered Mail\n'
	printf 'X-Nul\0Name: v\0alue\0\n'
	printf 'MIME-Version: 1.0\n'
	printf 'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"\n\n'
	printf -- '--B1\nContent-Type: text/plain\n\nThe mail\0system could not\0deliver your message.\n\0\0\0\n\n'
	printf -- '--B1\nContent-Type: message/delivery-status\n\n'
	printf 'Reporting-MTA: dns; m\0x.example.org\n\n'
	printf 'Final-Recipient: rfc822; nul@example.net\nAction: fai\0led\n'
	printf 'Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1\0 User\0unknown\n\n'
	printf -- '--B1--\n\0\0\0\n'
} >"$f"
check "NUL bytes in headers, DSN fields and body" 1024 "$f" nul@example.net

# ---- 5. invalid UTF-8 and unknown charsets --------------------------------

# charset_bounce CHARSET RCPT - RFC 2047 words in x-no-such-charset and with
#   invalid UTF-8, raw invalid UTF-8 in the Subject and the Diagnostic-Code,
#   and 8-bit text parts labelled CHARSET
charset_bounce() {
	printf 'Return-Path: <>\n'
	printf 'From: =?x-no-such-charset?B?TWFpbGVyIERhZW1vbg==?= <MAILER-DAEMON@mx.example.org>\n'
	printf 'To: alice@example.com\n'
	printf 'Subject: =?x-no-such-charset?Q?Undelivered_=E9=FF?= =?utf-8?B?/v/A?= \303\050\377\376\355\240\200\n'
	printf 'Date: Tue, 05 Mar 2024 10:14:09 +0000\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"\n\n'
	printf -- '--B1\nContent-Type: text/plain; charset=%s\nContent-Transfer-Encoding: 8bit\n\n' "$1"
	printf 'Delivery to the following recipient failed \377\376\303\050 permanently:\n\n    %s\n\n' "$2"
	printf 'Technical details: 550 5.1.1 user unknown \351\240\n\n'
	printf -- '--B1\nContent-Type: message/delivery-status; charset=%s\n\n' "$1"
	printf 'Reporting-MTA: dns; mx.example.org\n\n'
	printf 'Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.1.1\n' "$2"
	printf 'Diagnostic-Code: smtp; 550 5.1.1 \303\050\360\050\214\274\300\257 =?x-no-such-charset?B?/w==?= user unknown\n\n'
	printf -- '--B1--\n'
}

f="$TMP/charset-unknown.eml"
charset_bounce x-no-such-charset charset@example.net >"$f"
check "unknown charset in encoded words and a text part" 1024 "$f" charset@example.net utf8

f="$TMP/utf8-invalid.eml"
charset_bounce utf-8 utf8@example.net >"$f"
check "invalid UTF-8 in encoded words, headers and a text part" 1024 "$f" utf8@example.net utf8

# ---- 6. 10,000 recipients --------------------------------------------------

# many_recipients N - one DSN with N per-recipient groups
many_recipients() {
	bounce_headers B1
	printf -- '--B1\nContent-Type: text/plain\n\n'
	printf 'Your message could not be delivered to %d recipients.\n\n' "$1"
	printf -- '--B1\nContent-Type: message/delivery-status\n\n'
	printf 'Reporting-MTA: dns; mx.example.org\n'
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "\nFinal-Recipient: rfc822; user%05d@example.net\n" \
			    "Action: failed\nStatus: 5.1.1\n" \
			    "Diagnostic-Code: smtp; 550 5.1.1 <user%05d@example.net>: User unknown\n", i, i
	}'
	printf -- '\n--B1--\n'
}

# many_text_recipients N - a plain-text (Exim-style) bounce, no DSN, with
#   N recipient blocks
many_text_recipients() {
	printf 'From: Mail Delivery System <Mailer-Daemon@mail.example.com>\n'
	printf 'To: alice@example.com\n'
	printf 'Subject: Mail delivery failed: returning message to sender\n'
	printf 'Date: Tue, 05 Mar 2024 10:14:09 +0000\n\n'
	printf 'A message that you sent could not be delivered to one or more of its\n'
	printf 'recipients. This is a permanent error. The following address(es) failed:\n\n'
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "  user%05d@example.net\n" \
			    "    SMTP error from remote mail server after RCPT TO:<user%05d@example.net>:\n" \
			    "    host mx1.example.net [192.0.2.25]: 550 No such user here\n\n", i, i
	}'
}

# check_many WHAT N WANT [GENERATOR] - N groups give WANT distinct results,
#   exit 0; more than the limit (SD_MAX_RECIPIENTS, 10,000) must also be
#   reported in one stderr line naming the input. GENERATOR defaults to
#   many_recipients.
check_many() {
	local what=$1 n=$2 want=$3 gen=${4:-many_recipients} problem got
	f="$TMP/recipients-$n.eml"
	"$gen" "$n" >"$f"
	run 1024 "$f"
	problem=$(crash_problem)
	if [ -z "$problem" ]; then
		problem=$(stdout_problem)
	fi
	if [ -z "$problem" ]; then
		got=$(grep -o '"recipient":"user[0-9]*@example.net"' "$OUT" | sort -u | wc -l)
		if [ "$RC" -ne 0 ]; then
			problem="exit $RC (want 0): $(head -n 1 "$ERR" | cut -c 1-200)"
		elif [ "$(awk 'END { print NR }' "$OUT")" -ne "$want" ] || [ "$got" -ne "$want" ]; then
			problem="$(awk 'END { print NR }' "$OUT") results, $got distinct recipients (want $want)"
		elif [ "$n" -gt "$want" ] && ! grep -F -- "$f" "$ERR" | grep -qi limit; then
			problem="the recipient limit is not reported on stderr"
		elif [ "$n" -le "$want" ] && [ -s "$ERR" ]; then
			problem="unexpected stderr: $(head -n 1 "$ERR" | cut -c 1-200)"
		fi
	fi
	if [ -z "$problem" ]; then
		pass "$what: $want results, $(stats)"
	else
		fail "$what" "$problem"
	fi
	rm -f "$f"
}

check_many "DSN with 10,000 recipients" 10000 10000
check_many "DSN with 10,001 recipients (over the limit)" 10001 10000
check_many "plain-text bounce with 10,000 recipients" 10000 10000 many_text_recipients

# A plain-text bounce (no DSN) that names one recipient on 200,000 lines,
# 8.6 MB. The text decoder merges the blocks of a repeated recipient; it
# used to copy the merged text (up to SD_MAX_DIAG_BYTES) into the arena
# for every line, 800 MB for this input. The cap is 256 MB.
f="$TMP/text-same-recipient-200000.eml"
{
	printf 'From: Mail Delivery System <Mailer-Daemon@mail.example.com>\n'
	printf 'To: alice@example.com\nSubject: Mail delivery failed\n\n'
	printf 'The following address(es) failed:\n\n'
	awk 'BEGIN {
		for (i = 0; i < 200000; i++)
			print "<same@example.net>: 550 5.1.1 user unknown"
	}'
} >"$f"
check "plain-text bounce naming one recipient on 200,000 lines" 256 "$f" same@example.net

# ---- 7. a 50 MB attachment -------------------------------------------------

# big_attachment TYPE RCPT - a DSN with a 50 MB base64 part of TYPE
# (37.5 MiB of data; base64 with 76-column lines makes it 50 MB).
big_attachment() {
	bounce_headers B1
	bounce_parts B1 "$2" open
	printf -- '--B1\nContent-Type: %s; name="big.bin"\n' "$1"
	printf 'Content-Disposition: attachment; filename="big.bin"\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	head -c 39321600 /dev/zero | tr '\0' 'A' | base64 -w 76
	printf -- '\n--B1--\n'
}

# The same size under AddressSanitizer: the whole run takes a few seconds
# there, since attachments are not decoded and text is capped at
# SD_MAX_TEXT_BYTES.
f="$TMP/attachment-50mb.eml"
big_attachment application/octet-stream big@example.net >"$f"
check "DSN with a 50 MB base64 application/octet-stream attachment" 2048 "$f" big@example.net

f="$TMP/attachment-50mb-text.eml"
big_attachment text/plain bigtext@example.net >"$f"
check "DSN with a 50 MB base64 text/plain attachment" 2048 "$f" bigtext@example.net

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
