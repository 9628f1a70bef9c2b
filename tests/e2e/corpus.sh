#!/usr/bin/env bash
# corpus.sh - decode the Sisimai bounce corpus and score it against its
# labels; fails when reason agreement drops below the floor.
# Usage: bash tests/e2e/corpus.sh PATH_TO_SMTPDOC SOURCE_DIR
# The floor rises as accuracy improves; never lower it to make a change pass.
set -u
smtpdoc=$1
src=$2
floor=${SMTPDOC_CORPUS_FLOOR:-96}
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
"$score" --min "$floor" "$corpus/labels.tsv" "$out" || exit 1
for v in crlf cr; do
    timeout 300 "$smtpdoc" explain --format jsonl "$corpus/$v" >"$out" 2>/dev/null
    "$score" --min "$floor" "$corpus/$v/labels.tsv" "$out" | tail -n 1 || exit 1
done
