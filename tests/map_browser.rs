//! The HTML map in a real browser: headless Chromium loads the page from disk (no network),
//! runs its script, and the rendered DOM must hold every installation, site and data space and
//! the MS001 edge marked; a screenshot is kept for a person to look at.
//!
//! Skipped when Chromium is missing, except under CI=true, where `.ci/run` installs Debian's
//! `chromium` and a missing browser is a failure.

mod common;
use common::{copy_dir, root, run};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser"]
        .into_iter()
        .find_map(|name| {
            let ok = Command::new(name)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            ok.then(|| PathBuf::from(name))
        });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is missing under CI: .ci/run installs it"
        );
        eprintln!("skipped: chromium is not installed");
    }
    found
}

/// Runs headless Chromium on `page` with `args`; its standard output. Chromium now and then
/// crashes on start in a container: tried up to three times.
fn headless(browser: &Path, page: &Path, args: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut last = String::new();
    for _ in 0..3 {
        // Output to files: a page's DOM fills a pipe long before Chromium exits.
        let stdout_path = profile.path().join("stdout");
        let stderr_path = profile.path().join("stderr");
        let stdout_file = std::fs::File::create(&stdout_path).expect("stdout file");
        let stderr_file = std::fs::File::create(&stderr_path).expect("stderr file");
        let mut child = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(args)
            .arg(format!("file://{}", page.display()))
            .stdout(stdout_file)
            .stderr(stderr_file)
            .spawn()
            .expect("chromium starts");
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break Some(status);
            }
            if start.elapsed() > Duration::from_secs(90) {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let read = |path: &Path| {
            String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned()
        };
        if status.is_some_and(|s| s.success()) {
            return read(&stdout_path);
        }
        last = read(&stderr_path);
    }
    panic!("chromium failed three times: {last}");
}

/// Writes the map of `fleet` as HTML and JSON into `dir`.
fn write_map(fleet: &Path, dir: &Path) -> (PathBuf, Value) {
    let page = dir.join("map.html");
    let fleet = fleet.to_str().expect("utf-8 path");
    let out = run(&[
        "map",
        "--format",
        "html",
        "--output-file",
        page.to_str().expect("utf-8"),
        fleet,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = run(&["map", "--format", "json", fleet]);
    (page, serde_json::from_str(&json.stdout).expect("json"))
}

/// The rendered DOM holds every installation, site and data space of the model, the script
/// ran, and each MS001 edge is drawn flagged.
fn check_dom(dom: &str, model: &Value) {
    let installations = model["installations"].as_array().expect("installations");
    let sites: Vec<&Value> = installations
        .iter()
        .flat_map(|i| i["sites"].as_array().expect("sites"))
        .collect();
    assert!(
        dom.contains(&format!("data-ready=\"{}\"", sites.len())),
        "the page's script did not run to its end"
    );
    for n in 0..installations.len() {
        assert!(
            dom.contains(&format!("id=\"i{n}\" data-kind=\"installation\"")),
            "installation {n}"
        );
    }
    for site in &sites {
        let id = site["id"].as_str().expect("id");
        assert!(
            dom.contains(&format!("id=\"{id}\" data-kind=\"site\"")),
            "site {id}"
        );
    }
    for n in 0..model["data_spaces"].as_array().expect("spaces").len() {
        assert!(
            dom.contains(&format!("id=\"d{n}\" data-kind=\"data-space\"")),
            "data space {n}"
        );
    }
    for edge in model["edges"].as_array().expect("edges") {
        if edge["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|c| c == "MS001"))
        {
            let marked = format!(
                "class=\"edge environment flagged\" data-site=\"{}\"",
                edge["site"].as_str().expect("site")
            );
            assert!(dom.contains(&marked), "MS001 edge of {}", edge["site"]);
        }
    }
}

fn screenshot(browser: &Path, page: &Path, name: &str) {
    let png = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_file(&png);
    headless(
        browser,
        page,
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1400,1000",
            "--hide-scrollbars",
        ],
    );
    let bytes = std::fs::read(&png).expect("the screenshot is written");
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
        "{}",
        png.display()
    );
    eprintln!("screenshot: {}", png.display());
}

#[test]
fn demo_page_renders() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let (page, model) = write_map(&root().join("fixtures/demo"), dir.path());
    assert!(model["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .any(|e| e["findings"][0] == "MS001"));
    let dom = headless(&browser, &page, &["--dump-dom"]);
    check_dom(&dom, &model);
    screenshot(&browser, &page, "map-demo.png");
}

/// 200 installations of three sites each over 8 SaaS projects, every 10th staging site on its
/// project's Production data space.
fn write_fleet(dir: &Path) {
    let template = root().join("fixtures/rules/MS001/fires");
    let production =
        std::fs::read_to_string(template.join("app/etc/env.production.php")).expect("env");
    let staging = std::fs::read_to_string(template.join("app/etc/env.staging.php")).expect("env");
    for n in 0..200 {
        let project = n / 25;
        let at = dir.join(format!("shop{n:03}"));
        // The fixture's own installation only (its subdirectories are other cases).
        copy_dir(&template.join("app"), &at.join("app"));
        let etc = at.join("app/etc");
        let space = |kind: usize| format!("8eb8e3be-728d-4dea-{kind:04}-{project:012}");
        let with = |text: &str, id: String| {
            text.replace("8eb8e3be-728d-4dea-8875-000000000001", &id)
                .replace(
                    "a1b2c3d4-0000-4000-8000-00000000acme",
                    &format!("project-{project}"),
                )
        };
        std::fs::write(etc.join("env.production.php"), with(&production, space(1))).expect("write");
        let staging_space = if n % 10 == 3 { space(1) } else { space(2) };
        std::fs::write(
            etc.join("env.staging.php"),
            with(&staging, staging_space.clone()),
        )
        .expect("write");
        let dev = with(&staging, space(3)).replace("mcstaging.acme.eu", "dev.acme.eu");
        std::fs::write(etc.join("env.dev.php"), dev).expect("write");
    }
}

#[test]
fn page_of_200_installations_renders() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let fleet = dir.path().join("fleet");
    write_fleet(&fleet);
    let (page, model) = write_map(&fleet, dir.path());
    assert_eq!(
        model["installations"]
            .as_array()
            .expect("installations")
            .len(),
        200
    );
    let dom = headless(&browser, &page, &["--dump-dom"]);
    check_dom(&dom, &model);
    screenshot(&browser, &page, "map-fleet-200.png");
}
