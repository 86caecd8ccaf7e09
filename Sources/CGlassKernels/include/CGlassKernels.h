// The hot kernels of GlassDynamics in C, compiled once per instruction set (SSE2, AVX2,
// AVX-512) from one source, with the path chosen at run time (glass_simd_*).
//
// Every path performs the same IEEE operations in the same order on every lane (no fused
// multiply-add, no contraction, no reassociation), so every path returns the same bits as
// every other and as the Swift reference kernels (TLSPairKernel, VectorMath, PhiloxLanes).
#ifndef CGLASSKERNELS_H
#define CGLASSKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What the TLS pair kernel needs: padded structure-of-arrays positions (a multiple of 8
/// entries), the box, J, and the Philox4x32-10 round keys and counter words of the pairs.
typedef struct {
    const double *x;
    const double *y;
    const double *z;
    double side;
    double inverse_side;
    double interaction;
    uint32_t key0[10];
    uint32_t key1[10];
    uint32_t realization;
    uint32_t purpose;
} glass_tls_kernel;

/// The instruction-set paths, narrowest first.
enum { GLASS_SIMD_SSE2 = 0, GLASS_SIMD_AVX2 = 1, GLASS_SIMD_AVX512 = 2, GLASS_SIMD_COUNT = 3 };

/// The kernels of one path.
typedef struct {
    /// row[b0 .. b1) = K[a, b0 .. b1) for b0, b1 multiples of 8 (lanes at or below a unspecified).
    void (*tls_row)(const glass_tls_kernel *k, int64_t a, int64_t b0, int64_t b1, float *row);
    /// member[t] = K[k0 + t, b], partner[t] = K[k0 + t, b ^ 4], t = 0..3 (valid where k0 + t is
    /// below b, resp. b ^ 4).
    void (*tls_lower_quad)(const glass_tls_kernel *k, int64_t k0, int64_t b, float *member, float *partner);
    /// out[t] = K[a[t], b[t]] for a[t] < b[t], t = 0..3.
    void (*tls_pairs)(const glass_tls_kernel *k, const int64_t *a, const int64_t *b, float *out);
    /// acc[l] = sum over chunks c of row[4c + l] m[4c + l], abs_acc[l] = sum of |row[4c + l]|,
    /// each lane from 0 in chunk order; count a multiple of 4.
    void (*segment)(const float *row, const double *m, int64_t count, double *acc, double *abs_acc);
    /// t[k] += row[k] s for k = 0 ..< count.
    void (*axpy)(const float *row, double s, double *t, int64_t count);
    /// m[j ld + i] = m[i ld + j] for i in i0 ..< i0 + band and j in j0 ..< j1 (the two ranges
    /// disjoint): mirrors a band of rows into the columns below it.
    void (*mirror)(float *m, int64_t ld, int64_t i0, int64_t band, int64_t j0, int64_t j1);
    /// row[j] = e2 / sqrt(w(x[j] - xi)^2 + w(y[j] - yi)^2) for j = 0 ..< count (a multiple of 4),
    /// rounded to float, with the minimum image w(d) = d - L r, r = 1 if d / L >= 1/2, -1 if
    /// d / L <= -1/2, else 0: the 2D Coulomb row of SinglePrecisionCouplings (diagonal unset).
    void (*coulomb_row)(const double *x, const double *y, double xi, double yi, double side, double e2,
                        int64_t count, float *row);
    /// `steps` steps of eight independent 4-lane chains a <- a b + c (64 flops a step; the
    /// result keeps the work observable): the floating-point peak of the path.
    double (*flop_chains)(int64_t steps);
    /// v[k] = (start ? 0 : t[k]) + sum_c rows[c][k] s[c] (columns added in order), then
    /// field[k] += v[k] when `field` is not NULL, else t[k] = v[k], for k = 0 ..< count: the
    /// same operations per row as `axpy` called column by column into zeroed partial sums.
    void (*axpy_group)(const float *const *rows, const double *s, int64_t ncols, int start, double *t,
                       double *field, int64_t count);
    /// field[k] += row[k] s (as `axpy`) for k = 0 ..< count, writing to `out` (room for count)
    /// every k with |field[k] - ref[k]| > w, in increasing order; returns how many.
    int64_t (*axpy_drift)(const float *row, double s, double *field, const double *ref, double w, int64_t count,
                          int32_t *out);
} glass_kernels;

/// Whether this CPU (and operating system) runs `path`.
int glass_simd_supported(int path);
/// The widest path this CPU runs.
int glass_simd_best(void);
/// The kernels of `path` (NULL for an unknown path).
const glass_kernels *glass_simd_kernels(int path);

#ifdef __cplusplus
}
#endif

#endif
