//! Turning what an importer read into a valid [`Netlist`]: every check that
//! protects simulation (one driver per net, no undriven net, no cycle, the
//! ports a multiplier needs) happens here, once, for every importer, and
//! every error names the file, line and net or cell at fault.
//!
//! After the checks the netlist is normalized: gates in topological order,
//! buffers collapsed into wires, logic that reaches no output removed, nets
//! renumbered densely (inputs first), ports renamed to `A`, `B`, `O`.

use super::{Bus, Gate, GateKind, NetId, Netlist};
use crate::error::{Error, Result};
use petgraph::graph::{DiGraph, NodeIndex};
use std::path::PathBuf;

/// Where something was read: file (index into [`Parts::files`]) and line
/// (1-based; 0 when unknown).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    /// Index into [`Parts::files`].
    pub file: u16,
    /// Line, 1-based; 0 when unknown.
    pub line: u32,
}

/// A gate as read, with its origin for error messages.
#[derive(Clone, Debug)]
pub struct PartGate {
    /// The gate, on the part's net ids.
    pub gate: Gate,
    /// Where it was written.
    pub loc: Loc,
    /// What the source called it: `instance u1 (HAX1)`, `assign`, `cell $abc$12`.
    pub cell: String,
}

/// A port as read.
#[derive(Clone, Debug)]
pub struct PartPort {
    /// The port's bus.
    pub bus: Bus,
    /// Where it was declared.
    pub loc: Loc,
}

/// An unchecked netlist as an importer read it.
#[derive(Clone, Debug, Default)]
pub struct Parts {
    /// Module name.
    pub name: String,
    /// Files the parts came from; `Loc::file` indexes this.
    pub files: Vec<PathBuf>,
    /// Name of every net; net ids are `0..net_names.len()`.
    pub net_names: Vec<String>,
    /// Input ports as declared.
    pub inputs: Vec<PartPort>,
    /// Output ports as declared.
    pub outputs: Vec<PartPort>,
    /// Gates in source order (not yet topologically sorted).
    pub gates: Vec<PartGate>,
    /// Nets that carry an `x`/`z` constant, with where it was written:
    /// allowed where no product bit depends on them.
    pub x_nets: Vec<(NetId, Loc)>,
}

/// Names of the multiplier's ports in the source: operands (8 bits each)
/// and product (16 bits). The validated netlist always calls them `A`, `B`, `O`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ports {
    /// Name of the first operand port in the source.
    pub a: String,
    /// Name of the second operand port.
    pub b: String,
    /// Name of the product port.
    pub o: String,
}

impl Default for Ports {
    fn default() -> Self {
        Ports {
            a: "A".into(),
            b: "B".into(),
            o: "O".into(),
        }
    }
}

impl Ports {
    /// Parse `A,B,O`-style text (three comma-separated names).
    pub fn parse(text: &str) -> Result<Ports> {
        let names: Vec<&str> = text.split(',').map(str::trim).collect();
        match names.as_slice() {
            [a, b, o] if !a.is_empty() && !b.is_empty() && !o.is_empty() => {
                Ok(Ports { a: a.to_string(), b: b.to_string(), o: o.to_string() })
            }
            _ => Err(Error::input(format!(
                "--ports `{text}`: expected three comma-separated names (operand A, operand B, product), e.g. A,B,O"
            ))),
        }
    }
}

/// Operand and product widths of an 8x8 multiplier.
pub const OPERAND_BITS: usize = 8;
/// Width of the product, bits.
pub const PRODUCT_BITS: usize = 16;

/// Who drives a net.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Driver {
    None,
    Port(usize, usize),
    Gate(usize),
    /// An `x`/`z` constant ([`Parts::x_nets`] index).
    X(usize),
}

impl Parts {
    /// A fresh net called `name`.
    pub fn net(&mut self, name: impl Into<String>) -> NetId {
        self.net_names.push(name.into());
        NetId(self.net_names.len() as u32 - 1)
    }

    /// Add a gate driving `output`.
    pub fn drive(
        &mut self,
        kind: GateKind,
        inputs: Vec<NetId>,
        output: NetId,
        loc: Loc,
        cell: impl Into<String>,
    ) {
        self.gates.push(PartGate {
            gate: Gate {
                kind,
                inputs,
                output,
            },
            loc,
            cell: cell.into(),
        });
    }

