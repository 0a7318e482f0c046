//! Bad input, class by class: each gets its diagnostic (E001–E003), every other file's results
//! are still reported, the exit status is 1 (2 for an internal error) and never a signal, and
//! magelint writes nothing outside what it is asked to write.

mod common;
use common::{root, Output};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `magelint ARGS` in `dir` with extra environment variables; kills it after 120 s so a
/// hang (a FIFO opened for reading) fails the test instead of blocking the suite.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_magelint"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("MAGELINT_TEST_PANIC_ON")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("the magelint binary runs");
    let start = Instant::now();
    // Drain the pipes on threads so a large report cannot fill them and stall the child.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut s).ok();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("magelint {args:?} hung for 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), None, "magelint {args:?} died of a signal");
    Output {
        stdout: String::from_utf8_lossy(&out.join().expect("stdout")).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().expect("stderr")).into_owned(),
        code: status.code().unwrap_or(-1),
    }
}

fn run_at(dir: &Path, args: &[&str]) -> Output {
    run_env(dir, args, &[])
}

/// Creates `<root>/<site>/app/etc` and returns it.
fn etc(root: &Path, site: &str) -> PathBuf {
    let dir = root.join(site).join("app/etc");
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// A valid env.php whose one finding (MG003 at 2:38) shows its results are still reported.
const GOOD: &str = "<?php\nreturn ['MAGE_MODE' => 'production', 'MAGE_MODE' => 'developer'];\n";

fn assert_line(out: &Output, prefix: &str, needle: &str) {
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with(prefix) && l.contains(needle)),
        "no line starting with {prefix:?} containing {needle:?} in:\nstdout:\n{}\nstderr:\n{}",
        out.stdout,
        out.stderr
    );
}

fn is_root() -> bool {
    let dir = tempfile::tempdir().expect("tempdir");
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "x").expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    std::fs::read(&probe).is_ok()
}

