//! The area, capacitance, transition and power figures of a Liberty
//! library's combinational cells, for switching-energy estimates
//! ([`crate::library::energy`]).
//!
//! Read per cell: `area`, `cell_leakage_power`; per input pin its
//! `capacitance` and any pin-level `internal_power`; per output pin its
//! `function`, its `internal_power` groups (`rise_power` / `fall_power`:
//! energy of one output rise / fall by input transition and output load)
//! and its `timing` groups' `rise_transition` / `fall_transition` tables.
//! Per library: `nom_voltage`, the units, and the default wire-load model.
//!
//! Units (Liberty Reference Manual): capacitances in
//! `capacitive_load_unit`, times in `time_unit`, leakage in
//! `leakage_power_unit`, internal-power table entries as energies per
//! transition in `capacitive_load_unit` × `voltage_unit`² (the convention
//! OpenSTA and commercial tools apply; 1 fF × 1 V² = 1 fJ for NanGate45).
//! Everything is converted on reading to fF, ns, fJ and nW.

use super::{library, parse, Group};
use crate::error::{Error, Result};
use crate::netlist::import::boolfn::Func;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a table's axis is indexed by.
#[derive(Copy, Clone, Debug, PartialEq)]
enum Var {
    /// Input transition time (ns).
    Transition,
    /// Output load capacitance (fF).
    Load,
}

/// A one- or two-dimensional Liberty lookup table.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Axis variables and indices (`index_1`, then `index_2` if any).
    axes: Vec<(Var, Vec<f64>)>,
    /// Values, `index_1`-major.
    values: Vec<f64>,
}

impl Table {
    /// The value at input transition `slew` (ns) and output load `load`
    /// (fF): linear interpolation on each axis, linear extrapolation past
    /// its ends (as static timing tools do).
    pub fn at(&self, slew: f64, load: f64) -> f64 {
        let x = |v: Var| if v == Var::Transition { slew } else { load };
        match self.axes.as_slice() {
            [] => self.values[0],
            [(v, i1)] => interp(i1, x(*v), |k| self.values[k]),
            [(v1, i1), (v2, i2)] => {
                let n2 = i2.len();
                interp(i1, x(*v1), |r| {
                    interp(i2, x(*v2), |c| self.values[r * n2 + c])
                })
            }
            _ => unreachable!("tables have at most two axes"),
        }
    }
}

/// Piecewise-linear interpolation of `f` over the sorted `index` at `x`.
fn interp(index: &[f64], x: f64, f: impl Fn(usize) -> f64) -> f64 {
    if index.len() == 1 {
        return f(0);
    }
    let k = index.partition_point(|&i| i <= x).clamp(1, index.len() - 1);
    let (x0, x1) = (index[k - 1], index[k]);
    let t = if x1 == x0 { 0.0 } else { (x - x0) / (x1 - x0) };
    f(k - 1) * (1.0 - t) + f(k) * t
}

/// Energy of one rise and one fall, as tables (absent: zero).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RiseFall {
    /// Energy (fJ) or transition (ns) of a rising edge.
    pub rise: Option<Table>,
    /// Energy (fJ) or transition (ns) of a falling edge.
    pub fall: Option<Table>,
}

impl RiseFall {
    /// `(rise, fall)` at `slew` and `load` (zero where absent).
    pub fn at(&self, slew: f64, load: f64) -> (f64, f64) {
        let v = |t: &Option<Table>| t.as_ref().map_or(0.0, |t| t.at(slew, load));
        (v(&self.rise), v(&self.fall))
    }
}

/// An input pin.
#[derive(Clone, Debug, PartialEq)]
pub struct InputPin {
    /// Pin name.
    pub name: String,
    /// Input capacitance (fF).
    pub capacitance: f64,
    /// Pin-level internal energy per input rise / fall, by the pin's own
    /// transition (fJ; the mean over the pin's `internal_power` groups).
    pub internal: Vec<RiseFall>,
}

