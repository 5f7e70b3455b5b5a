import Hummingbird
import NIOCore

/// `GET /openapi.yaml`: the API described in OpenAPI 3.1, kept true by `OpenAPIDocumentTests`.
struct OpenAPIRoutes {
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml))
            )
        }
    }
}
