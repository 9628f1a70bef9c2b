/*
 * fuzz_config.c - libFuzzer target for the configuration parsers of
 * `smtpdoc audit` (src/audit_aliases.c, src/audit_text.c,
 * src/audit_postfix.c) and the route engine (src/audit_route.c).
 *
 * The first byte picks the parser for the rest of the input: 0 an
 * aliases(5) file, 1 a cPanel valiases file (domain fuzz.test), 2 a
 * Postfix main.cf (then the usual parameters are expanded), 3 a Postfix
 * map source file as virtual aliases, 4 a regexp: table and 5 a pcre:
 * table of virtual aliases (then the table is also matched against a few
 * fixed addresses and against each line of the input, cut to the key
 * limit), 6 a user's .forward file (user "fuzz"). Bit 3 of the first byte
 * sets recipient_delimiter "+-" so that extensions are stripped too.
 * Then every alias found is routed,
 * in the cPanel and in the Postfix model, without DNS: chains, loops and
 * the depth cap run on whatever the fuzzer wrote. The root is a
 * directory that does not exist, so :include: files and mailbox
 * directories are never found. Every warning is read.
 *
 * Build and run (see fuzz/README.md):
 *
 *	CC=clang cmake -S . -B build-fuzz -DSMTPDOC_FUZZ=ON -DSMTPDOC_SANITIZE=OFF
 *	cmake --build build-fuzz --target fuzz_config
 *	build-fuzz/fuzz_config -max_total_time=600 -max_len=65536 /tmp/fuzzwork-config \
 *	    fuzz/corpus/fuzz_config
 *
 * Linked with fuzz/replay_main.c into fuzz_config_replay, which ctest runs
 * over fuzz/corpus/fuzz_config.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_map_entry(sd_audit_cfg *c, void *ctx, const char *key, const char *value, const char *src)
{
	const char *t[64];
	int n = sd_audit_split(c, value, 1, t, 64);

	(void)ctx;
	if (n > 0)
		sd_audit_alias_add(c, SD_ALIAS_VIRTUAL, key, NULL, t, (size_t)n, src);
}

/* fuzz_retable - a regexp/pcre table parsed, handed to the model and
 * matched against some addresses and the input's own lines */
static void
fuzz_retable(sd_audit_cfg *c, int pcre, const char *text, size_t len)
{
	static const char *const keys[] = {"info@fuzz.test", "a+b@fuzz.test", "root", "", "x@y"};
	sd_audit_retable *t = sd_audit_retable_parse(c, "/etc/postfix/virtual.re", pcre, SD_RETAB_VALIAS, text, len);
	char out[1024], key[SD_AUDIT_RE_MAX_KEY + 40];
	const char *src;
	size_t i, pos = 0;

	if (t == NULL || sd_audit_retable_add(c, t) != 0)
		return;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		(void)sd_audit_retable_lookup(t, keys[i], out, sizeof(out), &src);
	for (i = 0; i < 20 && pos < len; i++) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		size_t k = n < sizeof(key) - 1 ? n : sizeof(key) - 1;
		memcpy(key, text + pos, k);
		key[k] = '\0'; /* a key may hold a NUL early: then it is shorter */
		(void)sd_audit_retable_lookup(t, key, out, sizeof(out), &src);
		(void)sd_audit_retable_lookup(t, key, out, 8, &src);
		pos += n + 1;
	}
}

static void
fuzz_fixed(void *ctx, const char *pattern, const char *result, const char *src)
{
	sd_audit_cfg *c = ctx;
	const char *t[64];
	int n = sd_audit_split(c, result, 1, t, 64);

	if (n > 0)
		sd_audit_alias_add(c, SD_ALIAS_REGEXP, pattern, NULL, t, (size_t)n, src);
}

static void
fuzz_routes(sd_audit_cfg *c, int cpanel)
{
	static const char *const locals[] = {"mail.fuzz.test", "192.0.2.1"};
	sd_route_env e;
	size_t i, k, n = c->nalias < 50 ? c->nalias : 50;

	c->cpanel = cpanel;
	c->postfix = !cpanel;
	memset(&e, 0, sizeof(e));
	e.cfg = c;
	e.locals = locals;
	e.nlocals = 2;
	for (i = 0; i < n; i++) {
		char addr[600];
		sd_route r;
		const sd_audit_alias *a = &c->alias[i];
		if (a->domain)
			snprintf(addr, sizeof(addr), "%s@%s", a->key, a->domain);
		else
			snprintf(addr, sizeof(addr), "%s", a->key);
		memset(&r, 0, sizeof(r));
		sd_route_run(&e, addr, NULL, &r);
		for (k = 0; k < r.n; k++) {
			volatile size_t sink = strlen(r.steps[k].address);
			(void)sink;
		}
		sd_route_free(&r);
		/* the same address with an extension, and the local user */
		snprintf(addr, sizeof(addr), "%s+x@fuzz.test", a->key);
		memset(&r, 0, sizeof(r));
		sd_route_run(&e, i == 0 ? "fuzz" : addr, NULL, &r);
		for (k = 0; k < r.n; k++) {
			volatile size_t sink = strlen(r.steps[k].address) + strlen(r.steps[k].action);
			if (r.steps[k].target)
				sink += strlen(r.steps[k].target);
			if (r.steps[k].reply)
				sink += strlen(r.steps[k].reply);
			(void)sink;
		}
		sd_route_free(&r);
	}
	sd_route_env_free(&e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const params[] = {"mydestination", "mydomain", "virtual_alias_maps",
					     "virtual_mailbox_domains", "alias_maps", "relay_domains"};
	sd_audit_cfg *c;
	const char *text;
	size_t len, i;
	int which;

	if (size < 1)
		return 0;
	which = (data[0] & 7) % 7;
	text = (const char *)data + 1;
	len = size - 1;
	if ((c = sd_audit_cfg_new("/nonexistent-smtpdoc-fuzz-root")) == NULL)
		return 0;
	sd_audit_domain_mark(c, "fuzz.test", SD_DOM_LOCAL, "fuzz");
	sd_audit_user_add(c, "fuzz", "/home/fuzz", "fuzz");
	if (data[0] & 8) {
		c->delims = "+-";
		c->propagate_ext = 1;
	}
	switch (which) {
	case 0:
		sd_audit_parse_aliases(c, SD_ALIAS_SYSTEM, "/etc/aliases", text, len);
		break;
	case 1:
		sd_audit_parse_valiases(c, "/etc/valiases/fuzz.test", "fuzz.test", text, len);
		break;
	case 2:
		sd_audit_parse_maincf(c, "/etc/postfix/main.cf", text, len);
		for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
			volatile size_t sink = strlen(sd_audit_param_expand(c, params[i]));
			(void)sink;
		}
		break;
	case 3:
		sd_audit_parse_map(c, "/etc/postfix/virtual", text, len, fuzz_map_entry, NULL);
		break;
	case 4:
	case 5:
		fuzz_retable(c, which == 5, text, len);
		if (c->nretab > 0)
			sd_audit_retable_fixed(c->retab[0], fuzz_fixed, c);
		break;
	default:
		sd_audit_parse_forward(c, "/home/fuzz/.forward", "fuzz", text, len);
		break;
	}
	fuzz_routes(c, 1);
	fuzz_routes(c, 0);
	for (i = 0; i < c->nwarn; i++) {
		volatile size_t sink = strlen(c->warn[i]);
		(void)sink;
	}
	sd_audit_cfg_free(c);
	return 0;
}
