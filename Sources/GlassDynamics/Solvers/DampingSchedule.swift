/// The mixing factor alpha of D <- D + alpha (D_GS - D) for Gauss-Seidel that cycles at low T:
/// 1 at first; after `after` sweeps, halved whenever the largest change of a sweep has failed
/// to shrink by 10% for 50 sweeps, down to `minimum`.
struct DampingSchedule {
    let after: Int
    let minimum: Double
    private(set) var alpha = 1.0
    private var bestChange = Double.infinity
    private var sinceBest = 0

    init(after: Int, minimum: Double) {
        self.after = after
        self.minimum = minimum
    }

    /// Records the largest change of sweep number `sweep`.
    mutating func record(maxChange: Double, sweep: Int) {
        if maxChange < 0.9 * bestChange {
            bestChange = maxChange
            sinceBest = 0
        } else {
            sinceBest += 1
        }
        if sweep >= after && sinceBest >= 50 && alpha > minimum {
            alpha *= 0.5
            sinceBest = 0
            bestChange = maxChange
        }
    }
}
