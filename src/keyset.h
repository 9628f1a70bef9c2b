/*
 * keyset.h - a hash set of byte-string keys, each with a count.
 *
 * Used for the address lists (role names, disposable and free-mail
 * domains: built once, then only looked up) and for counting the domains
 * of a bulk list. Lookups and additions take O(1) on average.
 *
 * Ownership: the set copies every key it adds and frees the copies in
 * sd_keyset_free(), which accepts NULL. Keys may hold any bytes, NUL too.
 * A set is not locked: share it between threads only for lookups.
 */
#ifndef SMTPDOC_KEYSET_H
#define SMTPDOC_KEYSET_H

#include <stddef.h>

typedef struct sd_keyset sd_keyset;

/* An empty set; NULL on no memory. */
sd_keyset *sd_keyset_new(void);
void sd_keyset_free(sd_keyset *s);

/* Add one to the count of key (n bytes), adding a copy of the key when it
 * is new. Returns the new count, or 0 on no memory (the set is unchanged). */
size_t sd_keyset_add(sd_keyset *s, const char *key, size_t n);

/* The count of key (n bytes); 0 when it is not in the set. */
size_t sd_keyset_count(const sd_keyset *s, const char *key, size_t n);

/* The number of distinct keys. */
size_t sd_keyset_size(const sd_keyset *s);

/* Call fn for every key, in no particular order; key is NUL-terminated
 * after its n bytes and stays valid as long as the set. */
void sd_keyset_each(const sd_keyset *s,
		    void (*fn)(void *ctx, const char *key, size_t n, size_t count),
		    void *ctx);

#endif
