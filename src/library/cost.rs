//! Hardware cost of a netlist: gate count, area in NAND2 equivalents, and
//! energy per multiplication from switching activity.
//!
//! Energy model (stated in every output through [`ENERGY_MODEL`]):
//! - a stream of operand pairs (uniform bytes, or drawn from given operand
//!   histograms; fixed seed) is applied one pair per cycle;
//! - each net's toggles are counted between consecutive settled states
//!   (zero delay, [`Delay::Zero`], the default); [`Delay::Unit`] instead
//!   simulates unit cell delays step by step and counts glitches too;
//! - a toggle of a net costs the driving cell's internal energy plus the
//!   energy of charging its load: the input pins it drives, a wire term per
//!   fanout and, for product bits, the register that captures them;
//! - the unit of energy, `u`, is the energy of charging one NAND2 input
//!   pin; the table below gives cells in that unit, shaped after a 45 nm
//!   standard-cell library (Nangate-like X1 cells);
//! - `energy_rel` is the mean energy per multiplication over the stream
//!   divided by that of the exact multiplier of the same signedness (the
//!   carry-save array, or the Baugh-Wooley array) on the same stream.
//!
//! Why zero delay by default: against the published 45 nm power of ten
//! EvoApprox8b multipliers it ranked designs better than the unit-delay
//! model, whose glitch counts depend on delays the real synthesized cells
//! do not have. Imported designs are costed on real cells instead
//! ([`canonical_cost`], [`super::energy`]).

use super::energy;
use super::generators;
use super::Cost;
use crate::error::{Error, Result};
use crate::netlist::sim::check_ports;
use crate::netlist::{GateKind, Netlist};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use std::sync::OnceLock;

/// One line describing the energy model and its units.
pub const ENERGY_MODEL: &str = "energy_rel: mean energy per multiplication relative to the exact array \
multiplier of the same signedness; zero-delay switching simulation (functional toggles) of 16384 \
consecutive operand pairs (uniform bytes, seed 1), each net toggle weighted by the driver's internal \
energy plus its load (fanout pin capacitances, 0.3 per fanout wire, 1.0 per product register bit), \
in units of one NAND2 input-pin charge (45 nm-like X1 cell table)";

/// Number of operand transitions simulated.
pub const TRANSITIONS: usize = 16384;
/// Seed of the operand stream.
pub const SEED: u64 = 1;
/// Wire load per fanout, in NAND2 pin units.
const WIRE_PER_FANOUT: f64 = 0.3;
/// Load of one product output bit (the capturing register's input).
const OUTPUT_LOAD: f64 = 1.0;

/// Area, internal energy per output toggle and input pin load of a cell.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct CellModel {
    /// NAND2 equivalents.
    pub area_ge: f64,
    /// Internal energy per output toggle, in `u`.
    pub energy: f64,
    /// Load of each data input pin, in `u` per toggle.
    pub pin_cap: f64,
}

/// The per-cell table (areas from 45 nm X1 cell sizes over NAND2_X1).
pub fn cell(kind: GateKind) -> CellModel {
    use GateKind::*;
    let (area_ge, energy, pin_cap) = match kind {
        Const0 | Const1 | Buf => (0.0, 0.0, 0.0),
        Not => (0.67, 0.4, 1.0),
        Nand | Nor => (1.0, 0.8, 1.0),
        And | Or => (1.33, 1.4, 0.95),
        AndNot | OrNot => (1.33, 1.4, 1.0),
        Xor | Xnor => (2.0, 2.5, 1.4),
        Mux => (2.33, 2.2, 0.95),
    };
    CellModel {
        area_ge,
        energy,
        pin_cap,
    }
}

/// Load of input pin `pin` of a `kind` cell (a mux's select pin is heavier).
fn pin_load(kind: GateKind, pin: usize) -> f64 {
    if kind == GateKind::Mux && pin == 2 {
        1.8
    } else {
        cell(kind).pin_cap
    }
}

