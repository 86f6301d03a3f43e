/*
 * ms_hash.h - hashing for tables keyed by bundle data.
 *
 * PIDs, start times and cgroup paths come from bundles, which are untrusted
 * input: with a fixed hash a bundle can choose keys that all land in one
 * slot (PIDs that are multiples of 2^28 did, with the multiplicative hash
 * the loader had), and an open-addressing table becomes a list that every
 * lookup walks: a million processes took hours.  So each table is keyed
 * with a seed drawn at random when it is created (ms_hash_seed()), which a
 * bundle written in advance cannot aim at, and the mixing is strong
 * (splitmix64's finaliser, so that any key bit moves every slot bit).
 * Not cryptographic, and not needed to be: nothing shows the seed.
 *
 * Header only, pure except ms_hash_seed().  The order of nothing visible
 * depends on these hashes (tables map keys to ids assigned in input order),
 * so outputs stay deterministic.
 */
#ifndef MS_HASH_H
#define MS_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static inline uint64_t ms_hash_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

/* A random seed: getrandom(), or the clock and PID when it fails. */
static inline uint64_t ms_hash_seed(void)
{
	uint64_t s;
	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) == (ssize_t)sizeof(s))
		return s;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ms_hash_mix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)getpid());
}

static inline uint64_t ms_hash_u64(uint64_t key, uint64_t seed)
{
	return ms_hash_mix(key + seed * 0x9e3779b97f4a7c15ull + 0x9e3779b97f4a7c15ull);
}

/* Two keys (e.g. PID and start time). */
static inline uint64_t ms_hash_u64x2(uint64_t a, uint64_t b, uint64_t seed)
{
	return ms_hash_mix(ms_hash_u64(a, seed) ^ b);
}

/* N bytes at P, 8 at a time, each step through the mixer. */
static inline uint64_t ms_hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = ms_hash_u64(n, seed);
	while (n) {
		uint64_t w = 0;
		size_t k = n < 8 ? n : 8;
		for (size_t i = 0; i < k; i++)
			w |= (uint64_t)s[i] << (8 * i);
		h = ms_hash_mix(h ^ w);
		s += k;
		n -= k;
	}
	return h;
}

#endif
