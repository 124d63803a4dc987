//! Cells a structural netlist may instantiate without defining them: the
//! combinational cells of published libraries, each a Boolean
//! function ([`Func`], Liberty syntax) over the cell's NAMED pins, plus the
//! cells of a user's `--liberty` file ([`CellSet`]). A pin the cell does
//! not have is an error. Positional connections follow each built-in
//! cell's port order as its library's Verilog model declares it
//! ([`CellDef::positional_order`]); a Liberty file gives no port order, so
//! its cells connect by pin name only. A module of the same name defined
//! in the netlist or in `--cells` wins over a library cell.
//!
//! Built-in libraries (cell name = base + drive suffix), each row checked
//! exhaustively against the library's own published function by
//! `tests/cells.rs`:
//! - [`EVOAPPROX`]: the 45 nm cells EvoApproxLib netlists instantiate
//!   (`AND2X1`, `FAX1`, ..., optionally prefixed `PDKGEN`): OSU FreePDK45
//!   names and pins; functions as EvoApproxLib's C models compute them,
//!   which agree with the OSU Liberty (`qflow-tech-osu018`) except for
//!   `MUX2X1`: EvoApprox's is `S ? B : A`, OSU's is `!(S ? A : B)`. A bare
//!   `MUX2X1` is therefore read only in a file that names EvoApproxLib
//!   (its licence header does), and refused elsewhere ([`CellSet::ambiguous`]): for a real
//!   OSU netlist, pass the OSU Liberty file with `--liberty`.
//! - [`NANGATE45`]: the NanGate / FreePDK45 Open Cell Library (`AOI21_X1`, ...).
//! - [`SKY130_HD`]: SkyWater sky130_fd_sc_hd (`sky130_fd_sc_hd__a21oi_1`, ...).
//! - [`SKY130_EF`]: efabless's physical-only sky130_ef_sc_hd cells
//!   (`sky130_ef_sc_hd__decap_12`, `__fill_8`, `__fakediode_2`).

use super::boolfn::Func;
use crate::netlist::{GateKind, NetId};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Something that can make gates (the elaborator).
pub trait Gates {
    /// Add a gate of `kind` on `inputs`; returns its output net.
    fn gate(&mut self, kind: GateKind, inputs: &[NetId]) -> NetId;
}

/// A combinational cell: named input pins and, per output pin, its function.
#[derive(Clone, Debug)]
pub struct CellDef {
    /// Name as instantiated (for built-ins: the table's base name).
    pub name: String,
    /// Library the definition comes from (`NanGate45`, a Liberty file, ...).
    pub library: String,
    /// Input pin names, in order.
    pub inputs: Vec<String>,
    /// Output pins, each with its Boolean function of the inputs.
    pub outputs: Vec<(String, Func)>,
    /// Power and ground pins (`VPWR`, `VGND`, ...): connections to them
    /// are accepted and carry no logic. For a built-in cell in the order
    /// its powered Verilog model lists them after the logic pins.
    pub power: Vec<String>,
    /// Why the cell cannot be simulated (a flip-flop or latch), if so.
    pub unusable: Option<String>,
    /// Port order of positional connections (built-in cells: their
    /// library's Verilog model; user-defined primitives: output first),
    /// power pins not included; `None` (Liberty cells): by pin name only.
    pub positional: Option<Vec<String>>,
}

impl CellDef {
    /// All pin names, inputs first.
    pub fn pins(&self) -> Vec<&str> {
        self.inputs
            .iter()
            .map(String::as_str)
            .chain(self.outputs.iter().map(|(o, _)| o.as_str()))
            .collect()
    }

    /// The pins `n` positional connections connect, in order. A cell with
    /// power pins has two Verilog models, one without them and a powered
    /// one listing them after the logic pins: up to the logic pins' count
    /// the connections are read by the first, at the full count by the
    /// second, and any count in between is refused as ambiguous.
    pub fn positional_order(&self, n: usize) -> std::result::Result<Vec<&str>, String> {
        let Some(order) = &self.positional else {
            let pin = self.pins().first().copied().unwrap_or("A");
            return Err(format!(
                "cell `{}` comes from the Liberty file {}, which gives no port order: connect its pins by name (`.{pin}(x)`)",
                self.name, self.library
            ));
        };
        let logic: Vec<&str> = order.iter().map(String::as_str).collect();
        let powered: Vec<&str> = logic
            .iter()
            .copied()
            .chain(self.power.iter().map(String::as_str))
            .collect();
        if n <= logic.len() {
            return Ok(logic);
        }
        if n == powered.len() {
            return Ok(powered);
        }
        let mut why = format!(
            "{n} positional connections, but the cell has {} ports ({})",
            logic.len(),
            logic.join(", ")
        );
        if !self.power.is_empty() {
            why = format!(
                "{why} and {} with power pins ({}): connect all of one list, or connect by pin name (`.{}(x)`)",
                powered.len(),
                powered.join(", "),
                powered[0]
            );
        }
        Err(why)
    }

    /// A Verilog model of the cell under the name `name` (for Yosys): its
    /// ports in positional order, power pins last.
    pub fn verilog_model(&self, name: &str) -> String {
        let mut pins = match &self.positional {
            Some(order) => order.iter().map(String::as_str).collect(),
            None => self.pins(),
        };
        pins.extend(self.power.iter().map(String::as_str));
        let mut s = format!("module {name}({});\n", pins.join(", "));
        for i in self.inputs.iter().chain(&self.power) {
            s += &format!("  input {i};\n");
        }
        for (o, f) in &self.outputs {
            s += &format!(
                "  output {o};\n  assign {o} = {};\n",
                f.verilog(&self.inputs)
            );
        }
        s + "endmodule\n"
    }
}

/// One row: base name, input pins, `(output pin, function)`.
type Row = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