/// Operand distribution of the simulated stream.
#[derive(Clone, Debug, PartialEq)]
pub enum Stimulus {
    /// Independent uniform bytes.
    Uniform,
    /// Independent bytes drawn from histograms over the 256 byte values of
    /// operand `A` and of operand `B` (weights, not necessarily normalized).
    /// Histograms over the 256 byte values of `A` and of `B`.
    Histograms {
        /// Weights of the 256 values of operand `A`.
        a: Vec<f64>,
        /// Weights of the 256 values of operand `B`.
        b: Vec<f64>,
    },
}

/// Area in NAND2 equivalents.
pub fn area_ge(n: &Netlist) -> f64 {
    n.gates.iter().map(|g| cell(g.kind).area_ge).sum()
}

/// Cost of `n` under uniform operands.
pub fn cost(n: &Netlist, signed: bool) -> Result<Cost> {
    cost_with(n, signed, &Stimulus::Uniform)
}

/// Cost of `n` on its canonical NanGate45 mapping
/// ([`super::yosys::CANONICAL_FLOW`]): the cost of an imported design,
/// independent of how its file was written. `gates` counts the mapped
/// cells, `area_ge` is their area over that of the library's smallest
/// NAND2, `energy_rel` the switching energy ([`super::energy`]) of the
/// uniform stream ([`stream`]) over that of the exact reference
/// multiplier of the same signedness mapped the same way; `area_um2` and
/// `energy_pj` keep the absolute figures. Needs Yosys and the NanGate45
/// Liberty file ([`super::energy::nangate45`]).
pub fn canonical_cost(n: &Netlist, signed: bool) -> Result<Cost> {
    static REFERENCE: [std::sync::Mutex<Option<f64>>; 2] =
        [std::sync::Mutex::new(None), std::sync::Mutex::new(None)];
    let lib = energy::nangate45()?;
    let pairs = stream(&Stimulus::Uniform)?;
    let c = super::yosys::canonical(n, &lib)?;
    let e = energy::switching_energy(&c, &lib, &pairs)?;
    let reference = {
        let mut slot = REFERENCE[signed as usize]
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        match *slot {
            Some(r) => r,
            None => {
                let exact =
                    super::yosys::canonical(&generators::exact_reference(signed).netlist(), &lib)?;
                let r = energy::switching_energy(&exact, &lib, &pairs)?;
                *slot = Some(r);
                r
            }
        }
    };
    let area = energy::area_um2(&c, &lib)?;
    Ok(Cost {
        gates: c.cells.len(),
        area_ge: area / nand2_area(&lib)?,
        energy_rel: e / reference,
        area_um2: Some(area),
        energy_pj: Some(e),
    })
}

/// Area of the smallest two-input NAND cell of `lib` (the unit of `area_ge`).
fn nand2_area(lib: &energy::PowerLibrary) -> Result<f64> {
    use crate::netlist::import::boolfn::Func;
    let nand = Func::Not(Box::new(Func::And(
        Box::new(Func::Pin(0)),
        Box::new(Func::Pin(1)),
    )));
    lib.cells
        .values()
        .filter(|c| c.inputs.len() == 2 && c.outputs.len() == 1 && c.outputs[0].function == nand)
        .map(|c| c.area)
        .min_by(f64::total_cmp)
        .ok_or_else(|| Error::input(format!("{} has no NAND2 cell", lib.path.display())))
}

/// Cost of `n` for the given operand distribution.
pub fn cost_with(n: &Netlist, signed: bool, stimulus: &Stimulus) -> Result<Cost> {
    let e = energy(n, stimulus)?;
    let reference = if *stimulus == Stimulus::Uniform {
        exact_energy_uniform(signed)
    } else {
        energy(&generators::exact_reference(signed).netlist(), stimulus)?
    };
    Ok(Cost {
        gates: n.cell_count(),
        area_ge: area_ge(n),
        energy_rel: e / reference,
        ..Default::default()
    })
}

fn exact_energy_uniform(signed: bool) -> f64 {
    static CACHE: [OnceLock<f64>; 2] = [OnceLock::new(), OnceLock::new()];
    *CACHE[signed as usize].get_or_init(|| {
        energy(
            &generators::exact_reference(signed).netlist(),
            &Stimulus::Uniform,
        )
        .expect("built-in netlist has ports")
    })
}

