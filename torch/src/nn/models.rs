//! The architectures, as plain functions that create their variables under
//! an `nn::Path` and return the node list ([`Net`]). Layer names (`conv1`,
//! `s2b1.conv2`, `fc`, ...) become variable prefixes in the checkpoint and
//! node names in the integer network.

use crate::nn::net::{MacNode, Net, Node, NodeOp, BN_EPS};
use codesign::config::{ModelKind, ResidualForm};
use codesign::error::{Error, Result};
use codesign::intnet::{Shape, TensorId};
use tch::nn;

/// Builds a [`Net`] node by node; tensor ids as in the integer network.
pub struct Builder<'a> {
    root: nn::Path<'a>,
    net: Net,
    shapes: Vec<Shape>,
    sigma_init: f64,
}

/// Conv layer settings.
#[derive(Copy, Clone)]
pub struct ConvSpec {
    /// Output channels.
    pub out_ch: usize,
    /// Square kernel size.
    pub kernel: usize,
    /// Convolution stride.
    pub stride: usize,
    /// Zero padding on each side, pixels.
    pub padding: usize,
    /// Batch norm after the conv.
    pub bn: bool,
    /// ReLU (requantized output) after the conv; false for raw accumulators.
    pub relu: bool,
}

impl ConvSpec {
    /// 3x3, stride 1, padding 1, batch norm, ReLU.
    pub fn c3(out_ch: usize) -> Self {
        ConvSpec {
            out_ch,
            kernel: 3,
            stride: 1,
            padding: 1,
            bn: true,
            relu: true,
        }
    }
}

impl<'a> Builder<'a> {
    /// Start a network under `root` for `[c, h, w]` inputs and `classes` logits; `signed` selects 127 or 255 as the largest activation; AGN sigmas start at `sigma_init`.
    pub fn new(
        root: nn::Path<'a>,
        input: Shape,
        classes: usize,
        signed: bool,
        sigma_init: f64,
    ) -> Self {
        let net = Net {
            input,
            classes,
            act_max: if signed { 127 } else { 255 },
            input_shift: u32::from(signed),
            nodes: vec![],
        };
        Builder {
            root,
            net,
            shapes: vec![input],
            sigma_init,
        }
    }

