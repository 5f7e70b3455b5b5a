/// The OpenAPI 3.1 description of every route, served at `/openapi.yaml`.
///
/// `OperationsTests` checks that every route the router serves is described here and that
/// nothing described here is missing from the router.
enum OpenAPIDocument {
    static let yaml = #"""
    openapi: 3.1.0
    info:
      title: closer-server
      version: 1.0.0
      description: |
        The Closer messaging server. JSON everywhere; dates are ISO 8601 with milliseconds.
        Everything under /api except /api/auth/login needs `Authorization: Bearer <token>`.
        Errors are `{"error": {"code", "message", "field"}}`. Another rep's records answer 404.
    servers:
      - url: http://127.0.0.1:8080
    security:
      - bearer: []
    paths:
      /healthz:
        get:
          summary: Liveness
          security: []
          responses:
            "200": {description: The process answers.}
      /readyz:
        get:
          summary: Readiness
          security: []
          responses:
            "200": {description: The database answers.}
            "503": {$ref: "#/components/responses/Error"}
      /openapi.yaml:
        get:
          summary: This document
          security: []
          responses:
            "200": {description: OpenAPI 3.1 YAML.}
      /socket.io:
        get:
          summary: Real-time events over Socket.IO 5 / Engine.IO 4, websocket transport only
          description: |
            Upgrade to a WebSocket with `?EIO=4&transport=websocket`, then send CONNECT with
            `{"token": "...", "offset": N}`. Events: messages_updated, stats_updated, analytics_updated,
            activity_updated, drafts_updated, leads_updated, notification, resync. Each payload carries
            its event-log `offset`; reconnecting with the last offset replays what was missed.
            A request without the upgrade (long-polling) is answered 400.
          security: []
          parameters:
            - {name: EIO, in: query, required: true, schema: {type: string, enum: ["4"]}}
            - {name: transport, in: query, required: true, schema: {type: string, enum: [websocket]}}
          responses:
            "101": {description: Switching to the WebSocket protocol.}
            "400": {$ref: "#/components/responses/Error"}
      /api/auth/login:
        post:
          summary: Sign in and receive a new API token (shown only here)
          security: []
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: "#/components/schemas/LoginRequest"}
          responses:
            "200":
              description: Signed in.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/LoginResponse"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /api/auth/logout:
        post:
          summary: Revoke the token used for this request
          responses:
            "204": {description: Revoked.}
            "401": {$ref: "#/components/responses/Error"}
      /api/me:
        get:
          summary: The signed-in rep and the newest event offset
          responses:
            "200":
              description: The rep.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/MeResponse"}
            "401": {$ref: "#/components/responses/Error"}
      /api/leads:
        get:
          summary: Leads, newest activity first, with unreadCount and lastMessage
          parameters:
            - {name: status, in: query, schema: {$ref: "#/components/schemas/LeadStatus"}}
            - {name: q, in: query, description: Text over name, email, Instagram handle and phone., schema: {type: string, maxLength: 200}}
            - {name: cursor, in: query, description: nextCursor of the previous page., schema: {type: string}}
            - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 200, default: 50}}
          responses:
            "200":
              description: One page.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/LeadPage"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
        post:
          summary: Create a lead
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: "#/components/schemas/CreateLeadRequest"}
          responses:
            "201":
              description: Created.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Lead"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "413": {$ref: "#/components/responses/Error"}
      /api/leads/{id}:
        parameters:
          - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
        get:
          summary: One lead
          responses:
            "200":
              description: The lead.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Lead"}
            "400": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
        patch:
          summary: Change a lead's status and/or value
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: "#/components/schemas/UpdateLeadRequest"}
          responses:
            "200":
              description: The lead as it is now.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Lead"}
            "400": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
      /api/messages/{leadId}:
        parameters:
          - {name: leadId, in: path, required: true, schema: {type: string, format: uuid}}
        get:
          summary: The thread, oldest first, paged backwards
          parameters:
            - {name: before, in: query, description: Id of the oldest message already loaded., schema: {type: string, format: uuid}}
            - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 500, default: 100}}
          responses:
            "200":
              description: A page of the thread.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/MessagePage"}
            "400": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
        post:
          summary: Send a message; idempotent on clientId; deletes the sender's draft for the lead
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: "#/components/schemas/SendMessageRequest"}
          responses:
            "201":
              description: Stored and handed to the channel.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Message"}
            "200":
              description: A repeat of an earlier send with the same clientId; nothing new stored.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Message"}
            "400": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "409": {$ref: "#/components/responses/Error"}
            "413": {$ref: "#/components/responses/Error"}
            "422": {$ref: "#/components/responses/Error"}
      /api/messages/{leadId}/read:
        parameters:
          - {name: leadId, in: path, required: true, schema: {type: string, format: uuid}}
        post:
          summary: Mark the lead's inbound messages read
          responses:
            "200":
              description: How many changed.
              content:
                application/json:
                  schema:
                    type: object
                    required: [updated]
                    properties: {updated: {type: integer}}
            "404": {$ref: "#/components/responses/Error"}
      /api/drafts/{leadId}:
        parameters:
          - {name: leadId, in: path, required: true, schema: {type: string, format: uuid}}
        get:
          summary: The rep's draft for the lead
          responses:
            "200":
              description: The draft.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Draft"}
            "404": {$ref: "#/components/responses/Error"}
        post:
          summary: Save (upsert) the draft; a stale baseVersion answers 409 with the current draft
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: "#/components/schemas/SaveDraftRequest"}
          responses:
            "200":
              description: Saved; version is one more than before.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Draft"}
            "400": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "409":
              description: The draft changed on another device.
              content:
                application/json:
                  schema:
                    type: object
                    required: [error, draft]
                    properties:
                      error: {$ref: "#/components/schemas/ErrorDetail"}
                      draft: {$ref: "#/components/schemas/Draft"}
            "413": {$ref: "#/components/responses/Error"}
        delete:
          summary: Remove the draft
          responses:
            "204": {description: Removed (or there was none).}
            "404": {$ref: "#/components/responses/Error"}
      /api/dashboard/stats:
        get:
          summary: Every KPI over a trailing window
          parameters:
            - {name: window, in: query, description: Days., schema: {type: integer, minimum: 1, maximum: 365, default: 30}}
          responses:
            "200":
              description: The KPIs.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/DashboardStats"}
      /api/dashboard/activity:
        get:
          summary: The activity stream, newest first
          parameters:
            - {name: cursor, in: query, schema: {type: string}}
            - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 200, default: 50}}
          responses:
            "200":
              description: One page.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/ActivityPage"}
      /api/dashboard/analytics:
        get:
          summary: Daily series (UTC days), oldest first
          parameters:
            - {name: days, in: query, schema: {type: integer, minimum: 1, maximum: 365, default: 14}}
          responses:
            "200":
              description: The series.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Analytics"}
      /api/events:
        get:
          summary: Replay the rep's event log after an offset (the socket's replay, over HTTP)
          parameters:
            - {name: after, in: query, schema: {type: integer, minimum: 0, default: 0}}
            - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 500}}
          responses:
            "200":
              description: Events in offset order, or resync=true when the log no longer reaches back.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/EventsPage"}
      /t/o/{file}:
        get:
          summary: The open-tracking pixel of an outbound email
          description: |
            `file` is `{trackingId}.gif`. Always the same uncacheable 1x1 GIF, for unknown ids too.
            A person's first open sets the message's openedAt and notifies the rep; machine traffic
            (HEAD, known scanners, opens within the machine window of sending) is recorded, flagged.
          security: []
          parameters:
            - {name: file, in: path, required: true, schema: {type: string}}
          responses:
            "200": {description: A 1x1 GIF., content: {image/gif: {}}}
        head:
          summary: The pixel's headers (recorded as machine traffic)
          security: []
          parameters:
            - {name: file, in: path, required: true, schema: {type: string}}
          responses:
            "200": {description: The pixel's headers.}
      /t/c/{token}:
        get:
          summary: A tracked link of an outbound email
          description: 302 to the URL stored under exactly this token; anything else is 404.
          security: []
          parameters:
            - {name: token, in: path, required: true, schema: {type: string}}
          responses:
            "302": {description: Redirect to the stored URL.}
            "404": {$ref: "#/components/responses/Error"}
        head:
          summary: The redirect's headers (recorded as machine traffic)
          security: []
          parameters:
            - {name: token, in: path, required: true, schema: {type: string}}
          responses:
            "302": {description: Redirect to the stored URL.}
            "404": {$ref: "#/components/responses/Error"}
      /api/webhooks/inbound:
        post:
          summary: A message a lead sent on any channel, forwarded by an integrator
          description: |
            Signed: `X-Closer-Timestamp` (Unix seconds) and `X-Closer-Signature: sha256=<hex>`, the
            HMAC-SHA256 of `"{timestamp}.{raw body}"` with the shared secret (--inbound-secret-file).
            Older than 5 minutes or a bad signature is 401. A repeated externalId is accepted once (200).
          security: []
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [channel, from, body, externalId]
                  properties:
                    channel: {type: string, enum: [email, instagram, sms, whatsapp]}
                    from: {type: string, description: An email address, Instagram handle or phone number.}
                    to: {type: string, description: "The rep's email address; optional when the sender is known."}
                    subject: {type: string}
                    body: {type: string}
                    externalId: {type: string}
                    receivedAt: {type: string, format: date-time}
                    name: {type: string, description: "The sender's name, for a new lead."}
          responses:
            "201":
              description: Stored.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      message: {$ref: "#/components/schemas/Message"}
                      created: {type: boolean}
            "200": {description: Already stored under this externalId.}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "422": {$ref: "#/components/responses/Error"}
            "503": {$ref: "#/components/responses/Error"}
    components:
      securitySchemes:
        bearer: {type: http, scheme: bearer}
      responses:
        Error:
          description: An error.
          content:
            application/json:
              schema:
                type: object
                required: [error]
                properties:
                  error: {$ref: "#/components/schemas/ErrorDetail"}
      schemas:
        ErrorDetail:
          type: object
          required: [code, message]
          properties:
            code: {type: string}
            message: {type: string}
            field: {type: string}
        Channel: {type: string, enum: [email, instagram, sms, whatsapp]}
        LeadStatus: {type: string, enum: [new, contacted, replied, qualified, meeting_booked, converted, lost]}
        User:
          type: object
          required: [id, email, name, createdAt]
          properties:
            id: {type: string, format: uuid}
            email: {type: string}
            name: {type: string}
            createdAt: {type: string, format: date-time}
        LoginRequest:
          type: object
          required: [email, password]
          properties:
            email: {type: string}
            password: {type: string}
        LoginResponse:
          type: object
          required: [token, user]
          properties:
            token: {type: string}
            user: {$ref: "#/components/schemas/User"}
        MeResponse:
          type: object
          required: [user, eventOffset]
          properties:
            user: {$ref: "#/components/schemas/User"}
            eventOffset: {type: integer}
        Lead:
          type: object
          required: [id, name, status, valueCents, createdAt, updatedAt, lastActivityAt, unreadCount]
          properties:
            id: {type: string, format: uuid}
            name: {type: string}
            email: {type: string}
            instagram: {type: string}
            phone: {type: string}
            status: {$ref: "#/components/schemas/LeadStatus"}
            valueCents: {type: integer}
            createdAt: {type: string, format: date-time}
            updatedAt: {type: string, format: date-time}
            lastActivityAt: {type: string, format: date-time}
            unreadCount: {type: integer}
            lastMessage: {$ref: "#/components/schemas/Message"}
        LeadPage:
          type: object
          required: [leads]
          properties:
            leads: {type: array, items: {$ref: "#/components/schemas/Lead"}}
            nextCursor: {type: string}
        CreateLeadRequest:
          type: object
          required: [name]
          properties:
            name: {type: string, maxLength: 200}
            email: {type: string}
            instagram: {type: string}
            phone: {type: string}
            status: {$ref: "#/components/schemas/LeadStatus"}
            valueCents: {type: integer, minimum: 0}
        UpdateLeadRequest:
          type: object
          properties:
            status: {$ref: "#/components/schemas/LeadStatus"}
            valueCents: {type: integer, minimum: 0}
        Message:
          type: object
          required: [id, leadId, body, channel, direction, status, isRead, createdAt]
          properties:
            id: {type: string, format: uuid}
            leadId: {type: string, format: uuid}
            body: {type: string}
            subject: {type: string}
            channel: {$ref: "#/components/schemas/Channel"}
            direction: {type: string, enum: [inbound, outbound]}
            status: {type: string, enum: [queued, sent, delivered, failed]}
            failureReason: {type: string}
            trackingId: {type: string}
            openedAt: {type: string, format: date-time}
            clickedAt: {type: string, format: date-time}
            isRead: {type: boolean}
            clientId: {type: string}
            createdAt: {type: string, format: date-time}
        MessagePage:
          type: object
          required: [messages, hasMore]
          properties:
            messages: {type: array, items: {$ref: "#/components/schemas/Message"}}
            hasMore: {type: boolean}
        SendMessageRequest:
          type: object
          required: [body, channel, clientId]
          properties:
            body: {type: string, maxLength: 100000}
            subject: {type: string, maxLength: 300, description: Required for email.}
            channel: {$ref: "#/components/schemas/Channel"}
            clientId: {type: string, pattern: "^[A-Za-z0-9._:-]{1,128}$"}
        Draft:
          type: object
          required: [leadId, content, channel, version, savedAt, updatedAt]
          properties:
            leadId: {type: string, format: uuid}
            content: {type: string}
            subject: {type: string}
            channel: {$ref: "#/components/schemas/Channel"}
            version: {type: integer}
            savedAt: {type: string, format: date-time}
            updatedAt: {type: string, format: date-time}
        SaveDraftRequest:
          type: object
          required: [content, channel]
          properties:
            content: {type: string, maxLength: 100000}
            subject: {type: string, maxLength: 300}
            channel: {$ref: "#/components/schemas/Channel"}
            baseVersion: {type: integer, minimum: 0}
            savedAt: {type: string, format: date-time}
        Tally:
          type: object
          properties:
            sent: {type: integer}
            received: {type: integer}
            opens: {type: integer}
            clicks: {type: integer}
            meetingsBooked: {type: integer}
            conversions: {type: integer}
        UniqueTotal:
          type: object
          properties:
            unique: {type: integer}
            total: {type: integer}
        DashboardStats:
          type: object
          properties:
            windowDays: {type: integer}
            windowStart: {type: string, format: date-time}
            computedAt: {type: string, format: date-time}
            leadsCreated: {type: integer}
            leadsConverted: {type: integer}
            conversionRate: {type: number}
            responseTime:
              type: object
              properties:
                medianSeconds: {type: number}
                meanSeconds: {type: number}
                samples: {type: integer}
            emailsSent: {type: integer}
            openRate: {type: number}
            clickRate: {type: number}
            opens: {$ref: "#/components/schemas/UniqueTotal"}
            clicks: {$ref: "#/components/schemas/UniqueTotal"}
            activityCounts:
              type: object
              properties:
                today: {$ref: "#/components/schemas/Tally"}
                window: {$ref: "#/components/schemas/Tally"}
            pipelineValue:
              type: object
              properties:
                openCents: {type: integer}
                convertedCents: {type: integer}
                totalCents: {type: integer}
                currency: {type: string}
        Analytics:
          type: object
          properties:
            data:
              type: array
              items:
                type: object
                properties:
                  date: {type: string, format: date}
                  sent: {type: integer}
                  delivered: {type: integer}
                  opened: {type: integer}
                  clicked: {type: integer}
                  replied: {type: integer}
                  converted: {type: integer}
            summary: {type: object}
        Activity:
          type: object
          required: [id, kind, actor, summary, data, at]
          properties:
            id: {type: integer}
            kind: {type: string}
            leadId: {type: string, format: uuid}
            leadName: {type: string}
            actor: {type: string}
            summary: {type: string}
            data: {type: object}
            at: {type: string, format: date-time}
        ActivityPage:
          type: object
          required: [activities]
          properties:
            activities: {type: array, items: {$ref: "#/components/schemas/Activity"}}
            nextCursor: {type: string}
        EventsPage:
          type: object
          required: [events, resync, currentOffset, hasMore]
          properties:
            events:
              type: array
              items:
                type: object
                required: [offset, name, payload, at]
                properties:
                  offset: {type: integer}
                  name: {type: string}
                  payload: {type: object}
                  at: {type: string, format: date-time}
            resync: {type: boolean}
            currentOffset: {type: integer}
            hasMore: {type: boolean}
    """#
}