/// A built-in library: its name, how instance names map to base names, rows.
pub struct Family {
    /// Library name as messages print it.
    pub library: &'static str,
    /// Base name of a cell name of this library (drive suffix removed).
    pub base: fn(&str) -> Option<&str>,
    /// The name of the cell of base `b` in the library's published files.
    pub published: fn(&str) -> String,
    /// The library's combinational cells.
    pub rows: &'static [Row],
    /// Power and ground pins of every cell (powered netlists connect them),
    /// in the order of the powered Verilog models.
    pub power: &'static [&'static str],
    /// Cells with other power pins than [`Family::power`], in their order.
    pub power_of: &'static [(&'static str, &'static [&'static str])],
    /// Whether the library's Verilog models list the output pins before
    /// the inputs (sky130) or after them (NanGate45, OSU, Yosys). Rows
    /// list inputs and outputs each in model order, so this gives each
    /// cell's positional port order (checked by `tests/cells.rs`).
    pub outputs_first: bool,
}

/// `name` without trailing digits and then `sep`, if both are there.
fn strip_drive<'a>(name: &'a str, sep: &str) -> Option<&'a str> {
    let digits = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if digits.len() == name.len() {
        return None;
    }
    digits.strip_suffix(sep).filter(|b| !b.is_empty())
}

/// EvoApprox8b's cells (OSU FreePDK45 names, `PDKGEN` prefix).
pub static EVOAPPROX: Family = Family {
    library: "EvoApprox8b 45nm (OSU FreePDK45 names)",
    base: |n| {
        let n = n.strip_prefix("PDKGEN").unwrap_or(n);
        // OSU's clock buffers are CLKBUF1..3, without the `X`.
        match n {
            "CLKBUF1" | "CLKBUF2" | "CLKBUF3" => Some("CLKBUF"),
            _ => strip_drive(n, "X"),
        }
    },
    // OSU has no BUFX1; its smallest buffer is BUFX2.
    published: |b| match b {
        "CLKBUF" => "CLKBUF1".into(),
        "BUF" => "BUFX2".into(),
        b => format!("{b}X1"),
    },
    power: &[],
    power_of: &[],
    outputs_first: false,
    rows: &[
        ("AND2", &["A", "B"], &[("Y", "A & B")]),
        ("AOI21", &["A", "B", "C"], &[("Y", "!((A & B) | C)")]),
        (
            "AOI22",
            &["A", "B", "C", "D"],
            &[("Y", "!((A & B) | (C & D))")],
        ),
        ("BUF", &["A"], &[("Y", "A")]),
        ("CLKBUF", &["A"], &[("Y", "A")]),
        ("INV", &["A"], &[("Y", "!A")]),
        ("NAND2", &["A", "B"], &[("Y", "!(A & B)")]),
        ("NAND3", &["A", "B", "C"], &[("Y", "!(A & B & C)")]),
        ("NOR2", &["A", "B"], &[("Y", "!(A | B)")]),
        ("NOR3", &["A", "B", "C"], &[("Y", "!(A | B | C)")]),
        ("OAI21", &["A", "B", "C"], &[("Y", "!((A | B) & C)")]),
        (
            "OAI22",
            &["A", "B", "C", "D"],
            &[("Y", "!((A | B) & (C | D))")],
        ),
        ("OR2", &["A", "B"], &[("Y", "A | B")]),
        ("XOR2", &["A", "B"], &[("Y", "A ^ B")]),
        ("XNOR2", &["A", "B"], &[("Y", "!(A ^ B)")]),
        ("MUX2", &["A", "B", "S"], &[("Y", "(S & B) | (!S & A)")]),
        ("HA", &["A", "B"], &[("YC", "A & B"), ("YS", "A ^ B")]),
        (
            "FA",
            &["A", "B", "C"],
            &[("YC", "(A & B) | (B & C) | (A & C)"), ("YS", "A ^ B ^ C")],
        ),
    ],
};

