/// Something that can measure a task's resource use on demand; nil once the task is gone.
/// `ProcessTreeSampler` is the real one; the seam lets the stream be tested on its own.
public protocol ResourceSampling: Sendable {
    func sample() -> ResourceSample?
}

extension ProcessTreeSampler: ResourceSampling {}
