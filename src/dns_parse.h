/*
 * dns_parse.h - read a DNS response message into an sd_dns_answer.
 *
 * Used by the resolver (dns.c) on the answers c-ares hands over, and by the
 * unit tests and the fuzz target on crafted messages. Nothing here does I/O.
 */
#ifndef SMTPDOC_DNS_PARSE_H
#define SMTPDOC_DNS_PARSE_H

#include <stddef.h>

#include "dns.h"

/* Limits against hostile answers; a message that breaks one is malformed. */
#define SD_DNS_MAX_CNAME_HOPS 16   /* CNAMEs followed inside one answer */
#define SD_DNS_MAX_PTR_HOPS 64     /* compression pointers in one name */

/* Read the DNS response msg[0..len) (RFC 1035 4.1) to a question for
 * qname (without or with a final dot; NULL: any name) of type qtype; a
 * message whose question is another is malformed. Returns a new answer,
 * the caller's (sd_dns_answer_free), or NULL on no memory:
 *   - RCODE 3 gives SD_DNS_NXDOMAIN, 2 SD_DNS_SERVFAIL, 5 SD_DNS_REFUSED,
 *     any other but 0 SD_DNS_ERROR (SERVFAIL, REFUSED and the others may
 *     come without the question);
 *   - RCODE 0: the records of type qtype (class IN) owned by the question
 *     name, or by the end of the CNAME chain that starts there (then cname
 *     is that canonical name): SD_DNS_OK when there is at least one, else
 *     SD_DNS_NODATA;
 *   - a message that is cut short, points outside itself, loops, or holds
 *     a record of the type asked whose data is not well formed gives
 *     SD_DNS_ERROR with no records.
 * Names come in lower case, without the final dot; the root is "" (a null
 * MX, RFC 7505).
 * Label bytes other than printable ASCII, and "." or "\" inside a label,
 * are written as \DDD (RFC 1035 5.1), so a name is always a C string. */
sd_dns_answer *sd_dns_parse(const unsigned char *msg, size_t len, const char *qname, int qtype);

#endif
