//! The accelerator end to end with the real tools: export a random integer
//! network with a heterogeneous assignment, co-simulate it in Icarus
//! Verilog against the Rust integer simulation (every tensor, bit for bit),
//! lint it with Verilator, synthesize it with Yosys; and show the
//! co-simulation catches a corrupted multiplier.

use codesign::eda::{cosim, synth};
use codesign::errmap::ErrorMap;
use codesign::intnet::{testnet, IntNetwork};
use codesign::netlist::{sim::exhaustive, GateKind, Netlist};
use codesign::rtl::{accel, fixtures::multiplier};
use codesign::tool::Tool;
use std::path::Path;

fn tools() -> bool {
    codesign::tool::tools_for_test(&[Tool::Iverilog, Tool::Yosys, Tool::Verilator])
}

/// One multiplier per multiplying layer, cycling through exact and
/// truncated designs (different per layer: a heterogeneous assignment).
fn heterogeneous(net: &IntNetwork) -> Vec<(String, Netlist)> {
    let drops = [0, 3, 5, 2, 4];
    net.mac_layers()
        .enumerate()
        .map(|(i, _)| {
            let d = drops[i % drops.len()];
            let id = format!("trunc{d}{}", if net.signed { "s" } else { "u" });
            (id.clone(), multiplier(&id, net.signed, d))
        })
        .collect()
}

fn maps(mults: &[(String, Netlist)], signed: bool) -> Vec<(String, ErrorMap)> {
    mults
        .iter()
        .map(|(id, n)| (id.clone(), exhaustive(n, signed).unwrap()))
        .collect()
}

fn export(
    dir: &Path,
    net: &IntNetwork,
    rtl_mults: &[(String, Netlist)],
    ref_mults: &[(String, Netlist)],
    lanes: Option<usize>,
) -> accel::Design {
    let design = accel::build(net, rtl_mults, lanes).unwrap();
    design.write(dir).unwrap();
    cosim::write_reference(dir, net, &maps(ref_mults, net.signed)).unwrap();
    design
}

#[test]
fn heterogeneous_random_network_matches_rust_lints_and_synthesizes() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let net = testnet::random(7, false);
    let mults = heterogeneous(&net);
    assert!(
        mults.iter().any(|m| m.0 != mults[0].0),
        "assignment must be heterogeneous"
    );
    let design = export(dir.path(), &net, &mults, &mults, None);
    let images = testnet::random_images(11, &net, 20);
    let rep = cosim::cosimulate(dir.path(), &images, cosim::Sim::Iverilog, 2).unwrap();
    assert_eq!(rep.images, 20);
    assert_eq!(rep.mismatches, 0, "{:?}", rep.first_mismatches);
    // Every unit's schedule plus the sequencer's two cycles per unit and the start.
    let sched = design.manifest.cycles_estimate as f64;
    assert!(
        rep.cycles_per_inference >= sched
            && rep.cycles_per_inference <= sched + 2.0 * design.manifest.units.len() as f64 + 2.0,
        "{rep:?}"
    );
    assert!(dir.path().join("cosim.json").exists());

    let sources: Vec<std::path::PathBuf> = design
        .manifest
        .sources
        .iter()
        .map(|s| dir.path().join(s))
        .collect();
    let refs: Vec<&Path> = sources.iter().map(|p| p.as_path()).collect();
    cosim::lint(
        &refs,
        &design.manifest.top,
        dir.path(),
        Some(&dir.path().join("lint.log")),
    )
    .unwrap();

    let syn = synth::synth(dir.path(), &design.manifest).unwrap();
    assert_eq!(syn.engines.len(), net.mac_layers().count());
    for e in &syn.engines {
        let m = e.multiplier_area.as_ref().unwrap();
        assert!(
            m.cells > 0 && e.area.area_ge > e.lanes as f64 * m.area_ge,
            "{e:?}"
        );
    }
    // Truncation removes gates: the exact multiplier is the largest.
    let exact = syn
        .engines
        .iter()
        .find(|e| e.multiplier.as_deref() == Some("trunc0u"))
        .unwrap();
    let trunc = syn
        .engines
        .iter()
        .find(|e| e.multiplier.as_deref() == Some("trunc5u"))
        .unwrap();
    assert!(
        exact.multiplier_area.as_ref().unwrap().area_ge
            > trunc.multiplier_area.as_ref().unwrap().area_ge
    );
    assert!(
        syn.total.area_ge
            > syn.engines.iter().map(|e| e.area.area_ge).sum::<f64>() + syn.buffers.area_ge - 1e-6
    );
}

#[test]
fn signed_random_network_matches_rust() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let net = testnet::random(3, true);
    let mults = heterogeneous(&net);
    export(dir.path(), &net, &mults, &mults, Some(3));
    let images = testnet::random_images(5, &net, 20);
    let rep = cosim::cosimulate(dir.path(), &images, cosim::Sim::Iverilog, 2).unwrap();
    assert_eq!(rep.mismatches, 0, "{:?}", rep.first_mismatches);
}

#[test]
fn corrupted_multiplier_is_caught_at_its_layer() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let net = testnet::random(7, false);
    let good = heterogeneous(&net);
    // Flip one gate of the second layer's multiplier in the RTL only.
    let mut bad = good.clone();
    let g = bad[1]
        .1
        .gates
        .iter_mut()
        .rev()
        .find(|g| g.kind == GateKind::Xor)
        .unwrap();
    g.kind = GateKind::Xnor;
    export(dir.path(), &net, &bad, &good, None);
    let images = testnet::random_images(11, &net, 4);
    let rep = cosim::cosimulate(dir.path(), &images, cosim::Sim::Iverilog, 2).unwrap();
    assert!(rep.mismatches > 0, "a corrupted multiplier went unnoticed");
    let layer = net.mac_layers().nth(1).unwrap().0.name.clone();
    assert!(
        rep.first_mismatches.iter().all(|m| m.layer == layer),
        "{:?}",
        rep.first_mismatches
    );
}
