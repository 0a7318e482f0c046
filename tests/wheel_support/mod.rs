//! What tests/wheel.rs and tests/action.rs share: the built wheel, a PATH without the Rust
//! toolchain, a fresh venv with magelint installed from the wheel alone.
#![allow(dead_code)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory the wheel is looked for in: MAGELINT_WHEEL_DIR, else `dist/` (where
/// `pip wheel --no-deps -w dist .` puts it, as .ci/run does).
pub fn wheel_dir() -> PathBuf {
    std::env::var_os("MAGELINT_WHEEL_DIR").map_or_else(|| root().join("dist"), PathBuf::from)
}

/// The wheel of this version, or None (the test is skipped) when it has not been built. Under
/// CI a missing wheel fails the test: CI builds it first.
pub fn wheel() -> Option<PathBuf> {
    let dir = wheel_dir();
    let prefix = format!("magelint-{VERSION}-");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".whl"))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    match found.len() {
        1 => found.pop(),
        0 if std::env::var_os("CI").is_some() => panic!(
            "no {prefix}*.whl in {}: build it with `pip wheel --no-deps -w dist .`",
            dir.display()
        ),
        0 => {
            eprintln!(
                "skipped: no {prefix}*.whl in {} (build it with `pip wheel --no-deps -w dist .`)",
                dir.display()
            );
            None
        }
        _ => panic!(
            "several wheels of {VERSION} in {}: {found:?}",
            dir.display()
        ),
    }
}

/// PATH without the directories that hold `cargo` or `rustc`, so what runs cannot build Rust.
pub fn path_without_rust() -> OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|dir| !dir.join("cargo").exists() && !dir.join("rustc").exists())
        .collect();
    let stripped = std::env::join_paths(kept).expect("PATH entries join");
    let probe = Command::new("sh")
        .args(["-c", "command -v cargo || command -v rustc"])
        .env("PATH", &stripped)
        .output()
        .expect("sh runs");
    assert!(
        !probe.status.success(),
        "a Rust toolchain is still on the stripped PATH: {}",
        String::from_utf8_lossy(&probe.stdout)
    );
    stripped
}

/// A command that sees no Rust toolchain: PATH stripped, rustup's and cargo's variables gone.
pub fn without_rust(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    command
        .env("PATH", path_without_rust())
        .env_remove("CARGO")
        .env_remove("CARGO_HOME")
        .env_remove("RUSTUP_HOME")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1");
    command
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A fresh venv in `dir` with the wheel installed by pip from the wheel file alone (no index);
/// returns the venv's bin directory.
pub fn venv_with_wheel(dir: &Path, wheel: &Path) -> PathBuf {
    let venv = dir.join("venv");
    let made = without_rust("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .expect("python3 runs");
    assert!(made.status.success(), "python3 -m venv: {}", text(&made));
    let bin = venv.join("bin");
    let installed = without_rust(bin.join("pip"))
        .args([
            "install",
            "--no-index",
            "--disable-pip-version-check",
            "--quiet",
        ])
        .arg(wheel)
        .output()
        .expect("pip runs");
    assert!(
        installed.status.success(),
        "pip install --no-index {}: {}",
        wheel.display(),
        text(&installed)
    );
    bin
}

pub fn git(dir: &Path, args: &[&str]) -> Output {
    without_rust("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs")
}
