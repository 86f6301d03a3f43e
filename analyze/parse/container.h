/*
 * container.h - a cgroup path as a container runtime and Kubernetes wrote
 * it: the pod UID, the QoS class, the container id and its runtime.
 *
 * Paths are the ones /proc/PID/cgroup shows and cgroup directories have
 * below their hierarchy's mount:
 *   systemd driver  /kubepods.slice/kubepods-burstable.slice/
 *                   kubepods-burstable-pod<uid with _>.slice/cri-containerd-<id>.scope
 *                   (crio-<id>.scope, docker-<id>.scope; Guaranteed pods sit
 *                   directly under kubepods.slice; kind nests kubelet-kubepods-*)
 *   cgroupfs driver /kubepods/burstable/pod<uid>/<id>
 *   containerd's v1 systemd form  .../kubepods-besteffort-pod<uid>.slice:cri-containerd:<id>
 *   outside Kubernetes  /system.slice/docker-<id>.scope, /docker/<id>,
 *                   /containerd/<id>, /machine.slice/libpod-<id>.scope (podman)
 * (kubelet's pkg/kubelet/cm/cgroup_manager_linux.go names them).  Pure.
 */
#ifndef CONTAINER_H
#define CONTAINER_H

#include <stddef.h>

struct container_id {
	const char *runtime;    /* containerd, cri-o, docker, podman; "" unknown (static) */
	char pod_uid[40];       /* with '-'; "" outside a pod */
	const char *qos;        /* guaranteed, burstable, besteffort; "" outside kubepods (static) */
	char container[65];     /* 64 hex digits; "" for a pod-level cgroup */
};

/* 1 and *OUT filled when the N bytes at PATH name a pod or a container,
 * 0 otherwise. */
int container_parse(const char *path, size_t n, struct container_id *out);

#endif
