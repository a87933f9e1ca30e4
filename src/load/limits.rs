//! Limits on what one run reads: --max-file-size, --max-total-size shared out over the
//! inputs before any is read ([`Budget`]), each file read within its share ([`Raw`]), and
//! --max-objects ([`Capped`]). A refused input becomes a finding (GW013, GW014, GW015), never
//! a read past the limit, so memory stays bounded whatever the inputs hold.

use std::fs;
use std::io::Read;
use std::path::Path;

use super::discover::display;
use super::{Input, LoadError, Options, rules};
use crate::diag::Diagnostic;
use crate::model::Object;
use crate::source::{FileId, Span};

/// What each input may read, decided in input order before anything is read in parallel.
pub(super) struct Budget {
    /// One per input, in input order.
    allowances: Vec<Allowance>,
    /// Stdin's bytes, read up front: it cannot be read in parallel.
    stdin: Option<Vec<u8>>,
}

impl Budget {
    /// Share --max-total-size out over `files`: each file may read at most what is left
    /// after the files before it (by their size on disk), so the bytes held at once never
    /// exceed it whatever the thread timing, and which files are refused does not depend on
    /// it either. Stdin, if named, is read here; a failure to read it goes to `errors`.
    ///
    /// `metadata` is each file's as discovery looked it up (`None` for stdin and for a path
    /// that could not be looked at, which read_file reports).
    pub(super) fn share(
        files: &[Input],
        metadata: &[Option<fs::Metadata>],
        opts: &Options,
        stdin: &mut dyn Read,
        errors: &mut Vec<LoadError>,
    ) -> Budget {
        debug_assert_eq!(files.len(), metadata.len(), "one metadata per input");
        let mut left = opts.max_total_size;
        let mut stdin_bytes = None;
        let mut allowances = Vec::with_capacity(files.len());
        for (input, meta) in files.iter().zip(metadata) {
            let allowance = match input {
                Input::Stdin if stdin_bytes.is_none() => {
                    let mut buf = Vec::new();
                    let cap = opts.max_file_size.min(left);
                    match stdin.take(cap.saturating_add(1)).read_to_end(&mut buf) {
                        Ok(_) => {
                            let n = buf.len() as u64;
                            stdin_bytes = Some(buf);
                            Allowance::new(n, left, opts)
                        }
                        Err(e) => {
                            errors.push(LoadError::Io {
                                path: "<stdin>".into(),
                                source: e,
                            });
                            stdin_bytes = Some(Vec::new());
                            Allowance::Read(0)
                        }
                    }
                }
                // Stdin named twice is read once; the second reading is empty.
                Input::Stdin => Allowance::Read(0),
                Input::Path(_) => match meta {
                    Some(m) if m.is_file() => Allowance::new(m.len(), left, opts),
                    // A pipe or device (`<(...)`, `/dev/stdin`) has no size up front: it may
                    // read what is left, and reserves nothing, as it is rare.
                    Some(_) => Allowance::Stream(left),
                    None => Allowance::Read(0),
                },
            };
            if let Allowance::Read(n) = allowance {
                left -= n.min(left);
            }
            allowances.push(allowance);
        }
        Budget {
            allowances,
            stdin: stdin_bytes,
        }
    }

    /// Read input `i` of `files` (the inputs [`Budget::share`] was given) within its
    /// allowance; an input over a limit is not read, and is refused when parsed.
    pub(super) fn read(&self, files: &[Input], i: usize, opts: &Options) -> Result<Raw, LoadError> {
        Ok(match (self.allowances[i], &files[i]) {
            (Allowance::TooLarge(n), _) => Raw::TooLarge(n),
            (Allowance::OverTotal(n), _) => Raw::OverTotal(n),
            (Allowance::Read(_) | Allowance::Stream(_), Input::Stdin) => {
                let bytes = if i == files.iter().position(|f| *f == Input::Stdin).unwrap_or(i) {
                    self.stdin.clone().unwrap_or_default()
                } else {
                    Vec::new()
                };
                Raw::Bytes {
                    bytes,
                    regular_file: false,
                }
            }
            (Allowance::Read(n) | Allowance::Stream(n), Input::Path(p)) => read_file(p, n, opts)?,
        })
    }
}

