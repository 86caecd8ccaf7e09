import Foundation
import GlassDynamics
import GlassDynamicsTestSupport
import Testing

@Suite struct ExactCommandTests {
    @Test(arguments: [
        BadInput(["tls", "--n", "15"], names: "--n", value: "15"),
        BadInput(["tls", "--n", "1"], names: "--n", value: "1"),
        BadInput(["tls", "--t", "1,0"], names: "--t", value: "0"),
        BadInput(["tls", "--t", "-2"], names: "--t", value: "-2"),
        BadInput(["tls", "--t", "1,,2"], names: "--t"),
        BadInput(["tls", "--w", "-1"], names: "--w", value: "-1"),
        BadInput(["tls", "--realizations", "0"], names: "--realizations", value: "0"),
        BadInput(["tls", "--classical", "--n", "25"], names: "--n", value: "25"),
        BadInput(["eg", "--n", "9"], names: "--n", value: "9"),
        BadInput(["eg", "--n", "26"], names: "--n", value: "26"),
        BadInput(["eg", "--t", "0"], names: "--t", value: "0"),
    ])
    func refusals(_ c: BadInput) throws {
        CLI.expectRefusedBeforeAnyWork(["exact"] + c.arguments, c)
    }

    @Test func tlsStudyWritesItsTablesAndFitsTheOrder() throws {
        let out = temporaryPath("exact-tls")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = CLI.run(["exact", "tls", "--n", "5", "--box", "poisson", "--realizations", "3", "--t", "1,4,16,64",
                         "--threads", "2", "--quiet", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        for f in ["sites.csv", "summary.csv", "fit.csv", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(f)"), "\(f)")
        }
        let sites = try String(contentsOfFile: "\(out)/sites.csv", encoding: .utf8).split(separator: "\n")
        #expect(sites.count == 1 + 3 * 4 * 5)
        let s = try readJSONObject("\(out)/summary.json")
        #expect(s["kind"] as? String == "exact tls" && s["reference"] as? String == "quantum")
        // The same realizations whatever the thread count.
        let one = temporaryPath("exact-tls-1")
        defer { try? FileManager.default.removeItem(atPath: one) }
        #expect(CLI.run(["exact", "tls", "--n", "5", "--box", "poisson", "--realizations", "3", "--t", "1,4,16,64",
                         "--threads", "1", "--quiet", "--out", one]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(one)/sites.csv")) == Data(contentsOf: URL(fileURLWithPath: "\(out)/sites.csv")))
    }

    /// Realization r of `exact tls` is realization r of `glassdyn tls` with the same seed: the
    /// same Delta_i, Delta0_i and mean-field D_i, bit for bit.
    @Test func sameRealizationsAsTheMeanFieldRun() throws {
        let mf = temporaryPath("exact-same-mf"), ex = temporaryPath("exact-same-ex")
        defer { for p in [mf, ex] { try? FileManager.default.removeItem(atPath: p) } }
        let common = ["--n", "8", "--box", "poisson", "--t", "1", "--realizations", "2", "--seed", "4", "--quiet"]
        #expect(CLI.run(["tls"] + common + ["--save-sites", "--out", mf]).status == 0)
        #expect(CLI.run(["exact", "tls"] + common + ["--out", ex]).status == 0)
        func rows(_ path: String) throws -> [[String]] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        }
        let a = try rows("\(mf)/sites.csv"), b = try rows("\(ex)/sites.csv")
        #expect(a.count == 16 && b.count == 16)
        for (x, y) in zip(a, b) {
            // tls: realization,i,x,y,z,Delta,Delta0,D,...   exact: w,t,realization,site,delta,delta0,m_exact,d_eq4,...
            #expect(Double(x[0]) == Double(y[2]) && Double(x[1]) == Double(y[3]))
            #expect(x[5] == y[4] && x[6] == y[5] && x[7] == y[7])
        }
    }

    @Test func electronGlassStudyRuns() throws {
        let out = temporaryPath("exact-eg")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = CLI.run(["exact", "eg", "--n", "6", "--realizations", "2", "--t", "0.5,2", "--quiet", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let header = try String(contentsOfFile: "\(out)/sites.csv", encoding: .utf8).split(separator: "\n")[0]
        #expect(header == "w,t,realization,site,eps,n_exact,n_exact_gc,n_eq20,level_eq20")
    }

    @Test func memoryRefusalNamesTheSites() throws {
        guard EndToEnd.available else { throw EndToEnd.MissingBinary() }
        let never = temporaryPath("exact-never")
        let r = try Subprocess.run(EndToEnd.binary, ["exact", "tls", "--n", "13", "--threads", "1", "--out", never],
                                   environment: [MemoryLimit.environmentVariable: "500000000"])
        #expect(r.status == 2 && r.stderr.contains("lower --n"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: never))
    }
}
