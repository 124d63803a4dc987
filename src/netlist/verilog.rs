//! Writing a netlist back as structural Verilog (one `assign` per gate, a
//! module named after the netlist with ports `A`, `B` and `O`), the
//! exhaustive test bench that external simulators run on it, and the
//! reading of that test bench's output.

use super::{GateKind, NetId, Netlist};
use crate::eda::{self, Tool};
use crate::error::{Error, Result};
use std::fmt::Write as _;
use std::path::Path;

/// Verilog keywords a sanitized name must not collide with.
const KEYWORDS: &[&str] = &[
    "module",
    "endmodule",
    "input",
    "output",
    "inout",
    "wire",
    "reg",
    "assign",
    "always",
    "initial",
    "begin",
    "end",
    "if",
    "else",
    "case",
    "for",
    "and",
    "or",
    "xor",
    "nand",
    "nor",
    "xnor",
    "not",
    "buf",
    "integer",
    "parameter",
    "function",
    "task",
];

/// `name` as a legal Verilog identifier (letters, digits, `_`; not a keyword).
pub fn sanitize(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, "m_");
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// Name of the module [`write`] emits for `n`.
pub fn module_name(n: &Netlist) -> String {
    sanitize(&n.name)
}

/// The structural Verilog module of `n`.
pub fn write(n: &Netlist) -> String {
    // How to refer to each net: an input bit or the wire of its gate.
    let mut refs: Vec<String> = vec![String::new(); n.num_nets as usize];
    for bus in &n.inputs {
        for (i, x) in bus.nets.iter().enumerate() {
            refs[x.0 as usize] = format!("{}[{i}]", sanitize(&bus.name));
        }
    }
    for (k, g) in n.gates.iter().enumerate() {
        refs[g.output.0 as usize] = format!("n{k}");
    }
    let r = |x: NetId| refs[x.0 as usize].as_str();
    let mut v = String::new();
    let ports: Vec<String> = n
        .inputs
        .iter()
        .chain(&n.outputs)
        .map(|b| sanitize(&b.name))
        .collect();
    let _ = writeln!(
        v,
        "// Structural netlist `{}`: {} gates (written by codesign).",
        n.name,
        n.gates.len()
    );
    let _ = writeln!(v, "module {}({});", module_name(n), ports.join(", "));
    let mut i = 0;
    while i < n.inputs.len() {
        // Consecutive inputs of one width share a declaration.
        let w = n.inputs[i].nets.len();
        let mut j = i;
        while j < n.inputs.len() && n.inputs[j].nets.len() == w {
            j += 1;
        }
        let names: Vec<String> = n.inputs[i..j].iter().map(|b| sanitize(&b.name)).collect();
        let _ = writeln!(v, "  input [{}:0] {};", w.max(1) - 1, names.join(", "));
        i = j;
    }
    for b in &n.outputs {
        let _ = writeln!(
            v,
            "  output [{}:0] {};",
            b.nets.len().max(1) - 1,
            sanitize(&b.name)
        );
    }
    // One scalar wire per gate: simulators schedule scalar nets far
    // better than bits of one wide vector.
    for chunk in (0..n.gates.len()).collect::<Vec<_>>().chunks(16) {
        let names: Vec<String> = chunk.iter().map(|k| format!("n{k}")).collect();
        let _ = writeln!(v, "  wire {};", names.join(", "));
    }
    for (k, g) in n.gates.iter().enumerate() {
        let a = g.inputs.first().map(|&x| r(x)).unwrap_or("");
        let b = g.inputs.get(1).map(|&x| r(x)).unwrap_or("");
        let s = g.inputs.get(2).map(|&x| r(x)).unwrap_or("");
        let e = match g.kind {
            GateKind::Const0 => "1'b0".to_string(),
            GateKind::Const1 => "1'b1".to_string(),
            GateKind::Buf => a.to_string(),
            GateKind::Not => format!("~{a}"),
            GateKind::And => format!("{a} & {b}"),
            GateKind::Or => format!("{a} | {b}"),
            GateKind::Xor => format!("{a} ^ {b}"),
            GateKind::Nand => format!("~({a} & {b})"),
            GateKind::Nor => format!("~({a} | {b})"),
            GateKind::Xnor => format!("~({a} ^ {b})"),
            GateKind::AndNot => format!("{a} & ~{b}"),
            GateKind::OrNot => format!("{a} | ~{b}"),
            GateKind::Mux => format!("{s} ? {b} : {a}"),
        };
        let _ = writeln!(v, "  assign n{k} = {e};");
    }
    for bus in &n.outputs {
        for (i, &x) in bus.nets.iter().enumerate() {
            let _ = writeln!(v, "  assign {}[{i}] = {};", sanitize(&bus.name), r(x));
        }
    }
    v.push_str("endmodule\n");
    v
}