    /// The variable path of a layer name (dots nest, as in PyTorch).
    fn path(&self, name: &str) -> nn::Path<'a> {
        name.split('.')
            .fold(self.root.set_group(0), |p, part| p.sub(part))
    }

    fn shape(&self, t: TensorId) -> Shape {
        self.shapes[t]
    }

    /// Append `op` reading `input`; its output shape is the contract's
    /// ([`NodeOp::out_shape`]). A window that does not fit is a bug in a model
    /// definition ([`build`] checks the image size first), not bad input.
    fn push(&mut self, name: &str, input: TensorId, op: NodeOp) -> TensorId {
        let out = op
            .out_shape(self.shape(input))
            .unwrap_or_else(|(_, msg)| panic!("layer {name}: {msg}"));
        self.net.nodes.push(Node {
            name: name.to_string(),
            input,
            op,
            out,
        });
        self.shapes.push(out);
        TensorId::output_of(self.net.nodes.len() - 1)
    }

    fn mac(&mut self, name: &str, input: TensorId, linear: bool, s: ConvSpec) -> TensorId {
        let x = self.shape(input);
        let in_ch = if linear { x.len() } else { x.c };
        let p = self.path(name);
        let (o, i, k) = (s.out_ch as i64, in_ch as i64, s.kernel as i64);
        let fan_in = (in_ch * s.kernel * s.kernel) as f64;
        let bound = (1.0 / fan_in).sqrt();
        let weight = if linear {
            p.var(
                "weight",
                &[o, i],
                nn::Init::Uniform {
                    lo: -bound,
                    up: bound,
                },
            )
        } else {
            p.var(
                "weight",
                &[o, i, k, k],
                nn::Init::Kaiming {
                    dist: nn::init::NormalOrUniform::Normal,
                    fan: nn::init::FanInOut::FanOut,
                    non_linearity: nn::init::NonLinearity::ReLU,
                },
            )
        };
        let bias = (!s.bn).then(|| {
            p.var(
                "bias",
                &[o],
                nn::Init::Uniform {
                    lo: -bound,
                    up: bound,
                },
            )
        });
        let bn = s.bn.then(|| {
            nn::batch_norm2d(
                &p / "bn",
                o,
                nn::BatchNormConfig {
                    eps: BN_EPS,
                    ..Default::default()
                },
            )
        });
        let sigma = p
            .set_group(1)
            .var("sigma", &[], nn::Init::Const(self.sigma_init));
        let scale = p.zeros_no_train("act_scale", &[]);
        let m = Box::new(MacNode {
            in_ch,
            out_ch: s.out_ch,
            kernel: s.kernel,
            stride: s.stride,
            padding: s.padding,
            weight,
            bias,
            bn,
            relu: s.relu,
            sigma,
            scale,
            macs: 0,
        });
        let t = self.push(
            name,
            input,
            if linear {
                NodeOp::Linear(m)
            } else {
                NodeOp::Conv(m)
            },
        );
        let node = self.net.nodes.last_mut().expect("just pushed");
        let out = node.out.len();
        if let Some(m) = node.op.mac_mut() {
            m.macs = (out * m.in_ch * m.kernel * m.kernel) as u64;
        }
        t
    }

    /// Add a conv layer reading tensor `input`; returns the new tensor.
    pub fn conv(&mut self, name: &str, input: TensorId, s: ConvSpec) -> TensorId {
        self.mac(name, input, false, s)
    }

    /// Linear layer on a `C x 1 x 1` tensor (flatten first).
    pub fn linear(&mut self, name: &str, input: TensorId, out_ch: usize, relu: bool) -> TensorId {
        let x = self.shape(input);
        assert!(
            x.h == 1 && x.w == 1,
            "linear layer {name} needs a flattened input"
        );
        let s = ConvSpec {
            out_ch,
            kernel: 1,
            stride: 1,
            padding: 0,
            bn: false,
            relu,
        };
        self.mac(name, input, true, s)
    }

    /// Add max pooling; returns the new tensor.
    pub fn max_pool(
        &mut self,
        name: &str,
        input: TensorId,
        kernel: usize,
        stride: usize,
    ) -> TensorId {
        self.push(name, input, NodeOp::MaxPool { kernel, stride })
    }

    /// Add average pooling; returns the new tensor.
    pub fn avg_pool(
        &mut self,
        name: &str,
        input: TensorId,
        kernel: usize,
        stride: usize,
    ) -> TensorId {
        self.push(name, input, NodeOp::AvgPool { kernel, stride })
    }

    /// Add global average pooling to `[c, 1, 1]`; returns the new tensor.
    pub fn global_avg_pool(&mut self, name: &str, input: TensorId) -> TensorId {
        self.push(name, input, NodeOp::GlobalAvgPool)
    }

    /// Add a flatten to `[c*h*w, 1, 1]`; returns the new tensor.
    pub fn flatten(&mut self, name: &str, input: TensorId) -> TensorId {
        self.push(name, input, NodeOp::Flatten)
    }

    /// ReLU(a + b), requantized.
    pub fn add(&mut self, name: &str, a: TensorId, b: TensorId) -> TensorId {
        assert_eq!(
            self.shape(a),
            self.shape(b),
            "residual {name}: shapes differ"
        );
        let scale = self.path(name).zeros_no_train("act_scale", &[]);
        self.push(
            name,
            a,
            NodeOp::Add {
                other: b,
                params: scale,
            },
        )
    }

    /// The finished network.
    pub fn finish(self) -> Net {
        self.net
    }
}

