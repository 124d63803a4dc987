//! Checked constructors for the AST: every invariant the printer relies on
//! (widths >= 1, constants that fit, slices with `hi >= lo`, assignments to
//! nets only) is checked here, once. A violation is an emitter bug, so it
//! panics; user input is validated before it reaches these.

use super::ast::*;

/// A port.
pub fn port(dir: Dir, name: Ident, width: u32) -> Port {
    assert!(width >= 1, "port {} has width 0", name.0);
    Port { dir, name, width }
}

/// A wire declaration.
pub fn wire(name: Ident, width: u32) -> Item {
    assert!(width >= 1, "wire {} has width 0", name.0);
    Item::Wire { name, width }
}

/// `assign lhs = rhs;` where `lhs` is a net, a bit or a slice.
pub fn assign(lhs: Expr, rhs: Expr) -> Item {
    assert!(
        matches!(lhs, Expr::Ref(_) | Expr::Bit(..) | Expr::Slice(..)),
        "cannot assign to {lhs:?}"
    );
    Item::Assign { lhs, rhs }
}

/// A register declaration.
pub fn reg(name: Ident, width: u32) -> Item {
    assert!(width >= 1, "reg {} has width 0", name.0);
    Item::Reg { name, width }
}

/// A memory of `depth` words, loaded from the hex file `init` if given.
pub fn memory(name: Ident, width: u32, depth: usize, init: Option<String>) -> Item {
    assert!(width >= 1 && depth >= 1, "memory {} is empty", name.0);
    Item::Memory {
        name,
        width,
        depth,
        init,
    }
}

/// `always @(posedge clock)` with the nonblocking assignments `body`.
pub fn always_ff(clock: &Ident, body: Vec<(Expr, Expr)>) -> Item {
    let body = body
        .into_iter()
        .map(|(lhs, rhs)| {
            assert!(
                matches!(lhs, Expr::Ref(_) | Expr::Bit(..) | Expr::Slice(..)),
                "cannot assign to {lhs:?}"
            );
            Stmt::NonBlocking { lhs, rhs }
        })
        .collect();
    Item::Always {
        clock: clock.clone(),
        body,
    }
}

/// `memory[address]`.
pub fn index(memory: &Ident, address: Expr) -> Expr {
    Expr::Index(memory.clone(), Box::new(address))
}

/// A one-line comment.
pub fn comment(text: impl Into<String>) -> Item {
    let text = text.into();
    assert!(!text.contains('\n'), "comments are one line");
    Item::Comment(text)
}

/// Sized constant.
pub fn konst(width: u32, value: u64) -> Expr {
    assert!((1..=64).contains(&width), "constant width {width}");
    assert!(
        width == 64 || value < 1u64 << width,
        "{value} does not fit {width} bits"
    );
    Expr::Const { width, value }
}

/// Reference to a whole wire, reg or port.
pub fn r(name: &Ident) -> Expr {
    Expr::Ref(name.clone())
}

/// `name[b]`.
pub fn bit(name: &Ident, b: u32) -> Expr {
    Expr::Bit(name.clone(), b)
}

/// `name[hi:lo]`; panics unless `hi >= lo` (a generator bug).
pub fn slice(name: &Ident, hi: u32, lo: u32) -> Expr {
    assert!(hi >= lo, "slice {}[{hi}:{lo}]", name.0);
    Expr::Slice(name.clone(), hi, lo)
}

/// `width` bits of `name` starting at `lo`.
pub fn part(name: &Ident, lo: u32, width: u32) -> Expr {
    assert!(width >= 1);
    slice(name, lo + width - 1, lo)
}

/// `~a`.
pub fn not(a: Expr) -> Expr {
    Expr::Unary(UnOp::Not, Box::new(a))
}

/// `a op b`.
pub fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary(op, Box::new(a), Box::new(b))
}

/// `c ? t : e`.
pub fn cond(c: Expr, t: Expr, e: Expr) -> Expr {
    Expr::Cond(Box::new(c), Box::new(t), Box::new(e))
}

/// `{parts...}`, first part most significant.
pub fn concat(parts: Vec<Expr>) -> Expr {
    assert!(!parts.is_empty(), "empty concatenation");
    if parts.len() == 1 {
        return parts.into_iter().next().unwrap();
    }
    Expr::Concat(parts)
}

/// An instance with parameters and named connections; connection and
/// parameter names must be distinct.
pub fn instance(
    module: Ident,
    name: Ident,
    params: Vec<(Ident, Value)>,
    conns: Vec<(Ident, Expr)>,
) -> Item {
    let mut seen = std::collections::HashSet::new();
    for (n, _) in &conns {
        assert!(
            seen.insert(&n.0),
            "port {} connected twice on {}",
            n.0,
            name.0
        );
    }
    seen.clear();
    for (n, _) in &params {
        assert!(
            seen.insert(&n.0),
            "parameter {} set twice on {}",
            n.0,
            name.0
        );
    }
    Item::Instance(Instance {
        module,
        name,
        params: params
            .into_iter()
            .map(|(name, value)| Conn { name, value })
            .collect(),
        conns: conns
            .into_iter()
            .map(|(name, value)| Conn { name, value })
            .collect(),
    })
}

/// A module; port names must be distinct.
pub fn module(
    name: Ident,
    doc: Vec<String>,
    params: Vec<Param>,
    ports: Vec<Port>,
    items: Vec<Item>,
) -> Module {
    let mut seen = std::collections::HashSet::new();
    for p in &ports {
        assert!(
            seen.insert(&p.name.0),
            "port {} declared twice in {}",
            p.name.0,
            name.0
        );
    }
    Module {
        name,
        doc,
        params,
        ports,
        items,
    }
}
