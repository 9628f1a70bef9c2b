#!/usr/bin/env bash
# cli_basics.sh - end-to-end test of the smtpdoc command line itself: help,
# version, usage errors and their exit codes, colour rules (NO_COLOR), the
# summary line, and how unreadable or empty inputs are reported.
#
# Usage: bash tests/e2e/cli_basics.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# One line per check (ok/FAIL), then "N passed, N failed"; exit status 1 when
# any check failed.
set -u -o pipefail

if (($# != 2)); then
	echo "usage: $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1
SRC=$2
EXAMPLES=$SRC/examples
BOUNCE=$EXAMPLES/550-no-such-user.eml
NOTBOUNCE=$EXAMPLES/not-a-bounce.eml
LIMIT=120 # seconds per smtpdoc run (generous for the sanitizer build)

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
# expect WHAT WANT - record whether the last run's exit status is WANT.
expect() {
	if ((rc == $2)); then
		ok "$1: exit $2"
	else
		bad "$1: exit $rc, want $2"
		if [[ -s $tmp/err ]]; then
			head -n 5 "$tmp/err" | sed 's/^/#   stderr: /'
		fi
	fi
}

for need in "$SMTPDOC" "$BOUNCE" "$NOTBOUNCE"; do
	if [[ ! -e $need ]]; then
		bad "missing: $need"
		finish
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# run ARGS... - run smtpdoc with a time limit and empty standard input;
# stdout to $tmp/out, stderr to $tmp/err, exit status in $rc. NO_COLOR is
# removed so each check sets exactly the environment it means to test.
rc=0
run() {
	timeout "$LIMIT" env -u NO_COLOR "$SMTPDOC" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
# run_env VAR=VALUE ARGS... - the same with one variable set.
run_env() {
	local setting=$1
	shift
	timeout "$LIMIT" env -u NO_COLOR "$setting" "$SMTPDOC" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
lines() { # lines FILE - number of lines (a last line without newline counts)
	awk 'END { print NR }' "$1"
}
has_esc() { # has_esc FILE... - true when any file holds an ESC byte
	grep -q $'\x1b' "$@"
}

# ---------------------------------------------------------------------------
# Help and version.
run --help
expect "--help" 0
if grep -qF -- "--format" "$tmp/out"; then ok "--help: mentions --format"; else
	bad "--help: --format not mentioned on stdout"
fi
if grep -qF "explain" "$tmp/out"; then ok "--help: lists the explain command"; else
	bad "--help: the explain command is not listed"
fi

run explain --help
expect "explain --help" 0
for opt in --format --support-report --undecoded --color --quiet; do
	if grep -qF -- "$opt" "$tmp/out"; then ok "explain --help: mentions $opt"; else
		bad "explain --help: $opt not mentioned on stdout"
	fi
done

version=$(sed -n 's/^#define SMTPDOC_VERSION "\(.*\)"/\1/p' "$SRC/include/smtpdoc/smtpdoc.h" 2>/dev/null)
if [[ -z $version ]]; then
	version=$(sed -n 's/^project(smtpdoc VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt" 2>/dev/null)
fi
run --version
expect "--version" 0
if [[ -n $version ]] && grep -qF -- "$version" "$tmp/out"; then
	ok "--version: prints $version"
else
	bad "--version: want \"${version:-?}\" on stdout, got \"$(head -c 200 "$tmp/out")\""
fi

# ---------------------------------------------------------------------------
# Usage errors: exit 2 and one line on stderr.
run --no-such-option
expect "--no-such-option" 2
n=$(lines "$tmp/err")
((n == 1)) && ok "--no-such-option: one line on stderr" ||
	bad "--no-such-option: $n lines on stderr, want 1"

run explain --no-such-option "$BOUNCE"
expect "explain --no-such-option" 2
n=$(lines "$tmp/err")
((n == 1)) && ok "explain --no-such-option: one line on stderr" ||
	bad "explain --no-such-option: $n lines on stderr, want 1"
[[ -s $tmp/out ]] && bad "explain --no-such-option: wrote to stdout" ||
	ok "explain --no-such-option: nothing on stdout"

run no-such-command
expect "unknown subcommand" 2
[[ -s $tmp/err ]] && ok "unknown subcommand: says so on stderr" ||
	bad "unknown subcommand: nothing on stderr"

run
expect "no command at all" 2

run explain --format bogus "$BOUNCE"
expect "explain --format bogus" 2
n=$(lines "$tmp/err")
((n == 1)) && ok "explain --format bogus: one line on stderr" ||
	bad "explain --format bogus: $n lines on stderr, want 1"

run explain --format
expect "explain --format (no value)" 2

run explain --color bogus "$BOUNCE"
expect "explain --color bogus" 2

# ---------------------------------------------------------------------------
# Colour: never on a pipe with auto, never with NO_COLOR, never with never.
run explain --color auto "$BOUNCE"
expect "--color auto, piped" 0
has_esc "$tmp/out" "$tmp/err" && bad "--color auto, piped: output has an ESC byte" ||
	ok "--color auto, piped: no ESC byte"

run_env NO_COLOR=1 explain --color auto "$BOUNCE"
expect "NO_COLOR=1 --color auto" 0
has_esc "$tmp/out" "$tmp/err" && bad "NO_COLOR=1 --color auto: output has an ESC byte" ||
	ok "NO_COLOR=1 --color auto: no ESC byte"

run_env NO_COLOR=1 explain "$BOUNCE"
has_esc "$tmp/out" "$tmp/err" && bad "NO_COLOR=1 (default --color): output has an ESC byte" ||
	ok "NO_COLOR=1 (default --color): no ESC byte"

run explain --color never "$BOUNCE"
expect "--color never" 0
has_esc "$tmp/out" "$tmp/err" && bad "--color never: output has an ESC byte" ||
	ok "--color never: no ESC byte"

run explain --color always "$BOUNCE"
expect "--color always" 0
has_esc "$tmp/out" && ok "--color always: text is coloured" ||
	bad "--color always: no ESC byte on stdout"

run explain --format jsonl --color always "$BOUNCE"
has_esc "$tmp/out" && bad "--format jsonl --color always: JSON has an ESC byte" ||
	ok "--format jsonl --color always: JSON is never coloured"

# ---------------------------------------------------------------------------
# Summary line (text mode) and --quiet.
run explain "$BOUNCE"
expect "text mode" 0
[[ -s $tmp/err ]] && ok "text mode: summary line on stderr" ||
	bad "text mode: no summary line on stderr"

run explain --quiet "$BOUNCE"
expect "--quiet" 0
[[ -s $tmp/err ]] && bad "--quiet: stderr not empty: $(head -n 1 "$tmp/err")" ||
	ok "--quiet: nothing on stderr"
[[ -s $tmp/out ]] && ok "--quiet: the explanation is still printed" ||
	bad "--quiet: nothing on stdout"

# ---------------------------------------------------------------------------
# Nothing bounce-like: exit 1; --undecoded says why on stderr.
run explain "$NOTBOUNCE"
expect "not a bounce" 1

run explain --undecoded --format jsonl "$NOTBOUNCE"
expect "--undecoded, not a bounce" 1
if grep -qF "smtpdoc: $NOTBOUNCE: " "$tmp/err"; then
	ok "--undecoded: \"smtpdoc: ORIGIN: why\" on stderr"
else
	bad "--undecoded: no \"smtpdoc: $NOTBOUNCE: ...\" line on stderr"
fi

# ---------------------------------------------------------------------------
# Input errors: one line "smtpdoc: ORIGIN: problem", the other inputs are
# still decoded, and the error wins the exit status.
missing=$tmp/no-such-file.eml
run explain --format jsonl "$missing"
expect "missing file" 2
if grep -qF "smtpdoc: $missing: " "$tmp/err"; then ok "missing file: smtpdoc: ORIGIN: problem"; else
	bad "missing file: no \"smtpdoc: $missing: ...\" line on stderr"
fi

run explain --format jsonl "$missing" "$BOUNCE"
expect "missing file plus a bounce" 2
grep -qF "bob@example.net" "$tmp/out" && ok "missing file plus a bounce: the bounce is still explained" ||
	bad "missing file plus a bounce: no result for the readable bounce"
n=$(grep -cF "$missing" "$tmp/err")
((n == 1)) && ok "missing file plus a bounce: one error line on stderr" ||
	bad "missing file plus a bounce: $n stderr lines name the missing file, want 1"

empty=$tmp/empty.eml
: >"$empty"
run explain --format jsonl "$empty"
expect "empty file" 2
if grep -qF "smtpdoc: $empty: " "$tmp/err"; then ok "empty file: smtpdoc: ORIGIN: problem"; else
	bad "empty file: no \"smtpdoc: $empty: ...\" line on stderr"
fi

if ((EUID != 0)); then
	locked=$tmp/locked.eml
	cp "$BOUNCE" "$locked"
	chmod 000 "$locked"
	run explain --format jsonl "$locked"
	expect "unreadable file" 2
	grep -qF "smtpdoc: $locked: " "$tmp/err" && ok "unreadable file: smtpdoc: ORIGIN: problem" ||
		bad "unreadable file: no \"smtpdoc: $locked: ...\" line on stderr"
	chmod 600 "$locked"
else
	echo "# skipped: unreadable file check (running as root)"
fi

finish