/// The operand stream of the cost model: `TRANSITIONS + 1` pairs
/// (uniform: independent uniform bytes from a ChaCha8 generator seeded
/// with [`SEED`]). Errors: a malformed histogram.
pub fn stream(stimulus: &Stimulus) -> Result<Vec<(u8, u8)>> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(SEED);
    match stimulus {
        Stimulus::Uniform => Ok((0..=TRANSITIONS)
            .map(|_| (rng.random::<u8>(), rng.random::<u8>()))
            .collect()),
        Stimulus::Histograms { a, b } => {
            let ca = cumulative(a, "A")?;
            let cb = cumulative(b, "B")?;
            let draw = |c: &[f64], rng: &mut rand_chacha::ChaCha8Rng| {
                let r = rng.random::<f64>() * c[255];
                c.partition_point(|&x| x <= r).min(255) as u8
            };
            Ok((0..=TRANSITIONS)
                .map(|_| (draw(&ca, &mut rng), draw(&cb, &mut rng)))
                .collect())
        }
    }
}

fn cumulative(h: &[f64], name: &str) -> Result<Vec<f64>> {
    if h.len() != 256 {
        return Err(Error::input(format!(
            "operand histogram {name}: {} bins, expected 256",
            h.len()
        )));
    }
    if let Some(i) = h.iter().position(|w| !w.is_finite() || *w < 0.0) {
        return Err(Error::input(format!(
            "operand histogram {name}: bin {i} is {} (must be >= 0)",
            h[i]
        )));
    }
    let mut acc = 0.0;
    let c: Vec<f64> = h
        .iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect();
    if acc <= 0.0 {
        return Err(Error::input(format!(
            "operand histogram {name} is all zero"
        )));
    }
    Ok(c)
}

/// How cell delays are modelled in the switching simulation.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Delay {
    /// Every cell switches one step after its inputs: glitches count.
    Unit,
    /// Nets move straight to their settled values: functional toggles only.
    Zero,
}

/// Mean energy per multiplication of `n` (ports `A`, `B`, `O`), in `u`,
/// under the default zero-delay model.
pub fn energy(n: &Netlist, stimulus: &Stimulus) -> Result<f64> {
    energy_with(n, stimulus, Delay::Zero)
}

/// Mean energy per multiplication of `n` under the given delay model.
pub fn energy_with(n: &Netlist, stimulus: &Stimulus, delay: Delay) -> Result<f64> {
    let (pa, pb, po) = check_ports(n, "A", "B", "O")?;
    let nets = n.num_nets as usize;
    // Energy per toggle of each net: driver's internal energy plus load.
    let mut per_toggle = vec![0f64; nets];
    for g in &n.gates {
        per_toggle[g.output.0 as usize] += cell(g.kind).energy;
        for (pin, i) in g.inputs.iter().enumerate() {
            let l = pin_load(g.kind, pin);
            per_toggle[i.0 as usize] += l + if l > 0.0 { WIRE_PER_FANOUT } else { 0.0 };
        }
    }
    for o in po {
        per_toggle[o.0 as usize] += OUTPUT_LOAD + WIRE_PER_FANOUT;
    }
    let pairs = stream(stimulus)?;
    let words = TRANSITIONS / 64;
    let toggles: Vec<u64> = (0..words)
        .into_par_iter()
        .map(|w| word_toggles(n, pa, pb, &pairs[w * 64..w * 64 + 65], delay))
        .reduce(
            || vec![0u64; nets],
            |mut x, y| {
                x.iter_mut().zip(y).for_each(|(p, q)| *p += q);
                x
            },
        );
    let total: f64 = toggles
        .iter()
        .zip(&per_toggle)
        .map(|(&t, &e)| t as f64 * e)
        .sum();
    Ok(total / TRANSITIONS as f64)
}

