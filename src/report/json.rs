//! `json`: the versioned machine model of ../shared/DESIGN.md §5.

use super::{resolve, ResolvedDiagnostic, Summary};
use crate::lint::Report;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;
use std::io;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonReport<D> {
    version: u32,
    tool: Tool,
    summary: Summary,
    diagnostics: D,
}

fn model<D>(report: &Report, diagnostics: D) -> JsonReport<D> {
    JsonReport {
        version: 1,
        tool: Tool {
            name: "magelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary::of(report),
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
        let printed: Vec<io::Result<Vec<u8>>> = crate::lint::in_worker_pool(|| {
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
/// (two levels deep), without the line break and indentation before it.
fn print_nested(diagnostic: &ResolvedDiagnostic) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(1024);
    let formatter = Pretty {
        current_indent: 2,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    diagnostic.serialize(&mut serializer)?;
    Ok(out)
}

/// serde_json's `PrettyFormatter` (two-space indent), started at a given depth.
struct Pretty {
    current_indent: usize,
    has_value: bool,
}

impl Pretty {
    fn indent<W: ?Sized + io::Write>(&self, writer: &mut W) -> io::Result<()> {
        for _ in 0..self.current_indent {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn begin<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.current_indent += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn end<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.current_indent = self.current_indent.saturating_sub(1);
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{lint, LintOptions};

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
