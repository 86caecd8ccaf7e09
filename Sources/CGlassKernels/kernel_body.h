// The kernels, written once. Included by sse2.c, avx2.c and avx512.c, each of which sets
// GLASS_SUFFIX, GLASS_GROUP and GLASS_GROUP_LANES (4 x GLASS_GROUP) and compiles this text for its instruction set (clang
// attribute pragma).
//
// Bit identity: every function below is lane-wise (each output lane depends on its own
// inputs only, through the same sequence of IEEE operations) or, for `segment`, keeps the
// four fixed accumulator lanes of the canonical order; contraction into FMA is switched off.
// The pair rows run GLASS_GROUP chunks of eight pairs at once (4 x GLASS_GROUP Philox blocks
// per vector operation, so the independent chains of several chunks interleave); the lane
// count changes the speed, never the bits.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
#pragma clang diagnostic ignored "-Wpsabi"

#include "CGlassKernels.h"
#include <string.h>

#define GLASS_CAT2(a, b) a##b
#define GLASS_CAT(a, b) GLASS_CAT2(a, b)
#define GLASS_FN(name) GLASS_CAT(name, GLASS_SUFFIX)
#define GLASS_INLINE static inline __attribute__((always_inline))

#define GLASS_LANES 4
#include "kernel_math.h"
#undef GLASS_LANES

#if GLASS_GROUP > 1
#define GLASS_LANES GLASS_GROUP_LANES
#define GLASS_WIDE(name) GLASS_CAT(GLASS_CAT(name, _w), GLASS_LANES)
#include "kernel_math.h"

// K[a, b .. b + 8 GROUP): lane 4g + t of the blocks is pair b + 8g + t (cosine member) and
// b + 8g + 4 + t (sine member).
GLASS_INLINE void GLASS_FN(glass_tls_group_)(const glass_tls_kernel *k, int64_t a, int64_t b, float *row) {
    typedef double WD __attribute__((vector_size(8 * GLASS_LANES), aligned(8)));
    typedef uint64_t WU __attribute__((vector_size(8 * GLASS_LANES), aligned(8)));
    typedef float WF __attribute__((vector_size(4 * GLASS_LANES), aligned(4)));
    uint64_t first = (uint64_t)(uint32_t)(b >> 1);
    WU c1;
    for (int l = 0; l < GLASS_LANES; l++) c1[l] = (first + (uint64_t)l) & 0xFFFFFFFFull;
    WD c, s;
    GLASS_WIDE(v_normals)(k, GLASS_WIDE(usplat)((uint64_t)(uint32_t)a), c1, &c, &s);
    WD gl, gh;
    {
#if GLASS_GROUP == 2
#define GLASS_LO 0, 1, 2, 3, 8, 9, 10, 11
#define GLASS_HI 4, 5, 6, 7, 12, 13, 14, 15
#define GLASS_OUT 0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15
#elif GLASS_GROUP == 4
#define GLASS_LO 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27
#define GLASS_HI 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31
#define GLASS_OUT 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23, \
                  8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31
#else
#error "GLASS_GROUP must be 2 or 4"
#endif
        // Sites b .. b + 8 GROUP: the cosine lanes take the first four of each chunk of eight,
        // the sine lanes the last four.
        WD ax[2], ay[2], az[2];
        memcpy(ax, k->x + b, sizeof ax);
        memcpy(ay, k->y + b, sizeof ay);
        memcpy(az, k->z + b, sizeof az);
#define GLASS_PICK(v, idx) __builtin_shufflevector(v[0], v[1], idx)
        WD xa = GLASS_WIDE(splat)(k->x[a]), ya = GLASS_WIDE(splat)(k->y[a]), za = GLASS_WIDE(splat)(k->z[a]);
        gl = GLASS_WIDE(v_inverse_cube)(k, xa - GLASS_PICK(ax, GLASS_LO), ya - GLASS_PICK(ay, GLASS_LO),
                                        za - GLASS_PICK(az, GLASS_LO));
        gh = GLASS_WIDE(v_inverse_cube)(k, xa - GLASS_PICK(ax, GLASS_HI), ya - GLASS_PICK(ay, GLASS_HI),
                                        za - GLASS_PICK(az, GLASS_HI));
    }
    WF fl = GLASS_WIDE(v_finish)(k, c, gl), fh = GLASS_WIDE(v_finish)(k, s, gh);
    typedef float WF2 __attribute__((vector_size(8 * GLASS_LANES), aligned(4)));
    WF2 out = __builtin_shufflevector(fl, fh, GLASS_OUT);
    memcpy(row + b, &out, sizeof out);
#undef GLASS_PICK
#undef GLASS_LO
#undef GLASS_HI
#undef GLASS_OUT
}
#undef GLASS_WIDE
#undef GLASS_LANES
#endif

