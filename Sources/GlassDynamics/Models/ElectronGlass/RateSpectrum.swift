import Foundation

/// The relaxation rates Gamma = -lambda of a rate matrix, from its eigenvalues, with the
/// conservation mode and the unresolvable modes taken out and counted.
///
/// The resolvable-rate floor. A backward-stable eigensolver returns every eigenvalue with an
/// absolute error of order N eps ||A||_2 (dsyevd: the Householder reduction's bound), so an
/// eigenvalue is distinguishable from zero only above
///
///     floor = N * eps * max|lambda|      (eps = 2.2e-16, in rate units Gamma0)
///
/// (N = 1000: 2.2e-13 of the fastest rate, 29 e-folds below it). The eigenvalues with
/// |lambda| <= floor are "at numerical zero". Exactly one of them is the true zero mode
/// (particle conservation: columns of A sum to zero); the one nearest zero is excluded as
/// that mode. Any other one is a physical slow mode that double precision cannot resolve: it
/// is excluded too and counted in `belowFloor`. Eigenvalues above +floor (a wrong sign, which
/// a correct rate matrix cannot have) are counted in `positive` and excluded.
///
/// The accurate rates (`init(accurate:)`, routine dgejsv) have no floor: every returned rate
/// carries the relative error bound `relativeErrorBound`, the conservation mode is removed
/// exactly, and the only modes lost are `unresolved` ones (couplings underflowing the double
/// range), each at most `unresolvedBound`. There `floor` is 0, `zeroEigenvalues` is 1 and
/// `belowFloor` is 0.
public struct RateSpectrum: Sendable {
    /// Resolvable rates Gamma = -lambda in units of Gamma0, ascending.
    public var rates: [Double]
    /// The fastest rate max|lambda|.
    public var largestRate: Double
    /// The resolvable-rate floor N eps max|lambda|.
    public var floor: Double
    /// Eigenvalues with |lambda| <= floor (1 when every physical mode is resolved).
    public var zeroEigenvalues: Int
    /// Physical modes lost below the floor: zeroEigenvalues - 1 (never negative), plus any
    /// rate outside the range of a double (only for absurd xi).
    public var belowFloor: Int
    /// Eigenvalues above +floor (must be 0).
    public var positive: Int
    /// Largest |Im lambda| / max|lambda| (0 for the symmetric solver).
    public var largestImaginaryPart: Double
    /// The LAPACK routine that produced the eigenvalues.
    public var routine: Eigenvalues.Routine
    /// dgejsv only: the relative error bound of every rate (``AccurateSlowModes/Result``); nil
    /// for the eigensolvers with a floor.
    public var relativeErrorBound: Double? = nil
    /// dgejsv only: physical modes that could not be resolved (0 for the others).
    public var unresolved = 0
    /// dgejsv only: every unresolved rate is at most this, in units of Gamma0 (0 when
    /// `unresolved` is 0).
    public var unresolvedBound = 0.0

    /// Sorts out eigenvalues `lambda` of the matrix scaled by exp(-logScale).
    package init(scaledEigenvalues lambda: [Double], imaginary: [Double]? = nil, logScale: Double,
                routine: Eigenvalues.Routine) {
        self.routine = routine
        let n = lambda.count
        let largest = lambda.reduce(0) { Swift.max($0, abs($1)) }
        let floorScaled = Double(n) * Double.ulpOfOne * largest
        let scale = Foundation.exp(logScale)
        largestRate = Foundation.exp(Foundation.log(largest) + logScale)
        floor = Foundation.exp(Foundation.log(floorScaled) + logScale)
        var zeros = 0, positives = 0, unrepresentable = 0
        var kept = [Double]()
        kept.reserveCapacity(n)
        for l in lambda {
            if abs(l) <= floorScaled {
                zeros += 1
            } else if l > 0 {
                positives += 1
            } else {
                // Gamma = -lambda c, in logs so that a tiny scale cannot underflow early.
                let g = scale.isNormal ? -l * scale : Foundation.exp(Foundation.log(-l) + logScale)
                // A rate outside the double range (scales beyond 1e+-300) cannot be kept.
                if g > 0 && g.isFinite { kept.append(g) } else { unrepresentable += 1 }
            }
        }
        kept.sort()
        rates = kept
        zeroEigenvalues = zeros
        belowFloor = Swift.max(0, zeros - 1) + unrepresentable
        positive = positives
        let im = imaginary?.reduce(0) { Swift.max($0, abs($1)) } ?? 0
        largestImaginaryPart = largest > 0 ? im / largest : 0
    }

    /// The rates of ``AccurateSlowModes`` (routine dgejsv): all of them kept, with their
    /// relative error bound, the unresolved count and its bound in place of a floor.
    package init(accurate result: AccurateSlowModes.Result) {
        routine = .dgejsv
        rates = result.rates
        largestRate = result.rates.last ?? 0
        floor = 0
        zeroEigenvalues = 1
        belowFloor = 0
        positive = 0
        largestImaginaryPart = 0
        relativeErrorBound = result.relativeErrorBound
        unresolved = result.unresolved
        unresolvedBound = result.unresolvedBound
    }
}
