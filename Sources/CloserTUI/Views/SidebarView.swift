import CloserCore

/// The KPI sidebar: the dashboard's figures and a 14-day sparkline; or, when toggled, the live
/// activity stream in the same place.
enum SidebarView {
    static func draw(_ state: AppState, in rect: Rect, into frame: inout Frame) {
        if state.activityVisible {
            ActivityView.draw(state, in: rect, into: &frame)
            return
        }
        let glyphs = state.settings.glyphs
        let focused = state.focus == .sidebar
        let window = state.stats.map { glyphs.separator + "\($0.windowDays) days" } ?? ""
        if Layout.compute(state).sidebarIsOverlay { frame.fill(rect, role: .background) }
        frame.box(rect, title: "KPIs" + window, role: focused ? .borderFocused : .border, titleRole: focused ? .titleFocused : .title, glyphs: glyphs)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return }
        guard let stats = state.stats else {
            frame.text("Loading" + glyphs.ellipsis, x: inner.x + 1, y: inner.y, role: .dim, clip: inner)
            return
        }
        var y = inner.y
        func figure(_ key: String, _ label: String, _ value: String) {
            guard y < inner.maxY else { return }
            frame.text(label, x: inner.x + 1, y: y, role: .kpiLabel, clip: inner)
            let width = DisplayWidth.of(value)
            let changed = state.changedKPIs.contains(key) && (state.statsHighlightUntil.map { $0 > state.now } ?? false)
            frame.text(value, x: inner.maxX - width - 1, y: y, role: changed ? .kpiChanged : .kpiValue, clip: inner)
            y += 1
        }
        figure("conversionRate", "Conversion", Formatting.percent(stats.conversionRate))
        figure("responseTime", "Response (median)", stats.responseTime.medianSeconds.map(Formatting.duration) ?? "–")
        figure("openRate", "Open rate", Formatting.percent(stats.openRate))
        figure("clickRate", "Click rate", Formatting.percent(stats.clickRate))
        figure("pipeline", "Pipeline", Formatting.money(cents: stats.pipelineValue.openCents, currency: stats.pipelineValue.currency))
        figure("won", "Won", Formatting.money(cents: stats.pipelineValue.convertedCents, currency: stats.pipelineValue.currency))
        y += 1
        tally("Today", stats.activityCounts.today, keyPrefix: "today", y: &y, state: state, inner: inner, into: &frame)
        tally("\(stats.windowDays) days", stats.activityCounts.window, keyPrefix: "window", y: &y, state: state, inner: inner, into: &frame)
        y += 1
        if let analytics = state.analytics, y < inner.maxY {
            let days = Array(analytics.data.suffix(14))
            frame.text("Last \(days.count) days", x: inner.x + 1, y: y, role: .kpiLabel, clip: inner)
            y += 1
            for (label, values) in [("sent", days.map(\.sent)), ("opened", days.map(\.opened)), ("replied", days.map(\.replied))] where y < inner.maxY {
                let spark = Sparkline.render(values, glyphs: glyphs.sparkline)
                let x = frame.text(spark, x: inner.x + 1, y: y, role: .sparkline, clip: inner)
                frame.text(" \(label) \(values.reduce(0, +))", x: x, y: y, role: .kpiLabel, clip: inner)
                y += 1
            }
        }
    }

    private static func tally(_ title: String, _ tally: DashboardStats.ActivityTally, keyPrefix: String, y: inout Int, state: AppState, inner: Rect, into frame: inout Frame) {
        guard y < inner.maxY else { return }
        frame.text(title, x: inner.x + 1, y: y, role: .kpiLabel, clip: inner)
        y += 1
        let pairs = [("sent", tally.sent), ("received", tally.received), ("opens", tally.opens), ("clicks", tally.clicks),
                     ("meetings", tally.meetingsBooked), ("won", tally.conversions)]
        for row in stride(from: 0, to: pairs.count, by: 2) where y < inner.maxY {
            var x = inner.x + 2
            for (label, value) in pairs[row..<min(row + 2, pairs.count)] {
                let key = "\(keyPrefix).\(label)"
                let changed = state.changedKPIs.contains(key) && (state.statsHighlightUntil.map { $0 > state.now } ?? false)
                x = frame.text("\(value)", x: x, y: y, role: changed ? .kpiChanged : .kpiValue, clip: inner)
                x = frame.text(" \(label)", x: x, y: y, role: .dim, clip: inner)
                x = max(x + 2, inner.x + 2 + (inner.width - 3) / 2)
            }
            y += 1
        }
    }
}

/// A row of bar characters scaled to the largest value.
enum Sparkline {
    static func render(_ values: [Int], glyphs: [String]) -> String {
        guard let maximum = values.max(), maximum > 0, !glyphs.isEmpty else {
            return String(repeating: glyphs.first ?? " ", count: values.count)
        }
        return values.map { value in
            let level = value == 0 ? 0 : 1 + (value * (glyphs.count - 2)) / maximum
            return glyphs[min(level, glyphs.count - 1)]
        }.joined()
    }
}
