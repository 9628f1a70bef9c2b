#!/usr/bin/env python3
# badsmtp.py - SMTP servers on 127.0.0.1 that misbehave on purpose, for the
# probe test (tests/e2e/smtp_probe.sh).
#
# Usage: python3 badsmtp.py --ports-file FILE --log FILE [--max-seconds N]
#
# Listens on one port of 127.0.0.1 per mode (ports chosen by the kernel),
# plus "good6" on [::1] when the host has IPv6 loopback, and writes
# "MODE PORT" lines to FILE once all listen. Every command received is
# written to the log as "MODE CONNECTION-NUMBER > COMMAND" and every
# connection as "MODE CONNECTION-NUMBER connect", so a test can count
# connections and see that no DATA came. Modes:
#
#   good               a well-behaved server: EHLO with PIPELINING, SIZE,
#                      8BITMIME; RCPT by local part: unknown* 550 5.1.1,
#                      grey* 451 4.7.1, multi* a 3-line 550, else 250
#   slow-banner        says nothing for 60 s (or until the client goes)
#   drop-after-banner  banner, then closes
#   drop-in-rcpt       like good, but closes when the first RCPT comes
#   garbage            answers the connection with an HTTP error page
#   garbage-ehlo       banner, then binary bytes as the reply to EHLO
#   longline           banner, then a 1 MiB reply line to EHLO
#   multiline-stall    banner, two "250-" lines to EHLO, then silence
#   multiline-flood    banner, "250-" lines to EHLO without end (100000 at
#                      most, or until the client goes)
#   banner421          greets with 421 and closes
#   banner554          greets with 554, then answers 503 to all but QUIT
#   tls-broken         offers STARTTLS, says 220 to it, then sends bytes
#                      that are not TLS and closes; like good otherwise
#   starttls-454       offers STARTTLS and refuses it with 454
#   ehlo-502           refuses EHLO with 502 (HELO works)
#   rcpt-421           like good, but the second RCPT gets a 421 and the
#                      connection is closed
#   mail-550           refuses every MAIL FROM with 550 5.7.1
#   blackhole          listens with a full accept queue: a connect gets no
#                      answer (like a port a firewall drops)
#   closed             a port where nothing listens (connect is refused)
#
# Bounded: exits by itself after --max-seconds (default 120), serves at most
# 500 connections, reads at most 1000 commands per connection and drops a
# client idle for 30 s. Standard library only.
import argparse
import socket
import socketserver
import sys
import threading
import time

MAX_CONNECTIONS = 500
MAX_COMMANDS = 1000
IDLE = 30

STOP = threading.Event()
LOCK = threading.Lock()
COUNT = {"all": 0}
LOG = None


def log(line):
    with LOCK:
        LOG.write(line + "\n")
        LOG.flush()


