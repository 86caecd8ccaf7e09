import Foundation
import Synchronization

/// An exclusive advisory lock on an output folder for the whole life of a run: `flock`
/// (LOCK_EX | LOCK_NB) on `DIR/.glassdyn.lock`, which holds the pid of its holder. A second
/// glassdyn on the same folder (with or without --force / --resume) is refused, naming that pid.
/// The lock is released by the kernel when the process exits, however it exits (kill -9
/// included). The file is removed at a normal exit (and by `release`); after a kill -9 it stays,
/// hidden, unlocked and harmless, and it is never listed among the results. Removing it while
/// still locked is safe because a process that locked a file already unlinked (it opened the
/// old path just before) sees that the path no longer names its file and tries again.
///
/// On NFS: Linux maps flock onto NFS byte-range locks (NFSv4, or NFSv3 with lockd/NLM), which
/// do exclude across nodes; on NFSv3 mounted with `nolock` (or no lockd) the lock is only
/// local to one node. When the file system refuses locks altogether (ENOLCK), the run goes on
/// with a warning.
public final class FolderLock: Sendable {
    /// The lock file in a locked folder (hidden; holds the pid of the holder).
    public static let fileName = ".glassdyn.lock"

    /// The lock file.
    public let url: URL
    let fd: Int32

    /// Locks held by this process, kept until exit.
    static let held = Mutex<[FolderLock]>([])

    init(url: URL, fd: Int32) {
        self.url = url
        self.fd = fd
    }

    /// The pid recorded in a lock file ("" if unreadable).
    static func recordedHolder(_ url: URL) -> String {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Takes the lock of `folder` (which must exist) for the rest of the process, or throws one
    /// line naming `option`, the folder and the holder's pid. Returns nil (after a warning on
    /// stderr) when the file system does not support locks.
    @discardableResult
    public static func acquire(_ folder: URL, option: Parameter = .outputFolder) throws -> FolderLock? {
        let url = folder.appendingPathComponent(fileName)
        var fd: Int32 = -1
        for attempt in 0..<20 {
            fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw ParameterError(option, "\(option) \(folder.path): cannot create the lock file \(fileName): \(String(cString: strerror(errno)))")
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let err = errno
                close(fd)
                if err == EWOULDBLOCK {
                    let pid = recordedHolder(url)
                    throw ParameterError(option,
                        "\(option) \(folder.path) is in use by another glassdyn process (pid \(pid.isEmpty ? "unknown" : pid), lock \(url.path)); wait for it to finish or stop it first")
                }
                FileHandle.standardError.write(Data("glassdyn: warning: cannot lock \(url.path) (\(String(cString: strerror(err)))); nothing stops a second run on this folder\n".utf8))
                return nil
            }
            // The holder before us may have removed the file between our open and our flock:
            // then we locked an orphan; try again on the file the path names now.
            var mine = stat(), named = stat()
            if fstat(fd, &mine) == 0, stat(url.path, &named) == 0, mine.st_ino == named.st_ino, mine.st_dev == named.st_dev { break }
            close(fd)
            fd = -1
            if attempt == 19 { throw ParameterError(option, "\(option) \(folder.path): the lock file \(fileName) keeps changing; another process is fighting over it") }
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        let lock = FolderLock(url: url, fd: fd)
        held.withLock { locks in
            if locks.isEmpty && !exitHookInstalled.exchange(true, ordering: .relaxed) {
                atexit { FolderLock.releaseAll() }
            }
            locks.append(lock)
        }
        return lock
    }

    static let exitHookInstalled = Atomic<Bool>(false)

    /// Removes and unlocks every lock of this process (at exit).
    static func releaseAll() {
        let locks = held.withLock { l -> [FolderLock] in
            defer { l.removeAll() }
            return l
        }
        for lock in locks { lock.unlinkAndClose() }
    }

    func unlinkAndClose() {
        unlink(url.path)     // while still locked: see the type's comment
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// The pid holding the lock of `folder`, or nil when no process holds it (probed with a
    /// shared, non-blocking flock that is released at once).
    public static func holder(of folder: URL) -> String? {
        let url = folder.appendingPathComponent(fileName)
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        guard errno == EWOULDBLOCK else { return nil }
        let pid = recordedHolder(url)
        return pid.isEmpty ? "unknown" : pid
    }

    /// Releases the lock (a command run in-process releases its locks when it ends; a command
    /// run as its own process keeps them until exit).
    public func release() {
        let mine = Self.held.withLock { locks -> Bool in
            let had = locks.contains { $0 === self }
            locks.removeAll { $0 === self }
            return had
        }
        if mine { unlinkAndClose() }
    }
}

/// What a command does to its locked output folder before it writes anything.
public enum OutputFolderPreparation {
    /// Files a `tls` / `eg` run or a `merge` writes into its folder (results and checkpoint).
    public static let runFiles = ["summary.json", "dos.csv", "rates.csv", "rates_linear.csv", "relaxation.csv",
                                  "sites.csv", "nn.csv", "run.json", "realizations.ledger"]

    /// Hidden temporary files left by a process killed while writing (AtomicFile's
    /// `.NAME.tmp-PID-RANDOM`).
    public static func isTemporary(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(".tmp-") }

    /// Removes stale temporary files under `folder` (recursively); call only under the lock.
    /// Returns how many were removed.
    @discardableResult
    public static func removeStaleTemporaries(in folder: URL) -> Int {
        let fm = FileManager.default
        guard let walk = fm.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return 0 }
        var removed = 0
        for case let url as URL in walk where isTemporary(url.lastPathComponent) {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, (try? fm.removeItem(at: url)) != nil {
                removed += 1
            }
        }
        return removed
    }

    /// `--force` without `--resume`: the run starts afresh, so every file an earlier run or
    /// merge wrote in `folder` is removed (a TLS sites.csv must not survive into an eg run);
    /// files glassdyn does not write are left alone.
    public static func clearEarlierRun(in folder: URL) throws {
        let fm = FileManager.default
        removeStaleTemporaries(in: folder)
        for name in runFiles {
            let url = folder.appendingPathComponent(name)
            guard fm.fileExists(atPath: url.path) else { continue }
            do { try fm.removeItem(at: url) } catch {
                throw ParameterError(.force, "\(Parameter.force): cannot remove \(url.path) of the earlier run: \(error.localizedDescription)")
            }
        }
    }
}
