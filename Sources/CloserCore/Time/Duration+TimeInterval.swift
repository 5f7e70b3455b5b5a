extension Duration {
    /// The duration in seconds, fractions included (for `Date` arithmetic and wire formats that
    /// count seconds or milliseconds).
    public var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded down (Engine.IO's `pingInterval`, log lines).
    public var wholeMilliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
