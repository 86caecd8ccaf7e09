// The elementwise math of the kernels for vectors of GLASS_LANES lanes: included by
// kernel_body.h once per lane count (4, and 4 x the path's group of chunks). Each lane goes
// through the same IEEE operations whatever the lane count, so every width gives the same bits.
#define M(name) GLASS_CAT(GLASS_CAT(name, _w), GLASS_LANES)
#define VD M(vd)
#define VU M(vu)
#define VI M(vi)
#define VF M(vf)

typedef double VD __attribute__((vector_size(8 * GLASS_LANES), aligned(8)));
typedef uint64_t VU __attribute__((vector_size(8 * GLASS_LANES), aligned(8)));
typedef int64_t VI __attribute__((vector_size(8 * GLASS_LANES), aligned(8)));
typedef float VF __attribute__((vector_size(4 * GLASS_LANES), aligned(4)));

GLASS_INLINE VD M(splat)(double v) {
    VD r;
    for (int i = 0; i < GLASS_LANES; i++) r[i] = v;
    return r;
}
GLASS_INLINE VU M(usplat)(uint64_t v) {
    VU r;
    for (int i = 0; i < GLASS_LANES; i++) r[i] = v;
    return r;
}
GLASS_INLINE VD M(as_d)(VU u) { VD d; memcpy(&d, &u, sizeof d); return d; }
GLASS_INLINE VU M(as_u)(VD d) { VU u; memcpy(&u, &d, sizeof u); return u; }
GLASS_INLINE VD M(load_d)(const double *p) { VD v; memcpy(&v, p, sizeof v); return v; }
GLASS_INLINE VD M(select_d)(VI mask, VD yes, VD no) {
    return M(as_d)((M(as_u)(yes) & (VU)mask) | (M(as_u)(no) & ~(VU)mask));
}

// log of positive normal x: FreeBSD e_log.c (VectorMath.log).
GLASS_INLINE VD M(v_log)(VD x) {
    VU bits = M(as_u)(x);
    VU hx = bits + M(usplat)(0x3FF0000000000000ull - 0x3FE6A09E00000000ull);
    VU biased = hx >> 52;
    VU mbits = (hx & M(usplat)(0x000FFFFFFFFFFFFFull)) + M(usplat)(0x3FE6A09E00000000ull);
    VD f = M(as_d)(mbits) - M(splat)(1.0);
    VD k = M(as_d)(biased | M(usplat)(0x4330000000000000ull)) - M(splat)(0x1p52 + 1023);
    VD s = f / (M(splat)(2.0) + f);
    VD z = s * s;
    VD w = z * z;
    VD t1 = M(splat)(2.222219843214978396e-01) + w * M(splat)(1.531383769920937332e-01);
    t1 = M(splat)(3.999999999940941908e-01) + w * t1;
    t1 = w * t1;
    VD t2 = M(splat)(1.818357216161805012e-01) + w * M(splat)(1.479819860511658591e-01);
    t2 = M(splat)(2.857142874366239149e-01) + w * t2;
    t2 = M(splat)(6.666666666666735130e-01) + w * t2;
    t2 = z * t2;
    VD r = t2 + t1;
    VD hfsq = M(splat)(0.5) * f * f;
    VD inner = s * (hfsq + r) + k * M(splat)(1.90821492927058770002e-10);
    return k * M(splat)(6.93147180369123816490e-01) - ((hfsq - inner) - f);
}

// (cos 2 pi u, sin 2 pi u), 0 <= u <= 1 (VectorMath.sinCosTwoPi).
GLASS_INLINE void M(v_sincos2pi)(VD u, VD *cosOut, VD *sinOut) {
    VD s = M(splat)(4.0) * u;
    VD magic = M(splat)(0x1p52);
    VD shifted = s + magic;
    VD q = shifted - magic;
    VD x = (s - q) * M(splat)(3.14159265358979323846 / 2);
    VU quadrant = M(as_u)(shifted) & M(usplat)(3);
    VD z = x * x;
    VD w = z * z;
    VD rs = M(splat)(-1.98412698298579493134e-04) + z * M(splat)(2.75573137070700676789e-06);
    rs = M(splat)(8.33333333332248946124e-03) + z * rs;
    VD rs2 = M(splat)(-2.50507602534068634195e-08) + z * M(splat)(1.58969099521155010221e-10);
    rs2 = (z * w) * rs2;
    rs = rs + rs2;
    VD sinx = x + (z * x) * (M(splat)(-1.66666666666666324348e-01) + z * rs);
    VD rc = M(splat)(-1.38888888888741095749e-03) + z * M(splat)(2.48015872894767294178e-05);
    rc = z * (M(splat)(4.16666666666666019037e-02) + z * rc);
    VD rc2 = M(splat)(2.08757232129817482790e-09) + z * M(splat)(-1.13596475577881948265e-11);
    rc2 = (w * w) * (M(splat)(-2.75573143513906633035e-07) + z * rc2);
    rc = rc + rc2;
    VD hz = M(splat)(0.5) * z;
    VD one_hz = M(splat)(1.0) - hz;
    VD cosx = one_hz + (((M(splat)(1.0) - one_hz) - hz) + z * rc);
    VI odd = (VI)((quadrant & M(usplat)(1)) != M(usplat)(0));
    VD c = M(select_d)(odd, sinx, cosx);
    VD sn = M(select_d)(odd, cosx, sinx);
    VU sign = M(usplat)(0x8000000000000000ull);
    VU negateCos = (VU)(((quadrant + M(usplat)(1)) & M(usplat)(2)) != M(usplat)(0)) & sign;
    VU negateSin = (VU)((quadrant & M(usplat)(2)) != M(usplat)(0)) & sign;
    *cosOut = M(as_d)(M(as_u)(c) ^ negateCos);
    *sinOut = M(as_d)(M(as_u)(sn) ^ negateSin);
}

