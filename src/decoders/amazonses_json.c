/*
 * amazonses_json.c - decoder for Amazon SES notifications sent by mail.
 *
 * SES reports bounces, complaints and deliveries as JSON: either mailed
 * directly by an SNS topic subscription ("AWS Notification Message") or
 * wrapped in an SNS envelope whose "Message" member is the notification as
 * a JSON string. The notification names its kind in "notificationType"
 * (or "eventType" for event publishing) and lists the recipients:
 *   Bounce:    bounce.bouncedRecipients[] {emailAddress, action, status,
 *              diagnosticCode}, bounce.reportingMTA
 *   Complaint: complaint.complainedRecipients[] {emailAddress},
 *              complaint.complaintFeedbackType
 *   Delivery:  delivery.recipients[] (strings), delivery.smtpResponse
 * and the original sender in mail.source. The JSON is parsed with json-c
 * (depth-limited). Mail relays that split lines longer than they accept
 * leave "!" + newline + space inside the text; those splits are undone
 * before parsing.
 */
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "internal.h"

#define SD_SES_MAX_DEPTH 16

/* The JSON text starting at the first '{' of the body, with relay line
 * splits ("!\n ") removed. Arena copy or NULL. */
static char *
sd_ses_json_text(const sd_msgview *m, size_t *outlen)
{
	const char *start = memchr(m->body, '{', m->body_len);
	size_t i, n, o = 0;
	char *buf;

	if (start == NULL)
		return NULL;
	n = m->body_len - (size_t)(start - m->body);
	buf = sd_arena_alloc(m->arena, n + 1);
	if (buf == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (start[i] == '!' && i + 2 < n && start[i + 1] == '\n' && start[i + 2] == ' ') {
			i += 2;
			continue;
		}
		buf[o++] = start[i];
	}
	buf[o] = '\0';
	*outlen = o;
	return buf;
}

static json_object *
sd_ses_parse(const char *text, size_t len)
{
	json_tokener *tok = json_tokener_new_ex(SD_SES_MAX_DEPTH);
	json_object *obj;

	if (tok == NULL)
		return NULL;
	if (len > (size_t)0x7fffffff)
		len = 0x7fffffff;
	obj = json_tokener_parse_ex(tok, text, (int)len);
	json_tokener_free(tok);
	return obj;
}

/* obj[key] as a string (arena copy, the caller's to change), or NULL. */
static char *
sd_ses_str(sd_arena *a, json_object *obj, const char *key)
{
	json_object *v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return sd_arena_strdup(a, json_object_get_string(v));
}

static json_object *
sd_ses_member(json_object *obj, const char *key)
{
	json_object *v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

/* "dsn; a1-2.smtp-out.amazonses.com" -> the host name */
static const char *
sd_ses_host(const char *v)
{
	const char *semi = v ? strchr(v, ';') : NULL;

	if (semi == NULL)
		return v;
	semi++;
	while (*semi == ' ')
		semi++;
	return *semi ? semi : NULL;
}

static sd_rcpt *
sd_ses_add(const sd_msgview *m, sd_rcpts *out, const char *addr)
{
	char *clean = addr ? sd_clean_address(m->arena, addr) : NULL;
	sd_rcpt *r;

	if (clean == NULL || (r = sd_rcpts_add(out, m->arena)) == NULL)
		return NULL;
	r->recipient = clean;
	return r;
}

static void
sd_ses_bounce(const sd_msgview *m, json_object *b, sd_rcpts *out)
{
	json_object *list = sd_ses_member(b, "bouncedRecipients");
	const char *mta = sd_ses_host(sd_ses_str(m->arena, b, "reportingMTA"));
	const char *remote = sd_ses_str(m->arena, b, "remoteMtaIp");
	size_t i, n;

	if (list == NULL || !json_object_is_type(list, json_type_array))
		return;
	n = json_object_array_length(list);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(list, i);
		sd_rcpt *r = sd_ses_add(m, out, sd_ses_str(m->arena, e, "emailAddress"));
		const char *diag, *semi;
		char code[16];
		if (r == NULL)
			continue;
		r->action = sd_ses_str(m->arena, e, "action");
		diag = sd_ses_str(m->arena, e, "diagnosticCode");
		if (diag && (semi = strchr(diag, ';')) != NULL && semi - diag < 12) {
			r->diagtype = sd_arena_strndup(m->arena, diag, (size_t)(semi - diag));
			diag = semi + 1;
			while (*diag == ' ')
				diag++;
		}
		r->diag = diag;
		r->status = sd_ses_str(m->arena, e, "status");
		if (r->status && !sd_find_status(r->status, strlen(r->status), code))
			r->status = NULL;
		r->lhost = mta;
		r->rhost = remote;
	}
}

