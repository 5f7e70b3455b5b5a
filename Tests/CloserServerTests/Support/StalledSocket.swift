import CloserCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Socket.IO client on a plain TCP socket that completes the handshake and then never reads
/// again: the peer a server must not buffer for without limit.
///
/// WSClient always reads (it keeps frames for `next`), so this speaks just enough WebSocket by
/// hand: the upgrade request, one masked CONNECT frame, and a check for the close that ends it.
final class StalledSocket {
    private let fd: Int32

    /// Connects, upgrades, reads the open packet and sends CONNECT with `token`. Reads nothing after.
    init(port: Int, token: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StalledSocketError("socket() failed") }
        // A small receive buffer, so the server's side fills sooner.
        var size: Int32 = 16 * 1024
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw StalledSocketError("connect() failed") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        try send(Array("""
            GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r
            Host: 127.0.0.1:\(port)\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: \(key)\r
            Sec-WebSocket-Version: 13\r
            \r

            """.utf8))
        // The 101 answer and the open packet (`0{…}`), which is all this client ever reads.
        var received: [UInt8] = []
        while !(String(decoding: received, as: UTF8.self).contains("\"maxPayload\"") && received.last == UInt8(ascii: "}")) {
            var chunk = [UInt8](repeating: 0, count: 1024)
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { throw StalledSocketError("no open packet") }
            received += chunk[0..<count]
        }
        guard String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 101") else { throw StalledSocketError("no upgrade") }
        let connect = EngineIOPacket.message(SocketIOPacket.connect(auth: ["token": .string(token)]).encoded).encoded
        try send(Self.maskedTextFrame(Array(connect.utf8)))
    }

    deinit { close(fd) }

    /// Whether the server has closed the connection: reads until end of stream, or gives up at
    /// `deadline`. (Reading drains whatever the server had queued, so call it only at the end.)
    func closedByServer(within deadline: Duration) -> Bool {
        let end = ContinuousClock.now + deadline
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while ContinuousClock.now < end {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { return true }
            if count < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { return true }
        }
        return false
    }

    private func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw StalledSocketError("send() failed") }
            offset += sent
        }
    }

    /// A client-to-server text frame (FIN, masked), for payloads under 126 bytes.
    private static func maskedTextFrame(_ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count < 126)
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        return [0x81, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }
}

struct StalledSocketError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
