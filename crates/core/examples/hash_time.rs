//! Prints how long one argon2id password hash takes here, for `make bench`: the median of 25
//! hashed alone, then the median of 25 on each core with every core hashing at once (what
//! hashes cost each other: their memory, 19 MiB each, shares the caches).

use std::time::Instant;

fn median_of_25() -> f64 {
    let mut times: Vec<f64> = (0..25)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(gatehouse_core::password::hash("lantern orbit velvet cascade"));
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    times[times.len() / 2]
}

fn main() {
    let alone = median_of_25();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut together: Vec<f64> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..cores).map(|_| s.spawn(median_of_25)).collect();
        threads.into_iter().map(|t| t.join().expect("a hashing thread")).collect()
    });
    together.sort_by(|a, b| a.total_cmp(b));
    println!("{alone:.6} {:.6}", together[together.len() / 2]);
}
