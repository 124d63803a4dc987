//! Command lines built from typed arguments. The pipeline describes each
//! stage as a [`Command`] value (the same structs the binary parses) and
//! [`argv`] writes it back as the argument list clap parses into that same
//! value, so a stage's command line cannot drift from the CLI: a renamed
//! option or a new required argument is a compile error or a failing
//! round-trip test, not a stage that fails at run time.
//!
//! How: the value is serialized with serde (field names are clap's argument
//! ids, enum values clap's value names), and clap's own description of the
//! subcommand ([`clap::CommandFactory`]) says which field is positional,
//! which is a flag, and what each option's default is (a value equal to its
//! default is left out, so command lines stay as short as a user's).

use super::{Cli, Command};
use clap::CommandFactory;
use serde_json::Value;

/// Placeholder [`defaults`] gives a required argument; [`argv`] refuses
/// to write it (the caller forgot to set the field).
const UNSET: &str = "<unset>";

/// The arguments clap gives `A` when a command line sets nothing: every
/// option at its default, every required argument a placeholder that the
/// caller must replace (`EvalArgs { run_dir, ..defaults() }`).
pub fn defaults<A: clap::Args + clap::FromArgMatches>() -> A {
    let cmd = A::augment_args(clap::Command::new("defaults").no_binary_name(true)).mut_args(|a| {
        if a.is_required_set() && a.get_default_values().is_empty() {
            a.default_value(UNSET).required(false)
        } else {
            a.required(false)
        }
    });
    let m = cmd
        .try_get_matches_from(std::iter::empty::<String>())
        .expect("every argument has a default or a placeholder");
    A::from_arg_matches(&m).expect("defaults are valid arguments")
}

/// `cmd` as the argument list (after the program name) that parses back
/// into `cmd`. Panics on a value no command line can express (a required
/// argument left at its [`defaults`] placeholder): a fault of the caller's code.
pub fn argv(cmd: &Command) -> Vec<String> {
    let value = serde_json::to_value(cmd).expect("CLI arguments serialize");
    let mut out = vec![];
    push_subcommand(&Cli::command(), &value, &mut out);
    out
}

/// Append `{"<name>": {fields}}` (serde's external tagging) as subcommand
/// `name` of `parent` and its arguments: options first, then positionals.
fn push_subcommand(parent: &clap::Command, value: &Value, out: &mut Vec<String>) {
    let (name, fields) = match value {
        Value::Object(m) if m.len() == 1 => m.iter().next().expect("one entry"),
        Value::String(unit) => (unit, &Value::Null),
        other => panic!("not a subcommand value: {other}"),
    };
    let sub = parent
        .find_subcommand(name)
        .unwrap_or_else(|| panic!("`{name}` is not a subcommand"));
    out.push(name.clone());
    let empty = serde_json::Map::new();
    let fields = fields.as_object().unwrap_or(&empty);
    let mut positionals = vec![];
    for arg in sub.get_arguments().filter(|a| !a.is_global_set()) {
        let Some(v) = fields.get(arg.get_id().as_str()) else {
            continue;
        };
        let words = words(v);
        assert!(
            !words.iter().any(|w| w == UNSET),
            "`{name}`: required `{}` not set",
            arg.get_id()
        );
        if arg.is_positional() {
            positionals.extend(words);
            continue;
        }
        let long = format!("--{}", arg.get_long().expect("options are long"));
        if !arg.get_action().takes_values() {
            if v == &Value::Bool(true) {
                out.push(long);
            }
            continue;
        }
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|d| d.to_string_lossy().into_owned())
            .collect();
        if words.is_empty() || same_words(&words, &defaults) {
            continue;
        }
        let joined = words.join(",");
        out.push(long);
        out.push(joined);
    }
    out.extend(positionals);
    // A nested subcommand (`library build`) is the field that is one.
    if sub.has_subcommands() {
        if let Some(v) = fields.values().find(|v| match v {
            Value::Object(m) => {
                m.len() == 1 && sub.find_subcommand(m.keys().next().unwrap()).is_some()
            }
            Value::String(s) => sub.find_subcommand(s).is_some(),
            _ => false,
        }) {
            push_subcommand(sub, v, out);
        }
    }
}

/// Whether `a` and `b` say the same: equal words, or equal numbers
/// (serde writes `2.0` where clap's default reads `2`).
fn same_words(a: &[String], b: &[String]) -> bool {
    let num = |w: &String| w.parse::<f64>().ok();
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x == y || num(x).is_some_and(|v| Some(v) == num(y)))
}

/// The command-line words of one serialized value (`null`: none; a list:
/// one word per element, joined by the caller where clap splits on commas).
fn words(v: &Value) -> Vec<String> {
    match v {
        Value::Null => vec![],
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(words).collect(),
        other => vec![other.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{eval::EvalArgs, report::SweepArgs, rtl::CosimArgs};
    use clap::Parser;

    fn round_trip(cmd: Command) -> Vec<String> {
        let words = argv(&cmd);
        let parsed =
            Cli::try_parse_from(std::iter::once("codesign".to_string()).chain(words.clone()))
                .unwrap_or_else(|e| panic!("{words:?}: {e}"));
        assert_eq!(
            serde_json::to_value(&parsed.command).unwrap(),
            serde_json::to_value(&cmd).unwrap(),
            "{words:?}"
        );
        words
    }

    #[test]
    fn defaults_are_left_out_and_set_values_written() {
        let w = round_trip(Command::Eval(EvalArgs {
            run_dir: "runs/a b".into(),
            assignment: Some("x.yaml".into()),
            paper: true,
            ..defaults()
        }));
        assert_eq!(w, ["eval", "--assignment", "x.yaml", "--paper", "runs/a b"]);
        let w = round_trip(Command::Cosim(CosimArgs {
            dir: "rtl".into(),
            images: 5,
            sim: crate::eda::cosim::Sim::Iverilog,
            ..defaults()
        }));
        assert_eq!(w, ["cosim", "--images", "5", "--sim", "iverilog", "rtl"]);
        let w = round_trip(Command::Sweep(SweepArgs {
            config: "c.yaml".into(),
            lambdas: vec![0.05, 1.0],
            ..defaults()
        }));
        assert_eq!(w, ["sweep", "--lambdas", "0.05,1.0", "c.yaml"]);
    }

    #[test]
    fn nested_subcommands_and_flags() {
        let w = round_trip(Command::Library(crate::cli::library::LibraryArgs {
            command: crate::cli::library::LibraryCommand::Build {
                out: "lib".into(),
                yosys_area: true,
            },
        }));
        assert_eq!(w, ["library", "build", "--out", "lib", "--yosys-area"]);
    }

    #[test]
    #[should_panic(expected = "not set")]
    fn an_unset_positional_is_a_fault_of_the_caller() {
        argv(&Command::Eval(defaults()));
    }
}
