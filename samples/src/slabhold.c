/*
 * slabhold.c - a kernel-memory leak: unreclaimable slab (SUnreclaim) that
 * grows because a program queues data on a socket nobody reads.
 *
 * usage: slabhold [-n COMM] [-s MSG] [-r RATE] [-m MAX]
 *
 *   -n COMM   comm (default ms-slabhold)
 *   -s MSG    bytes per message (default 256; small messages keep their
 *             data in the skb's kmalloc'd head, not in page fragments)
 *   -r RATE   messages per second (default 2000)
 *   -m MAX    stop sending once MAX bytes of payload are queued (default 512m)
 *
 * Design: a connected AF_UNIX SOCK_STREAM pair; the program writes MSG
 * bytes to one end RATE times a second and never reads the other end (a
 * consumer that hung, a peer that stopped reading). Every write queues one
 * sk_buff on the receiving socket: its head comes from skbuff_head_cache
 * and its data (MSG plus skb_shared_info) from a kmalloc cache, both
 * unreclaimable slab, so /proc/meminfo SUnreclaim rises by about 1 KiB
 * per 256-byte message. Nothing else grows: the process's own memory is
 * a few hundred KiB and steady. The send buffer limit, which would stop
 * the writer after about 200 KiB, is lifted with SO_SNDBUFFORCE (needs
 * CAP_NET_ADMIN: run as root); MAX bounds the total. The memory is
 * freed when the process exits (the sockets are closed).
 */
#include "ms.h"

#include <sys/socket.h>

int main(int argc, char **argv)
{
	const char *name = "ms-slabhold";
	size_t msg = 256, max = 512 * MS_MIB;
	double rate = 2000;
	int opt;
	while ((opt = getopt(argc, argv, "n:s:r:m:")) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 's': msg = ms_size(optarg); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'm': max = ms_size(optarg); break;
		default:
			fprintf(stderr, "usage: slabhold [-n COMM] [-s MSG] [-r RATE] [-m MAX]\n");
			return 2;
		}
	}
	if (msg == 0 || msg > 65536 || !(rate > 0))
		ms_die("need 0 < MSG <= 64k and RATE > 0");
	ms_name(name);

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		ms_die("socketpair: %s", strerror(errno));
	int big = 0x7fffffff / 2;
	if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) != 0)
		ms_die("SO_SNDBUFFORCE: %s (run as root)", strerror(errno));
	if (setsockopt(sv[1], SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) != 0)
		ms_die("SO_RCVBUFFORCE: %s (run as root)", strerror(errno));

	char *buf = malloc(msg);
	if (!buf)
		ms_die("malloc failed");
	memset(buf, 0x5a, msg);

	/* send in batches of 10 ms on absolute deadlines, so the rate holds */
	const double tick = 0.01;
	double next = ms_now(), owed = 0;
	size_t queued = 0;
	for (;;) {
		owed += rate * tick;
		while (owed >= 1 && queued + msg <= max) {
			ssize_t w = send(sv[0], buf, msg, MSG_DONTWAIT);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				ms_die("send after %zu bytes: %s", queued, strerror(errno));
			queued += (size_t)w;
			owed -= 1;
		}
		if (queued + msg > max)
			owed = 0;
		next += tick;
		ms_sleep_until(next);
	}
}
