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

/// The ABC script of both flows (`abc -script`, commas for blanks): Yosys
/// 0.23's default for `abc -g` and `abc -liberty` (printed by `yosys -h
/// abc`) with its SAT sweeping `&fraig -x` bounded to 1000 conflicts per
/// node (ABC's default: 1,000,000). Unbounded, the sweep spends minutes per
/// engine on the requantization multiplier's XOR-rich logic (on one
/// ResNet-8 engine: 405 s of ABC's 406 s; bounded, 1.6 s in all), for
/// 0.4-2 % fewer cells.
/// `yosys/synth.ys` spells the same script out.
pub const ABC_SCRIPT: &str =
    "+strash;&get,-n;&fraig,-x,-C,1000;&put;scorr;dc2;dretime;strash;&get,-n;&dch,-f;&nf,{D};&put";

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
    /// Area in NAND2 equivalents (the Liberty flow: `area_um2 / NAND2_UM2`).
    pub area_ge: f64,
    /// Area in µm²: the Liberty flow sums the library's cell areas; the
    /// generic flow converts NAND2 equivalents with
    /// [`memory::NAND2_UM2`] (an estimate, not a mapped area).
    #[serde(default)]
    pub area_um2: f64,
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
    /// The engine's logic plus its ROM macros (`area_ge`, `area_um2`;
    /// `cells` and `flip_flops` count logic only).
    pub area: Area,
    /// Of `area.area_ge`, the engine's ROM macros (weights, bias,
    /// requantization multiplier and shift; modelled, see `memories`).
    #[serde(default)]
    pub rom_area_ge: f64,
    /// The same in µm².
    #[serde(default)]
    pub rom_area_um2: f64,
    /// One multiplier of this engine.
    pub multiplier_area: Option<Area>,
}

/// Layout version of `synth.json` ([`SynthReport`]).
pub const SYNTH_VERSION: u32 = 1;

/// `synth.json`. Memories are black-box macros whose area comes from the
/// stated SRAM model ([`crate::rtl::memory`]); everything else is the
/// synthesized logic. Areas in NAND2 equivalents.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SynthReport {
    /// Layout version ([`SYNTH_VERSION`]; 0: written before it was stated).
    #[serde(default)]
    pub version: u32,
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
    /// The same in µm².
    #[serde(default)]
    pub memory_area_um2: f64,
    /// The standard-cell library the logic was mapped to (`None`: Yosys's
    /// generic gates, areas in NAND2 equivalents).
    #[serde(default)]
    pub liberty: Option<String>,
    /// Target clock period given to ABC's delay-driven mapping (ns;
    /// Liberty flow only).
    #[serde(default)]
    pub clock_ns: Option<f64>,
    /// Yosys's own `stat -liberty` area of the top module's logic, its
    /// submodules included (µm²; Liberty flow only): a cross-check of
    /// `logic.area_um2`.
    #[serde(default)]
    pub yosys_chip_area_um2: Option<f64>,
    /// Flattened gate-level netlist for static timing analysis (Liberty
    /// flow only), memory macros as cells `mem_<instance>`.
    #[serde(default)]
    pub sta_netlist: Option<String>,
    /// Static timing of the Liberty-mapped design with OpenSTA (`None`:
    /// generic flow, or OpenSTA not installed).
    #[serde(default)]
    pub timing: Option<super::sta::Timing>,
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

/// Area of one leaf cell type: `(NAND2 equivalents, µm²)`.
pub type CellAreaFn<'a> = &'a dyn Fn(&str) -> Option<(f64, f64)>;

/// The generic flow's leaf areas: [`cell_area`] and its µm² conversion.
fn generic_cell(ty: &str) -> Option<(f64, f64)> {
    cell_area(ty).map(|ge| (ge, ge * memory::NAND2_UM2))
}

/// Recursive logic areas of every module in Yosys's `stat -json` output
/// of the generic flow (memory macros count zero).
pub fn module_areas(stat: &serde_json::Value) -> Result<std::collections::BTreeMap<String, Area>> {
    module_areas_with(stat, &generic_cell)
}

