//! The network graph that the float network (`codesign-torch`'s `nn::net`)
//! and the integer network ([`super::IntNetwork`]) share: a list of nodes in
//! execution order, each reading tensors by [`TensorId`], generic over what a
//! multiplying layer and a residual addition carry (float variables, or the
//! integer contract's weights and rescaling). Output shapes are computed here
//! once ([`Op::out_shape`]), and quantization is a map from one payload to
//! the other ([`Op::try_map`]).

use super::arith::window_out;
use super::Shape;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Index, IndexMut};

/// A tensor of the graph: 0 is the network input, node `i` produces tensor
/// `i + 1`. Serialized as the plain number.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TensorId(pub usize);

impl TensorId {
    /// The network input.
    pub const INPUT: TensorId = TensorId(0);

    /// The tensor node `node` produces.
    pub fn output_of(node: usize) -> TensorId {
        TensorId(node + 1)
    }

    /// The index of this tensor in a per-tensor list (the input first).
    pub fn index(self) -> usize {
        self.0
    }

    /// The node that produces this tensor, `None` for the input.
    pub fn producer(self) -> Option<usize> {
        self.0.checked_sub(1)
    }
}

impl fmt::Display for TensorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T> Index<TensorId> for [T] {
    type Output = T;
    fn index(&self, t: TensorId) -> &T {
        &self[t.0]
    }
}

impl<T> IndexMut<TensorId> for [T] {
    fn index_mut(&mut self, t: TensorId) -> &mut T {
        &mut self[t.0]
    }
}

impl<T> Index<TensorId> for Vec<T> {
    type Output = T;
    fn index(&self, t: TensorId) -> &T {
        &self[t.0]
    }
}

impl<T> IndexMut<TensorId> for Vec<T> {
    fn index_mut(&mut self, t: TensorId) -> &mut T {
        &mut self[t.0]
    }
}

/// The geometry of a multiplying layer, all [`Op::out_shape`] needs.
pub trait MacGeometry {
    /// Output channels (output features for linear).
    fn out_ch(&self) -> usize;
    /// Square kernel size (1 for linear).
    fn kernel(&self) -> usize;
    /// Convolution stride.
    fn stride(&self) -> usize;
    /// Zero padding on each side, pixels.
    fn padding(&self) -> usize;
}

impl<T: MacGeometry + ?Sized> MacGeometry for Box<T> {
    fn out_ch(&self) -> usize {
        (**self).out_ch()
    }
    fn kernel(&self) -> usize {
        (**self).kernel()
    }
    fn stride(&self) -> usize {
        (**self).stride()
    }
    fn padding(&self) -> usize {
        (**self).padding()
    }
}

/// What a node computes; `M` is a multiplying layer's payload, `A` a
/// residual addition's. The integer network's file format is this enum's
/// serde form (`"op": "conv"`, ..., the addition's payload fields inline).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op<M, A> {
    /// Convolution.
    Conv(M),
    /// Fully-connected layer, a 1x1 conv on a `[in_ch, 1, 1]` input.
    Linear(M),
    /// Max pooling over square windows, no padding.
    MaxPool {
        /// Window size.
        kernel: usize,
        /// Window stride.
        stride: usize,
    },
    /// Average pooling over square windows, no padding.
    AvgPool {
        /// Window size.
        kernel: usize,
        /// Window stride.
        stride: usize,
    },
    /// Mean over each channel's whole map, to `[c, 1, 1]`.
    GlobalAvgPool,
    /// Reshape `[c, h, w]` to `[c*h*w, 1, 1]` for a following linear layer.
    Flatten,
    /// Residual addition of the node's input and tensor `other` (same shape).
    Add {
        /// The other summand.
        other: TensorId,
        /// How the two are brought to one scale.
        #[serde(flatten)]
        params: A,
    },
}

impl<M, A> Op<M, A> {
    /// The multiplying layer, if this is one.
    pub fn mac(&self) -> Option<&M> {
        match self {
            Op::Conv(m) | Op::Linear(m) => Some(m),
            _ => None,
        }
    }

    /// The multiplying layer, mutable.
    pub fn mac_mut(&mut self) -> Option<&mut M> {
        match self {
            Op::Conv(m) | Op::Linear(m) => Some(m),
            _ => None,
        }
    }

    /// A residual addition's other summand.
    pub fn other(&self) -> Option<TensorId> {
        match self {
            Op::Add { other, .. } => Some(*other),
            _ => None,
        }
    }

    /// The same operation with its payloads mapped (`mac` for a conv or
    /// linear layer, `add` for a residual addition): how quantization turns
    /// the float graph into the integer one.
    pub fn try_map<M2, A2, E>(
        &self,
        mac: impl FnOnce(&M) -> Result<M2, E>,
        add: impl FnOnce(&A) -> Result<A2, E>,
    ) -> Result<Op<M2, A2>, E> {
        Ok(match self {
            Op::Conv(m) => Op::Conv(mac(m)?),
            Op::Linear(m) => Op::Linear(mac(m)?),
            Op::MaxPool { kernel, stride } => Op::MaxPool {
                kernel: *kernel,
                stride: *stride,
            },
            Op::AvgPool { kernel, stride } => Op::AvgPool {
                kernel: *kernel,
                stride: *stride,
            },
            Op::GlobalAvgPool => Op::GlobalAvgPool,
            Op::Flatten => Op::Flatten,
            Op::Add { other, params } => Op::Add {
                other: *other,
                params: add(params)?,
            },
        })
    }
}

