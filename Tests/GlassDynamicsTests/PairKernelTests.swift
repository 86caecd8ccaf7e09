import Foundation
import Testing
import GlassDynamics

/// The vectorized building blocks of the coupling kernels: elementary functions, four-lane
/// Philox, the pair-normal scheme and the coupling kernel itself.
@Suite struct PairKernelTests {
    /// A reproducible stream of 64-bit words (xorshift), independent of the code under test.
    struct Words {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        /// A uniform on (0, 1) built like the pair kernels build theirs, (2k + 1) / 2^53.
        mutating func unit() -> Double { (Double(next() >> 12) * 2 + 1) * 0x1p-53 }
    }

    @Test func logIsWithinOneUlpOfFoundation() throws {
        var w = Words(state: 0x9E37_79B9_7F4A_7C15)
        var xs = [0x1p-53, 0x1p-30, 0.5, 0.25, 1 - 0x1p-53, 0.7071067811865476, 0.7071067811865475,
                  1.4142135623730951, 1, 2, 1e-300, 1e300, 3.0]
        for _ in 0..<100_000 { xs.append(w.unit()) }
        for e in -60...60 { xs.append(Foundation.pow(2.0, Double(e)) * (1 + w.unit())) }
        var worst = 0.0
        for k in stride(from: 0, to: xs.count - 3, by: 4) {
            let v = SIMD4(xs[k], xs[k + 1], xs[k + 2], xs[k + 3])
            let l = VectorMath.log(v)
            for q in 0..<4 {
                let ref = Foundation.log(v[q])
                let ulp = ref == 0 ? Double.leastNonzeroMagnitude : ref.ulp
                worst = max(worst, abs(l[q] - ref) / ulp)
            }
        }
        #expect(worst <= 1)
    }

    @Test func sinCosTwoPiMatchesFoundation() throws {
        var w = Words(state: 12345)
        var worst = 0.0, worstNorm = 0.0
        for _ in 0..<50_000 {
            let u = SIMD4(w.unit(), w.unit(), w.unit(), w.unit())
            let (c, s) = VectorMath.sinCosTwoPi(u)
            for q in 0..<4 {
                // 2 pi u itself carries a rounding error of up to ~4e-16 in the reference.
                worst = max(worst, abs(c[q] - Foundation.cos(2 * .pi * u[q])), abs(s[q] - Foundation.sin(2 * .pi * u[q])))
                worstNorm = max(worstNorm, abs(c[q] * c[q] + s[q] * s[q] - 1))
            }
        }
        #expect(worst < 1e-15)
        #expect(worstNorm < 4e-16)
        let exact = VectorMath.sinCosTwoPi(SIMD4(0, 0.25, 0.5, 0.75))
        #expect(exact.cos == SIMD4(1, 0, -1, 0))
        #expect(exact.sin == SIMD4(0, 1, 0, -1))
    }

    @Test func reciprocalSquareRootIsWithinFourUlp() throws {
        var w = Words(state: 777)
        var worst = 0.0
        for e in stride(from: -200, through: 200, by: 3) {
            for _ in 0..<50 {
                let x = SIMD4((1 + w.unit()) * Foundation.pow(2.0, Double(e)), (1 + w.unit()) * Foundation.pow(2.0, Double(e + 1)),
                              4 * w.unit() * Foundation.pow(2.0, Double(e)), Foundation.pow(2.0, Double(e)))
                let y = VectorMath.reciprocalSquareRoot(x)
                for q in 0..<4 { worst = max(worst, abs(y[q] * x[q].squareRoot() - 1) / 0x1p-52) }
            }
        }
        #expect(worst <= 4)
    }

    @Test func philoxLanesEqualTheScalarGenerator() throws {
        // Random123 known answers, in every lane.
        let kat = Philox4x32(seed: 0x299f_31d0_a409_3822)
        let lanes = PhiloxLanes(kat)
        let (a, b, c, d) = lanes.blocks(PhiloxLanes.splat(0x243f_6a88), PhiloxLanes.splat(0x85a3_08d3),
                                        PhiloxLanes.splat(0x1319_8a2e), PhiloxLanes.splat(0x0370_7344))
        #expect(PhiloxLanes.unpack(a) == SIMD4(repeating: 0xd16c_fe09))
        #expect(PhiloxLanes.unpack(b) == SIMD4(repeating: 0x94fd_cceb))
        #expect(PhiloxLanes.unpack(c) == SIMD4(repeating: 0x5001_e420))
        #expect(PhiloxLanes.unpack(d) == SIMD4(repeating: 0x2412_6ea1))
        // Random counters and keys, lane by lane.
        var w = Words(state: 4242)
        for _ in 0..<500 {
            let g = Philox4x32(seed: w.next())
            let l = PhiloxLanes(g)
            var cs = [SIMD4<UInt32>]()
            for _ in 0..<4 {
                cs.append(SIMD4(UInt32(truncatingIfNeeded: w.next()), UInt32(truncatingIfNeeded: w.next()),
                                UInt32(truncatingIfNeeded: w.next()), UInt32(truncatingIfNeeded: w.next())))
            }
            let out = l.blocks(PhiloxLanes.pack(cs[0]), PhiloxLanes.pack(cs[1]), PhiloxLanes.pack(cs[2]), PhiloxLanes.pack(cs[3]))
            for q in 0..<4 {
                let ref = g.block(cs[0][q], cs[1][q], cs[2][q], cs[3][q])
                #expect(PhiloxLanes.unpack(out.0)[q] == ref.0 && PhiloxLanes.unpack(out.1)[q] == ref.1)
                #expect(PhiloxLanes.unpack(out.2)[q] == ref.2 && PhiloxLanes.unpack(out.3)[q] == ref.3)
            }
        }
    }