/// An output pin.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputPin {
    /// Pin name.
    pub name: String,
    /// Its Boolean function of the cell's input pins.
    pub function: Func,
    /// Internal energy per output rise / fall (fJ), one per related pin.
    pub internal: Vec<RiseFall>,
    /// Output transition tables (ns), one per timing arc.
    pub transition: Vec<RiseFall>,
}

/// A combinational cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Cell name.
    pub name: String,
    /// Area in the library's area unit (µm² for NanGate45).
    pub area: f64,
    /// Mean leakage power (nW).
    pub leakage_nw: f64,
    /// Input pins, in the file's order.
    pub inputs: Vec<InputPin>,
    /// Output pins, in the file's order.
    pub outputs: Vec<OutputPin>,
}

/// A wire-load model: wire capacitance by fanout.
#[derive(Clone, Debug, PartialEq)]
pub struct WireLoad {
    /// Model name.
    pub name: String,
    /// Capacitance per unit length (fF).
    pub capacitance: f64,
    /// Length per fanout beyond the table's last entry.
    pub slope: f64,
    /// `(fanout, length)`, sorted by fanout.
    pub lengths: Vec<(u32, f64)>,
}

impl WireLoad {
    /// Estimated wire capacitance (fF) of a net with `fanout` loads.
    pub fn capacitance(&self, fanout: u32) -> f64 {
        if fanout == 0 {
            return 0.0;
        }
        let len = match self.lengths.last() {
            None => 0.0,
            Some(&(last, l)) if fanout > last => l + self.slope * (fanout - last) as f64,
            Some(_) => {
                let idx: Vec<f64> = self.lengths.iter().map(|x| x.0 as f64).collect();
                interp(&idx, fanout as f64, |k| self.lengths[k].1)
            }
        };
        self.capacitance * len
    }
}

/// The power view of a Liberty library.
#[derive(Clone, Debug)]
pub struct PowerLibrary {
    /// Library name.
    pub name: String,
    /// The file it was read from.
    pub path: PathBuf,
    /// Nominal supply voltage (V).
    pub nom_voltage: f64,
    /// Combinational cells with a function for every output, by name
    /// (sequential cells are left out).
    pub cells: HashMap<String, Cell>,
    /// Input capacitance (fF) of the data pin of the library's smallest
    /// D flip-flop (the register that captures a product bit), if any.
    pub register_pin_capacitance: Option<f64>,
    /// The default wire-load model, if the library names one.
    pub wire_load: Option<WireLoad>,
    /// Cells left out of `cells` (sequential and other cells without a
    /// function for every output), by name: their leakage and clock pin.
    pub registers: HashMap<String, Register>,
}

/// A cell left out of [`PowerLibrary::cells`] (a flip-flop, latch, ...):
/// what the system energy and gate-level simulation need of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Register {
    /// Mean leakage power (nW).
    pub leakage_nw: f64,
    /// The input pin with `clock : true`, if any (its internal energy per
    /// transition and capacitance).
    pub clock: Option<InputPin>,
    /// Its behaviour, for an edge-triggered flip-flop (`ff` group) whose
    /// functions this reader understands; `None` for latches and others.
    pub ff: Option<FlipFlop>,
}

impl Register {
    /// Energy of clocking it once (fJ per cycle): its clock pin's internal
    /// energy of a rise and a fall (mean over the pin's `internal_power`
    /// groups, at transition `slew_ns`) plus charging the pin's
    /// capacitance once per cycle (`C * V^2` at supply `volts`). 0 without
    /// a clock pin.
    pub fn clock_fj_per_cycle(&self, slew_ns: f64, volts: f64) -> f64 {
        let Some(ck) = &self.clock else { return 0.0 };
        let k = ck.internal.len().max(1) as f64;
        let (r, f) = ck
            .internal
            .iter()
            .map(|t| t.at(slew_ns, 0.0))
            .fold((0.0, 0.0), |a, x| (a.0 + x.0, a.1 + x.1));
        (r + f) / k + ck.capacitance * volts * volts
    }
}

