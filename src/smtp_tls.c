/*
 * smtp_tls.c - OpenSSL for the SMTP probe: contexts, connections over
 * memory BIOs, and the facts reported about them.
 *
 * sd_smtp_tlsctx_new() makes a client context that trusts the system's
 * store (or one PEM file) and never aborts a handshake over the
 * certificate (SSL_VERIFY_NONE): the probe wants to know what the
 * server offers, and reports whether the chain verified and whether it is
 * valid for the MX name (RFC 6125 rules, as X509_check_host applies them)
 * from sd_smtp_tls_facts(). Contexts are reference counted: sessions take
 * one with sd_smtp_tlsctx_ref() and each sd_smtp_tlsctx_free() drops one.
 *
 * A connection (sd_smtp_tls) reads from one memory BIO and writes to
 * another; smtp_io.c moves the bytes between them and the socket. The
 * OpenSSL error queue is cleared before each call whose result is read
 * with SSL_get_error(), and emptied into the caller's why buffer after a
 * failure, so one session's errors never show up in another's.
 */
#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "smtp_tls.h"

struct sd_smtp_tlsctx {
	SSL_CTX *ctx;
	atomic_int refs;
};

struct sd_smtp_tls {
	sd_smtp_tlsctx *ctx;
	SSL *ssl;
	BIO *in;  /* bytes from the server, read by OpenSSL */
	BIO *out; /* bytes OpenSSL wrote for the server */
};

/* The oldest queued OpenSSL error as text (or fallback); empties the queue. */
static void
sd_tls_why(const char *what, const char *fallback, char *why, size_t whylen)
{
	unsigned long e = ERR_get_error();
	char buf[200];

	if (why == NULL || whylen == 0)
		return;
	if (e == 0) {
		snprintf(why, whylen, "%s: %s", what, fallback);
	} else {
		ERR_error_string_n(e, buf, sizeof(buf));
		snprintf(why, whylen, "%s: %s", what, buf);
	}
	ERR_clear_error();
}

sd_smtp_tlsctx *
sd_smtp_tlsctx_new(const char *ca_file, char *err, size_t errlen)
{
	sd_smtp_tlsctx *c = calloc(1, sizeof(*c));

	ERR_clear_error();
	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	atomic_init(&c->refs, 1);
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (c->ctx == NULL) {
		sd_tls_why("cannot make a TLS context", "no reason given", err, errlen);
		goto fail;
	}
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	if (ca_file != NULL) {
		if (SSL_CTX_load_verify_locations(c->ctx, ca_file, NULL) != 1) {
			sd_tls_why("cannot read the trusted certificates", ca_file, err, errlen);
			goto fail;
		}
	} else if (SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
		sd_tls_why("cannot find the system's trusted certificates", "no reason given", err,
			   errlen);
		goto fail;
	}
	return c;
fail:
	SSL_CTX_free(c->ctx);
	free(c);
	return NULL;
}

sd_smtp_tlsctx *
sd_smtp_tlsctx_ref(sd_smtp_tlsctx *c)
{
	if (c != NULL)
		atomic_fetch_add(&c->refs, 1);
	return c;
}