static void GLASS_FN(glass_tls_row_)(const glass_tls_kernel *k, int64_t a, int64_t b0, int64_t b1, float *row) {
    int64_t b = b0;
#if GLASS_GROUP > 1
    for (; b + 8 * GLASS_GROUP <= b1; b += 8 * GLASS_GROUP) GLASS_FN(glass_tls_group_)(k, a, b, row);
#endif
    vu_w4 c0 = usplat_w4((uint64_t)(uint32_t)a);
    for (; b < b1; b += 8) {
        uint64_t first = (uint64_t)(uint32_t)(b >> 1);
        vu_w4 c1 = (vu_w4){first, first + 1, first + 2, first + 3} & usplat_w4(0xFFFFFFFFull);
        vd_w4 c, s;
        v_normals_w4(k, c0, c1, &c, &s);
        store_f_w4(row + b, v_finish_w4(k, c, v_inverse_cubes_w4(k, a, b)));
        store_f_w4(row + b + 4, v_finish_w4(k, s, v_inverse_cubes_w4(k, a, b + 4)));
    }
}

static void GLASS_FN(glass_tls_lower_quad_)(const glass_tls_kernel *k, int64_t k0, int64_t b, float *member,
                                            float *partner) {
    uint64_t a = (uint64_t)(uint32_t)k0;
    vu_w4 c0 = (vu_w4){a, a + 1, a + 2, a + 3} & usplat_w4(0xFFFFFFFFull);
    uint64_t block = (uint64_t)(uint32_t)(((b >> 3) << 2) | (b & 3));
    vd_w4 c, s;
    v_normals_w4(k, c0, usplat_w4(block), &c, &s);
    int sine = (int)((b >> 2) & 1);
    vd_w4 u = sine ? s : c, v = sine ? c : s;
    store_f_w4(member, v_finish_w4(k, u, v_inverse_cubes_w4(k, b, k0)));
    store_f_w4(partner, v_finish_w4(k, v, v_inverse_cubes_w4(k, b ^ 4, k0)));
}

static void GLASS_FN(glass_tls_pairs_)(const glass_tls_kernel *k, const int64_t *a, const int64_t *b, float *out) {
    vu_w4 c0 = (vu_w4){(uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2], (uint32_t)a[3]};
    vu_w4 bb = (vu_w4){(uint32_t)b[0], (uint32_t)b[1], (uint32_t)b[2], (uint32_t)b[3]};
    vu_w4 block = (((bb >> 3) << 2) | (bb & usplat_w4(3))) & usplat_w4(0xFFFFFFFFull);
    vd_w4 c, s;
    v_normals_w4(k, c0, block, &c, &s);
    vi_w4 sine = (vi_w4)(((bb >> 2) & usplat_w4(1)) == usplat_w4(1));
    vd_w4 u = select_d_w4(sine, s, c);
    vd_w4 dx = (vd_w4){k->x[a[0]], k->x[a[1]], k->x[a[2]], k->x[a[3]]} - (vd_w4){k->x[b[0]], k->x[b[1]], k->x[b[2]], k->x[b[3]]};
    vd_w4 dy = (vd_w4){k->y[a[0]], k->y[a[1]], k->y[a[2]], k->y[a[3]]} - (vd_w4){k->y[b[0]], k->y[b[1]], k->y[b[2]], k->y[b[3]]};
    vd_w4 dz = (vd_w4){k->z[a[0]], k->z[a[1]], k->z[a[2]], k->z[a[3]]} - (vd_w4){k->z[b[0]], k->z[b[1]], k->z[b[2]], k->z[b[3]]};
    store_f_w4(out, v_finish_w4(k, u, v_inverse_cube_w4(k, dx, dy, dz)));
}

