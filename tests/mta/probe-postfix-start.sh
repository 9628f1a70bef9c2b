#!/usr/bin/env bash
# probe-postfix-start.sh - start a private Postfix on 127.0.0.1:PORT for
# the SMTP probe test (tests/e2e/smtp_probe.sh).
#
# Usage: bash probe-postfix-start.sh DIR PORT CERT KEY [PSPORT]
#
# Writes main.cf, master.cf and its maps under DIR/etc, the queue in
# DIR/queue, the log in DIR/maillog, and runs "postfix -c DIR/etc start".
# A separate instance from the bounce test's (postfix-start.sh): its own
# directory and port. It listens on 127.0.0.1:PORT only, does no DNS
# lookups, delivers nothing (every transport is error(8), and the probe
# never sends DATA) and answers RCPT TO as a real MX would:
#   alice@, bob@probe.test   250 (virtual mailboxes)
#   other@probe.test         550 5.1.1 User unknown in virtual mailbox table
#   disabled@probe.test      550 5.2.1 mailbox disabled  (access map)
#   grey@probe.test          450 4.2.0 greylisted        (access map)
#   grey2@probe.test         451 4.7.1 please try again later
#   *@catchall.test          250 (a catch-all virtual alias)
#   any other domain         554 5.7.1 Relay access denied (no client is
#                            in mynetworks)
# With PSPORT, postscreen(8) also listens on 127.0.0.1:PSPORT with the
# loopback on its deny list (postscreen_access_list) and the enforce
# action: it talks to the client itself and refuses every RCPT TO with
# "550 5.3.2 Service currently unavailable", logged as postscreen's own
# "NOQUEUE: reject:" line.
# EHLO announces SIZE 10240000 (message_size_limit) and STARTTLS with CERT
# and KEY. Error delays and limits are off so a long RCPT list runs
# quickly. Stop it with postfix-stop.sh DIR. Exits 0 once the master runs
# and 127.0.0.1:PORT accepts connections (20 seconds at most), 1 otherwise.
set -euo pipefail

if (($# != 4 && $# != 5)); then
	echo "usage: $0 DIR PORT CERT KEY [PSPORT]" >&2
	exit 2
fi
dir=$1 port=$2 cert=$3 key=$4 psport=${5:-}
mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
chmod 0755 "$dir" "$dir/etc"
chown postfix "$dir/data"

cat >"$dir/etc/main.cf" <<CONF
# Private Postfix instance for smtpdoc's SMTP probe test (written by
# tests/mta/probe-postfix-start.sh).
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
maillog_file_prefixes = $dir
maillog_file = $dir/maillog
myhostname = mx-pf.probe.test
mydomain = probe.test
myorigin = probe.test
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
# TEST-NET-1: no client on the loopback may relay
mynetworks = 192.0.2.1/32
relay_domains =
disable_dns_lookups = yes
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
virtual_mailbox_domains = probe.test
virtual_mailbox_maps = texthash:$dir/etc/vmailbox
virtual_alias_domains = catchall.test
virtual_alias_maps = texthash:$dir/etc/valias
# accepted at RCPT; nothing reaches it, the probe never sends DATA
virtual_transport = discard:
default_transport = error:5.4.4 the probe test delivers nothing
relay_transport = \$default_transport
alias_maps =
alias_database =
local_recipient_maps =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access texthash:$dir/etc/rcpt_access
message_size_limit = 10240000
smtpd_tls_security_level = may
smtpd_tls_cert_file = $cert
smtpd_tls_key_file = $key
smtpd_tls_loglevel = 1
smtpd_banner = \$myhostname ESMTP
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 1000
smtpd_hard_error_limit = 1000
smtpd_client_connection_rate_limit = 0
smtputf8_enable = yes
notify_classes =
biff = no
CONF

if [[ -n $psport ]]; then
	printf '127.0.0.1/32 reject\n' >"$dir/etc/postscreen_access"
	cat >>"$dir/etc/main.cf" <<CONF
postscreen_access_list = cidr:$dir/etc/postscreen_access
postscreen_denylist_action = enforce
postscreen_greet_action = ignore
CONF
fi

cat >"$dir/etc/master.cf" <<CONF
# Private Postfix instance for smtpdoc's SMTP probe test: no chroot, one
# SMTP listener on 127.0.0.1:$port.
127.0.0.1:$port inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
if [[ -n $psport ]]; then
	cat >>"$dir/etc/master.cf" <<CONF
127.0.0.1:$psport inet n - n - 1 postscreen
smtpd     pass  -       -       n       -       -       smtpd
CONF
fi

cat >"$dir/etc/vmailbox" <<CONF
alice@probe.test	probe.test/alice/
bob@probe.test	probe.test/bob/
disabled@probe.test	probe.test/disabled/
grey@probe.test	probe.test/grey/
grey2@probe.test	probe.test/grey2/
CONF
cat >"$dir/etc/valias" <<CONF
@catchall.test	alice@probe.test
CONF
cat >"$dir/etc/rcpt_access" <<CONF
disabled@probe.test	550 5.2.1 mailbox disabled
grey@probe.test	450 4.2.0 greylisted, try again later
grey2@probe.test	451 4.7.1 please try again later
CONF

postfix -c "$dir/etc" start

for _ in $(seq 1 40); do
	if [[ -s $dir/queue/pid/master.pid ]] &&
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		exit 0
	fi
	sleep 0.5
done
echo "probe-postfix-start.sh: Postfix did not start listening on 127.0.0.1:$port" >&2
exit 1
