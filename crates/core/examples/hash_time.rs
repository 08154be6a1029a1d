//! Prints how long one argon2id password hash takes here (median of 25), for `make bench`.

use std::time::Instant;

fn main() {
    let mut times: Vec<f64> = (0..25)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(gatehouse_core::password::hash("lantern orbit velvet cascade"));
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    println!("{:.6}", times[times.len() / 2]);
}
