#!/usr/bin/env bash
# bad_input.sh - smtpdoc on bad, unreadable and mixed inputs.
#
# Usage: bash tests/e2e/bad_input.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# Checks that `smtpdoc explain --format jsonl` never crashes on bad input
# (exit 0, 1 or 2 only, no sanitizer report), that it reports each input it
# cannot use in at most one stderr line that names the input, that
# unreadable and missing paths give exit 2, that a directory that mixes good
# and bad files still gives results for the good ones (with exit 2), and that
# standard input ("-") and mbox files ("path#N") get the right origins.
#
# Prints one line per check and ends with "N passed, N failed"; exits 1 if
# any check failed, 2 on a usage error.

set -u

if [ $# -ne 2 ]; then
	echo "usage: bash $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1
SRC=$2
BAD="$SRC/tests/data/bad"
MIXED="$SRC/tests/data/mixed"

if [ ! -x "$SMTPDOC" ]; then
	echo "bad_input.sh: $SMTPDOC: not an executable" >&2
	exit 2
fi
if [ ! -d "$BAD" ] || [ ! -d "$MIXED" ]; then
	echo "bad_input.sh: $SRC: no tests/data/bad or tests/data/mixed" >&2
	exit 2
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-bad.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# A hung run counts as a failure rather than stalling the test run.
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

# run ARGS... - run smtpdoc; sets RC, OUT (stdout file), ERR (stderr file)
RUNS=0
run() {
	RUNS=$((RUNS + 1))
	OUT="$TMP/out.$RUNS"
	ERR="$TMP/err.$RUNS"
	${TIMEOUT[@]+"${TIMEOUT[@]}"} "$SMTPDOC" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}

# run_stdin FILE ARGS... - like run, with FILE piped on standard input
run_stdin() {
	local in=$1
	shift
	RUNS=$((RUNS + 1))
	OUT="$TMP/out.$RUNS"
	ERR="$TMP/err.$RUNS"
	cat "$in" | ${TIMEOUT[@]+"${TIMEOUT[@]}"} "$SMTPDOC" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# lines FILE - number of lines in FILE (a last line without \n counts)
lines() {
	awk 'END { print NR }' "$1"
}

# first_line FILE - the first line of FILE, for failure messages
first_line() {
	head -n 1 "$1" | cut -c 1-200
}

SANITIZER_RE='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|MemorySanitizer|ThreadSanitizer|runtime error'

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

# stdout_problem - empty when every stdout line looks like one JSON object
stdout_problem() {
	if grep -qv '^{.*}$' "$OUT"; then
		echo "stdout line is not a JSON object: $(grep -v '^{.*}$' "$OUT" | head -n 1 | cut -c 1-200)"
	fi
}

# has_origin RE - a stdout line has an "origin" whose whole value matches
#   the extended regular expression RE
has_origin() {
	grep -Eq "\"origin\"[[:space:]]*:[[:space:]]*\"$1\"" "$OUT"
}

# suffix_re TEXT - RE for a JSON string value ending in TEXT
suffix_re() {
	printf '[^"]*%s' "$(printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g')"
}

# has_origin_suffix SUFFIX - a stdout line has "origin" ending in SUFFIX
has_origin_suffix() {
	has_origin "$(suffix_re "$1")"
}

# 1. Bad files: no crash; an error names the file in one stderr line.
for f in "$BAD"/*; do
	[ -f "$f" ] || continue
	name=${f##*/}
	run explain --format jsonl "$f"
	problem=$(crash_problem)
	if [ -z "$problem" ]; then
		problem=$(stdout_problem)
	fi
	if [ -z "$problem" ]; then
		n=$(lines "$ERR")
		if [ "$n" -gt 1 ]; then
			problem="$n stderr lines for one input (want at most 1)"
		elif [ "$RC" -eq 2 ] && [ "$n" -eq 0 ]; then
			problem="exit 2 but nothing on stderr"
		elif [ "$n" -eq 1 ] && ! grep -qF -- "$f" "$ERR"; then
			problem="stderr does not name $f: $(first_line "$ERR")"
		fi
	fi
	if [ -z "$problem" ]; then
		pass "bad/$name: exit $RC, $(lines "$ERR") stderr line(s)"
	else
		fail "bad/$name" "$problem"
	fi
done

# expect_input_error WHAT PATH - PATH gives exit 2 and one line naming it
expect_input_error() {
	local what=$1 path=$2 problem
	run explain --format jsonl "$path"
	problem=$(crash_problem)
	if [ -z "$problem" ]; then
		if [ "$RC" -ne 2 ]; then
			problem="exit $RC (want 2)"
		elif [ "$(lines "$ERR")" -ne 1 ]; then
			problem="$(lines "$ERR") stderr lines (want 1)"
		elif ! grep -qF -- "$path" "$ERR"; then
			problem="stderr does not name $path: $(first_line "$ERR")"
		elif [ -s "$OUT" ]; then
			problem="unexpected stdout: $(first_line "$OUT")"
		fi
	fi
	if [ -z "$problem" ]; then
		pass "$what: exit 2, stderr names it"
	else
		fail "$what" "$problem"
	fi
}

# 2. Unreadable and missing paths. Tests often run as root, where chmod 000
#    does not stop reading, so use paths that cannot be opened by anyone.
expect_input_error "nonexistent path" "$TMP/no-such-file.eml"
expect_input_error "entry in a nonexistent directory" "$TMP/no-such-dir/msg.eml"
ln -s "$TMP/no-such-target.eml" "$TMP/broken-link.eml"
expect_input_error "broken symlink" "$TMP/broken-link.eml"
if [ "$(id -u)" -ne 0 ]; then
	cp "$MIXED/good-1.eml" "$TMP/unreadable.eml"
	chmod 000 "$TMP/unreadable.eml"
	expect_input_error "unreadable file (mode 000)" "$TMP/unreadable.eml"
fi

# 3. A directory mixing good and bad files: results for the good ones,
#    one stderr line each for the bad ones, exit 2.
run explain --format jsonl "$MIXED"
problem=$(crash_problem)
if [ -z "$problem" ]; then
	problem=$(stdout_problem)
fi
if [ -z "$problem" ]; then
	ninputs=$(find "$MIXED" -type f | wc -l)
	if [ "$RC" -ne 2 ]; then
		problem="exit $RC (want 2)"
	elif ! has_origin_suffix good-1.eml; then
		problem="no result with origin ending in good-1.eml"
	elif ! has_origin_suffix good-2.eml; then
		problem="no result with origin ending in good-2.eml"
	elif ! grep -qF "empty.eml" "$ERR"; then
		problem="stderr does not name empty.eml"
	elif ! grep -qF "binary.eml" "$ERR"; then
		problem="stderr does not name binary.eml"
	elif [ "$(lines "$ERR")" -gt "$ninputs" ]; then
		problem="$(lines "$ERR") stderr lines for $ninputs inputs"
	fi
fi
if [ -z "$problem" ]; then
	pass "mixed directory: exit 2, results for good-1 and good-2, errors for empty and binary"
else
	fail "mixed directory" "$problem"
fi

# expect_results WHAT RE... - the last run exited 0, printed nothing on
#   stderr, and has a result whose origin matches each RE
expect_results() {
	local what=$1 problem s
	shift
	problem=$(crash_problem)
	if [ -z "$problem" ]; then
		problem=$(stdout_problem)
	fi
	if [ -z "$problem" ]; then
		if [ "$RC" -ne 0 ]; then
			problem="exit $RC (want 0): $(first_line "$ERR")"
		elif [ -s "$ERR" ]; then
			problem="unexpected stderr: $(first_line "$ERR")"
		fi
	fi
	if [ -z "$problem" ]; then
		for s in "$@"; do
			if ! has_origin "$s"; then
				problem="no result with origin matching $s"
				break
			fi
		done
	fi
	if [ -z "$problem" ]; then
		pass "$what"
	else
		fail "$what" "$problem"
	fi
}

# 4. Standard input: origin is "-".
run_stdin "$MIXED/good-1.eml" explain --format jsonl -
expect_results "standard input: result with origin \"-\"" "-"

# 5. An mbox of the two good files: origins path#1 and path#2.
MBOX="$TMP/bounces.mbox"
for f in "$MIXED/good-1.eml" "$MIXED/good-2.eml"; do
	echo "From MAILER-DAEMON Thu Jan  1 00:00:00 2015"
	sed 's/^From />From /' "$f"
	# Each message ends with a newline and is followed by an empty line.
	if [ -n "$(tail -c 1 "$f")" ]; then
		echo
	fi
	echo
done >"$MBOX"
run explain --format jsonl "$MBOX"
expect_results "mbox: results with origins $MBOX#1 and $MBOX#2" \
	"$(suffix_re bounces.mbox#1)" "$(suffix_re bounces.mbox#2)"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