/// An edge-triggered flip-flop's Liberty `ff` group: the state `IQ` takes
/// `next_state` at the clock edge (`clocked_on`), forced to 0 by `clear`
/// and to 1 by `preset` (clear wins where both hold; this reader applies
/// them at the clock edge, which is exact for resets held over an edge).
#[derive(Clone, Debug, PartialEq)]
pub struct FlipFlop {
    /// Input pins other than the clock, in the file's order: `Func::Pin(k)`
    /// of every function below is `inputs[k]`.
    pub inputs: Vec<InputPin>,
    /// The clock pin's name.
    pub clock: String,
    /// Next state, a function of `inputs`.
    pub next_state: Func,
    /// Asynchronous clear, a function of `inputs`.
    pub clear: Option<Func>,
    /// Asynchronous preset, a function of `inputs`.
    pub preset: Option<Func>,
    /// Output pins; their functions read `Func::Pin(inputs.len())` as the
    /// state `IQ` and `Func::Pin(inputs.len() + 1)` as `IQN`.
    pub outputs: Vec<OutputPin>,
}

/// Scale of a unit string such as `1ns`, `1ps`, `1V`, `1mW`, `1nW` relative to
/// the base unit with prefix `base` (e.g. `n` for ns).
fn unit_scale(text: &str, base: f64) -> Option<f64> {
    let t = text.trim().trim_matches('"');
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mult: f64 = if digits.is_empty() {
        1.0
    } else {
        digits.parse().ok()?
    };
    let rest = &t[digits.len()..];
    let prefix = match rest.chars().next()? {
        'f' => 1e-15,
        'p' => 1e-12,
        'n' => 1e-9,
        'u' => 1e-6,
        'm' => 1e-3,
        _ if rest.len() == 1 => 1.0,
        _ => return None,
    };
    Some(mult * prefix / base)
}

fn attr<'g>(g: &'g Group, k: &str) -> Option<&'g (String, String, u32)> {
    g.attrs.iter().find(|a| a.0 == k)
}

fn number(path: &Path, g: &Group, k: &str) -> Result<Option<f64>> {
    match attr(g, k) {
        None => Ok(None),
        Some((_, v, line)) => v.trim().trim_matches('"').parse().map(Some).map_err(|_| {
            Error::at_line(
                path,
                *line as usize,
                format!("`{k}` value `{v}` is not a number"),
            )
        }),
    }
}

fn numbers(path: &Path, text: &str, line: u32) -> Result<Vec<f64>> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse().map_err(|_| {
                Error::at_line(
                    path,
                    line as usize,
                    format!("table value `{s}` is not a number"),
                )
            })
        })
        .collect()
}

/// Reading context: templates and unit scales.
struct Ctx<'a> {
    path: &'a Path,
    templates: HashMap<String, Vec<Var>>,
    /// Multiply file capacitances by this to get fF.
    cap: f64,
    /// Multiply file times by this to get ns.
    time: f64,
    /// Multiply file internal energies by this to get fJ.
    energy: f64,
}

