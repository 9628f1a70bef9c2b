#!/usr/bin/env bash
# probe-exim-start.sh - start a private Exim daemon on 127.0.0.1 for the
# SMTP probe test (tests/e2e/smtp_probe.sh).
#
# Usage: bash probe-exim-start.sh EXIM DIR PORT TLSPORT CERT KEY
#
# EXIM is the exim4 binary (exim-path.sh). Writes DIR/exim.conf and runs
# "EXIM -C DIR/exim.conf -bd", with spool, logs (DIR/log/mainlog, every
# SMTP connection logged) and pid file under DIR; a separate instance from
# the bounce test's (exim-start.sh). It listens on 127.0.0.1:PORT (SMTP,
# STARTTLS with CERT and KEY) and 127.0.0.1:TLSPORT (TLS from the first
# byte, as on port 465), queues nothing (there is no queue runner; the
# probe never sends DATA) and answers RCPT TO from its ACL:
#   alice@, bob@probe.test   250 Accepted
#   other@probe.test         550 Unrouteable address (verify = recipient)
#   disabled@probe.test      a two-line 550 5.2.1
#   grey@probe.test          451 4.7.1 Greylisted
#   secret@probe.test        530 5.7.0 Authentication required (without AUTH)
#   *@catchall.test          250 (a catch-all router)
#   any other domain         550 5.7.1 relay not permitted
# EHLO announces SIZE 5242880, AUTH PLAIN (and LOGIN once TLS is on) and
# STARTTLS. Stop it with exim-stop.sh DIR. Exits 0 once the daemon accepts
# connections (20 seconds at most), 1 otherwise.
set -euo pipefail

if (($# != 6)); then
	echo "usage: $0 EXIM DIR PORT TLSPORT CERT KEY" >&2
	exit 2
fi
exim=$1 dir=$2 port=$3 tlsport=$4 cert=$5 key=$6
mkdir -p "$dir/spool" "$dir/log"
chmod 0755 "$dir"
chown -R Debian-exim: "$dir/spool" "$dir/log"

conf=$dir/exim.conf
cat >"$conf" <<CONF
# Private Exim instance for smtpdoc's SMTP probe test (written by
# tests/mta/probe-exim-start.sh).
exim_path = $exim
primary_hostname = mx-ex.probe.test
qualify_domain = probe.test
domainlist local_domains = probe.test : catchall.test
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
log_selector = +smtp_connection
pid_file_path = $dir/exim.pid
local_interfaces = <; 127.0.0.1
daemon_smtp_ports = $port : $tlsport
tls_on_connect_ports = $tlsport
disable_ipv6 = true
host_lookup =
rfc1413_hosts =
keep_environment =
tls_advertise_hosts = *
tls_certificate = $cert
tls_privatekey = $key
auth_advertise_hosts = *
message_size_limit = 5M
acl_smtp_rcpt = acl_check_rcpt
split_spool_directory = false

begin acl

acl_check_rcpt:
  deny    message = 550 5.7.1 relay not permitted
          !domains = +local_domains
  deny    message = 530 5.7.0 Authentication required
          local_parts = secret
          !authenticated = *
  defer   message = 451 4.7.1 Greylisted, please try again later
          local_parts = grey
  deny    message = 550 5.2.1 Mailbox disabled\nIt was closed by its owner
          local_parts = disabled
  require verify = recipient
  accept

begin routers

users:
  driver = redirect
  domains = probe.test
  local_parts = alice : bob : secret : grey : disabled
  data = :blackhole:

catchall:
  driver = redirect
  domains = catchall.test
  data = :blackhole:

begin transports

begin authenticators

plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if and {{eq{\$auth2}{probe}}{eq{\$auth3}{secret}}}}
  server_set_id = \$auth2

login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = \${if and {{eq{\$auth1}{probe}}{eq{\$auth2}{secret}}}}
  server_set_id = \$auth1
  server_advertise_condition = \${if def:tls_in_cipher}
CONF
chmod 0644 "$conf"

"$exim" -C "$conf" -bV >/dev/null
"$exim" -C "$conf" -bd

for _ in $(seq 1 40); do
	if [[ -s $dir/exim.pid ]] &&
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		exit 0
	fi
	sleep 0.5
done
echo "probe-exim-start.sh: Exim did not start listening on 127.0.0.1:$port" >&2
cat "$dir/log/paniclog" "$dir/log/mainlog" 2>/dev/null | tail -n 5 >&2
exit 1
