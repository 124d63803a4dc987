//! Synthesis and formal checks with Yosys.

use crate::error::{Error, Result};
use crate::rtl::memory::{self, MemoryArea, MemoryKind};
use crate::tool::{path_arg, run, Tool};
use std::path::Path;

/// Prove with Yosys (miter + SAT) that module `gold_top` of `gold` and
/// module `gate_top` of `gate` compute the same outputs for every input.
/// Both must be combinational with the same ports. Fails with the tool's
/// complaint (including the counterexample) when they differ.
pub fn equiv(gold: &Path, gold_top: &str, gate: &Path, gate_top: &str, work: &Path) -> Result<()> {
    std::fs::create_dir_all(work).map_err(|e| Error::io(work, e))?;
    let (g, t) = (path_arg(gold)?, path_arg(gate)?);
    let script = format!(
        "read_verilog {g}\nread_verilog {t}\nprep\nflatten\nmiter -equiv -flatten -make_assert {gold_top} {gate_top} equiv_miter\n\
         hierarchy -top equiv_miter\nsat -verify -prove-asserts -show-inputs equiv_miter\n",
    );
    let ys = work.join(format!("equiv_{gate_top}.ys"));
    crate::io::write_atomic(&ys, script.as_bytes())?;
    run(
        Tool::Yosys,
        &["-q", "-s", &path_arg(&ys)?],
        work,
        Some(&work.join(format!("equiv_{gate_top}.log"))),
    )?;
    Ok(())
}

/// Outcome of an equivalence check that ran.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Equivalence {
    /// Every output proved equal.
    Proven,
    /// Yosys left some `$equiv` cells unproven: the designs differ (or
    /// differ structurally beyond what `equiv_simple` can match).
    Unproven,
}

/// Prove with Yosys's equivalence checker (`equiv_make`, `equiv_simple`,
/// `equiv_status -assert`) that Verilog module `gate_top` of `gate` equals
/// the netlist `gold_top` in Yosys JSON file `gold_json`: a structural check,
/// fast when both describe the same gates. Errors only when Yosys could not
/// run the check (unreadable files, missing modules); a check that ran and
/// failed is [`Equivalence::Unproven`].
pub fn equiv_json(
    gold_json: &Path,
    gold_top: &str,
    gate: &Path,
    gate_top: &str,
    work: &Path,
) -> Result<Equivalence> {
    std::fs::create_dir_all(work).map_err(|e| Error::io(work, e))?;
    let (g, t) = (path_arg(gold_json)?, path_arg(gate)?);
    let script = format!(
        "read_json {g}\nread_verilog {t}\nprep\nequiv_make {gold_top} {gate_top} equiv_check\n\
         hierarchy -top equiv_check\nequiv_simple\nequiv_status -assert\n",
    );
    let ys = work.join(format!("equiv_{gate_top}.ys"));
    crate::io::write_atomic(&ys, script.as_bytes())?;
    let log = work.join(format!("equiv_{gate_top}.log"));
    match run(
        Tool::Yosys,
        &["-q", "-s", &path_arg(&ys)?],
        work,
        Some(&log),
    ) {
        Ok(_) => Ok(Equivalence::Proven),
        // `equiv_status -assert` ends the run with "Found N unproven $equiv cells".
        Err(e) if crate::io::read_text(&log).is_ok_and(|t| t.contains("unproven $equiv cells")) => {
            tracing::debug!("{e}");
            Ok(Equivalence::Unproven)
        }
        Err(e) => Err(e),
    }
}

use crate::rtl::accel::SYNTH_YS;

/// Area model for Yosys's internal cells, in NAND2 equivalents: the
/// combinational gates use the library's cell table
/// ([`crate::library::cost::cell`], 45 nm X1 sizes over NAND2_X1); a D
/// flip-flop is 5.67 (DFF_X1 / NAND2_X1), plus 1.33 for a synchronous
/// reset or set and 2.33 for an enable (the AND / MUX in front of it).
pub const AREA_MODEL: &str = "NAND2 equivalents: gates from the library's 45 nm X1 cell table; DFF 5.67, +1.33 sync reset/set, +2.33 enable";

