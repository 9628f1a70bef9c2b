#!/usr/bin/env bash
# install.sh - "cmake --install" into a temporary prefix, then build the
# README's example program against the installed library with pkg-config
# and run it on a sample bounce; also checks the man page and the command.
# Usage: bash tests/e2e/install.sh PATH_TO_SMTPDOC SOURCE_DIR
set -u
smtpdoc=$1
src=$2
build=$(dirname "$smtpdoc")
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "FAIL - $1"; fail=$((fail + 1)); }

for tool in cmake cc pkg-config; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$tool not found; skipped"
		exit 77
	fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if timeout 120 cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1; then
	ok "cmake --install into a temporary prefix"
else
	bad "cmake --install failed: $(tail -n 3 "$tmp/install.log")"
	echo "$pass passed, $fail failed"
	exit 1
fi
[ -x "$tmp/prefix/bin/smtpdoc" ] && ok "bin/smtpdoc installed" || bad "bin/smtpdoc missing"
[ -f "$tmp/prefix/include/smtpdoc/smtpdoc.h" ] && ok "header installed" || bad "header missing"
[ -f "$tmp/prefix/share/man/man1/smtpdoc.1" ] && ok "man page installed" || bad "man page missing"
pc=$(find "$tmp/prefix" -name smtpdoc.pc | head -n 1)
if [ -n "$pc" ]; then ok "pkg-config file installed"; else bad "smtpdoc.pc missing"; fi

# The README's minimal program, reading a file.
cat >"$tmp/mytool.c" <<'C'
#include <stdio.h>
#include <smtpdoc/smtpdoc.h>

int
main(int argc, char **argv)
{
	static char buf[1 << 20];
	smtpdoc_report *rep = NULL;
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
	size_t n;

	if (f == NULL)
		return 2;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (smtpdoc_decode(buf, n, argv[1], &rep) != SMTPDOC_OK)
		return 2;
	for (size_t i = 0; i < rep->count; i++)
		printf("%s: %s (%s)\n", rep->results[i].recipient, rep->results[i].reason,
		       rep->results[i].cause);
	smtpdoc_report_free(rep);
	return 0;
}
C
pcdir=$(dirname "${pc:-/nonexistent/x}")
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs smtpdoc 2>"$tmp/pc.err")
# a sanitizer build's library needs the sanitizer runtime in the program
if grep -q '^SMTPDOC_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
	flags="$flags -fsanitize=address,undefined"
fi
if [ -n "$flags" ] && cc -o "$tmp/mytool" "$tmp/mytool.c" $flags 2>"$tmp/cc.err"; then
	ok "example program builds with pkg-config --cflags --libs smtpdoc"
	libdir=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=libdir smtpdoc)
	out=$(LD_LIBRARY_PATH=$libdir "$tmp/mytool" "$src/examples/550-no-such-user.eml" 2>&1)
	case $out in
	*": userunknown (mailbox.unknown)"*) ok "example program decodes a sample bounce" ;;
	*) bad "example program printed: $out" ;;
	esac
else
	bad "example program does not build: $(head -c 300 "$tmp/pc.err" "$tmp/cc.err")"
fi
if "$tmp/prefix/bin/smtpdoc" --version | grep -q '^smtpdoc '; then
	ok "installed smtpdoc --version"
else
	bad "installed smtpdoc --version"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
