/*
 * display_zone.c - --tz and TZ into the process's zone (see display_zone.h).
 */
#include "display_zone.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ZONE_MAX 256

/* a file of the time zone database: NAME below TZDIR (no "..", no leading
 * '/'), or an absolute path; it starts with "TZif" */
static int zone_file(const char *name)
{
	char path[ZONE_MAX + 512];
	const char *dir = getenv("TZDIR");
	if (!*name || strstr(name, "..") || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				     "qrstuvwxyz0123456789/_+-") != strlen(name))
		return 0;
	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	char magic[4];
	ssize_t n = read(fd, magic, 4);
	close(fd);
	return n == 4 && !memcmp(magic, "TZif", 4);
}

/* +HH[[:]MM] or -HH[[:]MM] into the POSIX TZ "<+HHMM>-HH:MM" (POSIX
 * counts west of UTC as positive) */
static int offset_zone(const char *z, char *out, size_t size)
{
	size_t n = strlen(z);
	int hh, mm = 0;
	if ((z[0] != '+' && z[0] != '-') || n < 3 || z[1] < '0' || z[1] > '9' || z[2] < '0' ||
	    z[2] > '9')
		return 0;
	hh = (z[1] - '0') * 10 + (z[2] - '0');
	const char *m = z + 3 + (z[3] == ':');
	if (*m || z[3] == ':') {
		if (strlen(m) != 2 || m[0] < '0' || m[0] > '9' || m[1] < '0' || m[1] > '9')
			return 0;
		mm = (m[0] - '0') * 10 + (m[1] - '0');
	}
	if (hh > 23 || mm > 59)
		return 0;
	snprintf(out, size, "<%c%02d%02d>%c%02d:%02d", z[0], hh, mm, z[0] == '+' ? '-' : '+', hh,
		 mm);
	return 1;
}

/* a POSIX TZ rule: a name of 3+ letters, or <...> of 3+ letters, digits,
 * '+' and '-' (what glibc reads), then an offset */
static int posix_rule(const char *z)
{
	static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	size_t n;
	if (z[0] == '<') {
		char quoted[sizeof(letters) + 12];
		snprintf(quoted, sizeof(quoted), "%s0123456789+-", letters);
		n = strspn(z + 1, quoted);
		if (n < 3 || z[n + 1] != '>')
			return 0;
		n += 2;
	} else {
		n = strspn(z, letters);
		if (n < 3)
			return 0;
	}
	z += n;
	z += *z == '+' || *z == '-';
	return *z >= '0' && *z <= '9';
}

/* ZONE as the value of TZ into OUT; 0 when not a zone */
static int zone_tz(const char *zone, char *out, size_t size)
{
	if (zone[0] == ':')
		zone++;
	if (strlen(zone) >= ZONE_MAX)
		return 0;
	if (!strcmp(zone, "UTC") || !strcmp(zone, "utc") || !strcmp(zone, "Z")) {
		snprintf(out, size, "UTC0");
		return 1;
	}
	if (!strcmp(zone, "local")) {
		snprintf(out, size, ":/etc/localtime");
		return 1;
	}
	if (offset_zone(zone, out, size))
		return 1;
	if (zone_file(zone) || posix_rule(zone)) {
		snprintf(out, size, "%s", zone);
		return 1;
	}
	return 0;
}

int display_zone_check(const char *zone, struct ms_err *err)
{
	char tz[ZONE_MAX + 16];
	if (zone_tz(zone, tz, sizeof(tz)))
		return 0;
	return ms_err_set(err, EINVAL, "invalid --tz '%s': expected a zone of the time zone database "
			  "(Europe/Berlin), UTC, local, or an offset like +05:30", zone);
}

void display_zone_apply(const char *zone, const char *cmd)
{
	char tz[ZONE_MAX + 16];
	const char *env = getenv("TZ");
	if (zone ? !zone_tz(zone, tz, sizeof(tz)) /* display_zone_check() refused it */
		 : !env || !*env || !zone_tz(env, tz, sizeof(tz))) {
		if (!zone && env && *env)
			fprintf(stderr, "memsnap: %s: TZ '%s' is not a time zone memsnap knows: times "
				"are shown in UTC\n", cmd, env);
		snprintf(tz, sizeof(tz), "UTC0");
	}
	setenv("TZ", tz, 1);
	tzset();
}
