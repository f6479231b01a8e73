import Foundation

func makeTemporaryDirectory() throws -> String {
    var template = Array("/tmp/swiftdriver-test-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    return String(cString: made)
}

func removeTree(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}
