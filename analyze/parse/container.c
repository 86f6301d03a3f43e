/*
 * container.c - pod and container ids in cgroup paths (see container.h).
 */
#include "container.h"

#include <string.h>

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* 64 hex digits at P (N left), followed by the end, ".scope" or '/' */
static int id64(const char *p, size_t n, char *out)
{
	if (n < 64)
		return 0;
	for (size_t i = 0; i < 64; i++)
		if (!is_hex(p[i]))
			return 0;
	if (n > 64 && p[64] != '/' && !(n - 64 == 6 && !memcmp(p + 64, ".scope", 6)))
		return 0;
	memcpy(out, p, 64);
	out[64] = '\0';
	return 1;
}

/* a pod UID (8-4-4-4-12 hex, '-' or '_') at P: copied with '-' */
static int uid36(const char *p, size_t n, char *out)
{
	static const int dash[] = { 8, 13, 18, 23 };
	if (n < 36)
		return 0;
	for (size_t i = 0, d = 0; i < 36; i++) {
		if (d < 4 && (int)i == dash[d]) {
			if (p[i] != '-' && p[i] != '_')
				return 0;
			out[i] = '-';
			d++;
		} else if (is_hex(p[i])) {
			out[i] = p[i];
		} else {
			return 0;
		}
	}
	out[36] = '\0';
	return n == 36 || p[36] == '.' || p[36] == '/' || p[36] == ':';
}

static const struct {
	const char *prefix, *runtime;
} scopes[] = {
	{ "cri-containerd-", "containerd" }, { "crio-", "cri-o" }, { "docker-", "docker" },
	{ "libpod-payload-", "podman" }, { "libpod-", "podman" },
};

/* One component C (N bytes); PREV the one before it */
static void component(const char *c, size_t n, const char *prev, size_t pn, struct container_id *o,
		      int *kube)
{
	if ((n >= 8 && !memcmp(c, "kubepods", 8)) || (n >= 16 && !memcmp(c, "kubelet-kubepods", 16)))
		*kube = 1;
	if (*kube && memmem(c, n, "besteffort", 10))
		o->qos = "besteffort";
	else if (*kube && memmem(c, n, "burstable", 9))
		o->qos = "burstable";
	const char *pod = n > 3 && !memcmp(c, "pod", 3) ? c : memmem(c, n, "-pod", 4);
	if (pod) {
		pod += *pod == '-' ? 4 : 3;
		uid36(pod, n - (size_t)(pod - c), o->pod_uid);
	}
	const char *colon = memmem(c, n, ":cri-containerd:", 16);
	if (colon && id64(colon + 16, n - (size_t)(colon + 16 - c), o->container)) {
		o->runtime = "containerd";
		return;
	}
	for (size_t i = 0; i < sizeof(scopes) / sizeof(*scopes); i++) {
		size_t pl = strlen(scopes[i].prefix);
		if (n > pl && !memcmp(c, scopes[i].prefix, pl) && id64(c + pl, n - pl, o->container)) {
			o->runtime = scopes[i].runtime;
			return;
		}
	}
	if (n == 64 && id64(c, n, o->container)) {
		/* /docker/<id>, /containerd/<id>; under a pod (cgroupfs): unknown */
		const char *rt = pn == 6 && !memcmp(prev, "docker", 6) ? "docker"
				 : pn == 10 && !memcmp(prev, "containerd", 10) ? "containerd" : "";
		o->runtime = rt;
	}
}

int container_parse(const char *path, size_t n, struct container_id *out)
{
	memset(out, 0, sizeof(*out));
	out->runtime = out->qos = "";
	int kube = 0;
	const char *prev = "";
	size_t pn = 0;
	for (const char *p = path, *end = path + n; p < end;) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t len = slash ? (size_t)(slash - p) : (size_t)(end - p);
		if (len)
			component(p, len, prev, pn, out, &kube);
		if (len) {
			prev = p;
			pn = len;
		}
		p += len + 1;
	}
	if (out->pod_uid[0] && kube && !out->qos[0])
		out->qos = "guaranteed";
	return out->pod_uid[0] || out->container[0];
}
