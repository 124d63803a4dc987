//! The typed description of the Verilog-2005 subset the emitter produces.
//! Data only: build values with the checked constructors in
//! [`super::build`], name things with [`super::names`], print with
//! [`super::print`].

/// A legal, escaped Verilog identifier (made only by [`super::names`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident(pub(crate) String);

impl Ident {
    /// The identifier as printed in Verilog source.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Port direction.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Dir {
    /// `input` port.
    Input,
    /// `output` port.
    Output,
}

/// A module port; `width >= 1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// Whether the module reads or drives the port.
    pub dir: Dir,
    /// Port name.
    pub name: Ident,
    /// Width in bits (`[width-1:0]`).
    pub width: u32,
}

/// A parameter value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Integer parameter value, printed in decimal.
    Int(i64),
    /// String parameter value, printed quoted.
    Str(String),
}

/// A module parameter with its default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Parameter name.
    pub name: Ident,
    /// Default value.
    pub value: Value,
}

/// Unary operators.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// Bitwise negation `~`.
    Not,
}

/// Binary operators.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// Bitwise `&`.
    And,
    /// Bitwise `|`.
    Or,
    /// Bitwise `^`.
    Xor,
    /// Equality `==` (1-bit result).
    Eq,
    /// Logical right shift `>>`.
    Shr,
}

/// Expressions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A whole wire, reg or port by name.
    Ref(Ident),
    /// `name[bit]`.
    Bit(Ident, u32),
    /// `name[hi:lo]`, `hi >= lo`.
    Slice(Ident, u32, u32),
    /// Sized constant `width'dvalue`; `value < 2^width`.
    Const {
        /// Width in bits.
        width: u32,
        /// Value, less than `2^width`.
        value: u64,
    },
    /// A unary operator applied to an expression.
    Unary(UnOp, Box<Expr>),
    /// A binary operator applied to two expressions (left, right).
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
    /// Port or parameter name inside the instantiated module.
    pub name: Ident,
    /// What is connected (an expression) or assigned (a parameter value).
    pub value: T,
}

/// A module instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// Name of the instantiated module.
    pub module: Ident,
    /// Instance name, unique in the enclosing module.
    pub name: Ident,
    /// Parameter overrides `#(.name(value), ...)`.
    pub params: Vec<Conn<Value>>,
    /// Port connections `.port(expr)`.
    pub conns: Vec<Conn<Expr>>,
}

/// Module body items, printed in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// `// text` (one line).
    Comment(String),
    /// `wire [width-1:0] name;`
    Wire {
        /// Wire name.
        name: Ident,
        /// Width in bits.
        width: u32,
    },
    /// `assign lhs = rhs;` (`lhs` a reference, bit or slice).
    Assign {
        /// Driven net: a reference, bit or slice.
        lhs: Expr,
        /// Driving expression.
        rhs: Expr,
    },
    /// A module instance.
    Instance(Instance),
    /// `reg [width-1:0] name;`
    Reg {
        /// Register name.
        name: Ident,
        /// Width in bits.
        width: u32,
    },
    /// `reg [width-1:0] name [0:depth-1];`, with `init` also
    /// `initial $readmemh("init", name);` (a ROM, or a preloaded RAM).
    Memory {
        /// Memory name.
        name: Ident,
        /// Word width in bits.
        width: u32,
        /// Number of words.
        depth: usize,
        /// Hex file for `$readmemh`, relative to the simulation directory; `None` leaves the memory uninitialised.
        init: Option<String>,
    },
    /// `always @(posedge clock) begin ... end`: registers.
    Always {
        /// Clock port or wire.
        clock: Ident,
        /// Statements, executed in order on each rising edge.
        body: Vec<Stmt>,
    },
}

/// Statements of an `always` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt {
    /// `lhs <= rhs;` (`lhs` a reg, bit or slice).
    NonBlocking {
        /// Assigned register: a reference, bit or slice.
        lhs: Expr,
        /// Value sampled at the clock edge.
        rhs: Expr,
    },
}

/// A module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    /// Module name.
    pub name: Ident,
    /// Comment lines printed above the module.
    pub doc: Vec<String>,
    /// Parameters with their defaults.
    pub params: Vec<Param>,
    /// Ports in declaration order.
    pub ports: Vec<Port>,
    /// Body items in print order.
    pub items: Vec<Item>,
}

/// A Verilog source file: modules in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct File {
    /// Comment lines printed at the top of the file.
    pub header: Vec<String>,
    /// Modules in print order.
    pub modules: Vec<Module>,
}
