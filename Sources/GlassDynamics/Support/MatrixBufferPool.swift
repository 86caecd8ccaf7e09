import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Page-aligned buffers for coupling matrices, mapped with their pages already present, and
/// recycled between the realizations of one run.
///
/// Why: a fresh matrix pays for its first touch, page by page. On this project's reference
/// machine (a VM) touching 400 MB page by page costs 0.3-0.4 s, a third of a whole N = 1e4
/// realization; populating it with MADV_POPULATE_WRITE (Linux 5.14; in 4 MB chunks shared by
/// the build's threads) costs half of that or less, and a buffer handed from one
/// realization to the next costs nothing. (Transparent huge pages were slower there: 0.24 GB/s.)
/// A build that can populate its buffer while it computes takes it unpopulated
/// (``acquireUnpopulated(bytes:)``, ``populate(_:bytes:)``). Contents of a recycled buffer are
/// stale; users overwrite every byte.
package final class MatrixBufferPool: Sendable {
    struct Buffer: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
        let bytes: Int
    }
    let cached = Mutex<[Buffer]>([])
    /// Buffers kept for reuse at most (others are unmapped on release).
    package let capacity: Int

    package init(capacity: Int = 8) { self.capacity = capacity }

    deinit {
        cached.withLock { list in
            for b in list { Self.unmap(b.pointer, bytes: b.bytes) }
            list.removeAll()
        }
    }

    /// A buffer of `bytes` bytes (page-aligned), recycled if one of that size is free.
    package func acquire(bytes: Int, threads: Int = 1) -> UnsafeMutableRawPointer {
        takeCached(bytes: bytes) ?? Self.map(bytes: bytes, threads: threads)
    }

    /// A buffer of `bytes` bytes (page-aligned) whose pages the caller populates itself
    /// (``populate(_:bytes:)``), as its build reaches them: recycled if one of that size is
    /// free (`fresh` false: its pages are present already), else freshly mapped.
    package func acquireUnpopulated(bytes: Int) -> (pointer: UnsafeMutableRawPointer, fresh: Bool) {
        if let reused = takeCached(bytes: bytes) { return (reused, false) }
        return (Self.mapUnpopulated(bytes: bytes), true)
    }

    /// Removes and returns a cached buffer of exactly `bytes` bytes, if any.
    func takeCached(bytes: Int) -> UnsafeMutableRawPointer? {
        cached.withLock { list in
            guard let k = list.firstIndex(where: { $0.bytes == bytes }) else { return nil }
            return list.remove(at: k).pointer
        }
    }

    /// Gives a buffer back for reuse (or unmaps it when the pool is full).
    package func release(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        let kept = cached.withLock { list -> Bool in
            if list.count >= capacity { return false }
            list.append(Buffer(pointer: pointer, bytes: bytes))
            return true
        }
        if !kept { Self.unmap(pointer, bytes: bytes) }
    }

    /// Maps `bytes` bytes with their pages populated (Linux), or allocates them: `threads`
    /// workers claim 4 MB chunks one at a time (``populate(_:bytes:)``), so a worker that joins
    /// late (the first parallel region of a process starts before its worker threads do) takes
    /// fewer.
    package static func map(bytes: Int, threads: Int = 1) -> UnsafeMutableRawPointer {
        let p = mapUnpopulated(bytes: bytes)
        #if canImport(Glibc)
        let size = Swift.max(bytes, 1)
        let base = SendablePointer(p.assumingMemoryBound(to: UInt8.self))
        let chunk = 1 << 22, chunks = (size + chunk - 1) / chunk
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: Swift.max(1, Swift.min(threads, chunks))) { _ in
            while true {
                let c = next.add(1, ordering: .relaxed).oldValue
                if c >= chunks { break }
                populate(UnsafeMutableRawPointer(base.pointer), bytes: (c * chunk)..<Swift.min(size, (c + 1) * chunk))
            }
        }
        #endif
        return p
    }

    /// Maps `bytes` bytes without populating them (Linux), or allocates them.
    package static func mapUnpopulated(bytes: Int) -> UnsafeMutableRawPointer {
        let size = Swift.max(bytes, 1)
        #if canImport(Glibc)
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != UnsafeMutableRawPointer(bitPattern: -1) else {
            fatalError("glassdyn: could not map \(size) bytes for a coupling matrix")
        }
        return p
        #else
        return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        #endif
    }

    /// Makes the pages of `bytes` (offsets into a buffer from ``mapUnpopulated(bytes:)``)
    /// present in one call (MADV_POPULATE_WRITE, Linux 5.14). Pages already present are left as
    /// they are, contents included, so it may run while other threads write the buffer.
    package static func populate(_ base: UnsafeMutableRawPointer, bytes: Range<Int>) {
        #if canImport(Glibc)
        let page = 4096
        let lo = bytes.lowerBound & ~(page - 1), hi = bytes.upperBound
        if hi <= lo { return }
        let start = base + lo
        // Kernels before 5.14 refuse the advice; the build's own writes then fault the pages
        // in (touching them here could race with those writes).
        _ = madvise(start, hi - lo, populateWrite)
        #endif
    }

    /// MADV_POPULATE_WRITE (Linux 5.14; not in every libc's headers).
    static let populateWrite: Int32 = 23

    /// Releases memory obtained from ``map(bytes:)``.
    package static func unmap(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        #if canImport(Glibc)
        munmap(pointer, Swift.max(bytes, 1))
        #else
        pointer.deallocate()
        #endif
    }
}
