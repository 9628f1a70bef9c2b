#!/usr/bin/env bash
# seed_variations.sh - end-to-end test: the example bounces in examples/ give
# the answers listed in tests/e2e/seed_variations.tsv.
#
# Usage: bash tests/e2e/seed_variations.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# For each row it runs "smtpdoc explain --format jsonl SOURCE_DIR/examples/FILE"
# and checks reason, cause, replycode, deliverystatus and recipient (plus
# hardbounce and the fix steps). It also checks the exit codes, the text and
# JSON array outputs, the support report, the address hints of the typo
# example, and the input kinds (CRLF and CR line endings, standard input,
# mbox, directory, Maildir). One line per check (ok/FAIL), then
# "N passed, N failed"; exit status 1 when any check failed.
set -u -o pipefail

if (($# != 2)); then
	echo "usage: $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1
SRC=$2
EXAMPLES=$SRC/examples
TSV=$SRC/tests/e2e/seed_variations.tsv
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

for need in "$SMTPDOC" "$TSV" "$EXAMPLES"; do
	if [[ ! -e $need ]]; then
		bad "missing: $need"
		finish
	fi
done
if ! command -v python3 >/dev/null 2>&1; then
	bad "python3 is needed to parse the JSON output"
	finish
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-e2e.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# run ARGS... - run smtpdoc with a time limit; stdout to $tmp/out, stderr to
# $tmp/err, exit status in $rc. Standard input is empty unless redirected by
# the caller through run_in.
rc=0
run() {
	timeout "$LIMIT" "$SMTPDOC" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
# run_in FILE ARGS... - the same with FILE as standard input.
run_in() {
	local input=$1
	shift
	timeout "$LIMIT" "$SMTPDOC" "$@" >"$tmp/out" 2>"$tmp/err" <"$input"
	rc=$?
}
# show_err - print the first lines of the last run's stderr as comments.
show_err() {
	if [[ -s $tmp/err ]]; then
		head -n 5 "$tmp/err" | sed 's/^/#   stderr: /'
	fi
}

# The JSON checks, in Python. Each prints "ok - ..." or "FAIL - ..." lines.
cat >"$tmp/check.py" <<'PY'
import json
import sys

FIELDS = ("recipient addresser senderdomain destination alias action replycode "
          "deliverystatus diagnosticcode diagnostictype reason hardbounce timestamp "
          "timezoneoffset origin smtpagent smtpcommand lhost rhost messageid subject "
          "listid feedbacktype token cause title explanation fix fix_recipient "
          "fix_admin hints suggestion").split()
HARD = {"userunknown", "hostunknown", "hasmoved"}


def say(good, what):
    print(("ok - " if good else "FAIL - ") + what)


def text(v):
    """A JSON value as the string a label compares with (null -> "")."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def load_lines(path):
    """The JSON Lines output as a list of objects; raises on bad JSON."""
    objs = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as e:
                raise ValueError("line %d is not JSON: %s" % (n, e))
            if not isinstance(obj, dict):
                raise ValueError("line %d is not a JSON object" % n)
            objs.append(obj)
    return objs


def find(objs, rcpt):
    for o in objs:
        if text(o.get("recipient")).lower() == rcpt.lower():
            return o
    return None


def cmd_row(path, name, reason, cause, replycode, status, rcpt):
    objs = load_lines(path)
    say(len(objs) == 1, "%s: one result (got %d)" % (name, len(objs)))
    o = find(objs, rcpt)
    say(o is not None, "%s: recipient %s" % (name, rcpt))
    if o is None:
        got = [text(x.get("recipient")) for x in objs]
        print("  recipients found: %s" % (got,))
        return
    for field, want in (("reason", reason), ("cause", cause),
                        ("replycode", replycode), ("deliverystatus", status)):
        got = text(o.get(field))
        choices = want.split("|")
        if got in choices:
            say(True, "%s: %s = %s" % (name, field, got))
        else:
            say(False, "%s: %s: got %r, want %r" % (name, field, got, want))
    hb = text(o.get("hardbounce"))
    want_hb = "1" if reason in HARD else "0"
    say(hb == want_hb, "%s: hardbounce = %s (want %s)" % (name, hb, want_hb))
    fix = o.get("fix")
    good = isinstance(fix, list) and len(fix) > 0 and all(
        isinstance(s, str) and s.strip() for s in fix)
    say(good, "%s: fix is a non-empty list of steps" % name)
    say(bool(text(o.get("title"))) and bool(text(o.get("explanation"))),
        "%s: title and explanation are set" % name)
    origin = text(o.get("origin"))
    say(origin.endswith(name), "%s: origin %r names the file" % (name, origin))


def cmd_fields(path, name):
    objs = load_lines(path)
    if not objs:
        say(False, "%s: no result to check the field names on" % name)
        return
    missing = [f for f in FIELDS if f not in objs[0]]
    say(not missing, "%s: every documented field is present%s" %
        (name, "" if not missing else " (missing: %s)" % ", ".join(missing)))
    o = objs[0]
    for f in ("fix", "fix_recipient", "fix_admin", "hints"):
        if f in o:
            say(isinstance(o[f], list), "%s: %s is an array" % (name, f))
    if "hardbounce" in o:
        say(text(o["hardbounce"]) in ("0", "1"), "%s: hardbounce is 0 or 1" % name)
    if "timestamp" in o:
        ts = o["timestamp"]
        say(isinstance(ts, int) and not isinstance(ts, bool) and ts > 0,
            "%s: timestamp is epoch seconds (%r)" % (name, ts))


def cmd_typo(path, name, want):
    objs = load_lines(path)
    o = objs[0] if objs else {}
    hints = o.get("hints")
    say(isinstance(hints, list) and len(hints) > 0 and all(
        isinstance(h, str) and h.strip() for h in hints),
        "%s: hints is a non-empty array (%r)" % (name, hints))
    got = o.get("suggestion")
    say(got == want, "%s: suggestion %r (want %r)" % (name, got, want))


def cmd_array(path, name, count):
    with open(path, encoding="utf-8") as fh:
        data = fh.read()
    try:
        arr = json.loads(data)
    except ValueError as e:
        say(False, "%s: output is valid JSON (%s)" % (name, e))
        return
    say(isinstance(arr, list), "%s: output is one JSON array" % name)
    if isinstance(arr, list):
        say(len(arr) == int(count), "%s: array has %s results (got %d)" %
            (name, count, len(arr)))
        say(all(isinstance(x, dict) for x in arr),
            "%s: every array element is an object" % name)


def cmd_count(path, name, count):
    objs = load_lines(path)
    say(len(objs) == int(count), "%s: %s results (got %d)" % (name, count, len(objs)))


def cmd_same(path_a, path_b, name):
    a, b = load_lines(path_a), load_lines(path_b)
    if len(a) != 1 or len(b) != 1:
        say(False, "%s: one result each (got %d and %d)" % (name, len(a), len(b)))
        return
    diff = [f for f in ("recipient", "reason", "cause", "replycode",
                        "deliverystatus", "addresser")
            if text(a[0].get(f)) != text(b[0].get(f))]
    say(not diff, "%s: same answer as the LF file%s" %
        (name, "" if not diff else " (differs in %s)" % ", ".join(diff)))


def cmd_origins(path, name, prefix, count):
    objs = load_lines(path)
    origins = [text(o.get("origin")) for o in objs]
    good = (len(origins) == int(count) and len(set(origins)) == len(origins)
            and all(x.startswith(prefix + "#") for x in origins))
    say(good, "%s: %s results with origins %s#N (got %r)" % (name, count, prefix, origins))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    name = args[1] if cmd != "same" else args[2]
    try:
        globals()["cmd_" + cmd](*args)
    except Exception as e:  # a crash here is a failed check, not a test error
        say(False, "%s: %s check could not run: %s" % (name, cmd, e))


main()
PY

# check ARGS... - run one Python check and count its ok/FAIL lines.
check() {
	local out line seen=0
	out=$(python3 "$tmp/check.py" "$@" 2>&1 </dev/null)
	while IFS= read -r line; do
		case $line in
		"ok - "*)
			echo "$line"
			pass=$((pass + 1))
			seen=1
			;;
		"FAIL - "*)
			echo "$line"
			fail=$((fail + 1))
			seen=1
			;;
		*) [[ -n $line ]] && echo "# $line" ;;
		esac
	done <<<"$out"
	((seen)) || bad "check $* printed nothing"
}

# ---------------------------------------------------------------------------
# 1. Each example gives the expected answer.
files=()
nrows=0
while IFS= read -r line; do
	# Tabs are IFS white space (runs collapse), so split on a non-space byte
	# to keep empty cells such as a missing replycode.
	line=${line%$'\r'}
	IFS=$'\x1f' read -r file reason cause replycode status rcpt _ <<<"${line//$'\t'/$'\x1f'}"
	[[ -z $file || $file == \#* || $file == file ]] && continue
	nrows=$((nrows + 1))
	((nrows <= 1000)) || break
	path=$EXAMPLES/$file
	if [[ ! -f $path ]]; then
		bad "$file: example file is missing"
		continue
	fi
	files+=("$path")
	run explain --format jsonl "$path"
	if ((rc == 0)); then
		ok "$file: exit 0"
	else
		bad "$file: exit $rc, want 0"
		show_err
	fi
	check row "$tmp/out" "$file" "$reason" "$cause" "$replycode" "$status" "$rcpt"
done <"$TSV"
((nrows > 0)) || bad "no rows read from $TSV"

# 2. The JSON objects carry every documented field.
run explain --format jsonl "$EXAMPLES/550-user-unknown.eml"
check fields "$tmp/out" "550-user-unknown.eml (fields)"

# 3. Not a bounce: exit 1 and nothing on standard output.
for fmt in jsonl text; do
	run explain --format "$fmt" "$EXAMPLES/not-a-bounce.eml"
	if ((rc == 1)); then ok "not-a-bounce.eml ($fmt): exit 1"; else
		bad "not-a-bounce.eml ($fmt): exit $rc, want 1"
		show_err
	fi
	if [[ ! -s $tmp/out ]]; then ok "not-a-bounce.eml ($fmt): no output"; else
		bad "not-a-bounce.eml ($fmt): wrote $(wc -c <"$tmp/out") bytes to stdout"
	fi
done

# 4. Text output for a person: the recipient and numbered steps.
run explain "$EXAMPLES/550-no-such-user.eml"
if ((rc == 0)); then ok "550-no-such-user.eml (text): exit 0"; else
	bad "550-no-such-user.eml (text): exit $rc, want 0"
	show_err
fi
if grep -qF "bob@example.net" "$tmp/out"; then
	ok "550-no-such-user.eml (text): names the recipient"
else
	bad "550-no-such-user.eml (text): recipient bob@example.net not in the output"
fi
if grep -qE '^[[:space:]]*(Step[[:space:]]+)?1[.):][[:space:]]' "$tmp/out"; then
	ok "550-no-such-user.eml (text): has a numbered step"
else
	bad "550-no-such-user.eml (text): no line starting with step 1 (\"1.\" or \"1)\")"
fi
if grep -qF "No such user here" "$tmp/out"; then
	ok "550-no-such-user.eml (text): quotes the server's words"
else
	bad "550-no-such-user.eml (text): the server's reply \"No such user here\" is missing"
fi

# 5. The typo example: hints about the address and a suggestion.
run explain --format jsonl "$EXAMPLES/550-typo-domain.eml"
check typo "$tmp/out" "550-typo-domain.eml (hints)" "user@gmail.com"

# 6. --format json: one valid JSON array, single file and many files.
run explain --format json "$EXAMPLES/550-user-unknown.eml"
((rc == 0)) && ok "--format json (one file): exit 0" || bad "--format json (one file): exit $rc, want 0"
check array "$tmp/out" "--format json (one file)" 1
if ((${#files[@]} > 0)); then
	run explain --format json "${files[@]}"
	((rc == 0)) && ok "--format json (${#files[@]} files): exit 0" ||
		bad "--format json (${#files[@]} files): exit $rc, want 0"
	check array "$tmp/out" "--format json (${#files[@]} files)" "${#files[@]}"
fi

# 7. --support-report: diagnosis plus what a support desk asks for.
run explain --support-report "$EXAMPLES/550-no-such-user.eml"
if ((rc == 0)); then ok "--support-report: exit 0"; else
	bad "--support-report: exit $rc, want 0"
	show_err
fi
for want in "bob@example.net" "alice@example.com" \
	"Subject: Mail delivery failed: returning message to sender"; do
	if grep -qF -- "$want" "$tmp/out"; then
		ok "--support-report: contains \"$want\""
	else
		bad "--support-report: \"$want\" is missing"
	fi
done

# 8. Input kinds: CRLF and CR line endings, standard input, mbox, directory,
#    Maildir.
for ex in 550-user-unknown.eml 550-no-such-user.eml; do
	run explain --format jsonl "$EXAMPLES/$ex"
	cp "$tmp/out" "$tmp/lf.jsonl"
	sed 's/$/\r/' "$EXAMPLES/$ex" >"$tmp/crlf-$ex"
	tr '\n' '\r' <"$EXAMPLES/$ex" >"$tmp/cr-$ex"
	for kind in crlf cr; do
		run explain --format jsonl "$tmp/$kind-$ex"
		((rc == 0)) && ok "$ex ($kind): exit 0" || bad "$ex ($kind): exit $rc, want 0"
		check same "$tmp/lf.jsonl" "$tmp/out" "$ex ($kind)"
	done
	run_in "$EXAMPLES/$ex" explain --format jsonl -
	((rc == 0)) && ok "$ex (stdin, -): exit 0" || bad "$ex (stdin, -): exit $rc, want 0"
	check same "$tmp/lf.jsonl" "$tmp/out" "$ex (stdin, -)"
	run_in "$EXAMPLES/$ex" explain --format jsonl
	((rc == 0)) && ok "$ex (stdin, no PATH): exit 0" ||
		bad "$ex (stdin, no PATH): exit $rc, want 0"
	check same "$tmp/lf.jsonl" "$tmp/out" "$ex (stdin, no PATH)"
done

mbox=$tmp/bounces.mbox
{
	echo "From MAILER-DAEMON Tue Mar  5 10:14:09 2024"
	cat "$EXAMPLES/550-no-such-user.eml"
	echo
	echo "From MAILER-DAEMON Wed Mar  6 08:02:12 2024"
	cat "$EXAMPLES/550-user-unknown.eml"
	echo
} >"$mbox"
run explain --format jsonl "$mbox"
((rc == 0)) && ok "mbox: exit 0" || bad "mbox: exit $rc, want 0"
check origins "$tmp/out" "mbox" "$mbox" 2

dir=$tmp/dir
mkdir -p "$dir/sub"
cp "$EXAMPLES/550-no-such-user.eml" "$EXAMPLES/not-a-bounce.eml" "$dir/"
cp "$EXAMPLES/550-user-unknown.eml" "$dir/sub/"
run explain --format jsonl "$dir"
((rc == 0)) && ok "directory: exit 0" || bad "directory: exit $rc, want 0"
check count "$tmp/out" "directory" 2

maildir=$tmp/Maildir
mkdir -p "$maildir/cur" "$maildir/new" "$maildir/tmp"
cp "$EXAMPLES/550-blocked.eml" "$maildir/cur/1712000000.M1P1.host:2,S"
cp "$EXAMPLES/552-mailbox-full.eml" "$maildir/new/1712000001.M2P1.host"
run explain --format jsonl "$maildir"
((rc == 0)) && ok "Maildir: exit 0" || bad "Maildir: exit $rc, want 0"
check count "$tmp/out" "Maildir" 2

finish