/// The whole matrix in one tree: every class beside a good file, one run, exit 1.
#[test]
fn every_bad_input_class_gets_its_diagnostic_beside_a_good_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let write = |site: &str, name: &str, bytes: &[u8]| {
        std::fs::write(etc(d, site).join(name), bytes).expect("write");
    };
    write("empty", "env.php", b"");
    write("empty-json", "env.json", b"");
    write(
        "binary",
        "env.php",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\x03\0>\0",
    );
    let mut late_nul = b"<?php\nreturn ['a' => '".to_vec();
    late_nul.extend(std::iter::repeat_n(b'x', 10_000));
    late_nul.extend(b"\0'];\n");
    write("nul-late", "env.php", &late_nul);
    write("nul", "env.php", b"<?php\nreturn ['a' => 'b\0c'];\n");
    write(
        "latin1",
        "env.php",
        b"<?php\nreturn ['name' => 'caf\xe9'];\n",
    );
    write(
        "deep",
        "env.php",
        format!(
            "<?php return {}1{};",
            "[".repeat(100_000),
            "]".repeat(100_000)
        )
        .as_bytes(),
    );
    write(
        "deep",
        "env.json",
        format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(),
    );
    let deep_yaml = format!("a: {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(d.join("deep/.magento.env.yaml"), deep_yaml).expect("write");
    let long = format!("<?php return ['a' => '{}'];", "x".repeat(5_000_000));
    write("long-line", "env.php", long.as_bytes());
    let long_bad = format!("<?php return ['a' => '{}' 'b'];", "y".repeat(2_000_000));
    write("long-line-error", "env.php", long_bad.as_bytes());
    // A symlink loop, a dangling symlink (a file deleted before the run) and a FIFO.
    std::os::unix::fs::symlink("..", etc(d, "loop").join("up")).expect("symlink");
    std::os::unix::fs::symlink("deleted.php", etc(d, "dangling").join("env.php")).expect("ln");
    let fifo = etc(d, "fifo").join("env.php");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo works");
    // A directory whose name is not UTF-8: its files are still linted, the path shown lossily.
    let odd = {
        use std::os::unix::ffi::OsStrExt;
        d.join(std::ffi::OsStr::from_bytes(b"caf\xe9"))
    };
    std::fs::create_dir_all(odd.join("app/etc")).expect("mkdir");
    std::fs::write(odd.join("app/etc/env.php"), GOOD).expect("write");
    write("good", "env.php", GOOD.as_bytes());

    let out = run_at(d, &["check", "--format", "concise", "."]);
    assert_eq!(
        out.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let matrix = [
        ("empty/app/etc/env.php:1:1: E002", "no top-level `return`"),
        ("empty-json/app/etc/env.json:1:1: E001", "end of file"),
        (
            "binary/app/etc/env.php:1:1: E003",
            "binary file (NUL bytes)",
        ),
        ("nul/app/etc/env.php:1:1: E003", "binary file"),
        ("latin1/app/etc/env.php:2:23: E003", "not valid UTF-8"),
        (
            "deep/app/etc/env.php:1:",
            "E001 array nesting deeper than 256",
        ),
        ("deep/app/etc/env.json:1:", "E001"),
        ("deep/.magento.env.yaml:1:", "E001"),
        ("long-line-error/app/etc/env.php:1:", "E001 expected"),
        ("dangling/app/etc/env.php", "E003 cannot read"),
        ("fifo/app/etc/env.php:1:1: E003", "FIFO"),
        ("loop/app/etc/up", "E003"),
        ("caf\u{fffd}/app/etc/env.php:2:38: MG003", "MAGE_MODE"),
        ("good/app/etc/env.php:2:38: MG003", "MAGE_MODE"),
    ];
    for (prefix, needle) in matrix {
        assert_line(&out, prefix, needle);
    }
    for line in out.stdout.lines() {
        // A NUL past the first 8 KiB is not "binary": the file parses like any other.
        let parsed_fine = line.starts_with("nul-late/") || line.starts_with("long-line/");
        assert!(!(parsed_fine && line.contains(": E0")), "{line}");
        assert!(!line.contains("E000"), "{line}");
    }
    assert!(out.stdout.contains("deeper than 256"), "{}", out.stdout);
    // Every format renders the same tree without trouble.
    for format in ["full", "json", "sarif", "junit", "checkstyle", "gitlab"] {
        let out = run_at(d, &["check", "--format", format, "."]);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert!(out.stdout.contains("fifo/app/etc/env.php"), "{format}");
    }
}

#[test]
fn explicit_fifo_and_missing_file_do_not_hang_or_hide_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let fifo = etc(d, "a").join("env.php");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success()));
    std::fs::write(etc(d, "b").join("env.php"), GOOD).expect("write");
    // "Vanishing during the walk", by proxy: a path that is named but no longer exists.
    let args = [
        "check",
        "--format",
        "concise",
        "a/app/etc/env.php",
        "gone/app/etc/env.php",
        "b/app/etc/env.php",
    ];
    let out = run_at(d, &args);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_line(
        &out,
        "a/app/etc/env.php:1:1: E003",
        "is a FIFO (named pipe), not a regular",
    );
    assert_line(
        &out,
        "gone/app/etc/env.php:1:1: E003",
        "no such file or directory",
    );
    assert_line(&out, "b/app/etc/env.php:2:38: MG003", "MAGE_MODE");
    let dump = run_at(d, &["dump", "a/app/etc/env.php"]);
    assert_eq!(dump.code, 2, "{}", dump.stderr);
    assert!(dump.stderr.contains("FIFO"), "{}", dump.stderr);
}

#[test]
fn unreadable_files_and_directories() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(etc(d, "good").join("env.php"), GOOD).expect("write");
    if is_root() {
        // As root, mode 000 does not stop reads: an unreadable entry is a dangling symlink (a
        // file) or a symlink to a missing directory.
        std::os::unix::fs::symlink("/nonexistent/env.php", etc(d, "x").join("env.php"))
            .expect("symlink");
        std::os::unix::fs::symlink("/nonexistent/dir", d.join("y")).expect("symlink");
        let out = run_at(d, &["check", "--format", "concise", "."]);
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        assert_line(&out, "x/app/etc/env.php", "E003 cannot read");
        assert_line(&out, "good/app/etc/env.php:2:38: MG003", "MAGE_MODE");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let locked = etc(d, "locked");
    std::fs::write(locked.join("env.php"), GOOD).expect("write");
    let file = etc(d, "file").join("env.php");
    std::fs::write(&file, GOOD).expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let locked_dir = d.join("locked");
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let out = run_at(d, &["check", "--format", "concise", "."]);
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o755)).ok();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_line(&out, "file/app/etc/env.php:1:1: E003", "permission denied");
    assert_line(&out, "locked", "E003");
    assert_line(&out, "good/app/etc/env.php:2:38: MG003", "MAGE_MODE");
}