static void
sd_ses_complaint(const sd_msgview *m, json_object *c, sd_rcpts *out)
{
	json_object *list = sd_ses_member(c, "complainedRecipients");
	char *type = sd_ses_str(m->arena, c, "complaintFeedbackType");
	size_t i, n;

	if (list == NULL || !json_object_is_type(list, json_type_array))
		return;
	n = json_object_array_length(list);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(list, i);
		sd_rcpt *r = sd_ses_add(m, out, sd_ses_str(m->arena, e, "emailAddress"));
		if (r == NULL)
			continue;
		r->reason = "feedback";
		r->feedbacktype = type ? sd_lower(type) : "abuse";
		r->diag = "The recipient reported the message as unwanted (Amazon SES complaint).";
	}
}

static void
sd_ses_delivery(const sd_msgview *m, json_object *d, sd_rcpts *out)
{
	json_object *list = sd_ses_member(d, "recipients");
	const char *reply = sd_ses_str(m->arena, d, "smtpResponse");
	const char *mta = sd_ses_host(sd_ses_str(m->arena, d, "reportingMTA"));
	size_t i, n;

	if (list == NULL || !json_object_is_type(list, json_type_array))
		return;
	n = json_object_array_length(list);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(list, i);
		sd_rcpt *r;
		char code[16];
		if (!json_object_is_type(e, json_type_string))
			continue;
		r = sd_ses_add(m, out, json_object_get_string(e));
		if (r == NULL)
			continue;
		r->action = "delivered";
		r->reason = "delivered";
		r->diag = reply;
		r->diagtype = "SMTP";
		if (reply && sd_find_status(reply, strlen(reply), code))
			r->status = sd_arena_strdup(m->arena, code);
		r->lhost = mta;
	}
}

static int
sd_decode_amazonses_json(const sd_msgview *m, sd_rcpts *out)
{
	size_t n = m->body_len < 4096 ? m->body_len : 4096, len = 0, before = out->n;
	json_object *top, *note, *inner = NULL;
	const char *kind, *text;

	int ses;

	if (n == 0 || memchr(m->body, '{', n) == NULL)
		return 0; /* no JSON object in the opening of the text */
	ses = sd_memcasemem(m->body, n, "\"notificationType\"", 18) != NULL ||
		  sd_memcasemem(m->body, n, "\"eventType\"", 11) != NULL ||
		  sd_memcasemem(m->body, n, "\"Type\" : \"Notification\"", 23) != NULL ||
		  sd_memcasemem(m->body, n, "\"Type\":\"Notification\"", 21) != NULL;

	if (!ses && !sd_memcasemem(m->body, n, "\"Message\"", 9))
		return 0;
	/* a notification that says so but cannot be read is reported, not
	 * taken for an ordinary message */
	if (ses)
		out->why = "an Amazon SES notification whose JSON could not be read or names no recipient";
	text = sd_ses_json_text(m, &len);
	if (text == NULL || (top = sd_ses_parse(text, len)) == NULL)
		return 0;
	note = top;
	/* an SNS envelope carries the notification as a string */
	if (!json_object_is_type(top, json_type_object)) {
		json_object_put(top);
		return 0;
	}
	if (sd_ses_member(top, "notificationType") == NULL && sd_ses_member(top, "eventType") == NULL) {
		const char *msg = sd_ses_str(m->arena, top, "Message");
		if (msg == NULL || (inner = sd_ses_parse(msg, strlen(msg))) == NULL) {
			json_object_put(top);
			return 0;
		}
		note = inner;
	}
	kind = sd_ses_str(m->arena, note, "notificationType");
	if (kind == NULL)
		kind = sd_ses_str(m->arena, note, "eventType");
	if (kind && strcasecmp(kind, "Bounce") == 0)
		sd_ses_bounce(m, sd_ses_member(note, "bounce"), out);
	else if (kind && strcasecmp(kind, "Complaint") == 0)
		sd_ses_complaint(m, sd_ses_member(note, "complaint"), out);
	else if (kind && strcasecmp(kind, "Delivery") == 0)
		sd_ses_delivery(m, sd_ses_member(note, "delivery"), out);
	if (out->n > before) {
		const char *source = sd_ses_str(m->arena, sd_ses_member(note, "mail"), "source");
		out->why = NULL;
		size_t i;
		for (i = before; i < out->n; i++)
			out->v[i].addresser = source ? sd_clean_address(m->arena, source) : NULL;
		out->agent = "AmazonSES";
	}
	if (inner)
		json_object_put(inner);
	json_object_put(top);
	return (int)(out->n - before);
}

const sd_decoder sd_decoder_amazonses_json = {"AmazonSES", sd_decode_amazonses_json};
