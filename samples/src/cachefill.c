/*
 * cachefill.c - a control that must NOT be called a leak: an in-process LRU
 * cache with a bound. It fills to MAX, then evicts the least recently used
 * entry for every new one, so its anonymous memory rises and then stays.
 *
 * usage: cachefill [-n COMM] [-m MAX] [-f FILLTIME] [-e ENTRY]
 *
 *   -n COMM      comm (default ms-cachefill)
 *   -m MAX       the cache's bound in bytes of entries (default 100m)
 *   -f FILLTIME  time to fill it (default 180s); it keeps inserting at the
 *                same rate afterwards, now with evictions
 *   -e ENTRY     size of one entry (default 64k)
 *
 * Design: entries are malloc'd (ENTRY below glibc's mmap threshold: they live
 * in the brk heap, as a real cache's objects do) and written in full; an
 * intrusive doubly linked LRU list; every tick a few random lookups move hit
 * entries to the front, and insertions beyond the bound free the tail first,
 * so freed chunks are reused by the next insertion and RSS stays at the
 * bound (plus allocator overhead) without malloc_trim.
 */
#include "ms.h"

struct ent {
	struct ent *prev, *next;
	unsigned long key;
};

static struct ent head = { &head, &head, 0 };

static void unlink_ent(struct ent *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

static void push_front(struct ent *e)
{
	e->next = head.next;
	e->prev = &head;
	head.next->prev = e;
	head.next = e;
}

int main(int argc, char **argv)
{
	const char *name = "ms-cachefill";
	size_t max = 100 * MS_MIB, esz = 64 * 1024;
	double fill = 180.0;
	int opt;
	while ((opt = getopt(argc, argv, "n:m:f:e:")) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 'm': max = ms_size(optarg); break;
		case 'f': fill = ms_dur(optarg); break;
		case 'e': esz = ms_size(optarg); break;
		default:
			fprintf(stderr, "usage: cachefill [-n COMM] [-m MAX] [-f FILLTIME] [-e ENTRY]\n");
			return 2;
		}
	}
	if (esz < sizeof(struct ent) || max < esz || fill <= 0)
		ms_die("need ENTRY >= %zu, MAX >= ENTRY, FILLTIME > 0", sizeof(struct ent));
	ms_name(name);
	size_t cap = max / esz, count = 0;
	/* insert in ticks of 0.5 s: cap entries over fill seconds */
	double tick = 0.5;
	double per_tick = (double)cap * tick / fill, owed = 0;
	unsigned long key = 0, rnd = 12345;
	double next = ms_now();
	for (;;) {
		owed += per_tick;
		while (owed >= 1.0) {
			owed -= 1.0;
			if (count == cap) {
				struct ent *lru = head.prev;
				unlink_ent(lru);
				free(lru);
				count--;
			}
			struct ent *e = malloc(esz);
			if (!e)
				ms_die("malloc failed");
			ms_touch(e, esz, (unsigned char)(key | 1));
			e->key = key++;
			push_front(e);
			count++;
		}
		/* lookups: walk a random distance from the front, move the hit up */
		for (int l = 0; l < 4 && count; l++) {
			rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
			size_t d = (size_t)(rnd >> 33) % count;
			struct ent *e = head.next;
			while (d--)
				e = e->next;
			unlink_ent(e);
			push_front(e);
		}
		next += tick;
		ms_sleep_until(next);
	}
}