/// The NanGate45 (FreePDK45 Open Cell Library) cells.
pub static NANGATE45: Family = Family {
    library: "NanGate45 (FreePDK45 Open Cell Library)",
    base: |n| strip_drive(n, "_X"),
    published: |b| format!("{b}_X1"),
    power: &[],
    power_of: &[],
    outputs_first: false,
    rows: &[
        // Physical-only cells of placed-and-routed netlists: no logic.
        ("FILLCELL", &[], &[]),
        ("WELLTAP", &[], &[]),
        ("ANTENNA", &["A"], &[]),
        ("AND2", &["A1", "A2"], &[("ZN", "A1 & A2")]),
        ("AND3", &["A1", "A2", "A3"], &[("ZN", "A1 & A2 & A3")]),
        (
            "AND4",
            &["A1", "A2", "A3", "A4"],
            &[("ZN", "A1 & A2 & A3 & A4")],
        ),
        ("NAND2", &["A1", "A2"], &[("ZN", "!(A1 & A2)")]),
        ("NAND3", &["A1", "A2", "A3"], &[("ZN", "!(A1 & A2 & A3)")]),
        (
            "NAND4",
            &["A1", "A2", "A3", "A4"],
            &[("ZN", "!(A1 & A2 & A3 & A4)")],
        ),
        ("OR2", &["A1", "A2"], &[("ZN", "A1 | A2")]),
        ("OR3", &["A1", "A2", "A3"], &[("ZN", "A1 | A2 | A3")]),
        (
            "OR4",
            &["A1", "A2", "A3", "A4"],
            &[("ZN", "A1 | A2 | A3 | A4")],
        ),
        ("NOR2", &["A1", "A2"], &[("ZN", "!(A1 | A2)")]),
        ("NOR3", &["A1", "A2", "A3"], &[("ZN", "!(A1 | A2 | A3)")]),
        (
            "NOR4",
            &["A1", "A2", "A3", "A4"],
            &[("ZN", "!(A1 | A2 | A3 | A4)")],
        ),
        ("AOI21", &["A", "B1", "B2"], &[("ZN", "!(A | (B1 & B2))")]),
        (
            "AOI22",
            &["A1", "A2", "B1", "B2"],
            &[("ZN", "!((A1 & A2) | (B1 & B2))")],
        ),
        (
            "AOI211",
            &["A", "B", "C1", "C2"],
            &[("ZN", "!(A | B | (C1 & C2))")],
        ),
        (
            "AOI221",
            &["A", "B1", "B2", "C1", "C2"],
            &[("ZN", "!(A | (B1 & B2) | (C1 & C2))")],
        ),
        (
            "AOI222",
            &["A1", "A2", "B1", "B2", "C1", "C2"],
            &[("ZN", "!((A1 & A2) | (B1 & B2) | (C1 & C2))")],
        ),
        ("OAI21", &["A", "B1", "B2"], &[("ZN", "!(A & (B1 | B2))")]),
        (
            "OAI22",
            &["A1", "A2", "B1", "B2"],
            &[("ZN", "!((A1 | A2) & (B1 | B2))")],
        ),
        (
            "OAI211",
            &["A", "B", "C1", "C2"],
            &[("ZN", "!(A & B & (C1 | C2))")],
        ),
        (
            "OAI221",
            &["A", "B1", "B2", "C1", "C2"],
            &[("ZN", "!(A & (B1 | B2) & (C1 | C2))")],
        ),
        (
            "OAI222",
            &["A1", "A2", "B1", "B2", "C1", "C2"],
            &[("ZN", "!((A1 | A2) & (B1 | B2) & (C1 | C2))")],
        ),
        (
            "OAI33",
            &["A1", "A2", "A3", "B1", "B2", "B3"],
            &[("ZN", "!((A1 | A2 | A3) & (B1 | B2 | B3))")],
        ),
        ("INV", &["A"], &[("ZN", "!A")]),
        ("BUF", &["A"], &[("Z", "A")]),
        ("CLKBUF", &["A"], &[("Z", "A")]),
        ("XOR2", &["A", "B"], &[("Z", "A ^ B")]),
        ("XNOR2", &["A", "B"], &[("ZN", "!(A ^ B)")]),
        ("MUX2", &["A", "B", "S"], &[("Z", "(S & B) | (A & !S)")]),
        ("HA", &["A", "B"], &[("CO", "A & B"), ("S", "A ^ B")]),
        (
            "FA",
            &["A", "B", "CI"],
            &[("CO", "(A & B) | (CI & (A | B))"), ("S", "A ^ B ^ CI")],
        ),
        ("LOGIC0", &[], &[("Z", "0")]),
        ("LOGIC1", &[], &[("Z", "1")]),
    ],
};