/// Build `kind` for `input` images and `classes` classes, ResNet blocks in
/// the default [`ResidualForm`].
pub fn build(
    kind: ModelKind,
    root: nn::Path,
    input: Shape,
    classes: usize,
    signed: bool,
    sigma_init: f64,
) -> Result<Net> {
    build_with(
        kind,
        ResidualForm::default(),
        root,
        input,
        classes,
        signed,
        sigma_init,
    )
}

/// [`build`] with ResNet blocks in form `residual`.
pub fn build_with(
    kind: ModelKind,
    residual: ResidualForm,
    root: nn::Path,
    input: Shape,
    classes: usize,
    signed: bool,
    sigma_init: f64,
) -> Result<Net> {
    let mut b = Builder::new(root, input, classes, signed, sigma_init);
    let need = |min: usize| -> Result<()> {
        if input.h < min || input.w < min {
            return Err(Error::input(format!(
                "model {}: needs images of at least {min}x{min}, the data set has {}x{}",
                kind.name(),
                input.h,
                input.w
            )));
        }
        Ok(())
    };
    match kind {
        ModelKind::DigitsCnn => {
            need(4)?;
            let x = b.conv("conv1", TensorId::INPUT, ConvSpec::c3(16));
            let x = b.conv("conv2", x, ConvSpec::c3(32));
            let x = b.max_pool("pool1", x, 2, 2);
            let x = b.conv("conv3", x, ConvSpec::c3(32));
            let x = b.max_pool("pool2", x, 2, 2);
            let x = b.flatten("flatten", x);
            b.linear("fc", x, classes, false);
        }
        ModelKind::Lenet5 => {
            need(20)?;
            let x = b.conv(
                "conv1",
                TensorId::INPUT,
                ConvSpec {
                    out_ch: 6,
                    kernel: 5,
                    stride: 1,
                    padding: 2,
                    bn: true,
                    relu: true,
                },
            );
            let x = b.avg_pool("pool1", x, 2, 2);
            let x = b.conv(
                "conv2",
                x,
                ConvSpec {
                    out_ch: 16,
                    kernel: 5,
                    stride: 1,
                    padding: 0,
                    bn: true,
                    relu: true,
                },
            );
            let x = b.avg_pool("pool2", x, 2, 2);
            let x = b.flatten("flatten", x);
            let x = b.linear("fc1", x, 120, true);
            let x = b.linear("fc2", x, 84, true);
            b.linear("fc3", x, classes, false);
        }
        ModelKind::Resnet8 | ModelKind::Resnet14 | ModelKind::Resnet20 | ModelKind::Resnet32 => {
            need(8)?;
            let blocks = match kind {
                ModelKind::Resnet8 => 1,
                ModelKind::Resnet14 => 2,
                ModelKind::Resnet20 => 3,
                _ => 5,
            };
            let mut x = b.conv("conv1", TensorId::INPUT, ConvSpec::c3(16));
            for (stage, width) in [16usize, 32, 64].into_iter().enumerate() {
                for block in 0..blocks {
                    let stride = if stage > 0 && block == 0 { 2 } else { 1 };
                    x = basic_block(
                        &mut b,
                        residual,
                        &format!("s{}b{}", stage + 1, block + 1),
                        x,
                        width,
                        stride,
                    );
                }
            }
            let x = b.global_avg_pool("pool", x);
            b.linear("fc", x, classes, false);
        }
        ModelKind::Vgg => {
            need(8)?;
            let mut x = TensorId::INPUT;
            for (i, width) in [64usize, 128, 256].into_iter().enumerate() {
                x = b.conv(&format!("conv{}_1", i + 1), x, ConvSpec::c3(width));
                x = b.conv(&format!("conv{}_2", i + 1), x, ConvSpec::c3(width));
                x = b.max_pool(&format!("pool{}", i + 1), x, 2, 2);
            }
            let x = b.global_avg_pool("gap", x);
            b.linear("fc", x, classes, false);
        }
    }
    Ok(b.finish())
}

