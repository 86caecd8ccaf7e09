// Which paths this CPU runs, and their kernel tables.
#include "CGlassKernels.h"
#include <stddef.h>

extern const glass_kernels glass_kernels_sse2;
#if defined(__x86_64__)
extern const glass_kernels glass_kernels_avx2;
extern const glass_kernels glass_kernels_avx512;
#endif

int glass_simd_supported(int path) {
    switch (path) {
    case GLASS_SIMD_SSE2: return 1;
#if defined(__x86_64__)
    case GLASS_SIMD_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") ? 1 : 0;
    case GLASS_SIMD_AVX512:
        __builtin_cpu_init();
        return (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
                && __builtin_cpu_supports("avx512dq")) ? 1 : 0;
#endif
    default: return 0;
    }
}

int glass_simd_best(void) {
    for (int p = GLASS_SIMD_COUNT - 1; p > 0; p--)
        if (glass_simd_supported(p)) return p;
    return GLASS_SIMD_SSE2;
}

const glass_kernels *glass_simd_kernels(int path) {
    switch (path) {
    case GLASS_SIMD_SSE2: return &glass_kernels_sse2;
#if defined(__x86_64__)
    case GLASS_SIMD_AVX2: return &glass_kernels_avx2;
    case GLASS_SIMD_AVX512: return &glass_kernels_avx512;
#endif
    default: return NULL;
    }
}
