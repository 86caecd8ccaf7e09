/// Classical fourth-order Runge-Kutta for the forced linear dynamics dx/dt = A x + f (f = 0
/// when the forcing is off): the independent route the linear-response tests integrate the
/// explicit rate matrix by, against their mode sums.
public enum ForcedLinearRK4 {
    /// x after `time` from `x0` in `steps` equal steps, with A given element by element and
    /// the forcing `drive` (nil: off).
    public static func integrate(_ x0: [Double], over time: Double, steps: Int, drive: [Double]?,
                                 matrix a: (Int, Int) -> Double) -> [Double] {
        let n = x0.count, dt = time / Double(steps)
        func rhs(_ x: [Double]) -> [Double] {
            (0..<n).map { i in (0..<n).reduce(drive?[i] ?? 0) { $0 + a(i, $1) * x[$1] } }
        }
        var x = x0
        for _ in 0..<steps {
            let k1 = rhs(x)
            let k2 = rhs(zip(x, k1).map { $0 + 0.5 * dt * $1 })
            let k3 = rhs(zip(x, k2).map { $0 + 0.5 * dt * $1 })
            let k4 = rhs(zip(x, k3).map { $0 + dt * $1 })
            x = (0..<n).map { x[$0] + dt / 6 * (k1[$0] + 2 * k2[$0] + 2 * k3[$0] + k4[$0]) }
        }
        return x
    }
}
