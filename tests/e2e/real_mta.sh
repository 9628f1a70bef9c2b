#!/usr/bin/env bash
# real_mta.sh - smtpdoc on bounces written by real Postfix and Exim servers.
#
# Usage: bash tests/e2e/real_mta.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# Has tests/mta/generate.sh start a private Postfix, a private Exim and a
# scripted receiving server on 127.0.0.1 and provoke each failure of
# tests/mta/cases.tsv through both MTAs, so that each writes its own bounce.
# Then runs "smtpdoc explain --format jsonl" on the bounces and checks, for
# each row of tests/e2e/real_mta.tsv, recipient, reason, deliverystatus,
# replycode, hardbounce and smtpagent. A field marked in the row's "known"
# column prints "known-wrong" instead of failing. Also writes labels.tsv for
# the set in the scorer's format and prints the scorer's agreement
# (../shared/tools/score-bounces, when it is there).
#
# The bounces are generated once per version of the harness: they are kept
# in BUILD_DIR/mta-bounces/KEY (KEY: a hash of tests/mta/ and the MTAs'
# versions), and a set already made by a sibling build tree of SOURCE_DIR
# (build*/mta-bounces/KEY) is reused. SMTPDOC_MTA_REGENERATE=1 forces a
# new set. Needs root, postfix and the exim4 binary (scripts/install-deps);
# exits 77 (skipped) without them. One line per check (ok/FAIL), then
# "N passed, N failed"; exit status 1 when any check failed.
set -u -o pipefail

