//! Training integration tests: the fake-quantized model against the integer
//! network (the contract's reference trace, `intnet::sim::reference_trace`,
//! which computes through `intnet::arith`), and the digits pipeline end to end.

use codesign::config::{Config, ModelKind};
use codesign::intnet::sim::{reference_trace, ProductTable, Simulator};
use codesign::intnet::{Op, Shape};
use codesign_torch::nn::models;
use codesign_torch::nn::net::QuantOpts;
use codesign_torch::nn::quantize::to_intnet;
use codesign_torch::nn::train::{Session, Stage};
use tch::{nn, Device, Kind, Tensor};

/// libtorch's default random generator is one per process and the tests of
/// this file run on parallel threads: each test that seeds it holds this
/// lock while it draws, so that a fixed seed gives the same result whatever
/// else runs (unlocked, a run of the whole file once gave `digits_pipeline`
/// another baseline than the same test alone).
static TORCH_RNG: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn torch_rng() -> std::sync::MutexGuard<'static, ()> {
    TORCH_RNG.lock().unwrap_or_else(|p| p.into_inner())
}

/// A network of `kind` with trained-looking statistics: random weights,
/// batch-norm running statistics from a few float passes, calibrated scales.
fn check_exact(kind: ModelKind, input: Shape, signed: bool) {
    tch::manual_seed(11);
    let vs = nn::VarStore::new(Device::Cpu);
    let net = models::build(kind, vs.root(), input, 10, signed, 0.1).unwrap();
    let s = [24, input.c as i64, input.h as i64, input.w as i64];
    // Structured images (smooth ramps plus noise) rather than pure noise.
    let ramp =
        Tensor::arange(input.w as i64, (Kind::Float, Device::Cpu)) * (200.0 / input.w as f64);
    let x = (Tensor::rand(s, (Kind::Float, Device::Cpu)) * 80.0 + ramp)
        .clamp(0.0, 255.0)
        .to_kind(Kind::Uint8);
    tch::no_grad(|| {
        for _ in 0..5 {
            let _ = net.forward_float(&x, true);
        }
    });
    net.calibrate_scales(&[x.shallow_clone()]);
    let int = to_intnet(&net, "t").unwrap();
    let out = tch::no_grad(|| net.forward_quant(&x, &QuantOpts::default()));
    let exact = Vec::<f64>::try_from(out.exact.flatten(0, -1)).unwrap();
    let pixels = Vec::<u8>::try_from(x.flatten(0, -1)).unwrap();
    let n = input.len();
    let tables = vec![ProductTable::exact(signed); int.mac_layers().count()];
    let mut nonzero = 0;
    for i in 0..s[0] as usize {
        let trace = reference_trace(&int, &tables, &pixels[i * n..(i + 1) * n]);
        let want: Vec<i64> = trace
            .tensors
            .last()
            .unwrap()
            .iter()
            .map(|&v| v as i64)
            .collect();
        let got: Vec<i64> = exact[i * 10..(i + 1) * 10]
            .iter()
            .map(|&v| v as i64)
            .collect();
        assert_eq!(
            got, want,
            "{kind:?} image {i}: fake-quantized logits differ from the integer network"
        );
        nonzero += want.iter().filter(|&&v| v != 0).count();
    }
    assert!(nonzero > 100, "{kind:?}: degenerate logits");
    // The float path agrees with the exact one up to float rounding.
    let real = Vec::<f64>::try_from(out.logits.to_kind(Kind::Double).flatten(0, -1)).unwrap();
    let unit = real
        .iter()
        .zip(&exact)
        .filter(|(_, e)| e.abs() > 0.0)
        .map(|(r, e)| r / e)
        .next()
        .unwrap();
    for (r, e) in real.iter().zip(&exact) {
        assert!((r - e * unit).abs() <= 1e-3 * (1.0 + (e * unit).abs()));
    }
}