impl<M: MacGeometry, A> Op<M, A> {
    /// Output shape for an input of shape `x` (DESIGN.md's integer network:
    /// `(H + 2 * padding - kernel) / stride + 1` per axis, floor; pooling
    /// without padding; linear and global pooling to `1 x 1`). `Err` names
    /// the field that does not fit and why. A linear layer's input size and a
    /// residual addition's other shape are the caller's to check.
    pub fn out_shape(&self, x: Shape) -> Result<Shape, (&'static str, String)> {
        let windows = |c: usize, kernel: usize, stride: usize, padding: usize| match (
            window_out(x.h, kernel, stride, padding),
            window_out(x.w, kernel, stride, padding),
        ) {
            (Some(h), Some(w)) => Ok(Shape { c, h, w }),
            _ => Err((
                "kernel",
                format!(
                    "kernel {kernel} stride {stride} padding {padding} does not fit a {}x{} input",
                    x.h, x.w
                ),
            )),
        };
        match self {
            Op::Conv(m) => windows(m.out_ch(), m.kernel(), m.stride(), m.padding()),
            Op::Linear(m) => Ok(Shape {
                c: m.out_ch(),
                h: 1,
                w: 1,
            }),
            Op::MaxPool { kernel, stride } | Op::AvgPool { kernel, stride } => {
                windows(x.c, *kernel, *stride, 0)
            }
            Op::GlobalAvgPool => Ok(Shape { c: x.c, h: 1, w: 1 }),
            Op::Flatten => Ok(Shape {
                c: x.len(),
                h: 1,
                w: 1,
            }),
            Op::Add { .. } => Ok(x),
        }
    }
}

/// One node: `op` applied to tensor `input`, producing a tensor of shape `out`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node<M, A> {
    /// Layer name, the same in the checkpoint, the sidecar, the integer
    /// network, the assignment and the RTL.
    pub name: String,
    /// The tensor the node reads.
    pub input: TensorId,
    /// What the node computes.
    pub op: Op<M, A>,
    /// Output shape.
    pub out: Shape,
}

impl<M, A> Node<M, A> {
    /// The multiplying layer of this node, if it is one.
    pub fn mac(&self) -> Option<&M> {
        self.op.mac()
    }
}

/// Shape of every tensor of `nodes` (index = [`TensorId`]): `input`, then
/// each node's output.
pub fn tensor_shapes<M, A>(input: Shape, nodes: &[Node<M, A>]) -> Vec<Shape> {
    std::iter::once(input)
        .chain(nodes.iter().map(|n| n.out))
        .collect()
}

/// The multiplying nodes of `nodes` in order: `(node index, node, layer)`.
pub fn mac_nodes<M, A>(nodes: &[Node<M, A>]) -> impl Iterator<Item = (usize, &Node<M, A>, &M)> {
    nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.op.mac().map(|m| (i, n, m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Geo(usize, usize, usize, usize);
    impl MacGeometry for Geo {
        fn out_ch(&self) -> usize {
            self.0
        }
        fn kernel(&self) -> usize {
            self.1
        }
        fn stride(&self) -> usize {
            self.2
        }
        fn padding(&self) -> usize {
            self.3
        }
    }

    #[test]
    fn out_shapes_follow_the_contract() {
        let x = Shape { c: 3, h: 32, w: 32 };
        let conv: Op<Geo, ()> = Op::Conv(Geo(16, 3, 2, 1));
        assert_eq!(
            conv.out_shape(x),
            Ok(Shape {
                c: 16,
                h: 16,
                w: 16
            })
        );
        let pool: Op<Geo, ()> = Op::MaxPool {
            kernel: 2,
            stride: 2,
        };
        assert_eq!(pool.out_shape(x), Ok(Shape { c: 3, h: 16, w: 16 }));
        let flat: Op<Geo, ()> = Op::Flatten;
        assert_eq!(flat.out_shape(x).unwrap().c, 3 * 32 * 32);
        let big: Op<Geo, ()> = Op::AvgPool {
            kernel: 33,
            stride: 1,
        };
        assert_eq!(big.out_shape(x).unwrap_err().0, "kernel");
    }

    #[test]
    fn tensor_ids_index_per_tensor_lists() {
        let v: Vec<i32> = (10..13).collect();
        assert_eq!(v[TensorId::INPUT], 10);
        assert_eq!(v[TensorId::output_of(1)], 12);
        assert_eq!(TensorId(2).producer(), Some(1));
        assert_eq!(TensorId::INPUT.producer(), None);
    }
}
