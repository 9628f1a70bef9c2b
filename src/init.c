/*
 * init.c - library start-up and status texts.
 *
 * smtpdoc_init() sets up GMime and compiles the pattern tables once
 * (pthread_once); smtpdoc_strerror() maps a status to its text, both
 * generated from SMTPDOC_STATUS_MAP in smtpdoc.h.
 */
#include "internal.h"



static const char *const sd_status_text[] = {
#define SD_X_TEXT(name, text) text,
	SMTPDOC_STATUS_MAP(SD_X_TEXT)
#undef SD_X_TEXT
};

const char *
smtpdoc_strerror(smtpdoc_status st)
{
	if ((int)st < 0 || st >= SMTPDOC_STATUS_COUNT)
		return "unknown status";
	return sd_status_text[st];
}

smtpdoc_status
smtpdoc_init(void)
{
	sd_mime_init();
	if (sd_classify_init() != 0)
		return SMTPDOC_ENOMEM;
	return SMTPDOC_OK;
}
