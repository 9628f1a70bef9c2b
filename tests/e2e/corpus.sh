#!/usr/bin/env bash
# corpus.sh - decode the Sisimai bounce corpus and score it against its
# labels; fails when reason agreement drops below the floor, or the
# deliverystatus, replycode or hardbounce agreement below theirs (issue 3:
# 95%, 95% and 98%).
# Usage: bash tests/e2e/corpus.sh PATH_TO_SMTPDOC SOURCE_DIR
# The floor rises as accuracy improves; never lower it to make a change pass.
set -u
smtpdoc=$1
src=$2
floor=${SMTPDOC_CORPUS_FLOOR:-97}
status_floor=95 reply_floor=95 hard_floor=98
corpus="$src/../shared/corpus/sisimai"
score="$src/../shared/tools/score-bounces"
if [ ! -d "$corpus" ] || [ ! -x "$score" ]; then
    echo "corpus or scorer not found beside the project ($corpus); skipped"
    exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Exit 2 is expected when some corpus inputs are not messages (README.md).
timeout 600 "$smtpdoc" explain --format jsonl "$corpus" >"$out" 2>/dev/null
rc=$?
if [ "$rc" -ge 3 ]; then
    echo "smtpdoc explain exited with $rc on the corpus"
    exit 1
fi
# The LF set, then the CRLF and CR copies, each scored against its labels.
report=$("$score" --min "$floor" "$corpus/labels.tsv" "$out")
rc=$?
printf '%s\n' "$report"
[ "$rc" -eq 0 ] || exit 1
# the "overall" row: rows, then reason, status, reply and hard agreement
read -r _ _ _ status reply hard < <(printf '%s\n' "$report" | grep '^overall')
below() { awk -v v="${1%\%}" -v f="$2" 'BEGIN { exit !(v + 0 < f + 0) }'; }
for pair in "deliverystatus:$status:$status_floor" "replycode:$reply:$reply_floor" "hardbounce:$hard:$hard_floor"; do
    IFS=: read -r name value min <<<"$pair"
    if [ -z "$value" ] || below "$value" "$min"; then
        echo "$name agreement ${value:-missing} is below the floor of $min%"
        exit 1
    fi
done
for v in crlf cr; do
    timeout 300 "$smtpdoc" explain --format jsonl "$corpus/$v" >"$out" 2>/dev/null
    "$score" --min "$floor" "$corpus/$v/labels.tsv" "$out" | tail -n 1 || exit 1
done
