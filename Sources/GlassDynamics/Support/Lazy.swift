import Synchronization

/// A value computed once, on first use, by whichever thread asks first.
package final class Lazy<Value: Sendable>: Sendable {
    let cached = Mutex<Value?>(nil)

    package init() {}

    /// The value, computing it with `make` on the first call.
    package func value(_ make: () -> Value) -> Value {
        cached.withLock { v in
            if let v { return v }
            let x = make()
            v = x
            return x
        }
    }
}
