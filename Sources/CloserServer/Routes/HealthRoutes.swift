import Hummingbird

/// `GET /healthz` (the process answers) and `GET /readyz` (it can reach its database).
struct HealthRoutes {
    let database: Database

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in JSONResponse(["status": "ok"]) }
        router.get("readyz") { _, _ -> JSONResponse<[String: String]> in
            guard await database.isReachable() else {
                throw APIError(.serviceUnavailable, code: "database_unreachable", message: "the database does not answer")
            }
            return JSONResponse(["status": "ready"])
        }
    }
}
