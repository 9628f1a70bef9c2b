#!/usr/bin/env bash
# exim-path.sh - print the path of the exim4 binary the real-MTA test uses.
#
# Usage: bash exim-path.sh
#
# The first of: $SMTPDOC_EXIM; the copy exim-fetch.sh unpacks,
# /var/cache/smtpdoc/exim4/usr/sbin/exim4; an installed /usr/sbin/exim4.
# Prints it and exits 0 when it runs ("-bV"), exits 1 when none does.
set -u
for exim in ${SMTPDOC_EXIM:+"$SMTPDOC_EXIM"} /var/cache/smtpdoc/exim4/usr/sbin/exim4 /usr/sbin/exim4; do
	if [[ -x $exim ]] && "$exim" -C /dev/null -bV >/dev/null 2>&1; then
		echo "$exim"
		exit 0
	fi
done
exit 1
