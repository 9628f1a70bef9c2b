#!/usr/bin/env python3
"""gen_logs.py - write a realistic Exim main log or Postfix log of a given
size for bench/logs_bench.sh, from a fixed seed (the same bytes each run).

Usage: gen_logs.py exim|postfix SIZE_MB OUTFILE

Each message gets the lines its MTA writes: Postfix smtpd connect/client,
cleanup message-id, qmgr from=, one smtp line per recipient (mostly
status=sent, some deferred and bounced with real-looking replies),
removed, disconnect, plus NOQUEUE refusals of smtpd and postscreen; Exim
<=, =>, **, ==, Completed and H=... rejected RCPT lines. Written by us
for this benchmark, in the MTAs' formats.
"""
import random
import sys

kind, size_mb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rnd = random.Random(20261202)
limit = size_mb * 1024 * 1024
DOMAINS = ["example.com", "example.net", "example.org", "mail.example", "corp.example", "shop.example",
           "news.example", "isp.example", "uni.example", "bank.example"] + ["d%d.example" % i for i in range(200)]
USERS = ["ann", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"] + \
        ["u%d" % i for i in range(2000)]
FAIL5 = [
    ("5.1.1", "550 5.1.1 <{r}>: Recipient address rejected: User unknown in virtual mailbox table", "RCPT TO"),
    ("5.2.2", "552 5.2.2 <{r}>: Mailbox full: user is over quota", "end of DATA"),
    ("5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org", "RCPT TO"),
    ("5.7.1", "550 5.7.1 Message rejected as spam by content filter", "end of DATA"),
    ("5.3.4", "552 5.3.4 Message size exceeds fixed maximum message size", "end of DATA"),
    ("5.7.26", "550 5.7.26 This mail is unauthenticated, which poses a security risk to the sender", "end of DATA"),
    ("5.1.1", "550 5.1.1 The email account that you tried to reach does not exist", "RCPT TO"),
]
FAIL4 = [
    ("4.7.1", "450 4.7.1 <{r}>: Recipient address rejected: Greylisted, try again later", "RCPT TO"),
    ("4.2.2", "452 4.2.2 Mailbox full, try again later", "RCPT TO"),
    ("4.3.0", "451 4.3.0 Temporary lookup failure", "RCPT TO"),
]
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def addr():
    return "%s@%s" % (rnd.choice(USERS), rnd.choice(DOMAINS))


def ip():
    return "198.51.%d.%d" % (rnd.randrange(256), rnd.randrange(1, 255))


def postfix(f):
    t, n, written, qn = 0, 0, 0, 0x10000
    buf = []
    while written < limit:
        t += rnd.randrange(0, 3)
        day, sec = 1 + (t // 86400) % 28, t % 86400
        ts = "%s %2d %02d:%02d:%02d mx1 " % (MON[11], day, sec // 3600, sec // 60 % 60, sec % 60)
        pid = rnd.randrange(1000, 30000)
        cip = ip()
        buf.append("%spostfix/smtpd[%d]: connect from unknown[%s]\n" % (ts, pid, cip))
        if rnd.random() < 0.12:
            r = addr()
            if rnd.random() < 0.3:
                buf.append("%spostfix/postscreen[%d]: NOQUEUE: reject: RCPT from [%s]:%d: 550 5.7.1 Service "
                           "unavailable; client [%s] blocked using zen.spamhaus.org; from=<%s>, to=<%s>, "
                           "proto=ESMTP, helo=<spam.example>\n" % (ts, pid, cip, rnd.randrange(1024, 65535), cip,
                                                                  addr(), r))
            else:
                why = rnd.choice(["554 5.7.1 <%s>: Relay access denied" % r,
                                  "550 5.1.1 <%s>: Recipient address rejected: User unknown in local recipient "
                                  "table" % r, "450 4.7.1 Client host rejected: cannot find your hostname"])
                buf.append("%spostfix/smtpd[%d]: NOQUEUE: reject: RCPT from unknown[%s]: %s; from=<%s> to=<%s> "
                           "proto=ESMTP helo=<client.example>\n" % (ts, pid, cip, why, addr(), r))
        else:
            qn += rnd.randrange(1, 50)
            q = "%X" % (qn * 7919 % 0xFFFFFFFFFF)
            s = addr()
            buf.append("%spostfix/smtpd[%d]: %s: client=unknown[%s]\n" % (ts, pid, q, cip))
            buf.append("%spostfix/cleanup[%d]: %s: message-id=<%d.%d@%s>\n" % (ts, pid + 1, q, t, qn,
                                                                              s.split("@")[1]))
            nr = rnd.choice([1, 1, 1, 2, 3])
            buf.append("%spostfix/qmgr[900]: %s: from=<%s>, size=%d, nrcpt=%d (queue active)\n" %
                       (ts, q, s, rnd.randrange(800, 90000), nr))
            for _ in range(nr):
                r = addr()
                dom = r.split("@")[1]
                x = rnd.random()
                head = "%spostfix/smtp[%d]: %s: to=<%s>, relay=mx.%s[%s]:25, delay=%.1f, delays=0.1/0/0.3/0.5, " % (
                    ts, pid + 2, q, r, dom, ip(), rnd.random() * 5)
                if x < 0.78:
                    buf.append(head + "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %X)\n" % rnd.randrange(1 << 40))
                elif x < 0.90:
                    st, txt, cmd = rnd.choice(FAIL4)
                    buf.append(head + "dsn=%s, status=deferred (host mx.%s[%s] said: %s (in reply to %s command))\n" %
                               (st, dom, ip(), txt.format(r=r), cmd))
                else:
                    st, txt, cmd = rnd.choice(FAIL5)
                    buf.append(head + "dsn=%s, status=bounced (host mx.%s[%s] said: %s (in reply to %s command))\n" %
                               (st, dom, ip(), txt.format(r=r), cmd))
                    buf.append("%spostfix/bounce[%d]: %s: sender non-delivery notification: %X\n" %
                               (ts, pid + 3, q, qn * 31))
            buf.append("%spostfix/qmgr[900]: %s: removed\n" % (ts, q))
        buf.append("%spostfix/smtpd[%d]: disconnect from unknown[%s] ehlo=1 mail=1 rcpt=1 data=1 quit=1 "
                   "commands=5\n" % (ts, pid, cip))
        n += 1
        if len(buf) > 2000:
            chunk = "".join(buf)
            f.write(chunk)
            written += len(chunk)
            buf = []
    f.write("".join(buf))


def exim(f):
    t, written, qn = 0, 0, 0
    buf = []
    while written < limit:
        t += rnd.randrange(0, 3)
        day, sec = 1 + (t // 86400) % 28, t % 86400
        ts = "2026-12-%02d %02d:%02d:%02d " % (day, sec // 3600, sec // 60 % 60, sec % 60)
        cip = ip()
        if rnd.random() < 0.12:
            r = addr()
            why = rnd.choice(["rejected RCPT <%s>: relay not permitted" % r, "rejected RCPT <%s>: Unknown user" % r,
                              "temporarily rejected RCPT <%s>: greylisted" % r])
            buf.append("%sH=(client.example) [%s] F=<%s> %s\n" % (ts, cip, addr(), why))
            continue
        qn += 1
        q = "1x%s-%06X-%s" % ("".join(rnd.choice(B62) for _ in range(4)), qn % 0xFFFFFF,
                              B62[qn % 62] + B62[qn // 62 % 62])
        s = addr()
        buf.append("%s%s <= %s H=(client.example) [%s] P=esmtp S=%d id=%d.%d@%s\n" %
                   (ts, q, s, cip, rnd.randrange(800, 90000), t, qn, s.split("@")[1]))
        for _ in range(rnd.choice([1, 1, 1, 2, 3])):
            r = addr()
            dom = r.split("@")[1]
            x = rnd.random()
            if x < 0.78:
                buf.append('%s%s => %s R=dnslookup T=remote_smtp H=mx.%s [%s] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 '
                           'CV=yes C="250 2.0.0 Ok: queued as %X"\n' % (ts, q, r, dom, ip(), rnd.randrange(1 << 40)))
            elif x < 0.90:
                st, txt, cmd = rnd.choice(FAIL4)
                buf.append("%s%s == %s R=dnslookup T=remote_smtp defer (-44) H=mx.%s [%s]: SMTP error from remote "
                           "mail server after %s: %s\n" % (ts, q, r, dom, ip(),
                                                           "RCPT TO:<%s>" % r if cmd == "RCPT TO" else "end of data",
                                                           txt.format(r=r)))
            else:
                st, txt, cmd = rnd.choice(FAIL5)
                buf.append("%s%s ** %s R=dnslookup T=remote_smtp H=mx.%s [%s]: SMTP error from remote mail server "
                           "after %s: %s\n" % (ts, q, r, dom, ip(),
                                               "RCPT TO:<%s>" % r if cmd == "RCPT TO" else "end of data",
                                               txt.format(r=r)))
        buf.append("%s%s Completed\n" % (ts, q))
        if len(buf) > 2000:
            chunk = "".join(buf)
            f.write(chunk)
            written += len(chunk)
            buf = []
    f.write("".join(buf))


with open(out, "w") as fh:
    (exim if kind == "exim" else postfix)(fh)