if (($# != 2)); then
	echo "usage: $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1
SRC=$(cd "$2" && pwd)
MTA=$SRC/tests/mta
TSV=$SRC/tests/e2e/real_mta.tsv
SCORER=$SRC/../shared/tools/score-bounces
LIMIT=120 # seconds for the smtpdoc run (generous for the sanitizer build)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

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

for need in "$SMTPDOC" "$TSV" "$MTA/generate.sh" "$MTA/cases.tsv"; do
	if [[ ! -e $need ]]; then
		bad "missing: $need"
		finish
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-realmta.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The key of this harness version: its files and the MTAs' versions.
exim=$(bash "$MTA/exim-path.sh" 2>/dev/null) || exim=
key=$({
	find "$MTA" -maxdepth 1 -type f ! -name '*.pyc' | LC_ALL=C sort | while read -r f; do cat "$f"; done
	postconf -d mail_version 2>/dev/null
	[[ -n $exim ]] && sha256sum "$exim"
} | sha256sum | cut -c 1-16)

build_dir=$(cd "$(dirname "$SMTPDOC")" && pwd)
cache=$build_dir/mta-bounces
set_dir=$cache/$key
if [[ ${SMTPDOC_MTA_REGENERATE:-0} != 1 && ! -f $set_dir/complete ]]; then
	for d in "$SRC"/build*/mta-bounces/"$key"; do
		if [[ -f $d/complete ]]; then
			set_dir=$d
			break
		fi
	done
fi

if [[ ${SMTPDOC_MTA_REGENERATE:-0} == 1 || ! -f $set_dir/complete ]]; then
	set_dir=$cache/$key
	mkdir -p "$cache"
	# One generator at a time (two build trees tested at once).
	exec 9>"$cache/.lock"
	flock -w 200 9 2>/dev/null
	if [[ ${SMTPDOC_MTA_REGENERATE:-0} == 1 || ! -f $set_dir/complete ]]; then
		rm -rf "$set_dir" "$set_dir.new"
		start=$SECONDS
		timeout -k 30 180 bash "$MTA/generate.sh" "$set_dir.new" >"$tmp/gen.out" 2>"$tmp/gen.err"
		rc=$?
		if ((rc == 77)); then
			echo "real_mta.sh: $(tail -n 1 "$tmp/gen.err")"
			exit 77
		fi
		if ((rc != 0)); then
			bad "generating the bounces (exit $rc): $(tail -n 5 "$tmp/gen.err" | tr '\n' ' ')"
			echo "# logs kept in $set_dir.new/logs"
			finish
		fi
		sed 's/^/# /' "$tmp/gen.out"
		ok "real Postfix and Exim wrote $(ls "$set_dir.new/bounces" | wc -l) bounces in $((SECONDS - start)) s"
		touch "$set_dir.new/complete"
		mv "$set_dir.new" "$set_dir"
		# Older sets of this tree are of no more use.
		for d in "$cache"/*; do
			[[ $d != "$set_dir" && -d $d ]] && rm -rf "$d"
		done
	fi
	exec 9>&-
fi
if [[ $set_dir != "$cache/$key" || $pass -eq 0 ]]; then
	echo "# reusing the bounces in $set_dir"
fi
BOUNCES=$set_dir/bounces

# One smtpdoc run over the whole set.
timeout "$LIMIT" "$SMTPDOC" explain --format jsonl "$BOUNCES" >"$tmp/out.jsonl" 2>"$tmp/err"
rc=$?
if grep -Eq 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error' "$tmp/err"; then
	bad "smtpdoc: sanitizer report: $(grep -Em1 'Sanitizer|runtime error' "$tmp/err" | cut -c 1-200)"
elif ((rc != 0)); then
	bad "smtpdoc explain exited with $rc (want 0): $(head -n 1 "$tmp/err")"
elif [[ -s $tmp/err ]]; then
	bad "smtpdoc explain wrote to stderr: $(head -n 1 "$tmp/err")"
else
	ok "smtpdoc explain decoded $(ls "$BOUNCES" | wc -l) bounces (exit 0, nothing on stderr)"
fi

# The per-recipient checks; also writes the scorer's labels.tsv.
"$PY" - "$TSV" "$tmp/out.jsonl" "$tmp/labels.tsv" "$tmp/counts" <<'PY'
import json
import os
import sys

tsv, out, labels_path, counts_path = sys.argv[1:5]
FIELDS = ("reason", "deliverystatus", "replycode", "hardbounce", "smtpagent")

rows = []
with open(tsv) as f:
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 8:
            print("FAIL - real_mta.tsv: bad row (want 8 cells): %s" % line)
            continue
        rows.append(dict(zip(("file", "recipient") + FIELDS + ("known",), cells)))

results = {}
with open(out) as f:
    for line in f:
        try:
            o = json.loads(line)
        except ValueError:
            print("FAIL - smtpdoc output line is not JSON: %s" % line[:200])
            continue
        name = os.path.basename(o.get("origin") or o.get("file") or "")
        results.setdefault(name, []).append(o)


def value(o, field):
    v = o.get(field)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v)


passed = failed = known = 0
expected_count = {}
for r in rows:
    expected_count[r["file"]] = expected_count.get(r["file"], 0) + 1
    marked = set() if r["known"] == "-" else set(r["known"].split(","))
    what = "%s %s" % (r["file"], r["recipient"])
    got = [o for o in results.get(r["file"], [])
           if value(o, "recipient").lower() == r["recipient"].lower()]
    if not got:
        print("FAIL - %s: no result for this recipient (results: %s)" % (
            what, ", ".join(value(o, "recipient") for o in results.get(r["file"], [])) or "none"))
        failed += 1
        continue
    o = got[0]
    wrong, fixed, known_wrong = [], [], []
    for field in FIELDS:
        want = r[field].split("|")
        have = value(o, field)
        if have in want:
            if field in marked:
                fixed.append(field)
        elif field in marked:
            known_wrong.append("%s: got %r, want %r" % (field, have, r[field]))
        else:
            wrong.append("%s: got %r, want %r" % (field, have, r[field]))
    summary = " ".join(value(o, k) or "-" for k in FIELDS)
    if wrong:
        print("FAIL - %s: %s" % (what, "; ".join(wrong)))
        failed += 1
    elif known_wrong:
        print("known-wrong - %s: %s (marked in real_mta.tsv; cause %s)" % (
            what, "; ".join(known_wrong), value(o, "cause")))
        known += 1
    else:
        print("ok - %s: %s" % (what, summary))
        passed += 1
    if fixed:
        print("# %s: now right in %s: remove the known-wrong mark" % (what, ",".join(fixed)))

# No more and no fewer results per bounce than expected recipients.
for name in sorted(set(expected_count) | set(results)):
    n, want = len(results.get(name, [])), expected_count.get(name, 0)
    if n != want:
        print("FAIL - %s: %d results (want %d)" % (name, n, want))
        failed += 1
if expected_count and all(len(results.get(k, [])) == v for k, v in expected_count.items()):
    print("ok - every bounce has one result per failed recipient (%d bounces)" % len(expected_count))
    passed += 1

# labels.tsv for the scorer: the primary answers.
seen = {}
with open(labels_path, "w") as f:
    f.write("file\tn\tdeliverystatus\treplycode\treason\thardbounce\trecipient\n")
    for r in rows:
        seen[r["file"]] = seen.get(r["file"], 0) + 1
        f.write("\t".join((r["file"], str(seen[r["file"]]), r["deliverystatus"].split("|")[0],
                           r["replycode"].split("|")[0], r["reason"], r["hardbounce"],
                           r["recipient"])) + "\n")

with open(counts_path, "w") as f:
    f.write("%d %d %d\n" % (passed, failed, known))
PY
if read -r p f k <"$tmp/counts" 2>/dev/null; then
	pass=$((pass + p))
	fail=$((fail + f))
else
	bad "the checks did not run"
	k=0
fi

# The scorer's view of the same set.
cp "$tmp/labels.tsv" "$set_dir/labels.tsv" 2>/dev/null
if [[ -x $SCORER ]]; then
	"$SCORER" "$tmp/labels.tsv" "$tmp/out.jsonl" >"$tmp/score" 2>&1
	src=$?
	sed 's/^/# score: /' "$tmp/score"
	if ((src == 0)); then
		ok "scorer on the real-MTA set: $(grep -m1 '^reason agreement' "$tmp/score")"
	else
		bad "scorer exited with $src"
	fi
else
	echo "# scorer not found ($SCORER); agreement not printed"
fi

echo "# known-wrong: $k"
finish
