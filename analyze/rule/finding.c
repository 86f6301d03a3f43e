/*
 * finding.c - the list of findings a run collects (see finding.h).
 */
#include "finding.h"

#include <stdlib.h>
#include <string.h>

struct finding *finding_list_add(struct finding_list *l)
{
	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 16;
		struct finding *nf = realloc(l->f, na * sizeof(*nf));
		if (!nf)
			return NULL;
		l->f = nf;
		l->alloc = na;
	}
	struct finding *f = &l->f[l->n++];
	memset(f, 0, sizeof(*f));
	return f;
}

const struct rule_unit *finding_value_unit(const struct finding *f)
{
	return f->value_unit_name ? &f->own_value_unit : f->value_unit;
}

int finding_entity_has_kind(const struct finding *f)
{
	size_t kl = strlen(f->entity_kind);
	return !strncmp(f->entity, f->entity_kind, kl) && (f->entity[kl] == '\0' || f->entity[kl] == ' ');
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	int c = strcmp(a->rule->id, b->rule->id);
	if (c)
		return c;
	if (a->has_value != b->has_value)
		return a->has_value ? -1 : 1;
	if (a->has_value && a->value != b->value)
		return a->value > b->value ? -1 : 1;
	c = strcmp(a->entity_kind, b->entity_kind);
	return c ? c : strcmp(a->entity, b->entity);
}

void finding_list_sort(struct finding_list *l)
{
	if (l->n > 1)
		qsort(l->f, l->n, sizeof(*l->f), cmp_finding);
}

size_t finding_list_count(const struct finding_list *l, enum rule_severity s)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->f[i].severity == s;
	return n;
}

void finding_list_truncate(struct finding_list *l, size_t n)
{
	for (size_t i = n; i < l->n; i++) {
		struct finding *f = &l->f[i];
		free(f->entity_kind);
		free(f->entity);
		free(f->message);
		free(f->value_unit_name);
		free(f->subject.zone);
		free(f->subject.comm);
		free(f->subject.cgroup);
		for (size_t j = 0; j < f->nev; j++) {
			free(f->ev[j].name);
			free(f->ev[j].text);
		}
		free(f->ev);
	}
	if (n < l->n)
		l->n = n;
}

void finding_list_release(struct finding_list *l)
{
	finding_list_truncate(l, 0);
	free(l->f);
	memset(l, 0, sizeof(*l));
}
