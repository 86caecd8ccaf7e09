// The AVX-512 path (F, VL, DQ; 256-bit vectors with 32 registers and the AVX-512 integer
// and conversion instructions; no FMA).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512dq"))), apply_to = function)
#define GLASS_SUFFIX avx512
#define GLASS_GROUP 4
#define GLASS_GROUP_LANES 16
#include "kernel_body.h"
#pragma clang attribute pop
#endif