    /// `file:line` of a location (`file` alone when the line is unknown).
    pub fn at(&self, loc: Loc) -> String {
        let file = self
            .files
            .get(loc.file as usize)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if loc.line == 0 {
            file
        } else {
            format!("{file}:{}", loc.line)
        }
    }

    fn name_of(&self, n: NetId) -> &str {
        self.net_names
            .get(n.0 as usize)
            .map(String::as_str)
            .unwrap_or("?")
    }

    fn err(&self, loc: Loc, msg: impl std::fmt::Display) -> Error {
        Error::input(format!("{}: {msg}", self.at(loc)))
    }

    fn main_file(&self) -> Loc {
        Loc { file: 0, line: 0 }
    }
}

/// Ports written one bit at a time (`\\A[0]`, ..., `\\A[7]`, as ABC and
/// other tools write them) become one bus `A`, bit `i` from `A[i]`;
/// a group whose indices are not exactly `0..n` stays as it is.
fn group_bit_ports(list: &mut Vec<PartPort>) {
    let split = |name: &str| -> Option<(String, usize)> {
        let inner = name.strip_suffix(']')?;
        let open = inner.rfind('[')?;
        let idx = inner[open + 1..].parse().ok()?;
        Some((inner[..open].to_string(), idx))
    };
    let mut groups: Vec<(String, Vec<(usize, usize)>)> = vec![];
    for (k, q) in list.iter().enumerate() {
        if let (Some((base, idx)), 1) = (split(&q.bus.name), q.bus.nets.len()) {
            match groups.iter_mut().find(|(b, _)| *b == base) {
                Some((_, v)) => v.push((idx, k)),
                None => groups.push((base, vec![(idx, k)])),
            }
        }
    }
    let mut drop = vec![false; list.len()];
    let mut new = vec![];
    for (base, mut bits) in groups {
        bits.sort();
        if list.iter().any(|q| q.bus.name == base)
            || bits.iter().enumerate().any(|(i, &(idx, _))| i != idx)
        {
            continue;
        }
        for &(_, k) in &bits {
            drop[k] = true;
        }
        new.push(PartPort {
            bus: Bus {
                name: base,
                nets: bits.iter().map(|&(_, k)| list[k].bus.nets[0]).collect(),
            },
            loc: list[bits[0].1].loc,
        });
    }
    let mut k = 0;
    list.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
    list.extend(new);
}