    /// The row, column and single-pair forms of the pair normals give the same numbers, and
    /// the pair normal is the documented Box-Muller member of the documented Philox block.
    @Test func pairNormalFormsAgreeWithTheDefinition() throws {
        let streams = RealizationStreams(seed: 31, realization: 4)
        let pn = PairNormals(streams)
        // Definition, from the scalar generator and Foundation.
        for (a, b) in [(0, 1), (3, 17), (100, 101), (5, 1000), (999, 4003)] {
            let block = streams.generator.block(UInt32(a), PairNormals.blockIndex(b), streams.realization, PairNormals.purpose)
            let u1 = (Double((UInt64(block.0) << 32 | UInt64(block.1)) >> 12) * 2 + 1) * 0x1p-53
            let u2 = (Double((UInt64(block.2) << 32 | UInt64(block.3)) >> 12) * 2 + 1) * 0x1p-53
            let r = (-2 * Foundation.log(u1)).squareRoot()
            let expected = PairNormals.isSineMember(b) ? r * Foundation.sin(2 * .pi * u2) : r * Foundation.cos(2 * .pi * u2)
            #expect(abs(pn.normal(a, b) - expected) < 1e-14 * max(1, abs(expected)))
            #expect(pn.normal(a, b) == pn.normal(b, a))
            #expect(streams.pairNormal(a, b) == pn.normal(a, b))
        }
        for a in [0, 7, 8, 13, 64] {
            for b0 in stride(from: (a + 1) & ~7, to: a + 40, by: 8) {
                let (lo, hi) = pn.row(a, chunk: b0)
                for k in 0..<8 where b0 + k > a {
                    #expect((k < 4 ? lo[k] : hi[k - 4]) == pn.normal(a, b0 + k))
                }
            }
        }
        for b in [9, 12, 40, 45, 333] {
            let a = SIMD4<UInt32>(0, 1, 2, 3)
            let (member, partner) = pn.column(a, larger: b)
            for k in 0..<4 {
                #expect(member[k] == pn.normal(k, b))
                #expect(partner[k] == pn.normal(k, b ^ 4))
            }
        }
    }

    /// The two members of one Box-Muller transform are independent standard normals: x^2 + y^2
    /// is exponential with mean 2 (Kolmogorov-Smirnov, 1% level) and x, y are uncorrelated.
    @Test func boxMullerPartnersAreIndependentNormals() throws {
        let pn = PairNormals(RealizationStreams(seed: 2024, realization: 7))
        var r2 = [Double](), sxy = 0.0
        for a in 0..<200 {
            for q in 0..<50 {
                let b = 8 * (q + a / 8 + 1) + (q & 3)
                let x = pn.normal(a, b), y = pn.normal(a, b + 4)
                r2.append(x * x + y * y)
                sxy += x * y
            }
        }
        let n = Double(r2.count)
        #expect(abs(sxy / n) < 5 / n.squareRoot())
        r2.sort()
        var d = 0.0
        for (k, v) in r2.enumerated() {
            let f = 1 - Foundation.exp(-v / 2)
            d = max(d, abs(f - Double(k) / n), abs(f - Double(k + 1) / n))
        }
        #expect(d < 1.628 / n.squareRoot())
    }

    /// Every form of the coupling kernel gives K_ij = J u_ij / r_ij^3 rounded to single
    /// precision, symmetric, zero on the diagonal and beyond N.
    @Test func couplingKernelFormsAgree() throws {
        var p = TLSParameters()
        p.sites = 37
        p.interaction = 0.8
        let system = TLSSystem(parameters: p, seed: 3, realization: 1)
        let kernel = TLSPairKernel(system: system)
        let stored = system.denseCouplings()
        for i in 0..<p.sites {
            for b0 in stride(from: 0, to: kernel.paddedCount, by: 8) {
                let (lo, hi) = kernel.chunk(i, b0)
                for k in 0..<8 {
                    let j = b0 + k
                    let v = k < 4 ? lo[k] : hi[k - 4]
                    if j >= p.sites { #expect(v == 0); continue }
                    #expect(v == system.coupling(i, j))
                    #expect(v == stored[i, j])
                    #expect(system.coupling(i, j) == system.coupling(j, i))
                    if i == j { #expect(v == 0); continue }
                    let r = system.box.distance(i, j)
                    let exact = 0.8 * system.streams.pairNormal(i, j) / (r * r * r)
                    #expect(abs(v - exact) <= 0x1p-24 * abs(exact) * 1.0000001)
                    #expect(v == Double(Float(v)))
                }
            }
        }
    }
}