#[test]
fn bom_files_parse_and_crlf_positions_are_right() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let dup =
        "<?php\nreturn [\n    'MAGE_MODE' => 'production',\n    'MAGE_MODE' => 'developer',\n];\n";
    std::fs::write(etc(d, "lf").join("env.php"), dup).expect("write");
    std::fs::write(etc(d, "crlf").join("env.php"), dup.replace('\n', "\r\n")).expect("write");
    std::fs::write(etc(d, "bom").join("env.php"), format!("\u{feff}{dup}")).expect("write");
    let yaml = "stage:\n  deploy:\n    MYSQL_USE_SLAVE_CONNECTION: true\n";
    let bom_yaml = d.join("bom/.magento.env.yaml");
    std::fs::write(&bom_yaml, format!("\u{feff}{yaml}")).expect("write");
    std::fs::write(d.join("crlf/.magento.env.yaml"), yaml.replace('\n', "\r\n")).expect("write");
    let json = "{\r\n  \"MAGE_MODE\": \"production\",\r\n  \"MAGE_MODE\": \"developer\"\r\n}\r\n";
    std::fs::write(etc(d, "crlf-json").join("env.json"), json).expect("write");
    let out = run_at(d, &["check", "--format", "concise", "."]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    for site in ["lf", "crlf", "bom"] {
        assert_line(
            &out,
            &format!("{site}/app/etc/env.php:4:5: MG003"),
            "MAGE_MODE",
        );
    }
    assert_line(&out, "crlf-json/app/etc/env.json:3:3: MG003", "MAGE_MODE");
    for line in out.stdout.lines() {
        assert!(!line.contains(" E00"), "a BOM or CRLF file failed: {line}");
    }
    let dumped = run_at(d, &["dump", "bom/.magento.env.yaml"]);
    assert_eq!(dumped.code, 0, "{}", dumped.stderr);
    assert!(dumped
        .stdout
        .contains("\"MYSQL_USE_SLAVE_CONNECTION\": true"));
    let dumped = run_at(d, &["dump", "bom/app/etc/env.php"]);
    assert_eq!(dumped.code, 0, "{}", dumped.stderr);
    assert!(dumped.stdout.contains("\"MAGE_MODE\": \"developer\""));
    // The json format's columns on a CRLF line are the same as on the LF one.
    let json_out = |site: &str| {
        let out = run_at(
            d,
            &[
                "check",
                "--format",
                "json",
                &format!("{site}/app/etc/env.php"),
            ],
        );
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        v["diagnostics"][0]["location"].clone()
    };
    let (lf, crlf) = (json_out("lf"), json_out("crlf"));
    for (end, field) in [
        ("start", "line"),
        ("start", "column"),
        ("end", "line"),
        ("end", "column"),
    ] {
        assert_eq!(lf[end][field], crlf[end][field], "{lf} vs {crlf}");
    }
}

#[test]
fn a_50_mb_file_is_over_the_cap_unless_raised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut big = String::from("<?php\nreturn [\n");
    let mut i = 0;
    while big.len() < 50_000_000 {
        big.push_str(&format!(
            "    'key_{i}' => ['value' => 'some text {i}', 'n' => {i}],\n"
        ));
        i += 1;
    }
    big.push_str("    'MAGE_MODE' => 'production',\n    'MAGE_MODE' => 'developer',\n];\n");
    std::fs::write(etc(d, "big").join("env.php"), &big).expect("write");
    std::fs::write(etc(d, "good").join("env.php"), GOOD).expect("write");
    let out = run_at(d, &["check", "--format", "concise", "."]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_line(
        &out,
        "big/app/etc/env.php:1:1: E003",
        &format!(
            "file is {} bytes, over the size cap of 16777216 bytes",
            big.len()
        ),
    );
    assert_line(&out, "good/app/etc/env.php:2:38: MG003", "MAGE_MODE");
    // Raised past the file's size it is read and parsed: shown on a 20 MB file in a debug
    // build. SCH is left out: schema findings on 300,000 unknown keys are located one by one
    // (quadratic, see the hardening note), which a real config file never has.
    big.truncate(20_000_000);
    let cut = big.rfind("\n    'key_").expect("an entry");
    big.truncate(cut);
    big.push_str("\n    'MAGE_MODE' => 'production',\n    'MAGE_MODE' => 'developer',\n];\n");
    std::fs::write(etc(d, "big").join("env.php"), &big).expect("write");
    let start = Instant::now();
    let out = run_at(
        d,
        &[
            "check",
            "--format",
            "concise",
            "--ignore",
            "SCH",
            "--max-file-size",
            "60000000",
            "big",
        ],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_line(&out, "big/app/etc/env.php:", "MG003 key `MAGE_MODE`");
    eprintln!("20 MB env.php checked in {:?}", start.elapsed());
}

#[test]
fn max_depth_is_configurable_and_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let nest = |n: usize| format!("<?php return {}1{};", "[".repeat(n), "]".repeat(n));
    std::fs::write(etc(d, "a").join("env.php"), nest(300)).expect("write");
    let out = run_at(d, &["check", "--format", "concise", "a"]);
    assert_line(&out, "a/app/etc/env.php:1:", "deeper than 256");
    let out = run_at(
        d,
        &["check", "--format", "concise", "--max-depth", "400", "a"],
    );
    assert!(!out.stdout.contains("E001"), "{}{}", out.stdout, out.stderr);
    let out = run_at(
        d,
        &["check", "--format", "concise", "--max-depth", "10", "a"],
    );
    assert_line(&out, "a/app/etc/env.php:1:", "deeper than 10");
    // The largest accepted --max-depth on input that deep in every format: no stack overflow.
    let n = magelint::lint::MAX_DEPTH_CEILING;
    std::fs::write(etc(d, "b").join("env.php"), nest(n)).expect("write");
    std::fs::write(
        etc(d, "b").join("env.json"),
        format!("{}1{}", "[".repeat(n), "]".repeat(n)),
    )
    .expect("write");
    let yaml = format!("stage: {}1{}\n", "[".repeat(n), "]".repeat(n));
    std::fs::write(d.join("b/.magento.env.yaml"), yaml).expect("write");
    let ceiling = n.to_string();
    for format in ["full", "json", "sarif"] {
        let args = ["check", "--format", format, "--max-depth", &ceiling, "b"];
        let out = run_at(d, &args);
        // 2 would be an internal error (E000); a signal fails inside run_at.
        assert!(out.code <= 1, "{format}: {}{}", out.stdout, out.stderr);
    }
    let over = (n + 1).to_string();
    let out = run_at(d, &["check", "--max-depth", &over, "b"]);
    assert_eq!(out.code, 2, "a --max-depth over the ceiling is refused");
}

