#!/usr/bin/env bash
# exim-fetch.sh - put Debian 12's Exim beside Postfix, for the real-MTA test.
#
# Usage: bash exim-fetch.sh [DIR]     (run as root; DIR defaults to
#                                      /var/cache/smtpdoc/exim4)
#
# Debian's exim4 and postfix packages conflict (both provide
# mail-transport-agent), so Postfix is installed with apt and Exim is only
# unpacked: "apt-get download exim4-daemon-light exim4-base", then
# "dpkg-deb -x" of both into DIR. Nothing is configured or started; the test
# runs DIR/usr/sbin/exim4 with its own -C configuration. The libraries the
# binary needs are ordinary packages that scripts/install-deps installs.
# Also creates the Debian-exim user and group the binary was built for.
# Does nothing when DIR/usr/sbin/exim4 already runs. Exits non-zero on
# failure.
set -euo pipefail
dir=${1:-/var/cache/smtpdoc/exim4}

if ! getent passwd Debian-exim >/dev/null; then
	getent group Debian-exim >/dev/null || groupadd --system Debian-exim
	useradd --system --gid Debian-exim --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin Debian-exim
fi

if [[ -x $dir/usr/sbin/exim4 ]] && "$dir/usr/sbin/exim4" -C /dev/null -bV >/dev/null 2>&1; then
	echo "exim-fetch.sh: $dir/usr/sbin/exim4 is there"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt-get download drops privileges to _apt when it can.
chmod 0755 "$tmp"
getent passwd _apt >/dev/null && chown _apt "$tmp"
(cd "$tmp" && apt-get download exim4-daemon-light exim4-base)
rm -rf "$dir.new"
mkdir -p "$dir.new"
for deb in "$tmp"/*.deb; do
	dpkg-deb -x "$deb" "$dir.new"
done
rm -rf "$dir"
mv "$dir.new" "$dir"
"$dir/usr/sbin/exim4" -C /dev/null -bV 2>/dev/null | head -n 1
