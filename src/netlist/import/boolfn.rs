//! Boolean functions of a cell's named pins, written as Liberty `function`
//! strings (Liberty Reference Manual, "function" attribute): `!x` and `x'`
//! invert, `^` is XOR, `&`, `*` and juxtaposition (`A B`) are AND, `+` and
//! `|` are OR, `0` / `1` are constants; precedence from tightest: inversion,
//! XOR, AND, OR. Pins are resolved by name when parsing, so a function can
//! never be applied to the wrong pin.

use super::cells::Gates;
use crate::netlist::{GateKind, NetId};

/// A parsed function; `Pin(k)` is the `k`-th input pin of the cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Func {
    /// Constant 0 or 1.
    Const(bool),
    /// The `k`-th input pin.
    Pin(usize),
    /// Negation.
    Not(Box<Func>),
    /// Conjunction.
    And(Box<Func>, Box<Func>),
    /// Disjunction.
    Or(Box<Func>, Box<Func>),
    /// Exclusive or.
    Xor(Box<Func>, Box<Func>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum T {
    Id(String),
    Sym(char),
}

fn tokens(text: &str) -> Result<Vec<T>, String> {
    let mut out = vec![];
    let mut it = text.chars().peekable();
    while let Some(&c) = it.peek() {
        if c.is_whitespace() || c == '"' {
            it.next();
        } else if c.is_ascii_alphanumeric() || c == '_' || c == '[' || c == ']' || c == '.' {
            let mut s = String::new();
            while let Some(&d) = it.peek() {
                if d.is_ascii_alphanumeric() || "_[].".contains(d) {
                    s.push(d);
                    it.next();
                } else {
                    break;
                }
            }
            out.push(T::Id(s));
        } else if "!'&*+|^()".contains(c) {
            out.push(T::Sym(c));
            it.next();
        } else {
            return Err(format!("unexpected character `{c}`"));
        }
    }
    Ok(out)
}

struct P<'a> {
    t: Vec<T>,
    i: usize,
    pins: &'a [&'a str],
}

