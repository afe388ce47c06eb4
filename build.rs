//! Build script: provides the pinned, project-local libz3 that `z3-sys` links against.
//!
//! `.cargo/config.toml` sets `Z3_LIBRARY_PATH_OVERRIDE=<project>/.z3/wheel/z3/lib` (plus
//! `Z3_NO_PKG_CONFIG` and `Z3_SYS_Z3_VERSION`) for every cargo invocation made inside the
//! project. `z3-sys` turns that into `-L native=<dir> -l z3`; the library itself is only
//! needed when our binaries/tests are linked, which cargo does after this script has run.
//!
//! If the override points at that project-local directory and the library is missing (or was
//! fetched from an older pin), this script downloads the hash-pinned `z3-solver` wheel listed in
//! `scripts/z3-requirements.txt` with `python3 -m pip download` and extracts its `z3/lib` and
//! `z3/include` into `.z3/wheel/`. In every case it adds an rpath to the library directory so
//! `cargo run` / `cargo test` binaries find `libz3.so` without `LD_LIBRARY_PATH`.
//!
//! If the override points anywhere else (a system Z3), nothing is downloaded.

use std::env;
use std::ffi::OsString;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Pin file, relative to the package root.
const REQUIREMENTS: &str = "scripts/z3-requirements.txt";
/// Python package name in the pin file.
const PYPI_NAME: &str = "z3-solver";
/// `Z3_LIBRARY_PATH_OVERRIDE` values of the form `<dir>/.z3/wheel/z3/lib` are managed by
/// this script (the pinned wheel is extracted into `<dir>/.z3/wheel`).
const LOCAL_ROOT: &str = ".z3";
const LOCAL_LIB_SUBDIR: &str = "wheel/z3/lib";
/// `python -m pip ...` arguments; `-r <pin file> -d <dir>` are appended.
const PIP_DOWNLOAD: [&str; 10] = [
    "-m",
    "pip",
    "download",
    "--no-deps",
    "--only-binary=:all:",
    "--require-hashes",
    "--disable-pip-version-check",
    "--no-input",
    "--progress-bar=off",
    "--quiet",
];
/// Environment variable to choose the Python interpreter (default `python3`).
const PYTHON_VAR: &str = "TLASMT_PYTHON";

/// Extracts `z3/lib/*` and `z3/include/*` from a wheel, keeping the archive's timestamps
/// (so cargo's `rerun-if-changed` on the library does not see a "new" file).
const EXTRACT_PY: &str = r#"
import os, sys, time, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as zf:
    for info in zf.infolist():
        name = info.filename
        if info.is_dir() or not name.startswith(("z3/lib/", "z3/include/")):
            continue
        path = zf.extract(info, dest)
        mtime = min(time.mktime(info.date_time + (0, 0, -1)), time.time() - 86400)
        os.utime(path, (mtime, mtime))