/// Recursive logic areas of every module in Yosys's `stat -json` output,
/// leaf cells priced by `cell` (memory macros count zero). Errors name a
/// cell type `cell` has no area for.
pub fn module_areas_with(
    stat: &serde_json::Value,
    cell: CellAreaFn,
) -> Result<std::collections::BTreeMap<String, Area>> {
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
        cell: CellAreaFn,
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
                let sub = area_of(&ty, mods, cell, memo)?;
                a.cells += n * sub.cells;
                a.flip_flops += n * sub.flip_flops;
                a.area_ge += n as f64 * sub.area_ge;
                a.area_um2 += n as f64 * sub.area_um2;
            } else {
                let (ge, um2) = cell(&ty).ok_or_else(|| {
                    Error::tool(format!(
                        "yosys stat: module {name}: no area for cell type {ty}"
                    ))
                })?;
                a.cells += n;
                if ty.contains("DFF") {
                    a.flip_flops += n;
                }
                a.area_ge += n as f64 * ge;
                a.area_um2 += n as f64 * um2;
            }
        }
        memo.insert(name.to_string(), a.clone());
        Ok(a)
    }
    let mut memo = BTreeMap::new();
    for name in mods.keys() {
        area_of(name, mods, cell, &mut memo)?;
    }
    Ok(memo)
}

fn add(sum: &mut Area, a: &Area) {
    sum.cells += a.cells;
    sum.flip_flops += a.flip_flops;
    sum.area_ge += a.area_ge;
    sum.area_um2 += a.area_um2;
}

/// Which cells synthesis maps the logic to.
#[derive(Clone, Debug, PartialEq)]
pub enum Flow {
    /// Yosys's generic gates (`yosys/synth.ys`), areas in NAND2
    /// equivalents ([`AREA_MODEL`]): fast, needs no PDK.
    Generic,
    /// A Liberty standard-cell library (NanGate45): `synth`,
    /// `dfflibmap -liberty`, `abc -liberty -D <clock>`, areas from the
    /// library's cells (µm²), and a flattened netlist for static timing.
    Liberty {
        /// The `.lib` file.
        lib: std::path::PathBuf,
        /// Target clock period for ABC's delay-driven mapping (ns).
        clock_ns: f64,
        /// CACTI build folder ([`super::cacti::CACTI_DIR`]) for the memory
        /// macros; `None`: the per-bit model of [`memory::model`].
        cacti: Option<std::path::PathBuf>,
    },
}

/// Default target clock period of the Liberty flow (ns): 500 MHz, above
/// what the datapath reaches at 45 nm, so ABC maps for delay.
pub const DEFAULT_CLOCK_NS: f64 = 2.0;

/// Cell type of memory macro instance `name` in the timing netlist
/// (`u_conv1.w_rom` -> `mem_u_conv1_w_rom`): one Liberty cell per
/// instance, since each has its own size and access time.
pub fn macro_cell(name: &str) -> String {
    format!("mem_{}", crate::verilog::names::word_chars(name))
}

/// Yosys's generic gate set of the generic flow (`abc -g`).
pub const GENERIC_GATES: &str = "AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX";

/// The commands that map one module after `synth -noabc` (see
/// [`super::bottom_up`]): the generic flow's `abc -g`, or the Liberty
/// flow's `dfflibmap` and delay-driven `abc -liberty` (library path `lib`,
/// already quoted for Yosys).
fn map_commands(flow: &Flow, lib: Option<&str>) -> String {
    match (flow, lib) {
        (Flow::Liberty { clock_ns, .. }, Some(lib)) => {
            let period_ps = (clock_ns * 1000.0).round() as u64;
            format!(
                "dfflibmap -liberty {lib}\nabc -script {ABC_SCRIPT} -liberty {lib} -D {period_ps}\nopt_clean -purge\n"
            )
        }
        _ => format!("abc -script {ABC_SCRIPT} -g {GENERIC_GATES}\nopt_clean -purge\n"),
    }
}