/// SkyWater SKY130 high-density standard cells (`sky130_fd_sc_hd__*`).
pub static SKY130_HD: Family = Family {
    library: "sky130_fd_sc_hd",
    base: |n| strip_drive(n.strip_prefix("sky130_fd_sc_hd__")?, "_"),
    // A few cells come in other drives only.
    published: |b| {
        let drive = match b {
            "lpflow_isobufsrckapwr" => 16,
            "lpflow_lsbuf_lh_isowell" => 4,
            "bufbuf" | "bufinv" | "probe_p" | "probec_p" => 8,
            "clkinvlp" => 2,
            "decap" | "lpflow_decapkapwr" => 3,
            "diode" => 2,
            _ => 1,
        };
        format!("sky130_fd_sc_hd__{b}_{drive}")
    },
    power: &["VPWR", "VGND", "VPB", "VNB"],
    power_of: &[
        ("probe_p", &["VGND", "VNB", "VPB", "VPWR"]),
        ("probec_p", &["VGND", "VNB", "VPB", "VPWR"]),
        (
            "lpflow_clkbufkapwr",
            &["KAPWR", "VPWR", "VGND", "VPB", "VNB"],
        ),
        (
            "lpflow_clkinvkapwr",
            &["KAPWR", "VPWR", "VGND", "VPB", "VNB"],
        ),
        (
            "lpflow_isobufsrckapwr",
            &["KAPWR", "VPWR", "VGND", "VPB", "VNB"],
        ),
        (
            "lpflow_decapkapwr",
            &["VPWR", "KAPWR", "VGND", "VPB", "VNB"],
        ),
        (
            "lpflow_lsbuf_lh_isowell",
            &["LOWLVPWR", "VPWR", "VGND", "VPB", "VNB"],
        ),
        (
            "lpflow_lsbuf_lh_isowell_tap",
            &["LOWLVPWR", "VPWR", "VGND", "VPB"],
        ),
        (
            "lpflow_lsbuf_lh_hl_isowell_tap",
            &["VPWRIN", "VPWR", "VGND", "VPB"],
        ),
    ],
    outputs_first: true,
    rows: &[
        ("inv", &["A"], &[("Y", "!A")]),
        ("clkinv", &["A"], &[("Y", "!A")]),
        ("buf", &["A"], &[("X", "A")]),
        ("clkbuf", &["A"], &[("X", "A")]),
        ("bufbuf", &["A"], &[("X", "A")]),
        ("bufinv", &["A"], &[("Y", "!A")]),
        ("clkinvlp", &["A"], &[("Y", "!A")]),
        ("probe_p", &["A"], &[("X", "A")]),
        ("probec_p", &["A"], &[("X", "A")]),
        ("and2", &["A", "B"], &[("X", "A & B")]),
        ("and2b", &["A_N", "B"], &[("X", "!A_N & B")]),
        ("and3", &["A", "B", "C"], &[("X", "A & B & C")]),
        ("and3b", &["A_N", "B", "C"], &[("X", "!A_N & B & C")]),
        ("and4", &["A", "B", "C", "D"], &[("X", "A & B & C & D")]),
        ("nand2", &["A", "B"], &[("Y", "!(A & B)")]),
        ("nand2b", &["A_N", "B"], &[("Y", "!(!A_N & B)")]),
        ("nand3", &["A", "B", "C"], &[("Y", "!(A & B & C)")]),
        ("nand3b", &["A_N", "B", "C"], &[("Y", "!(!A_N & B & C)")]),
        ("nand4", &["A", "B", "C", "D"], &[("Y", "!(A & B & C & D)")]),
        ("or2", &["A", "B"], &[("X", "A | B")]),
        ("or2b", &["A", "B_N"], &[("X", "A | !B_N")]),
        ("or3", &["A", "B", "C"], &[("X", "A | B | C")]),
        ("or3b", &["A", "B", "C_N"], &[("X", "A | B | !C_N")]),
        ("or4", &["A", "B", "C", "D"], &[("X", "A | B | C | D")]),
        ("nor2", &["A", "B"], &[("Y", "!(A | B)")]),
        ("nor2b", &["A", "B_N"], &[("Y", "!(A | !B_N)")]),
        ("nor3", &["A", "B", "C"], &[("Y", "!(A | B | C)")]),
        ("nor3b", &["A", "B", "C_N"], &[("Y", "!(A | B | !C_N)")]),
        ("nor4", &["A", "B", "C", "D"], &[("Y", "!(A | B | C | D)")]),
        ("xor2", &["A", "B"], &[("X", "A ^ B")]),
        ("xnor2", &["A", "B"], &[("Y", "!(A ^ B)")]),
        ("xor3", &["A", "B", "C"], &[("X", "A ^ B ^ C")]),
        ("xnor3", &["A", "B", "C"], &[("X", "!(A ^ B ^ C)")]),
        ("a21o", &["A1", "A2", "B1"], &[("X", "(A1 & A2) | B1")]),
        ("a21oi", &["A1", "A2", "B1"], &[("Y", "!((A1 & A2) | B1)")]),
        (
            "a21boi",
            &["A1", "A2", "B1_N"],
            &[("Y", "!((A1 & A2) | !B1_N)")],
        ),
        (
            "a22o",
            &["A1", "A2", "B1", "B2"],
            &[("X", "(A1 & A2) | (B1 & B2)")],
        ),
        (
            "a22oi",
            &["A1", "A2", "B1", "B2"],
            &[("Y", "!((A1 & A2) | (B1 & B2))")],
        ),
        (
            "a211o",
            &["A1", "A2", "B1", "C1"],
            &[("X", "(A1 & A2) | B1 | C1")],
        ),
        (
            "a211oi",
            &["A1", "A2", "B1", "C1"],
            &[("Y", "!((A1 & A2) | B1 | C1)")],
        ),
        (
            "a31o",
            &["A1", "A2", "A3", "B1"],
            &[("X", "(A1 & A2 & A3) | B1")],
        ),
        (
            "a31oi",
            &["A1", "A2", "A3", "B1"],
            &[("Y", "!((A1 & A2 & A3) | B1)")],
        ),
        (
            "a32oi",
            &["A1", "A2", "A3", "B1", "B2"],
            &[("Y", "!((A1 & A2 & A3) | (B1 & B2))")],
        ),
        (
            "a221oi",
            &["A1", "A2", "B1", "B2", "C1"],
            &[("Y", "!((A1 & A2) | (B1 & B2) | C1)")],
        ),
        (
            "a2bb2oi",
            &["A1_N", "A2_N", "B1", "B2"],
            &[("Y", "!((!A1_N & !A2_N) | (B1 & B2))")],
        ),
        ("o21a", &["A1", "A2", "B1"], &[("X", "(A1 | A2) & B1")]),
        ("o21ai", &["A1", "A2", "B1"], &[("Y", "!((A1 | A2) & B1)")]),
        (
            "o21bai",
            &["A1", "A2", "B1_N"],
            &[("Y", "!((A1 | A2) & !B1_N)")],
        ),
        (
            "o22a",
            &["A1", "A2", "B1", "B2"],
            &[("X", "(A1 | A2) & (B1 | B2)")],
        ),
        (
            "o22ai",
            &["A1", "A2", "B1", "B2"],
            &[("Y", "!((A1 | A2) & (B1 | B2))")],
        ),
        (
            "o211a",
            &["A1", "A2", "B1", "C1"],
            &[("X", "(A1 | A2) & B1 & C1")],
        ),
        (
            "o211ai",
            &["A1", "A2", "B1", "C1"],
            &[("Y", "!((A1 | A2) & B1 & C1)")],
        ),
        (
            "o31ai",
            &["A1", "A2", "A3", "B1"],
            &[("Y", "!((A1 | A2 | A3) & B1)")],
        ),
        (
            "o2bb2ai",
            &["A1_N", "A2_N", "B1", "B2"],
            &[("Y", "!(!(A1_N & A2_N) & (B1 | B2))")],
        ),
        (
            "maj3",
            &["A", "B", "C"],
            &[("X", "(A & B) | (A & C) | (B & C)")],
        ),
        ("mux2", &["A0", "A1", "S"], &[("X", "(S & A1) | (!S & A0)")]),
        (
            "mux2i",
            &["A0", "A1", "S"],
            &[("Y", "!((S & A1) | (!S & A0))")],
        ),
        ("ha", &["A", "B"], &[("COUT", "A & B"), ("SUM", "A ^ B")]),
        (
            "fa",
            &["A", "B", "CIN"],
            &[
                ("COUT", "(A & B) | (A & CIN) | (B & CIN)"),
                ("SUM", "A ^ B ^ CIN"),
            ],
        ),
        ("conb", &[], &[("HI", "1"), ("LO", "0")]),
        // Physical-only cells of placed-and-routed netlists: no logic.
        ("fill", &[], &[]),
        ("decap", &[], &[]),
        ("tap", &[], &[]),
        ("tapvgnd", &[], &[]),
        ("tapvgnd2", &[], &[]),
        ("tapvpwrvgnd", &[], &[]),
        ("diode", &["DIODE"], &[]),
        ("lpflow_decapkapwr", &[], &[]),
        ("lpflow_bleeder", &["SHORT"], &[]),
        // Low-power flow cells: isolation, keep-alive clock, level shifters.
        ("lpflow_clkbufkapwr", &["A"], &[("X", "A")]),
        ("lpflow_clkinvkapwr", &["A"], &[("Y", "!A")]),
        (
            "lpflow_inputiso0n",
            &["A", "SLEEP_B"],
            &[("X", "A & SLEEP_B")],
        ),
        ("lpflow_inputiso0p", &["A", "SLEEP"], &[("X", "A & !SLEEP")]),
        (
            "lpflow_inputiso1n",
            &["A", "SLEEP_B"],
            &[("X", "A | !SLEEP_B")],
        ),
        ("lpflow_inputiso1p", &["A", "SLEEP"], &[("X", "A | SLEEP")]),
        ("lpflow_isobufsrc", &["SLEEP", "A"], &[("X", "!SLEEP & A")]),
        (
            "lpflow_isobufsrckapwr",
            &["SLEEP", "A"],
            &[("X", "!SLEEP & A")],
        ),
        ("lpflow_lsbuf_lh_isowell", &["A"], &[("X", "A")]),
        ("lpflow_lsbuf_lh_isowell_tap", &["A"], &[("X", "A")]),
        ("lpflow_lsbuf_lh_hl_isowell_tap", &["A"], &[("X", "A")]),
        (
            "a2111o",
            &["A1", "A2", "B1", "C1", "D1"],
            &[("X", "(A1 & A2) | B1 | C1 | D1")],
        ),
        (
            "a2111oi",
            &["A1", "A2", "B1", "C1", "D1"],
            &[("Y", "!((A1 & A2) | B1 | C1 | D1)")],
        ),
        (
            "a21bo",
            &["A1", "A2", "B1_N"],
            &[("X", "(A1 & A2) | !B1_N")],
        ),
        (
            "a221o",
            &["A1", "A2", "B1", "B2", "C1"],
            &[("X", "(A1 & A2) | (B1 & B2) | C1")],
        ),
        (
            "a222oi",
            &["A1", "A2", "B1", "B2", "C1", "C2"],
            &[("Y", "!((A1 & A2) | (B1 & B2) | (C1 & C2))")],
        ),
        (
            "a2bb2o",
            &["A1_N", "A2_N", "B1", "B2"],
            &[("X", "(!A1_N & !A2_N) | (B1 & B2)")],
        ),
        (
            "a311o",
            &["A1", "A2", "A3", "B1", "C1"],
            &[("X", "(A1 & A2 & A3) | B1 | C1")],
        ),
        (
            "a311oi",
            &["A1", "A2", "A3", "B1", "C1"],
            &[("Y", "!((A1 & A2 & A3) | B1 | C1)")],
        ),
        (
            "a32o",
            &["A1", "A2", "A3", "B1", "B2"],
            &[("X", "(A1 & A2 & A3) | (B1 & B2)")],
        ),
        (
            "a41o",
            &["A1", "A2", "A3", "A4", "B1"],
            &[("X", "(A1 & A2 & A3 & A4) | B1")],
        ),
        (
            "a41oi",
            &["A1", "A2", "A3", "A4", "B1"],
            &[("Y", "!((A1 & A2 & A3 & A4) | B1)")],
        ),
        (
            "o2111a",
            &["A1", "A2", "B1", "C1", "D1"],
            &[("X", "(A1 | A2) & B1 & C1 & D1")],
        ),
        (
            "o2111ai",
            &["A1", "A2", "B1", "C1", "D1"],
            &[("Y", "!((A1 | A2) & B1 & C1 & D1)")],
        ),
        (
            "o21ba",
            &["A1", "A2", "B1_N"],
            &[("X", "(A1 | A2) & !B1_N")],
        ),
        (
            "o221a",
            &["A1", "A2", "B1", "B2", "C1"],
            &[("X", "(A1 | A2) & (B1 | B2) & C1")],
        ),
        (
            "o221ai",
            &["A1", "A2", "B1", "B2", "C1"],
            &[("Y", "!((A1 | A2) & (B1 | B2) & C1)")],
        ),
        (
            "o2bb2a",
            &["A1_N", "A2_N", "B1", "B2"],
            &[("X", "!(A1_N & A2_N) & (B1 | B2)")],
        ),
        (
            "o311a",
            &["A1", "A2", "A3", "B1", "C1"],
            &[("X", "(A1 | A2 | A3) & B1 & C1")],
        ),
        (
            "o311ai",
            &["A1", "A2", "A3", "B1", "C1"],
            &[("Y", "!((A1 | A2 | A3) & B1 & C1)")],
        ),
        (
            "o31a",
            &["A1", "A2", "A3", "B1"],
            &[("X", "(A1 | A2 | A3) & B1")],
        ),
        (
            "o32a",
            &["A1", "A2", "A3", "B1", "B2"],
            &[("X", "(A1 | A2 | A3) & (B1 | B2)")],
        ),
        (
            "o32ai",
            &["A1", "A2", "A3", "B1", "B2"],
            &[("Y", "!((A1 | A2 | A3) & (B1 | B2))")],
        ),
        (
            "o41a",
            &["A1", "A2", "A3", "A4", "B1"],
            &[("X", "(A1 | A2 | A3 | A4) & B1")],
        ),
        (
            "o41ai",
            &["A1", "A2", "A3", "A4", "B1"],
            &[("Y", "!((A1 | A2 | A3 | A4) & B1)")],
        ),
        (
            "or4b",
            &["A", "B", "C", "D_N"],
            &[("X", "A | B | C | !D_N")],
        ),
        (
            "or4bb",
            &["A", "B", "C_N", "D_N"],
            &[("X", "A | B | !C_N | !D_N")],
        ),
        (
            "nor4b",
            &["A", "B", "C", "D_N"],
            &[("Y", "!(A | B | C | !D_N)")],
        ),
        (
            "nor4bb",
            &["A", "B", "C_N", "D_N"],
            &[("Y", "!(A | B | !C_N | !D_N)")],
        ),
        (
            "mux4",
            &["A0", "A1", "A2", "A3", "S0", "S1"],
            &[(
                "X",
                "(!S1 & !S0 & A0) | (!S1 & S0 & A1) | (S1 & !S0 & A2) | (S1 & S0 & A3)",
            )],
        ),
        (
            "fah",
            &["A", "B", "CI"],
            &[
                ("COUT", "(A & B) | (A & CI) | (B & CI)"),
                ("SUM", "A ^ B ^ CI"),
            ],
        ),
        (
            "fahcin",
            &["A", "B", "CIN"],
            &[
                ("COUT", "(A & B) | (A & !CIN) | (B & !CIN)"),
                ("SUM", "!(A ^ B ^ CIN)"),
            ],
        ),
        (
            "fahcon",
            &["A", "B", "CI"],
            &[
                ("COUT_N", "!((A & B) | (A & CI) | (B & CI))"),
                ("SUM", "A ^ B ^ CI"),
            ],
        ),
        // Delay and clock-delay buffers (hold fixing).
        ("dlygate4sd1", &["A"], &[("X", "A")]),
        ("dlygate4sd2", &["A"], &[("X", "A")]),
        ("dlygate4sd3", &["A"], &[("X", "A")]),
        ("clkdlybuf4s15", &["A"], &[("X", "A")]),
        ("clkdlybuf4s18", &["A"], &[("X", "A")]),
        ("clkdlybuf4s25", &["A"], &[("X", "A")]),
        ("clkdlybuf4s50", &["A"], &[("X", "A")]),
        ("dlymetal6s2s", &["A"], &[("X", "A")]),
        ("dlymetal6s4s", &["A"], &[("X", "A")]),
        ("dlymetal6s6s", &["A"], &[("X", "A")]),
    ],
};