void
sd_smtp_tlsctx_free(sd_smtp_tlsctx *c)
{
	if (c == NULL || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	SSL_CTX_free(c->ctx);
	free(c);
}

/* Is s an IPv4 or IPv6 literal (no SNI for those, RFC 6066 3)? */
static int
sd_tls_is_ip(const char *s)
{
	unsigned char a[16];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

sd_smtp_tls *
sd_smtp_tls_new(sd_smtp_tlsctx *c, const char *sni, char *err, size_t errlen)
{
	sd_smtp_tls *t = calloc(1, sizeof(*t));

	ERR_clear_error();
	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->ssl = SSL_new(c->ctx);
	t->in = BIO_new(BIO_s_mem());
	t->out = BIO_new(BIO_s_mem());
	if (t->ssl == NULL || t->in == NULL || t->out == NULL) {
		sd_tls_why("cannot start TLS", "out of memory", err, errlen);
		SSL_free(t->ssl);
		BIO_free(t->in);
		BIO_free(t->out);
		free(t);
		return NULL;
	}
	/* an empty input BIO means "wait for more", not end of file */
	BIO_set_mem_eof_return(t->in, -1);
	BIO_set_mem_eof_return(t->out, -1);
	SSL_set_bio(t->ssl, t->in, t->out); /* the SSL owns both now */
	SSL_set_connect_state(t->ssl);
	if (sni != NULL && sni[0] != '\0' && !sd_tls_is_ip(sni))
		(void)SSL_set_tlsext_host_name(t->ssl, sni);
	t->ctx = sd_smtp_tlsctx_ref(c);
	return t;
}

void
sd_smtp_tls_free(sd_smtp_tls *t)
{
	if (t == NULL)
		return;
	SSL_free(t->ssl);
	sd_smtp_tlsctx_free(t->ctx);
	free(t);
}

int
sd_smtp_tls_put(sd_smtp_tls *t, const char *p, size_t n)
{
	while (n > 0) {
		int chunk = n > 65536 ? 65536 : (int)n;
		int w = BIO_write(t->in, p, chunk);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

size_t
sd_smtp_tls_get(sd_smtp_tls *t, char *buf, size_t n)
{
	int r;

	if (n > 65536)
		n = 65536;
	r = BIO_read(t->out, buf, (int)n);
	return r > 0 ? (size_t)r : 0;
}

size_t
sd_smtp_tls_pending(const sd_smtp_tls *t)
{
	return BIO_ctrl_pending(t->out);
}

int
sd_smtp_tls_handshake(sd_smtp_tls *t, char *why, size_t whylen)
{
	int r, e;

	ERR_clear_error();
	r = SSL_do_handshake(t->ssl);
	if (r == 1)
		return 1;
	e = SSL_get_error(t->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return 0; /* WANT_WRITE: the output BIO is drained by the caller */
	sd_tls_why("TLS handshake failed", "no reason given", why, whylen);
	return -1;
}

long
sd_smtp_tls_read(sd_smtp_tls *t, char *buf, size_t n, char *why, size_t whylen)
{
	int r, e;

	if (n > 65536)
		n = 65536;
	ERR_clear_error();
	r = SSL_read(t->ssl, buf, (int)n);
	if (r > 0)
		return r;
	e = SSL_get_error(t->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return 0;
	if (e == SSL_ERROR_ZERO_RETURN)
		return -1;
	sd_tls_why("TLS error", "no reason given", why, whylen);
	return -2;
}

int
sd_smtp_tls_write(sd_smtp_tls *t, const char *p, size_t n, char *why, size_t whylen)
{
	while (n > 0) {
		int chunk = n > 16384 ? 16384 : (int)n;
		int r;

		ERR_clear_error();
		r = SSL_write(t->ssl, p, chunk);
		if (r <= 0) {
			sd_tls_why("TLS error", "cannot write", why, whylen);
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* An X.509 name in RFC 2253 form into buf. */
static void
sd_tls_name(X509_NAME *name, char *buf, size_t size)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n;

	buf[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_read(b, buf, (int)size - 1);
		buf[n > 0 ? n : 0] = '\0';
	}
	BIO_free(b);
}

void
sd_smtp_tls_facts(sd_smtp_tls *t, const char *name, sd_smtp_tls_info *info)
{
	X509 *cert;
	long vr;
	const char *cipher;

	snprintf(info->version, sizeof(info->version), "%s", SSL_get_version(t->ssl));
	cipher = SSL_get_cipher_name(t->ssl);
	snprintf(info->cipher, sizeof(info->cipher), "%s", cipher ? cipher : "");
	info->name_checked = name != NULL && name[0] != '\0';
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	cert = SSL_get1_peer_certificate(t->ssl);
#else
	cert = SSL_get_peer_certificate(t->ssl);
#endif
	if (cert == NULL) {
		info->verified = 0;
		snprintf(info->verify_error, sizeof(info->verify_error), "no certificate");
		return;
	}
	vr = SSL_get_verify_result(t->ssl);
	info->verified = vr == X509_V_OK;
	snprintf(info->verify_error, sizeof(info->verify_error), "%s",
		 info->verified ? "" : X509_verify_cert_error_string(vr));
	if (info->name_checked) {
		size_t n = strlen(name);

		if (n > 1 && name[n - 1] == '.')
			n--; /* "mx.example." */
		if (sd_tls_is_ip(name))
			info->name_matched = X509_check_ip_asc(cert, name, 0) == 1;
		else
			info->name_matched = X509_check_host(cert, name, n, 0, NULL) == 1;
	}
	sd_tls_name(X509_get_subject_name(cert), info->subject, sizeof(info->subject));
	sd_tls_name(X509_get_issuer_name(cert), info->issuer, sizeof(info->issuer));
	X509_free(cert);
	ERR_clear_error();
}