#[test]
fn fake_quantization_equals_integer_arithmetic() {
    let _rng = torch_rng();
    check_exact(ModelKind::DigitsCnn, Shape { c: 1, h: 8, w: 8 }, false);
    check_exact(ModelKind::Resnet8, Shape { c: 3, h: 8, w: 8 }, false);
    check_exact(ModelKind::Lenet5, Shape { c: 1, h: 20, w: 20 }, true);
}

/// Digits end to end, shortened: baseline >= 97%, QAT within 0.5 points of
/// it, the integer network (the intnet simulator, exact multipliers) equal
/// to the fake-quantized model image by image, and the sigmas spread.
#[test]
fn digits_pipeline() {
    let _rng = torch_rng();
    let cfg = Config::from_yaml(
        "name: digits_test\nseed: 3\ndataset: {kind: digits}\nmodel: digits_cnn\nout: unused\nthreads: 1\nstages:\n  \
         baseline: {epochs: 12, lr: 0.05, batch_size: 32, weight_decay: 1.0e-4, lr_steps: [8]}\n  \
         qat: {epochs: 3, lr: 0.005, batch_size: 32, weight_decay: 1.0e-4}\n  \
         agn: {epochs: 3, lr: 0.01, batch_size: 32, weight_decay: 1.0e-4}\n",
    )
    .unwrap();
    tch::set_num_threads(1);
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::new(cfg, dir.path().to_path_buf(), Device::Cpu).unwrap();
    s.progress = false;
    let base = s.train_stage(Stage::Baseline).unwrap();
    s.save(Stage::Baseline, &base).unwrap();
    let qat = s.train_stage(Stage::Qat).unwrap();
    s.save(Stage::Qat, &qat).unwrap();
    eprintln!(
        "baseline {:.4} qat {:.4}",
        base.test_accuracy, qat.test_accuracy
    );
    assert!(
        base.test_accuracy >= 0.97,
        "baseline {}",
        base.test_accuracy
    );
    assert!(
        (qat.test_accuracy - base.test_accuracy).abs() <= 0.005 + 1e-9,
        "qat {} vs baseline {}",
        qat.test_accuracy,
        base.test_accuracy
    );

    // The checkpoint reloads to the same model.
    let agn = s.train_stage(Stage::Agn).unwrap();
    s.save(Stage::Agn, &agn).unwrap();
    let before = s.predict(Stage::Agn, &s.data.test, None);
    s.load_stage(Stage::Qat).unwrap();
    s.load_stage(Stage::Agn).unwrap();
    assert_eq!(before, s.predict(Stage::Agn, &s.data.test, None));
    let side: codesign::sidecar::Sidecar =
        codesign::io::read_yaml(dir.path().join("train/agn.yaml")).unwrap();
    assert_eq!(
        side.layers
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["conv1", "conv2", "conv3", "fc"]
    );
    assert!((side.test_accuracy - agn.test_accuracy).abs() < 1e-12);
    let sig = &agn.sigmas;
    let spread =
        sig.iter().cloned().fold(f64::MIN, f64::max) - sig.iter().cloned().fold(f64::MAX, f64::min);
    assert!(spread > 0.05, "sigmas {sig:?} do not differ across layers");

    // Integer network against the fake-quantized model, logits image by image.
    let int = to_intnet(&s.net, "digits_test").unwrap();
    let names: Vec<&str> = int.mac_layers().map(|(n, _)| n.name.as_str()).collect();
    assert_eq!(names, ["conv1", "conv2", "conv3", "fc"]);
    let sim = Simulator::exact(&int).unwrap();
    let test = &s.data.test;
    let logits = sim.dataset_logits(test).unwrap();
    let (x, _) = codesign_torch::nn::train::batch(
        test,
        &(0..test.len()).collect::<Vec<_>>(),
        None,
        Device::Cpu,
    );
    let fq = tch::no_grad(|| s.net.forward_quant(&x, &QuantOpts::default()).exact);
    let fq: Vec<i32> = Vec::<f64>::try_from(fq.flatten(0, -1))
        .unwrap()
        .into_iter()
        .map(|v| v as i32)
        .collect();
    assert_eq!(
        logits, fq,
        "integer network logits differ from the fake-quantized model"
    );
    let acc = sim.evaluate(test).unwrap().top1;
    assert!(
        (acc - agn.test_accuracy).abs() <= 0.005,
        "integer {acc} vs fake-quantized {}",
        agn.test_accuracy
    );
}