/// efabless's sky130_ef_sc_hd cells (open_pdks): wrappers of
/// sky130_fd_sc_hd's physical-only cells that placed-and-routed sky130
/// netlists list next to the logic (`sky130_ef_sc_hd__decap_12`,
/// `__fill_4`/`_8`/`_12`, `__fakediode_2` over `diode`): no logic.
pub static SKY130_EF: Family = Family {
    library: "sky130_ef_sc_hd",
    base: |n| strip_drive(n.strip_prefix("sky130_ef_sc_hd__")?, "_"),
    published: |b| format!("sky130_ef_sc_hd__{b}"),
    power: &["VPWR", "VGND", "VPB", "VNB"],
    power_of: &[],
    outputs_first: true,
    rows: &[
        ("decap", &[], &[]),
        ("fill", &[], &[]),
        ("fakediode", &["DIODE"], &[]),
    ],
};

/// Yosys's internal single-bit gate cells, as `write_verilog -noexpr` and
/// `write_json` name them (`$_AND_`, `$_AOI3_`, ...; functions as in
/// Yosys's `simcells.v`). Not a library of its own: [`CellSet::get`] and
/// the Yosys JSON reader fall back to it.
pub static YOSYS_GATES: Family = Family {
    library: "Yosys internal gate cells",
    base: |n| Some(n).filter(|n| n.starts_with("$_") && n.ends_with('_')),
    published: |b| b.to_string(),
    power: &[],
    power_of: &[],
    outputs_first: false,
    rows: &[
        ("$_BUF_", &["A"], &[("Y", "A")]),
        ("$_NOT_", &["A"], &[("Y", "!A")]),
        ("$_AND_", &["A", "B"], &[("Y", "A & B")]),
        ("$_NAND_", &["A", "B"], &[("Y", "!(A & B)")]),
        ("$_OR_", &["A", "B"], &[("Y", "A | B")]),
        ("$_NOR_", &["A", "B"], &[("Y", "!(A | B)")]),
        ("$_XOR_", &["A", "B"], &[("Y", "A ^ B")]),
        ("$_XNOR_", &["A", "B"], &[("Y", "!(A ^ B)")]),
        ("$_ANDNOT_", &["A", "B"], &[("Y", "A & !B")]),
        ("$_ORNOT_", &["A", "B"], &[("Y", "A | !B")]),
        ("$_MUX_", &["A", "B", "S"], &[("Y", "(S & B) | (!S & A)")]),
        (
            "$_NMUX_",
            &["A", "B", "S"],
            &[("Y", "!((S & B) | (!S & A))")],
        ),
        ("$_AOI3_", &["A", "B", "C"], &[("Y", "!((A & B) | C)")]),
        ("$_OAI3_", &["A", "B", "C"], &[("Y", "!((A | B) & C)")]),
        (
            "$_AOI4_",
            &["A", "B", "C", "D"],
            &[("Y", "!((A & B) | (C & D))")],
        ),
        (
            "$_OAI4_",
            &["A", "B", "C", "D"],
            &[("Y", "!((A | B) & (C | D))")],
        ),
        (
            "$_MUX4_",
            &["A", "B", "C", "D", "S", "T"],
            &[(
                "Y",
                "(!T & !S & A) | (!T & S & B) | (T & !S & C) | (T & S & D)",
            )],
        ),
    ],
};

