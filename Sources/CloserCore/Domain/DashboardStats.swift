import Foundation

/// Every dashboard KPI for one rep over a trailing window. The formulas are documented in README.md
/// ("KPI formulas"); `Metrics/StatsCalculator.swift` on the server is their one implementation.
public struct DashboardStats: Codable, Sendable, Hashable {
    /// A count of distinct things next to the count of every event, e.g. emails opened and opens.
    public struct UniqueTotal: Codable, Sendable, Hashable {
        public var unique: Int
        public var total: Int
        public init(unique: Int, total: Int) {
            self.unique = unique
            self.total = total
        }
    }

    /// Seconds from an inbound message to the rep's next outbound reply on the same lead.
    public struct ResponseTime: Codable, Sendable, Hashable {
        public var medianSeconds: Double?
        public var meanSeconds: Double?
        /// How many inbound-then-reply pairs were measured.
        public var samples: Int
        public init(medianSeconds: Double?, meanSeconds: Double?, samples: Int) {
            self.medianSeconds = medianSeconds
            self.meanSeconds = meanSeconds
            self.samples = samples
        }
    }

    /// Counts of what happened in a span of time.
    public struct ActivityTally: Codable, Sendable, Hashable {
        public var sent: Int
        public var received: Int
        public var opens: Int
        public var clicks: Int
        public var meetingsBooked: Int
        public var conversions: Int
        public init(sent: Int = 0, received: Int = 0, opens: Int = 0, clicks: Int = 0, meetingsBooked: Int = 0, conversions: Int = 0) {
            self.sent = sent
            self.received = received
            self.opens = opens
            self.clicks = clicks
            self.meetingsBooked = meetingsBooked
            self.conversions = conversions
        }
    }

    /// Activity today (since UTC midnight) and over the whole window.
    public struct ActivityCounts: Codable, Sendable, Hashable {
        public var today: ActivityTally
        public var window: ActivityTally
        public init(today: ActivityTally, window: ActivityTally) {
            self.today = today
            self.window = window
        }
    }

    /// Deal value in cents: still open, already won, and the two together.
    public struct PipelineValue: Codable, Sendable, Hashable {
        public var openCents: Int
        public var convertedCents: Int
        public var totalCents: Int
        public var currency: String
        public init(openCents: Int, convertedCents: Int, currency: String = "USD") {
            self.openCents = openCents
            self.convertedCents = convertedCents
            self.totalCents = openCents + convertedCents
            self.currency = currency
        }
    }

    public var windowDays: Int
    public var windowStart: Date
    public var computedAt: Date
    public var leadsCreated: Int
    public var leadsConverted: Int
    public var conversionRate: Double
    public var responseTime: ResponseTime
    public var emailsSent: Int
    public var openRate: Double
    public var clickRate: Double
    public var opens: UniqueTotal
    public var clicks: UniqueTotal
    public var activityCounts: ActivityCounts
    public var pipelineValue: PipelineValue

    public init(
        windowDays: Int,
        windowStart: Date,
        computedAt: Date,
        leadsCreated: Int,
        leadsConverted: Int,
        conversionRate: Double,
        responseTime: ResponseTime,
        emailsSent: Int,
        openRate: Double,
        clickRate: Double,
        opens: UniqueTotal,
        clicks: UniqueTotal,
        activityCounts: ActivityCounts,
        pipelineValue: PipelineValue
    ) {
        self.windowDays = windowDays
        self.windowStart = windowStart
        self.computedAt = computedAt
        self.leadsCreated = leadsCreated
        self.leadsConverted = leadsConverted
        self.conversionRate = conversionRate
        self.responseTime = responseTime
        self.emailsSent = emailsSent
        self.openRate = openRate
        self.clickRate = clickRate
        self.opens = opens
        self.clicks = clicks
        self.activityCounts = activityCounts
        self.pipelineValue = pipelineValue
    }
}
