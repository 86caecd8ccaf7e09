#ifndef GLASSDYNAMICS_CLAPACK_SHIM_H
#define GLASSDYNAMICS_CLAPACK_SHIM_H
#include <lapacke.h>
#include <cblas.h>
/* OpenBLAS thread control; declared here so Swift can keep BLAS single-threaded
   while GlassDynamics runs realizations on its own threads. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
