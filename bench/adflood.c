// SPDX-License-Identifier: GPL-2.0
/*
 * adflood IFACE HEXFRAME RATE SECONDS
 *
 * Send one Ethernet frame (given in hex, from the destination MAC on) out of
 * IFACE through an AF_PACKET socket, RATE frames a second (0: as fast as
 * the socket takes them) for SECONDS, in batches of sendmmsg(). Paced on
 * CLOCK_MONOTONIC: a batch waits until its first frame is due, so a slow
 * machine sends fewer, never a burst to catch up. Prints one JSON object:
 * frames sent, frames the device refused (ENOBUFS), seconds and the rate
 * achieved.
 *
 * The bench's forged advertisements need far more than Python sends; this
 * is the sender for them (bench/adverts.sh).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32
#define MAXFRAME 1514

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int unhex(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;
	unsigned int b;

	while (s[0] && s[1]) {
		if (n == max || sscanf(s, "%2x", &b) != 1)
			return -1;
		out[n++] = b;
		s += 2;
	}
	return *s ? -1 : (int)n;
}

int main(int argc, char **argv)
{
	static unsigned char frame[MAXFRAME];
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct sockaddr_ll sll;
	unsigned long long sent = 0, refused = 0;
	double rate, secs, t0, end, t;
	int fd, len, i, n;

	if (argc != 5) {
		fprintf(stderr, "usage: %s IFACE HEXFRAME RATE SECONDS\n", argv[0]);
		return 2;
	}
	len = unhex(argv[2], frame, sizeof(frame));
	rate = atof(argv[3]);
	secs = atof(argv[4]);
	if (len < 14 || rate < 0 || secs <= 0) {
		fprintf(stderr, "adflood: bad frame, rate or duration\n");
		return 2;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("adflood: socket");
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(argv[1]);
	if (!sll.sll_ifindex) {
		perror("adflood: interface");
		return 1;
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("adflood: bind");
		return 1;
	}
	iov.iov_base = frame;
	iov.iov_len = len;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	t0 = now();
	end = t0 + secs;
	for (;;) {
		t = now();
		if (t >= end)
			break;
		if (rate > 0) {
			double due = t0 + sent / rate;

			if (due > t) {
				if (due >= end)
					break;
				sleep_until(due);
			}
		}
		n = sendmmsg(fd, msgs, BATCH, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				refused++;
				continue;
			}
			perror("adflood: sendmmsg");
			return 1;
		}
		sent += n;
	}
	t = now() - t0;
	printf("{\"sent\": %llu, \"refused\": %llu, \"seconds\": %.3f, \"rate\": %.0f}\n",
	       sent, refused, t, sent / t);
	return 0;
}
