import CloserCore
import Foundation

/// Everything the terminal application shows and remembers. `update` changes it; `view` draws it.
public struct AppState: Sendable {
    // MARK: Environment
    public var size: Size
    /// The current time, advanced by `.tick` actions so `update` stays pure.
    public var now: Date
    public var settings: AppSettings
    public var themeName: String

    // MARK: Session
    public var rep: User?
    public var server: String = ""
    public var connection: ConnectionStatus = .local
    public var sessionExpired = false

    // MARK: Data
    /// All leads, newest activity first.
    public private(set) var leads: [Lead] = []
    /// Each lead's place in that order (its last activity) by id, so a lookup is a hash and a
    /// binary search, without a second copy of every lead (the list can hold tens of thousands,
    /// and a copy by id cost 4 MB at 10,000).
    private var activityById: [String: Date] = [:]
    public var threads: [String: ThreadState] = [:]
    public var composes: [String: ComposeState] = [:]
    /// Drafts from other devices kept aside after a conflict (`:drafts` lists them).
    public var draftCopies: [DraftSnapshot] = []
    public var stats: DashboardStats?
    /// KPI figures that changed in the last update, highlighted until `statsHighlightUntil`.
    public var changedKPIs: Set<String> = []
    public var statsHighlightUntil: Date?
    public var analytics: Analytics?
    /// Newest first.
    public var activity: [Activity] = []
    /// Newest first.
    public var notificationHistory: [NotificationEntry] = []
    /// Notifications replayed after a reconnect, summarised once the replay ends.
    public var pendingReplaySummary: [NotificationKind: Int] = [:]

    // MARK: Interface
    public var focus: Panel = .leads
    /// The one panel shown on terminals narrower than 80 columns.
    public var narrowPanel: Panel = .leads
    public var sidebarHidden = false
    public var activityVisible = false
    /// The activity entry Enter opens; nil means the newest. An id, so it stays on the same entry
    /// as live ones arrive above it.
    public var selectedActivityId: Int?
    public var selectedLeadId: String?
    /// The first lead-list row shown.
    public var leadListTop = 0
    public var statusFilter: LeadStatus?
    /// While only the top of a large cached list is loaded: how many leads the whole list holds.
    public var leadTotalHint: Int?
    /// The search being typed after `/`, or the query that filters the list.
    public var search: TextEditor?
    public var searchActive = false
    public var threadScroll = ThreadScroll()
    /// A message to bring into view once its thread has loaded (Enter on a notification).
    public var pendingJumpMessageId: String?
    public var overlay: Overlay?
    public var toasts = ToastQueue()
    /// Keys of a sequence typed so far (`<C-x>` waiting for `<C-e>`).
    public var pendingKeys: [KeyEvent] = []
    /// Leads with fresh news, marked in the list until the time given.
    public var flashingLeads: [String: Date] = [:]
    public var quitting = false
    /// The selected thread's total rows, cached for scrolling (see `ThreadView.totalRows`).
    public var threadRowCount: ThreadRowCount?
    /// When the bell last rang, so a burst of notifications rings it a bounded number of times.
    public var lastBellAt: Date?
    /// A prefix unique to this run for client ids (`<seed>-<counter>`), so `update` can mint
    /// idempotency keys without randomness of its own.
    public var clientIdSeed = "c"
    public var clientIdCounter = 0

    public init(size: Size, now: Date, settings: AppSettings = AppSettings(), themeName: String = "default") {
        self.size = size
        self.now = now
        self.settings = settings
        self.themeName = themeName
    }

    // MARK: Derived

    /// The leads the list shows: the status filter and search applied, newest activity first.
    public var visibleLeads: [Lead] {
        let query = searchQuery
        guard statusFilter != nil || query != nil else { return leads }
        return leads.filter { lead in
            (statusFilter == nil || lead.status == statusFilter) && (query.map { Self.lead(lead, matches: $0) } ?? true)
        }
    }

    /// The search text, lowercased, when there is one.
    public var searchQuery: String? {
        guard let text = search?.text.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text.lowercased()
    }

    public var selectedLead: Lead? {
        selectedLeadId.flatMap { lead(id: $0) }
    }

    public func lead(id: String) -> Lead? {
        index(of: id).map { leads[$0] }
    }

    /// The position of a lead in `visibleLeads`: a binary search when nothing filters the list.
    public func visibleIndex(of id: String) -> Int? {
        guard statusFilter == nil && searchQuery == nil else { return visibleLeads.firstIndex { $0.id == id } }
        return index(of: id)
    }

    /// Where the lead with `id` is in `leads`.
    private func index(of id: String) -> Int? {
        guard let activity = activityById[id] else { return nil }
        let index = insertionIndex(activity: activity, id: id)
        return index < leads.count && leads[index].id == id ? index : nil
    }

