//! Throughput of the PHP config parser on a generated ~10 MB `config.php`-like file.
//!
//! `cargo run --profile dist --example bench-php [-- ITERATIONS]`

use magelint::syntax::{php, Limits};
use std::fmt::Write;
use std::time::Instant;

// The allocator the `magelint` binary runs with, so the figure is the product's.
#[global_allocator]
static ALLOCATOR: magelint::allocator::Allocator = magelint::allocator::Allocator;

/// A realistic config/env.php: modules, scopes, nested `system` sections, escaped strings,
/// numbers, comments, in the PhpFormatter (2.4) style.
fn generate(target: usize) -> String {
    let mut s = String::with_capacity(target + 4096);
    s.push_str("<?php\nreturn [\n    'modules' => [\n");
    for i in 0..600 {
        let _ = writeln!(s, "        'Vendor_Module{i}' => {},", i % 3 % 2);
    }
    s.push_str("    ],\n    'scopes' => [\n        'websites' => [\n");
    for w in 0..50 {
        let _ = write!(
            s,
            "            'site{w}' => [\n                'website_id' => '{w}',\n                'code' => 'site{w}',\n                'name' => \"Site \\\"{w}\\\"\\t\\u{{e9}}\",\n                'sort_order' => {w},\n                'default_group_id' => 0x{w:x},\n                'is_default' => {}\n            ],\n",
            if w == 0 { "true" } else { "false" }
        );
    }
    s.push_str("        ],\n    ],\n    'system' => [\n        'stores' => [\n");
    let mut n = 0;
    while s.len() < target {
        let _ = write!(
            s,
            "        /** For the section: store{n} */\n            'store{n}' => [\n                'web' => [\n                    'secure' => [\n                        'base_url' => 'https://shop{n}.example.com/',\n                        'use_in_frontend' => 1,\n                    ],\n                    'cookie' => ['cookie_lifetime' => 3_600, 'cookie_path' => null],\n                ],\n                'payment' => [\n                    'checkmo' => ['active' => '1', 'title' => 'Check \\\\ Money \\'order\\'', 'min' => 1.5e2, 'max' => -0.25],\n                    'list' => [1, 2, 3, 'a' => 'b', 017, 0b101],\n                ],\n                'design' => [\n                    'head' => ['includes' => \"<link rel=\\\"stylesheet\\\" href=\\\"x.css\\\"/>\\n\"], // inline\n                ],\n            ],\n"
        );
        n += 1;
    }
    s.push_str("        ],\n    ],\n];\n");
    s
}

/// CPU seconds used by this thread (Linux `/proc`, 100 Hz ticks), so a busy machine does not
/// distort the figure; `None` elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let source = generate(10 * 1024 * 1024);
    let limits = Limits::default();
    let mb = source.len() as f64 / (1024.0 * 1024.0);
    // Warm up and sanity-check.
    let doc = php::parse(&source, &limits).expect("the generated file parses");
    assert!(doc.root.get("system").is_some());
    let mut best = f64::INFINITY;
    let start = Instant::now();
    let cpu_start = thread_cpu_seconds();
    for _ in 0..iterations {
        let t = Instant::now();
        let doc = php::parse(&source, &limits).expect("parses");
        std::hint::black_box(&doc);
        best = best.min(t.elapsed().as_secs_f64());
    }
    let mean = start.elapsed().as_secs_f64() / iterations as f64;
    if let (Some(a), Some(b)) = (cpu_start, thread_cpu_seconds()) {
        let cpu = (b - a) / iterations as f64;
        println!(
            "bench-php: CPU time per parse {:.1} ms = {:.0} MB/s on one core",
            cpu * 1e3,
            mb / cpu
        );
    }
    println!(
        "bench-php: {mb:.1} MB, {iterations} iterations, mean {:.1} ms ({:.0} MB/s), best {:.1} ms ({:.0} MB/s), {} duplicate keys",
        mean * 1e3,
        mb / mean,
        best * 1e3,
        mb / best,
        doc.duplicates.len()
    );
}
