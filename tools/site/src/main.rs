//! Builds the Rounds site for release, in place of cargo-leptos (which takes ten minutes to
//! install from source on a 2-core machine; this tool compiles in about two):
//!
//! 1. the browser bundle, in two builds: `frontend` for wasm32 in the `wasm-release` profile,
//!    without and with its `form-islands` feature (the light build, for pages without a form,
//!    and the full one), each through wasm-bindgen (the library the CLI is made of, at the lock
//!    file's exact version) and `wasm-opt -Oz` from the project's npm packages;
//! 2. the server, in the `release` profile (or the one `ROUNDS_SERVER_PROFILE` names);
//! 3. the site folder: the stylesheet from the Tailwind CLI, the bundle named by content
//!    (`rounds.<hash>.js`, `rounds-light.<hash>.wasm`, …, so it can be cached for a year), the `public` files, and a brotli
//!    and a gzip copy of every file, which the server sends as they are;
//! 4. `hash.txt` beside the server binary, from which the server learns the bundle's names.
//!
//! Run it as `cargo run --release --manifest-path tools/site/Cargo.toml` (scripts/lib.sh does).
//! The site is assembled beside the old one and swapped in whole, so a failed build leaves the
//! previous site and server as they were.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// The bundle's file stem; Leptos reads the same name (`LEPTOS_OUTPUT_NAME`) when compiling.
const OUTPUT_NAME: &str = "rounds";
/// The site's folder for the bundle, as the server is told (`LEPTOS_SITE_PKG_DIR`).
const PKG_DIR: &str = "pkg";

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    match build(&Layout::find()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("site: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Where things are: the workspace, cargo's target folder, and the site folder the server serves.
struct Layout {
    root: PathBuf,
    target: PathBuf,
}

impl Layout {
    fn find() -> Layout {
        // `cargo run` names the tool's folder at run time; the path compiled in is only a
        // fallback, since a target folder shared by two checkouts keeps the binary of the first.
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let root = manifest_dir.join("../..");
        let root = root.canonicalize().unwrap_or(root);
        // Cargo reads a relative CARGO_TARGET_DIR from the folder it is started in.
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => std::env::current_dir().map(|here| here.join(&dir)).unwrap_or_else(|_| dir.into()),
            None => root.join("target"),
        };
        Layout { root, target }
    }

    /// Served from the workspace's own `target/site` whatever the target folder (as before).
    fn site(&self) -> PathBuf {
        self.root.join("target/site")
    }

    fn npm_tool(&self, name: &str) -> PathBuf {
        self.root.join("node_modules/.bin").join(name)
    }
}

fn build(layout: &Layout) -> Result<()> {
    let started = Instant::now();
    let staging = layout.root.join("target/site.new");
    remove_if_present(&staging)?;
    let pkg = staging.join(PKG_DIR);
    std::fs::create_dir_all(&pkg)?;

    // The light build first: the full one is built with more features into the same file.
    for build in [Build::Light, Build::Full] {
        step(&format!("Browser bundle, {} build: frontend for wasm32 (wasm-release)", build.stem()));
        let mut args = vec![
            "build",
            "--package=frontend",
            "--lib",
            "--target=wasm32-unknown-unknown",
            "--profile=wasm-release",
        ];
        if build == Build::Full {
            args.push("--features=form-islands");
        }
        cargo(layout, &args)?;
        step("wasm-bindgen and wasm-opt");
        bind_and_optimize(layout, &pkg, &build.stem())?;
    }

    let profile = server_profile();
    step(&format!("Server ({profile})"));
    cargo(layout, &["build", "--package=server", "--bin=server", &format!("--profile={profile}")])?;

    step("Stylesheet (Tailwind)");
    run(Command::new(layout.npm_tool("tailwindcss"))
        .current_dir(&layout.root)
        .args(["--input", "style/tailwind.css", "--minify", "--output"])
        .arg(pkg.join(format!("{OUTPUT_NAME}.css"))))?;

    step("Site folder: names by content, public files, brotli and gzip copies");
    let hashes = name_by_content(&pkg)?;
    copy_tree(&layout.root.join("public"), &staging)?;
    precompress_tree(&staging)?;
    let site = layout.site();
    remove_if_present(&site)?;
    std::fs::rename(&staging, &site)?;
    // Written last: the server must never be pointed at names the site does not have.
    let listing = hashes.iter().fold(String::new(), |mut text, (key, hash)| {
        let _ = writeln!(text, "{key}: {hash}");
        text
    });
    std::fs::write(layout.target.join(profile).join("hash.txt"), listing)?;
    println!("site: built {} in {:.0?}", site.display(), started.elapsed());
    Ok(())
}

/// The two builds of the browser bundle (see `app`'s `form-islands` feature): the light one,
/// for pages without a form, and the full one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build {
    Light,
    Full,
}

impl Build {
    /// The file stem: `rounds-light` and `rounds`, as the server expects them
    /// (`app::server::bundle`).
    fn stem(self) -> String {
        match self {
            Build::Light => format!("{OUTPUT_NAME}-light"),
            Build::Full => OUTPUT_NAME.to_string(),
        }
    }

    /// What starts the keys of this build's lines in `hash.txt`: `light-js`, `light-wasm`;
    /// `js` and `wasm` for the full build, as Leptos names them.
    fn hash_key_prefix(self) -> &'static str {
        match self {
            Build::Light => "light-",
            Build::Full => "",
        }
    }
}

