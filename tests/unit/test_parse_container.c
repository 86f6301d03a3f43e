/*
 * test_parse_container.c - analyze/parse/container.c on cgroup paths as
 * runtimes write them.  The paths are those of Kepler's container tests
 * (sustainable-computing-io/kepler, internal/resource: CRI-O and
 * containerd under the systemd driver, v1 and v2, containerd's v1
 * "slice:cri-containerd:id" form, the cgroupfs driver, kind's nested
 * kubelet, docker, podman rootful and rootless), and kubelet's naming
 * (pkg/kubelet/cm/cgroup_manager_linux.go) for the pod-level cgroups.
 */
#include <string.h>

#include "container.h"
#include "test.h"

static void expect(const char *path, int found, const char *runtime, const char *pod,
		   const char *qos, const char *id)
{
	struct container_id c;
	/* as /proc/PID/cgroup writes it: the path after "N:controllers:" */
	const char *p = strstr(path, ":/") ? strstr(path, ":/") + 1 : path;
	CHECK_EQ_I64(container_parse(p, strlen(p), &c), found);
	CHECK_STR(c.runtime, runtime);
	CHECK_STR(c.pod_uid, pod);
	CHECK_STR(c.qos, qos);
	CHECK_STR(c.container, id);
}

TEST(kubernetes_systemd_driver)
{
	expect("1:name=systemd:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podd0511cd2_29d2_4215_be0f_f77bc0609d99.slice/crio-f93ee491b8ed2680d5a909eb098b14a9430173b57ca1c4efedd8768566d67e8e.scope",
	       1, "cri-o", "d0511cd2-29d2-4215-be0f-f77bc0609d99", "burstable",
	       "f93ee491b8ed2680d5a909eb098b14a9430173b57ca1c4efedd8768566d67e8e");
	expect("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod2c9f8a79_5391_454b_88cb_86190881cb96.slice/crio-a09343ca97901516c25036e2b954421254f8c68b384b536064e8999f0c4ed18d.scope",
	       1, "cri-o", "2c9f8a79-5391-454b-88cb-86190881cb96", "burstable",
	       "a09343ca97901516c25036e2b954421254f8c68b384b536064e8999f0c4ed18d");
	/* containerd's v1 form under the systemd driver */
	expect("13:memory:/system.slice/containerd.service/kubepods-besteffort-pod0043435f_1854_4327_b76b_730f681a781d.slice:cri-containerd:01fd96f7ad292b02a8317cde4ecb8c7ef3cc06ffdd113f13410e0837eb2b2a20",
	       1, "containerd", "0043435f-1854-4327-b76b-730f681a781d", "besteffort",
	       "01fd96f7ad292b02a8317cde4ecb8c7ef3cc06ffdd113f13410e0837eb2b2a20");
	/* kind: a node in a docker container, kubelet's slices nested */
	expect("0::/system.slice/docker-fd9d0ea06257a9780827cbc7fd92e3812a54fca26d63e191b73610d5d48b9cbd.scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-podeab5a334_93fe_48a8_b139_9e8079c1f163.slice/cri-containerd-99f3a16ea25b7724cb56a4f0c0df1113ad9474fbf5545bead97fd5c7f61c13f4.scope",
	       1, "containerd", "eab5a334-93fe-48a8-b139-9e8079c1f163", "besteffort",
	       "99f3a16ea25b7724cb56a4f0c0df1113ad9474fbf5545bead97fd5c7f61c13f4");
	/* the pod-level cgroups: a Guaranteed pod sits under kubepods.slice */
	expect("/kubepods.slice/kubepods-pod70565f42_b704_42f2_83fe_1ffb77a67800.slice", 1, "",
	       "70565f42-b704-42f2-83fe-1ffb77a67800", "guaranteed", "");
	expect("/kubepods.slice/kubepods-burstable.slice", 0, "", "", "burstable", "");
}

TEST(kubernetes_cgroupfs_driver)
{
	expect("11:blkio:/kubepods/burstable/podf6adb0af-0855-4bab-b25b-c853f18d0ce2/35b97177dada20362ab90d90ac63cd54e8a41cf87bea34f270631b6da17f4a93",
	       1, "", "f6adb0af-0855-4bab-b25b-c853f18d0ce2", "burstable",
	       "35b97177dada20362ab90d90ac63cd54e8a41cf87bea34f270631b6da17f4a93");
	expect("kubelet/kubepods/besteffort/podbdd4097d-6795-404e-9bd8-6a1383386198/c79788e0da15a6597263eb2b9c51d05dd1a9a1d08c53c1161dc8c45d2dac6b38",
	       1, "", "bdd4097d-6795-404e-9bd8-6a1383386198", "besteffort",
	       "c79788e0da15a6597263eb2b9c51d05dd1a9a1d08c53c1161dc8c45d2dac6b38");
	expect("/kubepods/podf6adb0af-0855-4bab-b25b-c853f18d0ce2", 1, "",
	       "f6adb0af-0855-4bab-b25b-c853f18d0ce2", "guaranteed", "");
}

TEST(containers_outside_kubernetes)
{
	expect("13:hugetlb:/system.slice/docker-2fa3e04b676df750842faf017052dd37ea0cc5bc7259a3487a1718c7fe100c94.scope",
	       1, "docker", "", "", "2fa3e04b676df750842faf017052dd37ea0cc5bc7259a3487a1718c7fe100c94");
	expect("/docker/ce82d94d69e1fbbc7feeb66930c69e9b96d9f151f594773e5d0e342741d15437", 1, "docker", "", "",
	       "ce82d94d69e1fbbc7feeb66930c69e9b96d9f151f594773e5d0e342741d15437");
	expect("/containerd/1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", 1, "containerd",
	       "", "", "1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef");
	expect("0::/machine.slice/libpod-06dc5f321aad8726aa26559f16ec203bc099245bc44894b14a89fc02b022d1d5.scope/container",
	       1, "podman", "", "", "06dc5f321aad8726aa26559f16ec203bc099245bc44894b14a89fc02b022d1d5");
	expect("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-3f05ee050f82c0145f1d88c94269c39dff0f07dbf8bba20aafd54b3a75dcaecc.scope/container",
	       1, "podman", "", "", "3f05ee050f82c0145f1d88c94269c39dff0f07dbf8bba20aafd54b3a75dcaecc");
	expect("0::/system.slice/kepler.service/libpod-payload-8e363eb2287da4ccc9f52ffc5de11252ac5fe707e3ddb917a3c0bdf9bb64165b",
	       1, "podman", "", "", "8e363eb2287da4ccc9f52ffc5de11252ac5fe707e3ddb917a3c0bdf9bb64165b");
}

TEST(not_containers)
{
	expect("/system.slice/ssh.service", 0, "", "", "", "");
	expect("/", 0, "", "", "", "");
	expect("", 0, "", "", "", "");
	/* this machine's process_api cgroups: 32 hex digits, not an id */
	expect("/process_api/1bd08824e53474833bc66cbbf89dfb98/ms-oomer", 0, "", "", "", "");
	/* conmon's scope is not the container; a short id is not one either */
	expect("/machine.slice/crio-conmon-06dc5f321aad8726aa26559f16ec203bc099245bc44894b14a89fc02b022d1d5.scope",
	       0, "", "", "", "");
	expect("/system.slice/docker-2fa3e04b.scope", 0, "", "", "", "");
	expect("/kubepods/burstable/podnot-a-uid/x", 0, "", "", "burstable", "");
}
