//! Parser of the structural Verilog subset: modules with port and wire
//! declarations, continuous assigns of bitwise expressions, gate
//! primitives and cell instances. A behavioural construct (arithmetic,
//! `always`, parameters, ...) is reported as [`Parsed::Behavioural`] so the
//! caller can hand the file to Yosys instead; anything else unexpected is a
//! syntax error naming the line.

use super::lex::{Tok, Token};

/// A parse failure.
#[derive(Debug)]
pub enum ParseError {
    /// The file uses a construct only synthesis understands.
    Behavioural { line: u32, what: String },
    /// The file is not valid Verilog as far as this reader goes.
    Syntax { line: u32, msg: String },
}

type PResult<T> = std::result::Result<T, ParseError>;

/// Direction of a declaration.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Dir {
    Input,
    Output,
    Wire,
}

/// `input [msb:lsb] name` and friends.
#[derive(Clone, Debug)]
pub struct Decl {
    pub dir: Dir,
    /// `(msb, lsb)`; `None` for a scalar.
    pub range: Option<(i64, i64)>,
    pub name: String,
    pub line: u32,
}

/// Bit or part select.
#[derive(Clone, Debug)]
pub enum Sel {
    All,
    Bit(i64),
    Part(i64, i64),
}

/// Binary bitwise operators.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BinOp {
    And,
    Or,
    Xor,
    Xnor,
}

/// An expression.
#[derive(Clone, Debug)]
pub enum Expr {
    Ref {
        name: String,
        sel: Sel,
        line: u32,
    },
    /// Bits LSB first; `None` is an x/z bit.
    Const(Vec<Option<bool>>),
    Not(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// Reduction `&x`, `|x`, `^x`, optionally inverted (`~&`, `~|`, `~^`).
    Reduce(BinOp, bool, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `{a, b}`: `a` holds the most significant bits.
    Concat(Vec<Expr>),
    Repeat(usize, Box<Expr>),
}

/// Connections of an instance.
#[derive(Clone, Debug)]
pub enum Conns {
    Named(Vec<(String, Option<Expr>)>),
    Positional(Vec<Option<Expr>>),
}

/// A module item.
#[derive(Clone, Debug)]
pub enum Item {
    Assign {
        lhs: Expr,
        rhs: Expr,
        line: u32,
    },
    /// Gate primitive `and g (y, a, b);`: terminals, output(s) first.
    Prim {
        kind: String,
        name: String,
        /// Instance array range (`and g[7:0] (y, a, b);`), if any.
        array: Option<(i64, i64)>,
        terms: Vec<Expr>,
        line: u32,
    },
    Inst {
        cell: String,
        name: String,
        conns: Conns,
        line: u32,
    },
}

/// One module.
#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub line: u32,
    /// Header port names in order.
    pub ports: Vec<String>,
    pub decls: Vec<Decl>,
    pub items: Vec<Item>,
    /// Set when the module (or UDP) uses a construct only synthesis
    /// understands: `(line, what)`. Its other fields are then empty.
    pub behavioural: Option<(u32, String)>,
    /// For a combinational user-defined primitive: its table rows, input
    /// levels (`0`, `1`, `x`, `?`, `b`, one per input) and output level.
    pub table: Option<Vec<(String, char)>>,
}

const BEHAVIOURAL_KEYWORDS: &[&str] = &[
    "always",
    "always_comb",
    "always_ff",
    "always_latch",
    "initial",
    "reg",
    "logic",
    "integer",
    "real",
    "for",
    "while",
    "repeat",
    "generate",
    "genvar",
    "function",
    "task",
    "parameter",
    "localparam",
    "defparam",
    "case",
    "casez",
    "casex",
    "if",
    "begin",
    "signed",
];
const BEHAVIOURAL_OPS: &[&str] = &[
    "+", "-", "*", "/", "%", "**", "<<", ">>", "<<<", ">>>", "<", ">", "<=", ">=", "==", "!=",
    "===", "!==", "&&", "||", "!", "@", "+:", "-:",
];
/// Gate primitives.
pub const PRIMITIVES: &[&str] = &["and", "or", "xor", "nand", "nor", "xnor", "not", "buf"];

struct Parser<'a> {
    t: &'a [Token],
    i: usize,
}