/// Check `parts` and build the normalized netlist (see the module docs).
pub fn from_parts(mut parts: Parts, ports: &Ports) -> Result<Netlist> {
    group_bit_ports(&mut parts.inputs);
    group_bit_ports(&mut parts.outputs);
    let p = &parts;
    let n = p.net_names.len();
    // Gate shapes and net ids (importer bugs or malformed JSON).
    for g in &p.gates {
        if g.gate.inputs.len() != g.gate.kind.arity() {
            return Err(p.err(
                g.loc,
                format!(
                    "{}: a {} gate needs {} inputs, got {}",
                    g.cell,
                    g.gate.kind.name(),
                    g.gate.kind.arity(),
                    g.gate.inputs.len()
                ),
            ));
        }
        if g.gate
            .inputs
            .iter()
            .chain([&g.gate.output])
            .any(|x| x.0 as usize >= n)
        {
            return Err(p.err(
                g.loc,
                format!("{}: refers to a net that does not exist", g.cell),
            ));
        }
    }
    // Ports: exactly the operands as inputs, the product among the outputs.
    let find = |list: &[PartPort], name: &str, dir: &str| -> Result<usize> {
        list.iter().position(|q| q.bus.name == name).ok_or_else(|| {
            let have: Vec<&str> = list.iter().map(|q| q.bus.name.as_str()).collect();
            p.err(
                p.main_file(),
                format!(
                    "module `{}` has no {dir} port `{name}` ({dir}s: {}); name the ports with --ports A,B,O",
                    p.name,
                    if have.is_empty() { "none".to_string() } else { have.join(", ") }
                ),
            )
        })
    };
    let ia = find(&p.inputs, &ports.a, "input")?;
    let ib = find(&p.inputs, &ports.b, "input")?;
    let io = find(&p.outputs, &ports.o, "output")?;
    if let Some(extra) = p
        .inputs
        .iter()
        .find(|q| q.bus.name != ports.a && q.bus.name != ports.b)
    {
        let lower = extra.bus.name.to_ascii_lowercase();
        let why = if ["clk", "clock", "rst", "reset", "en", "enable"]
            .iter()
            .any(|k| lower.contains(k))
        {
            " (clock, reset or enable inputs mean a sequential design; only combinational multipliers are supported)"
        } else {
            ""
        };
        return Err(p.err(
            extra.loc,
            format!(
                "unexpected input port `{}`: a multiplier has only the operands `{}` and `{}`{why}",
                extra.bus.name, ports.a, ports.b
            ),
        ));
    }
    let o = &p.outputs[io];
    if o.bus.nets.len() > PRODUCT_BITS {
        return Err(p.err(
            o.loc,
            format!(
                "product `{}` is {} bits wide: only 8x8-bit multipliers with a 16-bit product are supported",
                o.bus.name,
                o.bus.nets.len()
            ),
        ));
    }
    for (q, want) in [
        (&p.inputs[ia], OPERAND_BITS),
        (&p.inputs[ib], OPERAND_BITS),
        (&p.outputs[io], PRODUCT_BITS),
    ] {
        if q.bus.nets.len() != want {
            return Err(p.err(
                q.loc,
                format!(
                    "port `{}` is {} bits wide, expected {want}",
                    q.bus.name,
                    q.bus.nets.len()
                ),
            ));
        }
    }
    // One driver per net.
    let mut driver = vec![Driver::None; n];
    for (pi, q) in p.inputs.iter().enumerate() {
        for (bit, &net) in q.bus.nets.iter().enumerate() {
            if driver[net.0 as usize] != Driver::None {
                return Err(p.err(
                    q.loc,
                    format!(
                        "net `{}` is connected to two input port bits",
                        p.name_of(net)
                    ),
                ));
            }
            driver[net.0 as usize] = Driver::Port(pi, bit);
        }
    }
    for (xi, &(net, _)) in p.x_nets.iter().enumerate() {
        driver[net.0 as usize] = Driver::X(xi);
    }
    for (gi, g) in p.gates.iter().enumerate() {
        let out = g.gate.output;
        match driver[out.0 as usize] {
            Driver::None => driver[out.0 as usize] = Driver::Gate(gi),
            Driver::Port(pi, _) => {
                return Err(p.err(
                    g.loc,
                    format!(
                        "net `{}` is multiply driven: by input port `{}` and by {}",
                        p.name_of(out),
                        p.inputs[pi].bus.name,
                        g.cell
                    ),
                ))
            }
            Driver::X(xi) => {
                return Err(p.err(
                    g.loc,
                    format!(
                        "net `{}` is multiply driven: by an x constant ({}) and by {}",
                        p.name_of(out),
                        p.at(p.x_nets[xi].1),
                        g.cell
                    ),
                ))
            }
            Driver::Gate(first) => {
                let f = &p.gates[first];
                return Err(p.err(
                    g.loc,
                    format!(
                        "net `{}` is multiply driven: by {} ({}) and by {}",
                        p.name_of(out),
                        f.cell,
                        p.at(f.loc),
                        g.cell
                    ),
                ));
            }
        }
    }
    // Every net a product bit depends on is driven; an undriven net in
    // logic no product bit needs (Yosys `write_verilog` leaves such wires)
    // is as harmless as an unused `x`.
    let mut live = vec![false; n];
    let mut stack: Vec<NetId> = p.outputs[io].bus.nets.clone();
    while let Some(x) = stack.pop() {
        if std::mem::replace(&mut live[x.0 as usize], true) {
            continue;
        }
        if let Driver::Gate(gi) = driver[x.0 as usize] {
            stack.extend(p.gates[gi].gate.inputs.iter().copied());
        }
    }
    for g in p.gates.iter().filter(|g| live[g.gate.output.0 as usize]) {
        if let Some(&u) = g
            .gate
            .inputs
            .iter()
            .find(|x| driver[x.0 as usize] == Driver::None)
        {
            return Err(p.err(
                g.loc,
                format!("net `{}` is undriven (read by {})", p.name_of(u), g.cell),
            ));
        }
    }
    for q in &p.outputs {
        if let Some((bit, &u)) = q
            .bus
            .nets
            .iter()
            .enumerate()
            .find(|(_, x)| driver[x.0 as usize] == Driver::None)
        {
            // Name the bit as the source does: for `output [0:15] O` the
            // least significant bit is `O[15]`.
            let net = p.name_of(u);
            let which = if net == format!("{}[{bit}]", q.bus.name) {
                format!("output `{net}`")
            } else {
                format!(
                    "output `{}` bit {bit} counted from the LSB (net `{net}`)",
                    q.bus.name
                )
            };
            return Err(p.err(
                q.loc,
                format!(
                    "{which} is undriven: nothing drives it, so its value is unknown (if it is meant to be 0, tie it: `assign {net} = 1'b0;`)"
                ),
            ));
        }
    }
    // Topological order of the gates; a cycle names one of its nets.
    let mut graph: DiGraph<usize, ()> = DiGraph::with_capacity(p.gates.len(), 2 * p.gates.len());
    let nodes: Vec<NodeIndex> = (0..p.gates.len()).map(|i| graph.add_node(i)).collect();
    for (gi, g) in p.gates.iter().enumerate() {
        for x in &g.gate.inputs {
            if let Driver::Gate(src) = driver[x.0 as usize] {
                graph.add_edge(nodes[src], nodes[gi], ());
            }
        }
    }
    let order = petgraph::algo::toposort(&graph, None).map_err(|cycle| {
        let g = &p.gates[graph[cycle.node_id()]];
        p.err(
            g.loc,
            format!(
                "combinational cycle through net `{}` (driven by {})",
                p.name_of(g.gate.output),
                g.cell
            ),
        )
    })?;
    let order: Vec<usize> = order.into_iter().map(|ix| graph[ix]).collect();
    check_x(p, &driver, &order, io)?;
    Ok(normalize(&parts, &order, ia, ib, io))
}

