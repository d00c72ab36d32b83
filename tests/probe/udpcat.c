// SPDX-License-Identifier: GPL-2.0-or-later
/* udpcat: a tiny static UDP peer for the network tests (busybox's nc has
 * no UDP). "udpcat listen PORT": print the first datagram, answer it
 * with "pong", exit. "udpcat send IP PORT MSG": send MSG, print the
 * answer (tries for about 6 s). IPv4 addresses only (no resolver in a static
 * binary: the tests resolve names with busybox nslookup). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	struct timeval tv = {0, 300000};
	char buf[2048];
	ssize_t n;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (argc == 3 && !strcmp(argv[1], "listen")) {
		sa.sin_port = htons((unsigned short)atoi(argv[2]));
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			return perror("bind"), 1;
		n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&sa, &len);
		if (n < 0)
			return perror("recvfrom"), 1;
		printf("%.*s from %s\n", (int)n, buf, inet_ntoa(sa.sin_addr));
		fflush(stdout);
		sendto(fd, "pong", 4, 0, (struct sockaddr *)&sa, len);
		return 0;
	}
	if (argc != 5 || strcmp(argv[1], "send") || inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1)
		return fprintf(stderr, "usage: udpcat listen PORT | send IP PORT MSG\n"), 2;
	sa.sin_port = htons((unsigned short)atoi(argv[3]));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (int i = 0; i < 20; i++) { /* the listener may not be up yet */
		sendto(fd, argv[4], strlen(argv[4]), 0, (struct sockaddr *)&sa, sizeof(sa));
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n > 0)
			return printf("%.*s\n", (int)n, buf), 0;
		usleep(100000);
	}
	return 1;
}
