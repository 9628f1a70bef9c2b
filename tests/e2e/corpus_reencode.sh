#!/usr/bin/env bash
# corpus_reencode.sh - the same bounce must decode the same way whatever
# transfer encoding carries its text. Every text/plain part of every corpus
# message written as 7bit/8bit is re-encoded as base64 and as
# quoted-printable (python3's email package); smtpdoc's recipient, reason,
# status and reply code for the re-encoded copy must equal those for the
# original. A re-encoding can itself damage a malformed message (python
# rewrites what it cannot parse), so up to 1% of the files may differ.
# Usage: bash tests/e2e/corpus_reencode.sh PATH_TO_SMTPDOC SOURCE_DIR
set -u
smtpdoc=$1
src=$2
corpus="$src/../shared/corpus/sisimai"
if [ ! -d "$corpus" ] || ! command -v python3 >/dev/null 2>&1; then
	echo "corpus or python3 not found; skipped"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/b64" "$tmp/qp"

python3 - "$corpus" "$tmp" <<'PY'
import email, email.encoders, glob, os, sys
src, out = sys.argv[1], sys.argv[2]
for path in sorted(glob.glob(os.path.join(src, "*.eml"))):
    raw = open(path, "rb").read()
    if raw.startswith(b"From "):
        continue  # an mbox: python would keep only its first message
    for mode in ("b64", "qp"):
        msg = email.message_from_bytes(raw)
        changed = False
        for part in msg.walk():
            if part.is_multipart() or part.get_content_type() != "text/plain":
                continue
            cte = (part.get("Content-Transfer-Encoding") or "7bit").strip().lower()
            if cte not in ("7bit", "8bit"):
                continue
            body = part.get_payload(decode=True)
            if body is None:
                continue
            del part["Content-Transfer-Encoding"]
            part.set_payload(body)
            (email.encoders.encode_base64 if mode == "b64" else email.encoders.encode_quopri)(part)
            changed = True
        if changed:
            try:
                data = msg.as_bytes()
            except Exception:
                continue
            open(os.path.join(out, mode, os.path.basename(path)), "wb").write(data)
PY

run() { timeout 300 "$smtpdoc" explain --format jsonl "$1" 2>/dev/null; }
base=$(mktemp -p "$tmp")
run "$corpus" >"$base"
pass=0
fail=0
for mode in b64 qp; do
	run "$tmp/$mode" >"$tmp/$mode.jsonl"
	line=$(python3 - "$base" "$tmp/$mode.jsonl" "$corpus" <<'PY'
import collections, json, os, sys
def load(path, top=None):
    d = collections.defaultdict(list)
    for line in open(path, encoding="utf-8"):
        o = json.loads(line)
        if top is not None and os.path.dirname(o["file"]) != top:
            continue
        d[os.path.basename(o["file"])].append(
            (o["recipient"], o["reason"], o["deliverystatus"], o["replycode"]))
    return d
base = load(sys.argv[1], sys.argv[3].rstrip("/"))
new = load(sys.argv[2])
differ = [f for f in new if sorted(new[f]) != sorted(base.get(f, []))]
print(len(new), len(differ), " ".join(differ[:5]))
PY
)
	read -r total differ names <<<"$line"
	if [ "${total:-0}" -gt 0 ] && [ $((differ * 100)) -le "$total" ]; then
		echo "ok - $mode: $total re-encoded messages, $differ decode differently ${names:+($names)}"
		pass=$((pass + 1))
	else
		echo "FAIL - $mode: $total re-encoded messages, $differ decode differently: $names"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