/// NAND2-equivalent area of one Yosys internal cell type.
pub fn cell_area(ty: &str) -> Option<f64> {
    use crate::netlist::GateKind::*;
    let g = |k| Some(crate::library::cost::cell(k).area_ge);
    match ty {
        "$_BUF_" => Some(0.0),
        "$_NOT_" => g(Not),
        "$_AND_" => g(And),
        "$_OR_" => g(Or),
        "$_XOR_" => g(Xor),
        "$_NAND_" => g(Nand),
        "$_NOR_" => g(Nor),
        "$_XNOR_" => g(Xnor),
        "$_ANDNOT_" => g(AndNot),
        "$_ORNOT_" => g(OrNot),
        "$_MUX_" => g(Mux),
        t if t.starts_with("$_DFF") || t.starts_with("$_SDFF") || t.starts_with("$_DFFE") => {
            let mut a = 5.67;
            if t.starts_with("$_SDFF")
                || t.starts_with("$_DFFSR")
                || t.contains("_PN0_")
                || t.contains("_PP0_")
                || t.contains("_PP1_")
                || t.contains("_PN1_")
            {
                a += 1.33;
            }
            if t.starts_with("$_DFFE") || t.starts_with("$_SDFFE") || t.starts_with("$_SDFFCE") {
                a += 2.33;
            }
            Some(a)
        }
        _ => None,
    }
}

/// Cells and area of one module, its submodules included.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Area {
    /// Leaf cells (gates and flip-flops).
    pub cells: u64,
    /// Of the cells, flip-flops.
    pub flip_flops: u64,
    /// Area in NAND2 equivalents.
    pub area_ge: f64,
}

/// One sequencer unit after synthesis.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UnitArea {
    /// Node (layer) name.
    pub layer: String,
    /// `mac_engine`, `pool` or `residual_add`.
    pub kind: String,
    /// Verilog module of the unit.
    pub module: String,
    /// Library id of the engine's multiplier (engines only).
    pub multiplier: Option<String>,
    /// Parallel multiplier lanes (engines only).
    pub lanes: usize,
    /// The engine's logic plus its ROM macros (`area_ge`; `cells` and
    /// `flip_flops` count logic only).
    pub area: Area,
    /// Of `area.area_ge`, the engine's ROM macros (weights, bias,
    /// requantization multiplier and shift; modelled, see `memories`).
    #[serde(default)]
    pub rom_area_ge: f64,
    /// One multiplier of this engine.
    pub multiplier_area: Option<Area>,
}

/// `synth.json`. Memories are black-box macros whose area comes from the
/// stated SRAM model ([`crate::rtl::memory`]); everything else is the
/// synthesized logic. Areas in NAND2 equivalents.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SynthReport {
    /// Top module synthesized.
    pub top: String,
    /// How cell areas convert to NAND2 equivalents, with its source.
    pub area_model: String,
    /// Logic plus memories (`area_ge`); `cells` and `flip_flops` count
    /// the logic only.
    pub total: Area,
    /// Engines (generated modules; pooling and residual units share
    /// parameterized block modules and are counted in `other`), each with
    /// its ROM macros.
    pub engines: Vec<UnitArea>,
    /// Activation buffers (all `act_mem` macros, modelled area).
    pub buffers: Area,
    /// Everything else: pooling/residual units, sequencer, top glue.
    pub other: Area,
    /// The synthesized logic alone (what Yosys mapped to gates).
    #[serde(default)]
    pub logic: Area,
    /// All memory macros together (activation buffers and ROMs).
    #[serde(default)]
    pub memory_area_ge: f64,
    /// Every memory macro with its modelled area and energy per access.
    #[serde(default)]
    pub memories: Vec<MemoryArea>,
    /// The memory model and its sources.
    #[serde(default)]
    pub memory_model: String,
    /// Path of the Yosys log.
    pub log: String,
}

/// Whether Yosys cell type `ty` is a memory macro (a black box: its area
/// comes from the memory model, not from cells).
fn is_macro(ty: &str) -> bool {
    crate::rtl::blocks::MACROS.iter().any(|b| {
        let name = b.0.trim_end_matches(".v");
        ty == name || ty.ends_with(&format!("\\{name}"))
    })
}