/// How much of one input may be read.
#[derive(Debug, Clone, Copy)]
enum Allowance {
    /// Read it; it is this many bytes (its size when it was listed).
    Read(u64),
    /// Read at most this many bytes; its size is not known before reading.
    Stream(u64),
    /// Larger than --max-file-size.
    TooLarge(u64),
    /// Would take all inputs past --max-total-size.
    OverTotal(u64),
}

impl Allowance {
    fn new(len: u64, left: u64, opts: &Options) -> Self {
        if len > opts.max_file_size {
            Allowance::TooLarge(len)
        } else if len > left {
            Allowance::OverTotal(len)
        } else {
            Allowance::Read(len)
        }
    }
}

/// One input as read: its bytes, or the limit it is over.
pub(super) enum Raw {
    Bytes {
        bytes: Vec<u8>,
        /// The bytes are all of a regular file, named by the origin's path: one that can be
        /// read again to show its lines (a pipe such as `<(...)` cannot).
        regular_file: bool,
    },
    TooLarge(u64),
    OverTotal(u64),
}

impl Raw {
    /// Text that does not come from reading a file (a live object, a test's input).
    pub(super) fn text(text: String) -> Self {
        Raw::Bytes {
            bytes: text.into_bytes(),
            regular_file: false,
        }
    }
}

/// Read a file, at most `cap` bytes (its share of the total budget). A file that grew past
/// its share since it was listed is refused, not read further.
fn read_file(path: &Path, cap: u64, opts: &Options) -> Result<Raw, LoadError> {
    let io_err = |source| LoadError::Io {
        path: display(path),
        source,
    };
    let file = fs::File::open(path).map_err(io_err)?;
    let meta = file.metadata().map_err(io_err)?;
    let len = meta.len();
    if len > opts.max_file_size {
        return Ok(Raw::TooLarge(len));
    }
    let limit = cap.min(opts.max_file_size);
    let mut buf = Vec::with_capacity(len.min(limit) as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(io_err)?;
    let n = buf.len() as u64;
    if n > limit {
        return Ok(if limit == opts.max_file_size {
            Raw::TooLarge(n)
        } else {
            Raw::OverTotal(n)
        });
    }
    Ok(Raw::Bytes {
        bytes: buf,
        regular_file: meta.is_file(),
    })
}

/// Objects past --max-objects, refused one by one or left unread where a file's reader
/// stopped: only the first place is kept, for the run's one finding (GW015).
#[derive(Default)]
pub(super) struct Capped {
    first: Option<(FileId, Span)>,
}

impl Capped {
    pub(super) fn refuse(&mut self, o: Object) {
        self.first.get_or_insert((o.file, o.shape.span()));
    }

    /// A file's reader stopped at `span`, its first document past the limit.
    pub(super) fn stopped(&mut self, file: FileId, span: Span) {
        self.first.get_or_insert((file, span));
    }

    /// One finding at the first object not checked, in input order, so a huge input fails
    /// clearly rather than by exhausting memory in the checks. How many objects were not
    /// checked is not said: a file's reader stops at the limit without counting the rest.
    pub(super) fn report(self, max: usize, diagnostics: &mut Vec<Diagnostic>) {
        let Some((file, span)) = self.first else {
            return;
        };
        diagnostics.push(
            Diagnostic::new(
                &rules::TOO_MANY_OBJECTS,
                format!(
                    "the inputs hold more than {max} objects; gwctl checked the first {max} and \
                     did not check this one or any after it"
                ),
            )
            .at(file, Span::new(span.start, span.start))
            .help("give fewer objects at a time, or raise the limit with --max-objects"),
        );
    }
}