#[test]
fn a_panic_costs_one_file_and_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(etc(d, "a").join("env.staging.php"), "<?php return [];").expect("write");
    std::fs::write(etc(d, "b").join("env.php"), GOOD).expect("write");
    let out = run_env(
        d,
        &["check", "--format", "concise", "."],
        &[("MAGELINT_TEST_PANIC_ON", Path::new("env.staging.php"))],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert_line(
        &out,
        "a/app/etc/env.staging.php:1:1: E000",
        "internal error while checking this file",
    );
    assert_line(&out, "b/app/etc/env.php:2:38: MG003", "MAGE_MODE");
}

/// Every file under `dir` with its size and modification time.
fn listing(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::symlink_metadata(&path).expect("stat");
        out.push((path.clone(), meta.len(), meta.modified().expect("mtime")));
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path).expect("read_dir") {
                stack.push(entry.expect("entry").path());
            }
        }
    }
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn writes_nothing_outside_what_it_is_asked_to_write() {
    let home = tempfile::tempdir().expect("home");
    let tree = tempfile::tempdir().expect("tree");
    let out_dir = tempfile::tempdir().expect("out");
    copy_tree(&root().join("fixtures/demo"), tree.path());
    let before = listing(tree.path());
    let env = [
        ("HOME", home.path()),
        ("TMPDIR", home.path()),
        ("XDG_CACHE_HOME", home.path()),
    ];
    let report = out_dir.path().join("report.sarif");
    let footprint = out_dir.path().join("footprint.json");
    let runs: [Vec<&str>; 5] = [
        vec!["check", "--format", "json", "."],
        vec![
            "check",
            "--format",
            "sarif",
            "--output-file",
            report.to_str().expect("utf8"),
            ".",
        ],
        vec![
            "footprint",
            "--output-file",
            footprint.to_str().expect("utf8"),
            ".",
        ],
        vec!["dump", "sites/us/app/etc/env.php"],
        vec!["check", "--stdin-filename", "sites/us/app/etc/env.php"],
    ];
    for args in &runs {
        let out = run_env(tree.path(), args, &env);
        assert!(out.code <= 1, "{args:?}: {}", out.stderr);
    }
    assert_eq!(listing(tree.path()), before, "the linted tree changed");
    let home_entries: Vec<_> = std::fs::read_dir(home.path()).expect("home").collect();
    assert!(home_entries.is_empty(), "magelint wrote to HOME/TMPDIR");
    let mut written: Vec<_> = std::fs::read_dir(out_dir.path())
        .expect("out")
        .map(|e| e.expect("entry").file_name())
        .collect();
    written.sort();
    assert_eq!(written, ["footprint.json", "report.sarif"]);
}