impl Ctx<'_> {
    /// A table group (`rise_power (template) { index_1 (...); values (...); }`).
    fn table(&self, g: &Group, scale: f64) -> Result<Table> {
        let template = g.args.first().map(String::as_str).unwrap_or("scalar");
        let values = attr(g, "values")
            .map(|(_, v, l)| numbers(self.path, v, *l))
            .transpose()?
            .unwrap_or_default();
        let mut axes = vec![];
        if template != "scalar" {
            let vars = self.templates.get(template).ok_or_else(|| {
                Error::at_line(
                    self.path,
                    g.line as usize,
                    format!("table template `{template}` is not defined"),
                )
            })?;
            for (k, var) in vars.iter().enumerate() {
                let key = format!("index_{}", k + 1);
                let idx = attr(g, &key)
                    .map(|(_, v, l)| numbers(self.path, v, *l))
                    .transpose()?
                    .ok_or_else(|| {
                        Error::at_line(self.path, g.line as usize, format!("table without `{key}`"))
                    })?;
                let s = if *var == Var::Load {
                    self.cap
                } else {
                    self.time
                };
                axes.push((*var, idx.into_iter().map(|x| x * s).collect::<Vec<_>>()));
            }
        }
        let want: usize = axes.iter().map(|(_, i)| i.len()).product();
        if values.len() != want.max(1) || axes.iter().any(|(_, i)| i.is_empty()) {
            return Err(Error::at_line(
                self.path,
                g.line as usize,
                format!(
                    "table `{}` has {} values for a {} grid",
                    g.kind,
                    values.len(),
                    want
                ),
            ));
        }
        Ok(Table {
            axes,
            values: values.into_iter().map(|v| v * scale).collect(),
        })
    }

    /// The `internal_power` groups of pin group `g`, as energies.
    fn internal(&self, g: &Group) -> Result<Vec<RiseFall>> {
        g.groups
            .iter()
            .filter(|p| p.kind == "internal_power")
            .map(|p| self.rise_fall(p, "rise_power", "fall_power", self.energy))
            .collect()
    }

    /// The [`FlipFlop`] of cell group `c` with `ff` group `ff`, input pins
    /// `inputs` and outputs `outputs` (as `cells_of` found them); `None`
    /// if a function is not one this reader parses (the cell then cannot
    /// be simulated, which the simulator reports by name).
    fn flip_flop(
        &self,
        c: &Group,
        ff: &Group,
        inputs: &[String],
        outputs: &[(String, Func)],
    ) -> Result<Option<FlipFlop>> {
        let text =
            |g: &Group, k: &str| attr(g, k).map(|a| a.1.trim().trim_matches('"').to_string());
        let pin = |p: &str| {
            c.groups
                .iter()
                .find(|g| g.kind == "pin" && g.args.first().map(String::as_str) == Some(p))
        };
        let (Some(clock), [iq, iqn]) = (text(ff, "clocked_on"), ff.args.as_slice()) else {
            return Ok(None);
        };
        let data: Vec<&str> = inputs
            .iter()
            .map(String::as_str)
            .filter(|p| *p != clock)
            .collect();
        let mut with_state = data.clone();
        with_state.extend([iq.trim_matches('"'), iqn.trim_matches('"')]);
        let parse = |k: &str| text(ff, k).map(|t| Func::parse(&t, &data));
        let (Some(Ok(next_state)), clear, preset) =
            (parse("next_state"), parse("clear"), parse("preset"))
        else {
            return Ok(None);
        };
        let (Ok(clear), Ok(preset)) = (clear.transpose(), preset.transpose()) else {
            return Ok(None);
        };
        let mut outs = vec![];
        for (o, _) in outputs {
            let Some(g) = pin(o) else { return Ok(None) };
            let Some(Ok(function)) = text(g, "function").map(|t| Func::parse(&t, &with_state))
            else {
                return Ok(None);
            };
            outs.push(OutputPin {
                name: o.clone(),
                function,
                internal: self.internal(g)?,
                transition: g
                    .groups
                    .iter()
                    .filter(|p| p.kind == "timing")
                    .map(|p| self.rise_fall(p, "rise_transition", "fall_transition", self.time))
                    .collect::<Result<Vec<_>>>()?,
            });
        }
        let mut ins = vec![];
        for p in &data {
            let Some(g) = pin(p) else { return Ok(None) };
            ins.push(InputPin {
                name: p.to_string(),
                capacitance: number(self.path, g, "capacitance")?.unwrap_or(0.0) * self.cap,
                internal: self.internal(g)?,
            });
        }
        Ok(Some(FlipFlop {
            inputs: ins,
            clock,
            next_state,
            clear,
            preset,
            outputs: outs,
        }))
    }

    /// The `(rise_k, fall_k)` tables of group `g`.
    fn rise_fall(&self, g: &Group, rise: &str, fall: &str, scale: f64) -> Result<RiseFall> {
        let get = |k: &str| {
            g.groups
                .iter()
                .find(|t| t.kind == k)
                .map(|t| self.table(t, scale))
                .transpose()
        };
        Ok(RiseFall {
            rise: get(rise)?,
            fall: get(fall)?,
        })
    }
}