/// Retraining's forward pass with approximate products (lookup-table kernel,
/// bias corrections) equals the integer simulator with the same tables, and
/// one retraining epoch runs with exact gradients.
#[test]
fn approximate_forward_equals_the_simulator() {
    let _rng = torch_rng();
    use codesign::errmap::ErrorMap;
    use codesign::intnet::sim::ProductTable;
    use codesign_torch::nn::retrain::ApproxProducts;
    tch::manual_seed(5);
    let vs = nn::VarStore::new(Device::Cpu);
    let input = Shape { c: 3, h: 8, w: 8 };
    let net = models::build(ModelKind::Resnet8, vs.root(), input, 10, false, 0.1).unwrap();
    let x = (Tensor::rand([16, 3, 8, 8], (Kind::Float, Device::Cpu)) * 255.0).to_kind(Kind::Uint8);
    tch::no_grad(|| {
        for _ in 0..3 {
            let _ = net.forward_float(&x, true);
        }
    });
    net.calibrate_scales(&[x.shallow_clone()]);
    let int = to_intnet(&net, "t").unwrap();
    // Truncated multipliers of several strengths (one with a +1 offset on
    // every product), and per-channel corrections on one layer.
    let maps: Vec<(ErrorMap, Vec<i32>)> = int
        .mac_layers()
        .enumerate()
        .map(|(i, (_, l))| {
            let k = (i % 4) as u32 + 1;
            let map = ErrorMap::from_fn(false, move |a, b| ((a >> k) << k) * b + (i % 2) as i32);
            let corr = if i == 2 {
                (0..l.out_ch as i32).map(|o| o * 3 - 7).collect()
            } else {
                vec![]
            };
            (map, corr)
        })
        .collect();
    let approx = ApproxProducts::new(&maps);
    let hook = approx.hook();
    let out = tch::no_grad(|| {
        net.forward_quant(
            &x,
            &QuantOpts {
                approx: Some(&hook),
                ..Default::default()
            },
        )
    });
    let got: Vec<i32> = Vec::<f64>::try_from(out.exact.flatten(0, -1))
        .unwrap()
        .into_iter()
        .map(|v| v as i32)
        .collect();
    let mut corrected = int.clone();
    for ((_, l), (_, c)) in corrected
        .nodes
        .iter_mut()
        .filter_map(|n| match &mut n.op {
            Op::Conv(l) | Op::Linear(l) => Some(((), l)),
            _ => None,
        })
        .zip(&maps)
    {
        for (b, d) in l.bias.iter_mut().zip(c) {
            *b += d;
        }
    }
    let tables = maps.iter().map(|(m, _)| ProductTable::new(m)).collect();
    let sim = Simulator::new(&corrected, tables).unwrap();
    let pixels = Vec::<u8>::try_from(x.flatten(0, -1)).unwrap();
    assert_eq!(
        got,
        sim.logits(&pixels),
        "approximate fake-quantized forward differs from the simulator"
    );
    let exact = tch::no_grad(|| net.forward_quant(&x, &QuantOpts::default()).exact);
    assert!(
        !exact.equal(&out.exact),
        "the approximate products changed nothing"
    );

    // Gradients flow (exact product's gradient) through the approximate pass.
    let labels = Tensor::from_slice(&[1i64; 16]);
    let out = net.forward_quant(
        &x,
        &QuantOpts {
            approx: Some(&hook),
            ..Default::default()
        },
    );
    out.logits.cross_entropy_for_logits(&labels).backward();
    let g = net.mac_nodes().next().unwrap().2.weight.grad();
    assert!(g.abs().sum(Kind::Float).double_value(&[]) > 0.0);
}
