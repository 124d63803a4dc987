//! The typed description of the Verilog-2005 subset the emitter produces.
//! Data only: build values with the checked constructors in
//! [`super::build`], name things with [`super::names`], print with
//! [`super::print`].

/// A legal, escaped Verilog identifier (made only by [`super::names`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident(pub(crate) String);

impl Ident {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Port direction.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Dir {
    Input,
    Output,
}

/// A module port; `width >= 1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    pub dir: Dir,
    pub name: Ident,
    pub width: u32,
}

/// A parameter value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Str(String),
}

/// A module parameter with its default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: Ident,
    pub value: Value,
}

/// Unary operators.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
}

/// Binary operators.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BinOp {
    And,
    Or,
    Xor,
    Eq,
    Shr,
}

/// Expressions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Ref(Ident),
    /// `name[bit]`.
    Bit(Ident, u32),
    /// `name[hi:lo]`, `hi >= lo`.
    Slice(Ident, u32, u32),
    /// Sized constant `width'dvalue`; `value < 2^width`.
    Const {
        width: u32,
        value: u64,
    },
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `cond ? then : else`.
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `{a, b, ...}`, the first element the most significant.
    Concat(Vec<Expr>),
    /// `memory[address]`: one word of a memory.
    Index(Ident, Box<Expr>),
}

/// A named connection `.port(expr)` or parameter `.name(value)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conn<T> {
    pub name: Ident,
    pub value: T,
}

/// A module instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub module: Ident,
    pub name: Ident,
    pub params: Vec<Conn<Value>>,
    pub conns: Vec<Conn<Expr>>,
}

/// Module body items, printed in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// `// text` (one line).
    Comment(String),
    /// `wire [width-1:0] name;`
    Wire {
        name: Ident,
        width: u32,
    },
    /// `assign lhs = rhs;` (`lhs` a reference, bit or slice).
    Assign {
        lhs: Expr,
        rhs: Expr,
    },
    Instance(Instance),
    /// `reg [width-1:0] name;`
    Reg {
        name: Ident,
        width: u32,
    },
    /// `reg [width-1:0] name [0:depth-1];`, with `init` also
    /// `initial $readmemh("init", name);` (a ROM, or a preloaded RAM).
    Memory {
        name: Ident,
        width: u32,
        depth: usize,
        init: Option<String>,
    },
    /// `always @(posedge clock) begin ... end`: registers.
    Always {
        clock: Ident,
        body: Vec<Stmt>,
    },
}

/// Statements of an `always` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt {
    /// `lhs <= rhs;` (`lhs` a reg, bit or slice).
    NonBlocking { lhs: Expr, rhs: Expr },
}

/// A module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    pub name: Ident,
    pub doc: Vec<String>,
    pub params: Vec<Param>,
    pub ports: Vec<Port>,
    pub items: Vec<Item>,
}

/// A Verilog source file: modules in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct File {
    pub header: Vec<String>,
    pub modules: Vec<Module>,
}
