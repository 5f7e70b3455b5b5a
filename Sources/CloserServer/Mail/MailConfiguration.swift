import Foundation

/// How outbound email leaves the server: over SMTP when `smtpURL` is set, otherwise as `.eml`
/// files in a spool folder (the embedded default, so a fresh install sends nothing by surprise).
public struct MailConfiguration: Sendable {
    /// `smtp://host:587` (STARTTLS when offered, required with a password) or `smtps://host:465`.
    public var smtpURL: String?
    public var smtpUser: String?
    /// Read from `--smtp-password-file`, never from the command line.
    public var smtpPassword: String?
    /// Refuse to send over a plain connection even without a password.
    public var requireTLS = false
    /// A PEM bundle to verify the SMTP server with (a private CA), instead of the system's.
    public var caFile: String?
    /// The envelope sender and From address; the rep's own address goes in Reply-To and the name in From.
    public var from = "closer@localhost.localdomain"
    /// Where `.eml` files go without SMTP; defaults to `spool/` in the server's data folder.
    public var spoolDirectory: String?
    /// Tries before a transient SMTP failure becomes final, and the first wait between them.
    public var maxAttempts = 8
    public var firstRetryDelay: Duration = .seconds(5)

    public init() {}
}
