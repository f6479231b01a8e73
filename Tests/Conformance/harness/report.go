package main

import (
	"fmt"
	"os"
	"sync"
)

// reporter prints one PASS/FAIL/SKIP line per check and remembers whether anything failed.
type reporter struct {
	mu       sync.Mutex
	scenario string
	failed   int
	passed   int
	skipped  int
}

func (r *reporter) setScenario(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scenario = name
}

func (r *reporter) line(kind, format string, args ...interface{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch kind {
	case "PASS":
		r.passed++
	case "FAIL":
		r.failed++
	case "SKIP":
		r.skipped++
	}
	fmt.Fprintf(os.Stdout, "%s [%s] %s\n", kind, r.scenario, fmt.Sprintf(format, args...))
}

func (r *reporter) pass(format string, args ...interface{}) { r.line("PASS", format, args...) }
func (r *reporter) fail(format string, args ...interface{}) { r.line("FAIL", format, args...) }
func (r *reporter) skip(format string, args ...interface{}) { r.line("SKIP", format, args...) }

// info prints narration that is not a check.
func (r *reporter) info(format string, args ...interface{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(os.Stdout, "     [%s] %s\n", r.scenario, fmt.Sprintf(format, args...))
}

// check records a pass when ok, a failure otherwise, and returns ok.
func (r *reporter) check(ok bool, format string, args ...interface{}) bool {
	if ok {
		r.pass(format, args...)
	} else {
		r.fail(format, args...)
	}
	return ok
}

// checkErr passes when err is nil; otherwise fails with the error appended.
func (r *reporter) checkErr(err error, format string, args ...interface{}) bool {
	if err == nil {
		r.pass(format, args...)
		return true
	}
	r.fail("%s: %v", fmt.Sprintf(format, args...), err)
	return false
}

func (r *reporter) summary() (passed, failed, skipped int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.passed, r.failed, r.skipped
}
