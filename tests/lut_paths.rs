//! Every lookup-table kernel path against the contract's direct
//! transcription (`intnet::sim::reference_trace`): a digits-shaped network
//! (unsigned and signed, approximate tables) over real digits images, and
//! random convolutions against a direct convolution
//! (`lut::direct_conv2d`, one error-map lookup per multiplication). One test per path; a
//! path this CPU lacks is skipped with a message (also under CI: the CI
//! machine's CPU is not known in advance).

use codesign::errmap::ErrorMap;
use codesign::intnet::lut::{self, Path, ProductTable};
use codesign::intnet::sim::{reference_trace, Simulator};
use codesign::intnet::{testnet, Shape};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Whether to run `path`; prints why not.
fn runs(path: Path) -> bool {
    let ok = lut::supported(path);
    if !ok {
        eprintln!("skipping: this CPU lacks the {path:?} lookup-table path");
    }
    ok
}

/// Arbitrary 16-bit products (a worst case for the byte-plane sums).
fn odd_map(signed: bool) -> ErrorMap {
    if signed {
        ErrorMap::from_fn(true, |a, b| ((a * 977 + b * 331) & 0xffff) - 32768)
    } else {
        ErrorMap::from_fn(false, |a, b| ((a * b) & !0x3f) + 7)
    }
}

fn digits_network(path: Path) {
    let data = codesign::data::digits().unwrap().test.take(200);
    for signed in [false, true] {
        let opt = testnet::Options {
            signed,
            input: Shape { c: 1, h: 8, w: 8 },
            classes: 10,
            width: 8,
        };
        let net = testnet::random_with(11, &opt);
        let layers = net.mac_layers().count();
        let tables: Vec<ProductTable> = (0..layers)
            .map(|i| {
                if i % 2 == 0 {
                    ProductTable::new(&odd_map(signed))
                } else {
                    ProductTable::exact(signed)
                }
            })
            .collect();
        let sim = Simulator::new(&net, tables.clone()).unwrap();
        let got = lut::with_path(path, || sim.logits(&data.images));
        let per = net.input.len();
        let classes = got.len() / data.len();
        for (i, img) in data.images.chunks(per).enumerate() {
            let want = reference_trace(&net, &tables, img);
            let logits = want.tensors.last().unwrap();
            assert_eq!(
                &got[i * classes..][..classes],
                &logits[..],
                "{path:?} signed={signed} image {i}"
            );
        }
    }
}

fn random_convolutions(path: Path) {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for signed in [false, true] {
        let map = odd_map(signed);
        let table = ProductTable::new(&map);
        // (n, c, h, w, out, kernel, stride, pad): ragged tiles, strides, 1x1.
        for &(n, c, h, w, o, k, s, pad) in &[
            (3, 5, 9, 7, 6, 3, 1, 1),
            (2, 16, 16, 16, 8, 3, 2, 1),
            (5, 3, 11, 11, 4, 5, 2, 2),
            (7, 40, 1, 1, 3, 1, 1, 0),
            // Two blocks of product columns, the second one short.
            (2, 4, 10, 10, 20, 3, 1, 1),
            // 16 blocks of 64 positions: tiles of four blocks on one or two
            // threads (`tile_blocks`), full-range activations included.
            (4, 3, 16, 16, 5, 3, 1, 1),
        ] {
            for xmax in [255u8, 127] {
                let input: Vec<u8> = (0..n * c * h * w)
                    .map(|_| rng.random_range(0..=xmax))
                    .collect();
                let wts: Vec<i8> = (0..o * c * k * k)
                    .map(|_| rng.random_range(-128..=127))
                    .collect();
                let got = lut::conv2d_with(path, &table, &wts, o, k, s, pad, &input, [n, c, h, w]);
                let want = lut::direct_conv2d(&map, &wts, o, k, s, pad, &input, [n, c, h, w]);
                assert_eq!(
                    got, want,
                    "{path:?} signed={signed} x<={xmax} conv {n}x{c}x{h}x{w} -> {o} k{k} s{s} p{pad}"
                );
            }
        }
    }
}

fn check(path: Path) {
    if runs(path) {
        random_convolutions(path);
        digits_network(path);
    }
}

#[test]
fn avx512_vbmi_path_is_exact() {
    check(Path::Avx512Vbmi);
}

#[test]
fn avx2_path_is_exact() {
    check(Path::Avx2);
}

#[test]
fn columns_path_is_exact() {
    check(Path::Columns);
}

#[test]
fn scalar_path_is_exact() {
    check(Path::Scalar);
}
