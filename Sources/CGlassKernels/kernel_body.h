// The kernels, written once. Included by sse2.c, avx2.c and avx512.c, each of which sets
// GLASS_SUFFIX and compiles this text for its instruction set (clang attribute pragma).
//
// Bit identity: every function below is lane-wise (each output lane depends on its own
// inputs only, through the same sequence of IEEE operations) or, for `segment`, keeps the
// four fixed accumulator lanes of the canonical order; contraction into FMA is switched off.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
#pragma clang diagnostic ignored "-Wpsabi"

#include "CGlassKernels.h"
#include <string.h>

#define GLASS_CAT2(a, b) a##b
#define GLASS_CAT(a, b) GLASS_CAT2(a, b)
#define GLASS_FN(name) GLASS_CAT(name, GLASS_SUFFIX)
#define GLASS_INLINE static inline __attribute__((always_inline))

typedef double gd4 __attribute__((vector_size(32), aligned(8)));
typedef uint64_t gu4 __attribute__((vector_size(32), aligned(8)));
typedef int64_t gi4 __attribute__((vector_size(32), aligned(8)));
typedef float gf4 __attribute__((vector_size(16), aligned(4)));
typedef uint32_t gw4 __attribute__((vector_size(16), aligned(4)));

#define SPLAT(v) ((gd4){(v), (v), (v), (v)})
#define USPLAT(v) ((gu4){(v), (v), (v), (v)})

GLASS_INLINE gd4 as_d(gu4 u) { gd4 d; memcpy(&d, &u, sizeof d); return d; }
GLASS_INLINE gu4 as_u(gd4 d) { gu4 u; memcpy(&u, &d, sizeof u); return u; }
GLASS_INLINE gd4 load_d(const double *p) { gd4 v; memcpy(&v, p, sizeof v); return v; }
GLASS_INLINE gd4 select_d(gi4 mask, gd4 yes, gd4 no) {
    return as_d((as_u(yes) & (gu4)mask) | (as_u(no) & ~(gu4)mask));
}

// log of positive normal x: FreeBSD e_log.c (VectorMath.log).
GLASS_INLINE gd4 v_log(gd4 x) {
    gu4 bits = as_u(x);
    gu4 hx = bits + USPLAT(0x3FF0000000000000ull - 0x3FE6A09E00000000ull);
    gu4 biased = hx >> 52;
    gu4 mbits = (hx & USPLAT(0x000FFFFFFFFFFFFFull)) + USPLAT(0x3FE6A09E00000000ull);
    gd4 f = as_d(mbits) - SPLAT(1.0);
    gd4 k = as_d(biased | USPLAT(0x4330000000000000ull)) - SPLAT(0x1p52 + 1023);
    gd4 s = f / (SPLAT(2.0) + f);
    gd4 z = s * s;
    gd4 w = z * z;
    gd4 t1 = SPLAT(2.222219843214978396e-01) + w * SPLAT(1.531383769920937332e-01);
    t1 = SPLAT(3.999999999940941908e-01) + w * t1;
    t1 = w * t1;
    gd4 t2 = SPLAT(1.818357216161805012e-01) + w * SPLAT(1.479819860511658591e-01);
    t2 = SPLAT(2.857142874366239149e-01) + w * t2;
    t2 = SPLAT(6.666666666666735130e-01) + w * t2;
    t2 = z * t2;
    gd4 r = t2 + t1;
    gd4 hfsq = SPLAT(0.5) * f * f;
    gd4 inner = s * (hfsq + r) + k * SPLAT(1.90821492927058770002e-10);
    return k * SPLAT(6.93147180369123816490e-01) - ((hfsq - inner) - f);
}

