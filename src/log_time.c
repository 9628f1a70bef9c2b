/*
 * log_time.c - log timestamps to UTC, and the ISO 8601 times of --since
 * and --until.
 *
 * A stamp with a zone (RFC 3339, Exim's log_timezone) is exact. One
 * without is local time: its hour is converted with mktime() once and
 * cached, so a log costs one conversion per hour it covers (two slots: a
 * line past the reference time tries its year and then the year before,
 * and each of those hours stays cached; without TZ set, every mktime()
 * also stats /etc/localtime). Classic
 * syslog stamps have no year: the year is the one that puts the stamp at
 * most two days after the reference time (the file's modification time),
 * so a December line read in January lands in the year before.
 */
#include <string.h>

#include "internal.h"
#include "logparse.h"

/* days since 1970-01-01 of a proleptic Gregorian date */
long
sd_days_from_civil(int y, int m, int d)
{
	long yy = y - (m <= 2), era, yoe, doy, doe;

	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
sd_logclock_init(sd_logclock *c, time_t ref)
{
	struct tm tm;

	memset(c, 0, sizeof(*c));
	c->ref = ref;
	c->key[0] = c->key[1] = -1;
	if (gmtime_r(&ref, &tm))
		c->ref_year = tm.tm_year + 1900;
	else
		c->ref_year = 1970;
}

/* UTC of local time y-m-d h:00:00 */
static time_t
sd_local_hour(sd_logclock *c, int y, int m, int d, int h)
{
	long key = (long)y * 1000000L + m * 10000L + d * 100L + h;
	struct tm tm;
	time_t t;

	if (key == c->key[0])
		return c->base[0];
	if (key == c->key[1])
		return c->base[1];
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		t = (time_t)(sd_days_from_civil(y, m, d) * 86400L + h * 3600L);
	c->key[c->next] = key;
	c->base[c->next] = t;
	c->next ^= 1;
	return t;
}

time_t
sd_log_time(sd_logclock *c, const sd_logstamp *s)
{
	int y = s->year;
	time_t t;

	if (s->mon == 0)
		return 0;
	if (y == 0) {
		y = c->ref_year;
		t = sd_local_hour(c, y, s->mon, s->day, s->hour) + s->min * 60 + s->sec;
		if (c->ref && t > c->ref + 2 * 86400)
			t = sd_local_hour(c, y - 1, s->mon, s->day, s->hour) + s->min * 60 + s->sec;
		return t;
	}
	if (s->has_zone)
		return (time_t)(sd_days_from_civil(y, s->mon, s->day) * 86400L + s->hour * 3600L + s->min * 60L +
				s->sec - s->zone_sec);
	return sd_local_hour(c, y, s->mon, s->day, s->hour) + s->min * 60 + s->sec;
}

smtpdoc_status
smtpdoc_log_parse_time(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	long zone = 0;
	size_t n;

	if (s == NULL || out == NULL)
		return SMTPDOC_EINVAL;
	n = strlen(s);
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return SMTPDOC_EINVAL;
	y = sd_log_digits(s, 4);
	mo = sd_log_digits(s + 5, 2);
	d = sd_log_digits(s + 8, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return SMTPDOC_EINVAL;
	s += 10;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (strlen(s) < 5 || s[2] != ':')
			return SMTPDOC_EINVAL;
		h = sd_log_digits(s, 2);
		mi = sd_log_digits(s + 3, 2);
		s += 5;
		if (*s == ':') {
			se = sd_log_digits(s + 1, 2);
			s += 3;
			if (*s == '.')
				for (s++; sd_isdigit((unsigned char)*s); s++)
					;
		}
		if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
			return SMTPDOC_EINVAL;
		if (*s == 'Z') {
			s++;
		} else if ((*s == '+' || *s == '-') && strlen(s) >= 6 && s[3] == ':') {
			int zh = sd_log_digits(s + 1, 2), zm = sd_log_digits(s + 4, 2);
			if (zh < 0 || zm < 0)
				return SMTPDOC_EINVAL;
			zone = (zh * 3600L + zm * 60L) * (*s == '-' ? -1 : 1);
			s += 6;
		}
	}
	if (*s != '\0')
		return SMTPDOC_EINVAL;
	*out = (time_t)(sd_days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + se - zone);
	return SMTPDOC_OK;
}
