//! Command line of `codesign characterize`: import one multiplier netlist
//! (the importer is chosen from the file), simulate it on all 65,536
//! operand pairs, and print its error metrics and cost.

pub use crate::commands::{CharacterizeArgs, ImportArgs};
use crate::library::{cost, metrics, Cost, Metrics};
use crate::netlist::import::{self, ImportOptions};
use crate::netlist::{sim, Ports};
use serde::Serialize;

impl ImportArgs {
    /// The importer's options.
    pub fn options(&self) -> crate::Result<ImportOptions> {
        Ok(ImportOptions {
            cells: self.cells.clone(),
            liberty: self.liberty.clone(),
            ports: Ports::parse(&self.ports)?,
            top: self.top.clone(),
        })
    }
}

/// What `characterize --json` prints.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Module name of the netlist.
    pub name: String,
    /// Two's complement operands (else unsigned).
    pub signed: bool,
    /// Route that read the netlist ([`crate::netlist::import::STRUCTURAL`], ...).
    pub importer: String,
    #[serde(flatten)]
    /// Error metrics over all 65,536 operand pairs.
    pub metrics: Metrics,
    #[serde(flatten)]
    /// Gate count, area and relative energy (`None` with `--no-cost`).
    pub cost: Option<Cost>,
}

/// Characterize `args.file`.
pub fn report(args: &CharacterizeArgs) -> anyhow::Result<Report> {
    let signed = args.import.signed;
    let imported = import::load(&args.file, &args.import.options()?)?;
    let map = sim::exhaustive(&imported.netlist, signed)?;
    Ok(Report {
        name: imported.netlist.name.clone(),
        signed,
        importer: imported.importer,
        metrics: metrics::metrics(&map),
        // Metrics from the netlist as given; cost on its canonical mapping.
        cost: if args.no_cost {
            None
        } else {
            Some(cost::canonical_cost(&imported.netlist, signed)?)
        },
    })
}

/// `codesign characterize`.
pub fn characterize(args: CharacterizeArgs) -> anyhow::Result<()> {
    let r = report(&args)?;
    if args.json {
        println!("{}", serde_json::to_string(&r)?);
    } else {
        print!("{}", table(&r));
    }
    Ok(())
}

/// The report as a two-column table.
fn table(r: &Report) -> String {
    let m = &r.metrics;
    let mut rows: Vec<(&str, String)> = vec![
        ("name", r.name.clone()),
        ("signed", r.signed.to_string()),
        ("importer", r.importer.clone()),
    ];
    if let Some(c) = &r.cost {
        rows.extend([
            ("gates", c.gates.to_string()),
            ("area_ge", format!("{:.1}  (NAND2 equivalents)", c.area_ge)),
            (
                "energy_rel",
                format!(
                    "{:.4}  (switching energy per multiplication / exact multiplier's)",
                    c.energy_rel
                ),
            ),
        ]);
    }
    rows.extend([
        ("mae", format!("{:.3}", m.mae)),
        ("mae_pct", format!("{:.4} %  (MAE / 2^16)", m.mae_pct)),
        ("wce", format!("{}", m.wce)),
        ("wce_pct", format!("{:.4} %  (WCE / 2^16)", m.wce_pct)),
        (
            "ep_pct",
            format!("{:.3} %  (pairs with any error)", m.ep_pct),
        ),
        ("mre_pct", format!("{:.4} %", m.mre_pct)),
        ("wcre_pct", format!("{:.3} %", m.wcre_pct)),
        ("mse", format!("{:.3}", m.mse)),
        ("bias", format!("{:.3}", m.bias)),
        ("err_std", format!("{:.3}", m.err_std)),
    ]);
    let mut t: String = rows.iter().map(|(k, v)| format!("{k:<11} {v}\n")).collect();
    t += &if r.cost.is_some() {
        format!(
            "\nmetrics of the netlist as given; {}\n",
            crate::library::store::imported_cost_flow()
        )
    } else {
        "\nmetrics of the netlist as given; cost not computed (--no-cost)\n".to_string()
    };
    t
}
