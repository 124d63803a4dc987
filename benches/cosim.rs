//! Co-simulation speed on one exported accelerator (a random ResNet-style
//! integer network with a residual add and pooling, exact multipliers):
//! the Rust integer simulation of an image (every tensor, as `cosim`
//! compares them) against the accelerator's test bench in Icarus Verilog
//! and in Verilator, all in one run. Each simulator's time per image comes
//! from the difference between a run on N images and a run on 1 (so the
//! compile time drops out and is printed on its own); every run is checked
//! bit for bit against the Rust traces.

use codesign::eda::cosim::{self, Sim};
use codesign::intnet::sim::Simulator;
use codesign::intnet::{testnet, Shape};
use codesign::netlist::sim::exhaustive;
use codesign::rtl::{accel, fixtures::multiplier};
use codesign::tool::Tool;
use std::time::Instant;

mod common;
use common::{median, secs};

const IMAGES: usize = 6;

fn main() {
    if !codesign::tool::tools_for_test(&[Tool::Iverilog, Tool::Verilator]) {
        return;
    }
    let opt = testnet::Options {
        signed: false,
        input: Shape { c: 3, h: 16, w: 16 },
        classes: 10,
        width: 8,
    };
    let net = testnet::random_with(11, &opt);
    let mults: Vec<_> = net
        .mac_layers()
        .map(|_| ("exact".to_string(), multiplier("exact", false, 0)))
        .collect();
    let maps: Vec<_> = mults
        .iter()
        .map(|(id, n)| (id.clone(), exhaustive(n, false).unwrap()))
        .collect();
    let design = accel::build(&net, &mults, None).unwrap();
    let images = testnet::random_images(3, &net, IMAGES);
    let sim = Simulator::exact(&net).unwrap();
    let expected: Vec<Vec<Vec<i32>>> = images
        .chunks(net.input.len())
        .map(|im| sim.forward_trace(im).tensors)
        .collect();

    // Rust: median of many single-image traces, cycling over the images.
    let mut i = 0;
    let rust = median(201, || {
        i += 1;
        sim.forward_trace(&images[(i % IMAGES) * net.input.len()..][..net.input.len()])
    })
    .as_secs_f64();
    println!(
        "network: {} MAC layers, {} units, {} cycles per inference (schedule)",
        net.mac_layers().count(),
        design.manifest.units.len(),
        design.manifest.cycles_estimate
    );
    println!("rust integer simulation: {} per image", secs(rust));

    for s in [Sim::Iverilog, Sim::Verilator] {
        let timed = |n: usize| -> f64 {
            let dir = tempfile::tempdir().unwrap();
            design.write(dir.path()).unwrap();
            cosim::write_reference(dir.path(), &net, &maps).unwrap();
            let t = Instant::now();
            let pixels = &images[..n * net.input.len()];
            let runs = cosim::run_accel(dir.path(), &design.manifest, pixels, s, 1).unwrap();
            let elapsed = t.elapsed().as_secs_f64();
            let rep = cosim::compare(&design.manifest, &runs, &expected[..n], s);
            assert_eq!(rep.mismatches, 0, "{:?}", rep.first_mismatches);
            elapsed
        };
        let (one, all) = (timed(1), timed(IMAGES));
        let per_image = (all - one) / (IMAGES - 1) as f64;
        let cycles = design.manifest.cycles_estimate as f64;
        println!(
            "{s:?}: {} per image ({:.0} cycles/s), compile and start {}; rust is {:.0}x faster",
            secs(per_image),
            cycles / per_image,
            secs(one - per_image),
            per_image / rust
        );
    }
}