/// A test bench that applies all 65,536 operand pairs to module `module`
/// (ports `A`, `B`, `O`) in error-map order and prints each product as one
/// decimal line. Icarus and Verilator (`--binary --timing`) both run it.
pub fn testbench(module: &str) -> String {
    format!(
        "`timescale 1ns/1ps\n\
         module tb;\n\
         \x20 reg [7:0] A, B;\n\
         \x20 wire [15:0] O;\n\
         \x20 integer i;\n\
         \x20 {module} dut(.A(A), .B(B), .O(O));\n\
         \x20 initial begin\n\
         \x20   for (i = 0; i < 65536; i = i + 1) begin\n\
         \x20     A = i[15:8];\n\
         \x20     B = i[7:0];\n\
         \x20     #1 $display(\"%0d\", O);\n\
         \x20   end\n\
         \x20   $finish;\n\
         \x20 end\n\
         endmodule\n"
    )
}

/// Read the test bench's output: exactly 65,536 products.
pub fn parse_products(stdout: &str) -> Result<Vec<u16>> {
    let mut raw = Vec::with_capacity(65536);
    for (k, line) in stdout
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if line.starts_with("VCD") || line.contains("$finish") || line.starts_with("- ") {
            continue;
        }
        let v: u16 = line.parse().map_err(|_| {
            Error::tool(format!(
                "test bench output line {}: `{line}` is not a product",
                k + 1
            ))
        })?;
        raw.push(v);
    }
    if raw.len() != 65536 {
        return Err(Error::tool(format!(
            "test bench printed {} products, expected 65536",
            raw.len()
        )));
    }
    Ok(raw)
}

/// Simulate `n` exhaustively with Icarus Verilog in `work` (the module,
/// the test bench and the logs are left there); returns raw products.
pub fn simulate_iverilog(n: &Netlist, work: &Path) -> Result<Vec<u16>> {
    let module = module_name(n);
    crate::io::write_atomic(work.join("dut.v"), write(n).as_bytes())?;
    crate::io::write_atomic(work.join("tb.v"), testbench(&module).as_bytes())?;
    eda::run(
        Tool::Iverilog,
        &["-g2005", "-o", "tb.vvp", "tb.v", "dut.v"],
        work,
        Some(&work.join("iverilog.log")),
    )?;
    let out = eda::run(
        Tool::Vvp,
        &["-n", "tb.vvp"],
        work,
        Some(&work.join("vvp.log")),
    )?;
    parse_products(&out.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlist::import::{self, ImportOptions};
    use crate::netlist::sim::exhaustive;
    use crate::netlist::Builder;

    /// Every gate kind, a constant and a pass-through output bit.
    fn sample() -> Netlist {
        use GateKind::*;
        let mut b = Builder::new("9 weird-name");
        let a = b.input("A", 8);
        let x = b.input("B", 8);
        let mut outs = vec![a[0]];
        for (k, kind) in [
            Not, And, Or, Xor, Nand, Nor, Xnor, AndNot, OrNot, Mux, Const1, Const0, And, Or,
        ]
        .into_iter()
        .enumerate()
        {
            let ins = [a[k % 8], x[(k + 3) % 8], x[k % 8]];
            outs.push(b.gate(kind, &ins[..kind.arity()]));
        }
        let last = b.xor(outs[3], outs[9]);
        outs.push(last);
        b.output("O", outs);
        b.build()
    }

    #[test]
    fn sanitized_names() {
        assert_eq!(sanitize("9 weird-name"), "m_9_weird_name");
        assert_eq!(sanitize("module"), "module_");
        assert_eq!(sanitize("mul8u_1JFF"), "mul8u_1JFF");
    }

    #[test]
    fn written_verilog_reimports_to_the_same_error_map() {
        let n = sample();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.v");
        std::fs::write(&p, write(&n)).unwrap();
        let back = import::load(&p, &ImportOptions::default()).unwrap();
        assert_eq!(back.importer, import::STRUCTURAL);
        assert_eq!(back.netlist.name, "m_9_weird_name");
        for signed in [false, true] {
            assert_eq!(
                exhaustive(&back.netlist, signed).unwrap(),
                exhaustive(&n, signed).unwrap()
            );
        }
    }

    #[test]
    fn parse_products_counts_lines() {
        let text: String = (0..65536u32).map(|i| format!("{}\n", i & 0xffff)).collect();
        assert_eq!(parse_products(&text).unwrap()[65535], 65535);
        assert!(parse_products("1\n2\n")
            .unwrap_err()
            .to_string()
            .contains("printed 2 products"));
    }
}