impl PowerLibrary {
    /// Read the Liberty file at `path`. Errors name the file and line.
    pub fn read(path: &Path) -> Result<PowerLibrary> {
        let text = crate::io::read_text(path)?;
        Self::parse(&text, path)
    }

    /// The Liberty file at `path`, read once per process and shared.
    pub fn cached(path: &Path) -> Result<std::sync::Arc<PowerLibrary>> {
        use std::sync::{Arc, Mutex, OnceLock};
        static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<PowerLibrary>>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(l) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(path) {
            return Ok(l.clone());
        }
        let l = Arc::new(Self::read(path)?);
        cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_path_buf(), l.clone());
        Ok(l)
    }

    /// Parse Liberty `text` (read from `path`).
    pub fn parse(text: &str, path: &Path) -> Result<PowerLibrary> {
        let root = parse(text, path)?;
        let lib = library(&root, path)?;
        let unit = |k: &str, base: f64, default: f64| -> Result<f64> {
            match attr(lib, k) {
                None => Ok(default),
                Some((_, v, line)) => unit_scale(v, base).ok_or_else(|| {
                    Error::at_line(path, *line as usize, format!("`{k}` `{v}` is not a unit"))
                }),
            }
        };
        let time = unit("time_unit", 1e-9, 1.0)?;
        let volt = unit("voltage_unit", 1.0, 1.0)?;
        let leak = unit("leakage_power_unit", 1e-9, 1.0)?;
        // capacitive_load_unit (1,ff) is a complex attribute: "1,ff".
        let cap = match attr(lib, "capacitive_load_unit") {
            None => 1e-3, // Liberty's default is 1 pF
            Some((_, v, line)) => {
                let mut it = v.split(',').map(str::trim);
                let m: Option<f64> = it.next().and_then(|m| m.parse().ok());
                let u = it.next().map(str::to_ascii_lowercase);
                let s = match u.as_deref() {
                    Some("ff") => Some(1.0),
                    Some("pf") => Some(1e3),
                    _ => None,
                };
                match (m, s) {
                    (Some(m), Some(s)) => m * s,
                    _ => {
                        return Err(Error::at_line(
                            path,
                            *line as usize,
                            format!("`capacitive_load_unit ({v})` is not a capacitance unit"),
                        ))
                    }
                }
            }
        };
        let nom_voltage = number(path, lib, "nom_voltage")?.ok_or_else(|| {
            Error::in_file(path, "no `nom_voltage` (needed for switching energy)")
        })? * volt;
        let mut templates = HashMap::new();
        for t in lib
            .groups
            .iter()
            .filter(|g| g.kind == "power_lut_template" || g.kind == "lu_table_template")
        {
            let mut vars = vec![];
            for k in 1..=3 {
                if let Some((_, v, _)) = attr(t, &format!("variable_{k}")) {
                    vars.push(match v.trim() {
                        "input_transition_time" | "input_net_transition" => Var::Transition,
                        "total_output_net_capacitance" => Var::Load,
                        // Other axes (constraints, ...) are not used here.
                        _ => Var::Transition,
                    });
                }
            }
            if let Some(name) = t.args.first() {
                templates.insert(name.clone(), vars);
            }
        }
        let ctx = Ctx {
            path,
            templates,
            cap,
            time,
            energy: cap * volt * volt,
        };
        let defs = super::cells_of(lib, path)?;
        let mut cells = HashMap::new();
        let mut register_pin_capacitance: Option<(f64, f64)> = None;
        let mut registers = HashMap::new();
        for c in lib.groups.iter().filter(|g| g.kind == "cell") {
            let name = c.args.first().cloned().unwrap_or_default();
            let Some(def) = defs.get(&name) else { continue };
            let area = number(path, c, "area")?.unwrap_or(0.0);
            let pin = |p: &str| {
                c.groups
                    .iter()
                    .find(|g| g.kind == "pin" && g.args.first().map(String::as_str) == Some(p))
            };
            let leakage_nw = number(path, c, "cell_leakage_power")?.unwrap_or(0.0) * leak;
            let input_pin = |g: &Group, name: &str| -> Result<InputPin> {
                Ok(InputPin {
                    name: name.to_string(),
                    capacitance: number(path, g, "capacitance")?.unwrap_or(0.0) * cap,
                    internal: ctx.internal(g)?,
                })
            };
            if def.unusable.is_some() {
                let clock = c
                    .groups
                    .iter()
                    .find(|g| {
                        g.kind == "pin"
                            && attr(g, "clock").is_some_and(|(_, v, _)| v.trim() == "true")
                    })
                    .map(|g| input_pin(g, g.args.first().map(String::as_str).unwrap_or("")))
                    .transpose()?;
                let ff = match c.groups.iter().find(|g| g.kind == "ff") {
                    Some(g) => ctx.flip_flop(c, g, &def.inputs, &def.outputs)?,
                    None => None,
                };
                registers.insert(
                    name.clone(),
                    Register {
                        leakage_nw,
                        clock,
                        ff,
                    },
                );
                // The smallest D flip-flop's D pin loads each product bit.
                let is_dff = c.groups.iter().any(|g| g.kind == "ff")
                    && def.inputs.iter().any(|i| i == "D")
                    && def.inputs.len() == 2;
                if let (true, Some(d)) = (is_dff, pin("D")) {
                    if let Some(cd) = number(path, d, "capacitance")? {
                        if register_pin_capacitance.is_none_or(|(a, _)| area < a) {
                            register_pin_capacitance = Some((area, cd * cap));
                        }
                    }
                }
                continue;
            }
            let mut inputs = vec![];
            for i in &def.inputs {
                inputs.push(input_pin(pin(i).expect("cells_of found the pin"), i)?);
            }
            let mut outputs = vec![];
            for (o, f) in &def.outputs {
                let g = pin(o).expect("cells_of found the pin");
                let internal = ctx.internal(g)?;
                let transition = g
                    .groups
                    .iter()
                    .filter(|p| p.kind == "timing")
                    .map(|p| ctx.rise_fall(p, "rise_transition", "fall_transition", time))
                    .collect::<Result<Vec<_>>>()?;
                outputs.push(OutputPin {
                    name: o.clone(),
                    function: f.clone(),
                    internal,
                    transition,
                });
            }
            cells.insert(
                name.clone(),
                Cell {
                    name,
                    area,
                    leakage_nw,
                    inputs,
                    outputs,
                },
            );
        }
        let wire_load = match attr(lib, "default_wire_load") {
            None => None,
            Some((_, name, line)) => {
                let name = name.trim().trim_matches('"');
                let g = lib
                    .groups
                    .iter()
                    .find(|g| {
                        g.kind == "wire_load" && g.args.first().map(String::as_str) == Some(name)
                    })
                    .ok_or_else(|| {
                        Error::at_line(
                            path,
                            *line as usize,
                            format!("default wire load `{name}` is not defined"),
                        )
                    })?;
                let mut lengths = vec![];
                for (k, v, l) in g.attrs.iter().filter(|a| a.0 == "fanout_length") {
                    match numbers(path, v, *l)?.as_slice() {
                        [f, len] => lengths.push((*f as u32, *len)),
                        _ => {
                            return Err(Error::at_line(
                                path,
                                *l as usize,
                                format!("`{k} ({v})`: expected (fanout, length)"),
                            ))
                        }
                    }
                }
                lengths.sort_by_key(|x| x.0);
                Some(WireLoad {
                    name: name.to_string(),
                    capacitance: number(path, g, "capacitance")?.unwrap_or(0.0) * cap,
                    slope: number(path, g, "slope")?.unwrap_or(0.0),
                    lengths,
                })
            }
        };
        Ok(PowerLibrary {
            name: lib.args.first().cloned().unwrap_or_default(),
            path: path.to_path_buf(),
            nom_voltage,
            cells,
            register_pin_capacitance: register_pin_capacitance.map(|x| x.1),
            wire_load,
            registers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const LIB: &str = r#"
library (tiny) {
  time_unit : "1ns";
  voltage_unit : "1V";
  leakage_power_unit : "1nW";
  capacitive_load_unit (1,ff);
  nom_voltage : 1.0;
  default_wire_load : "w";
  wire_load ("w") { capacitance : 0.5; slope : 2.0; fanout_length (1, 1.0); fanout_length (2, 3.0); }
  power_lut_template (P2) { variable_1 : input_transition_time; variable_2 : total_output_net_capacitance;
    index_1 ("1, 2"); index_2 ("1, 2"); }
  lu_table_template (T2) { variable_1 : total_output_net_capacitance; variable_2 : input_transition_time;
    index_1 ("1, 2"); index_2 ("1, 2"); }
  cell (INV) {
    area : 0.5; cell_leakage_power : 10.0;
    pin (A) { direction : input; capacitance : 2.0; }
    pin (ZN) { direction : output; function : "!A";
      internal_power () { related_pin : "A";
        rise_power (P2) { index_1 ("0.0, 1.0"); index_2 ("0.0, 10.0"); values ("1.0, 2.0", "3.0, 4.0"); }
        fall_power (scalar) { values ("0.5"); } }
      timing () { related_pin : "A";
        rise_transition (T2) { index_1 ("0.0, 10.0"); index_2 ("0.0, 1.0"); values ("0.1, 0.2", "0.3, 0.4"); } }
    }
  }
  cell (DFF) { area : 4.0; ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; }
    pin (D) { direction : input; capacitance : 1.5; } pin (CK) { direction : input; }
    pin (Q) { direction : output; function : "IQ"; } }
}
"#;

    #[test]
    fn reads_tables_units_and_registers() {
        let l = PowerLibrary::parse(LIB, Path::new("tiny.lib")).unwrap();
        assert_eq!(l.nom_voltage, 1.0);
        assert_eq!(l.register_pin_capacitance, Some(1.5));
        assert_eq!(l.cells.len(), 1, "sequential cells are left out");
        let inv = &l.cells["INV"];
        assert_eq!((inv.area, inv.leakage_nw), (0.5, 10.0));
        assert_eq!(inv.inputs[0].capacitance, 2.0);
        let p = &inv.outputs[0].internal[0];
        // Corners, a bilinear midpoint, extrapolation, a scalar.
        assert_eq!(p.at(0.0, 0.0), (1.0, 0.5));
        assert_eq!(p.at(1.0, 10.0).0, 4.0);
        assert!((p.at(0.5, 5.0).0 - 2.5).abs() < 1e-12);
        assert!((p.at(2.0, 0.0).0 - 5.0).abs() < 1e-12);
        // The transition template has its axes the other way round.
        let t = &inv.outputs[0].transition[0];
        assert!((t.at(1.0, 0.0).0 - 0.2).abs() < 1e-12);
        assert!((t.at(0.0, 10.0).0 - 0.3).abs() < 1e-12);
        assert_eq!(t.at(0.0, 0.0).1, 0.0, "no fall table");
        let w = l.wire_load.unwrap();
        assert_eq!(w.capacitance(0), 0.0);
        assert_eq!(w.capacitance(2), 1.5);
        assert_eq!(w.capacitance(4), 0.5 * (3.0 + 2.0 * 2.0));
    }

    #[test]
    fn units_scale() {
        assert_eq!(unit_scale("\"1ns\"", 1e-9), Some(1.0));
        assert!((unit_scale("1ps", 1e-9).unwrap() - 1e-3).abs() < 1e-15);
        assert_eq!(unit_scale("1V", 1.0), Some(1.0));
        assert!((unit_scale("1mV", 1.0).unwrap() - 1e-3).abs() < 1e-15);
        assert_eq!(unit_scale("1nW", 1e-9), Some(1.0));
    }
}
