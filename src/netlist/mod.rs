//! Gate-level netlists of multipliers: single-bit gates between named input
//! and output bit vectors (buses).
//!
//! A [`Netlist`] is always valid: every net has exactly one driver (an input
//! bit or one gate), there are no cycles, and `gates` is in topological
//! order, so simulation is one pass. Importers build one through
//! [`Builder`] or [`Netlist::from_parts`], which check these invariants and
//! name the offending net or cell.

pub mod import;
pub mod module;
pub mod sim;
pub mod validate;
pub mod verilog;
pub mod yosys_json;

pub use validate::{Loc, Parts, Ports};

use serde::{Deserialize, Serialize};

/// Index of a single-bit net.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NetId(pub u32);

/// The primitive single-bit cells.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GateKind {
    /// Constant 0 (no inputs).
    Const0,
    /// Constant 1 (no inputs).
    Const1,
    /// Buffer: `a`.
    Buf,
    /// Inverter: `!a`.
    Not,
    /// `a & b`.
    And,
    /// `a | b`.
    Or,
    /// `a ^ b`.
    Xor,
    /// `!(a & b)`.
    Nand,
    /// `!(a | b)`.
    Nor,
    /// `!(a ^ b)`.
    Xnor,
    /// `a & !b` (Yosys `$_ANDNOT_`).
    AndNot,
    /// `a | !b` (Yosys `$_ORNOT_`).
    OrNot,
    /// `s ? b : a`, inputs `[a, b, s]` (Yosys `$_MUX_`).
    Mux,
}

impl GateKind {
    /// Number of inputs.
    pub fn arity(self) -> usize {
        use GateKind::*;
        match self {
            Const0 | Const1 => 0,
            Buf | Not => 1,
            Mux => 3,
            _ => 2,
        }
    }

    /// Evaluate on 64 lanes at once.
    #[inline(always)]
    pub fn eval(self, a: u64, b: u64, s: u64) -> u64 {
        use GateKind::*;
        match self {
            Const0 => 0,
            Const1 => !0,
            Buf => a,
            Not => !a,
            And => a & b,
            Or => a | b,
            Xor => a ^ b,
            Nand => !(a & b),
            Nor => !(a | b),
            Xnor => !(a ^ b),
            AndNot => a & !b,
            OrNot => a | !b,
            Mux => (a & !s) | (b & s),
        }
    }

    /// Lower-case name, as used in reports and the Verilog writer.
    pub fn name(self) -> &'static str {
        use GateKind::*;
        match self {
            Const0 => "const0",
            Const1 => "const1",
            Buf => "buf",
            Not => "not",
            And => "and",
            Or => "or",
            Xor => "xor",
            Nand => "nand",
            Nor => "nor",
            Xnor => "xnor",
            AndNot => "andnot",
            OrNot => "ornot",
            Mux => "mux",
        }
    }
}

/// One gate: `output = kind(inputs[..arity])`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    /// Cell function.
    pub kind: GateKind,
    /// Input nets in pin order; only the first `arity` are used.
    pub inputs: Vec<NetId>,
    /// Driven net.
    pub output: NetId,
}

/// A named bit vector; `nets[0]` is bit 0 (the LSB).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bus {
    /// Bus name (the Verilog port name).
    pub name: String,
    /// Bit nets, LSB first.
    pub nets: Vec<NetId>,
}

/// A validated gate-level netlist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Netlist {
    /// Module name.
    pub name: String,
    /// Number of nets; net ids are `0..num_nets`.
    pub num_nets: u32,
    /// Input buses (`a`, `b` for a multiplier).
    pub inputs: Vec<Bus>,
    /// Output buses.
    pub outputs: Vec<Bus>,
    /// Topologically ordered.
    pub gates: Vec<Gate>,
    /// Optional names of nets (for error messages and the Verilog writer).
    #[serde(default)]
    pub net_names: Vec<Option<String>>,
}

impl Netlist {
    /// The input bus called `name`.
    pub fn input(&self, name: &str) -> Option<&Bus> {
        self.inputs.iter().find(|b| b.name == name)
    }
    /// The output bus called `name`.
    pub fn output(&self, name: &str) -> Option<&Bus> {
        self.outputs.iter().find(|b| b.name == name)
    }
    /// Check `parts` as an importer read them and build the normalized
    /// netlist (see [`validate`]); errors name file, line and net or cell.
    pub fn from_parts(parts: Parts, ports: &Ports) -> crate::Result<Netlist> {
        validate::from_parts(parts, ports)
    }

    /// Check the invariants of an existing netlist (e.g. one read from disk).
    pub fn check(&self) -> crate::Result<()> {
        validate::check(self)
    }

