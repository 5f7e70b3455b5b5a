/// The panels focus moves between.
public enum Panel: String, CaseIterable, Sendable, Hashable {
    case leads
    case thread
    case compose
    case sidebar
}