/// The Yosys script that reads the mapped modules (`synth_mapped.il`) and
/// writes the statistics; for the Liberty flow (`lib`, already quoted)
/// also, after the area statistics, the flattened design with every memory
/// macro as its own cell type ([`macro_cell`], parameters dropped) as
/// Yosys JSON ([`STA_JSON`]), from which [`super::timing_netlist`] writes
/// `netlist_sta.v`.
fn report_script(lib: Option<&str>, manifest: &crate::rtl::accel::Manifest) -> String {
    let top = &manifest.top;
    let mut s = format!(
        "# Statistics of `codesign synth` (src/eda/synth.rs) on the modules\n\
         # mapped one by one (src/eda/bottom_up.rs).\n\
         read_rtlil synth_mapped.il\n\
         hierarchy -top {top}\n\
         tee -q -o synth_stat.json stat -json\n"
    );
    let Some(lib) = lib else {
        return s + "tee -q -o synth_stat.txt stat\n";
    };
    s += &format!("tee -q -o synth_stat.txt stat -liberty {lib} -top {top}\nflatten\n");
    for m in &manifest.memories {
        s += &format!(
            "chtype -set {} {top}/{}\nsetparam -unset W -unset DEPTH -unset AW -unset RP -unset REG -unset INIT {top}/{}\n",
            macro_cell(&m.name),
            m.name,
            m.name
        );
    }
    s += &format!("opt_clean -purge\nwrite_json {STA_JSON}\n");
    s
}

/// The flattened design as Yosys leaves it for [`super::timing_netlist`],
/// which writes `netlist_sta.v` from it; removed afterwards.
const STA_JSON: &str = "netlist_sta.json";

/// Synthesize the export in `dir` with Yosys's generic gates
/// ([`Flow::Generic`]); see [`synth_with`].
pub fn synth(dir: &Path, manifest: &crate::rtl::accel::Manifest) -> Result<SynthReport> {
    synth_with(dir, manifest, &Flow::Generic)
}

/// Yosys's "Chip area for top module" line of `stat -liberty -top` (µm²),
/// or, for a design of one module (no hierarchy section), that module's.
fn chip_area(stat_txt: &str, top: &str) -> Option<f64> {
    let own = format!("Chip area for module '\\{top}'");
    let line = |pat: &str| stat_txt.lines().find(|l| l.contains(pat));
    line("Chip area for top module")
        .or_else(|| line(&own))
        .and_then(|l| l.rsplit(':').next())
        .and_then(|v| v.trim().parse().ok())
}