/// Toggle counts per net of 64 transitions `pairs[l] -> pairs[l + 1]`,
/// one per lane, under unit delays.
fn word_toggles(
    n: &Netlist,
    pa: &[crate::netlist::NetId],
    pb: &[crate::netlist::NetId],
    pairs: &[(u8, u8)],
    delay: Delay,
) -> Vec<u64> {
    let nets = n.num_nets as usize;
    let lanes = |k: usize, is_a: bool, bit: usize| -> u64 {
        (0..64).fold(0u64, |w, l| {
            let (a, b) = pairs[l + k];
            let v = if is_a { a } else { b };
            w | (((v >> bit) & 1) as u64) << l
        })
    };
    let mut cur = vec![0u64; nets];
    // Settle on the old operands (zero delay, topological order).
    for (is_a, port) in [(true, pa), (false, pb)] {
        for (bit, net) in port.iter().enumerate() {
            cur[net.0 as usize] = lanes(0, is_a, bit);
        }
    }
    let eval = |g: &crate::netlist::Gate, v: &[u64], w: &[u64], buf_from_w: bool| -> u64 {
        let src = if buf_from_w && g.kind == GateKind::Buf {
            w
        } else {
            v
        };
        let x = |k: usize| g.inputs.get(k).map_or(0, |i| src[i.0 as usize]);
        g.kind.eval(x(0), x(1), x(2))
    };
    for g in &n.gates {
        cur[g.output.0 as usize] = eval(g, &cur, &cur, false);
    }
    let mut toggles = vec![0u64; nets];
    // Apply the new operands.
    for (is_a, port) in [(true, pa), (false, pb)] {
        for (bit, net) in port.iter().enumerate() {
            let i = net.0 as usize;
            let new = lanes(1, is_a, bit);
            toggles[i] += (cur[i] ^ new).count_ones() as u64;
            cur[i] = new;
        }
    }
    if delay == Delay::Zero {
        let mut settled = cur.clone();
        for g in &n.gates {
            let o = g.output.0 as usize;
            settled[o] = eval(g, &settled, &settled, false);
            toggles[o] += (settled[o] ^ cur[o]).count_ones() as u64;
        }
        return toggles;
    }
    // Unit-delay steps: every cell reads the previous step's values
    // (buffers pass the current step's), until nothing changes.
    let mut next = cur.clone();
    for _ in 0..=n.gates.len() {
        let mut changed = false;
        for g in &n.gates {
            let o = g.output.0 as usize;
            let v = eval(g, &cur, &next, true);
            let d = v ^ cur[o];
            if d != 0 {
                toggles[o] += d.count_ones() as u64;
                changed = true;
            }
            next[o] = v;
        }
        std::mem::swap(&mut cur, &mut next);
        next.copy_from_slice(&cur);
        if !changed {
            break;
        }
    }
    toggles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::generators::{Design, Reducer, Spec};
    use crate::netlist::Builder;

    #[test]
    fn exact_reference_has_unit_energy() {
        for signed in [false, true] {
            let c = cost(&generators::exact_reference(signed).netlist(), signed).unwrap();
            assert_eq!(c.energy_rel, 1.0);
        }
    }

    #[test]
    fn deterministic() {
        let n = Design::new(Spec::Drum { k: 4 }, false).netlist();
        assert_eq!(
            energy(&n, &Stimulus::Uniform).unwrap(),
            energy(&n, &Stimulus::Uniform).unwrap()
        );
    }

    /// A one-gate circuit computed by hand: O[0] = A[0] & B[0] behind an
    /// inverter. Under uniform operands each input bit toggles with
    /// probability 1/2, so the expected energy is known in closed form.
    #[test]
    fn single_gate_energy_matches_hand_count() {
        let mut b = Builder::new("t");
        let a = b.input("A", 8);
        let x = b.input("B", 8);
        let y = b.and(a[0], x[0]);
        let z = b.gate(GateKind::Not, &[y]);
        let zero = b.zero();
        let mut o = vec![zero; 16];
        o[0] = z;
        b.output("O", o);
        let n = b.build();
        let e = energy(&n, &Stimulus::Uniform).unwrap();
        // Count the toggles of the stream directly.
        let pairs = stream(&Stimulus::Uniform).unwrap();
        let (mut ta, mut tb, mut ty) = (0.0, 0.0, 0.0);
        for w in pairs.windows(2) {
            let (a0, b0, a1, b1) = (w[0].0 & 1, w[0].1 & 1, w[1].0 & 1, w[1].1 & 1);
            ta += (a0 != a1) as u8 as f64;
            tb += (b0 != b1) as u8 as f64;
            ty += ((a0 & b0) != (a1 & b1)) as u8 as f64;
        }
        let and = cell(GateKind::And);
        let not = cell(GateKind::Not);
        let pin = and.pin_cap + WIRE_PER_FANOUT;
        let want = (ta * pin
            + tb * pin
            + ty * (and.energy + not.pin_cap + WIRE_PER_FANOUT)
            + ty * (not.energy + OUTPUT_LOAD + WIRE_PER_FANOUT))
            / TRANSITIONS as f64;
        assert!((e - want).abs() < 1e-9, "{e} vs {want}");
    }

    /// Glitches are counted under unit delay (and not under zero delay): an XOR of a signal with its delayed copy
    /// pulses on every input toggle although its settled value never moves.
    #[test]
    fn glitches_count() {
        let mut b = Builder::new("g");
        let a = b.input("A", 8);
        b.input("B", 8);
        let d = b.gate(GateKind::Not, &[a[0]]);
        let d2 = b.gate(GateKind::Not, &[d]);
        let g = b.xor(a[0], d2); // always 0 when settled
        let zero = b.zero();
        let mut o = vec![zero; 16];
        o[0] = g;
        b.output("O", o);
        let n = b.build();
        let pairs = stream(&Stimulus::Uniform).unwrap();
        let ta: f64 = pairs
            .windows(2)
            .map(|w| ((w[0].0 ^ w[1].0) & 1) as f64)
            .sum();
        let e = energy_with(&n, &Stimulus::Uniform, Delay::Unit).unwrap();
        let x = cell(GateKind::Xor);
        let not = cell(GateKind::Not);
        let input = x.pin_cap + not.pin_cap + 2.0 * WIRE_PER_FANOUT;
        let inv1 = not.energy + not.pin_cap + WIRE_PER_FANOUT;
        let inv2 = not.energy + x.pin_cap + WIRE_PER_FANOUT;
        let xor = x.energy + OUTPUT_LOAD + WIRE_PER_FANOUT;
        // Each input toggle: both inverters toggle once, the XOR twice.
        let want = ta * (input + inv1 + inv2 + 2.0 * xor) / TRANSITIONS as f64;
        assert!((e - want).abs() < 1e-9, "{e} vs {want}");
        // Zero delay: the settled XOR output never moves.
        let zero = energy(&n, &Stimulus::Uniform).unwrap();
        let want = ta * (input + inv1 + inv2) / TRANSITIONS as f64;
        assert!((zero - want).abs() < 1e-9, "{zero} vs {want}");
    }

    #[test]
    fn truncation_saves_energy_and_area() {
        let exact = Design::new(Spec::Exact(Reducer::Dadda), false).netlist();
        let trunc = Design::new(
            Spec::Truncation {
                k: 8,
                compensated: false,
            },
            false,
        )
        .netlist();
        let (ce, ct) = (cost(&exact, false).unwrap(), cost(&trunc, false).unwrap());
        assert!(
            ct.gates < ce.gates && ct.area_ge < ce.area_ge && ct.energy_rel < ce.energy_rel,
            "{ce:?} {ct:?}"
        );
    }

    #[test]
    fn histogram_stimulus() {
        let n = generators::exact_reference(false).netlist();
        // All operands zero: nothing toggles.
        let mut h = vec![0.0; 256];
        h[0] = 1.0;
        let e = energy(
            &n,
            &Stimulus::Histograms {
                a: h.clone(),
                b: h.clone(),
            },
        )
        .unwrap();
        assert_eq!(e, 0.0);
        let bad = energy(
            &n,
            &Stimulus::Histograms {
                a: vec![0.0; 256],
                b: h,
            },
        )
        .unwrap_err();
        assert!(bad.to_string().contains("all zero"), "{bad}");
    }
}
