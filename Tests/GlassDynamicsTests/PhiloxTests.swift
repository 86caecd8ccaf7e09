import Foundation
import Testing
import GlassDynamics

@Suite struct PhiloxTests {
    /// Known-answer vectors of Random123's Philox4x32-10 (kat_vectors).
    @Test func matchesRandom123KnownAnswers() throws {
        let zero = Philox4x32(seed: 0).block(0, 0, 0, 0)
        #expect(zero == (0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8))
        let ones = Philox4x32(seed: 0xffff_ffff_ffff_ffff).block(0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff)
        #expect(ones == (0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd))
        // key (k0, k1) = (0xa4093822, 0x299f31d0): seed holds k1 in its high word.
        let pi = Philox4x32(seed: 0x299f_31d0_a409_3822).block(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344)
        #expect(pi == (0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1))
    }

    @Test func pairNormalIsSymmetricAndRealizationSpecific() throws {
        let s = RealizationStreams(seed: 7, realization: 3)
        let t = RealizationStreams(seed: 7, realization: 4)
        for (i, j) in [(0, 1), (5, 2), (999, 17)] {
            #expect(s.pairNormal(i, j) == s.pairNormal(j, i))
            #expect(s.pairNormal(i, j) != t.pairNormal(i, j))
        }
    }

    /// 200 000 pair normals: mean 0 and variance 1 within 5 standard errors, and the
    /// Kolmogorov-Smirnov distance to the normal CDF below its 1% critical value.
    @Test func pairNormalsAreStandardNormal() throws {
        let s = RealizationStreams(seed: 12345, realization: 0)
        var xs = [Double]()
        for i in 0..<500 { for j in (i + 1)..<(i + 401) { xs.append(s.pairNormal(i, j)) } }
        let n = Double(xs.count)
        let mean = xs.reduce(0, +) / n
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        #expect(abs(mean) < 5 / n.squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / n).squareRoot())
        xs.sort()
        var d = 0.0
        for (k, x) in xs.enumerated() {
            let f = 0.5 * erfc(-x / 2.0.squareRoot())
            d = max(d, abs(f - Double(k) / n), abs(f - Double(k + 1) / n))
        }
        #expect(d < 1.628 / n.squareRoot())
    }

    @Test func uniformsLieStrictlyInsideTheUnitInterval() throws {
        let s = RealizationStreams(seed: 1, realization: 0)
        var sum = 0.0
        for i in 0..<100_000 {
            let (a, b) = s.uniforms(.position, index: i)
            #expect(a > 0 && a < 1 && b > 0 && b < 1)
            sum += a + b
        }
        #expect(abs(sum / 200_000 - 0.5) < 5 * (1.0 / 12 / 200_000).squareRoot())
    }
}
