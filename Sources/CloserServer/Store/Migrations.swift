import Foundation
import SQLKit

/// The schema, as an ordered list of migrations. Each runs once, in its own transaction, and is
/// recorded in `schema_migrations`. Append new migrations; never edit one that has shipped.
public enum Migrations {
    struct Migration: Sendable {
        let version: Int
        let name: String
        let apply: @Sendable (StoreDatabase) async throws -> Void
    }

    static let all: [Migration] = [
        Migration(version: 1, name: "core schema", apply: createCoreSchema),
    ]

    /// Brings the schema up to date. Safe to run from several instances at once: on PostgreSQL the
    /// instances take turns on an advisory lock; on SQLite the write transaction is exclusive.
    /// - Returns: The versions applied by this call.
    @discardableResult
    public static func run(on database: Database) async throws -> [Int] {
        try await database.write { db in
            try await db.create(table: "schema_migrations")
                .ifNotExists()
                .column("version", type: .int, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .bigint, .notNull)
                .run()
        }
        defer { database.migrated.open() }
        return try await database.write { db in
            if database.dialect == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(7215005)").run()
            }
            let rows = try await db.raw("SELECT version FROM schema_migrations").all()
            let applied = Set(try rows.map { try $0.decode(column: "version", as: Int.self) })
            var newlyApplied: [Int] = []
            for migration in all where !applied.contains(migration.version) {
                try await migration.apply(db)
                try await db.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Date().millis))
                    """).run()
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }

    @Sendable
    private static func createCoreSchema(_ db: StoreDatabase) async throws {
        try await db.create(table: "users")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("email", type: .text, .notNull, .unique)
            .column("name", type: .text, .notNull)
            .column("password_hash", type: .text, .notNull)
            // The newest event offset; bumping it row-locks the rep, so offsets commit in order.
            .column("event_offset", type: .bigint, .notNull, .default(0))
            // Events up to here have been pruned from the log: older offsets need a resync.
            .column("events_pruned_through", type: .bigint, .notNull, .default(0))
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await db.create(table: "api_tokens")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("token_hash", type: .text, .notNull, .unique)
            .column("name", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("last_used_at", type: .bigint)
            .run()

        try await db.create(table: "leads")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("email", type: .text)
            .column("instagram", type: .text)
            .column("phone", type: .text)
            .column("status", type: .text, .notNull)
            .column("value_cents", type: .bigint, .notNull, .default(0))
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .column("last_activity_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "leads_by_activity").on("leads")
            .column("user_id").column("last_activity_at").column("id").run()
        try await db.create(index: "leads_by_email").on("leads").column("user_id").column("email").run()
        try await db.create(index: "leads_by_instagram").on("leads").column("user_id").column("instagram").run()
        try await db.create(index: "leads_by_phone").on("leads").column("user_id").column("phone").run()

        try await db.create(table: "messages")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("lead_id", type: .text, .notNull, .references("leads", "id", onDelete: .cascade))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("body", type: .text, .notNull)
            .column("subject", type: .text)
            .column("provider", type: .text, .notNull)
            .column("direction", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("failure_reason", type: .text)
            .column("tracking_id", type: .text, .unique)
            .column("opened_at", type: .bigint)
            .column("clicked_at", type: .bigint)
            .column("is_read", type: .int, .notNull, .default(0))
            .column("metadata", type: .text)
            .column("client_id", type: .text)
            .column("external_id", type: .text)
            .column("delivery_attempts", type: .int, .notNull, .default(0))
            // A queued message is due for a delivery attempt from here on; claiming it moves this forward.
            .column("next_attempt_at", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            .unique("user_id", "client_id")
            .unique("provider", "external_id")
            .run()
        try await db.create(index: "messages_by_thread").on("messages")
            .column("lead_id").column("created_at").column("id").run()
        try await db.create(index: "messages_by_user_time").on("messages")
            .column("user_id").column("created_at").run()
        try await db.create(index: "messages_by_delivery").on("messages")
            .column("status").column("next_attempt_at").run()

        try await db.create(table: "message_links")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("message_id", type: .text, .notNull, .references("messages", "id", onDelete: .cascade))
            .column("token", type: .text, .notNull, .unique)
            .column("url", type: .text, .notNull)
            .column("first_clicked_at", type: .bigint)
            .column("click_count", type: .int, .notNull, .default(0))
            .run()
        try await db.create(index: "message_links_by_message").on("message_links").column("message_id").run()

        try await db.create(table: "tracking_events")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("message_id", type: .text, .notNull, .references("messages", "id", onDelete: .cascade))
            .column("user_id", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("link_id", type: .text)
            .column("ip", type: .text)
            .column("user_agent", type: .text)
            .column("at", type: .bigint, .notNull)
            .column("machine", type: .int, .notNull, .default(0))
            .run()
        try await db.create(index: "tracking_events_by_user_time").on("tracking_events")
            .column("user_id").column("at").run()
        try await db.create(index: "tracking_events_by_message").on("tracking_events").column("message_id").run()

        try await db.create(table: "message_drafts")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("lead_id", type: .text, .notNull, .references("leads", "id", onDelete: .cascade))
            .column("content", type: .text, .notNull)
            .column("subject", type: .text)
            .column("channel", type: .text, .notNull)
            .column("version", type: .bigint, .notNull)
            .column("saved_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .unique("user_id", "lead_id")
            .run()

        try await db.create(table: "activities")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("lead_id", type: .text)
            .column("kind", type: .text, .notNull)
            // A queryable detail: for status_changed, the new status (KPIs count meetings and wins by it).
            .column("tag", type: .text)
            .column("actor", type: .text, .notNull)
            .column("summary", type: .text, .notNull)
            .column("data", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "activities_by_user").on("activities").column("user_id").column("id").run()
        try await db.create(index: "activities_by_user_time").on("activities").column("user_id").column("at").run()

        try await db.create(table: "events")
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("event_offset", type: .bigint, .notNull)
            .column("name", type: .text, .notNull)
            .column("payload", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .primaryKey("user_id", "event_offset")
            .run()
        try await db.create(index: "events_by_time").on("events").column("at").run()
    }
}
