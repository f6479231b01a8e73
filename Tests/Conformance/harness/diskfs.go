package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// smallDisk is a size-limited tmpfs the harness mounts so filling it is safe and fast.
type smallDisk struct {
	dir string
}

// mountSmallDisk mounts a tmpfs of sizeMiB in a new temp dir; the error says why not.
func mountSmallDisk(sizeMiB int) (*smallDisk, error) {
	dir, err := os.MkdirTemp("", "swift-conformance-disk-")
	if err != nil {
		return nil, err
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%dm,mode=0755", sizeMiB)); err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("mounting a %d MiB tmpfs on %s is not permitted here (%v)", sizeMiB, dir, err)
	}
	return &smallDisk{dir: dir}, nil
}

func (d *smallDisk) unmount() {
	_ = syscall.Unmount(d.dir, syscall.MNT_DETACH)
	_ = os.Remove(d.dir)
}

// availableBytes is what unprivileged writers get (f_bavail), as the driver measures it.
func (d *smallDisk) availableBytes() (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(d.dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * st.Bsize, nil
}

// fillLeaving allocates a file so that about leaveMiB stay free, as `fallocate -l` would.
func (d *smallDisk) fillLeaving(leaveMiB int64) (string, error) {
	avail, err := d.availableBytes()
	if err != nil {
		return "", err
	}
	size := avail - leaveMiB<<20
	if size <= 0 {
		return "", fmt.Errorf("only %d bytes free, cannot leave %d MiB", avail, leaveMiB)
	}
	path := filepath.Join(d.dir, "fill")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if err := syscall.Fallocate(int(f.Fd()), 0, 0, size); err != nil {
		return "", fmt.Errorf("fallocate %d bytes: %w", size, err)
	}
	return path, nil
}

// fillCompletely leaves no free block: fallocate what is free, then write the remainder page
// by page into a second file until ENOSPC. It returns the bytes still free (0 when it worked).
func (d *smallDisk) fillCompletely() (int64, error) {
	if avail, err := d.availableBytes(); err == nil && avail > 0 {
		f, err := os.OpenFile(filepath.Join(d.dir, "fill"), os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return avail, err
		}
		// A shortfall from rounding is made up below.
		_ = syscall.Fallocate(int(f.Fd()), 0, 0, avail)
		f.Close()
	}
	f, err := os.OpenFile(filepath.Join(d.dir, "fill-rest"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return -1, err
	}
	page := make([]byte, 4096)
	for i := 0; i < 1<<16; i++ {
		if _, err := f.Write(page); err != nil {
			break
		}
	}
	f.Close()
	return d.availableBytes()
}

func (d *smallDisk) free() error {
	_ = os.Remove(filepath.Join(d.dir, "fill-rest"))
	return os.Remove(filepath.Join(d.dir, "fill"))
}

// diskPluginConfig reads fixtures/disk/plugin.hcl and points its disk paths at dir.
func diskPluginConfig(fixtures, dir string) (map[string]interface{}, error) {
	return diskPluginConfigFrom(fixtures, "plugin.hcl", dir)
}

// diskPluginConfigFrom reads fixtures/disk/<file> and points its disk paths at dir.
func diskPluginConfigFrom(fixtures, file, dir string) (map[string]interface{}, error) {
	cfg, _, problem := pluginConfigFromFixture(filepath.Join(fixtures, "disk", file))
	if problem != "" {
		return nil, fmt.Errorf("fixtures/disk/%s: %s", file, problem)
	}
	blocks, ok := cfg["disk"].([]interface{})
	if !ok || len(blocks) != 1 {
		return nil, fmt.Errorf("fixtures/disk/%s needs one disk block", file)
	}
	disk, ok := blocks[0].(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("fixtures/disk/%s: disk block is not a map", file)
	}
	disk["paths"] = []interface{}{dir}
	return cfg, nil
}

// diskAttributeNames are the numeric attributes the design publishes under unique.
var diskNumericAttributes = []string{
	"unique.driver.swift.disk.available_mb",
	"unique.driver.swift.disk.capacity_mb",
	"unique.driver.swift.disk.available_percent",
	"unique.driver.swift.disk.inodes_free_percent",
}

// checkNodeAttributes verifies the merged node attributes a constraint would read.
func checkNodeAttributes(rep *reporter, node map[string]string, wantPressure string) (availMB int64) {
	rep.check(node["driver.swift"] == "1", "node attribute driver.swift = 1 (detected)")
	rep.check(node["driver.swift.disk.pressure"] == wantPressure, "node attribute driver.swift.disk.pressure = %q (got %q)", wantPressure, node["driver.swift.disk.pressure"])
	availMB = -1
	for _, k := range diskNumericAttributes {
		v, ok := node[k]
		if !ok {
			rep.fail("node attribute %s is missing", k)
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if rep.check(err == nil, "node attribute %s = %q parses as an integer (numeric constraints work)", k, v) && strings.HasSuffix(k, "available_mb") {
			availMB = n
		}
	}
	return availMB
}
