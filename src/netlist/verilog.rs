//! Writing a netlist back as structural Verilog (one `assign` per gate, a
//! module named after the netlist with ports `A`, `B` and `O`), the
//! exhaustive test bench that external simulators run on it, and the
//! reading of that test bench's output.

use super::Netlist;
use crate::error::{Error, Result};
use crate::tool::{self, Tool};
use std::path::Path;

/// Name of the module [`write()`] emits for `n`.
pub fn module_name(n: &Netlist) -> String {
    crate::netlist::module::file_of(n).1.to_string()
}

/// The structural Verilog module of `n` (one `assign` per gate), printed by
/// the one Verilog emitter in [`crate::rtl`].
pub fn write(n: &Netlist) -> String {
    crate::netlist::module::file_of(n).0
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
    tool::run(
        Tool::Iverilog,
        &["-g2005", "-o", "tb.vvp", "tb.v", "dut.v"],
        work,
        Some(&work.join("iverilog.log")),
    )?;
    let out = tool::run(
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
    use crate::netlist::GateKind;

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
    fn written_verilog_reimports_to_the_same_error_map() {
        let n = sample();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.v");
        std::fs::write(&p, write(&n)).unwrap();
        let back = import::load(&p, &ImportOptions::default()).unwrap();
        assert_eq!(back.importer, import::STRUCTURAL);
        assert_eq!(back.netlist.name, "n9_weird_name");
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
