/*
 * load_derive.h - values an old kernel does not print, derived at the end
 * of a load (see load_derive.c).  Private to the loader.
 */
#ifndef LOAD_DERIVE_H
#define LOAD_DERIVE_H

#include "load_state.h"

/* MemAvailable where meminfo has none, and the rows of `derived`. */
int load_derive(struct load_state *ls, struct ms_err *err);

#endif
