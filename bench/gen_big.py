#!/usr/bin/env python3
"""gen_big.py - write the two large bounces bench/run measures.

Usage: gen_big.py DIR

DIR/big-50mb.eml  a multipart/report DSN (text, message/delivery-status,
                  message/rfc822) whose returned message carries a 50 MB
                  base64 attachment.
DIR/big-15mb.eml  a 15 MB multipart/mixed bounce: the failure text, then a
                  text/plain attachment of 15 MB (base64) that only the
                  text cap lets through, and a small PDF attachment.
The content is generated from a fixed seed; nothing is downloaded.
"""
import base64
import os
import random
import sys

BOUNDARY = "==bench-outer=="
INNER = "==bench-inner=="


def b64_lines(data):
    return base64.encodebytes(data).decode("ascii")


def dsn(rcpt):
    return ("Reporting-MTA: dns; mx.bench.example\n\n"
            "Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.2.2\n"
            "Diagnostic-Code: smtp; 552 5.2.2 <%s>: mailbox is full\n" % (rcpt, rcpt))


def head(subject, ctype):
    return ("From: Mail Delivery System <MAILER-DAEMON@mx.bench.example>\n"
            "To: sender@bench.example\nSubject: %s\n"
            "Date: Mon, 01 Jan 2024 10:00:00 +0000\nMIME-Version: 1.0\n"
            "Content-Type: %s; boundary=\"%s\"\n\n" % (subject, ctype, BOUNDARY))


def big_50(path, rnd):
    payload = rnd.randbytes(50 * 1000 * 1000 * 3 // 4)  # about 50 MB once in base64
    with open(path, "w") as f:
        f.write(head("Undelivered Mail Returned to Sender",
                     "multipart/report; report-type=delivery-status"))
        f.write("--%s\nContent-Type: text/plain\n\n"
                "Your message could not be delivered: the mailbox is full.\n\n" % BOUNDARY)
        f.write("--%s\nContent-Type: message/delivery-status\n\n%s\n" % (BOUNDARY, dsn("full@rcpt.example")))
        f.write("--%s\nContent-Type: message/rfc822\n\n" % BOUNDARY)
        f.write("From: sender@bench.example\nTo: full@rcpt.example\nSubject: the big file\n"
                "Message-ID: <big-50@bench.example>\nMIME-Version: 1.0\n"
                "Content-Type: multipart/mixed; boundary=\"%s\"\n\n" % INNER)
        f.write("--%s\nContent-Type: text/plain\n\nHere it is.\n" % INNER)
        f.write("--%s\nContent-Type: application/octet-stream; name=\"data.bin\"\n"
                "Content-Disposition: attachment; filename=\"data.bin\"\n"
                "Content-Transfer-Encoding: base64\n\n" % INNER)
        f.write(b64_lines(payload))
        f.write("--%s--\n\n--%s--\n" % (INNER, BOUNDARY))


def big_15(path, rnd):
    words = ["mailbox", "delivery", "report", "attached", "server", "queue", "log", "line"]
    text = " ".join(rnd.choice(words) for _ in range(1600000)).encode("ascii")  # about 11 MB
    with open(path, "w") as f:
        f.write(head("Mail delivery failed: returning message to sender", "multipart/mixed"))
        f.write("--%s\nContent-Type: text/plain\n\n"
                "This message was created automatically by mail delivery software.\n\n"
                "A message that you sent could not be delivered to one or more of its\n"
                "recipients. This is a permanent error. The following address(es) failed:\n\n"
                "  nobody@rcpt.example\n    host mx.rcpt.example [192.0.2.1]\n"
                "    SMTP error from remote mail server after RCPT TO:<nobody@rcpt.example>:\n"
                "    550 5.1.1 <nobody@rcpt.example>: Recipient address rejected: User unknown\n\n"
                % BOUNDARY)
        f.write("--%s\nContent-Type: text/plain; name=\"server.log\"\n"
                "Content-Disposition: attachment; filename=\"server.log\"\n"
                "Content-Transfer-Encoding: base64\n\n" % BOUNDARY)
        f.write(b64_lines(text))
        f.write("--%s\nContent-Type: application/pdf; name=\"report.pdf\"\n"
                "Content-Transfer-Encoding: base64\n\n" % BOUNDARY)
        f.write(b64_lines(rnd.randbytes(300000)))
        f.write("--%s--\n" % BOUNDARY)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_big.py DIR")
    rnd = random.Random(20240101)
    big_50(os.path.join(sys.argv[1], "big-50mb.eml"), rnd)
    big_15(os.path.join(sys.argv[1], "big-15mb.eml"), rnd)


if __name__ == "__main__":
    main()