/// An `x` constant must not reach a product bit: walking back from the
/// product, the first net whose value would be unknown is named.
fn check_x(p: &Parts, driver: &[Driver], order: &[usize], io: usize) -> Result<()> {
    if p.x_nets.is_empty() {
        return Ok(());
    }
    let mut live = vec![false; p.net_names.len()];
    for x in &p.outputs[io].bus.nets {
        live[x.0 as usize] = true;
    }
    let out = &p.outputs[io];
    for (bit, x) in out.bus.nets.iter().enumerate() {
        if let Driver::X(xi) = driver[x.0 as usize] {
            return Err(p.err(
                p.x_nets[xi].1,
                format!(
                    "an x/z constant drives product bit `{}[{bit}]`: every product bit must be 0 or 1",
                    out.bus.name
                ),
            ));
        }
    }
    for &gi in order.iter().rev() {
        let g = &p.gates[gi];
        if !live[g.gate.output.0 as usize] {
            continue;
        }
        for x in &g.gate.inputs {
            if let Driver::X(xi) = driver[x.0 as usize] {
                return Err(p.err(
                    p.x_nets[xi].1,
                    format!(
                        "an x/z constant reaches the product through net `{}` ({}): only nets no product bit depends on may be x",
                        p.name_of(g.gate.output),
                        g.cell
                    ),
                ));
            }
            live[x.0 as usize] = true;
        }
    }
    Ok(())
}

/// Collapse buffers, drop logic no output needs, renumber nets densely.
fn normalize(p: &Parts, order: &[usize], ia: usize, ib: usize, io: usize) -> Netlist {
    let n = p.net_names.len();
    // Through buffers: each net's representative (its buffer-free source).
    let mut rep: Vec<NetId> = (0..n as u32).map(NetId).collect();
    for &gi in order {
        let g = &p.gates[gi].gate;
        if g.kind == GateKind::Buf {
            rep[g.output.0 as usize] = rep[g.inputs[0].0 as usize];
        }
    }
    let out_nets: Vec<NetId> = p.outputs[io]
        .bus
        .nets
        .iter()
        .map(|x| rep[x.0 as usize])
        .collect();
    // Liveness, walking back from the product bits.
    let mut live = vec![false; n];
    for x in &out_nets {
        live[x.0 as usize] = true;
    }
    let mut kept: Vec<usize> = Vec::new();
    for &gi in order.iter().rev() {
        let g = &p.gates[gi].gate;
        if g.kind == GateKind::Buf || !live[g.output.0 as usize] {
            continue;
        }
        for x in &g.inputs {
            live[rep[x.0 as usize].0 as usize] = true;
        }
        kept.push(gi);
    }
    kept.reverse();
    // Dense numbering: A bits, B bits, then gate outputs in order.
    let mut new_id = vec![u32::MAX; n];
    let mut names: Vec<Option<String>> = Vec::new();
    let mut number = |old: NetId, new_id: &mut Vec<u32>| -> NetId {
        new_id[old.0 as usize] = names.len() as u32;
        names.push(Some(p.net_names[old.0 as usize].clone()));
        NetId(names.len() as u32 - 1)
    };
    let mut inputs = Vec::new();
    for (pi, name) in [(ia, "A"), (ib, "B")] {
        let nets = p.inputs[pi]
            .bus
            .nets
            .iter()
            .map(|&x| number(x, &mut new_id))
            .collect();
        inputs.push(Bus {
            name: name.to_string(),
            nets,
        });
    }
    let mut gates = Vec::with_capacity(kept.len());
    for &gi in &kept {
        let g = &p.gates[gi].gate;
        let ins = g
            .inputs
            .iter()
            .map(|x| NetId(new_id[rep[x.0 as usize].0 as usize]))
            .collect();
        let output = number(g.output, &mut new_id);
        gates.push(Gate {
            kind: g.kind,
            inputs: ins,
            output,
        });
    }
    let nets = out_nets
        .iter()
        .map(|x| NetId(new_id[x.0 as usize]))
        .collect();
    Netlist {
        name: p.name.clone(),
        num_nets: names.len() as u32,
        inputs,
        outputs: vec![Bus {
            name: "O".to_string(),
            nets,
        }],
        gates,
        net_names: names,
    }
}