static void GLASS_FN(glass_segment_)(const float *row, const double *m, int64_t count, double *accOut,
                                     double *absOut) {
    vd_w4 acc = splat_w4(0.0), absAcc = splat_w4(0.0);
    for (int64_t b = 0; b < count; b += 4) {
        vf_w4 kf;
        memcpy(&kf, row + b, sizeof kf);
        vd_w4 kd = __builtin_convertvector(kf, vd_w4);
        acc = acc + kd * load_d_w4(m + b);
        // |k| as k < 0 ? -k : k (the Swift reference's operation).
        absAcc = absAcc + select_d_w4((vi_w4)(kd < splat_w4(0.0)), -kd, kd);
    }
    memcpy(accOut, &acc, sizeof acc);
    memcpy(absOut, &absAcc, sizeof absAcc);
}

static void GLASS_FN(glass_axpy_)(const float *row, double s, double *t, int64_t count) {
    int64_t k = 0;
    vd_w4 sv = splat_w4(s);
    for (; k + 4 <= count; k += 4) {
        vf_w4 kf;
        memcpy(&kf, row + k, sizeof kf);
        vd_w4 v = load_d_w4(t + k) + __builtin_convertvector(kf, vd_w4) * sv;
        memcpy(t + k, &v, sizeof v);
    }
    for (; k < count; k++) t[k] += (double)row[k] * s;
}

// v[k] = (start ? 0 : t[k]) + rows[0][k] s[0] + rows[1][k] s[1] + ... (left to right), then
// field[k] += v[k] when field is given, else t[k] = v[k]: a batch of column updates in one pass
// over the partial sums, each row's operations in the order of `axpy` called column by column.
static void GLASS_FN(glass_axpy_group_)(const float *const *rows, const double *s, int64_t ncols, int start,
                                         double *t, double *field, int64_t count) {
    int64_t k = 0;
    vd_w4 zero = splat_w4(0.0);
    for (; k + 8 <= count; k += 8) {
        vd_w4 a0 = start ? zero : load_d_w4(t + k), a1 = start ? zero : load_d_w4(t + k + 4);
        for (int64_t c = 0; c < ncols; c++) {
            vf_w4 f0, f1;
            memcpy(&f0, rows[c] + k, sizeof f0);
            memcpy(&f1, rows[c] + k + 4, sizeof f1);
            vd_w4 sv = splat_w4(s[c]);
            a0 = a0 + __builtin_convertvector(f0, vd_w4) * sv;
            a1 = a1 + __builtin_convertvector(f1, vd_w4) * sv;
        }
        if (field) {
            vd_w4 f0 = load_d_w4(field + k) + a0, f1 = load_d_w4(field + k + 4) + a1;
            memcpy(field + k, &f0, sizeof f0);
            memcpy(field + k + 4, &f1, sizeof f1);
        } else {
            memcpy(t + k, &a0, sizeof a0);
            memcpy(t + k + 4, &a1, sizeof a1);
        }
    }
    for (; k < count; k++) {
        double v = start ? 0.0 : t[k];
        for (int64_t c = 0; c < ncols; c++) v += (double)rows[c][k] * s[c];
        if (field) field[k] += v; else t[k] = v;
    }
}

