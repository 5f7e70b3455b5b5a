/// A complete colour scheme: a style for every `Role`.
///
/// Themes come from TOML files (`ThemeLoader`, found by `ThemeCatalog`). A theme that leaves roles
/// out takes those roles from the built-in default theme, so `style(for:)` always has an answer
/// and a half-finished user theme still draws a usable screen.
public struct Theme: Sendable, Equatable {
    /// The theme's name, as `:theme NAME` and `theme = "NAME"` in the config spell it.
    public let name: String
    /// A line describing the theme, for the theme picker.
    public let description: String
    /// The roles this theme did not name and took from the built-in default theme instead.
    public let inheritedRoles: Set<Role>

    private let styles: [Role: Style]

    /// Creates a theme from `styles`; roles missing from it fall back to the built-in default.
    public init(name: String, description: String = "", styles: [Role: Style]) {
        self.init(name: name, description: description, styles: styles, fallback: BuiltinTheme.theme)
    }

    /// Creates a theme whose missing roles come from `fallback`, or are plain when there is none
    /// (only the built-in theme itself, which covers every role, is built that way).
    init(name: String, description: String, styles: [Role: Style], fallback: Theme?) {
        var complete = styles
        var inherited = Set<Role>()
        for role in Role.allCases where complete[role] == nil {
            complete[role] = fallback?.style(for: role) ?? .plain
            inherited.insert(role)
        }
        self.name = name
        self.description = description
        self.styles = complete
        self.inheritedRoles = inherited
    }

    /// How cells of `role` are drawn.
    public func style(for role: Role) -> Style {
        styles[role] ?? .plain
    }

    /// Roles that must stand out even without colour: with colours stripped, their background
    /// was what made them visible, so they are drawn in reverse video instead.
    static let rolesReversedWithoutColor: Set<Role> = [
        .selection, .selectionUnfocused, .cursor, .toast, .toastAlert, .leadFlash, .kpiChanged,
    ]

    /// The same theme for a terminal without colour (or with `NO_COLOR`): colours are dropped,
    /// attributes kept, and the selection, cursor, toasts and highlights are forced to reverse
    /// video so they stay visible.
    public func monochromeVersion() -> Theme {
        var stripped: [Role: Style] = [:]
        for (role, style) in styles {
            var attributes = style.attributes
            if Self.rolesReversedWithoutColor.contains(role) { attributes.insert(.reverse) }
            stripped[role] = Style(attributes: attributes)
        }
        return Theme(name: name, description: description, styles: stripped, inheritedRoles: inheritedRoles)
    }

    private init(name: String, description: String, styles: [Role: Style], inheritedRoles: Set<Role>) {
        self.name = name
        self.description = description
        self.styles = styles
        self.inheritedRoles = inheritedRoles
    }
}