"#;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={REQUIREMENTS}");
    println!("cargo:rerun-if-env-changed=Z3_LIBRARY_PATH_OVERRIDE");
    println!("cargo:rerun-if-env-changed=Z3_SYS_Z3_VERSION");

    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));

    let Some(lib_dir) = env::var_os("Z3_LIBRARY_PATH_OVERRIDE").filter(|v| !v.is_empty()) else {
        println!(
            "cargo:warning=Z3_LIBRARY_PATH_OVERRIDE is not set, so the pinned project-local Z3 \
             is not used and the linker will look for a system libz3. It is normally set by \
             .cargo/config.toml, which cargo only reads when run from inside the project \
             directory."
        );
        return;
    };
    // Relative values are taken relative to the package root (cargo runs rustc from there).
    let lib_dir = manifest_dir.join(lib_dir);
    let lib_file = lib_dir.join(lib_file_name());

    if let Some(z3_root) = managed_root(&lib_dir) {
        if let Err(err) = ensure_local_z3(&manifest_dir, &z3_root, &lib_dir) {
            panic!(
                "\n\ntlasmt build.rs: could not provide the pinned Z3 in {dir}:\n  {err}\n\n\
                 The build downloads the z3-solver wheel pinned in {REQUIREMENTS} from PyPI \
                 with `python3 -m pip download` (needs python3 with pip, e.g. \
                 `apt-get install python3-pip`, and network access to PyPI; set {PYTHON_VAR} \
                 to use another interpreter).\n\
                 Alternatively use a system Z3 >= 4.13 (nothing is downloaded then):\n  \
                 export Z3_LIBRARY_PATH_OVERRIDE=<directory containing libz3.so>\n  \
                 export Z3_SYS_Z3_VERSION=<its version, e.g. 4.15.4>\n\n",
                dir = z3_root.display(),
            );
        }
        // Re-run (and re-download) if the library disappears, e.g. after `rm -rf .z3`.
        println!("cargo:rerun-if-changed={}", lib_file.display());
    } else if lib_file.exists() {
        println!("cargo:rerun-if-changed={}", lib_file.display());
        warn_on_version_mismatch(&lib_dir);
    } else if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        // Otherwise `-lz3` would silently pick up whatever libz3 the system has.
        panic!(
            "\n\ntlasmt build.rs: Z3_LIBRARY_PATH_OVERRIDE={} does not contain {}.\n\
             Point it at the directory holding libz3.so of a Z3 >= 4.13 (and set \
             Z3_SYS_Z3_VERSION to its version), or unset it to use the pinned Z3 that the \
             build downloads into .z3/.\n\n",
            lib_dir.display(),
            lib_file_name()
        );
    } else {
        println!(
            "cargo:warning=Z3_LIBRARY_PATH_OVERRIDE={} does not contain {}; linking may fail",
            lib_dir.display(),
            lib_file_name()
        );
    }

    // Let binaries, tests and examples of this package find libz3 at run time.
    if env::var("CARGO_CFG_TARGET_FAMILY").as_deref() == Ok("unix") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib_dir.display());
    }
}

/// For a user-provided Linux libz3: warn if its versioned file names (`libz3.so.4.15`)
/// disagree with `Z3_SYS_Z3_VERSION`, which gates the z3 crate's APIs.
fn warn_on_version_mismatch(lib_dir: &Path) {
    let Ok(declared) = env::var("Z3_SYS_Z3_VERSION") else {
        return;
    };
    let Ok(entries) = fs::read_dir(lib_dir) else {
        return;
    };
    let versions: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| Some(name.strip_prefix("libz3.so.")?.to_owned()))
        .collect();
    let agrees = |v: &String| declared == *v || declared.starts_with(&format!("{v}."));
    if !versions.is_empty() && !versions.iter().any(agrees) {
        println!(
            "cargo:warning=Z3_SYS_Z3_VERSION={declared} does not look like the version of the Z3 \
             in {} (found libz3.so.{}); set Z3_SYS_Z3_VERSION to the version of that Z3",
            lib_dir.display(),
            versions.join(", libz3.so.")
        );
    }
}

fn lib_file_name() -> &'static str {
    match env::var("CARGO_CFG_TARGET_OS").as_deref() {
        Ok("macos") => "libz3.dylib",
        Ok("windows") => "libz3.dll",
        _ => "libz3.so",
    }
}

/// If `lib_dir` is `<root>/.z3/wheel/z3/lib`, returns `<root>/.z3`.
fn managed_root(lib_dir: &Path) -> Option<PathBuf> {
    let z3_root = lib_dir.ancestors().nth(3)?;
    let managed = z3_root.file_name()? == LOCAL_ROOT
        && lib_dir.strip_prefix(z3_root).ok()? == Path::new(LOCAL_LIB_SUBDIR);
    managed.then(|| z3_root.to_path_buf())
}

