#!/usr/bin/env bash
# exim-start.sh - start a private Exim daemon on 127.0.0.1:PORT.
#
# Usage: bash exim-start.sh EXIM DIR PORT SINK_PORT GREET421_PORT SMALL_PORT
#                           CLOSED_PORT
#
# EXIM is the exim4 binary (see exim-path.sh). Writes DIR/exim.conf and runs
# "EXIM -C DIR/exim.conf -bd -q1s", with its spool, logs and pid file under
# DIR. The daemon listens on 127.0.0.1:PORT only, does no DNS or ident
# lookups and routes
#   remote.test, bounces.test -> 127.0.0.1:SINK_PORT (the scripted sink)
#   greet421.test             -> 127.0.0.1:GREET421_PORT (greets with 421)
#   small.test                -> 127.0.0.1:SMALL_PORT (SIZE limit 100000)
#   closed.test               -> 127.0.0.1:CLOSED_PORT (nothing listens)
#   ex.test                   -> local: only "full", a file over its quota,
#                                and "fwd", a forwarder (redirect router
#                                reading DIR/aliases) to the missing "gone"
# Any other address is unrouteable, so nothing leaves the loopback. The
# retry rules give up on a temporary failure after 6 seconds and bounce
# an over-quota local delivery at once. Exits 0 once
# the daemon accepts connections (at most 20 seconds), 1 otherwise.
set -euo pipefail

if (($# != 7)); then
	echo "usage: $0 EXIM DIR PORT SINK_PORT GREET421_PORT SMALL_PORT CLOSED_PORT" >&2
	exit 2
fi
exim=$1 dir=$2 port=$3 sink=$4 greet=$5 small=$6 closed=$7
mkdir -p "$dir/spool" "$dir/log" "$dir/mail"
chmod 0755 "$dir" "$dir/mail"
chown -R Debian-exim: "$dir/spool" "$dir/log"

# The "full" mailbox: already larger than the transport's quota.
head -c 20480 /dev/zero | tr '\0' 'x' >"$dir/mail/full.mbox"
chown -R Debian-exim: "$dir/mail"

# The forwarders, as an aliases(5) file read by the redirect router.
printf 'fwd: gone@ex.test\n' >"$dir/aliases"
chmod 0644 "$dir/aliases"

conf=$dir/exim.conf
cat >"$conf" <<EOF
# Private Exim instance for smtpdoc's real-MTA test (written by
# tests/mta/exim-start.sh).
exim_path = $exim
primary_hostname = mta-ex.smtpdoc.test
qualify_domain = ex.test
domainlist local_domains = ex.test
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
pid_file_path = $dir/exim.pid
local_interfaces = <; 127.0.0.1
daemon_smtp_ports = $port
disable_ipv6 = true
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
keep_environment =
acl_smtp_rcpt = acl_check_rcpt
message_size_limit = 1M
timeout_frozen_after = 1h
ignore_bounce_errors_after = 1h
split_spool_directory = false

begin acl

acl_check_rcpt:
  accept  hosts = 127.0.0.1
  deny    message = relay not permitted

begin routers

sink:
  driver = manualroute
  domains = remote.test : bounces.test
  transport = to_sink
  route_list = * 127.0.0.1
  self = send

greet421:
  driver = manualroute
  domains = greet421.test
  transport = to_greet421
  route_list = * 127.0.0.1
  self = send

small:
  driver = manualroute
  domains = small.test
  transport = to_small
  route_list = * 127.0.0.1
  self = send

closed:
  driver = manualroute
  domains = closed.test
  transport = to_closed
  route_list = * 127.0.0.1
  self = send

forwarders:
  driver = redirect
  domains = +local_domains
  data = \${lookup{\$local_part}lsearch{$dir/aliases}}

local_full:
  driver = accept
  domains = +local_domains
  local_parts = full
  transport = full_file

begin transports

to_sink:
  driver = smtp
  port = $sink
  allow_localhost
  hosts_try_fastopen =

to_greet421:
  driver = smtp
  port = $greet
  allow_localhost
  hosts_try_fastopen =

to_small:
  driver = smtp
  port = $small
  allow_localhost
  hosts_try_fastopen =

to_closed:
  driver = smtp
  port = $closed
  allow_localhost
  connect_timeout = 5s
  hosts_try_fastopen =

full_file:
  driver = appendfile
  file = $dir/mail/full.mbox
  user = Debian-exim
  quota = 10K

begin retry

# A full mailbox fails at once (the rule has no retry times); any other
# temporary failure is given up after 6 seconds.
*   quota
*   *   F,6s,1s

begin rewrite
EOF
chmod 0644 "$conf"

"$exim" -C "$conf" -bV >/dev/null
"$exim" -C "$conf" -bd -q1s

for _ in $(seq 1 40); do
	if [[ -s $dir/exim.pid ]] &&
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		exit 0
	fi
	sleep 0.5
done
echo "exim-start.sh: Exim did not start listening on 127.0.0.1:$port" >&2
cat "$dir/log/paniclog" "$dir/log/mainlog" 2>/dev/null | tail -n 5 >&2
exit 1
