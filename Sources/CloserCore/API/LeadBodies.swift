/// `POST /api/leads` request.
public struct CreateLeadRequest: Codable, Sendable, Hashable {
    public var name: String
    public var email: String?
    public var instagram: String?
    public var phone: String?
    public var status: LeadStatus?
    public var valueCents: Int?
    public init(name: String, email: String? = nil, instagram: String? = nil, phone: String? = nil, status: LeadStatus? = nil, valueCents: Int? = nil) {
        self.name = name
        self.email = email
        self.instagram = instagram
        self.phone = phone
        self.status = status
        self.valueCents = valueCents
    }
}

/// `PATCH /api/leads/:id` request; absent fields stay as they are.
public struct UpdateLeadRequest: Codable, Sendable, Hashable {
    public var status: LeadStatus?
    public var valueCents: Int?
    public init(status: LeadStatus? = nil, valueCents: Int? = nil) {
        self.status = status
        self.valueCents = valueCents
    }
}

/// `GET /api/leads` answer: one page, newest activity first.
public struct LeadPage: Codable, Sendable, Hashable {
    public var leads: [Lead]
    /// Pass as `cursor` to get the next page; absent on the last page.
    public var nextCursor: String?
    public init(leads: [Lead], nextCursor: String?) {
        self.leads = leads
        self.nextCursor = nextCursor
    }
}
