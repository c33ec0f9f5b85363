//! What the process holds, read from `/proc/self`: resident memory and open
//! file descriptors. Linux only; elsewhere both are `None`, the soak says
//! so, and it cannot check that they stay flat.

/// Resident set size in KB (`VmRSS` of `/proc/self/status`).
pub fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()
}

/// Open file descriptors: the entries of `/proc/self/fd`, the one that
/// reads them included (so every sample counts it alike).
pub fn open_fds() -> Option<u64> {
    let entries = std::fs::read_dir("/proc/self/fd").ok()?;
    Some(entries.count() as u64)
}

/// Both, taken together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub rss_kb: u64,
    pub fds: u64,
}

/// A sample now, or `None` off Linux.
pub fn sample() -> Option<Sample> {
    Some(Sample {
        rss_kb: rss_kb()?,
        fds: open_fds()?,
    })
}
