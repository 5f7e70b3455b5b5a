import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 with an ephemeral port.
private func listeningSocket() throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ClientTestError("socket() failed") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, 16) == 0 else {
        close(fd)
        throw ClientTestError("bind/listen failed")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

enum FreePort {
    /// A port nothing listens on (it was free a moment ago).
    static func find() throws -> Int {
        let (fd, port) = try listeningSocket()
        close(fd)
        return port
    }
}

/// A server that accepts connections (the kernel does, from its backlog) and never answers:
/// a request to it waits until its timeout or until it is cancelled.
final class SilentServer: Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        (fd, port) = try listeningSocket()
    }

    deinit {
        close(fd)
    }
}
