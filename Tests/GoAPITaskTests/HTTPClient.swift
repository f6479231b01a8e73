import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A response as the tests look at it.
struct HTTPResult: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// Plain HTTP/1.1 requests to the go-api under test on 127.0.0.1.
struct HTTPClient: Sendable {
    let port: Int
    let session: URLSession

    init(port: Int) {
        self.port = port
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        self.session = URLSession(configuration: configuration)
    }

    func send(
        _ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]
    ) async throws -> HTTPResult {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else {
            throw GoAPITestError("bad test path \(path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw GoAPITestError("not an HTTP response") }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            fields[String(describing: name)] = String(describing: value)
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await send("GET", path, headers: headers)
    }
}

extension HTTPClient {
    /// Sends a request and asserts on the status code it gets.
    func expect(
        _ status: Int, _ method: String, _ path: String, body: Data? = nil, _ message: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let result = try await send(method, path, body: body)
        XCTAssertEqual(result.status, status, "\(method) \(path) \(message)", file: file, line: line)
    }
}
