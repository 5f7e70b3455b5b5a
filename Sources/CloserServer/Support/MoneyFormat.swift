/// Money as people read it in summaries: `$12,500` or `$12,500.50`.
enum MoneyFormat {
    static func dollars(cents: Int) -> String {
        let whole = cents / 100
        let fraction = cents % 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        return fraction == 0 ? "$\(grouped)" : "$\(grouped)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
