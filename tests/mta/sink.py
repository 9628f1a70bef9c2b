#!/usr/bin/env python3
# sink.py - a scripted SMTP server on 127.0.0.1 for the real-MTA test.
#
# Usage: python3 sink.py --store DIR --ports-file FILE [--max-seconds N]
#
# Listens on three ports of 127.0.0.1 chosen by the kernel and writes
# "MAIN GREET421 SMALL" to FILE once they listen. On MAIN it plays a
# receiving server whose answer depends on the recipient's local part (see
# REPLIES), and refuses at MAIL a sender whose local part ends in
# "-senderreject";
# mail for the domain bounces.test is accepted and stored, one file per
# recipient local part, as DIR/LOCALPART.eml (written to a temporary name,
# then renamed, so a file that exists is complete). On GREET421 every
# connection is greeted with a 421 and closed. SMALL is like MAIN but
# announces "SIZE 100000" and refuses a larger MAIL FROM SIZE= at MAIL.
# Standard library only.
#
# Bounded: it exits by itself after --max-seconds (default 300), serves at
# most 2000 connections, reads at most 200 commands and 4 MiB of data per
# connection, and drops a client idle for 30 seconds.
import argparse
import os
import re
import socket
import socketserver
import sys
import threading
import time

CAPTURE_DOMAIN = "bounces.test"
MAX_CONNECTIONS = 2000
MAX_COMMANDS = 200
MAX_DATA = 4 * 1024 * 1024
IDLE = 30

# Local part -> (stage, reply). Stage "RCPT": the reply to RCPT TO;
# "DATA": the reply after the message's final dot; "BIG": as DATA, but only
# for a message larger than 100 kB. Each reply is what real servers say in
# that situation (Postfix's and common providers' wordings).
REPLIES = {
    "unknown": ("RCPT", "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"),
    "full": ("DATA", "552 5.2.2 <{rcpt}>: Mailbox full: user is over quota"),
    "disabled": ("RCPT", "550 5.2.1 <{rcpt}>: Recipient address rejected: mailbox disabled, not accepting messages"),
    "blocked": ("RCPT", "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org"),
    "spam": ("DATA", "550 5.7.1 Message rejected as spam by content filter"),
    "relay": ("RCPT", "554 5.7.1 <{rcpt}>: Relay access denied"),
    "toobig": ("BIG", "552 5.3.4 Message size exceeds fixed maximum message size"),
    "tempfail": ("RCPT", "451 4.3.0 <{rcpt}>: Temporary lookup failure, please try again later"),
    "moved": ("RCPT", "551 5.1.6 <{rcpt}>: User has moved; please try <new-address@elsewhere.test>"),
}
SENDER_REJECT = "553 5.1.8 <{sender}>: Sender address rejected: Domain not found"
SMALL_LIMIT = 100000
SMALL_REJECT = "552 5.3.4 Message size exceeds fixed limit"

STOP = threading.Event()
COUNT_LOCK = threading.Lock()
CONNECTIONS = 0


def log(msg):
    sys.stderr.write("sink: %s\n" % msg)
    sys.stderr.flush()


def address(arg):
    """The address inside <...> of a MAIL/RCPT argument, or ''."""
    m = re.search(r"<([^>]*)>", arg)
    return m.group(1) if m else ""


def store(directory, rcpt, data):
    """Save one captured message as DIR/LOCALPART.eml, atomically."""
    local = rcpt.split("@", 1)[0].lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", local):
        local = "unnamed"
    path = os.path.join(directory, local + ".eml")
    n = 1
    while os.path.exists(path) and n < 100:
        path = os.path.join(directory, "%s.%d.eml" % (local, n))
        n += 1
    tmp = os.path.join(directory, ".tmp.%d.%s" % (os.getpid(), local))
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)
    log("stored %s" % path)


