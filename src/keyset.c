/*
 * keyset.c - a hash set of byte-string keys with a count per key.
 *
 * Open addressing with linear probing over a power-of-two table that
 * doubles when it is 3/4 full; keys are hashed (sd_hash_bytes) with a per-set seed
 * (taken from the set's own address), so that a list crafted to collide
 * in one process does not collide in another. Key copies live in one
 * arena, freed with the set. See keyset.h for the contract.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "keyset.h"

#define SD_KEYSET_MIN_SLOTS 64

typedef struct sd_keyslot {
	const char *key;   /* NULL: empty slot */
	size_t len;
	size_t count;
	uint64_t hash;
} sd_keyslot;

struct sd_keyset {
	sd_keyslot *slot;
	size_t nslots;     /* a power of two */
	size_t used;
	uint64_t seed;
	sd_arena *keys;
};

/* sd_keyset_hash - the key's hash, started from the set's seed */
static uint64_t
sd_keyset_hash(const sd_keyset *s, const char *key, size_t n)
{
	return sd_hash_bytes(key, n, s->seed);
}

sd_keyset *
sd_keyset_new(void)
{
	sd_keyset *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->nslots = SD_KEYSET_MIN_SLOTS;
	s->slot = calloc(s->nslots, sizeof(*s->slot));
	s->keys = sd_arena_new();
	if (s->slot == NULL || s->keys == NULL) {
		sd_keyset_free(s);
		return NULL;
	}
	s->seed = UINT64_C(14695981039346656037) ^ ((uint64_t)(uintptr_t)s >> 4);
	return s;
}

void
sd_keyset_free(sd_keyset *s)
{
	if (s == NULL)
		return;
	free(s->slot);
	sd_arena_free(s->keys);
	free(s);
}

/* sd_keyset_find - the slot holding key, or the empty slot where it goes */
static sd_keyslot *
sd_keyset_find(const sd_keyset *s, const char *key, size_t n, uint64_t h)
{
	size_t mask = s->nslots - 1;
	size_t i = (size_t)h & mask;
	sd_keyslot *e;

	for (;;) {
		e = &s->slot[i];
		if (e->key == NULL)
			return e;
		if (e->hash == h && e->len == n && memcmp(e->key, key, n) == 0)
			return e;
		i = (i + 1) & mask;
	}
}

/* sd_keyset_grow - double the table; -1 on no memory */
static int
sd_keyset_grow(sd_keyset *s)
{
	sd_keyslot *old = s->slot, *e;
	size_t oldn = s->nslots, i;

	if (oldn > SIZE_MAX / 2 / sizeof(*old))
		return -1;
	s->slot = calloc(oldn * 2, sizeof(*old));
	if (s->slot == NULL) {
		s->slot = old;
		return -1;
	}
	s->nslots = oldn * 2;
	for (i = 0; i < oldn; i++)
		if (old[i].key != NULL) {
			e = sd_keyset_find(s, old[i].key, old[i].len, old[i].hash);
			*e = old[i];
		}
	free(old);
	return 0;
}

size_t
sd_keyset_add(sd_keyset *s, const char *key, size_t n)
{
	uint64_t h;
	sd_keyslot *e;
	char *copy;

	if (s == NULL || (key == NULL && n > 0))
		return 0;
	if (key == NULL)
		key = "";
	h = sd_keyset_hash(s, key, n);
	e = sd_keyset_find(s, key, n, h);
	if (e->key != NULL)
		return ++e->count;
	if ((s->used + 1) * 4 > s->nslots * 3) {
		if (sd_keyset_grow(s) != 0)
			return 0;
		e = sd_keyset_find(s, key, n, h);
	}
	copy = sd_arena_strndup(s->keys, key, n);
	if (copy == NULL)
		return 0;
	e->key = copy;
	e->len = n;
	e->count = 1;
	e->hash = h;
	s->used++;
	return 1;
}

size_t
sd_keyset_count(const sd_keyset *s, const char *key, size_t n)
{
	const sd_keyslot *e;

	if (s == NULL || (key == NULL && n > 0))
		return 0;
	if (key == NULL)
		key = "";
	e = sd_keyset_find(s, key, n, sd_keyset_hash(s, key, n));
	return e->key != NULL ? e->count : 0;
}

size_t
sd_keyset_size(const sd_keyset *s)
{
	return s != NULL ? s->used : 0;
}

void
sd_keyset_each(const sd_keyset *s,
	       void (*fn)(void *ctx, const char *key, size_t n, size_t count),
	       void *ctx)
{
	size_t i;

	if (s == NULL || fn == NULL)
		return;
	for (i = 0; i < s->nslots; i++)
		if (s->slot[i].key != NULL)
			fn(ctx, s->slot[i].key, s->slot[i].len, s->slot[i].count);
}
