import Foundation
import GlassReproduction
import Testing

/// The figure checks shared by the report sections beyond the paper and on exact dynamics:
/// every named figure has its gnuplot script, the script plots only CSV files that exist, and
/// with gnuplot present the images exist and both reports show them at their block.
func expectSectionFigures(_ figures: [String: BeyondPaperOutcome.Figure], names: [String], blocks: [BeyondBlock],
                          root: URL, markdown md: String, html: String) throws {
    let fm = FileManager.default
    for name in names {
        let fig = try #require(figures[name])
        let dir = root.appendingPathComponent(fig.folder)
        #expect(fm.fileExists(atPath: dir.appendingPathComponent("\(name).gp").path), "\(name).gp missing")
        let script = try String(contentsOf: dir.appendingPathComponent("\(name).gp"), encoding: .utf8)
        for line in script.split(separator: "\n") {
            for part in line.split(separator: "\"") where part.hasSuffix(".csv") {
                #expect(fm.fileExists(atPath: dir.appendingPathComponent(String(part)).path), "\(part) is plotted but missing")
            }
        }
        if GnuplotScript.executable != nil {
            #expect(fig.images == ["\(name).png", "\(name).svg"], "\(name): \(fig.renderNote ?? "")")
            #expect(md.contains("(\(fig.folder)/\(name).png)"))
            #expect(html.contains("data-figure=\"\(blocks.first { $0.figure == name }!.id)\""))
        }
    }
}
