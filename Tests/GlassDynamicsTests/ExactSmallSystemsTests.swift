import Foundation
import Testing
import GlassDynamics

/// A reproducible cluster with Normal(0, j^2) couplings and Normal(0, w^2) asymmetries.
private func randomCluster(n: Int, w: Double, j: Double, d0: Double, c: Double = 0.25, seed: UInt64 = 7) -> TLSClusterHamiltonian {
    var g = FuzzRandom(state: seed)
    var k = [Double](repeating: 0, count: n * n)
    for a in 0..<n { for b in (a + 1)..<max(a + 1, n) { let v = j * g.normal(); k[a * n + b] = v; k[b * n + a] = v } }
    return TLSClusterHamiltonian(asymmetry: (0..<n).map { _ in w * g.normal() },
                                 tunneling: (0..<n).map { _ in d0 * (0.5 + g.uniform()) }, couplings: k, prefactor: c)
}

extension FuzzRandom {
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

@Suite struct ExactDiagonalizationTests {
    @Test func oneTLSHasTheTextbookPolarization() throws {
        for (delta, d0, t) in [(0.7, 0.3, 0.2), (-1.3, 0.05, 1.0), (0.0, 0.4, 0.1), (2.0, 1e-7, 0.05)] {
            let h = TLSClusterHamiltonian(asymmetry: [delta], tunneling: [d0], couplings: [0], prefactor: 0.25)
            let e = (delta * delta + d0 * d0).squareRoot()
            for driver in ThermalDiagonalization.Driver.allCases {
                let s = try ThermalDiagonalization(h, driver: driver).state(temperature: t)
                #expect(abs(s.sigmaZ[0] - (-(delta / e) * tanh(e / (2 * t)))) < 1e-13)
            }
        }
    }

    @Test func uncoupledClusterEqualsMeanFieldToMachinePrecision() throws {
        let h = randomCluster(n: 7, w: 1, j: 0, d0: 0.3)
        let t = 0.4
        let s = try ThermalDiagonalization(h).state(temperature: t)
        let mf = SmallClusterMeanField(response: .quantum, onsager: false)
            .solve(start: h.asymmetry, asymmetry: h.asymmetry, tunneling: h.tunneling, couplings: h.couplings,
                   prefactor: h.prefactor, temperature: t)
        #expect(mf.converged)
        for i in 0..<7 {
            let m = SingleSiteResponse.quantum(mf.d[i], tunneling: h.tunneling[i], temperature: t)
            #expect(abs(-s.sigmaZ[i] - m) < 1e-12)
            let deff = SingleSiteResponse.quantum.inverse(plus: s.downProbability[i], minus: s.upProbability[i],
                                                          tunneling: h.tunneling[i], temperature: t)
            #expect(abs(deff - h.asymmetry[i]) < 1e-10)
        }
    }

