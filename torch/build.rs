//! Link-time fix-ups for libtorch (see DESIGN.md, "External parts").
//!
//! * an rpath to torch's `lib` folder, so the binary runs without
//!   `LD_LIBRARY_PATH`;
//! * `libtorch_cuda.so` linked with `--no-as-needed`: nothing references it
//!   directly, so the default `--as-needed` would drop it and CUDA would never
//!   be found at run time.
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if let Ok(lib) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
        if Path::new(&lib).join("libtorch_cuda.so").exists() {
            println!("cargo:rustc-link-arg=-Wl,--no-as-needed,-ltorch_cuda,--as-needed");
        }
    }
}