/// The Yosys internal gate cell `name` ([`YOSYS_GATES`]), if it is one.
pub fn yosys_gate(name: &str) -> Option<&'static CellDef> {
    static DEFS: OnceLock<Vec<CellDef>> = OnceLock::new();
    let base = (YOSYS_GATES.base)(name)?;
    DEFS.get_or_init(|| {
        YOSYS_GATES
            .rows
            .iter()
            .map(|r| def_of(&YOSYS_GATES, r))
            .collect()
    })
    .iter()
    .find(|d| d.name == base)
}

/// Why a cell of a built-in library that has no row cannot be read, if
/// `name` is one: flip-flops, latches and clock gates store state,
/// tristate buffers have no 0/1 function.
pub fn unsupported(name: &str) -> Option<String> {
    let state = "flip-flop, latch or clock gate: only combinational multipliers are supported";
    let tri = "tristate buffer: only combinational 0/1 logic is supported";
    let (library, why) = if let Some(b) = (NANGATE45.base)(name) {
        let why = match b {
            "TBUF" | "TINV" => tri,
            b if b.starts_with("DFF")
                || b.starts_with("SDFF")
                || b.starts_with("CLKGATE")
                || matches!(b, "DLH" | "DLL" | "TLAT") =>
            {
                state
            }
            _ => return None,
        };
        (NANGATE45.library, why)
    } else if let Some(b) = (SKY130_HD.base)(name) {
        let why = match b {
            "ebufn" | "einvn" | "einvp" => tri,
            "lpflow_inputisolatch" => state,
            b if ["df", "sdf", "edf", "sedf", "dl", "sdl"]
                .iter()
                .any(|p| b.starts_with(p)) =>
            {
                state
            }
            _ => return None,
        };
        (SKY130_HD.library, why)
    } else {
        let b = name.strip_prefix("PDKGEN").unwrap_or(name);
        let why = if b.starts_with("TBUFX") {
            tri
        } else if b.starts_with("DFFPOSX")
            || b.starts_with("DFFNEGX")
            || b == "DFFSR"
            || b == "LATCH"
        {
            state
        } else {
            return None;
        };
        ("OSU FreePDK45 / osu018", why)
    };
    let a = if library.starts_with('O') { "an" } else { "a" };
    Some(format!("`{name}` is {a} {library} {why}"))
}

