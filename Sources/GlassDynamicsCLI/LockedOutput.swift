import Foundation
import GlassDynamics

/// Opens a command's output folder under its exclusive lock (FolderLock), before anything is
/// written: the folder is created if missing, locked, then checked (non-empty needs --force or
/// --resume). Under the lock, `--resume` removes stale temporary files of a killed writer, and
/// `--force` without `--resume` clears the files of an earlier run when `clearsRunFiles`.
func lockedOutput(path: String, force: Bool, resume: Bool, clearsRunFiles: Bool) throws -> OutputDirectory {
    let url = URL(fileURLWithPath: path, isDirectory: true)
    var isDir: ObjCBool = false
    if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) || !isDir.boolValue {
        _ = try OutputDirectory(path: path, force: force || resume)   // creates it, or says why not
    } else if !(force || resume) {
        // A non-empty folder without --force is refused without writing anything into it
        // (naming the pid if a live run holds it).
        do { _ = try OutputDirectory(path: path, force: false) } catch {
            if let pid = FolderLock.holder(of: url) {
                throw ParameterError(.outputFolder, "\(Parameter.outputFolder) \(url.path) is in use by another glassdyn process (pid \(pid), lock \(url.appendingPathComponent(FolderLock.fileName).path)); wait for it to finish or stop it first")
            }
            throw error
        }
    }
    if let lock = try FolderLock.acquire(url) { Console.held(lock) }
    let out = try OutputDirectory(path: path, force: force || resume)
    if resume {
        OutputFolderPreparation.removeStaleTemporaries(in: out.url)
    } else if force && clearsRunFiles {
        try OutputFolderPreparation.clearEarlierRun(in: out.url)
    }
    return out
}
