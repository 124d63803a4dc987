//! The one pretty-printer: turns the AST into Verilog-2005 text. Every
//! binary and conditional expression is parenthesized, so precedence never
//! depends on the reader.

use super::ast::*;
use std::fmt::{self, Display, Write};

fn width_decl(w: u32) -> String {
    if w == 1 {
        String::new()
    } else {
        format!("[{}:0] ", w - 1)
    }
}

impl Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            Value::Str(s) => {
                f.write_char('"')?;
                for c in s.chars() {
                    match c {
                        '"' => f.write_str("\\\"")?,
                        '\\' => f.write_str("\\\\")?,
                        c => f.write_char(c)?,
                    }
                }
                f.write_char('"')
            }
        }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Ref(n) => write!(f, "{n}"),
            Expr::Bit(n, b) => write!(f, "{n}[{b}]"),
            Expr::Slice(n, hi, lo) => write!(f, "{n}[{hi}:{lo}]"),
            Expr::Const { width, value } => {
                if *width <= 4 {
                    write!(f, "{width}'b{value:0w$b}", w = *width as usize)
                } else {
                    write!(f, "{width}'d{value}")
                }
            }
            Expr::Unary(UnOp::Not, a) => write!(f, "~{a}"),
            Expr::Binary(op, a, b) => {
                let o = match op {
                    BinOp::And => "&",
                    BinOp::Or => "|",
                    BinOp::Xor => "^",
                    BinOp::Eq => "==",
                    BinOp::Shr => ">>",
                };
                write!(f, "({a} {o} {b})")
            }
            Expr::Cond(c, t, e) => write!(f, "({c} ? {t} : {e})"),
            Expr::Concat(parts) => {
                f.write_char('{')?;
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{p}")?;
                }
                f.write_char('}')
            }
            Expr::Index(m, a) => write!(f, "{m}[{a}]"),
        }
    }
}

fn print_instance(f: &mut fmt::Formatter<'_>, i: &Instance) -> fmt::Result {
    write!(f, "  {}", i.module)?;
    if !i.params.is_empty() {
        f.write_str(" #(\n")?;
        for (k, p) in i.params.iter().enumerate() {
            let sep = if k + 1 < i.params.len() { "," } else { "" };
            writeln!(f, "    .{}({}){sep}", p.name, p.value)?;
        }
        f.write_str("  )")?;
    }
    write!(f, " {} (", i.name)?;
    if i.conns.is_empty() {
        return f.write_str(");\n");
    }
    f.write_char('\n')?;
    for (k, c) in i.conns.iter().enumerate() {
        let sep = if k + 1 < i.conns.len() { "," } else { "" };
        writeln!(f, "    .{}({}){sep}", c.name, c.value)?;
    }
    f.write_str("  );\n")
}

impl Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.doc {
            writeln!(f, "// {d}")?;
        }
        write!(f, "module {}", self.name)?;
        if !self.params.is_empty() {
            f.write_str(" #(\n")?;
            for (k, p) in self.params.iter().enumerate() {
                let sep = if k + 1 < self.params.len() { "," } else { "" };
                writeln!(f, "  parameter {} = {}{sep}", p.name, p.value)?;
            }
            f.write_char(')')?;
        }
        f.write_str(" (\n")?;
        for (k, p) in self.ports.iter().enumerate() {
            let dir = match p.dir {
                Dir::Input => "input  wire",
                Dir::Output => "output wire",
            };
            let sep = if k + 1 < self.ports.len() { "," } else { "" };
            writeln!(f, "  {dir} {}{}{sep}", width_decl(p.width), p.name)?;
        }
        f.write_str(");\n")?;
        for item in &self.items {
            match item {
                Item::Comment(t) => writeln!(f, "  // {t}")?,
                Item::Wire { name, width } => writeln!(f, "  wire {}{name};", width_decl(*width))?,
                Item::Assign { lhs, rhs } => writeln!(f, "  assign {lhs} = {rhs};")?,
                Item::Instance(i) => print_instance(f, i)?,
                Item::Reg { name, width } => writeln!(f, "  reg {}{name};", width_decl(*width))?,
                Item::Memory {
                    name,
                    width,
                    depth,
                    init,
                } => {
                    writeln!(f, "  reg {}{name} [0:{}];", width_decl(*width), depth - 1)?;
                    if let Some(file) = init {
                        let file = Value::Str(file.clone());
                        writeln!(f, "  initial $readmemh({file}, {name});")?;
                    }
                }
                Item::Always { clock, body } => {
                    writeln!(f, "  always @(posedge {clock}) begin")?;
                    for st in body {
                        match st {
                            Stmt::NonBlocking { lhs, rhs } => writeln!(f, "    {lhs} <= {rhs};")?,
                        }
                    }
                    f.write_str("  end\n")?
                }
            }
        }
        f.write_str("endmodule\n")
    }
}

