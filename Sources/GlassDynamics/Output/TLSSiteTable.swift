/// Per-site data of one TLS realization, for sites.csv.
public struct TLSSiteTable: Sendable, BinaryRecord {
    /// The header of sites.csv: realization index, site index i, position x, y, z (units of
    /// r_nn), bare asymmetry Delta, tunnelling amplitude Delta0, self-consistent D (Eq. 4), energy
    /// E (Eq. 6), rate Gamma (Eq. 10-12), and 1/0 for a converged realization.
    public static let columns = ["realization", "i", "x", "y", "z", "Delta", "Delta0", "D", "E", "Gamma", "converged"]

    /// The header for a run with this rate matrix: with the full matrix the per-site rate
    /// column is named `GammaDiagonal`, since it still holds the site's own Gamma_i
    /// (Eq. 10-12), not a rate of the full matrix (those belong to modes: rates.csv, modes.csv).
    public static func columns(rateMatrix: TLSRateMatrix) -> [String] {
        rateMatrix == .full ? columns.map { $0 == "Gamma" ? "GammaDiagonal" : $0 } : columns
    }
    let realization: Int
    let coordinates: [Double]
    let asymmetry: [Double], tunneling: [Double], d: [Double], energies: [Double], rates: [Double]
    let converged: Bool

    package init(system: TLSSystem, d: [Double], energies: [Double], rates: [Double], converged: Bool) {
        realization = system.realization
        coordinates = system.box.coordinates
        asymmetry = system.asymmetry
        tunneling = system.tunneling
        self.d = d
        self.energies = energies
        self.rates = rates
        self.converged = converged
    }

    /// Writes the realization index and the per-site columns.
    public func encode(into w: inout BinaryWriter) {
        w.write(realization); w.write(coordinates); w.write(asymmetry); w.write(tunneling)
        w.write(d); w.write(energies); w.write(rates); w.write(converged)
    }

    /// Reads what ``encode(into:)`` wrote.
    public init(from r: inout BinaryReader) throws {
        realization = try r.readInt()
        coordinates = try r.readDoubles()
        asymmetry = try r.readDoubles()
        tunneling = try r.readDoubles()
        d = try r.readDoubles()
        energies = try r.readDoubles()
        rates = try r.readDoubles()
        converged = try r.readBool()
    }

    func append(to table: inout CSVTable) {
        for i in d.indices {
            table.append(fields: ["\(realization)", "\(i)",
                                  CSVTable.format(coordinates[3 * i]), CSVTable.format(coordinates[3 * i + 1]),
                                  CSVTable.format(coordinates[3 * i + 2]),
                                  CSVTable.format(asymmetry[i]), CSVTable.format(tunneling[i]), CSVTable.format(d[i]),
                                  CSVTable.format(energies[i]), CSVTable.format(rates[i]), converged ? "1" : "0"])
        }
    }
}
