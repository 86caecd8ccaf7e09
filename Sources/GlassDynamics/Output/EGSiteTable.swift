/// Per-site data of one electron-glass realization, for sites.csv: position, bare energy,
/// mean-field energy measured from the chemical potential (as in dos.csv), occupation.
public struct EGSiteTable: Sendable {
    /// The header of sites.csv: realization index, site index i, position x and y (units of
    /// r_nn), bare energy eps, E - mu, occupation n, and 1/0 for a converged realization.
    public static let columns = ["realization", "i", "x", "y", "eps", "E", "n", "converged"]
    let realization: Int
    let coordinates: [Double]
    let bareEnergies: [Double]
    let energiesFromMu: [Double]
    let occupations: [Double]
    let converged: Bool

    package init(system: EGSystem, solution: EGMeanField.Solution) {
        realization = system.realization
        coordinates = system.box.coordinates
        bareEnergies = system.bareEnergies
        energiesFromMu = solution.energies.map { $0 - solution.chemicalPotential }
        occupations = solution.occupations(temperature: system.parameters.temperature)
        converged = solution.report.converged
    }

    func append(to table: inout CSVTable) {
        for i in bareEnergies.indices {
            table.append(fields: ["\(realization)", "\(i)",
                                  CSVTable.format(coordinates[2 * i]), CSVTable.format(coordinates[2 * i + 1]),
                                  CSVTable.format(bareEnergies[i]), CSVTable.format(energiesFromMu[i]),
                                  CSVTable.format(occupations[i]), converged ? "1" : "0"])
        }
    }
}
