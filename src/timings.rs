//! Phase timings of a run, for benchmarking (`MAGELINT_TIMINGS=1`); nothing is printed otherwise.

/// Phase times on stderr when `MAGELINT_TIMINGS` is set (for benchmarking; no output otherwise):
/// wall time, CPU time of the process (how parallel the phase was) and resident memory.
pub struct Timings(Option<(std::time::Instant, f64)>);

impl Timings {
    pub fn from_env() -> Timings {
        Timings(
            std::env::var_os("MAGELINT_TIMINGS")
                .map(|_| (std::time::Instant::now(), crate::sys::process_cpu_seconds())),
        )
    }

    pub fn lap(&mut self, phase: &str) {
        if let Some((start, cpu_start)) = &mut self.0 {
            // Resident memory now (Linux), to see which phase holds it.
            let rss = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map_or(String::new(), |pages| {
                    format!(", {} MiB resident", (pages * 4096) >> 20)
                });
            let cpu = crate::sys::process_cpu_seconds();
            eprintln!(
                "magelint timing: {phase}: {:.1} ms, {:.1} ms CPU{rss}",
                start.elapsed().as_secs_f64() * 1e3,
                (cpu - *cpu_start) * 1e3
            );
            *start = std::time::Instant::now();
            *cpu_start = cpu;
        }
    }
}
