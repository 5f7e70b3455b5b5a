/// Where a lead stands in the rep's pipeline.
public enum LeadStatus: String, WireEnum {
    case new
    case contacted
    case replied
    case qualified
    case meetingBooked = "meeting_booked"
    case converted
    case lost

    /// Position along the pipeline. `lost` is off the line, so nothing moves forward from it
    /// automatically and nothing moves "forward" into it.
    public var pipelineRank: Int? {
        switch self {
        case .new: 0
        case .contacted: 1
        case .replied: 2
        case .qualified: 3
        case .meetingBooked: 4
        case .converted: 5
        case .lost: nil
        }
    }

    /// Whether moving from `self` to `next` is forward progress, as an inbound reply may do on its own.
    public func isForwardProgress(to next: LeadStatus) -> Bool {
        guard let from = pipelineRank, let to = next.pipelineRank else { return false }
        return to > from
    }

    /// Whether the lead still counts towards the open pipeline value.
    public var isOpen: Bool { self != .converted && self != .lost }
}
