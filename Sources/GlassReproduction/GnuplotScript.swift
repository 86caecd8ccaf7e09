import Foundation
import GlassDynamics

/// A gnuplot script that draws panels from CSV files (one header row, comma-separated, as
/// ``CSVTable`` writes them) and renders itself to `<name>.png` and `<name>.svg` when run with
/// `gnuplot <name>.gp` in the folder of the data.
///
/// The script is plain text a reader can edit and rerun: it holds no data, only paths relative
/// to its own folder.
package struct GnuplotScript: Sendable, Equatable {
    /// One curve: a data file, a `using` specification and a style.
    package struct Series: Sendable, Equatable {
        package var file: String
        package var using: String
        package var title: String
        package var style: String

        package init(file: String, using: String, title: String, style: String = "linespoints pt 7 ps 0.5") {
            self.file = file
            self.using = using
            self.title = title
            self.style = style
        }

        /// An analytic curve (a gnuplot expression of x) instead of a file.
        package static func function(_ expression: String, title: String, style: String = "lines lw 2 dt 2") -> Series {
            Series(file: "", using: expression, title: title, style: style)
        }

        var clause: String {
            let t = title.isEmpty ? "notitle" : "title \(GnuplotScript.quote(title))"
            if file.isEmpty { return "\(using) \(t) with \(style)" }
            return "\(GnuplotScript.quote(file)) skip 1 using \(using) \(t) with \(style)"
        }
    }

    /// One panel of a multiplot.
    package struct Panel: Sendable, Equatable {
        package var title: String
        package var xLabel: String
        package var yLabel: String
        package var logX = false
        package var logY = false
        /// gnuplot ranges, e.g. "[-3:3]"; empty for autoscale.
        package var xRange = ""
        package var yRange = ""
        /// Extra `set` lines for this panel only (arrows, labels, key position). Every panel
        /// starts with the key top right and a quarter of headroom above the data for it.
        package var settings: [String] = []
        package var series: [Series]

        package init(title: String, xLabel: String, yLabel: String, series: [Series]) {
            self.title = title
            self.xLabel = xLabel
            self.yLabel = yLabel
            self.series = series
        }

        /// A dashed vertical line at x = `x`, drawn behind the data (a cutoff marker).
        package mutating func markVertical(at x: Double, color: Int) {
            guard x.isFinite else { return }
            settings.append("set arrow from \(x), graph 0 to \(x), graph 1 nohead dt 3 lc \(color) back")
        }
    }

    package var name: String
    package var title: String
    package var panels: [Panel]
    /// Pixel size of one panel; the canvas holds the panels side by side.
    package var panelWidth = 560
    package var panelHeight = 430

    package init(name: String, title: String, panels: [Panel]) {
        self.name = name
        self.title = title
        self.panels = panels
    }

    package var fileName: String { name + ".gp" }

    /// The script text.
    package var text: String {
        let width = panelWidth * Swift.max(panels.count, 1), height = panelHeight
        var s = """
        # \(name).gp: \(title)
        # Written by glassdyn; draws \(name).png and \(name).svg from the CSV files beside it.
        # Rerun with: gnuplot \(name).gp
        set datafile separator comma
        set datafile missing "nan"
        set encoding utf8
        do for [fmt in "png svg"] {
          if (fmt eq "png") {
            set terminal pngcairo enhanced size \(width),\(height) font "Sans,10"
          } else {
            set terminal svg enhanced size \(width),\(height) font "Sans,10" background "white"
          }
          set output "\(name).".fmt
          set multiplot layout 1,\(Swift.max(panels.count, 1)) title \(GnuplotScript.quote(title))

        """
        for p in panels {
            // Every panel starts from the same state (settings persist across panels and formats).
            s += "  unset logscale; unset arrow; unset label; set autoscale; set key default; set key top right\n"
            s += "  set format x \"% h\"; set format y \"% h\"; set offsets 0, 0, graph 0.25, 0\n"
            s += "  set title \(GnuplotScript.quote(p.title))\n"
            s += "  set xlabel \(GnuplotScript.quote(p.xLabel))\n"
            s += "  set ylabel \(GnuplotScript.quote(p.yLabel))\n"
            if p.logX { s += "  set logscale x; set format x \"10^{%T}\"\n" }
            if p.logY { s += "  set logscale y; set format y \"10^{%T}\"\n" }
            if !p.xRange.isEmpty { s += "  set xrange \(p.xRange)\n" }
            if !p.yRange.isEmpty { s += "  set yrange \(p.yRange)\n" }
            for line in p.settings { s += "  \(line)\n" }
            if p.series.isEmpty {
                s += "  set label \"no data\" at graph 0.5, graph 0.5 center\n  plot 1/0 notitle\n"
            } else {
                s += "  plot " + p.series.map(\.clause).joined(separator: ", \\\n       ") + "\n"
            }
        }
        s += """
          unset multiplot
          set output
        }

        """
        return s
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Writes `<name>.gp` into `folder` (atomically).
    package func write(to folder: URL) throws {
        try AtomicFile.write(text, to: folder.appendingPathComponent(fileName))
    }

    /// Path of the gnuplot executable on PATH, or nil when it is not installed.
    package static var executable: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/gnuplot"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs gnuplot on the script in `folder`; throws with gnuplot's own message on failure.
    package func render(in folder: URL, gnuplot: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gnuplot)
        process.arguments = [fileName]
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw GlassDynamicsError.io("cannot run \(gnuplot): \(error.localizedDescription)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " | ")
            throw GlassDynamicsError.io("gnuplot failed on \(folder.appendingPathComponent(fileName).path): \(text)")
        }
    }
}
