import CloserCore
import Foundation
import GRDB

/// The client's local copy of one rep's inbox on one server: leads, messages, drafts, the outbox
/// and the last event offset applied. One SQLite file (WAL, mode 0600) under
/// `$XDG_DATA_HOME/closer/`.
///
/// The UI renders from here first, so the inbox is readable and composing works with the server
/// down. Drafts and outgoing messages land here before anything goes upstream: this file is what
/// makes "never lose a keystroke" true across crashes, SSH drops and `kill -9`.
public final class ClientCache: Sendable {
    private let pool: DatabasePool

    /// Opens (creating it with mode 0600 if needed) the cache at `path`.
    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Create the file ourselves so it is private from its first byte; SQLite gives the -wal and
        // -shm files the database file's mode.
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    /// `$XDG_DATA_HOME/closer/<host-port>-<user id>.sqlite` (or `~/.local/share/closer/…`).
    public static func defaultPath(server: String, userId: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let dataHome = XDGDirectories.dataHome(environment, home: environment["HOME"] ?? NSHomeDirectory())
        let host = server.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
        let safe = String(host.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "-" })
        let user = String(userId.filter { $0.isLetter || $0.isNumber || $0 == "-" })
        return "\(dataHome)/closer/\(safe)-\(user).sqlite"
    }

    // MARK: Leads and messages

    /// The leads, newest activity first; the first `limit` only, when given.
    public func leads(limit: Int? = nil) throws -> [Lead] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT json FROM leads ORDER BY last_activity_at DESC, id LIMIT ?", arguments: [limit ?? -1]).map(Self.decode)
        }
    }

    public func leadCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads") ?? 0 }
    }

    /// Replaces every lead (a full refresh from the server).
    public func replaceLeads(_ leads: [Lead]) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM leads")
            for lead in leads { try Self.upsert(lead, db) }
        }
    }

    public func upsertLead(_ lead: Lead) throws {
        try pool.write { db in try Self.upsert(lead, db) }
    }

    /// The newest `limit` messages of a thread, oldest first.
    public func thread(leadId: String, limit: Int = 100) throws -> [Message] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT json FROM messages WHERE lead_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                                arguments: [leadId, limit]).map(Self.decode).reversed()
        }
    }

    public func upsertMessages(_ messages: [Message]) throws {
        try pool.write { db in
            for message in messages {
                try db.execute(sql: """
                    INSERT INTO messages (id, lead_id, client_id, created_at, json) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET json = excluded.json
                    """, arguments: [message.id, message.leadId, message.clientId, message.createdAt.millisecondsSince1970, try Self.encode(message)])
            }
        }
    }

    // MARK: Drafts

    /// A draft as the cache holds it: `dirty` means the server has not acknowledged this text.
    public struct CachedDraft: Sendable, Hashable {
        public var leadId: String
        public var content: String
        public var subject: String?
        public var channel: Channel
        public var savedAt: Date
        /// The server version this text was based on (nil: none known).
        public var baseVersion: Int?
        public var dirty: Bool

        public var snapshot: DraftSnapshot {
            DraftSnapshot(leadId: leadId, content: content, subject: subject, channel: channel, savedAt: savedAt, synced: !dirty)
        }
    }

    public func drafts() throws -> [CachedDraft] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM drafts ORDER BY lead_id").map(Self.draft) }
    }

    public func draft(leadId: String) throws -> CachedDraft? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM drafts WHERE lead_id = ?", arguments: [leadId]).map(Self.draft) }
    }

    /// Writes the rep's text durably, marked dirty (not yet on the server).
    public func saveDraftLocally(_ edit: DraftEdit, at savedAt: Date) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO drafts (lead_id, content, subject, channel, saved_at, base_version, dirty) VALUES (?, ?, ?, ?, ?, NULL, 1)
                ON CONFLICT (lead_id) DO UPDATE SET content = excluded.content, subject = excluded.subject,
                    channel = excluded.channel, saved_at = excluded.saved_at, dirty = 1
                """, arguments: [edit.leadId, edit.content, edit.subject, edit.channel.rawValue, savedAt.millisecondsSince1970])
        }
    }

    /// The server accepted the text saved at `savedAt` as `version`. If the rep typed more since,
    /// the draft stays dirty (with the new base), so the newer text is pushed too.
    public func markDraftSynced(leadId: String, savedAt: Date, version: Int) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE drafts SET base_version = MAX(COALESCE(base_version, 0), ?1), dirty = CASE WHEN saved_at = ?2 THEN 0 ELSE dirty END WHERE lead_id = ?3",
                           arguments: [version, savedAt.millisecondsSince1970, leadId])
        }
    }

    /// Takes the server's draft (another device's), when the local one has nothing unsynced.
    /// Returns false, changing nothing, when the local draft is dirty: that is a conflict.
    public func acceptRemoteDraft(_ draft: Draft) throws -> Bool {
        try pool.write { db in
            let dirty = try Bool.fetchOne(db, sql: "SELECT dirty FROM drafts WHERE lead_id = ?", arguments: [draft.leadId]) ?? false
            guard !dirty else { return false }
            try db.execute(sql: """
                INSERT INTO drafts (lead_id, content, subject, channel, saved_at, base_version, dirty) VALUES (?, ?, ?, ?, ?, ?, 0)
                ON CONFLICT (lead_id) DO UPDATE SET content = excluded.content, subject = excluded.subject, channel = excluded.channel,
                    saved_at = excluded.saved_at, base_version = excluded.base_version, dirty = 0
                """, arguments: [draft.leadId, draft.content, draft.subject, draft.channel.rawValue, draft.savedAt.millisecondsSince1970, draft.version])
            return true
        }
    }

    /// Keeps another device's version that lost a conflict, so it can be recovered (`:drafts`).
    /// The local draft is rebased on that version, so the next push wins without a new conflict.
    public func keepConflictingDraft(_ theirs: Draft) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO draft_conflicts (lead_id, content, subject, channel, version, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [theirs.leadId, theirs.content, theirs.subject, theirs.channel.rawValue, theirs.version, theirs.savedAt.millisecondsSince1970])
            try db.execute(sql: "UPDATE drafts SET base_version = ? WHERE lead_id = ?", arguments: [theirs.version, theirs.leadId])
        }
    }

    /// The versions kept from conflicts, newest first.
    public func conflictingDrafts() throws -> [DraftSnapshot] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM draft_conflicts ORDER BY id DESC").map { row in
                DraftSnapshot(leadId: row["lead_id"], content: row["content"], subject: row["subject"],
                              channel: Channel(rawValue: row["channel"]) ?? .email, savedAt: Self.date(row["saved_at"]), synced: true)
            }
        }
    }

    /// A kept-aside version the rep restored (or dismissed): it leaves the `:drafts` list.
    public func forgetConflictingDraft(_ copy: DraftSnapshot) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM draft_conflicts WHERE lead_id = ? AND saved_at = ? AND content = ?",
                           arguments: [copy.leadId, copy.savedAt.millisecondsSince1970, copy.content])
        }
    }

    public func deleteDraft(leadId: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM drafts WHERE lead_id = ?", arguments: [leadId]) }
    }

    // MARK: Outbox

    /// A message waiting to reach the server. `failedReason` set means it stopped retrying and
    /// waits for the rep (retry or edit); it is never dropped.
    public struct OutboxEntry: Sendable, Hashable {
        public var message: OutgoingMessage
        public var createdAt: Date
        public var attempts: Int
        public var failedReason: String?
    }

    public func enqueue(_ message: OutgoingMessage, at createdAt: Date) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO outbox (client_id, lead_id, body, subject, channel, created_at, attempts, failed_reason)
                VALUES (?, ?, ?, ?, ?, ?, 0, NULL) ON CONFLICT (client_id) DO NOTHING
                """, arguments: [message.clientId, message.leadId, message.body, message.subject, message.channel.rawValue, createdAt.millisecondsSince1970])
        }
    }

    /// Everything waiting, in the order it was written.
    public func outbox() throws -> [OutboxEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY created_at, rowid").map { row in
                OutboxEntry(
                    message: OutgoingMessage(leadId: row["lead_id"], body: row["body"], subject: row["subject"],
                                             channel: Channel(rawValue: row["channel"]) ?? .email, clientId: row["client_id"]),
                    createdAt: Self.date(row["created_at"]), attempts: row["attempts"], failedReason: row["failed_reason"])
            }
        }
    }

    /// The server stored it: it leaves the outbox, and the stored message replaces the local one.
    public func delivered(clientId: String, as message: Message) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE client_id = ?", arguments: [clientId])
            try db.execute(sql: "DELETE FROM messages WHERE id = ?", arguments: ["local:\(clientId)"])
            try db.execute(sql: """
                INSERT INTO messages (id, lead_id, client_id, created_at, json) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET json = excluded.json
                """, arguments: [message.id, message.leadId, message.clientId, message.createdAt.millisecondsSince1970, try Self.encode(message)])
        }
    }

    public func recordAttempt(clientId: String, failedReason: String?) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, failed_reason = ? WHERE client_id = ?", arguments: [failedReason, clientId])
        }
    }

    /// The rep takes a failed message back to edit it: it leaves the outbox (only a failed one:
    /// a message still being tried may be on its way). Throws when it is not there to take.
    public func withdraw(clientId: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE client_id = ? AND failed_reason IS NOT NULL", arguments: [clientId])
            guard db.changesCount == 1 else { throw OutboxEntryNotFailed(clientId: clientId) }
        }
    }

    /// `withdraw` found no failed message with that client id.
    public struct OutboxEntryNotFailed: Error, CustomStringConvertible {
        public let clientId: String
        public var description: String { "message \(clientId) is not a failed one in the outbox" }
    }

    /// The rep asked to try a failed message again.
    public func resetAttempts(clientId: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE outbox SET attempts = 0, failed_reason = NULL WHERE client_id = ?", arguments: [clientId])
        }
    }

    // MARK: Offsets and session

    /// The last event offset applied to this cache (nil: never synced).
    public func lastOffset() throws -> Int? {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'last_offset'") }
    }

    public func setLastOffset(_ offset: Int) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('last_offset', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           arguments: [offset])
        }
    }

    // MARK: Schema and coding

    private static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE leads (id TEXT PRIMARY KEY, last_activity_at INTEGER NOT NULL, json TEXT NOT NULL);
                CREATE INDEX leads_activity ON leads (last_activity_at DESC);
                CREATE TABLE messages (id TEXT PRIMARY KEY, lead_id TEXT NOT NULL, client_id TEXT, created_at INTEGER NOT NULL, json TEXT NOT NULL);
                CREATE INDEX messages_thread ON messages (lead_id, created_at);
                CREATE TABLE drafts (lead_id TEXT PRIMARY KEY, content TEXT NOT NULL, subject TEXT, channel TEXT NOT NULL,
                    saved_at INTEGER NOT NULL, base_version INTEGER, dirty INTEGER NOT NULL);
                CREATE TABLE draft_conflicts (id INTEGER PRIMARY KEY AUTOINCREMENT, lead_id TEXT NOT NULL, content TEXT NOT NULL,
                    subject TEXT, channel TEXT NOT NULL, version INTEGER NOT NULL, saved_at INTEGER NOT NULL);
                CREATE TABLE outbox (client_id TEXT PRIMARY KEY, lead_id TEXT NOT NULL, body TEXT NOT NULL, subject TEXT,
                    channel TEXT NOT NULL, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL, failed_reason TEXT);
                CREATE TABLE meta (key TEXT PRIMARY KEY, value);
                """)
        }
        return migrator
    }()

    private static func upsert(_ lead: Lead, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO leads (id, last_activity_at, json) VALUES (?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET last_activity_at = excluded.last_activity_at, json = excluded.json
            """, arguments: [lead.id, lead.lastActivityAt.millisecondsSince1970, try encode(lead)])
    }

    private static func draft(_ row: Row) -> CachedDraft {
        CachedDraft(leadId: row["lead_id"], content: row["content"], subject: row["subject"],
                    channel: Channel(rawValue: row["channel"]) ?? .email, savedAt: date(row["saved_at"]),
                    baseVersion: row["base_version"], dirty: row["dirty"])
    }

    private static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try CloserJSON.encoder().encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ json: String) throws -> T {
        try CloserJSON.decoder().decode(T.self, from: Data(json.utf8))
    }

    private static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}
