// The AVX2 path (no FMA: contraction would change the rounding, see kernel_body.h).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#define GLASS_SUFFIX avx2
#define GLASS_GROUP 4
#define GLASS_GROUP_LANES 16
#include "kernel_body.h"
#pragma clang attribute pop
#endif