impl P<'_> {
    fn peek(&self) -> Option<&T> {
        self.t.get(self.i)
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&T::Sym(c)) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn or(&mut self) -> Result<Func, String> {
        let mut l = self.and()?;
        while self.eat('+') || self.eat('|') {
            l = Func::Or(Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Func, String> {
        let mut l = self.xor()?;
        loop {
            let juxtaposed = matches!(self.peek(), Some(T::Id(_) | T::Sym('(' | '!')));
            if self.eat('&') || self.eat('*') || juxtaposed {
                l = Func::And(Box::new(l), Box::new(self.xor()?));
            } else {
                return Ok(l);
            }
        }
    }
    fn xor(&mut self) -> Result<Func, String> {
        let mut l = self.unary()?;
        while self.eat('^') {
            l = Func::Xor(Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }
    fn unary(&mut self) -> Result<Func, String> {
        if self.eat('!') {
            return Ok(Func::Not(Box::new(self.unary()?)));
        }
        let mut f = match self.peek().cloned() {
            Some(T::Sym('(')) => {
                self.i += 1;
                let f = self.or()?;
                if !self.eat(')') {
                    return Err("missing `)`".into());
                }
                f
            }
            Some(T::Id(s)) => {
                self.i += 1;
                match s.as_str() {
                    "0" => Func::Const(false),
                    "1" => Func::Const(true),
                    _ => match self.pins.iter().position(|p| *p == s) {
                        Some(k) => Func::Pin(k),
                        None => {
                            return Err(format!(
                                "`{s}` is not an input pin (inputs: {})",
                                self.pins.join(", ")
                            ))
                        }
                    },
                }
            }
            Some(T::Sym(c)) => return Err(format!("unexpected `{c}`")),
            None => return Err("unexpected end".into()),
        };
        while self.eat('\'') {
            f = Func::Not(Box::new(f));
        }
        Ok(f)
    }
}

impl Func {
    /// Parse `text` over the input pins `pins` (names as the cell declares
    /// them). Errors say what is wrong, without location (the caller adds it).
    pub fn parse(text: &str, pins: &[&str]) -> Result<Func, String> {
        let mut p = P {
            t: tokens(text)?,
            i: 0,
            pins,
        };
        let f = p.or()?;
        if p.i != p.t.len() {
            return Err(format!("unexpected `{:?}` after the expression", p.t[p.i]));
        }
        Ok(f)
    }

    /// Value for input assignment `x` (bit `k` of `x` is pin `k`).
    pub fn eval(&self, x: u64) -> bool {
        match self {
            Func::Const(v) => *v,
            Func::Pin(k) => x >> k & 1 == 1,
            Func::Not(a) => !a.eval(x),
            Func::And(a, b) => a.eval(x) && b.eval(x),
            Func::Or(a, b) => a.eval(x) || b.eval(x),
            Func::Xor(a, b) => a.eval(x) ^ b.eval(x),
        }
    }

    /// Truth table over `n` inputs: bit `x` is the value for assignment `x`.
    pub fn truth_table(&self, n: usize) -> Vec<bool> {
        (0..1u64 << n).map(|x| self.eval(x)).collect()
    }

    /// The function on 64 lanes at once (`pins[k]`: the lanes of input
    /// pin `k`, one bit per lane).
    pub fn eval_words(&self, pins: &[u64]) -> u64 {
        match self {
            Func::Const(v) => 0u64.wrapping_sub(*v as u64),
            Func::Pin(k) => pins[*k],
            Func::Not(a) => !a.eval_words(pins),
            Func::And(a, b) => a.eval_words(pins) & b.eval_words(pins),
            Func::Or(a, b) => a.eval_words(pins) | b.eval_words(pins),
            Func::Xor(a, b) => a.eval_words(pins) ^ b.eval_words(pins),
        }
    }

    /// Gates computing the function of the nets `pins`; returns the output.
    /// An inversion of AND/OR/XOR becomes one NAND/NOR/XNOR gate.
    pub fn build(&self, g: &mut dyn Gates, pins: &[NetId]) -> NetId {
        let two = |g: &mut dyn Gates, k, a: &Func, b: &Func| {
            let (x, y) = (a.build(g, pins), b.build(g, pins));
            g.gate(k, &[x, y])
        };
        match self {
            Func::Const(v) => g.gate(
                if *v {
                    GateKind::Const1
                } else {
                    GateKind::Const0
                },
                &[],
            ),
            Func::Pin(k) => pins[*k],
            Func::Not(a) => match a.as_ref() {
                Func::And(x, y) => two(g, GateKind::Nand, x, y),
                Func::Or(x, y) => two(g, GateKind::Nor, x, y),
                Func::Xor(x, y) => two(g, GateKind::Xnor, x, y),
                Func::Not(x) => x.build(g, pins),
                _ => {
                    let x = a.build(g, pins);
                    g.gate(GateKind::Not, &[x])
                }
            },
            Func::And(a, b) => two(g, GateKind::And, a, b),
            Func::Or(a, b) => two(g, GateKind::Or, a, b),
            Func::Xor(a, b) => two(g, GateKind::Xor, a, b),
        }
    }

    /// The function as a Verilog expression over `names` (pin `k` is `names[k]`).
    pub fn verilog(&self, names: &[String]) -> String {
        match self {
            Func::Const(v) => format!("1'b{}", *v as u8),
            Func::Pin(k) => names[*k].clone(),
            Func::Not(a) => format!("~({})", a.verilog(names)),
            Func::And(a, b) => format!("({} & {})", a.verilog(names), b.verilog(names)),
            Func::Or(a, b) => format!("({} | {})", a.verilog(names), b.verilog(names)),
            Func::Xor(a, b) => format!("({} ^ {})", a.verilog(names), b.verilog(names)),
        }
    }
}

/// A cell function compiled for evaluation on 64 lanes at once
/// ([`Func::eval_words`]'s result, bit for bit). A function of at most
/// [`WordFn::TABLE_PINS`] pins becomes its truth table, evaluated by a
/// fixed tree of multiplexers: no branch depends on the function's shape,
/// where walking the `Func` tree takes an unpredictable branch at every
/// node (37 % of gate-level simulation's time went there; the tables cut
/// it from 25.6 to 17.9 s on the exact LeNet-5 design).
#[derive(Clone, Copy, Debug)]
pub enum WordFn<'f> {
    /// A function of few pins.
    Table {
        /// Truth table: bit `x` is the value for assignment `x` (bit `k`
        /// of `x` is pin `k`).
        table: u16,
        /// Pins, at most [`WordFn::TABLE_PINS`].
        pins: u8,
    },
    /// A function of more pins: the tree.
    Tree(&'f Func),
}

impl<'f> WordFn<'f> {
    /// Most pins of a tabled function (15 multiplexers).
    pub const TABLE_PINS: usize = 4;

    /// `f`, a function of `pins` input pins.
    pub fn new(f: &'f Func, pins: usize) -> WordFn<'f> {
        if pins > Self::TABLE_PINS {
            return WordFn::Tree(f);
        }
        // Pin k's lanes are the assignments 0..16 with bit k set: the
        // function on them is its truth table.
        const VARS: [u64; 4] = [0xaaaa, 0xcccc, 0xf0f0, 0xff00];
        WordFn::Table {
            table: f.eval_words(&VARS) as u16,
            pins: pins as u8,
        }
    }

    /// The function on the lanes `pins` (see [`Func::eval_words`]).
    #[inline]
    pub fn eval(&self, pins: &[u64]) -> u64 {
        match *self {
            WordFn::Table { table, pins: 0 } => 0u64.wrapping_sub(table as u64 & 1),
            WordFn::Table { table, pins: 1 } => mux_tree::<1>(table, pins),
            WordFn::Table { table, pins: 2 } => mux_tree::<2>(table, pins),
            WordFn::Table { table, pins: 3 } => mux_tree::<3>(table, pins),
            WordFn::Table { table, .. } => mux_tree::<4>(table, pins),
            WordFn::Tree(f) => f.eval_words(pins),
        }
    }
}

/// Truth table `table` of a `K`-pin function on the lanes `pins`: each
/// level of the tree selects, by one pin, between the halves of the level
/// below (Shannon expansion).
#[inline(always)]
fn mux_tree<const K: usize>(table: u16, pins: &[u64]) -> u64 {
    let pins = &pins[..K];
    let mut w = [0u64; 16];
    for (m, w) in w.iter_mut().enumerate().take(1 << K) {
        *w = 0u64.wrapping_sub(table as u64 >> m & 1);
    }
    for (j, &s) in pins.iter().enumerate() {
        for m in 0..1 << (K - j - 1) {
            let (lo, hi) = (w[2 * m], w[2 * m + 1]);
            w[m] = lo ^ ((lo ^ hi) & s);
        }
    }
    w[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tt(text: &str, pins: &[&str]) -> Vec<bool> {
        Func::parse(text, pins).unwrap().truth_table(pins.len())
    }

    #[test]
    fn liberty_operators_and_precedence() {
        let p = ["A", "B", "C"];
        // Juxtaposition, `*` and `&` are AND; `+` and `|` are OR.
        assert_eq!(tt("(A B)+C", &p), tt("(A & B) | C", &p));
        assert_eq!(tt("A*B+C", &p), tt("(A & B) | C", &p));
        // AND binds tighter than OR, XOR tighter than AND.
        assert_eq!(tt("A | B & C", &p), tt("A | (B & C)", &p));
        assert_eq!(tt("A & B ^ C", &p), tt("A & (B ^ C)", &p));
        // Postfix and prefix inversion.
        assert_eq!(tt("A' B", &p), tt("!A & B", &p));
        assert_eq!(
            tt("!(A B)", &p),
            vec![true, true, true, false, true, true, true, false]
        );
        assert_eq!(tt("\"(!A)\"", &["A"]), vec![true, false]);
        assert_eq!(tt("1", &[]), vec![true]);
    }

    /// A random function of `pins` pins, `depth` operators deep at most.
    fn random_func(rng: &mut u64, pins: usize, depth: u32) -> Func {
        let mut next = || {
            *rng ^= *rng << 13;
            *rng ^= *rng >> 7;
            *rng ^= *rng << 17;
            *rng
        };
        let r = next();
        if depth == 0 || r % 5 == 0 {
            return if pins == 0 || r % 17 == 0 {
                Func::Const(r & 32 != 0)
            } else {
                Func::Pin((r >> 8) as usize % pins)
            };
        }
        let mut sub = || Box::new(random_func(rng, pins, depth - 1));
        match r % 4 {
            0 => Func::Not(sub()),
            1 => Func::And(sub(), sub()),
            2 => Func::Or(sub(), sub()),
            _ => Func::Xor(sub(), sub()),
        }
    }

    #[test]
    fn compiled_word_functions_equal_the_tree_and_the_scalar_value() {
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        for pins in 0..=6 {
            for _ in 0..200 {
                let f = random_func(&mut rng, pins, 5);
                let w = WordFn::new(&f, pins);
                assert_eq!(
                    matches!(w, WordFn::Table { .. }),
                    pins <= WordFn::TABLE_PINS
                );
                let lanes: Vec<u64> = (0..pins)
                    .map(|_| {
                        rng = rng
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        rng
                    })
                    .collect();
                let got = w.eval(&lanes);
                assert_eq!(got, f.eval_words(&lanes), "{f:?}");
                for lane in 0..64 {
                    let x = lanes
                        .iter()
                        .enumerate()
                        .fold(0u64, |x, (k, l)| x | (l >> lane & 1) << k);
                    assert_eq!(got >> lane & 1 == 1, f.eval(x), "{f:?} lane {lane}");
                }
            }
        }
    }

    #[test]
    fn unknown_pins_and_garbage_are_errors() {
        assert!(Func::parse("A & Q", &["A", "B"])
            .unwrap_err()
            .contains("`Q` is not an input pin"));
        assert!(Func::parse("(A", &["A"]).is_err());
        assert!(Func::parse("A $ B", &["A", "B"]).is_err());
        assert!(Func::parse("", &["A"]).is_err());
    }
}