// (cos 2 pi u, sin 2 pi u), 0 <= u <= 1 (VectorMath.sinCosTwoPi).
GLASS_INLINE void v_sincos2pi(gd4 u, gd4 *cosOut, gd4 *sinOut) {
    gd4 s = SPLAT(4.0) * u;
    gd4 magic = SPLAT(0x1p52);
    gd4 shifted = s + magic;
    gd4 q = shifted - magic;
    gd4 x = (s - q) * SPLAT(3.14159265358979323846 / 2);
    gu4 quadrant = as_u(shifted) & USPLAT(3);
    gd4 z = x * x;
    gd4 w = z * z;
    gd4 rs = SPLAT(-1.98412698298579493134e-04) + z * SPLAT(2.75573137070700676789e-06);
    rs = SPLAT(8.33333333332248946124e-03) + z * rs;
    gd4 rs2 = SPLAT(-2.50507602534068634195e-08) + z * SPLAT(1.58969099521155010221e-10);
    rs2 = (z * w) * rs2;
    rs = rs + rs2;
    gd4 sinx = x + (z * x) * (SPLAT(-1.66666666666666324348e-01) + z * rs);
    gd4 rc = SPLAT(-1.38888888888741095749e-03) + z * SPLAT(2.48015872894767294178e-05);
    rc = z * (SPLAT(4.16666666666666019037e-02) + z * rc);
    gd4 rc2 = SPLAT(2.08757232129817482790e-09) + z * SPLAT(-1.13596475577881948265e-11);
    rc2 = (w * w) * (SPLAT(-2.75573143513906633035e-07) + z * rc2);
    rc = rc + rc2;
    gd4 hz = SPLAT(0.5) * z;
    gd4 one_hz = SPLAT(1.0) - hz;
    gd4 cosx = one_hz + (((SPLAT(1.0) - one_hz) - hz) + z * rc);
    gi4 odd = (gi4)((quadrant & USPLAT(1)) != USPLAT(0));
    gd4 c = select_d(odd, sinx, cosx);
    gd4 sn = select_d(odd, cosx, sinx);
    gu4 sign = USPLAT(0x8000000000000000ull);
    gu4 negateCos = (gu4)(((quadrant + USPLAT(1)) & USPLAT(2)) != USPLAT(0)) & sign;
    gu4 negateSin = (gu4)((quadrant & USPLAT(2)) != USPLAT(0)) & sign;
    *cosOut = as_d(as_u(c) ^ negateCos);
    *sinOut = as_d(as_u(sn) ^ negateSin);
}

// 1/sqrt(x): bit guess and four Newton steps (VectorMath.reciprocalSquareRoot).
GLASS_INLINE gd4 v_rsqrt(gd4 x) {
    gd4 y = as_d(USPLAT(0x5FE6EB50C7B537A9ull) - (as_u(x) >> 1));
    gd4 half = SPLAT(0.5) * x;
    for (int i = 0; i < 4; i++) {
        gd4 yy = y * y;
        y = y * (SPLAT(1.5) - half * yy);
    }
    return y;
}

// Nearest integer (ties to even) by the 1.5 * 2^52 shift.
GLASS_INLINE gd4 v_round(gd4 x) {
    gd4 magic = SPLAT(0x1.8p52);
    return (x + magic) - magic;
}

// Philox4x32-10 for four blocks, one 32-bit word per 64-bit lane.
GLASS_INLINE void v_philox(const glass_tls_kernel *k, gu4 *x0, gu4 *x1, gu4 *x2, gu4 *x3) {
    const gu4 low = USPLAT(0xFFFFFFFFull);
    gu4 a0 = *x0, a1 = *x1, a2 = *x2, a3 = *x3;
    for (int r = 0; r < 10; r++) {
        gu4 p0 = (a0 & low) * USPLAT(0xD2511F53ull);
        gu4 p1 = (a2 & low) * USPLAT(0xCD9E8D57ull);
        gu4 n0 = (p1 >> 32) ^ a1 ^ USPLAT((uint64_t)k->key0[r]);
        gu4 n2 = (p0 >> 32) ^ a3 ^ USPLAT((uint64_t)k->key1[r]);
        a1 = p1 & low;
        a3 = p0 & low;
        a0 = n0;
        a2 = n2;
    }
    *x0 = a0; *x1 = a1; *x2 = a2; *x3 = a3;
}