// 1/sqrt(x): bit guess and four Newton steps (VectorMath.reciprocalSquareRoot).
GLASS_INLINE VD M(v_rsqrt)(VD x) {
    VD y = M(as_d)(M(usplat)(0x5FE6EB50C7B537A9ull) - (M(as_u)(x) >> 1));
    VD half = M(splat)(0.5) * x;
    for (int i = 0; i < 4; i++) {
        VD yy = y * y;
        y = y * (M(splat)(1.5) - half * yy);
    }
    return y;
}

// Nearest integer (ties to even) by the 1.5 * 2^52 shift.
GLASS_INLINE VD M(v_round)(VD x) {
    VD magic = M(splat)(0x1.8p52);
    return (x + magic) - magic;
}

// Philox4x32-10 for four blocks, one 32-bit word per 64-bit lane.
GLASS_INLINE void M(v_philox)(const glass_tls_kernel *k, VU *x0, VU *x1, VU *x2, VU *x3) {
    const VU low = M(usplat)(0xFFFFFFFFull);
    VU a0 = *x0, a1 = *x1, a2 = *x2, a3 = *x3;
    for (int r = 0; r < 10; r++) {
        VU p0 = (a0 & low) * M(usplat)(0xD2511F53ull);
        VU p1 = (a2 & low) * M(usplat)(0xCD9E8D57ull);
        VU n0 = (p1 >> 32) ^ a1 ^ M(usplat)((uint64_t)k->key0[r]);
        VU n2 = (p0 >> 32) ^ a3 ^ M(usplat)((uint64_t)k->key1[r]);
        a1 = p1 & low;
        a3 = p0 & low;
        a0 = n0;
        a2 = n2;
    }
    *x0 = a0; *x1 = a1; *x2 = a2; *x3 = a3;
}

// Uniforms on (0, 1): top 52 bits of (hi << 32 | lo) as (2k + 1) / 2^53.
GLASS_INLINE VD M(v_uniforms)(VU hi, VU lo) {
    VU mantissa = (((hi << 32) | lo) >> 12) | M(usplat)(0x3FF0000000000000ull);
    return (M(as_d)(mantissa) - M(splat)(1.0)) + M(splat)(0x1p-53);
}

// Box-Muller of four blocks at counters (c0, c1): cosine and sine members (PairNormals.transform).
GLASS_INLINE void M(v_normals)(const glass_tls_kernel *k, VU c0, VU c1, VD *cosOut, VD *sinOut) {
    VU x0 = c0, x1 = c1, x2 = M(usplat)((uint64_t)k->realization), x3 = M(usplat)((uint64_t)k->purpose);
    M(v_philox)(k, &x0, &x1, &x2, &x3);
    VD u1 = M(v_uniforms)(x0, x1);
    VD u2 = M(v_uniforms)(x2, x3);
    VD y = M(splat)(-2.0) * M(v_log)(u1);
    VD radius = y * M(v_rsqrt)(y);
    VD c, s;
    M(v_sincos2pi)(u2, &c, &s);
    *cosOut = radius * c;
    *sinOut = radius * s;
}

GLASS_INLINE VD M(v_wrap)(VD d, const glass_tls_kernel *k) {
    return d - M(v_round)(d * M(splat)(k->inverse_side)) * M(splat)(k->side);
}

// r^-3 for unwrapped separations (TLSPairKernel.inverseCube).
GLASS_INLINE VD M(v_inverse_cube)(const glass_tls_kernel *k, VD dx, VD dy, VD dz) {
    VD wx = M(v_wrap)(dx, k), wy = M(v_wrap)(dy, k), wz = M(v_wrap)(dz, k);
    VD r2 = wx * wx + wy * wy + wz * wz;
    VD g = M(v_rsqrt)(r2);
    return g * g * g;
}

// r^-3 from site i to sites b0 .. b0 + 3.
GLASS_INLINE VD M(v_inverse_cubes)(const glass_tls_kernel *k, int64_t i, int64_t b0) {
    return M(v_inverse_cube)(k, M(splat)(k->x[i]) - M(load_d)(k->x + b0), M(splat)(k->y[i]) - M(load_d)(k->y + b0),
                          M(splat)(k->z[i]) - M(load_d)(k->z + b0));
}

// J u r^-3 rounded once to single precision.
GLASS_INLINE VF M(v_finish)(const glass_tls_kernel *k, VD u, VD g) {
    return __builtin_convertvector(M(splat)(k->interaction) * u * g, VF);
}

GLASS_INLINE void M(store_f)(float *p, VF v) { memcpy(p, &v, sizeof v); }


#undef M
#undef VD
#undef VU
#undef VI
#undef VF
