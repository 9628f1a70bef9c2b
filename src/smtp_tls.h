/*
 * smtp_tls.h - TLS for the SMTP probe, with OpenSSL kept inside smtp_tls.c.
 *
 * An sd_smtp_tls is one client TLS connection that moves no bytes itself:
 * the session gives it what it read from the socket (sd_smtp_tls_put) and
 * sends what it produces (sd_smtp_tls_get). OpenSSL works on memory BIOs,
 * so it never blocks, never touches the socket and never raises SIGPIPE;
 * "wants to read" simply means "give me more bytes". Private to the
 * smtp_*.c files.
 */
#ifndef SMTPDOC_SMTP_TLS_H
#define SMTPDOC_SMTP_TLS_H

#include <stddef.h>

#include "smtp_probe.h"

typedef struct sd_smtp_tls sd_smtp_tls;

/* Take one more reference to c; returns c. */
sd_smtp_tlsctx *sd_smtp_tlsctx_ref(sd_smtp_tlsctx *c);

/* A client connection under c (which it references). sni: the name to send
 * as server name indication (NULL or an IP literal: none). NULL on error,
 * with the reason in err. Free with sd_smtp_tls_free (NULL is fine). */
sd_smtp_tls *sd_smtp_tls_new(sd_smtp_tlsctx *c, const char *sni, char *err, size_t errlen);
void sd_smtp_tls_free(sd_smtp_tls *t);

/* Bytes received from the server: 0, or -1 on no memory. */
int sd_smtp_tls_put(sd_smtp_tls *t, const char *p, size_t n);
/* Bytes to send to the server: copies at most n into buf and returns how
 * many (0: nothing to send). */
size_t sd_smtp_tls_get(sd_smtp_tls *t, char *buf, size_t n);
/* Bytes waiting to be sent. */
size_t sd_smtp_tls_pending(const sd_smtp_tls *t);

/* Go on with the handshake: 1 done, 0 more bytes from the server needed,
 * -1 failed (OpenSSL's reason in why). */
int sd_smtp_tls_handshake(sd_smtp_tls *t, char *why, size_t whylen);
/* Decrypted bytes into buf: > 0 how many, 0 more bytes needed, -1 the
 * server closed TLS (close_notify), -2 error (why). */
long sd_smtp_tls_read(sd_smtp_tls *t, char *buf, size_t n, char *why, size_t whylen);
/* Encrypt p[0..n) for sending: 0, or -1 (why). */
int sd_smtp_tls_write(sd_smtp_tls *t, const char *p, size_t n, char *why, size_t whylen);

/* After the handshake: version, cipher, certificate facts. name: what
 * the certificate should be valid for, or NULL. Fills only those fields
 * of info. */
void sd_smtp_tls_facts(sd_smtp_tls *t, const char *name, sd_smtp_tls_info *info);

#endif
