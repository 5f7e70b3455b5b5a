/// The people and words of the demo: 40 prospects and the conversations a rep has with them.
enum DemoCast {
    struct Person {
        let name: String
        let company: String
        let primary: PrimaryChannel
    }

    enum PrimaryChannel {
        case email, instagram, sms, whatsapp
    }

    static let people: [Person] = [
        Person(name: "Dana Kim", company: "Northwind Logistics", primary: .email),
        Person(name: "Marcus Webb", company: "Bluepeak Analytics", primary: .email),
        Person(name: "Priya Raman", company: "Hollis & Grant", primary: .email),
        Person(name: "Tomás Ortega", company: "Verdant Foods", primary: .whatsapp),
        Person(name: "Aiko Tanaka", company: "Sora Studio", primary: .instagram),
        Person(name: "Liam O'Connor", company: "Harbor Freight Co", primary: .sms),
        Person(name: "Chloé Martin", company: "Maison Lumière", primary: .instagram),
        Person(name: "Jamal Carter", company: "Brightline Health", primary: .email),
        Person(name: "Sofia Rossi", company: "Trattoria Group", primary: .whatsapp),
        Person(name: "Ethan Brooks", company: "Summit Realty", primary: .sms),
        Person(name: "Hannah Schmidt", company: "Kessler Maschinenbau", primary: .email),
        Person(name: "Wei Zhang", company: "Jade River Imports", primary: .whatsapp),
        Person(name: "Olivia Bennett", company: "Bennett Interiors", primary: .instagram),
        Person(name: "Noah Fischer", company: "Alpine Outfitters", primary: .email),
        Person(name: "Fatima Al-Sayed", company: "Oasis Hospitality", primary: .whatsapp),
        Person(name: "Lucas Silva", company: "Rio Verde Coffee", primary: .instagram),
        Person(name: "Grace Liu", company: "Lumen Labs", primary: .email),
        Person(name: "Mateo García", company: "Sol Energy", primary: .sms),
        Person(name: "Emma Johansson", company: "Nordic Ply", primary: .email),
        Person(name: "Kwame Mensah", company: "Accra Textiles", primary: .whatsapp),
        Person(name: "Isabella Moreno", company: "Bella Boutique", primary: .instagram),
        Person(name: "Ryan Patel", company: "Patel Pharmacy", primary: .sms),
        Person(name: "Zoe Anderson", company: "Anderson & Co CPA", primary: .email),
        Person(name: "Daniel Novak", company: "Prague Print Works", primary: .email),
        Person(name: "Amara Okafor", company: "Lagos Digital", primary: .whatsapp),
        Person(name: "Jack Thompson", company: "Thompson Builders", primary: .sms),
        Person(name: "Mia Hoffmann", company: "Hoffmann Dental", primary: .email),
        Person(name: "Yusuf Demir", company: "Bosphorus Travel", primary: .whatsapp),
        Person(name: "Lily Evans", company: "Evergreen Florals", primary: .instagram),
        Person(name: "Samuel Cohen", company: "Cohen Legal", primary: .email),
        Person(name: "Ava Nguyen", company: "Saigon Street Kitchen", primary: .instagram),
        Person(name: "Oscar Lindqvist", company: "Fjord Fitness", primary: .sms),
        Person(name: "Nora Kowalski", company: "Vistula Software", primary: .email),
        Person(name: "Diego Fernández", company: "Andes Adventures", primary: .whatsapp),
        Person(name: "Ella Wright", company: "Wright Wedding Co", primary: .instagram),
        Person(name: "Arjun Mehta", company: "Mehta Motors", primary: .sms),
        Person(name: "Leah Goldberg", company: "Goldberg Gallery", primary: .email),
        Person(name: "Felix Braun", company: "Braun Brewing", primary: .email),
        Person(name: "Maya Singh", company: "Singh Yoga Studio", primary: .instagram),
        Person(name: "Owen Murphy", company: "Murphy Marine", primary: .sms),
    ]

    static let subjects = [
        "Proposal Q3", "Quick question about {company}", "Pricing for {company}", "Following up on our call",
        "Your trial workspace", "Case study: teams like {company}", "Next steps", "Contract draft",
        "Intro from the Closer team", "Re: onboarding timeline",
    ]

    static let outboundEmail = [
        "Hi {first},\n\nThanks for the time today. As promised, here is the proposal for {company}: https://closer.example/proposals/{slug}\n\nHappy to walk through it whenever suits you.\n\nBest,\n{rep}",
        "Hi {first},\n\nI put together a short case study from a team much like yours: https://closer.example/case-studies/logistics\n\nWould a 20-minute call next week be useful?\n\n{rep}",
        "Hi {first},\n\nOur pricing page has the plan we discussed: https://closer.example/pricing\nThe annual option saves about 18%.\n\nLet me know what questions come up.\n\n{rep}",
        "Hi {first},\n\nJust checking in — did you get a chance to look at the numbers? I can hold the Q3 rate until Friday.\n\n{rep}",
        "Hi {first},\n\nHere is the calendar link for the follow-up: https://closer.example/book/{slug}\n\nTalk soon,\n{rep}",
    ]

    static let inboundEmail = [
        "Thanks {rep_first}, this looks promising. Can you send over the security questionnaire?",
        "We're reviewing the proposal internally. Our CFO has a question about the onboarding fee.",
        "Could we push the call to Thursday afternoon? Something came up.",
        "Looks good. Who should our legal team talk to about the contract?",
        "Not a priority this quarter, but please keep me posted on the new features.",
        "We'd like to start with a pilot for two teams. Is that possible?",
    ]

    static let outboundChat = [
        "Hey {first}! Great to connect. Would love to show you how {company} could save a few hours a week 🙂",
        "Hi {first}, following up on your message — does Tuesday at 3pm work for a quick demo?",
        "Sent you the details by email too. Any questions, just reply here!",
        "Thanks {first}! I'll get the quote over today.",
        "Hi {first}, just a friendly nudge on the proposal — happy to adjust anything.",
        "Perfect, you're booked for Thursday 10:00. See you then! 📅",
    ]

    static let inboundChat = [
        "Hi! Saw your post, how much is it for a team of 5?",
        "Sounds good, Tuesday works 👍",
        "Can you send the price list?",
        "We're interested but need to check with my partner first",
        "Is there a discount for annual?",
        "Got it, thanks! Will reply by Friday",
        "Yes please, send the contract 🙌",
        "Can we do 30 min instead of an hour?",
    ]
}
