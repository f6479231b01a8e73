// The driver's config and disk types live in modules the device plugin shares; re-exported so
// the driver's users (the executable, tests, benchmarks) see one API.
@_exported import ConfigDecoding
@_exported import DiskMeasurement