// field[k] += row[k] s (the `axpy` operations), and the indices k with |field[k] - ref[k]| > w
// written to `out` in increasing order; returns how many: the drift test of drift-bounded
// thinning fused into the field update's one pass.
static int64_t GLASS_FN(glass_axpy_drift_)(const float *row, double s, double *field, const double *ref, double w,
                                           int64_t count, int32_t *out) {
    int64_t k = 0, n = 0;
    vd_w4 sv = splat_w4(s), wv = splat_w4(w);
    for (; k + 4 <= count; k += 4) {
        vf_w4 kf;
        memcpy(&kf, row + k, sizeof kf);
        vd_w4 v = load_d_w4(field + k) + __builtin_convertvector(kf, vd_w4) * sv;
        memcpy(field + k, &v, sizeof v);
        vd_w4 d = v - load_d_w4(ref + k);
        vd_w4 a = select_d_w4((vi_w4)(d < splat_w4(0.0)), -d, d);
        vi_w4 hit = (vi_w4)(a > wv);
        if (hit[0] | hit[1] | hit[2] | hit[3]) {
            for (int l = 0; l < 4; l++)
                if (hit[l]) out[n++] = (int32_t)(k + l);
        }
    }
    for (; k < count; k++) {
        double v = field[k] + (double)row[k] * s;
        field[k] = v;
        double d = v - ref[k];
        if ((d < 0 ? -d : d) > w) out[n++] = (int32_t)k;
    }
    return n;
}

// m[j ld + i] = m[i ld + j] for i in i0 ..< i0 + band, j in j0 ..< j1 (data movement only):
// 8 x 8 blocks by register transposes, the edges one by one.
static void GLASS_FN(glass_mirror_)(float *m, int64_t ld, int64_t i0, int64_t band, int64_t j0, int64_t j1) {
    typedef float v8 __attribute__((vector_size(32), aligned(4)));
    typedef float v8a __attribute__((vector_size(32), aligned(32)));
    // Whole cache lines of rows that are not read again soon: streaming stores (no read for
    // ownership) when every 8-float piece is 32-byte aligned.
    int streaming = ((uintptr_t)m & 31) == 0 && (ld & 7) == 0 && (i0 & 7) == 0;
    int64_t j = j0;
    if ((band & 7) == 0) {
        for (; j + 8 <= j1; j += 8) {
            for (int64_t i = i0; i < i0 + band; i += 8) {
                v8 r[8];
                for (int q = 0; q < 8; q++) memcpy(&r[q], m + (i + q) * ld + j, sizeof(v8));
                v8 t0 = __builtin_shufflevector(r[0], r[1], 0, 8, 1, 9, 4, 12, 5, 13);
                v8 t1 = __builtin_shufflevector(r[0], r[1], 2, 10, 3, 11, 6, 14, 7, 15);
                v8 t2 = __builtin_shufflevector(r[2], r[3], 0, 8, 1, 9, 4, 12, 5, 13);
                v8 t3 = __builtin_shufflevector(r[2], r[3], 2, 10, 3, 11, 6, 14, 7, 15);
                v8 t4 = __builtin_shufflevector(r[4], r[5], 0, 8, 1, 9, 4, 12, 5, 13);
                v8 t5 = __builtin_shufflevector(r[4], r[5], 2, 10, 3, 11, 6, 14, 7, 15);
                v8 t6 = __builtin_shufflevector(r[6], r[7], 0, 8, 1, 9, 4, 12, 5, 13);
                v8 t7 = __builtin_shufflevector(r[6], r[7], 2, 10, 3, 11, 6, 14, 7, 15);
                v8 u0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
                v8 u1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
                v8 u2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
                v8 u3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
                v8 u4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
                v8 u5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
                v8 u6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
                v8 u7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
                v8 o[8] = {
                    __builtin_shufflevector(u0, u4, 0, 1, 2, 3, 8, 9, 10, 11),
                    __builtin_shufflevector(u1, u5, 0, 1, 2, 3, 8, 9, 10, 11),
                    __builtin_shufflevector(u2, u6, 0, 1, 2, 3, 8, 9, 10, 11),
                    __builtin_shufflevector(u3, u7, 0, 1, 2, 3, 8, 9, 10, 11),
                    __builtin_shufflevector(u0, u4, 4, 5, 6, 7, 12, 13, 14, 15),
                    __builtin_shufflevector(u1, u5, 4, 5, 6, 7, 12, 13, 14, 15),
                    __builtin_shufflevector(u2, u6, 4, 5, 6, 7, 12, 13, 14, 15),
                    __builtin_shufflevector(u3, u7, 4, 5, 6, 7, 12, 13, 14, 15),
                };
                if (streaming) {
                    for (int q = 0; q < 8; q++) __builtin_nontemporal_store(o[q], (v8a *)(m + (j + q) * ld + i));
                } else {
                    for (int q = 0; q < 8; q++) memcpy(m + (j + q) * ld + i, &o[q], sizeof(v8));
                }
            }
        }
    }
#if defined(__x86_64__)
    if (streaming) __builtin_ia32_sfence();
#endif
    for (; j < j1; j++)
        for (int64_t r = 0; r < band; r++) m[j * ld + i0 + r] = m[(i0 + r) * ld + j];
}

