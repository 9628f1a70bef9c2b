#!/usr/bin/env bash
# spf_suite.sh - the RFC 7208 conformance suite against the SPF module.
#
# Usage: bash tests/e2e/spf_suite.sh PATH_TO_SMTPDOC SOURCE_DIR
#
# The suite (rfc7208-tests.yml, with its licence beside it) is not part of
# the repository: it is read from ../shared/testsuites/spf/ relative to
# SOURCE_DIR, and the test is skipped (exit 77) when it is not there, or
# when python3 with the yaml module is missing. tests/e2e/spf_suite.py
# turns the YAML into a line format; build/live_spf_suite (built beside
# the smtpdoc command from tests/live/live_spf_suite.c) serves each
# scenario's zone from memory, runs every case and prints one line per
# case and "N of M cases pass". Exits 0 when every case passes, else 1.

set -u

if [ $# -ne 2 ]; then
	echo "usage: bash $0 PATH_TO_SMTPDOC SOURCE_DIR" >&2
	exit 2
fi
SRC=$2
DRIVER="$(dirname "$1")/live_spf_suite"
SUITE="$SRC/../shared/testsuites/spf/rfc7208-tests.yml"

if [ ! -f "$SUITE" ]; then
	echo "spf_suite.sh: $SUITE not found: skipped"
	exit 77
fi
if ! python3 -c 'import yaml' >/dev/null 2>&1; then
	echo "spf_suite.sh: python3 with the yaml module is needed: skipped"
	exit 77
fi
if [ ! -x "$DRIVER" ]; then
	echo "spf_suite.sh: $DRIVER: not built" >&2
	exit 2
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/smtpdoc-spf.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

if ! python3 "$SRC/tests/e2e/spf_suite.py" "$SUITE" >"$TMP/cases.txt"; then
	echo "spf_suite.sh: could not convert $SUITE" >&2
	exit 1
fi
"$DRIVER" "$TMP/cases.txt"
