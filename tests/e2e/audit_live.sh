#!/usr/bin/env bash
# audit_live.sh - `smtpdoc audit` and `smtpdoc route` on the fixture trees
# tests/data/audit/cpanel and tests/data/audit/postfix, with a private
# Knot DNS server (tests/dns/) serving the fixture domains.
#
# Usage: bash tests/e2e/audit_live.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# "This server" is mail.host.test, 127.0.0.10 (--hostname, --ip). Zones:
# the local domains' MX point at mail.host.test; moved.test and
# pfmoved.test point elsewhere (mx.elsewhere.test); remote.test and
# pfrelay.test, which the servers send on, point here; partner.test is a
# correct forward target elsewhere; gone.elsewhere.test does not exist.
# Checks each planted finding and the correct setups by check, subject
# and target, each route's verdict, reply and cause, the warnings for the
# bad input in the cPanel tree, and the exit codes. Exit 0 pass, 1 fail,
# 77 when knotd or python3 is missing.
set -u -o pipefail

if (($# != 2)); then
	echo "usage: $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SMTPDOC=$1
SRC=$2
command -v knotd >/dev/null 2>&1 || [[ -x /usr/sbin/knotd ]] || { echo "knotd not installed; skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 missing; skipped"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-audit.XXXXXX") || exit 2
cleanup() {
	bash "$SRC/tests/dns/dns-stop.sh" "$tmp/zones" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
bad() { FAILED=$((FAILED + 1)); echo "FAIL - $1"; }
expect() { # expect WHAT GOT WANT
	if [[ $2 == "$3" ]]; then ok "$1: $2"; else bad "$1: got '$2', want '$3'"; fi
}

# ---- zones --------------------------------------------------------------
mkdir -p "$tmp/zones"
echo 'mail A 127.0.0.10' >"$tmp/zones/host.test.zone"
printf 'mx A 192.0.2.50\n' >"$tmp/zones/elsewhere.test.zone"
for z in good.test both.test carol.test remote.test pfvirt.test pfvirt2.test pflocal.test pfalias.test pfrelay.test; do
	echo '@ MX 10 mail.host.test.' >"$tmp/zones/$z.zone"
done
for z in moved.test partner.test pfmoved.test; do
	echo '@ MX 10 mx.elsewhere.test.' >"$tmp/zones/$z.zone"
done
dport=$(python3 "$SRC/tests/dns/dnsprobe.py" free-port 54000 54499) || { echo "no free port"; exit 1; }
if ! bash "$SRC/tests/dns/dns-start.sh" "$tmp/zones" "$dport" >"$tmp/dns.log" 2>&1; then
	rc=$?
	cat "$tmp/dns.log"
	((rc == 77)) && exit 77
	bad "DNS server started"
	exit 1
fi
ok "DNS server started on port $dport"

ARGS=(--resolver "127.0.0.1:$dport" --hostname mail.host.test --ip 127.0.0.10 --timeout 3)
audit() { # audit NAME TREE -> $tmp/NAME.jsonl, .err, .rc
	timeout 120 "$SMTPDOC" audit --format jsonl --root "$SRC/tests/data/audit/$2" "${ARGS[@]}" \
		>"$tmp/$1.jsonl" 2>"$tmp/$1.err"
	echo $? >"$tmp/$1.rc"
}
# item NAME CHECK SUBJECT [TARGET] -> status[/cause] of that item, or "missing"
item() {
	python3 - "$tmp/$1.jsonl" "$2" "$3" "${4:-}" <<'PY'
import json, sys
path, check, subject, target = sys.argv[1:5]
for line in open(path):
    o = json.loads(line)
    if o["check"] != check or o["subject"] != subject:
        continue
    if target and target not in o["details"].get("target", []):
        continue
    print(o["status"] + ("/" + o["cause"] if o["cause"] else "")); break
else:
    print("missing")
PY
}
route() { # route TREE ADDRESS -> "verdict|reply|cause|domain_class"
	timeout 60 "$SMTPDOC" route --format json --root "$SRC/tests/data/audit/$1" "${ARGS[@]}" "$2" \
		2>/dev/null | python3 -c '
import json, sys
o = json.load(sys.stdin)
print("%s|%s|%s|%s" % (o["verdict"], o["reply"] or "", o["cause"] or "", o["domain_class"]))'
}

actions() { # actions TREE ADDRESS -> the steps' actions, "extension,mailbox"
	timeout 60 "$SMTPDOC" route --format json --root "$SRC/tests/data/audit/$1" "${ARGS[@]}" "$2" \
		2>/dev/null | python3 -c '
import json, sys
print(",".join(s["action"] for s in json.load(sys.stdin)["steps"]))'
}

# ---- cPanel ---------------------------------------------------------------
audit cp cpanel
expect "cpanel: exit status 1 (problems found)" "$(cat "$tmp/cp.rc")" 1
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/cp.jsonl" &&
	ok "cpanel: every line is a JSON object" || bad "cpanel: output is not JSON lines"
expect "cpanel: good.test routed here" "$(item cp domain.routing good.test)" pass
expect "cpanel: both.test local and remote" "$(item cp domain.routing both.test)" fail/config.routing-conflict
expect "cpanel: good.test MX is here" "$(item cp mx.local good.test)" pass
expect "cpanel: moved.test MX is elsewhere" "$(item cp mx.local moved.test)" fail/domain.mx-elsewhere
expect "cpanel: remote.test MX is here" "$(item cp mx.remote remote.test)" fail/config.mx-loop
expect "cpanel: forwarder to a mailbox" "$(item cp alias.target contact@good.test info@good.test)" pass
expect "cpanel: forwarder to a missing mailbox" "$(item cp alias.target team@good.test nobody@good.test)" \
	fail/mailbox.unknown
expect "cpanel: forwarder to a domain that does not resolve" \
	"$(item cp alias.target ext@good.test someone@gone.elsewhere.test)" fail/domain.unknown
expect "cpanel: forwarder to a working remote address" "$(item cp alias.target partner@good.test bob@partner.test)" pass
expect "cpanel: forwarders in a loop" "$(item cp alias.loop loop1@good.test)" fail/config.alias-loop
expect "cpanel: the loop reported once" "$(item cp alias.loop loop2@good.test)" missing
expect "cpanel: system alias to a user" "$(item cp alias.target postmaster root)" pass
expect "cpanel: system alias continuation line to nobody" "$(item cp alias.target abuse nosuchuser)" \
	fail/mailbox.unknown
expect "cpanel: :include: list read" "$(item cp alias.target staff alice)" pass
expect "cpanel: mailbox with its Maildir" "$(item cp mailbox.dir info@good.test)" pass
expect "cpanel: mailbox without its directory" "$(item cp mailbox.dir sales@good.test)" fail/config.mailbox-dir
expect "cpanel: directory without cur/new/tmp" "$(item cp mailbox.dir nodirs@good.test)" warn
expect "cpanel: directory in a symlink loop" "$(item cp mailbox.dir linkloop@good.test)" fail/config.mailbox-dir
expect "cpanel: the line after junk still read" "$(item cp alias.target fine@junk.test contact@good.test)" pass
grep -q 'junk.test:2: binary data' "$tmp/cp.err" && ok "cpanel: binary junk warned with file and line" ||
	bad "cpanel: warnings: $(cat "$tmp/cp.err")"
grep -q 'junk.test:3: line of [0-9]* bytes' "$tmp/cp.err" && ok "cpanel: huge line warned with file and line" ||
	bad "cpanel: no huge-line warning"
grep -q 'linkloop: cannot be looked at: a loop of symbolic links' "$tmp/cp.err" &&
	ok "cpanel: symlink loop warned" || bad "cpanel: no symlink-loop warning"

expect "route info@good.test" "$(route cpanel info@good.test)" "delivered|||local"
expect "route contact@good.test (forwarder)" "$(route cpanel contact@good.test)" "delivered|||local"
expect "route info@alias.test (domain alias)" "$(route cpanel info@alias.test)" "delivered|||domain-alias"
expect "route nobody@good.test (catch-all :fail:)" "$(route cpanel nobody@good.test)" \
	"failed|550 No Such User Here|mailbox.unknown|local"
expect "route team@good.test" "$(route cpanel team@good.test)" "failed|550 No Such User Here|mailbox.unknown|local"
expect "route loop1@good.test" "$(route cpanel loop1@good.test)" \
	"failed|550 <loop1@good.test>: aliasing/forwarding loop|config.alias-loop|local"
expect "route ext@good.test" "$(route cpanel ext@good.test)" \
	"failed|550 <someone@gone.elsewhere.test>: Unrouteable address|domain.unknown|local"
expect "route x@remote.test (MX here)" "$(route cpanel x@remote.test)" \
	"failed|550 <x@remote.test>: lowest numbered MX record points to local host|config.mx-loop|remote"
expect "route bob@partner.test" "$(route cpanel bob@partner.test)" "delivered|||remote"
expect "cpanel: forwarder to a plus address of a mailbox" \
	"$(item cp alias.target tagged@good.test info+list@good.test)" pass
expect "cpanel: forwarder to a plus address that ends at the catch-all :fail:" \
	"$(item cp alias.target badtag@good.test ghost+x@good.test)" fail/mailbox.unknown
expect "route info+news@good.test (plus addressing)" "$(route cpanel info+news@good.test)" "delivered|||local"
expect "route info+news@good.test steps" "$(actions cpanel info+news@good.test)" "extension,mailbox"
expect "route alice+x@good.test (the account's address)" "$(actions cpanel alice+x@good.test)" "extension,mailbox"
expect "route nobody+x@good.test" "$(route cpanel nobody+x@good.test)" \
	"failed|550 No Such User Here|mailbox.unknown|local"
# .forward files and /etc/localaliases
expect "cpanel: .forward to a mailbox" "$(item cp alias.target carol info@good.test)" pass
expect "cpanel: .forward to an address the catch-all refuses" "$(item cp alias.target carol nobody@good.test)" \
	fail/mailbox.unknown
expect "cpanel: /etc/localaliases to a user" "$(item cp alias.target webmaster carol)" pass
expect "cpanel: /etc/localaliases to nobody" "$(item cp alias.target hostmaster ghost2)" fail/mailbox.unknown
expect "route hostmaster@mail.host.test (localaliases)" "$(route cpanel hostmaster@mail.host.test)" \
	"failed|550 No Such User Here|mailbox.unknown|local"
expect "route carol@carol.test (the account's .forward)" "$(actions cpanel carol@carol.test)" \
	"forward,mailbox,mailbox,pipe,catch-all,fail,include,file"
expect "route carol@carol.test verdict" "$(route cpanel carol@carol.test)" \
	"partly failed|550 No Such User Here|mailbox.unknown|local"
grep -q '/home/carol/.forward:7: "bad entry here" is not an address' "$tmp/cp.err" &&
	ok "cpanel: a bad .forward entry warned with file and line" || bad "cpanel: no .forward entry warning"
grep -q '/home/carol/.forward:8: binary data' "$tmp/cp.err" &&
	ok "cpanel: binary junk in a .forward warned" || bad "cpanel: no .forward junk warning"
expect "route abuse (partly)" "$(route cpanel abuse)" "partly failed|550 No Such User Here|mailbox.unknown|none"

# ---- Postfix ---------------------------------------------------------------
audit pf postfix
expect "postfix: exit status 1" "$(cat "$tmp/pf.rc")" 1
expect "postfix: pflocal.test in two classes" "$(item pf domain.routing pflocal.test)" fail/config.routing-conflict
expect "postfix: pfvirt2.test read from the vdomains table" "$(item pf domain.routing pfvirt2.test)" pass
expect "postfix: pfvirt.test MX here" "$(item pf mx.local pfvirt.test)" pass
expect "postfix: pfmoved.test MX elsewhere" "$(item pf mx.local pfmoved.test)" fail/domain.mx-elsewhere
expect "postfix: pfrelay.test MX here" "$(item pf mx.remote pfrelay.test)" fail/config.mx-loop
expect "postfix: virtual alias to a mailbox" "$(item pf alias.target sales@pfvirt.test info@pfvirt.test)" pass
expect "postfix: virtual alias to a missing mailbox" "$(item pf alias.target typo@pfvirt.test nobody@pfvirt.test)" \
	fail/mailbox.unknown
expect "postfix: virtual alias to a dead domain" \
	"$(item pf alias.target fwd@pfvirt.test friend@gone.elsewhere.test)" fail/domain.unknown
expect "postfix: virtual aliases in a loop" "$(item pf alias.loop ping@pfvirt.test)" fail/config.alias-loop
expect "postfix: continuation line target" "$(item pf alias.target team@pfalias.test a@pfvirt2.test)" pass
expect "postfix: local alias to nobody" "$(item pf alias.target nobodyhere ghost)" fail/mailbox.unknown
expect "postfix: local alias chain" "$(item pf alias.target postmaster root)" pass
expect "postfix: mailbox with its Maildir" "$(item pf mailbox.dir info@pfvirt.test)" pass
expect "postfix: mailbox without its directory" "$(item pf mailbox.dir gone@pfvirt.test)" fail/config.mailbox-dir

expect "route info@pfvirt.test" "$(route postfix info@pfvirt.test)" "delivered|||virtual-mailbox"
expect "route nobody@pfvirt.test" "$(route postfix nobody@pfvirt.test)" \
	"failed|550 5.1.1 <nobody@pfvirt.test>: Recipient address rejected: User unknown in virtual mailbox table|mailbox.unknown|virtual-mailbox"
expect "route x@pfalias.test" "$(route postfix x@pfalias.test)" \
	"failed|550 5.1.1 <x@pfalias.test>: Recipient address rejected: User unknown in virtual alias table|mailbox.unknown|virtual-alias"
expect "route team@pfalias.test" "$(route postfix team@pfalias.test)" "delivered|||virtual-alias"
expect "route postmaster@mail.host.test" "$(route postfix postmaster@mail.host.test)" "delivered|||local"
expect "route ghost@mail.host.test" "$(route postfix ghost@mail.host.test)" \
	"failed|550 5.1.1 <ghost@mail.host.test>: Recipient address rejected: User unknown in local recipient table|mailbox.unknown|local"
expect "route ping@pfvirt.test" "$(route postfix ping@pfvirt.test)" \
	"failed|554 5.4.6 <ping@pfvirt.test>: mail forwarding loop|config.alias-loop|virtual-mailbox"
expect "route x@pfrelay.test" "$(route postfix x@pfrelay.test)" \
	"failed|554 5.4.6 <x@pfrelay.test>: mail for pfrelay.test loops back to myself|config.mx-loop|remote"

# regexp: and pcre: tables
expect "postfix: regexp virtual alias to a mailbox" \
	"$(item pf alias.target '/^hostmaster@pfvirt\.test$/' info@pfvirt.test)" pass
expect "postfix: regexp virtual alias to a missing mailbox" \
	"$(item pf alias.target '/^retired@pfvirt\.test$/' ghost3@pfvirt.test)" fail/mailbox.unknown
expect "postfix: regexp alias_maps rule to nobody" "$(item pf alias.target '/^bounces$/' nobody-at-all)" \
	fail/mailbox.unknown
expect "route sales-team@pfvirt.test (regexp with \$1, before the extension)" \
	"$(actions postfix sales-team@pfvirt.test)" "alias,alias,mailbox"
expect "route support-team@pfvirt.test" "$(route postfix support-team@pfvirt.test)" \
	"failed|550 5.1.1 <support@pfvirt.test>: Recipient address rejected: User unknown in virtual mailbox table|mailbox.unknown|virtual-mailbox"
expect "route help@pfalias.test (inside if ... endif)" "$(route postfix help@pfalias.test)" "delivered|||virtual-alias"
expect "route help@pfvirt.test (the if does not match)" "$(actions postfix help@pfvirt.test)" "unknown-user"
expect "route c@pfvirt2.test (pcre mailbox table)" "$(route postfix c@pfvirt2.test)" "delivered|||virtual-mailbox"
expect "route b@pfvirt2.test (pcre mailbox without its directory)" "$(route postfix b@pfvirt2.test)" \
	"failed|451 Temporary local problem - please try later|config.mailbox-dir|virtual-mailbox"
expect "route list-root@mail.host.test (regexp alias_maps)" "$(actions postfix list-root@mail.host.test)" \
	"alias,alias,mailbox"
grep -q 'virtual.regexp:8: bad pattern' "$tmp/pf.err" && ok "postfix: malformed regexp warned with file and line" ||
	bad "postfix: warnings: $(cat "$tmp/pf.err")"
grep -q 'vmailbox.pcre:2: PCRE syntax that POSIX regular expressions do not share' "$tmp/pf.err" &&
	ok "postfix: PCRE-only pattern warned" || bad "postfix: no PCRE warning"
grep -q 'proxy:mysql:/etc/postfix/mysql-virtual.cf cannot be read offline' "$tmp/pf.err" &&
	ok "postfix: proxy:mysql: still cannot be read offline" || bad "postfix: no mysql warning"
grep -q 'regexp:/etc/postfix/relay.regexp is a pattern table' "$tmp/pf.err" &&
	ok "postfix: pattern table in a domain list warned" || bad "postfix: no domain-list warning"

# .forward files: a loop through two of them, a dead domain
expect "postfix: .forward files in a loop" "$(item pf alias.loop dave)" fail/config.alias-loop
expect "postfix: .forward to a dead domain" "$(item pf alias.target erin friend@gone.elsewhere.test)" \
	fail/domain.unknown
expect "route dave@mail.host.test" "$(route postfix dave@mail.host.test)" \
	"failed|554 5.4.6 <dave>: mail forwarding loop|config.alias-loop|local"
expect "route dave@mail.host.test steps" "$(actions postfix dave@mail.host.test)" "forward,forward,loop,remote"

# address extensions (recipient_delimiter = +-)
expect "postfix: virtual alias to an address with an extension" \
	"$(item pf alias.target tagged@pfvirt.test info+tag@pfvirt.test)" pass
expect "postfix: virtual alias to a missing mailbox with an extension" \
	"$(item pf alias.target badtag@pfvirt.test nobody+tag@pfvirt.test)" fail/mailbox.unknown
expect "route info+news@pfvirt.test" "$(route postfix info+news@pfvirt.test)" "delivered|||virtual-mailbox"
expect "route info+news@pfvirt.test steps" "$(actions postfix info+news@pfvirt.test)" "extension,mailbox"
expect "route sales-x@pfvirt.test (extension propagated to the alias target)" \
	"$(actions postfix sales-x@pfvirt.test)" "extension,alias,extension,mailbox"
expect "route nobody+x@pfvirt.test" "$(route postfix nobody+x@pfvirt.test)" \
	"failed|550 5.1.1 <nobody+x@pfvirt.test>: Recipient address rejected: User unknown in virtual mailbox table|mailbox.unknown|virtual-mailbox"
expect "route root+x@mail.host.test (local alias without the extension)" \
	"$(actions postfix root+x@mail.host.test)" "extension,alias,mailbox"
expect "route owner-x@pfvirt.test (owner- is never split)" "$(actions postfix owner-x@pfvirt.test)" "unknown-user"

# ---- usage and text --------------------------------------------------------
timeout 10 "$SMTPDOC" audit --root "$tmp/nothing-here" >/dev/null 2>"$tmp/none.err"
expect "audit of a tree that does not exist: exit 2" "$?" 2
mkdir -p "$tmp/empty"
timeout 10 "$SMTPDOC" audit --root "$tmp/empty" --no-dns >/dev/null 2>"$tmp/empty.err"
expect "audit of a tree with no configuration: exit 2" "$?" 2
timeout 10 "$SMTPDOC" route --root "$SRC/tests/data/audit/cpanel" >/dev/null 2>&1
expect "route without an address: exit 2" "$?" 2
timeout 10 "$SMTPDOC" audit --ip 300.1.2.3 --root "$SRC/tests/data/audit/cpanel" >/dev/null 2>&1
expect "audit with a bad --ip: exit 2" "$?" 2
timeout 60 "$SMTPDOC" audit --root "$SRC/tests/data/audit/cpanel" "${ARGS[@]}" >"$tmp/text.out" 2>/dev/null
grep -q "Mail configuration under" "$tmp/text.out" && ok "text output has its heading" ||
	bad "text output: $(head -3 "$tmp/text.out")"
timeout 60 "$SMTPDOC" route --root "$SRC/tests/data/audit/cpanel" "${ARGS[@]}" info@good.test >/dev/null 2>&1
expect "route of a delivered address: exit 0" "$?" 0

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