// Eight independent chains a <- a b + c of four doubles (a multiply and an add each, 64 flops
// per step in all): the floating-point peak of this path's vector width.
static double GLASS_FN(glass_flop_chains_)(int64_t steps) {
    vd_w4 a[8];
    for (int q = 0; q < 8; q++) a[q] = splat_w4(1.0 + q);
    vd_w4 b = splat_w4(0.9999999), c = splat_w4(1e-7);
    for (int64_t t = 0; t < steps; t++) {
        a[0] = a[0] * b + c; a[1] = a[1] * b + c; a[2] = a[2] * b + c; a[3] = a[3] * b + c;
        a[4] = a[4] * b + c; a[5] = a[5] * b + c; a[6] = a[6] * b + c; a[7] = a[7] * b + c;
    }
    vd_w4 sum = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
    return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}

// The minimum-image Coulomb row, lane-wise: the IEEE operations of the Swift reference
// (SinglePrecisionCouplings.coulombRowReference) in its order.
static void GLASS_FN(glass_coulomb_row_)(const double *x, const double *y, double xi, double yi, double side,
                                         double e2, int64_t count, float *row) {
    vd_w4 vx = splat_w4(xi), vy = splat_w4(yi), l = splat_w4(side), q = splat_w4(e2);
    vd_w4 zero = splat_w4(0.0), one = splat_w4(1.0), minus = splat_w4(-1.0);
    vd_w4 half = splat_w4(0.5), minusHalf = splat_w4(-0.5);
    for (int64_t j = 0; j < count; j += 4) {
        vd_w4 dx = load_d_w4(x + j) - vx, dy = load_d_w4(y + j) - vy;
        vd_w4 qx = dx / l, qy = dy / l;
        vd_w4 rx = select_d_w4((vi_w4)(qx <= minusHalf), minus, select_d_w4((vi_w4)(qx >= half), one, zero));
        vd_w4 ry = select_d_w4((vi_w4)(qy <= minusHalf), minus, select_d_w4((vi_w4)(qy >= half), one, zero));
        dx = dx - l * rx;
        dy = dy - l * ry;
        vd_w4 k = q / __builtin_elementwise_sqrt(dx * dx + dy * dy);
        vf_w4 kf = __builtin_convertvector(k, vf_w4);
        memcpy(row + j, &kf, sizeof kf);
    }
}

const glass_kernels GLASS_FN(glass_kernels_) = {
    GLASS_FN(glass_tls_row_), GLASS_FN(glass_tls_lower_quad_), GLASS_FN(glass_tls_pairs_),
    GLASS_FN(glass_segment_), GLASS_FN(glass_axpy_), GLASS_FN(glass_mirror_), GLASS_FN(glass_coulomb_row_),
    GLASS_FN(glass_flop_chains_), GLASS_FN(glass_axpy_group_), GLASS_FN(glass_axpy_drift_),
};
