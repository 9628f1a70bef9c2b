#!/usr/bin/env python3
"""spf_suite.py - turn the RFC 7208 test suite (YAML) into the line format
that build/live_spf_suite reads (the C side has no YAML parser).

Usage: python3 tests/e2e/spf_suite.py SUITE.yml > OUT.txt

Output, one item per line, fields separated by one space; every field is
written with bytes 0x21-0x7E as themselves except '%', every other byte as
%XX, and the empty string as a lone '%':

    scenario NAME                       a new zone; the old one is dropped
    rr NAME A|AAAA ADDRESS
    rr NAME MX PREF HOST
    rr NAME PTR|CNAME HOST
    rr NAME TXT COUNT STRING...         one TXT record of COUNT strings
    rr NAME TIMEOUT                     queries of NAME time out unless a
                                        record of the type asked came first
    case NAME HOST MAILFROM HELO RESULTS EXPKIND [TEXT]
        RESULTS: acceptable results joined by ','; EXPKIND: "none" (the
        suite gives no explanation), "default" (no exp= text must be used)
        or "text" (TEXT must be the explanation)

The suite's conventions are applied here: records listed as type SPF are
served as TXT records for a name that lists no TXT entry at all ("TXT:
NONE" counts as an entry and stands for no record), since RFC 7208
resolvers ask for TXT only; strings are turned back into the bytes the
suite means (\\xEF is the byte 0xEF, not its UTF-8 form).
"""
import sys

import yaml


def raw(s):
    """The bytes a YAML string stands for."""
    if isinstance(s, bytes):
        return s
    s = str(s)
    try:
        return s.encode("latin-1")
    except UnicodeEncodeError:
        return s.encode("utf-8")


def enc(s):
    b = raw(s)
    if not b:
        return "%"
    out = []
    for c in b:
        if 0x21 <= c <= 0x7E and c != 0x25:
            out.append(chr(c))
        else:
            out.append("%%%02X" % c)
    return "".join(out)


def txt_strings(v):
    if isinstance(v, list):
        return [raw(x) for x in v]
    return [raw(v)]


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: spf_suite.py SUITE.yml\n")
        return 2
    with open(sys.argv[1], "rb") as f:
        docs = list(yaml.safe_load_all(f))
    out = sys.stdout
    for n, doc in enumerate(docs, 1):
        if not doc:
            continue
        out.write("scenario %s\n" % enc("%d:%s" % (n, doc.get("description", ""))))
        for name, entries in (doc.get("zonedata") or {}).items():
            name = str(name)
            has_txt = any(isinstance(e, dict) and "TXT" in e for e in entries)
            for e in entries:
                if e == "TIMEOUT":
                    out.write("rr %s TIMEOUT\n" % enc(name))
                    continue
                for typ, val in e.items():
                    if typ in ("SPF", "TXT"):
                        if typ == "SPF" and has_txt:
                            continue
                        if val == "NONE":
                            continue
                        strs = txt_strings(val)
                        out.write("rr %s TXT %d %s\n" % (enc(name), len(strs),
                                                         " ".join(enc(s) for s in strs)))
                    elif typ == "MX":
                        out.write("rr %s MX %d %s\n" % (enc(name), int(val[0]), enc(val[1])))
                    elif typ in ("A", "AAAA", "PTR", "CNAME"):
                        out.write("rr %s %s %s\n" % (enc(name), typ, enc(val)))
                    else:
                        sys.stderr.write("spf_suite.py: unknown record type %s\n" % typ)
                        return 1
        for tname, t in doc["tests"].items():
            res = t["result"]
            if not isinstance(res, list):
                res = [res]
            exp = t.get("explanation")
            if exp is None:
                ek = "none"
            elif exp == "DEFAULT":
                ek = "default"
            else:
                ek = "text " + enc(exp)
            out.write("case %s %s %s %s %s %s\n" % (
                enc("%d/%s" % (n, tname)), enc(t["host"]), enc(t.get("mailfrom", "")),
                enc(t.get("helo", "")), ",".join(str(r) for r in res), ek))
    return 0


if __name__ == "__main__":
    sys.exit(main())