class Handler(socketserver.StreamRequestHandler):
    timeout = IDLE

    def reply(self, line):
        self.wfile.write(line.encode("utf-8", "replace") + b"\r\n")
        self.wfile.flush()

    def readline(self):
        line = self.rfile.readline(4096)
        if not line:
            raise EOFError
        return line

    def handle(self):
        global CONNECTIONS
        with COUNT_LOCK:
            CONNECTIONS += 1
            if CONNECTIONS > MAX_CONNECTIONS:
                STOP.set()
        try:
            if self.server.mode == "greet421":
                self.reply("421 4.3.2 mx.remote.test Service not available, closing transmission channel")
                return
            self.session()
        except (EOFError, OSError, socket.timeout):
            pass

    def session(self):
        self.reply("220 mx.remote.test ESMTP smtpdoc test sink")
        sender, rcpts = None, []
        for _ in range(MAX_COMMANDS):
            line = self.readline().decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            arg = line[5:] if len(line) > 4 else ""
            if verb == "EHLO":
                size = SMALL_LIMIT if self.server.mode == "small" else 10240000
                self.wfile.write(b"250-mx.remote.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE %d\r\n" % size)
                self.wfile.flush()
            elif verb == "HELO":
                self.reply("250 mx.remote.test")
            elif verb == "MAIL":
                sender, rcpts = address(arg), []
                m = re.search(r"\bSIZE=(\d+)", arg, re.I)
                if sender.split("@", 1)[0].lower().endswith("-senderreject"):
                    self.reply(SENDER_REJECT.format(sender=sender))
                    sender = None
                elif self.server.mode == "small" and m and int(m.group(1)) > SMALL_LIMIT:
                    self.reply(SMALL_REJECT)
                    sender = None
                else:
                    self.reply("250 2.1.0 Ok")
            elif verb == "RCPT":
                if sender is None:
                    self.reply("503 5.5.1 Error: need MAIL command")
                    continue
                rcpt = address(arg)
                local, _, domain = rcpt.lower().partition("@")
                stage, text = REPLIES.get(local, ("", ""))
                if domain != CAPTURE_DOMAIN and stage == "RCPT":
                    self.reply(text.format(rcpt=rcpt))
                else:
                    rcpts.append(rcpt)
                    self.reply("250 2.1.5 Ok")
            elif verb == "DATA":
                if not rcpts:
                    self.reply("554 5.5.1 Error: no valid recipients")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self.read_data()
                self.end_of_data(rcpts, data)
                sender, rcpts = None, []
            elif verb == "RSET":
                sender, rcpts = None, []
                self.reply("250 2.0.0 Ok")
            elif verb == "NOOP":
                self.reply("250 2.0.0 Ok")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Error: command not recognized")

    def read_data(self):
        chunks, size = [], 0
        while size <= MAX_DATA:
            line = self.readline()
            if line in (b".\r\n", b".\n"):
                break
            if line.startswith(b"."):
                line = line[1:]
            chunks.append(line)
            size += len(line)
        else:
            raise EOFError
        return b"".join(chunks)

    def end_of_data(self, rcpts, data):
        for rcpt in rcpts:
            local, _, domain = rcpt.lower().partition("@")
            if domain == CAPTURE_DOMAIN:
                continue
            stage, text = REPLIES.get(local, ("", ""))
            if stage == "DATA" or (stage == "BIG" and len(data) > 100000):
                self.reply(text.format(rcpt=rcpt))
                return
        for rcpt in rcpts:
            if rcpt.lower().endswith("@" + CAPTURE_DOMAIN):
                store(self.server.store, rcpt, data)
        self.reply("250 2.0.0 Ok: queued")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", required=True)
    ap.add_argument("--ports-file", required=True)
    ap.add_argument("--max-seconds", type=float, default=300)
    args = ap.parse_args()

    servers = []
    for mode in ("main", "greet421", "small"):
        srv = Server(("127.0.0.1", 0), Handler)
        srv.mode = mode
        srv.store = args.store
        servers.append(srv)
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    ports = " ".join(str(s.server_address[1]) for s in servers)
    tmp = args.ports_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(ports + "\n")
    os.rename(tmp, args.ports_file)
    log("listening on 127.0.0.1 ports %s" % ports)

    deadline = time.monotonic() + args.max_seconds
    while not STOP.is_set() and time.monotonic() < deadline:
        STOP.wait(0.5)
    for srv in servers:
        srv.shutdown()
        srv.server_close()
    log("stopped")


if __name__ == "__main__":
    main()
