//! Timing helpers shared by the benches (a folder, so that Cargo does not take it for one).

use std::time::{Duration, Instant};

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The median of `iters` runs of `f`.
pub fn time<T>(iters: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..iters)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}
