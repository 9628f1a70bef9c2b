#!/usr/bin/env python3
"""badserver.py - a DNS server on 127.0.0.1 that answers badly, on purpose.

Usage: badserver.py PORT SECONDS

Listens on UDP 127.0.0.1:PORT for SECONDS seconds at most (then exits on
its own) and answers each query according to the first label of the name
asked:

  refused    RCODE 5 (REFUSED)
  servfail   RCODE 2 (SERVFAIL)
  formerr    RCODE 1 (FORMERR)
  garbage    a header and question that match the query, 3 answer records
             claimed, then bytes of noise
  loop       one answer whose owner name is a compression pointer to itself
  cut        one answer whose RDLENGTH runs past the end of the message
  count      65535 answers claimed, one given
  badmx      an MX record with one byte of data
  badtxt     a TXT record whose string is longer than its data
  noise      random bytes with the wrong ID (a resolver must ignore them)
  short      5 bytes (not even a DNS header)
  anything else: NXDOMAIN

Random bytes come from a fixed seed, so every run sends the same.
"""
import random
import socket
import struct
import sys
import time

RNG = random.Random(4711)


def question_end(q):
    """Offset just past the question section of the query q, or None."""
    pos = 12
    while pos < len(q):
        n = q[pos]
        if n == 0:
            return pos + 1 + 4 if pos + 5 <= len(q) else None
        if n & 0xC0:
            return None
        pos += 1 + n
    return None


def first_label(q):
    if len(q) < 13:
        return ""
    n = q[12]
    return q[13:13 + n].decode("ascii", "replace").lower()


def header(q, rcode, an):
    qid = struct.unpack(">H", q[:2])[0]
    return struct.pack(">HHHHHH", qid, 0x8180 | rcode, 1, an, 0, 0)


def answer(q):
    end = question_end(q)
    if end is None:
        return None
    question = q[12:end]
    what = first_label(q)
    qname_ptr = b"\xc0\x0c"
    if what == "refused":
        return header(q, 5, 0) + question
    if what == "servfail":
        return header(q, 2, 0) + question
    if what == "formerr":
        return header(q, 1, 0) + question
    if what == "garbage":
        return header(q, 0, 3) + question + bytes(RNG.randrange(256) for _ in range(40))
    if what == "loop":
        here = 12 + len(question)
        owner = struct.pack(">H", 0xC000 | here)
        return header(q, 0, 1) + question + owner + struct.pack(">HHIH", 1, 1, 60, 4) + b"\x7f\0\0\1"
    if what == "cut":
        return header(q, 0, 1) + question + qname_ptr + struct.pack(">HHIH", 1, 1, 60, 200) + b"\x7f\0\0\1"
    if what == "count":
        return header(q, 0, 65535) + question + qname_ptr + struct.pack(">HHIH", 1, 1, 60, 4) + b"\x7f\0\0\1"
    if what == "badmx":
        return header(q, 0, 1) + question + qname_ptr + struct.pack(">HHIH", 15, 1, 60, 1) + b"\0"
    if what == "badtxt":
        return header(q, 0, 1) + question + qname_ptr + struct.pack(">HHIH", 16, 1, 60, 3) + b"\x09ab"
    if what == "noise":
        qid = struct.unpack(">H", q[:2])[0] ^ 0x5A5A
        return struct.pack(">H", qid) + bytes(RNG.randrange(256) for _ in range(30))
    if what == "short":
        return q[:5]
    return header(q, 3, 0) + question


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    port, seconds = int(argv[1]), float(argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return 0
        s.settimeout(min(left, 1.0))
        try:
            q, peer = s.recvfrom(4096)
        except socket.timeout:
            continue
        if len(q) < 12:
            continue
        a = answer(q)
        if a is not None:
            s.sendto(a, peer)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
