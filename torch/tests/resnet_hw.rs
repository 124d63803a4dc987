//! ResNet-8 for 32x32x3 images through the hardware path: the real model
//! definition (`nn::models`, the paper's block with the add before the
//! ReLU, both shortcut kinds: identity in the first block, a strided 1x1
//! conv in the others) with random weights and
//! calibrated scales, quantized to the integer network, exported with its
//! memories as SRAM macros, co-simulated in Verilator against the Rust
//! integer simulation (every tensor, bit for bit) and synthesized by Yosys
//! with the memories as black boxes. Prints the synthesis wall time.

use codesign::config::ModelKind;
use codesign::eda::{cosim, synth};
use codesign::intnet::{Op, Shape, TensorId};
use codesign::netlist::sim::exhaustive;
use codesign::rtl::{accel, fixtures::multiplier, memory::MemoryKind};
use codesign::tool::Tool;
use codesign_torch::nn::{models, quantize::to_intnet};
use tch::{nn, Device, Kind, Tensor};

#[test]
fn resnet8_exports_cosimulates_in_verilator_and_synthesizes() {
    if !codesign::tool::tools_for_test(&[Tool::Yosys, Tool::Verilator]) {
        return;
    }
    tch::manual_seed(5);
    let input = Shape { c: 3, h: 32, w: 32 };
    let vs = nn::VarStore::new(Device::Cpu);
    let net = models::build(ModelKind::Resnet8, vs.root(), input, 10, false, 0.1).unwrap();
    // Batch-norm statistics and activation scales from smooth random images.
    let s = [8, 3, 32, 32];
    let ramp = Tensor::arange(32, (Kind::Float, Device::Cpu)) * 6.0;
    let x = (Tensor::rand(s, (Kind::Float, Device::Cpu)) * 60.0 + ramp)
        .clamp(0.0, 255.0)
        .to_kind(Kind::Uint8);
    tch::no_grad(|| {
        for _ in 0..3 {
            let _ = net.forward_float(&x, true);
        }
    });
    net.calibrate_scales(&[x.shallow_clone()]);
    let int = to_intnet(&net, "resnet8").unwrap();
    // Both shortcut kinds: an add whose other operand is the block input
    // (identity) and one whose other operand a 1x1 conv made.
    let adds: Vec<TensorId> = int.nodes.iter().filter_map(|n| n.op.other()).collect();
    let producer = |t: TensorId| t.producer().map(|i| &int.nodes[i]);
    let by_conv =
        |t: TensorId| producer(t).is_some_and(|n| matches!(n.op, Op::Conv(ref l) if l.kernel == 1));
    assert!(adds.iter().any(|&t| by_conv(t)) && adds.iter().any(|&t| !by_conv(t)));
    // The paper's block, relu(bn2(conv2(.)) + shortcut(x)): the second conv
    // and the projection are residual branches without the ReLU (signed,
    // 32-bit tensors), the identity an activation; the add holds the ReLU.
    let raw = |t: TensorId| producer(t).is_some_and(|n| n.mac().is_some_and(|l| l.raw_output()));
    for n in &int.nodes {
        if let Op::Add { other, .. } = n.op {
            assert!(raw(n.input), "{}: conv2 must not be clamped", n.name);
            assert_eq!(raw(other), by_conv(other), "{}", n.name);
        }
    }

    let mults: Vec<_> = int
        .mac_layers()
        .map(|_| ("exact".to_string(), multiplier("exact", false, 0)))
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let design = accel::build(&int, &mults, None).unwrap();
    design.write(dir).unwrap();
    let map = exhaustive(&mults[0].1, false).unwrap();
    let maps: Vec<_> = mults.iter().map(|m| (m.0.clone(), map.clone())).collect();
    cosim::write_reference(dir, &int, &maps).unwrap();
    // One macro per buffer and per engine store, each buffer one read port.
    let m = &design.manifest;
    let buffers = m
        .memories
        .iter()
        .filter(|x| x.kind == MemoryKind::Activations)
        .count();
    let flattens = int
        .nodes
        .iter()
        .filter(|n| matches!(n.op, Op::Flatten))
        .count();
    assert_eq!(buffers, int.nodes.len() + 1 - flattens);
    assert_eq!(m.memories.len(), buffers + 4 * int.mac_layers().count());
    assert!(m.memories.iter().all(|x| x.read_ports == 1));

    let images: Vec<u8> = Vec::<u8>::try_from(x.narrow(0, 0, 2).flatten(0, -1)).unwrap();
    let rep = cosim::cosimulate(dir, &images, cosim::Sim::Verilator, 2).unwrap();
    assert_eq!(rep.images, 2);
    assert_eq!(rep.mismatches, 0, "{:?}", rep.first_mismatches);
    // The schedule's estimate is the measured cycle count.
    assert_eq!(
        rep.cycles_per_inference, m.cycles_estimate as f64,
        "{rep:?}"
    );

    let t0 = std::time::Instant::now();
    let syn = synth::synth(dir, m).unwrap();
    let secs = t0.elapsed().as_secs_f64();
    // Memories are macros: no flip-flop holds a buffer word, and the
    // total is the logic plus the modelled memories.
    let words: u64 = m.memories.iter().map(|x| x.bits()).sum();
    assert!(syn.logic.flip_flops < words / 10, "{:?}", syn.logic);
    let mem: f64 = syn.memories.iter().map(|x| x.area_ge).sum();
    assert!((syn.total.area_ge - syn.logic.area_ge - mem).abs() < 1e-6 * syn.total.area_ge);
    println!(
        "resnet8: {} cycles/inference, synthesis {secs:.0} s, logic {:.0} GE ({} cells, {} FFs), memories {:.0} GE",
        rep.cycles_per_inference, syn.logic.area_ge, syn.logic.cells, syn.logic.flip_flops, mem
    );
}