/// Check the invariants of an existing netlist (one deserialized from disk,
/// or built by a generator): net ids in range, arities, one driver per net,
/// gates in topological order, ports `A`, `B` (8 bits) and `O` (16 bits).
pub fn check(n: &Netlist) -> Result<()> {
    let bad = |msg: String| Error::input(format!("netlist `{}`: {msg}", n.name));
    let num = n.num_nets as usize;
    let name = |x: NetId| {
        n.net_names
            .get(x.0 as usize)
            .cloned()
            .flatten()
            .unwrap_or_else(|| format!("#{}", x.0))
    };
    let mut driven = vec![false; num];
    for bus in &n.inputs {
        for &x in &bus.nets {
            if x.0 as usize >= num {
                return Err(bad(format!(
                    "input `{}` refers to net #{} of {num}",
                    bus.name, x.0
                )));
            }
            if std::mem::replace(&mut driven[x.0 as usize], true) {
                return Err(bad(format!("net `{}` is multiply driven", name(x))));
            }
        }
    }
    for (i, g) in n.gates.iter().enumerate() {
        if g.inputs.len() != g.kind.arity() {
            return Err(bad(format!(
                "gate {i} ({}) has {} inputs",
                g.kind.name(),
                g.inputs.len()
            )));
        }
        for &x in g.inputs.iter().chain([&g.output]) {
            if x.0 as usize >= num {
                return Err(bad(format!("gate {i} refers to net #{} of {num}", x.0)));
            }
        }
        if let Some(&u) = g.inputs.iter().find(|x| !driven[x.0 as usize]) {
            return Err(bad(format!("gate {i} ({}) reads net `{}` before it is driven (undriven or not in topological order)", g.kind.name(), name(u))));
        }
        if std::mem::replace(&mut driven[g.output.0 as usize], true) {
            return Err(bad(format!("net `{}` is multiply driven", name(g.output))));
        }
    }
    for bus in &n.outputs {
        if let Some(&u) = bus
            .nets
            .iter()
            .find(|x| x.0 as usize >= num || !driven[x.0 as usize])
        {
            return Err(bad(format!(
                "output `{}` bit (net `{}`) is undriven",
                bus.name,
                name(u)
            )));
        }
    }
    super::sim::check_ports(n, "A", "B", "O").map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts of `O = A & B` bitwise (upper product bits 0), with hooks to break it.
    fn and_parts() -> Parts {
        let mut p = Parts {
            name: "m".into(),
            files: vec!["m.v".into()],
            ..Default::default()
        };
        let a: Vec<NetId> = (0..8).map(|i| p.net(format!("A[{i}]"))).collect();
        let b: Vec<NetId> = (0..8).map(|i| p.net(format!("B[{i}]"))).collect();
        let o: Vec<NetId> = (0..16).map(|i| p.net(format!("O[{i}]"))).collect();
        for (i, &oi) in o.iter().enumerate().take(8) {
            p.drive(
                GateKind::And,
                vec![a[i], b[i]],
                oi,
                Loc {
                    file: 0,
                    line: 10 + i as u32,
                },
                format!("g{i}"),
            );
        }
        for &oi in &o[8..16] {
            p.drive(
                GateKind::Const0,
                vec![],
                oi,
                Loc { file: 0, line: 30 },
                "const",
            );
        }
        p.inputs.push(PartPort {
            bus: Bus {
                name: "A".into(),
                nets: a,
            },
            loc: Loc { file: 0, line: 2 },
        });
        p.inputs.push(PartPort {
            bus: Bus {
                name: "B".into(),
                nets: b,
            },
            loc: Loc { file: 0, line: 3 },
        });
        p.outputs.push(PartPort {
            bus: Bus {
                name: "O".into(),
                nets: o,
            },
            loc: Loc { file: 0, line: 4 },
        });
        p
    }

    fn err(p: Parts) -> String {
        from_parts(p, &Ports::default()).unwrap_err().to_string()
    }

    #[test]
    fn valid_parts_simulate_as_defined() {
        let n = from_parts(and_parts(), &Ports::default()).unwrap();
        check(&n).unwrap();
        let m = super::super::sim::exhaustive(&n, false).unwrap();
        assert_eq!(m, crate::errmap::ErrorMap::from_fn(false, |a, b| a & b));
    }

    #[test]
    fn multiply_driven_net_is_named_with_both_lines() {
        let mut p = and_parts();
        let (x, y) = (p.inputs[0].bus.nets[0], p.outputs[0].bus.nets[3]);
        p.drive(
            GateKind::Not,
            vec![x],
            y,
            Loc { file: 0, line: 40 },
            "instance u9 (INV)",
        );
        let e = err(p);
        assert!(
            e.contains("m.v:40")
                && e.contains("`O[3]`")
                && e.contains("multiply driven")
                && e.contains("m.v:13"),
            "{e}"
        );
    }

    #[test]
    fn undriven_net_is_named() {
        let mut p = and_parts();
        let w = p.net("N[7]");
        let o = p.outputs[0].bus.nets[2];
        p.gates.retain(|g| g.gate.output != o);
        p.drive(
            GateKind::Not,
            vec![w],
            o,
            Loc { file: 0, line: 50 },
            "assign",
        );
        let e = err(p);
        assert!(
            e.contains("m.v:50") && e.contains("`N[7]` is undriven"),
            "{e}"
        );
    }

    #[test]
    fn cycle_is_named() {
        let mut p = and_parts();
        let (x, y) = (p.net("x"), p.net("y"));
        p.drive(GateKind::Not, vec![x], y, Loc { file: 0, line: 60 }, "u1");
        p.drive(GateKind::Not, vec![y], x, Loc { file: 0, line: 61 }, "u2");
        let e = err(p);
        assert!(
            e.contains("cycle") && (e.contains("`x`") || e.contains("`y`")),
            "{e}"
        );
    }

    #[test]
    fn port_problems_are_named() {
        let mut p = and_parts();
        p.outputs[0].bus.nets.pop();
        let e = err(p);
        assert!(
            e.contains("m.v:4") && e.contains("`O` is 15 bits wide, expected 16"),
            "{e}"
        );
        let mut p = and_parts();
        p.inputs[1].bus.name = "W".into();
        assert!(err(p).contains("no input port `B`"));
        let n = from_parts(
            {
                let mut p = and_parts();
                p.inputs[0].bus.name = "X".into();
                p
            },
            &Ports::parse("X,B,O").unwrap(),
        )
        .unwrap();
        assert_eq!(n.inputs[0].name, "A");
    }

    #[test]
    fn buffers_collapse_and_dead_logic_goes() {
        let mut p = and_parts();
        let a0 = p.inputs[0].bus.nets[0];
        let t = p.net("t");
        let dead = p.net("dead");
        p.drive(GateKind::Not, vec![a0], dead, Loc::default(), "dead");
        let o8 = p.outputs[0].bus.nets[8];
        p.gates.retain(|g| g.gate.output != o8);
        p.drive(GateKind::Buf, vec![t], o8, Loc::default(), "buf");
        p.drive(GateKind::Not, vec![a0], t, Loc::default(), "inv");
        let n = from_parts(p, &Ports::default()).unwrap();
        assert!(n.gates.iter().all(|g| g.kind != GateKind::Buf));
        assert_eq!(
            n.gates.iter().filter(|g| g.kind == GateKind::Not).count(),
            1
        );
        let m = super::super::sim::exhaustive(&n, false).unwrap();
        assert_eq!(m.product(0, 0), 1 << 8);
        assert_eq!(m.product(1, 3), 1);
    }
}