    /// Number of gates that are real cells (constants and buffers excluded).
    pub fn cell_count(&self) -> usize {
        self.gates
            .iter()
            .filter(|g| !matches!(g.kind, GateKind::Const0 | GateKind::Const1 | GateKind::Buf))
            .count()
    }
}

/// Builds a netlist gate by gate; gates are topologically ordered by
/// construction because a gate can only use nets that already exist.
#[derive(Clone, Debug)]
pub struct Builder {
    name: String,
    num_nets: u32,
    inputs: Vec<Bus>,
    outputs: Vec<Bus>,
    gates: Vec<Gate>,
    consts: [Option<NetId>; 2],
}

impl Builder {
    /// An empty netlist called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Builder {
            name: name.into(),
            num_nets: 0,
            inputs: vec![],
            outputs: vec![],
            gates: vec![],
            consts: [None, None],
        }
    }

    fn fresh(&mut self) -> NetId {
        let id = NetId(self.num_nets);
        self.num_nets += 1;
        id
    }

    /// Declare an input bus of `width` bits; returns its nets, LSB first.
    pub fn input(&mut self, name: &str, width: usize) -> Vec<NetId> {
        let nets: Vec<NetId> = (0..width).map(|_| self.fresh()).collect();
        self.inputs.push(Bus {
            name: name.to_string(),
            nets: nets.clone(),
        });
        nets
    }

    /// Declare an output bus driven by `nets`, LSB first.
    pub fn output(&mut self, name: &str, nets: Vec<NetId>) {
        self.outputs.push(Bus {
            name: name.to_string(),
            nets,
        });
    }

    /// Add a gate; panics if the arity is wrong (a generator bug, not user input).
    pub fn gate(&mut self, kind: GateKind, inputs: &[NetId]) -> NetId {
        assert_eq!(
            inputs.len(),
            kind.arity(),
            "{kind:?} takes {} inputs",
            kind.arity()
        );
        assert!(
            inputs.iter().all(|n| n.0 < self.num_nets),
            "gate input does not exist yet"
        );
        let output = self.fresh();
        self.gates.push(Gate {
            kind,
            inputs: inputs.to_vec(),
            output,
        });
        output
    }

    /// Constant 0 net (shared).
    pub fn zero(&mut self) -> NetId {
        if let Some(n) = self.consts[0] {
            return n;
        }
        let n = self.gate(GateKind::Const0, &[]);
        self.consts[0] = Some(n);
        n
    }
    /// Constant 1 net (shared).
    pub fn one(&mut self) -> NetId {
        if let Some(n) = self.consts[1] {
            return n;
        }
        let n = self.gate(GateKind::Const1, &[]);
        self.consts[1] = Some(n);
        n
    }
    /// Add an inverter; returns its output net.
    pub fn not(&mut self, a: NetId) -> NetId {
        self.gate(GateKind::Not, &[a])
    }
    /// Add an AND2 gate; returns its output net.
    pub fn and(&mut self, a: NetId, b: NetId) -> NetId {
        self.gate(GateKind::And, &[a, b])
    }
    /// Add an OR2 gate; returns its output net.
    pub fn or(&mut self, a: NetId, b: NetId) -> NetId {
        self.gate(GateKind::Or, &[a, b])
    }
    /// Add an XOR2 gate; returns its output net.
    pub fn xor(&mut self, a: NetId, b: NetId) -> NetId {
        self.gate(GateKind::Xor, &[a, b])
    }
    /// Add a NAND2 gate; returns its output net.
    pub fn nand(&mut self, a: NetId, b: NetId) -> NetId {
        self.gate(GateKind::Nand, &[a, b])
    }
    /// Add a NOR2 gate; returns its output net.
    pub fn nor(&mut self, a: NetId, b: NetId) -> NetId {
        self.gate(GateKind::Nor, &[a, b])
    }
    /// `s ? b : a`.
    pub fn mux(&mut self, a: NetId, b: NetId, s: NetId) -> NetId {
        self.gate(GateKind::Mux, &[a, b, s])
    }
    /// Half adder: `(sum, carry)`.
    pub fn half_adder(&mut self, a: NetId, b: NetId) -> (NetId, NetId) {
        (self.xor(a, b), self.and(a, b))
    }
    /// Full adder: `(sum, carry)`.
    pub fn full_adder(&mut self, a: NetId, b: NetId, c: NetId) -> (NetId, NetId) {
        let t = self.xor(a, b);
        let s = self.xor(t, c);
        let c1 = self.and(a, b);
        let c2 = self.and(t, c);
        (s, self.or(c1, c2))
    }

    /// Finish the netlist.
    pub fn build(self) -> Netlist {
        Netlist {
            name: self.name,
            num_nets: self.num_nets,
            inputs: self.inputs,
            outputs: self.outputs,
            gates: self.gates,
            net_names: vec![],
        }
    }
}