// Uniforms on (0, 1): top 52 bits of (hi << 32 | lo) as (2k + 1) / 2^53.
GLASS_INLINE gd4 v_uniforms(gu4 hi, gu4 lo) {
    gu4 mantissa = (((hi << 32) | lo) >> 12) | USPLAT(0x3FF0000000000000ull);
    return (as_d(mantissa) - SPLAT(1.0)) + SPLAT(0x1p-53);
}

// Box-Muller of four blocks at counters (c0, c1): cosine and sine members (PairNormals.transform).
GLASS_INLINE void v_normals(const glass_tls_kernel *k, gu4 c0, gu4 c1, gd4 *cosOut, gd4 *sinOut) {
    gu4 x0 = c0, x1 = c1, x2 = USPLAT((uint64_t)k->realization), x3 = USPLAT((uint64_t)k->purpose);
    v_philox(k, &x0, &x1, &x2, &x3);
    gd4 u1 = v_uniforms(x0, x1);
    gd4 u2 = v_uniforms(x2, x3);
    gd4 y = SPLAT(-2.0) * v_log(u1);
    gd4 radius = y * v_rsqrt(y);
    gd4 c, s;
    v_sincos2pi(u2, &c, &s);
    *cosOut = radius * c;
    *sinOut = radius * s;
}

GLASS_INLINE gd4 v_wrap(gd4 d, const glass_tls_kernel *k) {
    return d - v_round(d * SPLAT(k->inverse_side)) * SPLAT(k->side);
}

// r^-3 for unwrapped separations (TLSPairKernel.inverseCube).
GLASS_INLINE gd4 v_inverse_cube(const glass_tls_kernel *k, gd4 dx, gd4 dy, gd4 dz) {
    gd4 wx = v_wrap(dx, k), wy = v_wrap(dy, k), wz = v_wrap(dz, k);
    gd4 r2 = wx * wx + wy * wy + wz * wz;
    gd4 g = v_rsqrt(r2);
    return g * g * g;
}

// r^-3 from site i to sites b0 .. b0 + 3.
GLASS_INLINE gd4 v_inverse_cubes(const glass_tls_kernel *k, int64_t i, int64_t b0) {
    return v_inverse_cube(k, SPLAT(k->x[i]) - load_d(k->x + b0), SPLAT(k->y[i]) - load_d(k->y + b0),
                          SPLAT(k->z[i]) - load_d(k->z + b0));
}

// J u r^-3 rounded once to single precision.
GLASS_INLINE gf4 v_finish(const glass_tls_kernel *k, gd4 u, gd4 g) {
    return __builtin_convertvector(SPLAT(k->interaction) * u * g, gf4);
}

GLASS_INLINE void store_f(float *p, gf4 v) { memcpy(p, &v, sizeof v); }

static void GLASS_FN(glass_tls_row_)(const glass_tls_kernel *k, int64_t a, int64_t b0, int64_t b1, float *row) {
    gu4 c0 = USPLAT((uint64_t)(uint32_t)a);
    for (int64_t b = b0; b < b1; b += 8) {
        uint64_t first = (uint64_t)(uint32_t)(b >> 1);
        gu4 c1 = (gu4){first, first + 1, first + 2, first + 3} & USPLAT(0xFFFFFFFFull);
        gd4 c, s;
        v_normals(k, c0, c1, &c, &s);
        store_f(row + b, v_finish(k, c, v_inverse_cubes(k, a, b)));
        store_f(row + b + 4, v_finish(k, s, v_inverse_cubes(k, a, b + 4)));
    }
}

