//! The one place that turns arbitrary names (layer names from configs,
//! multiplier ids from libraries) into legal, unique Verilog identifiers,
//! in the spirit of Yosys's `id()`: keywords and illegal characters are
//! escaped, collisions get a numeric suffix.

use super::ast::Ident;
use std::collections::HashSet;

/// Verilog-2005 and SystemVerilog keywords (SystemVerilog too, so Verilator
/// and Yosys's `-sv` mode accept every name).
const KEYWORDS: &[&str] = &[
    "always",
    "and",
    "assign",
    "automatic",
    "begin",
    "buf",
    "bufif0",
    "bufif1",
    "case",
    "casex",
    "casez",
    "cell",
    "cmos",
    "config",
    "deassign",
    "default",
    "defparam",
    "design",
    "disable",
    "edge",
    "else",
    "end",
    "endcase",
    "endconfig",
    "endfunction",
    "endgenerate",
    "endmodule",
    "endprimitive",
    "endspecify",
    "endtable",
    "endtask",
    "event",
    "for",
    "force",
    "forever",
    "fork",
    "function",
    "generate",
    "genvar",
    "highz0",
    "highz1",
    "if",
    "ifnone",
    "incdir",
    "include",
    "initial",
    "inout",
    "input",
    "instance",
    "integer",
    "join",
    "large",
    "liblist",
    "library",
    "localparam",
    "macromodule",
    "medium",
    "module",
    "nand",
    "negedge",
    "nmos",
    "nor",
    "noshowcancelled",
    "not",
    "notif0",
    "notif1",
    "or",
    "output",
    "parameter",
    "pmos",
    "posedge",
    "primitive",
    "pull0",
    "pull1",
    "pulldown",
    "pullup",
    "pulsestyle_onevent",
    "pulsestyle_ondetect",
    "rcmos",
    "real",
    "realtime",
    "reg",
    "release",
    "repeat",
    "rnmos",
    "rpmos",
    "rtran",
    "rtranif0",
    "rtranif1",
    "scalared",
    "showcancelled",
    "signed",
    "small",
    "specify",
    "specparam",
    "strong0",
    "strong1",
    "supply0",
    "supply1",
    "table",
    "task",
    "time",
    "tran",
    "tranif0",
    "tranif1",
    "tri",
    "tri0",
    "tri1",
    "triand",
    "trior",
    "trireg",
    "unsigned",
    "use",
    "uwire",
    "vectored",
    "wait",
    "wand",
    "weak0",
    "weak1",
    "while",
    "wire",
    "wor",
    "xnor",
    "xor",
    "bit",
    "byte",
    "logic",
    "int",
    "shortint",
    "longint",
    "string",
    "class",
    "interface",
    "package",
    "program",
    "property",
    "sequence",
    "return",
    "break",
    "continue",
    "do",
    "enum",
    "struct",
    "union",
    "typedef",
    "type",
    "void",
    "this",
    "super",
    "new",
    "static",
    "const",
    "final",
    "import",
    "export",
    "extends",
    "unique",
    "priority",
    "bind",
    "chandle",
    "checker",
    "clocking",
    "constraint",
    "cover",
    "covergroup",
    "dist",
    "expect",
    "extern",
    "foreach",
    "forkjoin",
    "iff",
    "inside",
    "intersect",
    "local",
    "modport",
    "null",
    "protected",
    "pure",
    "rand",
    "randc",
    "randcase",
    "randsequence",
    "ref",
    "shortreal",
    "solve",
    "tagged",
    "throughout",
    "timeprecision",
    "timeunit",
    "var",
    "virtual",
    "wait_order",
    "wildcard",
    "with",
    "within",
    "alias",
    "assert",
    "assume",
    "before",
    "binsof",
    "bins",
    "context",
    "endclass",
    "endclocking",
    "endgroup",
    "endinterface",
    "endpackage",
    "endprogram",
    "endproperty",
    "endsequence",
    "first_match",
    "ignore_bins",
    "illegal_bins",
    "matches",
    "restrict",
    "s_always",
    "strong",
    "weak",
    "accept_on",
    "reject_on",
    "sync_accept_on",
    "sync_reject_on",
    "eventually",
    "nexttime",
    "until",
    "implies",
    "let",
    "global",
    "untyped",
    "unique0",
    "soft",
];

/// Whether `s` is a Verilog keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Whether `s` is a legal simple identifier that is not a keyword.
pub fn is_legal(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !is_keyword(s)
        && !s.starts_with("__")
}

/// `raw` with every character outside `[A-Za-z0-9_]` replaced by `_` (the
/// word characters of a Verilog simple identifier, a Liberty cell name or
/// a file name).
pub fn word_chars(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Turn any string into a legal identifier (not yet unique): illegal
/// characters become `_`, a leading digit gets an `n` prefix, a keyword an
/// `_x` suffix, an empty name becomes `n`.
pub fn sanitize(raw: &str) -> String {
    let mut s = word_chars(raw);
    while s.starts_with("__") {
        s.remove(0);
    }
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if is_keyword(&s) {
        s.push_str("_x");
    }
    s
}

/// A fixed, known-legal identifier written in the emitter's own code
/// (port names of hand-written blocks). Panics on an illegal one: that is
/// a bug in the emitter, never user input.
pub fn fixed(s: &str) -> Ident {
    assert!(is_legal(s), "`{s}` is not a legal Verilog identifier");
    Ident(s.to_string())
}

/// A naming scope (one per module, or the set of module names of a
/// design): hands out sanitized identifiers, unique within the scope.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    used: HashSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserve known names (ports, hand-written modules) so fresh names
    /// never collide with them.
    pub fn reserve(&mut self, s: &str) -> Ident {
        let id = fixed(s);
        self.used.insert(s.to_string());
        id
    }

    /// A legal identifier derived from `raw`, unique in this scope.
    pub fn fresh(&mut self, raw: &str) -> Ident {
        let base = sanitize(raw);
        let mut name = base.clone();
        let mut k = 2;
        while self.used.contains(&name) {
            name = format!("{base}_{k}");
            k += 1;
        }
        self.used.insert(name.clone());
        Ident(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_keywords_and_illegal_characters() {
        assert_eq!(sanitize("conv1"), "conv1");
        assert_eq!(sanitize("layer1.0.conv"), "layer1_0_conv");
        assert_eq!(sanitize("module"), "module_x");
        assert_eq!(sanitize("3x3"), "n3x3");
        assert_eq!(sanitize(""), "n");
        assert_eq!(sanitize("__x"), "_x");
        assert_eq!(sanitize("mul8u-1JFF"), "mul8u_1JFF");
        for raw in ["wire", "a b", "é", "1", "__", "$x", "logic", "a.b[3]"] {
            assert!(is_legal(&sanitize(raw)), "{raw} -> {}", sanitize(raw));
        }
    }

    #[test]
    fn scope_makes_names_unique() {
        let mut s = Scope::new();
        s.reserve("clk");
        assert_eq!(s.fresh("clk").as_str(), "clk_2");
        assert_eq!(s.fresh("a.b").as_str(), "a_b");
        assert_eq!(s.fresh("a-b").as_str(), "a_b_2");
        assert_eq!(s.fresh("a_b_2").as_str(), "a_b_2_2");
    }
}