/// Makes sure `lib_dir` (= `<z3_root>/wheel/z3/lib`) holds the library from the pinned wheel.
fn ensure_local_z3(manifest_dir: &Path, z3_root: &Path, lib_dir: &Path) -> Result<(), String> {
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os != "linux" {
        return Err(format!(
            "automatic download is only implemented for Linux (target OS is {target_os:?})"
        ));
    }
    if env::var("HOST").ok() != env::var("TARGET").ok() {
        return Err("automatic download is not supported when cross-compiling".into());
    }

    let req_path = manifest_dir.join(REQUIREMENTS);
    let req = fs::read_to_string(&req_path)
        .map_err(|e| format!("cannot read {}: {e}", req_path.display()))?;
    check_version_pin(&req)?;

    let wheel_dir = z3_root.join("wheel");
    let stamp = wheel_dir.join(".pin");
    let lib_file = lib_dir.join(lib_file_name());
    let ready = || lib_file.exists() && fs::read_to_string(&stamp).ok().as_deref() == Some(&req);
    if ready() {
        return Ok(());
    }

    fs::create_dir_all(z3_root).map_err(|e| format!("cannot create {}: {e}", z3_root.display()))?;
    // Serialise concurrent builds (several target dirs, IDE + terminal, ...).
    // The lock is released when `lock` is dropped or the process dies.
    let lock_path = z3_root.join(".lock");
    let lock = File::create(&lock_path)
        .map_err(|e| format!("cannot create {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    if ready() {
        return Ok(());
    }

    let started = Instant::now();
    let download_dir = z3_root.join("download");
    let staging = z3_root.join(format!("wheel.tmp.{}", std::process::id()));
    let result = fetch_wheel(&req_path, &req, &download_dir, &staging, &wheel_dir);
    // Best-effort cleanup; leftovers are removed by the next attempt anyway.
    let _ = fs::remove_dir_all(&download_dir);
    let _ = fs::remove_dir_all(&staging);
    drop(lock);
    let wheel_name = result?;

    // Not a `cargo:warning`: cargo would replay it on every later (fresh) build.
    // Visible with `cargo build -vv`.
    eprintln!(
        "tlasmt build.rs: fetched pinned Z3 ({wheel_name}) into {} in {:.1}s",
        wheel_dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Downloads the pinned wheel into `download_dir`, extracts it into `staging` and moves that
/// to `wheel_dir` (replacing an outdated one). Returns the wheel's file name.
fn fetch_wheel(
    req_path: &Path,
    req: &str,
    download_dir: &Path,
    staging: &Path,
    wheel_dir: &Path,
) -> Result<String, String> {
    let python: OsString = env::var_os(PYTHON_VAR).unwrap_or_else(|| "python3".into());

    remove_if_exists(download_dir)?;
    run(Command::new(&python)
        .args(PIP_DOWNLOAD)
        .arg("-r")
        .arg(req_path)
        .arg("-d")
        .arg(download_dir))?;
    let wheel = find_wheel(download_dir)?;

    remove_if_exists(staging)?;
    run(Command::new(&python)
        .args(["-c", EXTRACT_PY])
        .arg(&wheel)
        .arg(staging))?;
    if !staging.join("z3/lib").join(lib_file_name()).exists() {
        return Err(format!(
            "{} does not contain z3/lib/{}",
            wheel.display(),
            lib_file_name()
        ));
    }
    // Written last: marks the extraction as complete and records which pin it came from.
    fs::write(staging.join(".pin"), req).map_err(|e| format!("cannot write stamp: {e}"))?;

    remove_if_exists(wheel_dir)?;
    fs::rename(staging, wheel_dir).map_err(|e| {
        format!(
            "cannot rename {} to {}: {e}",
            staging.display(),
            wheel_dir.display()
        )
    })?;
    Ok(wheel
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned())
}

/// Checks that `Z3_SYS_Z3_VERSION` (if set) agrees with the version pinned in the pin file.
fn check_version_pin(req: &str) -> Result<(), String> {
    let prefix = format!("{PYPI_NAME}==");
    let pinned = req
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix(&prefix))
        .map(|rest| {
            rest.split(|c: char| c.is_whitespace() || c == '\\')
                .next()
                .unwrap_or("")
        })
        .ok_or_else(|| format!("{REQUIREMENTS} has no `{prefix}<version>` line"))?;
    if let Ok(declared) = env::var("Z3_SYS_Z3_VERSION") {
        let agrees = pinned == declared || pinned.starts_with(&format!("{declared}."));
        if !agrees {
            return Err(format!(
                "Z3_SYS_Z3_VERSION={declared} (from the environment or .cargo/config.toml) \
                 does not match {PYPI_NAME}=={pinned} pinned in {REQUIREMENTS}"
            ));
        }
    }
    Ok(())
}

fn find_wheel(dir: &Path) -> Result<PathBuf, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let wheels: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    match wheels.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "expected exactly one wheel in {}, found {wheels:?}",
            dir.display()
        )),
    }
}

fn remove_if_exists(path: &Path) -> Result<(), String> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {e}", path.display()))
        }
        _ => Ok(()),
    }
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{shown} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}