/// CIFAR ResNet basic block (He et al., "Deep residual learning for image
/// recognition", CVPR 2016): conv-bn-relu, conv-bn, shortcut (identity, or
/// a 1x1 conv-bn with stride when the shape changes), add, relu.
///
/// [`ResidualForm::AddThenRelu`] (the paper's): the second conv and the
/// projection shortcut output raw accumulators (signed, one weight scale per
/// layer), and the residual add rescales both and requantizes through the
/// block's one ReLU. [`ResidualForm::ReluThenAdd`]: both branches are
/// requantized through a ReLU to 8-bit activations before the add.
fn basic_block(
    b: &mut Builder,
    form: ResidualForm,
    name: &str,
    x: TensorId,
    width: usize,
    stride: usize,
) -> TensorId {
    let relu = form == ResidualForm::ReluThenAdd;
    let in_c = b.shape(x).c;
    let y = b.conv(
        &format!("{name}.conv1"),
        x,
        ConvSpec {
            stride,
            ..ConvSpec::c3(width)
        },
    );
    let y = b.conv(
        &format!("{name}.conv2"),
        y,
        ConvSpec {
            relu,
            ..ConvSpec::c3(width)
        },
    );
    let short = if stride != 1 || in_c != width {
        b.conv(
            &format!("{name}.shortcut"),
            x,
            ConvSpec {
                out_ch: width,
                kernel: 1,
                stride,
                padding: 0,
                bn: true,
                relu,
            },
        )
    } else {
        x
    };
    b.add(&format!("{name}.add"), y, short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::{Device, Kind, Tensor};

    fn shape(c: usize, h: usize, w: usize) -> Shape {
        Shape { c, h, w }
    }

    #[test]
    fn resnet_depths_and_macs() {
        for (kind, convs) in [
            (ModelKind::Resnet8, 8 + 2),
            (ModelKind::Resnet20, 20 + 2),
            (ModelKind::Resnet32, 32 + 2),
        ] {
            let vs = nn::VarStore::new(Device::Cpu);
            let net = build(kind, vs.root(), shape(3, 32, 32), 10, false, 0.1).unwrap();
            // depth = convs on the main path + fc, plus two projection shortcuts.
            assert_eq!(net.mac_nodes().count(), convs, "{kind:?}");
            let y = net.forward_float(
                &Tensor::zeros([2, 3, 32, 32], (Kind::Uint8, Device::Cpu)),
                false,
            );
            assert_eq!(y.size(), vec![2, 10]);
        }
        // ResNet-8 conv1: 32*32*16 outputs, 27 MACs each.
        let vs = nn::VarStore::new(Device::Cpu);
        let net = build(
            ModelKind::Resnet8,
            vs.root(),
            shape(3, 32, 32),
            10,
            false,
            0.1,
        )
        .unwrap();
        assert_eq!(net.mac_nodes().next().unwrap().2.macs, 32 * 32 * 16 * 27);
    }

    #[test]
    fn all_models_run() {
        for (kind, s) in [
            (ModelKind::DigitsCnn, shape(1, 8, 8)),
            (ModelKind::Lenet5, shape(1, 28, 28)),
            (ModelKind::Vgg, shape(3, 32, 32)),
            (ModelKind::Resnet14, shape(3, 32, 32)),
        ] {
            let vs = nn::VarStore::new(Device::Cpu);
            let net = build(kind, vs.root(), s, 10, false, 0.1).unwrap();
            let y = net.forward_float(
                &Tensor::ones(
                    [3, s.c as i64, s.h as i64, s.w as i64],
                    (Kind::Uint8, Device::Cpu),
                ),
                true,
            );
            assert_eq!(y.size(), vec![3, 10]);
        }
        let vs = nn::VarStore::new(Device::Cpu);
        let e = build(ModelKind::Lenet5, vs.root(), shape(1, 8, 8), 10, false, 0.1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("lenet5") && e.contains("8x8"), "{e}");
    }
}