/// Every built-in library.
pub fn families() -> [&'static Family; 4] {
    [&EVOAPPROX, &NANGATE45, &SKY130_HD, &SKY130_EF]
}

/// Build the definition of one table row (a table typo is a bug: panic).
fn def_of(family: &Family, row: &Row) -> CellDef {
    let (base, inputs, outputs) = *row;
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let outs: Vec<&str> = outputs.iter().map(|(o, _)| *o).collect();
    let order = if family.outputs_first {
        [&outs[..], inputs].concat()
    } else {
        [inputs, &outs[..]].concat()
    };
    let power = family
        .power_of
        .iter()
        .find(|(b, _)| *b == base)
        .map_or(family.power, |(_, p)| *p);
    CellDef {
        name: base.to_string(),
        library: family.library.to_string(),
        inputs: names(inputs),
        outputs: outputs
            .iter()
            .map(|(o, f)| {
                let f = Func::parse(f, inputs)
                    .unwrap_or_else(|e| panic!("built-in cell {base}.{o}: {e}"));
                (o.to_string(), f)
            })
            .collect(),
        power: names(power),
        unusable: None,
        positional: Some(names(&order)),
    }
}

/// The cell a combinational user-defined primitive defines: its output is
/// 1 where a table row with output `1` matches, 0 where one with output `0`
/// does (rows mentioning `x` never match 0/1 inputs). An input combination
/// no row covers would give `x`, so it is an error naming it.
pub fn udp_def(m: &super::parse::Module, library: &str) -> Result<CellDef, String> {
    use super::parse::Dir;
    let rows = m.table.as_deref().unwrap_or_default();
    let out = m.ports.first().ok_or("a primitive needs an output")?;
    if m.decls.iter().find(|d| &d.name == out).map(|d| d.dir) != Some(Dir::Output) {
        return Err(format!(
            "primitive `{}`: its first port `{out}` must be the output",
            m.name
        ));
    }
    let inputs: Vec<String> = m.ports[1..].to_vec();
    let n = inputs.len();
    if n > 12 {
        return Err(format!("primitive `{}`: {n} inputs (at most 12)", m.name));
    }
    let mut ones = vec![];
    let mut zeros = vec![];
    for (ins, o) in rows {
        let levels: Vec<char> = ins.chars().filter(|c| !c.is_whitespace()).collect();
        if levels.len() != n {
            return Err(format!(
                "primitive `{}`: table row `{ins} : {o}` has {} input levels for {n} inputs",
                m.name,
                levels.len()
            ));
        }
        if levels.iter().any(|c| matches!(c, 'x' | 'X')) {
            continue;
        }
        let cube: Vec<Option<bool>> = levels
            .iter()
            .map(|c| match c {
                '0' => Some(false),
                '1' => Some(true),
                _ => None,
            })
            .collect();
        match o {
            '1' => ones.push(cube),
            '0' => zeros.push(cube),
            _ => {}
        }
    }
    let hit = |cubes: &[Vec<Option<bool>>], x: u64| {
        cubes.iter().any(|c| {
            c.iter()
                .enumerate()
                .all(|(k, v)| v.is_none_or(|v| (x >> k & 1 == 1) == v))
        })
    };
    for x in 0..1u64 << n {
        let (one, zero) = (hit(&ones, x), hit(&zeros, x));
        if one == zero {
            let at: Vec<String> = inputs
                .iter()
                .enumerate()
                .map(|(k, p)| format!("{p}={}", x >> k & 1))
                .collect();
            return Err(format!(
                "primitive `{}`: inputs {} {}",
                m.name,
                at.join(" "),
                if one {
                    "match rows with output 0 and 1"
                } else {
                    "match no table row (output x)"
                }
            ));
        }
    }
    // Sum of the rows with output 1.
    let mut f = Func::Const(false);
    for c in &ones {
        let mut t = Func::Const(true);
        for (k, v) in c.iter().enumerate() {
            if let Some(v) = v {
                let lit = if *v {
                    Func::Pin(k)
                } else {
                    Func::Not(Box::new(Func::Pin(k)))
                };
                t = Func::And(Box::new(t), Box::new(lit));
            }
        }
        f = Func::Or(Box::new(f), Box::new(t));
    }
    Ok(CellDef {
        name: m.name.clone(),
        library: library.to_string(),
        inputs,
        outputs: vec![(out.clone(), f)],
        power: vec![],
        unusable: None,
        positional: Some(m.ports.clone()),
    })
}

