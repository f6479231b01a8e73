import XCTest
@testable import SwiftDriver

final class StatsParserTests: XCTestCase {
    func testStatLineWithParenthesesInCommandName() throws {
        let line = "4242 (we ird) (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 1 0 98765 1000000 321 18446744073709551615"
        let stat = try XCTUnwrap(ProcStat.parse(line))
        XCTAssertEqual(stat.pid, 4242)
        XCTAssertEqual(stat.state, "S")
        XCTAssertEqual(stat.ppid, 1)
        XCTAssertEqual(stat.pgrp, 4242)
        XCTAssertEqual(stat.utime, 250)
        XCTAssertEqual(stat.stime, 75)
        XCTAssertEqual(stat.startTime, 98765)
        XCTAssertEqual(stat.rssPages, 321)
    }

    func testTruncatedStatLineIsRejected() {
        XCTAssertNil(ProcStat.parse("12 (sh) S 1 12"))
        XCTAssertNil(ProcStat.parse("garbage"))
    }

    func testStatusMemoryInBytes() {
        let text = "Name:\tsh\nVmRSS:\t    1234 kB\nVmSwap:\t      16 kB\n"
        let memory = ProcStatusMemory.parse(text)
        XCTAssertEqual(memory.rssBytes, 1234 * 1024)
        XCTAssertEqual(memory.swapBytes, 16 * 1024)
        XCTAssertNil(ProcStatusMemory.parse("Name:\tkthreadd\n").rssBytes)
    }

    func testCgroupKeyValuesAndMax() {
        let values = parseKeyValueLines("usage_usec 1500\nuser_usec 1000\nbroken\n")
        XCTAssertEqual(values["usage_usec"], 1500)
        XCTAssertEqual(values["user_usec"], 1000)
        XCTAssertNil(values["broken"])
        XCTAssertNil(parseSingleNumber("max\n"))
        XCTAssertEqual(parseSingleNumber("4096\n"), 4096)
    }

    func testCpuinfoAverageMHz() {
        let text = "processor\t: 0\ncpu MHz\t\t: 2000.000\nprocessor\t: 1\ncpu MHz\t\t: 3000.000\n"
        XCTAssertEqual(HostCompute.averageMHz(cpuinfo: text), 2500)
        XCTAssertNil(HostCompute.averageMHz(cpuinfo: "processor: 0\n"))
    }
}
