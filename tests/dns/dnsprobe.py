#!/usr/bin/env python3
"""dnsprobe.py - small DNS helpers for the test scripts (127.0.0.1 only).

Usage:
  dnsprobe.py free-port FIRST LAST
      Print a port in FIRST..LAST on which 127.0.0.1 has neither a UDP nor a
      TCP socket bound (tried in random order, so that test runs started at
      the same time pick different ones). Exit 1 when none is free.
  dnsprobe.py ready PORT ZONE...
      Ask 127.0.0.1:PORT once, over UDP, for the SOA of each ZONE. Exit 0
      when every one comes back NOERROR, authoritative, with an answer;
      otherwise print the first zone that did not and exit 1.
  dnsprobe.py rcode PORT NAME
      Ask 127.0.0.1:PORT once for the A record of NAME and print the
      RCODE of the answer as a number, or "none" when nothing came back.

Each question waits at most one second for its answer.
"""
import random
import socket
import struct
import sys


def port_free(port):
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        finally:
            s.close()
    return True


def wire_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def ask(port, name, qtype):
    """The answer's (flags, ancount), or None when nothing came back."""
    qid = random.randrange(65536)
    query = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + wire_name(name) + struct.pack(">HH", qtype, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    try:
        s.sendto(query, ("127.0.0.1", port))
        data = s.recv(65535)
    except OSError:
        return None
    finally:
        s.close()
    if len(data) < 12:
        return None
    rid, flags, _, an = struct.unpack(">HHHH", data[:8])
    if rid != qid:
        return None
    return flags, an


def main(argv):
    if len(argv) >= 4 and argv[1] == "free-port":
        first, last = int(argv[2]), int(argv[3])
        ports = list(range(first, last + 1))
        random.shuffle(ports)
        for p in ports:
            if port_free(p):
                print(p)
                return 0
        print("dnsprobe.py: no free port in %d..%d" % (first, last), file=sys.stderr)
        return 1
    if len(argv) >= 4 and argv[1] == "ready":
        port = int(argv[2])
        for zone in argv[3:]:
            got = ask(port, zone, 6)
            if got is None or got[0] & 0xF != 0 or not got[0] & 0x0400 or got[1] < 1:
                print(zone)
                return 1
        return 0
    if len(argv) == 4 and argv[1] == "rcode":
        got = ask(int(argv[2]), argv[3], 1)
        print("none" if got is None else got[0] & 0xF)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
