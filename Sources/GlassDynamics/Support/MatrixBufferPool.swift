import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Page-aligned buffers for coupling matrices, mapped with their pages already present, and
/// recycled between the realizations of one run.
///
/// Why: a fresh matrix pays for its first touch, page by page. On this project's reference
/// machine (a VM) touching 400 MB page by page costs 0.3-0.4 s, a third of a whole N = 1e4
/// realization; mapping it with MAP_POPULATE costs half of that, and a buffer handed from one
/// realization to the next costs nothing. (Transparent huge pages were slower there: 0.24 GB/s.)
/// Contents of a recycled buffer are stale; users overwrite every byte.
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
    package func acquire(bytes: Int) -> UnsafeMutableRawPointer {
        let reused: UnsafeMutableRawPointer? = cached.withLock { list in
            guard let k = list.firstIndex(where: { $0.bytes == bytes }) else { return nil }
            return list.remove(at: k).pointer
        }
        return reused ?? Self.map(bytes: bytes)
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

    /// Maps `bytes` bytes with their pages populated (Linux), or allocates them.
    package static func map(bytes: Int) -> UnsafeMutableRawPointer {
        let size = Swift.max(bytes, 1)
        #if canImport(Glibc)
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0)
        guard let p, p != UnsafeMutableRawPointer(bitPattern: -1) else {
            fatalError("glassdyn: could not map \(size) bytes for a coupling matrix")
        }
        return p
        #else
        return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        #endif
    }

    /// Releases memory obtained from ``map(bytes:)``.
    package static func unmap(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        #if canImport(Glibc)
        munmap(pointer, Swift.max(bytes, 1))
        #else
        pointer.deallocate()
        #endif
    }
}