/// Recursive logic areas of every module in Yosys's `stat -json` output
/// (memory macros count zero).
pub fn module_areas(stat: &serde_json::Value) -> Result<std::collections::BTreeMap<String, Area>> {
    use std::collections::BTreeMap;
    let raw = stat["modules"]
        .as_object()
        .ok_or_else(|| Error::tool("yosys stat -json: no modules".to_string()))?;
    // Module keys carry RTLIL's leading backslash, cell types do not.
    let mods: serde_json::Map<String, serde_json::Value> = raw
        .iter()
        .map(|(k, v)| (k.strip_prefix('\\').unwrap_or(k).to_string(), v.clone()))
        .collect();
    let mods = &mods;
    fn area_of(
        name: &str,
        mods: &serde_json::Map<String, serde_json::Value>,
        memo: &mut BTreeMap<String, Area>,
    ) -> Result<Area> {
        if let Some(a) = memo.get(name) {
            return Ok(a.clone());
        }
        let mut a = Area::default();
        let by_type = mods[name]["num_cells_by_type"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (ty, n) in by_type {
            let n = n.as_u64().unwrap_or(0);
            if is_macro(&ty) {
                continue;
            }
            if mods.contains_key(&ty) {
                let sub = area_of(&ty, mods, memo)?;
                a.cells += n * sub.cells;
                a.flip_flops += n * sub.flip_flops;
                a.area_ge += n as f64 * sub.area_ge;
            } else {
                let ge = cell_area(&ty).ok_or_else(|| {
                    Error::tool(format!(
                        "yosys stat: module {name}: no area for cell type {ty}"
                    ))
                })?;
                a.cells += n;
                if ty.contains("DFF") {
                    a.flip_flops += n;
                }
                a.area_ge += n as f64 * ge;
            }
        }
        memo.insert(name.to_string(), a.clone());
        Ok(a)
    }
    let mut memo = BTreeMap::new();
    for name in mods.keys() {
        area_of(name, mods, &mut memo)?;
    }
    Ok(memo)
}

fn add(sum: &mut Area, a: &Area) {
    sum.cells += a.cells;
    sum.flip_flops += a.flip_flops;
    sum.area_ge += a.area_ge;
}

/// Synthesize the export in `dir` with `yosys/synth.ys`; keeps `yosys.log`,
/// `synth_stat.txt` and `synth_stat.json` there.
pub fn synth(dir: &Path, manifest: &crate::rtl::accel::Manifest) -> Result<SynthReport> {
    crate::io::write_atomic(dir.join("synth.ys"), SYNTH_YS.as_bytes())?;
    let log = dir.join("yosys.log");
    run(
        Tool::Yosys,
        &["-q", "-l", "yosys.log", "-s", "synth.ys"],
        dir,
        Some(&dir.join("yosys_run.log")),
    )?;
    let stat_path = crate::rundir::ExportDir::new(dir).synth_stat();
    let text = crate::io::read_text(&stat_path)?;
    // Yosys may print a line before the JSON object.
    let json_start = text
        .find('{')
        .ok_or_else(|| Error::in_file(&stat_path, "no JSON object"))?;
    // Yosys 0.23 prints the text hierarchy into the middle of the JSON
    // (between "modules" and "design"): keep only JSON-looking lines.
    let json: String = text[json_start..]
        .lines()
        .filter(|l| l.trim().is_empty() || l.trim_start().starts_with(['"', '{', '}', '[', ']']))
        .map(|l| format!("{l}\n"))
        .collect();
    let stat: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| Error::in_file(&stat_path, e))?;
    let areas = module_areas(&stat)?;
    let get = |m: &str| {
        areas.get(m).cloned().ok_or_else(|| {
            Error::in_file(
                &stat_path,
                format!("module {m} missing from the synthesized design"),
            )
        })
    };
    let logic = get(&manifest.top)?;
    let memories: Vec<MemoryArea> = manifest.memories.iter().map(memory::model).collect();
    let mut engines = vec![];
    let mut engine_sum = Area::default();
    for u in manifest.units.iter().filter(|u| u.kind == "mac_engine") {
        let mut area = get(&u.module)?;
        let rom_area_ge: f64 = memories
            .iter()
            .filter(|m| m.unit.as_deref() == Some(u.layer.as_str()))
            .map(|m| m.area_ge)
            .sum();
        area.area_ge += rom_area_ge;
        add(&mut engine_sum, &area);
        let multiplier_area = u.multiplier_module.as_deref().map(get).transpose()?;
        engines.push(UnitArea {
            layer: u.layer.clone(),
            kind: u.kind.clone(),
            module: u.module.clone(),
            multiplier: u.multiplier.clone(),
            lanes: u.lanes,
            area,
            rom_area_ge,
            multiplier_area,
        });
    }
    let buffers = Area {
        area_ge: memories
            .iter()
            .filter(|m| m.kind == MemoryKind::Activations)
            .map(|m| m.area_ge)
            .sum(),
        ..Area::default()
    };
    let memory_area_ge: f64 = memories.iter().map(|m| m.area_ge).sum();
    let total = Area {
        area_ge: logic.area_ge + memory_area_ge,
        ..logic.clone()
    };
    let other = Area {
        cells: total.cells - engine_sum.cells,
        flip_flops: total.flip_flops - engine_sum.flip_flops,
        area_ge: total.area_ge - engine_sum.area_ge - buffers.area_ge,
    };
    Ok(SynthReport {
        top: manifest.top.clone(),
        area_model: AREA_MODEL.to_string(),
        total,
        engines,
        buffers,
        other,
        logic,
        memory_area_ge,
        memories,
        memory_model: memory::SRAM_MODEL.to_string(),
        log: log.display().to_string(),
    })
}