    static func lead(_ lead: Lead, matches query: String) -> Bool {
        lead.name.lowercased().contains(query)
            || (lead.email?.lowercased().contains(query) ?? false)
            || (lead.instagram?.lowercased().contains(query) ?? false)
            || (lead.phone?.contains(query) ?? false)
    }

    // MARK: Lead list upkeep

    /// Replaces the lead list, keeping the selection on the same lead.
    public mutating func setLeads(_ newLeads: [Lead]) {
        if let activity = Self.activityIfListed(newLeads) {
            // The usual case: the server and the cache both answer in list order. The list is
            // kept as given, sharing the caller's storage instead of copying 10,000 leads.
            leads = newLeads
            activityById = activity
        } else {
            // One entry per id, the last given winning, as a replacement would.
            var activity = [String: Date](minimumCapacity: newLeads.count)
            var unique: [Lead] = []
            unique.reserveCapacity(newLeads.count)
            for lead in newLeads.reversed() where activity[lead.id] == nil {
                activity[lead.id] = lead.lastActivityAt
                unique.append(Self.listed(lead))
            }
            unique.sort(by: Self.activityOrder)
            leads = unique
            activityById = activity
        }
        if selectedLeadId == nil || lead(id: selectedLeadId!) == nil {
            selectedLeadId = visibleLeads.first?.id
        }
    }

    /// Inserts or replaces one lead in order (no full sort); the selection stays on the same
    /// lead even when the list reorders under it.
    public mutating func upsertLead(_ lead: Lead) {
        let lead = Self.listed(lead)
        removeFromOrder(id: lead.id)
        leads.insert(lead, at: insertionIndex(activity: lead.lastActivityAt, id: lead.id))
        activityById[lead.id] = lead.lastActivityAt
        if selectedLeadId == nil { selectedLeadId = lead.id }
    }

    /// Applies `change` to the lead with `id`, if it exists, and keeps the order.
    public mutating func modifyLead(id: String, _ change: (inout Lead) -> Void) {
        guard var lead = lead(id: id) else { return }
        change(&lead)
        upsertLead(lead)
    }

    private mutating func removeFromOrder(id: String) {
        guard let index = index(of: id) else { return }
        leads.remove(at: index)
    }

    /// Where a lead with this last activity and id belongs in `leads` (newest activity first, then
    /// id): a binary search.
    private func insertionIndex(activity: Date, id: String) -> Int {
        var low = 0
        var high = leads.count
        while low < high {
            let middle = (low + high) / 2
            if Self.orderKey(leads[middle]) > (activity, id) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    static func activityOrder(_ a: Lead, _ b: Lead) -> Bool {
        orderKey(a) > orderKey(b)
    }

    /// How much of a lead's last message the list keeps: more than the widest preview line, never
    /// the whole body. The thread has the message itself; a list of 10,000 leads whose last
    /// messages are long emails would otherwise hold every one of them, and sanitise the visible
    /// ones whole on every frame.
    static let previewLength = 1_000

    /// `lead` as the list keeps it: its last message cut to `previewLength` characters.
    private static func listed(_ lead: Lead) -> Lead {
        guard let body = lead.lastMessage?.body, body.utf8.count > previewLength else { return lead }
        var lead = lead
        lead.lastMessage?.body = String(body.prefix(previewLength))
        return lead
    }

    /// The last activity by id of `leads` when they are already as the list keeps them: in list
    /// order, one per id, previews within `previewLength`. Nil otherwise.
    private static func activityIfListed(_ leads: [Lead]) -> [String: Date]? {
        var activity = [String: Date](minimumCapacity: leads.count)
        for (index, lead) in leads.enumerated() {
            if index > 0, !activityOrder(leads[index - 1], lead) { return nil }
            if let body = lead.lastMessage?.body, body.utf8.count > previewLength { return nil }
            if activity.updateValue(lead.lastActivityAt, forKey: lead.id) != nil { return nil }
        }
        return activity
    }

    /// What the list is ordered by, descending: the last activity, then the id.
    private static func orderKey(_ lead: Lead) -> (Date, String) {
        (lead.lastActivityAt, lead.id)
    }

    /// The compose state for a lead, created on first use with the lead's preferred channel.
    public func compose(for leadId: String) -> ComposeState {
        if let compose = composes[leadId] { return compose }
        let channel = lead(id: leadId).map(Self.preferredChannel) ?? .email
        return ComposeState(channel: channel)
    }

    /// The channel a new message goes out on: the one the lead last used, else their first.
    static func preferredChannel(for lead: Lead) -> Channel {
        if let last = lead.lastMessage?.channel, lead.channels.contains(last) { return last }
        return lead.channels.first ?? .email
    }
}
