//! `json`: the versioned machine model, schemas/magelint-output.schema.json.

use super::{resolve, ResolvedDiagnostic, Summary};
use crate::run::Report;
use rayon::prelude::*;
use serde::Serialize;
use std::io;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// One file of the run, and where it stands in git.
#[derive(Serialize)]
struct File<'r> {
    path: &'r str,
    git: crate::git::GitStatus,
}

#[derive(Serialize)]
struct JsonReport<'r, D> {
    version: u32,
    tool: Tool,
    summary: Summary,
    /// Which ece-tools schema checked each `.magento.env.yaml` (absent when there is none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ece_tools: Vec<EceTools>,
    files: Vec<File<'r>>,
    diagnostics: D,
}

#[derive(Serialize)]
struct EceTools {
    path: String,
    generation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    reason: String,
    schema: String,
}

fn model<D>(report: &Report, diagnostics: D) -> JsonReport<'_, D> {
    JsonReport {
        version: 1,
        tool: Tool {
            name: "magelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary::of(report),
        ece_tools: report
            .ece_tools
            .iter()
            .map(|s| EceTools {
                path: report
                    .files
                    .get(s.file)
                    .map(|f| f.display_path.clone())
                    .unwrap_or_default(),
                generation: s.generation.clone(),
                version: s.version.clone(),
                reason: s.reason.clone(),
                schema: s.schema.clone(),
            })
            .collect(),
        files: report
            .files
            .iter()
            .map(|f| File {
                path: &f.display_path,
                git: f.source.git,
            })
            .collect(),
        diagnostics,
    }
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    match write(report, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{{\"error\": \"{e}\"}}\n"),
    }
}

/// Diagnostics resolved and printed at a time: a fleet's report is tens of megabytes, and
/// holding it whole (model and text) doubled the run's peak memory.
const CHUNK: usize = 256;

/// What serde_json prints for the report with no diagnostics ends with this: the list is
/// printed in its place.
const EMPTY_TAIL: &[u8] = b"[]\n}";

/// Streams the report to `out`, pretty-printed as serde_json prints the whole model
/// (`write_whole`). The diagnostics are resolved and printed on every core, a chunk at a
/// time, each at the depth it has in the document, and written in order.
pub fn write(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let mut head = serde_json::to_vec_pretty(&model(report, [(); 0]))?;
    let Some(open) = head.len().checked_sub(EMPTY_TAIL.len()) else {
        return write_whole(report, out);
    };
    if report.diagnostics.is_empty() || !head.ends_with(EMPTY_TAIL) {
        return write_whole(report, out);
    }
    head.truncate(open);
    out.write_all(&head)?;
    out.write_all(b"[")?;
    for (index, chunk) in report.diagnostics.chunks(CHUNK).enumerate() {
        let printed: Vec<io::Result<Vec<u8>>> = crate::check::in_worker_pool(|| {
            chunk
                .par_iter()
                .map(|d| print_nested(&resolve(report, d)))
                .collect()
        });
        for (offset, printed) in printed.into_iter().enumerate() {
            // As serde_json's pretty printer begins a list item: a line break, two levels in.
            let first = index == 0 && offset == 0;
            out.write_all(if first { b"\n    " } else { b",\n    " })?;
            out.write_all(&printed?)?;
        }
    }
    out.write_all(b"\n  ]\n}\n")
}

/// The plain definition `write` must match: the whole model through serde_json, the
/// diagnostics resolved one by one as they are printed.
fn write_whole(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let diagnostics = Resolved(report);
    serde_json::to_writer_pretty(&mut *out, &model(report, diagnostics))?;
    out.write_all(b"\n")
}

/// The diagnostics, each resolved only as it is written.
struct Resolved<'r>(&'r Report);

impl Serialize for Resolved<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        serializer.collect_seq(report.diagnostics.iter().map(|d| resolve(report, d)))
    }
}

/// One diagnostic as serde_json's pretty printer prints an item of the `diagnostics` list
/// (two levels deep), without the line break and indentation before it: printed on its own,
/// then each line after the first indented two levels more. JSON strings never hold a raw
/// line break, so every line break in the text is the printer's.
fn print_nested(diagnostic: &ResolvedDiagnostic) -> io::Result<Vec<u8>> {
    let flat = serde_json::to_vec_pretty(diagnostic)?;
    let mut out = Vec::with_capacity(flat.len() + flat.len() / 8);
    for &byte in &flat {
        out.push(byte);
        if byte == b'\n' {
            out.extend_from_slice(b"    ");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::lint;
    use crate::options::LintOptions;

    fn written(report: &Report, whole: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let result = match whole {
            true => write_whole(report, &mut out),
            false => write(report, &mut out),
        };
        result.expect("writes to memory");
        out
    }

    /// The chunked, parallel printing gives serde_json's bytes: on the fixtures (findings with
    /// and without help, pointers, related locations; more than one chunk), and with none.
    #[test]
    fn prints_what_serde_json_prints_of_the_whole_model() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let options = LintOptions {
            paths: vec![fixtures],
            selection: crate::select::Selection {
                select: vec!["ALL".into()],
                ..Default::default()
            },
            ..LintOptions::default()
        };
        let mut report = lint(&options);
        assert!(
            report.diagnostics.len() > CHUNK,
            "{}",
            report.diagnostics.len()
        );
        assert_eq!(written(&report, false), written(&report, true));
        report.diagnostics.truncate(1);
        assert_eq!(written(&report, false), written(&report, true));
        report.diagnostics.clear();
        assert_eq!(written(&report, false), written(&report, true));
    }
}