impl Display for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for h in &self.header {
            writeln!(f, "// {h}")?;
        }
        f.write_str("`default_nettype none\n")?;
        for m in &self.modules {
            f.write_char('\n')?;
            write!(f, "{m}")?;
        }
        f.write_str("\n`default_nettype wire\n")
    }
}

#[cfg(test)]
mod tests {
    use super::super::build::*;
    use super::super::names::fixed;
    use super::*;

    #[test]
    fn expressions_are_fully_parenthesized() {
        let (a, b, s) = (fixed("a"), fixed("b"), fixed("s"));
        let e = cond(r(&s), bin(BinOp::And, r(&a), not(r(&b))), konst(1, 0));
        assert_eq!(e.to_string(), "(s ? (a & ~b) : 1'b0)");
        assert_eq!(
            concat(vec![bit(&a, 3), slice(&b, 7, 4), konst(8, 200)]).to_string(),
            "{a[3], b[7:4], 8'd200}"
        );
        assert_eq!(Value::Str("w.hex".into()).to_string(), "\"w.hex\"");
    }

    #[test]
    fn module_prints_ports_and_items() {
        let m = module(
            fixed("m"),
            vec!["doc".into()],
            vec![Param {
                name: fixed("N"),
                value: Value::Int(4),
            }],
            vec![
                port(Dir::Input, fixed("a"), 8),
                port(Dir::Output, fixed("y"), 1),
            ],
            vec![
                wire(fixed("t"), 1),
                assign(r(&fixed("t")), bit(&fixed("a"), 0)),
                assign(r(&fixed("y")), r(&fixed("t"))),
            ],
        );
        let text = m.to_string();
        assert_eq!(
            text,
            "// doc\nmodule m #(\n  parameter N = 4\n) (\n  input  wire [7:0] a,\n  output wire y\n);\n  wire t;\n  assign t = a[0];\n  assign y = t;\nendmodule\n"
        );
    }

    #[test]
    fn memories_registers_and_always_blocks_print() {
        let (clk, rom, a, q) = (fixed("clk"), fixed("rom"), fixed("a"), fixed("q"));
        let m = module(
            fixed("m"),
            vec![],
            vec![],
            vec![
                port(Dir::Input, clk.clone(), 1),
                port(Dir::Input, a.clone(), 4),
                port(Dir::Output, fixed("y"), 8),
            ],
            vec![
                memory(rom.clone(), 8, 16, Some("w \"x\".hex".into())),
                memory(fixed("ram"), 1, 2, None),
                reg(q.clone(), 8),
                always_ff(&clk, vec![(r(&q), index(&rom, r(&a)))]),
                assign(r(&fixed("y")), r(&q)),
            ],
        );
        assert_eq!(
            m.to_string(),
            "module m (\n  input  wire clk,\n  input  wire [3:0] a,\n  output wire [7:0] y\n);\n  \
             reg [7:0] rom [0:15];\n  initial $readmemh(\"w \\\"x\\\".hex\", rom);\n  \
             reg ram [0:1];\n  reg [7:0] q;\n  \
             always @(posedge clk) begin\n    q <= rom[a];\n  end\n  assign y = q;\nendmodule\n"
        );
    }
}
