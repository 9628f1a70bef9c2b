#!/usr/bin/env python3
# inject.py - submit test messages to MTAs on 127.0.0.1 over SMTP.
#
# Usage: python3 inject.py LIST
#
# LIST has one message a line, tab-separated:
#   PORT  SENDER  RECIPIENTS  CASE  BODY_KB
# (RECIPIENTS: one address or several separated by commas). Each message is
# a small plain-text one (about BODY_KB kilobytes when that is not 0) from
# SENDER to RECIPIENTS, submitted to the MTA on 127.0.0.1:PORT, with the
# subject "smtpdoc real-MTA test: CASE" and a Message-ID naming CASE. All
# are sent at once, one thread and one connection each, with a 20 second
# timeout. Prints "accepted SENDER" for each message the MTA took, and the
# reason for each it did not. Exits 0 when all were accepted, 1 otherwise.
# At most 200 messages; standard library only.
import smtplib
import sys
import threading
import time
from email.utils import formatdate

MAX_MESSAGES = 200


def message(sender, rcpts, case, kb):
    body = "This is a test message from smtpdoc's real-MTA test (case %s).\r\n" % case
    line = "The quick brown fox jumps over the lazy dog, again and again and again.\r\n"
    body += line * ((kb * 1024) // len(line))
    head = (
        "From: smtpdoc test <%s>\r\n"
        "To: %s\r\n"
        "Subject: smtpdoc real-MTA test: %s\r\n"
        "Date: %s\r\n"
        "Message-ID: <%s.%d@client.smtpdoc.test>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n" % (sender, ", ".join("<%s>" % r for r in rcpts), case,
                  formatdate(localtime=False), case, int(time.time()))
    )
    return (head + body).encode("ascii")


def send(port, sender, rcpts, case, kb, results, i):
    try:
        with smtplib.SMTP("127.0.0.1", port, local_hostname="client.smtpdoc.test", timeout=20) as s:
            refused = s.sendmail(sender, rcpts, message(sender, rcpts, case, kb))
        results[i] = "refused %r" % (refused,) if refused else None
    except (smtplib.SMTPException, OSError) as e:
        results[i] = str(e) or e.__class__.__name__


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: inject.py LIST\n")
        return 2
    jobs = []
    with open(sys.argv[1]) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 5:
                continue
            port, sender, rcpts, case, kb = fields
            jobs.append((int(port), sender, rcpts.split(","), case, int(kb or 0)))
    jobs = jobs[:MAX_MESSAGES]
    results = [""] * len(jobs)
    threads = [threading.Thread(target=send, args=job + (results, i)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    bad = 0
    for job, res in zip(jobs, results):
        if res is None:
            print("accepted %s" % job[1])
        else:
            bad += 1
            print("inject.py: %s -> %s via 127.0.0.1:%d: %s" % (job[1], ",".join(job[2]), job[0], res or "timed out"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
