//! read: a file's bytes to UTF-8 text, or the reason it cannot be checked (E003).

use crate::syntax::LineIndex;
use std::io::Read;
use std::path::Path;

/// Reads a file as UTF-8 text, or says why it cannot be checked (message, byte offset).
/// Never opens what is not a regular file (a FIFO would block) and never reads past `cap`.
/// On invalid UTF-8 the text is still returned, lossily decoded.
pub fn read_text(path: &Path, cap: u64) -> (String, Option<(String, usize)>) {
    let problem = |message: String| (String::new(), Some((message, 0)));
    // Opening a FIFO blocks until a writer comes: open without blocking, then look at what
    // was opened (one open and one fstat per file: this runs on every file of a fleet).
    let file = match open_nonblocking(path) {
        Ok(file) => file,
        Err(error) => {
            // A socket cannot be opened at all: say what it is rather than the errno.
            return match std::fs::metadata(path) {
                Ok(meta) if !meta.is_file() => problem(format!(
                    "cannot read: {}, not a regular file",
                    file_type_name(&meta.file_type())
                )),
                _ => problem(format!("cannot read: {}", io_message(&error))),
            };
        }
    };
    let meta = match file.metadata() {
        Ok(meta) => meta,
        Err(error) => return problem(format!("cannot read: {}", io_message(&error))),
    };
    if !meta.is_file() {
        return problem(format!(
            "cannot read: {}, not a regular file",
            file_type_name(&meta.file_type())
        ));
    }
    if meta.len() > cap {
        return problem(format!(
            "file is {} bytes, over the size cap of {cap} bytes (raise it with --max-file-size)",
            meta.len()
        ));
    }
    // Read the size the metadata gave (no extra read to meet the end: one system call less per
    // file); a file that says it is empty may be a pseudo-file, so read it to its end, one byte
    // past the cap so one that grows is still refused.
    let read = match meta.len() {
        0 => {
            let mut bytes = Vec::new();
            file.take(cap + 1).read_to_end(&mut bytes).map(|_| bytes)
        }
        len => read_up_to(&file, len as usize),
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(error) => return problem(format!("cannot read: {}", io_message(&error))),
    };
    if bytes.len() as u64 > cap {
        return problem(format!(
            "file is over the size cap of {cap} bytes (raise it with --max-file-size)"
        ));
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return problem("binary file (NUL bytes), not a config file".into());
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let position = LineIndex::new(&text).position(&text, offset as u32);
            let message = format!(
                "file is not valid UTF-8 (invalid byte at {}:{}); Magento config files are UTF-8 text",
                position.line, position.column
            );
            (text, Some((message, offset)))
        }
    }
}

#[cfg(unix)]
use crate::sys::read_up_to;

#[cfg(not(unix))]
fn read_up_to(file: &std::fs::File, len: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(len);
    file.take(len as u64).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK changes nothing for regular files; for a FIFO it makes `open` return at once.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    // Without FIFOs to fear, look first only where opening could hang (devices).
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    std::fs::File::open(path)
}

fn file_type_name(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "is a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "is a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "is a device";
        }
    }
    if file_type.is_dir() {
        "is a directory"
    } else {
        "is a special file"
    }
}

fn io_message(error: &std::io::Error) -> String {
    let text = error.to_string();
    // "Permission denied (os error 13)" → "permission denied (os error 13)"
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}
