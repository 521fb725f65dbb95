//! Shared by the benchmark examples: run a piece of work repeatedly and report timings.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Runs `f` for about `budget` (at least five times); returns (runs, median, fastest).
pub fn measure(budget: Duration, mut f: impl FnMut() -> usize) -> (usize, Duration, Duration) {
    let mut times = Vec::new();
    let started = Instant::now();
    while started.elapsed() < budget || times.len() < 5 {
        let t = Instant::now();
        black_box(f());
        times.push(t.elapsed());
    }
    times.sort();
    (times.len(), times[times.len() / 2], times[0])
}