    @Test func uncoupledRealizationMatchesProductionMeanFieldForAnyN() throws {
        var p = TLSParameters()
        p.sites = 6
        p.interaction = 0
        p.sz = .exact
        p.delta0Min = 1e-3
        p.delta0Max = 0.5
        let study = ExactTLSComparison(plan: ExactStudyPlan(model: p, disorders: [1], temperatures: [0.3, 2],
                                                            realizations: 1, seed: 3), reference: .quantum)
        for row in try study.realization(0, disorder: 1) {
            for k in 0..<3 { #expect(abs(row.m[k]! - row.exactM) < 1e-12) }
        }
    }

    /// Two TLSs with Delta0_2 = 0: sigma^z_2 is conserved and each block is a 2 x 2 problem.
    @Test func twoTLSsMatchTheClosedForm() throws {
        let (d1, d2, t01, j, c, t) = (0.6, -0.4, 0.35, 1.3, 0.25, 0.3)
        let h = TLSClusterHamiltonian(asymmetry: [d1, d2], tunneling: [t01, 0], couplings: [0, j, j, 0], prefactor: c)
        var z = 0.0, sz1 = 0.0, sz2 = 0.0
        for z2 in [-1.0, 1.0] {
            let a = d1 - c * j * z2
            let e = (a * a + t01 * t01).squareRoot()
            let w = exp(-d2 * z2 / (2 * t))
            z += w * 2 * cosh(e / (2 * t))
            sz1 += w * (-(a / e)) * 2 * sinh(e / (2 * t))
            sz2 += w * z2 * 2 * cosh(e / (2 * t))
        }
        let s = try ThermalDiagonalization(h).state(temperature: t)
        #expect(abs(s.sigmaZ[0] - sz1 / z) < 1e-13)
        #expect(abs(s.sigmaZ[1] - sz2 / z) < 1e-13)
    }

    @Test func bothLAPACKDriversAgree() throws {
        let h = randomCluster(n: 8, w: 1, j: 1, d0: 0.3)
        let a = try ThermalDiagonalization(h, driver: .dsyevd), b = try ThermalDiagonalization(h, driver: .dsyev)
        for k in a.eigenvalues.indices { #expect(abs(a.eigenvalues[k] - b.eigenvalues[k]) < 1e-11) }
        for t in [0.05, 0.5, 5.0] {
            let sa = a.state(temperature: t).sigmaZ, sb = b.state(temperature: t).sigmaZ
            for i in sa.indices { #expect(abs(sa[i] - sb[i]) < 1e-10) }
        }
    }

    @Test func flippingEveryAsymmetryFlipsEveryPolarization() throws {
        let h = randomCluster(n: 6, w: 1, j: 1, d0: 0.3)
        let f = TLSClusterHamiltonian(asymmetry: h.asymmetry.map { -$0 }, tunneling: h.tunneling,
                                      couplings: h.couplings, prefactor: h.prefactor)
        let a = try ThermalDiagonalization(h).state(temperature: 0.2), b = try ThermalDiagonalization(f).state(temperature: 0.2)
        for i in 0..<6 { #expect(abs(a.sigmaZ[i] + b.sigmaZ[i]) < 1e-11) }
    }

    /// The Weiss field misses the Onsager reaction term: D_eff - D_MF ~ W J^2 / T^2 at high T.
    /// With the term (TAP) the error falls faster.
    @Test func meanFieldErrorFallsAsTheSquareOfCouplingOverTemperature() throws {
        let h = randomCluster(n: 8, w: 1, j: 1, d0: 0.05, c: 1)
        let temperatures = [8.0, 16, 32]
        var weiss = [Double](), tap = [Double]()
        let diag = try ThermalDiagonalization(h)
        for t in temperatures {
            let s = diag.state(temperature: t)
            let deff = (0..<8).map { SingleSiteResponse.quantum.inverse(plus: s.downProbability[$0], minus: s.upProbability[$0],
                                                                        tunneling: h.tunneling[$0], temperature: t) }
            for (onsager, out) in [(false, 0), (true, 1)] {
                let mf = SmallClusterMeanField(response: .quantum, onsager: onsager)
                    .solve(start: h.asymmetry, asymmetry: h.asymmetry, tunneling: h.tunneling, couplings: h.couplings,
                           prefactor: h.prefactor, temperature: t)
                #expect(mf.converged)
                let err = zip(mf.d, deff).reduce(0) { $0 + abs($1.0 - $1.1) } / 8
                if out == 0 { weiss.append(err) } else { tap.append(err) }
            }
        }
        let x = temperatures.map { 1 / $0 }
        let pw = try #require(PowerLawFit(x: x, y: weiss)), pt = try #require(PowerLawFit(x: x, y: tap))
        #expect(abs(pw.exponent - 2) < 0.15)
        #expect(pt.exponent > 2.7)
        #expect(tap.last! < weiss.last! / 10)
    }

    @Test func productionSolverAndSmallClusterIterationAgree() throws {
        var p = TLSParameters()
        p.sites = 8
        p.temperature = 2
        p.box = .poisson
        let system = TLSSystem(parameters: p, seed: 5, realization: 2)
        let prod = TLSMeanField.solve(system, couplings: system.denseCouplings())
        #expect(prod.report.converged)
        let h = TLSClusterHamiltonian(system: system)
        let small = SmallClusterMeanField(response: .classical, onsager: false)
            .solve(start: prod.d, asymmetry: h.asymmetry, tunneling: h.tunneling, couplings: h.couplings,
                   prefactor: h.prefactor, temperature: p.temperature)
        #expect(small.converged)
        for i in 0..<8 { #expect(abs(small.d[i] - prod.d[i]) < 1e-7) }
    }

    @Test func memoryOfTheDenseDiagonalizationIsStated() {
        // N = 12: 4096^2 doubles for the matrix, twice that for dsyevd's workspace.
        #expect(abs(TLSClusterHamiltonian.bytes(sites: 12) / 4.03e8 - 1) < 0.01)
    }
}

@Suite struct BoltzmannEnumerationTests {
    @Test func twoSpinPartitionFunctionIsAnalytic() {
        let (d1, d2, j, c, t) = (0.5, -0.2, 1.1, 0.25, 0.3)
        let cl = ClassicalTLSCluster(asymmetry: [d1, d2], couplings: [0, j, j, 0], prefactor: c)
        let b = cl.boltzmann(temperature: t)
        let z = 2 * (exp(c * j / (2 * t)) * cosh((d1 + d2) / (2 * t)) + exp(-c * j / (2 * t)) * cosh((d1 - d2) / (2 * t)))
        #expect(abs(b.logPartitionFunction - log(z)) < 1e-13)
        #expect(abs(b.probabilities.reduce(0, +) - 1) < 1e-15)
    }

    @Test func threeSpinChainAveragesMatchBruteForce() {
        // Brute force over the 8 states written out term by term.
        let d = [0.3, -0.7, 0.1], j12 = 0.9, j23 = -0.6, j13 = 0.4, c = 1.0, t = 0.45
        let k = [0, j12, j13, j12, 0, j23, j13, j23, 0]
        let b = ClassicalTLSCluster(asymmetry: d, couplings: k, prefactor: c).boltzmann(temperature: t)
        var z = 0.0, s1 = 0.0
        for a in [-1.0, 1] { for bb in [-1.0, 1] { for cc in [-1.0, 1] {
            let e = -(d[0] * a + d[1] * bb + d[2] * cc) / 2 - c / 2 * (j12 * a * bb + j23 * bb * cc + j13 * a * cc)
            z += exp(-e / t)
            s1 += a * exp(-e / t)
        } } }
        #expect(abs(b.logPartitionFunction - log(z)) < 1e-13)
        #expect(abs((2 * b.averages(sites: 3)[0] - 1) - s1 / z) < 1e-13)
    }

    @Test func twoSiteElectronGlassPartitionFunctionIsAnalytic() {
        let (e1, e2, k, t) = (0.2, -0.3, 1.5, 0.25)
        let g = LatticeGasCluster(bareEnergies: [e1, e2], couplings: [0, k, k, 0])
        let b = g.boltzmann(temperature: t)
        #expect(b.configurations == [1, 2])
        let z = exp(k / (4 * t)) * (exp(-e1 / t) + exp(-e2 / t))
        #expect(abs(b.logPartitionFunction - log(z)) < 1e-13)
        #expect(abs(b.averages(sites: 2)[0] - exp(-e1 / t) / (exp(-e1 / t) + exp(-e2 / t))) < 1e-14)
    }

    @Test func infiniteTemperatureMakesEveryConfigurationEquallyLikely() {
        var p = EGParameters()
        p.sites = 10
        let g = LatticeGasCluster(system: EGSystem(parameters: p, seed: 1, realization: 0))
        let b = g.boltzmann(temperature: 1e12)
        #expect(b.configurations.count == 252)
        for q in b.probabilities { #expect(abs(q * 252 - 1) < 1e-9) }
        #expect(abs(b.logPartitionFunction - log(252)) < 1e-9)
    }

    @Test func particleHoleSymmetryOfTheElectronGlass() {
        var p = EGParameters()
        p.sites = 8
        let g = LatticeGasCluster(system: EGSystem(parameters: p, seed: 2, realization: 1))
        let flipped = LatticeGasCluster(bareEnergies: g.bareEnergies.map { -$0 }, couplings: g.couplings)
        let a = g.boltzmann(temperature: 0.2).averages(sites: 8), b = flipped.boltzmann(temperature: 0.2).averages(sites: 8)
        for i in 0..<8 { #expect(abs(a[i] + b[i] - 1) < 1e-12) }
    }

    @Test func spinFlipSymmetryOfTheIsingLimit() {
        let h = randomCluster(n: 6, w: 1, j: 1, d0: 0)
        let a = ClassicalTLSCluster(asymmetry: h.asymmetry, couplings: h.couplings, prefactor: 0.25)
        let b = ClassicalTLSCluster(asymmetry: h.asymmetry.map { -$0 }, couplings: h.couplings, prefactor: 0.25)
        let ma = a.boltzmann(temperature: 0.3).averages(sites: 6), mb = b.boltzmann(temperature: 0.3).averages(sites: 6)
        for i in 0..<6 { #expect(abs(ma[i] + mb[i] - 1) < 1e-12) }
    }

    /// The kinetic Monte Carlo's energy bookkeeping: a spin flip costs s_i h_i, a hop i -> j
    /// costs E~_j - E~_i - K_ij, as the enumerated Hamiltonians say.
    @Test func localFieldsGiveTheEnergyOfEveryMove() {
        let h = randomCluster(n: 5, w: 1, j: 1, d0: 0)
        let cl = ClassicalTLSCluster(asymmetry: h.asymmetry, couplings: h.couplings, prefactor: 0.25)
        for b in 0..<32 {
            for i in 0..<5 {
                let cost = cl.energy(b ^ (1 << i)) - cl.energy(b)
                #expect(abs(cost - ClassicalTLSCluster.spin(b, i) * cl.localField(i, configuration: b)) < 1e-12)
            }
        }
        var p = EGParameters()
        p.sites = 6
        let g = LatticeGasCluster(system: EGSystem(parameters: p, seed: 4, realization: 0))
        for b in g.configurations() {
            for i in 0..<6 where (b >> i) & 1 == 1 {
                for j in 0..<6 where (b >> j) & 1 == 0 {
                    let de = g.energy(b ^ (1 << i) ^ (1 << j)) - g.energy(b)
                    let expected = g.siteEnergy(j, configuration: b) - g.siteEnergy(i, configuration: b) - g.couplings[i * 6 + j]
                    #expect(abs(de - expected) < 1e-12)
                }
            }
        }
    }

    /// Quantum cluster at Delta0 -> 0 and the classical enumeration are the same equilibrium
    /// (s = -sigma^z).
    @Test func quantumClusterReducesToTheIsingLimit() throws {
        let h = randomCluster(n: 6, w: 1, j: 1, d0: 0)
        let q = try ThermalDiagonalization(h).state(temperature: 0.3)
        let cl = ClassicalTLSCluster(asymmetry: h.asymmetry, couplings: h.couplings, prefactor: h.prefactor)
        let m = cl.boltzmann(temperature: 0.3).averages(sites: 6)
        for i in 0..<6 { #expect(abs((2 * m[i] - 1) + q.sigmaZ[i]) < 1e-12) }
    }
}

@Suite struct ExactElectronGlassTests {
    /// Without interactions the grand-canonical occupations are Fermi functions, so Eq. 20's
    /// solution equals them to machine precision; the canonical ones (fixed N/2) differ.
    @Test func uncoupledGrandCanonicalOccupationsAreEq20() {
        var p = EGParameters()
        p.sites = 8
        p.interaction = 0
        p.temperature = 0.3
        let system = EGSystem(parameters: p, seed: 3, realization: 0)
        let g = LatticeGasCluster(system: system)
        let (gc, mu) = g.grandCanonical(temperature: 0.3)
        let exact = gc.averages(sites: 8)
        #expect(abs(exact.reduce(0, +) - 4) < 1e-9)
        let mf = EGMeanField.solve(system, couplings: system.denseCouplings())
        let n = mf.occupations(temperature: 0.3)
        for i in 0..<8 { #expect(abs(n[i] - exact[i]) < 1e-9) }
        #expect(abs(mu - mf.chemicalPotential) < 1e-8)
    }
}
