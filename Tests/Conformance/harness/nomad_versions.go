package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// A real Nomad 1.1.0 agent refused examples that parsed here: a job whose service named a
// `provider` ("An argument named "provider" is not expected here") and a client config with the
// dynamic port range keys ("client unexpected keys"). It also refused to place a job whose log
// storage did not fit its ephemeral disk. -validate-hcl now checks each file against the oldest
// Nomad it is meant for, so CI catches these before an operator does.

// nomadVersion is a Nomad release as major and minor.
type nomadVersion struct{ major, minor int }

func (v nomadVersion) String() string { return fmt.Sprintf("%d.%d", v.major, v.minor) }

func (v nomadVersion) before(o nomadVersion) bool {
	return v.major < o.major || (v.major == o.major && v.minor < o.minor)
}

// oldestSupported is the oldest Nomad the project supports; files are meant for it unless their
// name says otherwise.
var oldestSupported = nomadVersion{1, 1}

var versionInName = regexp.MustCompile(`-nomad-(\d+)\.(\d+)\.`)

// targetVersion reads the Nomad version a file is meant for from its name
// (go-api-nomad-1.4.nomad: 1.4), else the oldest supported one.
func targetVersion(path string) nomadVersion {
	m := versionInName.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return oldestSupported
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	return nomadVersion{major, minor}
}

// newerKey is an attribute that older Nomad versions reject, inside a block of the given type.
type newerKey struct {
	block, attribute string
	since            nomadVersion
}

var newerKeys = []newerKey{
	{"service", "provider", nomadVersion{1, 3}},
	{"client", "min_dynamic_port", nomadVersion{1, 2}},
	{"client", "max_dynamic_port", nomadVersion{1, 2}},
}

// Nomad's defaults when a job leaves them out.
const (
	defaultEphemeralDiskMB = 300
	defaultLogFiles        = 10
	defaultLogFileMB       = 10
)

// versionProblems lists what Nomad `target` would reject in a parsed file.
func versionProblems(body *hclsyntax.Body, target nomadVersion) []string {
	var problems []string
	var walk func(b *hclsyntax.Body)
	walk = func(b *hclsyntax.Body) {
		for _, block := range b.Blocks {
			for _, k := range newerKeys {
				if block.Type != k.block {
					continue
				}
				if attr, ok := block.Body.Attributes[k.attribute]; ok && target.before(k.since) {
					problems = append(problems, fmt.Sprintf("%s: %q in a %s block needs Nomad %s; this file is meant for Nomad %s (name it *-nomad-%s.* if it needs the newer version)",
						attr.SrcRange.String(), k.attribute, k.block, k.since, target, k.since))
				}
			}
			if block.Type == "group" {
				problems = append(problems, logStorageProblems(block)...)
			}
			walk(block.Body)
		}
	}
	walk(body)
	return problems
}

// logStorageProblems applies Nomad's placement-time rule: every task's log storage (max_files ×
// max_file_size) must be less than the group's ephemeral disk.
func logStorageProblems(group *hclsyntax.Block) []string {
	disk := defaultEphemeralDiskMB
	for _, b := range group.Body.Blocks {
		if b.Type == "ephemeral_disk" {
			disk = intAttr(b.Body, "size", disk)
		}
	}
	var problems []string
	for _, task := range group.Body.Blocks {
		if task.Type != "task" {
			continue
		}
		files, size := defaultLogFiles, defaultLogFileMB
		for _, b := range task.Body.Blocks {
			if b.Type == "logs" {
				files = intAttr(b.Body, "max_files", files)
				size = intAttr(b.Body, "max_file_size", size)
			}
		}
		if files*size >= disk {
			problems = append(problems, fmt.Sprintf("%s: task %q keeps up to %d MB of logs, which must be less than its group's ephemeral disk (%d MB)",
				task.DefRange().String(), labelOf(task), files*size, disk))
		}
	}
	return problems
}

// intAttr is a literal whole-number attribute, or def when absent or not a literal.
func intAttr(body *hclsyntax.Body, name string, def int) int {
	attr, ok := body.Attributes[name]
	if !ok {
		return def
	}
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() || v.IsNull() || v.Type() != cty.Number {
		return def
	}
	f, _ := v.AsBigFloat().Int64()
	return int(f)
}

func labelOf(b *hclsyntax.Block) string {
	if len(b.Labels) == 0 {
		return ""
	}
	return b.Labels[0]
}
