/*
 * classify.h - the phrase table behind the classifier (classify_patterns.c).
 */
#ifndef SMTPDOC_CLASSIFY_H
#define SMTPDOC_CLASSIFY_H

#include <stddef.h>

/* One phrase as MTAs and providers print it, lower case; white space runs
 * match any white space. Higher priority wins when several phrases match. */
typedef struct sd_phrase {
	const char *text;
	const char *reason;   /* Sisimai reason; NULL for a lead-in (SD_P_FRAME) */
	const char *cause;    /* catalog id, NULL for the reason's default */
	int priority;
} sd_phrase;

extern const sd_phrase sd_phrases[];
extern const size_t sd_phrases_len;

/* Priority bands: */
#define SD_P_DECISIVE 95  /* names one cause beyond doubt */
#define SD_P_SPECIFIC 85  /* specific wording */
#define SD_P_MAILBOX 70   /* mailbox existence wording */
#define SD_P_GENERIC 50   /* generic refusal wording */
#define SD_P_WEAK 30      /* a hint only */
/* The words with which an MTA introduces its explanation ("Recipient
 * address rejected: ..."). A lead-in names no reason: it only outranks the
 * same refusal said bare, so that a reply whose explanation is not
 * recognised counts as unrecognised, not as the bare refusal. */
#define SD_P_FRAME 25
#define SD_P_BARE 20      /* a refusal with no explanation after it */

#endif
