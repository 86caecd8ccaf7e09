#!/usr/bin/env python3
"""Minimal dense NumPy version of one TLS realization: the peer `glassdyn bench` runs beside itself.

The same work as `glassdyn tls` with one realization (shared/MODEL.md, paper convention):
N sites uniform in a periodic cube of side L = N^(1/3) - 1; Delta_i ~ N(0, W^2); Delta0_i
log-uniform on [1e-7, 1e-1]; J_ij = J u_ij / r_ij^3 with u_ij = u_ji ~ N(0, 1) and minimum-image
r_ij; Eq. 4, D_i = Delta_i + (1/4) sum_j J_ij tanh(D_j / 2T), solved from D uniform on [-W, W] by
Gauss-Seidel with incremental local fields (h += K[:, j] dm_j when |dm_j| exceeds
0.05 tol / (c max_i sum_j |K_ij|)), converged when a sweep moves no D by more than tol / 10 and the
residual recomputed from scratch is <= tol; then E_i and Gamma_i (Eq. 6, 12).

Dense float64 couplings, built in blocks of rows so the peak stays near 8 N^2 bytes; OpenBLAS
through NumPy for K m. Random numbers come from NumPy's generator, not from glassdyn's Philox
streams: the same work, not the same numbers.

Prints one JSON line: implementation, n, storage, threads, build, solve, rates (seconds), sweeps,
columnUpdates, residual, converged, peakMemoryBytes.
"""
import argparse
import json
import math
import os
import resource
import time

import numpy as np


def build(n, w, j, seed, block=256):
    rng = np.random.default_rng(seed)
    side = n ** (1.0 / 3.0) - 1.0
    pos = rng.random((n, 3)) * side
    delta = w * rng.standard_normal(n)
    d0 = np.exp(math.log(1e-7) + (math.log(1e-1) - math.log(1e-7)) * rng.random(n))
    k = rng.standard_normal((n, n))  # u_ij, symmetrised below
    for s in range(0, n, block):
        e = min(s + block, n)
        k[s:e, :s] = k[:s, s:e].T
        diag = k[s:e, s:e]
        lower = np.tril_indices(e - s, -1)
        diag[lower] = diag.T[lower]
    for s in range(0, n, block):
        e = min(s + block, n)
        local, sites = np.arange(e - s), np.arange(s, e)
        r2 = np.zeros((e - s, n))
        for axis in range(3):
            d = pos[s:e, None, axis] - pos[None, :, axis]
            d -= side * np.round(d / side)
            r2 += d * d
        r2[local, sites] = 1.0  # the diagonal, set to 0 below
        k[s:e] *= j / (r2 * np.sqrt(r2))
        k[sites, sites] = 0.0
    return rng, delta, d0, k


def solve(k, delta, rng, w, t, tol=1e-8, max_sweeps=10000):
    n = len(delta)
    c = 0.25
    d = (w * (2 * rng.random(n) - 1)).tolist()
    bias = delta.tolist()
    m = [math.tanh(x / (2 * t)) for x in d]
    h = k @ np.array(m)
    row_sum = max(float(np.abs(k[s:s + 1024]).sum(axis=1).max()) for s in range(0, n, 1024))
    threshold = 0.05 * tol / (c * row_sum)
    propagated = list(m)
    sweeps = updates = 0
    residual = math.inf
    while sweeps < max_sweeps:
        sweeps += 1
        largest = 0.0
        for i in range(n):
            target = bias[i] + c * h[i]
            step = abs(target - d[i])
            if step > largest:
                largest = step
            d[i] = target
            mi = math.tanh(target / (2 * t))
            m[i] = mi
            dm = mi - propagated[i]
            if abs(dm) > threshold:
                h += dm * k[i]  # row i is column i: K is symmetric
                propagated[i] = mi
                updates += 1
        if largest < 0.1 * tol or sweeps == max_sweeps:
            propagated = list(m)
            h = k @ np.array(m)
            residual = float(np.abs(np.array(d) - delta - c * h).max())
            if residual <= tol:
                break
    return np.array(d), sweeps, updates, residual


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--w", type=float, default=1.0)
    ap.add_argument("--j", type=float, default=1.0)
    ap.add_argument("--t", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t0 = time.perf_counter()
    rng, delta, d0, k = build(a.n, a.w, a.j, a.seed)
    t1 = time.perf_counter()
    d, sweeps, updates, residual = solve(k, delta, rng, a.w, a.t)
    t2 = time.perf_counter()
    e = np.sign(d) * np.sqrt(d * d + d0 * d0)
    x = np.abs(e) / (2 * a.t)
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = np.where(x < 1e-8, d0 * d0 * 2 * a.t, d0 * d0 * np.abs(e) / np.tanh(x))
    t3 = time.perf_counter()
    assert np.all(gamma > 0)
    print(json.dumps({
        "implementation": "numpy", "n": a.n, "storage": "dense", "threads": os.cpu_count(),
        "realization": 0, "build": t1 - t0, "solve": t2 - t1, "rates": t3 - t2,
        "sweeps": sweeps, "columnUpdates": updates, "pairEvaluations": a.n * (a.n - 1) // 2,
        "residual": residual, "converged": residual <= 1e-8,
        "peakMemoryBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
