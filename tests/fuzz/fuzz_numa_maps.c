/* fuzz_numa_maps.c - numa_maps_parse() on arbitrary text (see fuzz.h). */
#include "fuzz.h"
#include "numa_maps.h"

static int vma(void *ctx, const struct numa_maps_vma *v, struct ms_err *err)
{
	(void)err;
	size_t *n = ctx;
	FUZZ_CHECK(v->line >= 1 && v->policy != NULL);
	*n += fuzz_touch(v->policy) + fuzz_touch(v->file);
	FUZZ_CHECK((v->nodes == NULL) == (v->n_nodes == 0));
	uint64_t sum = 0;
	for (size_t i = 0; i < v->n_nodes; i++) {
		FUZZ_CHECK(v->nodes[i].node < NUMA_MAPS_MAX_NODES);
		sum += v->nodes[i].pages;
	}
	FUZZ_CHECK(sum == v->pages);
	FUZZ_CHECK(v->pages == 0 || v->page_size_bytes >= 0); /* kernelpagesize_kB=0 passes */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "numa_maps:", data, size);
	size_t n = 0;
	int rc = numa_maps_parse((const char *)data, size, vma, &n, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	ms_err_release(&err);
	return 0;
}
