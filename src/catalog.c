/*
 * catalog.c - look-ups in the cause and fix catalog.
 *
 * Entry points (declared in smtpdoc.h): smtpdoc_cause_count,
 * smtpdoc_cause_at, smtpdoc_cause_find (by id) and smtpdoc_cause_for_reason
 * (a reason's default: the first catalog row with that reason; NULL or an
 * unknown reason gives the "unknown" row).
 *
 * The rows live in catalog_data.c; they are static, read-only and never
 * freed, so every function here is thread-safe. The table has about forty
 * rows, so a linear scan is cheap.
 */
#include <stddef.h>
#include <string.h>

#include "smtpdoc/smtpdoc.h"

/* defined in catalog_data.c */
extern const smtpdoc_cause sd_catalog[];
extern const size_t sd_catalog_len;

/* The row every unknown reason falls back to. */
#define SD_CAUSE_FALLBACK "unknown"

size_t
smtpdoc_cause_count(void)
{
	return sd_catalog_len;
}

const smtpdoc_cause *
smtpdoc_cause_at(size_t i)
{
	return i < sd_catalog_len ? &sd_catalog[i] : NULL;
}

const smtpdoc_cause *
smtpdoc_cause_find(const char *id)
{
	size_t i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < sd_catalog_len; i++)
		if (strcmp(sd_catalog[i].id, id) == 0)
			return &sd_catalog[i];
	return NULL;
}

const smtpdoc_cause *
smtpdoc_cause_for_reason(const char *reason)
{
	const smtpdoc_cause *c;
	size_t i;

	if (reason != NULL)
		for (i = 0; i < sd_catalog_len; i++)
			if (strcmp(sd_catalog[i].reason, reason) == 0)
				return &sd_catalog[i];
	c = smtpdoc_cause_find(SD_CAUSE_FALLBACK);
	/* The test suite guarantees the row exists; never return NULL. */
	return c != NULL ? c : &sd_catalog[sd_catalog_len - 1];
}
