/*
 * linux310.c - run a program as if on Linux 3.10 (x86-64): a seccomp-bpf
 * filter answers every system call added after 3.10 with ENOSYS, as that
 * kernel would, then execs the program (a test helper, built by the test).
 *
 *   linux310 PROGRAM [ARGS...]
 *
 * v3.10's arch/x86/syscalls/syscall_64.tbl ends at 313 (finit_module);
 * every later call has a higher number (314 sched_setattr, 317 seccomp,
 * 318 getrandom, 319 memfd_create, 324 membarrier, 326 copy_file_range,
 * 327 preadv2, 329-331 pkey_*, 332 statx, 334 rseq, 424-434 pidfd_*,
 * io_uring_* and the mount API, 435 clone3, 436 close_range, 437 openat2,
 * 439 faccessat2, 441 epoll_pwait2, ...), so the filter is "nr >= 314:
 * ENOSYS".  Calls of the x32 ABI get ENOSYS too; any other architecture
 * is killed.  New flags of old calls are not filtered (a 3.10 kernel would
 * answer EINVAL to some): see docs/collector.md.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef __x86_64__
#error "linux310 filters x86-64 system call numbers"
#endif

enum { LAST_310 = 313, X32_BIT = 0x40000000 };

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, LAST_310, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(*f), f };
	if (argc < 2) {
		fputs("usage: linux310 PROGRAM [ARGS...]\n", stderr);
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("linux310: seccomp");
		return 1;
	}
	execv(argv[1], argv + 1);
	perror("linux310: exec");
	return 127;
}