/// Parse every module of a token stream. A module using a behavioural
/// construct, and a user-defined primitive, is kept with
/// [`Module::behavioural`] set, so cell libraries whose unused cells are
/// behavioural (flip-flops, UDP tables) still serve their other cells.
pub fn parse(tokens: &[Token]) -> PResult<Vec<Module>> {
    let mut p = Parser { t: tokens, i: 0 };
    let mut mods = Vec::new();
    while p.i < p.t.len() {
        let start = p.i;
        let line = p.line();
        let end = match p.peek() {
            Some(Tok::Ident(k)) if k == "module" || k == "macromodule" => "endmodule",
            Some(Tok::Ident(k)) if k == "primitive" => "endprimitive",
            _ => return Err(p.syntax("expected `module`")),
        };
        let result = if end == "endmodule" {
            p.module()
        } else {
            p.primitive()
        };
        match result {
            Ok(m) => mods.push(m),
            Err(ParseError::Behavioural { line: bl, what }) => {
                let name = match p.t.get(start + 1).map(|t| &t.tok) {
                    Some(Tok::Ident(n)) => n.clone(),
                    _ => return Err(p.syntax("expected a module name")),
                };
                p.i = start;
                while !matches!(p.peek(), Some(Tok::Ident(k)) if k == end) {
                    if p.peek().is_none() {
                        return Err(ParseError::Syntax {
                            line,
                            msg: format!("syntax error: `{name}` has no `{end}`"),
                        });
                    }
                    p.i += 1;
                }
                // The header's names stand in for the ports (to pick the top).
                let ports = p.t[start + 2..]
                    .iter()
                    .take_while(|t| t.tok != Tok::Sym(";"))
                    .filter_map(|t| match &t.tok {
                        Tok::Ident(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect();
                p.i += 1;
                mods.push(Module {
                    name,
                    line,
                    ports,
                    decls: vec![],
                    items: vec![],
                    behavioural: Some((bl, what)),
                    table: None,
                });
            }
            Err(e) => return Err(e),
        }
    }
    Ok(mods)
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Tok> {
        self.t.get(self.i).map(|t| &t.tok)
    }
    fn line(&self) -> u32 {
        self.t.get(self.i).or(self.t.last()).map_or(1, |t| t.line)
    }
    fn syntax(&self, msg: &str) -> ParseError {
        let found = match self.peek() {
            Some(Tok::Ident(s)) => format!("`{s}`"),
            Some(Tok::Num(s)) => format!("`{s}`"),
            Some(Tok::Sym(s)) => format!("`{s}`"),
            Some(Tok::Str) => "a string".to_string(),
            None => "end of file".to_string(),
        };
        ParseError::Syntax {
            line: self.line(),
            msg: format!("syntax error: {msg}, found {found}"),
        }
    }
    fn behavioural(&self, what: &str) -> ParseError {
        ParseError::Behavioural {
            line: self.line(),
            what: what.to_string(),
        }
    }
    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Some(Tok::Sym(x)) if *x == s)
    }
    fn is_kw(&self, s: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(x)) if x == s)
    }
    fn eat_sym(&mut self, s: &str) -> bool {
        if self.is_sym(s) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, s: &str) -> PResult<()> {
        if self.eat_sym(s) {
            return Ok(());
        }
        if let Some(Tok::Sym(x)) = self.peek() {
            if BEHAVIOURAL_OPS.contains(x) {
                return Err(self.behavioural(&format!("operator `{x}`")));
            }
        }
        Err(self.syntax(&format!("expected `{s}`")))
    }
    fn ident(&mut self, what: &str) -> PResult<String> {
        match self.peek() {
            Some(Tok::Ident(s)) if BEHAVIOURAL_KEYWORDS.contains(&s.as_str()) => {
                Err(self.behavioural(&format!("`{s}`")))
            }
            Some(Tok::Ident(s)) => {
                self.i += 1;
                Ok(s.clone())
            }
            _ => Err(self.syntax(&format!("expected {what}"))),
        }
    }
    fn int(&mut self) -> PResult<i64> {
        let neg = self.eat_sym("-");
        match self.peek() {
            Some(Tok::Num(s)) => {
                let line = self.line();
                let (_, bits) =
                    super::lex::number(s).map_err(|msg| ParseError::Syntax { line, msg })?;
                if bits.iter().any(Option::is_none) {
                    return Err(ParseError::Syntax {
                        line,
                        msg: format!("`{s}`: an index or count cannot be x/z"),
                    });
                }
                self.i += 1;
                let v = bits
                    .iter()
                    .take(62)
                    .enumerate()
                    .fold(0i64, |v, (k, &b)| v | ((b == Some(true)) as i64) << k);
                Ok(if neg { -v } else { v })
            }
            Some(Tok::Ident(_)) => Err(self.behavioural("a non-constant index or parameter")),
            _ => Err(self.syntax("expected a number")),
        }
    }

    /// A combinational UDP: `primitive n (out, in, ...); output out;
    /// input in, ...; table rows endtable endprimitive`. A sequential one
    /// (`reg`, two `:` per row, edges) is behavioural.
    fn primitive(&mut self) -> PResult<Module> {
        let line = self.line();
        self.i += 1;
        let name = self.ident("a primitive name")?;
        let mut m = Module {
            name,
            line,
            ports: vec![],
            decls: vec![],
            items: vec![],
            behavioural: None,
            table: Some(vec![]),
        };
        self.expect("(")?;
        loop {
            m.ports.push(self.ident("a port name")?);
            if self.eat_sym(")") {
                break;
            }
            self.expect(",")?;
        }
        self.expect(";")?;
        loop {
            let line = self.line();
            match self.peek() {
                Some(Tok::Ident(k)) if k == "output" || k == "input" => {
                    let dir = if k == "output" {
                        Dir::Output
                    } else {
                        Dir::Input
                    };
                    self.i += 1;
                    loop {
                        let line = self.line();
                        let name = self.ident("a port name")?;
                        m.decls.push(Decl {
                            dir,
                            range: None,
                            name,
                            line,
                        });
                        if !self.eat_sym(",") {
                            break;
                        }
                    }
                    self.expect(";")?;
                }
                Some(Tok::Ident(k)) if k == "table" => {
                    self.i += 1;
                    while !self.is_kw("endtable") {
                        let mut row = String::new();
                        loop {
                            match self.peek() {
                                Some(Tok::Sym(";")) => break,
                                Some(Tok::Num(t) | Tok::Ident(t)) => row += t,
                                Some(Tok::Sym(t)) => row += t,
                                _ => return Err(self.syntax("expected a table row")),
                            }
                            self.i += 1;
                        }
                        self.i += 1;
                        let parts: Vec<&str> = row.split(':').collect();
                        match parts.as_slice() {
                            [ins, out] if !ins.contains('(') && out.len() == 1 => {
                                let out = out.chars().next().unwrap_or('x');
                                m.table
                                    .get_or_insert_with(Vec::new)
                                    .push((ins.to_string(), out));
                            }
                            _ => {
                                return Err(self.behavioural("a sequential user-defined primitive"))
                            }
                        }
                    }
                    self.i += 1;
                }
                Some(Tok::Ident(k)) if k == "endprimitive" => {
                    self.i += 1;
                    return Ok(m);
                }
                Some(Tok::Ident(k)) if k == "reg" || k == "initial" => {
                    return Err(self.behavioural("a sequential user-defined primitive"))
                }
                _ => {
                    let _ = line;
                    return Err(
                        self.syntax("expected `input`, `output`, `table` or `endprimitive`")
                    );
                }
            }
        }
    }

    fn module(&mut self) -> PResult<Module> {
        let line = self.line();
        self.i += 1;
        let name = self.ident("a module name")?;
        if self.is_sym("#") {
            return Err(self.behavioural("module parameters"));
        }
        let mut m = Module {
            name,
            line,
            ports: vec![],
            decls: vec![],
            items: vec![],
            behavioural: None,
            table: None,
        };
        if self.eat_sym("(") && !self.eat_sym(")") {
            loop {
                if let Some(dir) = self.dir_keyword()? {
                    // ANSI header: `input [7:0] A, B, output ...`.
                    self.i += 1;
                    let range = self.decl_head()?;
                    loop {
                        let line = self.line();
                        let n = self.ident("a port name")?;
                        m.ports.push(n.clone());
                        m.decls.push(Decl {
                            dir,
                            range,
                            name: n,
                            line,
                        });
                        if !self.is_sym(",") || self.dir_after_comma() {
                            break;
                        }
                        self.i += 1;
                    }
                } else {
                    m.ports.push(self.ident("a port name")?);
                }
                if self.eat_sym(")") {
                    break;
                }
                self.expect(",")?;
            }
        }
        self.expect(";")?;
        loop {
            match self.peek() {
                None => return Err(self.syntax("missing `endmodule`")),
                Some(Tok::Ident(k)) if k == "endmodule" => {
                    self.i += 1;
                    return Ok(m);
                }
                _ => self.item(&mut m)?,
            }
        }
    }

    /// Whether the token after a `,` starts a new ANSI port group.
    fn dir_after_comma(&self) -> bool {
        matches!(self.t.get(self.i + 1).map(|t| &t.tok), Some(Tok::Ident(k)) if k == "input" || k == "output" || k == "inout")
    }

    fn dir_keyword(&self) -> PResult<Option<Dir>> {
        Ok(match self.peek() {
            Some(Tok::Ident(k)) if k == "input" => Some(Dir::Input),
            Some(Tok::Ident(k)) if k == "output" => Some(Dir::Output),
            Some(Tok::Ident(k)) if k == "wire" || k == "tri" => Some(Dir::Wire),
            Some(Tok::Ident(k)) if k == "inout" => {
                return Err(ParseError::Syntax {
                    line: self.line(),
                    msg: "inout ports are not supported in a multiplier".into(),
                })
            }
            _ => None,
        })
    }

    /// After `input`/`output`/`wire`: optional `wire`, optional range.
    fn decl_head(&mut self) -> PResult<Option<(i64, i64)>> {
        if self.is_kw("wire") {
            self.i += 1;
        }
        if self.is_kw("reg") || self.is_kw("signed") || self.is_kw("logic") {
            return Err(self.behavioural(&format!(
                "`{}` declaration",
                match self.peek() {
                    Some(Tok::Ident(s)) => s.as_str(),
                    _ => "",
                }
            )));
        }
        if self.eat_sym("[") {
            let msb = self.int()?;
            self.expect(":")?;
            let lsb = self.int()?;
            self.expect("]")?;
            Ok(Some((msb, lsb)))
        } else {
            Ok(None)
        }
    }

    /// Skip a delay after its `#`: one token (`#1`) or a parenthesized
    /// list (`#(1, 2)`). Delays are timing only.
    fn skip_delay(&mut self) -> PResult<()> {
        if self.eat_sym("(") {
            while !self.eat_sym(")") {
                if self.peek().is_none() {
                    return Err(self.syntax("expected `)`"));
                }
                self.i += 1;
            }
        } else {
            self.i += 1;
        }
        Ok(())
    }

    fn item(&mut self, m: &mut Module) -> PResult<()> {
        let line = self.line();
        if let Some(dir) = self.dir_keyword()? {
            self.i += 1;
            let range = self.decl_head()?;
            loop {
                let line = self.line();
                let name = self.ident("a net name")?;
                if self.is_sym("=") {
                    // `wire x = expr;`
                    self.i += 1;
                    let rhs = self.expr()?;
                    m.items.push(Item::Assign {
                        lhs: Expr::Ref {
                            name: name.clone(),
                            sel: Sel::All,
                            line,
                        },
                        rhs,
                        line,
                    });
                }
                m.decls.push(Decl {
                    dir,
                    range,
                    name,
                    line,
                });
                if !self.eat_sym(",") {
                    break;
                }
            }
            return self.expect(";");
        }
        let word = match self.peek() {
            Some(Tok::Ident(w)) => w.clone(),
            Some(Tok::Sym(";")) => {
                self.i += 1;
                return Ok(());
            }
            _ => return Err(self.syntax("expected a declaration, `assign` or an instance")),
        };
        if word == "specify" {
            // Timing only: no logic in it.
            while !self.is_kw("endspecify") {
                if self.peek().is_none() {
                    return Err(self.syntax("missing `endspecify`"));
                }
                self.i += 1;
            }
            self.i += 1;
            return Ok(());
        }
        if BEHAVIOURAL_KEYWORDS.contains(&word.as_str()) {
            return Err(self.behavioural(&format!("`{word}`")));
        }
        self.i += 1;
        if word == "assign" {
            // A delay (`assign #1 y = a;`) is timing only: skip it.
            if self.eat_sym("#") {
                self.skip_delay()?;
            }
            loop {
                let lhs = self.expr()?;
                self.expect("=")?;
                let rhs = self.expr()?;
                m.items.push(Item::Assign { lhs, rhs, line });
                if !self.eat_sym(",") {
                    break;
                }
            }
            return self.expect(";");
        }
        if word == "supply0" || word == "supply1" {
            return Err(self.behavioural(&format!("`{word}`")));
        }
        if self.eat_sym("#") {
            if PRIMITIVES.contains(&word.as_str()) {
                // A delay on a primitive: ignore it.
                self.skip_delay()?;
            } else {
                return Err(self.behavioural("instance parameters"));
            }
        }
        loop {
            let name = match self.peek() {
                Some(Tok::Ident(_)) => self.ident("an instance name")?,
                _ if PRIMITIVES.contains(&word.as_str()) => String::new(),
                _ => return Err(self.syntax(&format!("expected an instance name after `{word}`"))),
            };
            let mut array = None;
            if self.is_sym("[") {
                if !PRIMITIVES.contains(&word.as_str()) {
                    return Err(self.behavioural("instance arrays"));
                }
                // A gate array: `and g[7:0] (y, a, b);`.
                self.i += 1;
                let msb = self.int()?;
                self.expect(":")?;
                let lsb = self.int()?;
                self.expect("]")?;
                array = Some((msb, lsb));
            }
            self.expect("(")?;
            if PRIMITIVES.contains(&word.as_str()) {
                let mut terms = vec![];
                loop {
                    terms.push(self.expr()?);
                    if self.eat_sym(")") {
                        break;
                    }
                    self.expect(",")?;
                }
                m.items.push(Item::Prim {
                    kind: word.clone(),
                    name,
                    array,
                    terms,
                    line,
                });
            } else {
                let conns = self.connections()?;
                m.items.push(Item::Inst {
                    cell: word.clone(),
                    name,
                    conns,
                    line,
                });
            }
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect(";")
    }

    /// Instance connections after `(`, through `)`.
    fn connections(&mut self) -> PResult<Conns> {
        if self.eat_sym(")") {
            return Ok(Conns::Positional(vec![]));
        }
        if self.is_sym(".") {
            let mut v = vec![];
            loop {
                self.expect(".")?;
                let port = self.ident("a port name")?;
                self.expect("(")?;
                let e = if self.is_sym(")") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(")")?;
                v.push((port, e));
                if self.eat_sym(")") {
                    return Ok(Conns::Named(v));
                }
                self.expect(",")?;
            }
        }
        let mut v = vec![];
        loop {
            v.push(if self.is_sym(",") || self.is_sym(")") {
                None
            } else {
                Some(self.expr()?)
            });
            if self.eat_sym(")") {
                return Ok(Conns::Positional(v));
            }
            self.expect(",")?;
        }
    }

    /// `expr := or ['?' expr ':' expr]`
    pub fn expr(&mut self) -> PResult<Expr> {
        let c = self.binary(0)?;
        if self.eat_sym("?") {
            let t = self.expr()?;
            self.expect(":")?;
            let e = self.expr()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(t), Box::new(e)));
        }
        Ok(c)
    }

    /// Precedence climbing over `|` (0), `^ ~^` (1), `&` (2).
    fn binary(&mut self, level: u8) -> PResult<Expr> {
        if level == 3 {
            return self.unary();
        }
        let mut lhs = self.binary(level + 1)?;
        loop {
            let op = match (level, self.peek()) {
                (0, Some(Tok::Sym("|"))) => BinOp::Or,
                (1, Some(Tok::Sym("^"))) => BinOp::Xor,
                (1, Some(Tok::Sym("~^" | "^~"))) => BinOp::Xnor,
                (2, Some(Tok::Sym("&"))) => BinOp::And,
                (_, Some(Tok::Sym(s))) if BEHAVIOURAL_OPS.contains(s) => {
                    return Err(self.behavioural(&format!("operator `{s}`")))
                }
                _ => return Ok(lhs),
            };
            self.i += 1;
            let rhs = self.binary(level + 1)?;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn unary(&mut self) -> PResult<Expr> {
        let red = |op, inv| move |e: Expr| Expr::Reduce(op, inv, Box::new(e));
        let f: Option<Box<dyn Fn(Expr) -> Expr>> = match self.peek() {
            Some(Tok::Sym("~")) => Some(Box::new(|e| Expr::Not(Box::new(e)))),
            Some(Tok::Sym("&")) => Some(Box::new(red(BinOp::And, false))),
            Some(Tok::Sym("|")) => Some(Box::new(red(BinOp::Or, false))),
            Some(Tok::Sym("^")) => Some(Box::new(red(BinOp::Xor, false))),
            Some(Tok::Sym("~&")) => Some(Box::new(red(BinOp::And, true))),
            Some(Tok::Sym("~|")) => Some(Box::new(red(BinOp::Or, true))),
            Some(Tok::Sym("~^" | "^~")) => Some(Box::new(red(BinOp::Xor, true))),
            _ => None,
        };
        if let Some(f) = f {
            self.i += 1;
            return Ok(f(self.unary()?));
        }
        self.primary()
    }

    fn primary(&mut self) -> PResult<Expr> {
        let line = self.line();
        match self.peek() {
            Some(Tok::Sym("(")) => {
                self.i += 1;
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            Some(Tok::Sym("{")) => {
                self.i += 1;
                // Replication `{n{...}}` or concatenation.
                if let Some(Tok::Num(_)) = self.peek() {
                    if matches!(self.t.get(self.i + 1).map(|t| &t.tok), Some(Tok::Sym("{"))) {
                        let n = self.int()?;
                        self.expect("{")?;
                        let inner = self.concat_rest()?;
                        self.expect("}")?;
                        if !(0..=65536).contains(&n) {
                            return Err(ParseError::Syntax {
                                line,
                                msg: format!("replication count {n} out of range"),
                            });
                        }
                        return Ok(Expr::Repeat(n as usize, Box::new(inner)));
                    }
                }
                self.concat_rest()
            }
            Some(Tok::Num(s)) => {
                let (_, bits) =
                    super::lex::number(s).map_err(|msg| ParseError::Syntax { line, msg })?;
                self.i += 1;
                Ok(Expr::Const(bits))
            }
            Some(Tok::Ident(s)) if s.starts_with('$') => {
                Err(self.behavioural(&format!("system function `{s}`")))
            }
            Some(Tok::Ident(_)) => {
                let name = self.ident("a net name")?;
                if self.is_sym("(") {
                    return Err(self.behavioural("function call"));
                }
                let sel = if self.eat_sym("[") {
                    let hi = self.int()?;
                    let sel = if self.eat_sym(":") {
                        Sel::Part(hi, self.int()?)
                    } else {
                        Sel::Bit(hi)
                    };
                    self.expect("]")?;
                    sel
                } else {
                    Sel::All
                };
                if self.is_sym("[") {
                    return Err(self.behavioural("multi-dimensional select"));
                }
                Ok(Expr::Ref { name, sel, line })
            }
            Some(Tok::Sym(s)) if BEHAVIOURAL_OPS.contains(s) => {
                Err(self.behavioural(&format!("operator `{s}`")))
            }
            Some(Tok::Str) => Err(self.behavioural("string literal")),
            _ => Err(self.syntax("expected an expression")),
        }
    }

    /// Elements of a concatenation after `{`, through `}`.
    fn concat_rest(&mut self) -> PResult<Expr> {
        let mut parts = vec![self.expr()?];
        while self.eat_sym(",") {
            parts.push(self.expr()?);
        }
        self.expect("}")?;
        Ok(Expr::Concat(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse_text(s: &str) -> PResult<Vec<Module>> {
        parse(&super::super::lex::lex(s, Path::new("t.v")).unwrap())
    }

    #[test]
    fn structural_module_parses() {
        let m = parse_text(
            "module m(A, B, O); input [7:0] A, B; output [15:0] O; wire [9:0] N;\n\
             assign N[0] = ~(A[0] & B[1]) | 1'b0; and g1 (N[1], A[1], B[1]);\n\
             HAX1 u1 (.A(N[0]), .B(~(A[6] & B[7])), .YS(N[2]), .YC());\n assign O = {N[2:1], 14'd0}; endmodule",
        )
        .unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].decls.len(), 4);
        assert_eq!(m[0].items.len(), 4);
    }

    #[test]
    fn arithmetic_is_behavioural() {
        let m = parse_text(
            "module m(input [7:0] A, B, output [15:0] O);\n assign O = A * B; endmodule",
        )
        .unwrap();
        assert!(matches!(&m[0].behavioural, Some((2, _))), "{m:?}");
        let m = parse_text(
            "primitive u(o, a); output o; input a; table 0 : 1; 1 : 0; endtable endprimitive\n\
             module m(A); reg x; endmodule\nmodule n(A, Y); input A; output Y;\n\
             specify (A => Y) = 1; endspecify\n assign Y = A; endmodule\n\
             primitive s(q, d, c); output q; reg q; input d, c;\n\
             table ? (01) : ? : 0; endtable endprimitive",
        )
        .unwrap();
        assert_eq!(
            m[0].table.as_deref(),
            Some(&[("0".to_string(), '1'), ("1".to_string(), '0')][..]),
            "{m:?}"
        );
        assert!(m[1].behavioural.is_some(), "{m:?}");
        assert!(m[2].behavioural.is_none() && m[2].items.len() == 1, "{m:?}");
        assert!(
            m[3].behavioural.as_ref().unwrap().1.contains("sequential"),
            "{m:?}"
        );
    }

    #[test]
    fn syntax_error_names_line() {
        let e = parse_text("module m(A);\n input A\n wire x; endmodule").unwrap_err();
        assert!(matches!(e, ParseError::Syntax { line: 3, .. }), "{e:?}");
    }
}
