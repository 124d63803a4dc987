//! Command-line front end: one file per group of subcommands, each with a
//! clap `Args` struct and a `run` function. `main` only dispatches.

pub mod assign;
pub mod characterize;
pub mod eval;
pub mod library;
pub mod report;
pub mod rtl;
pub mod train;

pub use crate::commands::{Cli, Command};

impl Command {
    /// Run the subcommand (train, quantize and retrain are handed to
    /// `codesign-torch`, see [`train::delegate_to_torch`]).
    pub fn run(self) -> anyhow::Result<()> {
        match self {
            Command::Characterize(a) => characterize::characterize(a),
            Command::Library(a) => library::library(a),
            // Parsed here (one --help, one usage check), run by codesign-torch.
            Command::Train(_) | Command::Quantize(_) | Command::Retrain(_) => {
                train::delegate_to_torch().map_err(Into::into)
            }
            Command::Eval(a) => eval::eval(a),
            Command::Assign(a) => assign::assign(a),
            Command::ExportRtl(a) => rtl::export_rtl(a),
            Command::Synth(a) => rtl::synth(a),
            Command::Cosim(a) => rtl::cosim(a),
            Command::Gatesim(a) => rtl::gatesim(a),
            Command::Report(a) => report::report(a),
            Command::Run(a) => report::run(a),
            Command::Sweep(a) => report::sweep(a),
            Command::Job(a) => report::job(a),
        }
    }
}

/// Tell glibc's malloc to keep freed memory for reuse instead of returning
/// it to the kernel. By default a block of 128 KiB or more (the threshold
/// rises with use, to 32 MiB at most) is its own `mmap` and goes back to the
/// kernel when freed, and the top of the heap is trimmed above 128 KiB: a
/// training step's activation tensors (ResNet-8, batch 64: 4 MiB each) are
/// then page-faulted and zeroed again on every step. With every block below
/// 32 MiB on the heap (`M_MMAP_THRESHOLD`, glibc's largest) and no trimming
/// (`M_TRIM_THRESHOLD`), `benches/train` measured on ResNet-8, one thread:
/// float step 203 -> 153 ms, QAT 273 -> 210 ms, AGN 341 -> 236 ms (mallopt(3)).
/// The cost: a process keeps its peak heap until it exits. Call before
/// threads start.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; both values are in
    // the ranges mallopt(3) documents.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
    }
}

/// Process set-up shared by the `codesign` and `codesign-torch` binaries:
/// a closed pipe (`codesign library show --json | head`) ends the process
/// quietly, as Unix tools do, instead of panicking in `println!`; logs go to
/// stderr at `log` level (error, warn, info, debug, trace); freed memory is
/// kept for reuse ([`keep_freed_memory`]).
pub fn init(log: &str) {
    // SAFETY: called before any thread starts; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    keep_freed_memory();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(log).unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        // Colour only on a terminal: job logs and captured stderr stay plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .without_time()
        .init();
}

/// End the process with a command's outcome: on error, one line on stderr
/// (each cause once) and the exit code of the [`crate::Error`] in the chain
/// (1 a check that ran and failed, 2 anything else).
pub fn exit(result: anyhow::Result<()>) -> ! {
    let Err(e) = result else {
        std::process::exit(0)
    };
    // An error whose message already ends with its source's (`path:
    // reason`) does not repeat it.
    let mut msg = String::new();
    for cause in e.chain().map(|c| c.to_string()) {
        if !msg.ends_with(&cause) {
            if !msg.is_empty() {
                msg.push_str(": ");
            }
            msg.push_str(&cause);
        }
    }
    eprintln!("error: {}", crate::io::one_line(&msg));
    let code = e
        .chain()
        .find_map(|c| c.downcast_ref::<crate::Error>())
        .map_or(2, crate::Error::exit_code);
    std::process::exit(code)
}
