//! Integer network files: round trip through `intnet::load` and bad input
//! rejected with one line naming the file and field.

use codesign::intnet::{self, sim::Simulator, testnet};

#[test]
fn load_round_trips_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("intnet.json");
    let net = testnet::random(11, false);
    codesign::io::write_json(&path, &net).unwrap();
    let back = intnet::load(&path).unwrap();
    assert_eq!(back, net);
    let sim = Simulator::exact(&back).unwrap();
    let img = testnet::random_images(1, &back, 1);
    assert_eq!(sim.forward(&img).len(), back.classes);
}

#[test]
fn bad_files_give_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("intnet.json");
    let mut net = testnet::random(11, true);
    net.nodes[0].name = "stem".into();
    if let intnet::Op::Conv(l) = &mut net.nodes[0].op {
        l.bias.truncate(1);
    }
    codesign::io::write_json(&path, &net).unwrap();
    let e = intnet::load(&path).unwrap_err().to_string();
    assert!(e.contains("intnet.json: node 0 'stem': bias: 1 values"), "{e}");
    assert!(!e.contains('\n'));

    std::fs::write(&path, "{\"version\": 1, \"name\": \"x\"}").unwrap();
    let e = intnet::load(&path).unwrap_err().to_string();
    assert!(e.contains("intnet.json:1:") && e.contains("missing field"), "{e}");

    std::fs::write(&path, "{\"version\": 1,\n \"nodes\": [{\"op\": \"warp\"}]}").unwrap();
    let e = intnet::load(&path).unwrap_err().to_string();
    assert!(e.contains("intnet.json:2:"), "{e}");

    let e = intnet::load(dir.path().join("missing.json")).unwrap_err().to_string();
    assert!(e.contains("missing.json"), "{e}");
}