/// wasm-bindgen on the frontend just built, then `wasm-opt -Oz`: `<stem>.js` and
/// `<stem>.wasm` in `pkg`.
fn bind_and_optimize(layout: &Layout, pkg: &Path, stem: &str) -> Result<()> {
    let wasm = layout.target.join("wasm32-unknown-unknown/wasm-release/frontend.wasm");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .typescript(false)
        .out_name(stem)
        .generate(pkg)
        .map_err(|error| format!("wasm-bindgen on {}: {error:#}", wasm.display()))?;
    let bound = pkg.join(format!("{stem}_bg.wasm"));
    let optimized = pkg.join(format!("{stem}.wasm"));
    // The features Rust's wasm32 target emits by default; wasm-opt must accept them.
    run(Command::new(layout.npm_tool("wasm-opt"))
        .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"])
        .arg(&bound)
        .arg("-o")
        .arg(&optimized))?;
    std::fs::remove_file(&bound)?;
    Ok(())
}

/// The cargo profile the server is built in: `release` (what `serve` and the tests use), or
/// the one `ROUNDS_SERVER_PROFILE` names, such as `production` for a deployment.
fn server_profile() -> String {
    std::env::var("ROUNDS_SERVER_PROFILE")
        .ok()
        .filter(|name| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .unwrap_or_else(|| "release".into())
}

fn step(what: &str) {
    println!("site: {what}");
}

fn cargo(layout: &Layout, args: &[&str]) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    // `cargo run` describes this tool to it in CARGO_PKG_NAME, CARGO_MANIFEST_DIR and the like.
    // Build scripts that watch those (ring's does) would see another value than under a plain
    // `cargo test`, and the two would recompile each other's dependencies every time.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_CRATE_", "CARGO_BIN_", "CARGO_PRIMARY_PACKAGE"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
        {
            command.env_remove(name.as_ref());
        }
    }
    run(command.current_dir(&layout.root).args(args).env("LEPTOS_OUTPUT_NAME", OUTPUT_NAME))
}

fn run(command: &mut Command) -> Result<()> {
    let status = command.status().map_err(|error| format!("{command:?}: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("{command:?} failed ({status})").into()) }
}

fn remove_if_present(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
        _ => Ok(()),
    }
}

/// Renames each build's `<stem>.js` and `<stem>.wasm`, and `rounds.css`, to
/// `<stem>.<hash>.<extension>`, and returns the hashes keyed as `hash.txt` lists them (`css`,
/// `wasm`, `light-js`, …). Each script's own fallback path to its wasm file is rewritten too,
/// though the page always passes the hashed path itself.
fn name_by_content(pkg: &Path) -> Result<Vec<(String, String)>> {
    let mut hashes = Vec::new();
    let mut rename = |stem: &str, extension: &str, key: String, bytes: Vec<u8>| -> Result<String> {
        let hash = content_hash(&bytes);
        std::fs::write(pkg.join(format!("{stem}.{hash}.{extension}")), &bytes)?;
        std::fs::remove_file(pkg.join(format!("{stem}.{extension}")))?;
        hashes.push((key, hash.clone()));
        Ok(hash)
    };
    let css = std::fs::read(pkg.join(format!("{OUTPUT_NAME}.css")))?;
    rename(OUTPUT_NAME, "css", "css".into(), css)?;
    for build in [Build::Light, Build::Full] {
        let (stem, prefix) = (build.stem(), build.hash_key_prefix());
        let wasm = std::fs::read(pkg.join(format!("{stem}.wasm")))?;
        let wasm_hash = rename(&stem, "wasm", format!("{prefix}wasm"), wasm)?;
        let script = std::fs::read_to_string(pkg.join(format!("{stem}.js")))?
            .replace(&format!("{stem}_bg.wasm"), &format!("{stem}.{wasm_hash}.wasm"));
        rename(&stem, "js", format!("{prefix}js"), script.into_bytes())?;
    }
    Ok(hashes)
}

/// 128 bits of SHA-256 in hex: distinct for every build that differs, short in a URL.
fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(16).fold(String::with_capacity(32), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let destination = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &destination)?;
        } else {
            std::fs::copy(entry.path(), destination)?;
        }
    }
    Ok(())
}

/// A `.br` (quality 11) and a `.gz` (level 9) copy beside every file: compressed once here at
/// the highest settings, never per request.
fn precompress_tree(dir: &Path) -> Result<()> {
    // Listed before writing, so the copies are not themselves compressed.
    let paths =
        std::fs::read_dir(dir)?.map(|entry| entry.map(|e| e.path())).collect::<std::io::Result<Vec<_>>>()?;
    for path in paths {
        if path.is_dir() {
            precompress_tree(&path)?;
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let mut brotli_copy = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut brotli_copy, &params)?;
        std::fs::write(with_suffix(&path, "br"), brotli_copy)?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&bytes)?;
        std::fs::write(with_suffix(&path, "gz"), gzip.finish()?)?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashes_are_stable_and_tell_contents_apart() {
        assert_eq!(content_hash(b"rounds"), content_hash(b"rounds"));
        assert_ne!(content_hash(b"rounds"), content_hash(b"rounds "));
        assert_eq!(content_hash(b"").len(), 32);
    }

    #[test]
    fn compressed_copies_sit_beside_the_file() {
        assert_eq!(with_suffix(Path::new("site/pkg/rounds.css"), "br"), Path::new("site/pkg/rounds.css.br"));
    }
}
