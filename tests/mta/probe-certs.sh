#!/usr/bin/env bash
# probe-certs.sh - make the TLS certificates of the SMTP probe test.
#
# Usage: bash probe-certs.sh DIR
#
# With the openssl command, in DIR (P-256 keys, valid for 2 days):
#   pf.crt, pf.key   self-signed, for mx-pf.probe.test (Postfix)
#   ca.crt, ca.key   a test certificate authority
#   ex.crt, ex.key   for mx-ex.probe.test, signed by ca.crt (Exim)
# Keys are readable by all (the MTAs' unprivileged users read them; they
# protect nothing). Exits non-zero on failure.
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

openssl req -x509 "${ec[@]}" -keyout pf.key -out pf.crt -days 2 \
	-subj /CN=mx-pf.probe.test -addext subjectAltName=DNS:mx-pf.probe.test 2>/dev/null
openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.crt -days 2 \
	-subj "/CN=smtpdoc probe test CA" \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -new "${ec[@]}" -keyout ex.key -out ex.csr -subj /CN=mx-ex.probe.test 2>/dev/null
printf 'subjectAltName=DNS:mx-ex.probe.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ex.ext
openssl x509 -req -in ex.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out ex.crt -days 2 \
	-extfile ex.ext 2>/dev/null
chmod 0644 ./*.key ./*.crt
