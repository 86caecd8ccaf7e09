import Foundation

/// How much the direct interaction term, neglected in the paper, changes the rate
/// distributions (issue #11): the same realizations with and without it.
package enum DirectTermStudy {
    /// The q-quantile (linear interpolation between order statistics) of sorted values.
    package static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let x = q * Double(sorted.count - 1)
        let k = Swift.min(Int(x), sorted.count - 1), f = x - Double(k)
        return k + 1 < sorted.count ? sorted[k] + f * (sorted[k + 1] - sorted[k]) : sorted[k]
    }

    /// Electron glass: pooled ln Gamma quantiles without (paper, e^2 = 0 in the direct term)
    /// and with the direct term, over the realizations whose solve converged and whose
    /// linearisation is a local minimum (the others are counted).
    package struct ElectronGlass: Sendable, Codable {
        package var quantileLevels: [Double]
        package var lnGammaWithout: [Double]
        package var lnGammaWith: [Double]
        /// Mean over realizations of ln of the slowest resolvable rate.
        package var meanLnSlowestWithout: Double
        package var meanLnSlowestWith: Double
        /// ln of the slowest resolvable rate of each realization used.
        package var lnSlowestWithout: [Double]
        package var lnSlowestWith: [Double]
        /// Mean over realizations of ln of the 10 slowest resolvable rates (mean of ln).
        package var meanLnTenSlowestWithout: Double
        package var meanLnTenSlowestWith: Double
        package var realizations: Int
        package var unconverged: Int
        /// B without Cholesky factor.
        package var saddles: Int
        /// Rates of the wrong sign beyond the floor (with or without the direct term).
        package var positiveEigenvalue: Int
        package var belowFloorWithout: Int
        package var belowFloorWith: Int
        package var used: Int
        package var seconds: Double
    }

    package static func electronGlass(parameters p: EGParameters, seed: UInt64, realizations: Range<Int>,
                                     quantiles: [Double] = [0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95],
                                     threads: Int = 1) throws -> ElectronGlass {
        let clock = ContinuousClock.now
        var without = [Double](), with = [Double]()
        var slow0 = [Double](), slow1 = [Double](), ten0 = [Double](), ten1 = [Double]()
        var unconverged = 0, saddles = 0, positive = 0, bf0 = 0, bf1 = 0, used = 0
        for r in realizations {
            let system = EGSystem(parameters: p, seed: seed, realization: r)
            let solution = EGMeanField.solve(system, couplings: system.denseCouplings(threads: threads))
            guard solution.report.converged else { unconverged += 1; continue }
            let paper = try EGLinearization(system: system, solution: solution, includeDirectTerm: false).spectrum(threads: threads)
            let full = try EGLinearization(system: system, solution: solution).spectrum(threads: threads)
            if full.stability == .notPositiveDefinite { saddles += 1; continue }
            guard let s0 = paper.spectrum, let s1 = full.spectrum,
                  paper.stability == .localMinimum, full.stability == .localMinimum else { positive += 1; continue }
            used += 1
            bf0 += s0.belowFloor; bf1 += s1.belowFloor
            let l0 = s0.rates.map { Foundation.log($0) }, l1 = s1.rates.map { Foundation.log($0) }
            without += l0; with += l1
            slow0.append(l0[0]); slow1.append(l1[0])
            ten0.append(l0.prefix(10).reduce(0, +) / 10); ten1.append(l1.prefix(10).reduce(0, +) / 10)
        }
        without.sort(); with.sort()
        func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }
        let elapsed = ContinuousClock.now - clock
        return ElectronGlass(
            quantileLevels: quantiles, lnGammaWithout: quantiles.map { quantile(without, $0) },
            lnGammaWith: quantiles.map { quantile(with, $0) },
            meanLnSlowestWithout: mean(slow0), meanLnSlowestWith: mean(slow1),
            lnSlowestWithout: slow0, lnSlowestWith: slow1,
            meanLnTenSlowestWithout: mean(ten0), meanLnTenSlowestWith: mean(ten1),
            realizations: realizations.count, unconverged: unconverged, saddles: saddles, positiveEigenvalue: positive,
            belowFloorWithout: bf0, belowFloorWith: bf1, used: used,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// TLS glass: the full rates against the diagonal Gamma_i, as the authors' scripts compare
    /// them (both sorted, relative change (Gamma_full - Gamma_diag) / Gamma_diag index by index).
    package struct TLSGlass: Sendable, Codable {
        package var method: String
        /// Quantiles of |relative change| pooled over realizations (levels as given).
        package var quantileLevels: [Double]
        package var absoluteRelativeChange: [Double]
        package var meanRelativeChange: Double
        package var maxAbsoluteRelativeChange: Double
        /// Mean over realizations of ln Gamma_min (the slowest rate), diagonal and full.
        package var meanLnSlowestDiagonal: Double
        package var meanLnSlowestFull: Double
        /// ln Gamma_min of each realization used, diagonal and full.
        package var lnSlowestDiagonal: [Double]
        package var lnSlowestFull: [Double]
        /// Plateau cutoffs (``PlateauCutoffs``) of the pooled ln Gamma histograms.
        package var plateauDiagonal: PlateauCutoffs?
        package var plateauFull: PlateauCutoffs?
        package var realizations: Int
        package var unconverged: Int
        /// P not positive definite, or a non-positive rate.
        package var unstable: Int
        package var used: Int
        /// Largest disagreement of the two graded routes in their overlap.
        package var routeDisagreement: Double
        package var seconds: Double
    }

    package static func tlsGlass(parameters p: TLSParameters, seed: UInt64, realizations: Range<Int>,
                                method: TLSLinearization.Method = .graded,
                                quantiles: [Double] = [0.5, 0.9, 0.99], threads: Int = 1, bins: Int = 60) throws -> TLSGlass {
        let clock = ContinuousClock.now
        var change = [Double](), signed = 0.0, worst = 0.0
        var lnDiag = [Double](), lnFull = [Double](), slowD = [Double](), slowF = [Double]()
        var unconverged = 0, unstable = 0, used = 0, disagreement = 0.0
        for r in realizations {
            let system = TLSSystem(parameters: p, seed: seed, realization: r)
            let (d, report) = TLSMeanField.solve(system, couplings: system.denseCouplings(threads: threads))
            guard report.converged else { unconverged += 1; continue }
            let s = try TLSLinearization(system: system, equilibrium: d).spectrum(method: method)
            guard s.stability == .localMinimum else { unstable += 1; continue }
            used += 1
            disagreement = Swift.max(disagreement, s.routeDisagreement)
            for k in s.rates.indices {
                let c = s.rates[k] / s.diagonalRates[k] - 1
                change.append(abs(c)); signed += c; worst = Swift.max(worst, abs(c))
            }
            lnDiag += s.diagonalRates.map { Foundation.log($0) }
            lnFull += s.rates.map { Foundation.log($0) }
            slowD.append(Foundation.log(s.diagonalRates[0])); slowF.append(Foundation.log(s.rates[0]))
        }
        change.sort()
        func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }
        func plateau(_ x: [Double]) -> PlateauCutoffs? {
            guard let lo = (lnDiag + lnFull).min(), let hi = (lnDiag + lnFull).max() else { return nil }
            var h = Histogram(lower: Foundation.floor(lo), upper: Foundation.ceil(hi), bins: bins)
            h.add(contentsOf: x)
            return PlateauCutoffs(histogram: h)
        }
        let elapsed = ContinuousClock.now - clock
        return TLSGlass(method: method.rawValue, quantileLevels: quantiles,
                        absoluteRelativeChange: quantiles.map { quantile(change, $0) },
                        meanRelativeChange: change.isEmpty ? .nan : signed / Double(change.count),
                        maxAbsoluteRelativeChange: worst,
                        meanLnSlowestDiagonal: mean(slowD), meanLnSlowestFull: mean(slowF),
                        lnSlowestDiagonal: slowD, lnSlowestFull: slowF,
                        plateauDiagonal: plateau(lnDiag), plateauFull: plateau(lnFull),
                        realizations: realizations.count, unconverged: unconverged, unstable: unstable, used: used,
                        routeDisagreement: disagreement,
                        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}