static void GLASS_FN(glass_tls_lower_quad_)(const glass_tls_kernel *k, int64_t k0, int64_t b, float *member,
                                            float *partner) {
    uint64_t a = (uint64_t)(uint32_t)k0;
    gu4 c0 = (gu4){a, a + 1, a + 2, a + 3} & USPLAT(0xFFFFFFFFull);
    uint64_t block = (uint64_t)(uint32_t)(((b >> 3) << 2) | (b & 3));
    gd4 c, s;
    v_normals(k, c0, USPLAT(block), &c, &s);
    int sine = (int)((b >> 2) & 1);
    gd4 u = sine ? s : c, v = sine ? c : s;
    store_f(member, v_finish(k, u, v_inverse_cubes(k, b, k0)));
    store_f(partner, v_finish(k, v, v_inverse_cubes(k, b ^ 4, k0)));
}

static void GLASS_FN(glass_tls_pairs_)(const glass_tls_kernel *k, const int64_t *a, const int64_t *b, float *out) {
    gu4 c0 = (gu4){(uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2], (uint32_t)a[3]};
    gu4 bb = (gu4){(uint32_t)b[0], (uint32_t)b[1], (uint32_t)b[2], (uint32_t)b[3]};
    gu4 block = (((bb >> 3) << 2) | (bb & USPLAT(3))) & USPLAT(0xFFFFFFFFull);
    gd4 c, s;
    v_normals(k, c0, block, &c, &s);
    gi4 sine = (gi4)(((bb >> 2) & USPLAT(1)) == USPLAT(1));
    gd4 u = select_d(sine, s, c);
    gd4 dx = (gd4){k->x[a[0]], k->x[a[1]], k->x[a[2]], k->x[a[3]]} - (gd4){k->x[b[0]], k->x[b[1]], k->x[b[2]], k->x[b[3]]};
    gd4 dy = (gd4){k->y[a[0]], k->y[a[1]], k->y[a[2]], k->y[a[3]]} - (gd4){k->y[b[0]], k->y[b[1]], k->y[b[2]], k->y[b[3]]};
    gd4 dz = (gd4){k->z[a[0]], k->z[a[1]], k->z[a[2]], k->z[a[3]]} - (gd4){k->z[b[0]], k->z[b[1]], k->z[b[2]], k->z[b[3]]};
    store_f(out, v_finish(k, u, v_inverse_cube(k, dx, dy, dz)));
}

static void GLASS_FN(glass_segment_)(const float *row, const double *m, int64_t count, double *accOut,
                                     double *absOut) {
    gd4 acc = SPLAT(0.0), absAcc = SPLAT(0.0);
    for (int64_t b = 0; b < count; b += 4) {
        gf4 kf;
        memcpy(&kf, row + b, sizeof kf);
        gd4 kd = __builtin_convertvector(kf, gd4);
        acc = acc + kd * load_d(m + b);
        // |k|: k < 0 ? -k : k, the same bits as clearing the sign (no NaN in K).
        gi4 negative = (gi4)(kd < SPLAT(0.0));
        absAcc = absAcc + select_d(negative, -kd, kd);
    }
    memcpy(accOut, &acc, sizeof acc);
    memcpy(absOut, &absAcc, sizeof absAcc);
}

static void GLASS_FN(glass_axpy_)(const float *row, double s, double *t, int64_t count) {
    int64_t k = 0;
    gd4 sv = SPLAT(s);
    for (; k + 4 <= count; k += 4) {
        gf4 kf;
        memcpy(&kf, row + k, sizeof kf);
        gd4 v = load_d(t + k) + __builtin_convertvector(kf, gd4) * sv;
        memcpy(t + k, &v, sizeof v);
    }
    for (; k < count; k++) t[k] += (double)row[k] * s;
}

const glass_kernels GLASS_FN(glass_kernels_) = {
    GLASS_FN(glass_tls_row_), GLASS_FN(glass_tls_lower_quad_), GLASS_FN(glass_tls_pairs_),
    GLASS_FN(glass_segment_), GLASS_FN(glass_axpy_),
};
