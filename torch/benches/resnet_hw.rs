//! The ResNet hardware targets on 32x32x3 inputs (issue 14), measured:
//! ResNet-8 (the paper's block, both shortcut kinds) with random weights
//! and calibrated scales, quantized, exported with exact multipliers,
//! co-simulated on 5 images in Verilator and 1 in Icarus Verilog (every
//! tensor bit for bit against the Rust simulation) and synthesized by
//! Yosys (generic flow, memories as macros); ResNet-20 exported and
//! synthesized. Prints wall times, cycles per inference (measured and
//! scheduled) and areas. `RESNET_HW_DIR=DIR` keeps the exports in
//! `DIR/resnet8`, `DIR/resnet20`; `RESNET_HW=8` runs ResNet-8 only;
//! `RESNET_HW_COSIM=0` skips co-simulation (about 25 min of Verilator and
//! 35 min of Icarus for ResNet-8 here); `RESNET_HW_BEFORE=1` also times
//! Yosys's own default ABC script (unbounded SAT sweeping, the flow before
//! `synth::ABC_SCRIPT`) on the same export, for the before/after figure
//! (ResNet-8: about 14 min).

use codesign::config::ModelKind;
use codesign::eda::{cosim, synth};
use codesign::intnet::{IntNetwork, Shape};
use codesign::netlist::sim::exhaustive;
use codesign::rtl::{accel, fixtures::multiplier};
use codesign::tool::Tool;
use codesign_torch::nn::{models, quantize::to_intnet};
use std::path::PathBuf;
use std::time::Instant;
use tch::{nn, Device, Kind, Tensor};

/// The network of `kind` with batch-norm statistics and activation scales
/// from smooth random images, quantized; and those images' pixels.
fn network(kind: ModelKind, name: &str) -> (IntNetwork, Vec<u8>) {
    tch::manual_seed(5);
    let vs = nn::VarStore::new(Device::Cpu);
    let input = Shape { c: 3, h: 32, w: 32 };
    let net = models::build(kind, vs.root(), input, 10, false, 0.1).unwrap();
    let ramp = Tensor::arange(32, (Kind::Float, Device::Cpu)) * 6.0;
    let x = (Tensor::rand([8, 3, 32, 32], (Kind::Float, Device::Cpu)) * 60.0 + ramp)
        .clamp(0.0, 255.0)
        .to_kind(Kind::Uint8);
    tch::no_grad(|| {
        for _ in 0..3 {
            let _ = net.forward_float(&x, true);
        }
    });
    net.calibrate_scales(&[x.shallow_clone()]);
    let pixels = Vec::<u8>::try_from(x.flatten(0, -1)).unwrap();
    (to_intnet(&net, name).unwrap(), pixels)
}

fn main() {
    if !codesign::tool::tools_for_test(&[Tool::Yosys, Tool::Verilator, Tool::Iverilog]) {
        return;
    }
    let keep = std::env::var_os("RESNET_HW_DIR").map(PathBuf::from);
    let only8 = std::env::var("RESNET_HW").is_ok_and(|v| v == "8");
    let cosim_on = !std::env::var("RESNET_HW_COSIM").is_ok_and(|v| v == "0");
    let before = std::env::var("RESNET_HW_BEFORE").is_ok_and(|v| v == "1");
    let mut targets = vec![(ModelKind::Resnet8, "resnet8", true)];
    if !only8 {
        targets.push((ModelKind::Resnet20, "resnet20", false));
    }
    for (kind, name, run_cosim) in targets {
        let (int, pixels) = network(kind, name);
        let mults: Vec<_> = int
            .mac_layers()
            .map(|_| ("exact".to_string(), multiplier("exact", false, 0)))
            .collect();
        let tmp = tempfile::tempdir().unwrap();
        let dir = match &keep {
            Some(d) => d.join(name),
            None => tmp.path().to_path_buf(),
        };
        let t = Instant::now();
        let design = accel::build(&int, &mults, None).unwrap();
        design.write(&dir).unwrap();
        let map = exhaustive(&mults[0].1, false).unwrap();
        let maps: Vec<_> = mults.iter().map(|m| (m.0.clone(), map.clone())).collect();
        cosim::write_reference(&dir, &int, &maps).unwrap();
        let m = &design.manifest;
        println!(
            "{name}: {} MAC layers, {} units, {} memory macros; export {:.1} s; schedule {} cycles per inference",
            int.mac_layers().count(),
            m.units.len(),
            m.memories.len(),
            t.elapsed().as_secs_f64(),
            m.cycles_estimate
        );
        if run_cosim && cosim_on {
            let len = int.input.len();
            for (sim, n) in [(cosim::Sim::Verilator, 5), (cosim::Sim::Iverilog, 1)] {
                let t = Instant::now();
                let rep = cosim::cosimulate(&dir, &pixels[..n * len], sim, 1).unwrap();
                println!(
                    "{name}: {sim:?} {} images, {} mismatches, {:.0} cycles per inference measured (schedule {}), {:.0} s",
                    rep.images,
                    rep.mismatches,
                    rep.cycles_per_inference,
                    rep.cycles_estimate,
                    t.elapsed().as_secs_f64()
                );
                assert_eq!(rep.images, n);
                assert_eq!(rep.mismatches, 0, "{:?}", rep.first_mismatches);
            }
        }
        let t = Instant::now();
        let syn = synth::synth(&dir, m).unwrap();
        let mem: f64 = syn.memories.iter().map(|x| x.area_ge).sum();
        println!(
            "{name}: synthesis {:.0} s; logic {:.0} GE ({} cells, {} flip-flops), memories {:.0} GE (modelled), total {:.0} GE",
            t.elapsed().as_secs_f64(),
            syn.logic.area_ge,
            syn.logic.cells,
            syn.logic.flip_flops,
            mem,
            syn.total.area_ge
        );
        if before {
            unbounded_abc(&dir, name);
        }
    }
}

/// Times the export in `dir` under `yosys/synth.ys` with its ABC line
/// replaced by Yosys's default script (plain `abc -g`), and prints the
/// wall time and cell count from its `stat`.
fn unbounded_abc(dir: &std::path::Path, name: &str) {
    let script: String = codesign::rtl::accel::SYNTH_YS
        .lines()
        .map(|l| {
            if l.starts_with("abc ") {
                "abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX".to_string()
            } else {
                l.replace("synth_stat", "default_abc_stat")
            }
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(dir.join("default_abc.ys"), script).unwrap();
    let t = Instant::now();
    let st = std::process::Command::new("yosys")
        .args(["-q", "-l", "default_abc.log", "-s", "default_abc.ys"])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(st.success(), "yosys with the default ABC script failed");
    println!(
        "{name}: synthesis with Yosys's default (unbounded) ABC script {:.0} s; {} cells in the hierarchy (bounded: {})",
        t.elapsed().as_secs_f64(),
        design_cells(&dir.join("default_abc_stat.txt")),
        design_cells(&dir.join("synth_stat.txt"))
    );
}

/// The whole hierarchy's cell count: the last "Number of cells" of a
/// Yosys `stat` text.
fn design_cells(stat: &std::path::Path) -> String {
    let text = std::fs::read_to_string(stat).unwrap();
    let last = text.lines().rfind(|l| l.contains("Number of cells:"));
    last.and_then(|l| l.split(':').nth(1))
        .unwrap_or("?")
        .trim()
        .to_string()
}