/// The parsed rows of each family, in [`families`] order.
pub fn builtin_defs() -> &'static [Vec<CellDef>] {
    static DEFS: OnceLock<Vec<Vec<CellDef>>> = OnceLock::new();
    DEFS.get_or_init(|| {
        families()
            .iter()
            .map(|f| f.rows.iter().map(|r| def_of(f, r)).collect())
            .collect()
    })
}

/// The built-in cell called `name` (exact, case-sensitive), if any.
pub fn builtin(name: &str) -> Option<&'static CellDef> {
    families().iter().zip(builtin_defs()).find_map(|(f, defs)| {
        let base = (f.base)(name)?;
        defs.iter().find(|d| d.name == base)
    })
}

/// Cells known to an import: a user's Liberty cells, then the built-ins.
#[derive(Clone, Debug, Default)]
pub struct CellSet {
    /// User-defined primitives of the netlist and `--cells` files.
    pub udps: HashMap<String, CellDef>,
    /// Cells read from `--liberty`, by exact name.
    pub liberty: HashMap<String, CellDef>,
    /// The netlist says it comes from EvoApproxLib: a bare `MUX2X1` is
    /// EvoApprox's non-inverting one (see [`CellSet::ambiguous`]).
    pub evoapprox: bool,
}

impl CellSet {
    /// The definition of cell `name`.
    pub fn get(&self, name: &str) -> Option<&CellDef> {
        self.udps
            .get(name)
            .or_else(|| self.liberty.get(name))
            .or_else(|| builtin(name))
            .or_else(|| yosys_gate(name))
    }

    /// Why the built-in reading of cell `name` cannot be trusted, if so:
    /// a bare OSU-named `MUX2X1` (any drive) is `S ? B : A` in EvoApprox8b
    /// netlists but inverting in the OSU FreePDK45 / osu018 libraries that
    /// Yosys and OpenROAD flows map to, so outside an EvoApproxLib file
    /// (and without `--liberty` or `--cells` defining it) it is refused
    /// rather than guessed.
    pub fn ambiguous(&self, name: &str) -> Option<String> {
        if self.evoapprox || self.udps.contains_key(name) || self.liberty.contains_key(name) {
            return None;
        }
        let base = (EVOAPPROX.base)(name)?;
        if base != "MUX2"
            || name.starts_with("PDKGEN")
            || builtin(name)?.library != EVOAPPROX.library
        {
            return None;
        }
        Some(format!(
            "cell `{name}` is ambiguous: EvoApprox8b netlists use it as `S ? B : A`, the OSU FreePDK45 / osu018 libraries as `!(S ? A : B)`; for an OSU-mapped netlist pass the library with --liberty (e.g. osu018_stdcells.lib), for an EvoApprox8b one keep its EvoApproxLib licence header"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_their_library() {
        for (name, lib, base) in [
            ("HAX1", "EvoApprox", "HA"),
            ("PDKGENFAX1", "EvoApprox", "FA"),
            ("PDKGENNAND2X1", "EvoApprox", "NAND2"),
            ("MUX2X1", "EvoApprox", "MUX2"),
            ("INVX4", "EvoApprox", "INV"),
            ("AOI21_X1", "NanGate45", "AOI21"),
            ("FA_X1", "NanGate45", "FA"),
            ("NAND3_X2", "NanGate45", "NAND3"),
            ("sky130_fd_sc_hd__nand2_1", "sky130", "nand2"),
            ("sky130_fd_sc_hd__a21oi_4", "sky130", "a21oi"),
        ] {
            let d = builtin(name).unwrap_or_else(|| panic!("{name}"));
            assert!(
                d.library.starts_with(lib) && d.name == base,
                "{name}: {d:?}"
            );
        }
        for name in [
            "MYHA", "NAND2", "xnor2", "NAND2Y", "ADDER", "AOI21_X", "HA_1", "nand2_1",
        ] {
            assert!(builtin(name).is_none(), "{name}");
        }
    }

    #[test]
    fn aoi21_x1_is_a_or_b1_and_b2_inverted() {
        // ZN = !(A | (B1 & B2)); pins in the table's order A, B1, B2.
        let d = builtin("AOI21_X1").unwrap();
        let f = &d.outputs[0].1;
        for x in 0..8u64 {
            let (a, b1, b2) = (x & 1 == 1, x >> 1 & 1 == 1, x >> 2 & 1 == 1);
            assert_eq!(f.eval(x), !(a || (b1 && b2)), "{x}");
        }
    }

    #[test]
    fn udp_tables_become_functions_and_gaps_are_errors() {
        let parse = |t: &str| {
            let toks = super::super::lex::lex(t, std::path::Path::new("u.v")).unwrap();
            super::super::parse::parse(&toks).unwrap().remove(0)
        };
        let m = parse(
            "primitive mux(o, a, b, s); output o; input a, b, s;\n\
             table 0 ? 0 : 0; 1 ? 0 : 1; ? 0 1 : 0; ? 1 1 : 1; x x x : x; endtable endprimitive",
        );
        let d = udp_def(&m, "u.v").unwrap();
        assert_eq!(d.positional.as_deref().unwrap(), ["o", "a", "b", "s"]);
        for x in 0..8u64 {
            let (a, b, s) = (x & 1 == 1, x & 2 != 0, x & 4 != 0);
            assert_eq!(d.outputs[0].1.eval(x), if s { b } else { a }, "{x}");
        }
        let m = parse("primitive g(o, a, b); output o; input a, b; table 0 0 : 0; 1 1 : 1; 0 1 : 0; endtable endprimitive");
        let e = udp_def(&m, "u.v").unwrap_err();
        assert!(e.contains("a=1 b=0 match no table row"), "{e}");
    }

    #[test]
    fn verilog_model_names_pins() {
        let m = builtin("HA_X1").unwrap().verilog_model("HA_X1");
        assert!(m.contains("module HA_X1(A, B, CO, S);"), "{m}");
        assert!(m.contains("assign CO = (A & B);"), "{m}");
    }
}
