#!/usr/bin/env bash
# postfix-start.sh - start a private Postfix instance on 127.0.0.1:PORT.
#
# Usage: bash postfix-start.sh DIR PORT SINK_PORT GREET421_PORT SMALL_PORT CLOSED_PORT
#
# Writes main.cf, master.cf, transport and aliases under DIR/etc, with the
# queue in DIR/queue, and starts it with "postfix -c DIR/etc start". The
# instance listens on 127.0.0.1:PORT only, does no DNS lookups and routes
#   remote.test, bounces.test -> 127.0.0.1:SINK_PORT (the scripted sink)
#   greet421.test             -> 127.0.0.1:GREET421_PORT (greets with 421)
#   small.test                -> 127.0.0.1:SMALL_PORT (SIZE limit 100000)
#   closed.test               -> 127.0.0.1:CLOSED_PORT (nothing listens)
#   pf.test                   -> local(8): no users but "full", an alias
#                                to a file that is already at its size limit,
#                                and "fwd", a forwarder to the missing "gone"
# and any other domain to error(8), so nothing leaves the loopback. Retries
# are seconds apart and a message expires after 8 seconds, so a temporary
# failure turns into a bounce quickly. Exits 0 once the master runs and
# 127.0.0.1:PORT accepts connections (at most 20 seconds), 1 otherwise.
set -euo pipefail

if (($# != 6)); then
	echo "usage: $0 DIR PORT SINK_PORT GREET421_PORT SMALL_PORT CLOSED_PORT" >&2
	exit 2
fi
dir=$1 port=$2 sink=$3 greet=$4 small=$5 closed=$6
mkdir -p "$dir/etc" "$dir/queue" "$dir/data" "$dir/spool"
chmod 0755 "$dir" "$dir/etc" "$dir/spool"
chown postfix "$dir/data"

# The "full" mailbox: a file that already has mailbox_size_limit bytes, so
# appending to it fails with EFBIG ("File too large"). local(8) writes
# alias file deliveries with default_privs (nobody).
limit=1048576
head -c "$limit" /dev/zero | tr '\0' 'x' >"$dir/spool/full.mbox"
chown nobody "$dir/spool/full.mbox"

cat >"$dir/etc/main.cf" <<EOF
# Private Postfix instance for smtpdoc's real-MTA test (written by
# tests/mta/postfix-start.sh).
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_spool_directory = $dir/spool
maillog_file_prefixes = $dir
maillog_file = $dir/maillog
myhostname = mta-pf.smtpdoc.test
mydomain = smtpdoc.test
myorigin = pf.test
mydestination = pf.test, localhost
inet_interfaces = loopback-only
inet_protocols = ipv4
smtp_bind_address = 127.0.0.1
mynetworks = 127.0.0.0/8
relayhost =
relay_domains =
disable_dns_lookups = yes
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
smtpd_peername_lookup = no
smtp_host_lookup = native
transport_maps = texthash:$dir/etc/transport
default_transport = error:5.4.4 smtpdoc test harness: no route outside the loopback
relay_transport = \$default_transport
alias_maps = texthash:$dir/etc/aliases
alias_database =
local_recipient_maps =
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions =
notify_classes =
2bounce_notice_recipient = postmaster@bounces.test
bounce_notice_recipient = postmaster@bounces.test
delay_notice_recipient = postmaster@bounces.test
error_notice_recipient = postmaster@bounces.test
message_size_limit = $limit
mailbox_size_limit = $limit
maximal_queue_lifetime = 8s
bounce_queue_lifetime = 8s
minimal_backoff_time = 2s
maximal_backoff_time = 3s
queue_run_delay = 2s
delay_warning_time = 0
smtp_connect_timeout = 5s
smtpd_banner = \$myhostname ESMTP
biff = no
smtputf8_enable = no
EOF

cat >"$dir/etc/master.cf" <<EOF
# Private Postfix instance for smtpdoc's real-MTA test: no chroot, one
# SMTP listener on 127.0.0.1:$port.
127.0.0.1:$port inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF

cat >"$dir/etc/transport" <<EOF
remote.test	smtp:[127.0.0.1]:$sink
bounces.test	smtp:[127.0.0.1]:$sink
greet421.test	smtp:[127.0.0.1]:$greet
small.test	smtp:[127.0.0.1]:$small
closed.test	smtp:[127.0.0.1]:$closed
pf.test	local:
localhost	local:
EOF

cat >"$dir/etc/aliases" <<EOF
postmaster	postmaster@bounces.test
root	postmaster@bounces.test
mailer-daemon	postmaster@bounces.test
full	$dir/spool/full.mbox
fwd	gone@pf.test
EOF

postfix -c "$dir/etc" start

# Wait for the master and the SMTP listener (20 seconds at most).
for _ in $(seq 1 40); do
	if [[ -s $dir/queue/pid/master.pid ]] &&
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		exit 0
	fi
	sleep 0.5
done
echo "postfix-start.sh: Postfix did not start listening on 127.0.0.1:$port" >&2
exit 1
