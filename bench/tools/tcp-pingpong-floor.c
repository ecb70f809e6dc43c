/*
 * The kernel's floor for a ping-pong round trip on this machine: two processes bounce 120 bytes
 * over loopback TCP (TCP_NODELAY), one message in flight, with no gRPC, HTTP/2 or JVM at all.
 * Each side either blocks in epoll_wait (as an idle Netty loop does) or polls with a zero
 * timeout (as a spinning one does). Used for docs/BENCHMARKS.md; not part of any build.
 *
 *   gcc -O2 -o /tmp/pingpong-floor bench/tools/tcp-pingpong-floor.c
 *   /tmp/pingpong-floor 100000      # both sides block
 *   /tmp/pingpong-floor 100000 1    # both sides poll
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE 120
#define PORT 45901

static long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000L + t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
  long x = *(const long *) a, y = *(const long *) b;
  return x < y ? -1 : x > y;
}

/* Answers (or, as the client, times) n messages on fd. */
static void bounce(int fd, int client, int n, int poll) {
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  char buf[4096];
  memset(buf, 1, sizeof buf);
  long *rtt = client ? malloc(sizeof(long) * n) : NULL;
  long sent = 0;
  if (client) {
    sent = now_ns();
    send(fd, buf, MESSAGE, 0);
  }
  for (int i = 0; i < n; i++) {
    struct epoll_event out;
    while (epoll_wait(ep, &out, 1, poll ? 0 : -1) == 0) {
    }
    int got = recv(fd, buf, sizeof buf, 0);
    if (got <= 0) {
      break;
    }
    if (client) {
      long t = now_ns();
      rtt[i] = t - sent;
      sent = t;
    }
    send(fd, buf, got, 0);
  }
  if (client) {
    qsort(rtt, n, sizeof(long), by_value);
    printf("round trip p50 %.1f us, p99 %.1f us (%s)\n", rtt[n / 2] / 1000.0,
        rtt[(long) n * 99 / 100] / 1000.0, poll ? "both sides poll" : "both sides block");
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100000;
  int poll = argc > 2 ? atoi(argv[2]) : 0;
  int one = 1;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(PORT)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listener, (struct sockaddr *) &addr, sizeof addr) != 0 || listen(listener, 1) != 0) {
    perror("listen");
    return 1;
  }
  if (fork() == 0) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    connect(s, (struct sockaddr *) &addr, sizeof addr);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    bounce(s, 0, n + 1, poll);
    _exit(0);
  }
  int s = accept(listener, NULL, NULL);
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  bounce(s, 1, n, poll);
  return 0;
}