/// Synthesize the export in `dir` with `flow`, module by module
/// ([`super::bottom_up`]: `synth_elaborate.ys`, then each module's script,
/// input, log and output under `synth_modules/`, then `yosys.ys` on the
/// assembled `synth_mapped.il`); keeps `yosys.log`, `synth_stat.txt` and
/// `synth_stat.json` there (the Liberty flow also `netlist_sta.v`). Errors: Yosys failing, an
/// unreadable Liberty file, a cell without area, a module of the manifest
/// missing from the result.
pub fn synth_with(
    dir: &Path,
    manifest: &crate::rtl::accel::Manifest,
    flow: &Flow,
) -> Result<SynthReport> {
    let lib = match flow {
        Flow::Liberty { lib, .. } => {
            let abs = std::path::absolute(lib).map_err(|e| Error::io(lib, e))?;
            Some(path_arg(&abs)?)
        }
        Flow::Generic => None,
    };
    // Elaborate once; map module by module (with the cache); assemble.
    let yosys = |script: &str, text: &str| -> Result<()> {
        crate::io::write_atomic(dir.join(script), text.as_bytes())?;
        let stem = script.trim_end_matches(".ys");
        run(
            Tool::Yosys,
            &["-q", "-l", &format!("{stem}.log"), "-s", script],
            dir,
            Some(&dir.join(format!("{stem}_run.log"))),
        )
        .map(|_| ())
    };
    yosys(
        "synth_elaborate.ys",
        "script read.ys\nwrite_rtlil synth_elaborated.il\n",
    )?;
    let elaborated = crate::io::read_text(dir.join("synth_elaborated.il"))?;
    let map = super::bottom_up::MapScript {
        commands: map_commands(flow, lib.as_deref()),
        inputs: match flow {
            Flow::Liberty { lib, .. } => vec![lib.clone()],
            Flow::Generic => vec![],
        },
    };
    let cache = super::bottom_up::cache_dir();
    let (mapped, outcome) = super::bottom_up::map_modules(
        &elaborated,
        &map,
        &dir.join("synth_modules"),
        cache.as_deref(),
    )?;
    tracing::info!(
        "synth: {} modules mapped, {} from the cache{}",
        outcome.mapped.len(),
        outcome.cached.len(),
        cache
            .map(|c| format!(" ({})", c.display()))
            .unwrap_or_default()
    );
    crate::io::write_atomic(dir.join("synth_mapped.il"), mapped.as_bytes())?;
    yosys("yosys.ys", &report_script(lib.as_deref(), manifest))?;
    let log = dir.join("yosys.log");
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
    let (areas, area_model, liberty, clock_ns, yosys_chip_area_um2, sta_netlist) = match flow {
        Flow::Generic => (
            module_areas(&stat)?,
            AREA_MODEL.to_string(),
            None,
            None,
            None,
            None,
        ),
        Flow::Liberty { lib, clock_ns, .. } => {
            let json = dir.join(STA_JSON);
            let netlist =
                super::timing_netlist::write(&crate::io::read_text(&json)?, &manifest.top)?;
            crate::io::write_atomic(
                dir.join(crate::rundir::export::STA_NETLIST),
                netlist.as_bytes(),
            )?;
            std::fs::remove_file(&json).map_err(|e| Error::io(&json, e))?;
            let cells =
                crate::netlist::import::liberty::cell_areas(&crate::io::read_text(lib)?, lib)?;
            let price = |ty: &str| cells.get(ty).map(|&a| (a / memory::NAND2_UM2, a));
            let name = lib.display().to_string();
            let chip = crate::io::read_text(dir.join("synth_stat.txt"))
                .ok()
                .and_then(|t| chip_area(&t, &manifest.top));
            (
                module_areas_with(&stat, &price)?,
                format!("µm² from the cell areas of the Liberty library {name}; NAND2 equivalents = µm² / {} (NAND2_X1)", memory::NAND2_UM2),
                Some(name),
                Some(*clock_ns),
                chip,
                Some(crate::rundir::export::STA_NETLIST.to_string()),
            )
        }
    };
    let get = |m: &str| {
        areas.get(m).cloned().ok_or_else(|| {
            Error::in_file(
                &stat_path,
                format!("module {m} missing from the synthesized design"),
            )
        })
    };
    let logic = get(&manifest.top)?;
    let cacti = match flow {
        Flow::Liberty {
            cacti: Some(dir), ..
        } => Some(dir),
        _ => None,
    };
    let memories: Vec<MemoryArea> = match cacti {
        Some(dir) => manifest
            .memories
            .iter()
            .map(|m| super::cacti::model(m, dir))
            .collect::<Result<_>>()?,
        None => manifest.memories.iter().map(memory::model).collect(),
    };
    let memory_model = match cacti {
        Some(_) => format!(
            "{}; arrays CACTI does not model: {}",
            super::cacti::CACTI_CONFIG,
            memory::SRAM_MODEL
        ),
        None => memory::SRAM_MODEL.to_string(),
    };
    let mut engines = vec![];
    let mut engine_sum = Area::default();
    for u in manifest.units.iter().filter(|u| u.kind == "mac_engine") {
        let mut area = get(&u.module)?;
        let roms = memories
            .iter()
            .filter(|m| m.unit.as_deref() == Some(u.layer.as_str()));
        let rom_area_ge: f64 = roms.clone().map(|m| m.area_ge).sum();
        let rom_area_um2: f64 = roms.map(|m| m.area_um2).sum();
        area.area_ge += rom_area_ge;
        area.area_um2 += rom_area_um2;
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
            rom_area_um2,
            multiplier_area,
        });
    }
    let acts = memories
        .iter()
        .filter(|m| m.kind == MemoryKind::Activations);
    let buffers = Area {
        area_ge: acts.clone().map(|m| m.area_ge).sum(),
        area_um2: acts.map(|m| m.area_um2).sum(),
        ..Area::default()
    };
    let memory_area_ge: f64 = memories.iter().map(|m| m.area_ge).sum();
    let memory_area_um2: f64 = memories.iter().map(|m| m.area_um2).sum();
    let total = Area {
        area_ge: logic.area_ge + memory_area_ge,
        area_um2: logic.area_um2 + memory_area_um2,
        ..logic.clone()
    };
    let other = Area {
        cells: total.cells - engine_sum.cells,
        flip_flops: total.flip_flops - engine_sum.flip_flops,
        area_ge: total.area_ge - engine_sum.area_ge - buffers.area_ge,
        area_um2: total.area_um2 - engine_sum.area_um2 - buffers.area_um2,
    };
    let timing = match flow {
        Flow::Liberty { lib, clock_ns, .. } if Tool::Sta.available() => {
            Some(super::sta::sta(dir, manifest, lib, &memories, *clock_ns)?)
        }
        Flow::Liberty { .. } => {
            tracing::warn!("OpenSTA (`sta`, Debian package opensta) not installed: no timing");
            None
        }
        Flow::Generic => None,
    };
    Ok(SynthReport {
        version: SYNTH_VERSION,
        timing,
        top: manifest.top.clone(),
        area_model,
        total,
        engines,
        buffers,
        other,
        logic,
        memory_area_ge,
        memory_area_um2,
        liberty,
        clock_ns,
        yosys_chip_area_um2,
        sta_netlist,
        memories,
        memory_model,
        log: log.display().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtl::accel::{Manifest, SYNTH_YS};
    use crate::tool::{skip_test, tools_for_test};

    /// Both flows run the one bounded ABC script: the shipped
    /// `yosys/synth.ys` spells it out, the Liberty script formats it in.
    #[test]
    fn both_flows_run_the_bounded_abc_script() {
        let abc: Vec<&str> = SYNTH_YS.lines().filter(|l| l.starts_with("abc ")).collect();
        assert_eq!(abc.len(), 1, "{abc:?}");
        assert_eq!(
            abc[0],
            format!("abc -script {ABC_SCRIPT} -g {GENERIC_GATES}")
        );
        assert!(map_commands(&Flow::Generic, None).starts_with(abc[0]));
        let flow = Flow::Liberty {
            lib: "lib.lib".into(),
            clock_ns: 2.0,
            cacti: None,
        };
        let lib = map_commands(&flow, Some("lib.lib"));
        let line = lib.lines().find(|l| l.starts_with("abc ")).unwrap();
        assert_eq!(
            line,
            format!("abc -script {ABC_SCRIPT} -liberty lib.lib -D 2000")
        );
        // ABC's bound, written as Yosys passes it (commas become blanks).
        assert!(ABC_SCRIPT.contains("&fraig,-x,-C,1000;"));
    }

    /// The NanGate45 Liberty file of `scripts/pdk.sh`, if fetched.
    pub(crate) fn nangate45() -> Option<std::path::PathBuf> {
        let p = crate::library::energy::nangate45_path();
        if p.is_file() {
            Some(p)
        } else {
            skip_test("NanGate45 Liberty missing; scripts/pdk.sh fetches it");
            None
        }
    }

    /// An export directory holding only `verilog` with top `top`.
    pub(crate) fn bare_export(dir: &Path, top: &str, verilog: &str) -> Manifest {
        std::fs::write(dir.join("design.v"), verilog).unwrap();
        std::fs::write(
            dir.join("read.ys"),
            format!("read_verilog design.v\nhierarchy -check -top {top}\n"),
        )
        .unwrap();
        Manifest {
            version: 1,
            network: "test".into(),
            top: top.into(),
            signed: false,
            input_len: 0,
            classes: 0,
            tensors: vec![],
            units: vec![],
            sources: vec!["design.v".into()],
            testbench: String::new(),
            cycles_estimate: 1,
            memories: vec![],
        }
    }

    /// An exact 8x8 multiplier with input and output registers.
    pub(crate) const MUL8: &str =
        "module mul8(input clk, input [7:0] a, input [7:0] b, output reg [15:0] p);\n\
        reg [7:0] ra, rb;\n\
        always @(posedge clk) begin ra <= a; rb <= b; p <= ra * rb; end\nendmodule\n";

    /// Every cell's `area` in a Liberty file, by a plain line scan (not
    /// the crate's parser): `cell (NAME)` then its first `area : X;`.
    fn liberty_areas_by_scan(text: &str) -> std::collections::HashMap<String, f64> {
        let mut out = std::collections::HashMap::new();
        let mut cell: Option<String> = None;
        for line in text.lines() {
            let t = line.trim();
            if let Some(rest) = t.strip_prefix("cell (").or_else(|| t.strip_prefix("cell(")) {
                cell = Some(
                    rest.split(')')
                        .next()
                        .unwrap()
                        .trim_matches('"')
                        .to_string(),
                );
            } else if let (Some(c), Some(v)) = (&cell, t.strip_prefix("area")) {
                let v = v
                    .trim()
                    .trim_start_matches(':')
                    .trim_end_matches(';')
                    .trim();
                out.insert(c.clone(), v.parse::<f64>().unwrap());
                cell = None;
            }
        }
        out
    }

    #[test]
    fn nangate45_multiplier_area_is_the_sum_of_its_cells_and_is_timed() {
        let Some(lib) = nangate45() else { return };
        if !tools_for_test(&[Tool::Yosys, Tool::Sta]) {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let m = bare_export(dir.path(), "mul8", MUL8);
        let flow = Flow::Liberty {
            lib: lib.clone(),
            clock_ns: 1.0,
            cacti: None,
        };
        let rep = synth_with(dir.path(), &m, &flow).unwrap();
        // Independently: the cell counts Yosys reports times the areas a
        // line scan of the Liberty file finds.
        let areas = liberty_areas_by_scan(&std::fs::read_to_string(&lib).unwrap());
        assert!(areas.len() > 100, "{}", areas.len());
        let stat = std::fs::read_to_string(dir.path().join("synth_stat.json")).unwrap();
        let stat: serde_json::Value =
            serde_json::from_str(&stat[stat.find('{').unwrap()..]).unwrap();
        let by_type = stat["modules"]["\\mul8"]["num_cells_by_type"]
            .as_object()
            .unwrap();
        let (mut sum, mut cells, mut ffs) = (0.0, 0, 0);
        for (ty, n) in by_type {
            let n = n.as_u64().unwrap();
            sum += areas[ty] * n as f64;
            cells += n;
            ffs += if ty.starts_with("DFF") { n } else { 0 };
        }
        assert!(
            (rep.logic.area_um2 - sum).abs() < 1e-6,
            "{} vs {sum}",
            rep.logic.area_um2
        );
        assert!((rep.logic.area_ge - sum / memory::NAND2_UM2).abs() < 1e-6);
        assert_eq!((rep.logic.cells, rep.logic.flip_flops), (cells, ffs));
        // 32 register bits map to 32 NanGate45 flip-flops.
        assert_eq!(ffs, 32);
        // Yosys's own `stat -liberty` agrees.
        let chip = rep.yosys_chip_area_um2.unwrap();
        assert!((chip - sum).abs() < 1e-3, "{chip} vs {sum}");
        // The sanity figure: about 530 µm² for this circuit.
        assert!((400.0..700.0).contains(&sum), "{sum}");
        assert!(rep.liberty.is_some() && rep.sta_netlist.is_some());

        // OpenSTA times it register to register: the sanity figure
        // is 1.06 ns (about 900 MHz) for this circuit.
        let t = rep.timing.expect("OpenSTA timing");
        assert!((0.5..2.0).contains(&t.critical_path_ns), "{t:?}");
        assert!((t.fmax_mhz - 1000.0 / t.critical_path_ns).abs() < 1e-9);
        assert!((t.critical_path_ns - (t.clock_ns - t.slack_ns)).abs() < 1e-9);
        // From an operand register to a product register, named after the RTL.
        assert!(
            t.critical_path.start.starts_with("ra[") || t.critical_path.start.starts_with("rb["),
            "{t:?}"
        );
        assert!(t.critical_path.end.starts_with("p["), "{t:?}");
    }
}
