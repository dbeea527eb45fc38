//! How much memory queries may use: `[engine] memory_limit` resolved against the machine (or the
//! container's cgroup limit), and the DataFusion memory pool built from it.
//!
//! With a pool, operators that can spill (sorts, aggregations, sort-merge joins) write to disk when
//! the pool is full, and the others fail their query with "resources exhausted" (SQLSTATE 53200),
//! so a large query never grows the server until the kernel kills it.

use std::sync::Arc;

use datafusion::execution::memory_pool::{FairSpillPool, MemoryPool};

use crate::config::{parse_size, EngineConfig};

/// Bytes the pool may hand out, from `memory_limit`: a size (`4GiB`, `512MB`), a percentage of
/// the memory available to the process (`75%`), or `0` for no limit.
pub fn limit_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let Some(percent) = t.strip_suffix('%') else { return parse_size(t) };
    let p: f64 = percent.trim().parse().map_err(|_| format!("'{text}' is not a percentage like 75%"))?;
    if !(0.0..=100.0).contains(&p) {
        return Err(format!("'{text}' is not between 0% and 100%"));
    }
    let total = available_memory().ok_or_else(|| format!("'{text}': the machine's memory size is unknown; give a size"))?;
    Ok((total as f64 * p / 100.0) as u64)
}

/// The memory pool `[engine] memory_limit` asks for, shared by every session; `None` when there is
/// no limit. Public so that benchmarks can run DataFusion in-process with the same pool.
pub fn memory_pool(config: &EngineConfig) -> Result<Option<Arc<dyn MemoryPool>>, String> {
    let limit = limit_bytes(&config.memory_limit)?;
    Ok((limit > 0).then(|| Arc::new(FairSpillPool::new(limit as usize)) as Arc<dyn MemoryPool>))
}

/// Physical memory, or the cgroup's limit when the process runs in a container with a lower one.
fn available_memory() -> Option<u64> {
    let physical = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| meminfo_total(&m));
    let cgroup = ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok().and_then(|v| cgroup_limit(&v)));
    match (physical, cgroup) {
        (Some(p), Some(c)) => Some(p.min(c)),
        (p, c) => p.or(c),
    }
}

/// `MemTotal` from /proc/meminfo, in bytes.
fn meminfo_total(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A cgroup memory limit file's value; `max` (v2) or a huge number (v1) mean no limit.
fn cgroup_limit(text: &str) -> Option<u64> {
    let v: u64 = text.trim().parse().ok()?;
    (v < 1 << 60).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_percentages_and_no_limit() {
        assert_eq!(limit_bytes("0").unwrap(), 0);
        assert_eq!(limit_bytes("2GiB").unwrap(), 2 << 30);
        let half = limit_bytes("50%").unwrap();
        let all = limit_bytes("100%").unwrap();
        assert!(half > 0 && half <= all / 2 + 1);
        assert!(limit_bytes("150%").is_err());
        assert!(limit_bytes("lots%").is_err());
    }

    #[test]
    fn reads_meminfo_and_cgroup_files() {
        assert_eq!(meminfo_total("MemTotal:       24576000 kB\nMemFree: 1 kB\n"), Some(24_576_000 * 1024));
        assert_eq!(cgroup_limit("max\n"), None);
        assert_eq!(cgroup_limit("9223372036854771712\n"), None);
        assert_eq!(cgroup_limit("4294967296\n"), Some(4 << 30));
    }
}
