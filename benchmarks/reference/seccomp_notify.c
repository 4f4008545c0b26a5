/* Defines ref_seccomp_notify: a minimal seccomp user-notification supervisor. The guest runs
 * under a filter that returns SECCOMP_RET_USER_NOTIF for the trapped syscalls (getppid unless
 * told otherwise); the supervisor receives each notification and answers "continue", which is
 * the least a notify-based tracer can do per call: one NOTIF_RECV and one NOTIF_SEND.
 *
 *   ref_seccomp_notify [-a] [-t NR]... [-w] [-p] [--] command [args...]
 *     -a     trap every syscall     -t NR  trap syscall NR (repeatable; default getppid)
 *     -w     set SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6+): the kernel wakes the
 *            supervisor on the guest's CPU, which avoids a cross-CPU wake-up per call
 *     -p     poll() the listener before each NOTIF_RECV, as a supervisor that also waits on
 *            other fds (pidfds, a control socket) must: shows what that costs per call
 *
 * Exits with the command's exit code (128+signal when it was killed); prints the reason and
 * exits with 125 when the machine lacks a feature it was asked to use. */
#define _GNU_SOURCE
#include "common.h"

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* The supervisor ends from the SIGCHLD handler when the guest's first process ends: a blocked
 * NOTIF_RECV is not woken when the filter loses its last user, and ending here (waitpid and
 * _exit are async-signal-safe) has no window between a check and the blocking call. */
static pid_t child;
static void on_sigchld(int sig) {
  (void)sig;
  int saved = errno, status;
  if (waitpid(child, &status, WNOHANG) == child) _exit(ref_exit_code(status));
  errno = saved;
}

static void send_fd(int sock, int fd) {
  char data = 'f';
  struct iovec iov = {&data, 1};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr m = {0};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = u.buf;
  m.msg_controllen = sizeof u.buf;
  struct cmsghdr* c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  if (sendmsg(sock, &m, 0) != 1) ref_die("sendmsg");
}

static int recv_fd(int sock) {
  char data;
  struct iovec iov = {&data, 1};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } u;
  struct msghdr m = {0};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = u.buf;
  m.msg_controllen = sizeof u.buf;
  if (recvmsg(sock, &m, 0) != 1) return -1;
  struct cmsghdr* c = CMSG_FIRSTHDR(&m);
  if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

int main(int argc, char** argv) {
  struct ref_options o = ref_parse(argc, argv, 'w', 'p', "[-a] [-t NR]... [-w] [-p] [--] command [args...]");
  const int sync_wake = o.flag_a;
  const int use_poll = o.flag_b;

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigchld;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old); /* until `child` is set */
  if (sigaction(SIGCHLD, &sa, NULL) != 0) ref_die("sigaction");

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) ref_die("socketpair");
  child = fork();
  if (child < 0) ref_die("fork");
  if (child == 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    signal(SIGCHLD, SIG_DFL);
    close(sv[0]);
    int listener = ref_install_filter(&o, SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER);
    if (listener < 0) ref_die("seccomp (user notification)");
    send_fd(sv[1], listener);
    close(listener);
    close(sv[1]);
    execvp(o.argv[0], o.argv);
    ref_die(o.argv[0]);
  }
  close(sv[1]);
  sigprocmask(SIG_SETMASK, &old, NULL);
  int listener = recv_fd(sv[0]);
  close(sv[0]);
  if (listener < 0) { /* the child failed before exec: its exit code says why */
    for (;;) pause();
  }
  if (sync_wake && ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) != 0)
    ref_die("SECCOMP_IOCTL_NOTIF_SET_FLAGS(SYNC_WAKE_UP) (needs Linux 6.6)");

  struct seccomp_notif_sizes sizes;
  if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) ref_die("SECCOMP_GET_NOTIF_SIZES");
  struct seccomp_notif* req =
      calloc(1, sizes.seccomp_notif > sizeof *req ? sizes.seccomp_notif : sizeof *req);
  struct seccomp_notif_resp* resp =
      calloc(1, sizes.seccomp_notif_resp > sizeof *resp ? sizes.seccomp_notif_resp : sizeof *resp);
  if (!req || !resp) ref_die("calloc");

  for (;;) {
    if (use_poll) {
      struct pollfd p = {listener, POLLIN, 0};
      if (poll(&p, 1, -1) < 0 && errno != EINTR) ref_die("poll");
      if (!(p.revents & POLLIN)) continue;
    }
    memset(req, 0, sizes.seccomp_notif);
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) != 0) {
      if (errno == EINTR || errno == ENOENT) continue; /* ENOENT: the caller went away */
      ref_die("SECCOMP_IOCTL_NOTIF_RECV");
    }
    resp->id = req->id;
    resp->val = 0;
    resp->error = 0;
    resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) != 0 && errno != ENOENT) ref_die("NOTIF_SEND");
  }
}
