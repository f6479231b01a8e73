import GoPluginServer
import XCTest
@testable import SwiftDriver

final class EventBroadcasterTests: XCTestCase {
    func testEverySubscriberGetsItsFirstElementThenEachBroadcast() async {
        let broadcaster = EventBroadcaster<Int>(bufferingNewest: 8)
        let a = broadcaster.subscribe(first: 0)
        let b = broadcaster.subscribe()
        broadcaster.broadcast(1)
        broadcaster.broadcast(2)
        broadcaster.finish()
        let fromA = await Array(a)
        let fromB = await Array(b)
        XCTAssertEqual(fromA, [0, 1, 2])
        XCTAssertEqual(fromB, [1, 2])
    }

    func testSubscribingAfterFinishYieldsOnlyTheFirstElementUntilReopened() async {
        let broadcaster = EventBroadcaster<Int>(bufferingNewest: 8)
        broadcaster.finish()
        let late = await Array(broadcaster.subscribe(first: 7))
        XCTAssertEqual(late, [7])
        broadcaster.reopen()
        let reopened = broadcaster.subscribe(first: 8)
        broadcaster.broadcast(9)
        broadcaster.finish()
        let fromReopened = await Array(reopened)
        XCTAssertEqual(fromReopened, [8, 9])
    }

    func testAConsumerThatGoesAwayIsDropped() async {
        let broadcaster = EventBroadcaster<Int>(bufferingNewest: 8)
        let stream = broadcaster.subscribe()
        XCTAssertEqual(broadcaster.subscriberCount, 1)
        let reader = Task { for await _ in stream {} }
        reader.cancel()
        await reader.value
        XCTAssertEqual(broadcaster.subscriberCount, 0)
        broadcaster.broadcast(1)
    }
}

private extension Array {
    init<S: AsyncSequence>(_ sequence: S) async where S.Element == Element {
        self = []
        do { for try await element in sequence { append(element) } } catch {}
    }
}