class Handler(socketserver.StreamRequestHandler):
    timeout = IDLE

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.wfile.write(data)
        self.wfile.flush()

    def reply(self, line):
        self.send(line + "\r\n")

    def handle(self):
        mode = self.server.mode
        with LOCK:
            COUNT["all"] += 1
            COUNT[mode] = COUNT.get(mode, 0) + 1
            self.n = COUNT[mode]
            if COUNT["all"] > MAX_CONNECTIONS:
                STOP.set()
                return
        log("%s %d connect" % (mode, self.n))
        try:
            getattr(self, "mode_" + mode.replace("-", "_").replace("good6", "good"))()
        except (EOFError, OSError, socket.timeout):
            pass

    def commands(self):
        """Yield (verb, line) for each command, logged."""
        for _ in range(MAX_COMMANDS):
            raw = self.rfile.readline(4096)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            log("%s %d > %s" % (self.server.mode, self.n, line))
            yield line[:4].upper(), line

    def ehlo_lines(self, starttls=False):
        lines = ["mx.bad.test", "PIPELINING", "SIZE 1000000", "8BITMIME"]
        if starttls:
            lines.append("STARTTLS")
        return lines

    def multi(self, code, lines):
        for i, text in enumerate(lines):
            self.reply("%d%s%s" % (code, " " if i == len(lines) - 1 else "-", text))

    def dialogue(self, starttls=False, on_rcpt=None, on_starttls=None, on_ehlo=None, on_mail=None):
        """A normal SMTP dialogue. A hook may answer instead: it returns
        False (not handled: the normal answer), True (answered) or "end"
        (answered; close the connection)."""
        rcpts = 0
        for verb, line in self.commands():
            handled = False
            if verb == "EHLO":
                handled = on_ehlo(line) if on_ehlo else False
                if not handled:
                    self.multi(250, self.ehlo_lines(starttls))
            elif verb == "HELO":
                self.reply("250 mx.bad.test")
            elif verb == "STAR":
                handled = on_starttls() if on_starttls else False
                if not handled:
                    self.reply("502 5.5.1 no STARTTLS here")
            elif verb == "MAIL":
                handled = on_mail(line) if on_mail else False
                if not handled:
                    self.reply("250 2.1.0 Ok")
            elif verb == "RCPT":
                rcpts += 1
                handled = on_rcpt(line, rcpts) if on_rcpt else False
                if not handled:
                    self.rcpt(line)
            elif verb == "RSET" or verb == "NOOP":
                self.reply("250 2.0.0 Ok")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            elif verb == "DATA":
                self.reply("554 5.5.1 this test server takes no DATA")
            else:
                self.reply("502 5.5.2 Error: command not recognized")
            if handled == "end":
                return

    def rcpt(self, line):
        addr = line.split(":", 1)[-1].strip().strip("<>")
        local = addr.split("@", 1)[0].lower()
        if local.startswith("unknown"):
            self.reply("550 5.1.1 <%s>: Recipient address rejected: User unknown" % addr)
        elif local.startswith("grey"):
            self.reply("451 4.7.1 <%s>: Recipient address rejected: Greylisted, try again later" % addr)
        elif local.startswith("multi"):
            self.multi(550, ["5.2.1 <%s>: mailbox disabled" % addr, "5.2.1 it was closed in 2020",
                             "5.2.1 see https://bad.test/help"])
        else:
            self.reply("250 2.1.5 Ok")

    def banner(self):
        self.reply("220 mx.bad.test ESMTP badsmtp")

    # ---- the modes ----------------------------------------------------------

    def mode_good(self):
        self.banner()
        self.dialogue()

    def mode_slow_banner(self):
        self.request.settimeout(1)
        for _ in range(60):
            if STOP.is_set():
                return
            try:
                if not self.request.recv(1024):
                    return  # the client gave up
            except socket.timeout:
                pass
        self.banner()

    def mode_drop_after_banner(self):
        self.banner()

    def mode_drop_in_rcpt(self):
        self.banner()
        self.dialogue(on_rcpt=lambda line, n: "end")

    def mode_garbage(self):
        self.send("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<html>no</html>\r\n")

    def mode_garbage_ehlo(self):
        self.banner()
        for verb, line in self.commands():
            self.send(bytes(range(0, 256)) * 4)
            return

    def mode_longline(self):
        self.banner()
        for verb, line in self.commands():
            self.send("250-" + "x" * (1024 * 1024) + "\r\n250 OK\r\n")
            return

    def mode_multiline_stall(self):
        self.banner()
        for verb, line in self.commands():
            self.send("250-mx.bad.test\r\n250-PIPELINING\r\n")
            time.sleep(min(IDLE, 20))
            return

    def mode_multiline_flood(self):
        self.banner()
        for verb, line in self.commands():
            chunk = "250-FLOOD and more flood and more flood\r\n" * 100
            for _ in range(1000):
                if STOP.is_set():
                    return
                self.send(chunk)
            return

    def mode_banner421(self):
        self.reply("421 4.3.2 mx.bad.test Service not available, closing transmission channel")

    def mode_banner554(self):
        self.reply("554 5.7.1 mx.bad.test No SMTP service for you")
        for verb, line in self.commands():
            if verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            self.reply("503 5.5.1 Error: no commands accepted")

    def mode_tls_broken(self):
        self.banner()

        def starttls():
            self.reply("220 2.0.0 Ready to start TLS")
            self.send("this is not TLS at all\r\n" * 4)
            return "end"

        self.dialogue(starttls=True, on_starttls=starttls)

    def mode_starttls_454(self):
        self.banner()

        def starttls():
            self.reply("454 4.7.0 TLS not available due to local problem")
            return True

        self.dialogue(starttls=True, on_starttls=starttls)

    def mode_ehlo_502(self):
        self.banner()

        def ehlo(line):
            self.reply("502 5.5.2 Error: command not recognized")
            return True

        self.dialogue(on_ehlo=ehlo)

    def mode_rcpt_421(self):
        self.banner()

        def rcpt(line, n):
            if n == 2:
                self.reply("421 4.7.0 mx.bad.test Error: too many errors")
                return "end"
            return False

        self.dialogue(on_rcpt=rcpt)

    def mode_mail_550(self):
        self.banner()

        def mail(line):
            self.reply("550 5.7.1 <sender>: Sender address rejected: Access denied")
            return True

        self.dialogue(on_mail=mail)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class Server6(Server):
    address_family = socket.AF_INET6


MODES = ["good", "slow-banner", "drop-after-banner", "drop-in-rcpt", "garbage", "garbage-ehlo",
         "longline", "multiline-stall", "multiline-flood", "banner421", "banner554", "tls-broken",
         "starttls-454", "ehlo-502", "rcpt-421", "mail-550"]


def blackhole():
    """A listener whose accept queue is full: further SYNs are dropped."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(0)
    port = s.getsockname()[1]
    fillers = []
    for _ in range(3):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(c)
    return port, [s] + fillers


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    global LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--ports-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--max-seconds", type=int, default=120)
    args = ap.parse_args()
    LOG = open(args.log, "a")

    servers, lines = [], []
    for mode in MODES:
        srv = Server(("127.0.0.1", 0), Handler)
        srv.mode = mode
        servers.append(srv)
        lines.append("%s %d" % (mode, srv.server_address[1]))
    try:
        srv = Server6(("::1", 0), Handler)
        srv.mode = "good6"
        servers.append(srv)
        lines.append("good6 %d" % srv.server_address[1])
    except OSError:
        pass
    bh_port, keep = blackhole()
    lines.append("blackhole %d" % bh_port)
    lines.append("closed %d" % closed_port())

    for srv in servers:
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    tmp = args.ports_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    import os
    os.rename(tmp, args.ports_file)

    deadline = time.time() + args.max_seconds
    while time.time() < deadline and not STOP.is_set():
        time.sleep(0.2)
    STOP.set()
    for srv in servers:
        srv.shutdown()
        srv.server_close()
    for s in keep:
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
