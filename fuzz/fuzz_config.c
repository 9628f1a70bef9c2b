/*
 * fuzz_config.c - libFuzzer target for the configuration parsers of
 * `smtpdoc audit` (src/audit_aliases.c, src/audit_text.c,
 * src/audit_postfix.c) and the route engine (src/audit_route.c).
 *
 * The first byte picks the parser for the rest of the input: 0 an
 * aliases(5) file, 1 a cPanel valiases file (domain fuzz.test), 2 a
 * Postfix main.cf (then the usual parameters are expanded), 3 a Postfix
 * map source file as virtual aliases. Then every alias found is routed,
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
	which = data[0] % 4;
	text = (const char *)data + 1;
	len = size - 1;
	if ((c = sd_audit_cfg_new("/nonexistent-smtpdoc-fuzz-root")) == NULL)
		return 0;
	sd_audit_domain_mark(c, "fuzz.test", SD_DOM_LOCAL, "fuzz");
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
	default:
		sd_audit_parse_map(c, "/etc/postfix/virtual", text, len, fuzz_map_entry, NULL);
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
