//! The progress line on stderr during long runs of `lint` and `migrate`: files read and
//! objects checked (lint), files done (migrate), redrawn in place.
//!
//! Owns when the line is shown ([`wanted`]), its drawing ([`Line`], pure over a given time
//! and writer, so that it is tested with a fake clock and terminal) and the thread that
//! redraws it ([`Shown`]). The counts come from [`crate::load::progress`].
//!
//! The line appears only after [`DELAY`], so short runs never show it, and only on a
//! terminal that can take it: not when stderr is not a terminal (piped, redirected), not
//! under CI (`CI` set), not when `TERM=dumb`, not with `--no-progress` or
//! `GWCTL_NO_PROGRESS`. It is drawn with a carriage return and spaces only, no escape
//! sequences, so `NO_COLOR` (which is about colour) does not turn it off. It is erased
//! before anything else is written to the terminal, so output is the same with or without
//! it.

use std::io::{self, Write};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::load::progress::{Counts, Progress};

/// How long a run goes before the line appears.
pub const DELAY: Duration = Duration::from_secs(1);
/// How often the line is redrawn.
const INTERVAL: Duration = Duration::from_millis(100);
/// The line is kept shorter than the narrowest usual terminal: a line that wraps cannot be
/// erased with a carriage return.
const MAX_WIDTH: usize = 72;

/// What the line counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Lint,
    Migrate,
}

/// Whether to show progress: asked for (no `--no-progress`), stderr a terminal, and an
/// environment that is not a CI log or a dumb terminal. `env` reads a variable.
pub fn wanted(
    no_progress: bool,
    stderr_is_terminal: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    // `CI=false` or `GWCTL_NO_PROGRESS=0` say no.
    let yes = |name: &str| {
        env(name).is_some_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
    };
    !no_progress
        && stderr_is_terminal
        && !yes("CI")
        && !yes("GWCTL_NO_PROGRESS")
        && env("TERM").as_deref() != Some("dumb")
}

/// The words of the line for `counts`.
pub fn text(kind: Kind, c: Counts) -> String {
    let mut t = match kind {
        Kind::Lint => format!(
            "gwctl: {} of {} files read, {} objects checked",
            c.files_read, c.files_total, c.objects
        ),
        Kind::Migrate => format!(
            "gwctl: {} of {} files migrated",
            c.files_done, c.files_total
        ),
    };
    t.truncate(MAX_WIDTH);
    t
}

/// The line on a terminal: what is drawn, and when. Times are durations since the run
/// started, given by the caller.
#[derive(Debug)]
pub struct Line {
    kind: Kind,
    /// The text on the terminal now; empty when nothing is.
    drawn: String,
}

impl Line {
    pub fn new(kind: Kind) -> Self {
        Line {
            kind,
            drawn: String::new(),
        }
    }

    /// Draw the line for `counts` at time `now`: nothing before [`DELAY`], and nothing when
    /// the same text is on the terminal already.
    pub fn tick(&mut self, now: Duration, counts: Counts, out: &mut dyn Write) -> io::Result<()> {
        if now < DELAY {
            return Ok(());
        }
        let new = text(self.kind, counts);
        if new == self.drawn {
            return Ok(());
        }
        // Spaces over what is left of a longer text; the cursor stays at the line's end.
        let pad = self.drawn.len().saturating_sub(new.len());
        write!(out, "\r{new}{:pad$}", "")?;
        out.flush()?;
        self.drawn = new;
        Ok(())
    }

    /// Erase the line, leaving the cursor at the start of the empty line, where the next
    /// output goes.
    pub fn clear(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.drawn.is_empty() {
            return Ok(());
        }
        let n = self.drawn.len();
        write!(out, "\r{:n$}\r", "")?;
        out.flush()?;
        self.drawn.clear();
        Ok(())
    }
}

/// The progress line of one run, redrawn by a thread of its own until dropped; dropping it
/// erases the line. When not [`wanted`] it does nothing but hold the counters.
pub struct Shown {
    progress: Arc<Progress>,
    line: Arc<Mutex<Line>>,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Shown {
    /// Start showing the counts of `progress` if `enabled`; see [`wanted`].
    pub fn start(progress: Arc<Progress>, kind: Kind, enabled: bool) -> Shown {
        let line = Arc::new(Mutex::new(Line::new(kind)));
        let mut shown = Shown {
            progress,
            line,
            stop: None,
            thread: None,
        };
        if enabled {
            let (tx, rx) = mpsc::channel::<()>();
            let (progress, line) = (shown.progress.clone(), shown.line.clone());
            let started = Instant::now();
            let thread = std::thread::Builder::new()
                .name("gwctl-progress".into())
                .spawn(move || redraw(&progress, &line, &rx, started));
            // Without a thread there is no line, which is no reason to fail the run.
            if let Ok(t) = thread {
                shown.stop = Some(tx);
                shown.thread = Some(t);
            }
        }
        shown
    }

    /// [`Shown::start`] as the flags and the environment say (`--no-progress`, [`wanted`]).
    pub fn for_run(progress: Arc<Progress>, kind: Kind, no_progress: bool) -> Shown {
        use std::io::IsTerminal;
        let enabled = wanted(no_progress, io::stderr().is_terminal(), &|name| {
            std::env::var(name).ok()
        });
        Shown::start(progress, kind, enabled)
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// `out`, erasing the line before each write, for output that goes to the same terminal.
    pub fn guard<'a>(&'a self, out: &'a mut dyn Write) -> Guarded<'a> {
        Guarded { shown: self, out }
    }

    fn lock(&self) -> MutexGuard<'_, Line> {
        lock(&self.line)
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        // Disconnecting wakes the thread, which erases the line and ends.
        self.stop.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The thread of [`Shown`]: redraw every [`INTERVAL`] until told to stop, then erase.
fn redraw(progress: &Progress, line: &Mutex<Line>, stop: &mpsc::Receiver<()>, started: Instant) {
    while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(INTERVAL) {
        // The line's lock before stderr's, as a [`Guarded`] writer takes them.
        let mut line = lock(line);
        // A terminal that cannot be written to gets no line; the run goes on.
        let _ = line.tick(
            started.elapsed(),
            progress.counts(),
            &mut io::stderr().lock(),
        );
    }
    let _ = lock(line).clear(&mut io::stderr().lock());
}

/// A poisoned lock only means a panic elsewhere; the line is still usable.
fn lock(line: &Mutex<Line>) -> MutexGuard<'_, Line> {
    line.lock().unwrap_or_else(|e| e.into_inner())
}

/// A writer that erases the progress line before writing ([`Shown::guard`]); the line comes
/// back at the next redraw.
pub struct Guarded<'a> {
    shown: &'a Shown,
    out: &'a mut dyn Write,
}

impl Write for Guarded<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut line = self.shown.lock();
        if self.shown.thread.is_some() {
            line.clear(&mut io::stderr().lock())?;
        }
        // Written while the lock is held, so that the line is not drawn halfway through.
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(files_read: u64, files_total: u64, objects: u64) -> Counts {
        Counts {
            files_total,
            files_read,
            objects,
            files_done: 0,
        }
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn nothing_is_drawn_before_the_delay() {
        let mut line = Line::new(Kind::Lint);
        let mut term = Vec::new();
        line.tick(ms(0), counts(0, 10, 0), &mut term).unwrap();
        line.tick(ms(999), counts(5, 10, 50), &mut term).unwrap();
        line.clear(&mut term).unwrap();
        assert!(term.is_empty(), "{:?}", String::from_utf8_lossy(&term));
    }

    #[test]
    fn the_line_is_redrawn_in_place_when_the_counts_change() {
        let mut line = Line::new(Kind::Lint);
        let mut term = Vec::new();
        line.tick(ms(1000), counts(120, 7000, 4000), &mut term)
            .unwrap();
        // The same counts: nothing written.
        line.tick(ms(1100), counts(120, 7000, 4000), &mut term)
            .unwrap();
        assert_eq!(
            String::from_utf8(term.clone()).unwrap(),
            "\rgwctl: 120 of 7000 files read, 4000 objects checked"
        );
        term.clear();
        // Shorter text (it cannot be with growing counts, but a new line must not leave
        // the old one's tail): padded with spaces.
        line.tick(ms(1200), counts(9, 10, 9), &mut term).unwrap();
        let shown = String::from_utf8(term.clone()).unwrap();
        let old = "gwctl: 120 of 7000 files read, 4000 objects checked".len();
        assert_eq!(shown.len(), 1 + old, "{shown:?}");
        assert!(shown.starts_with("\rgwctl: 9 of 10 files read, 9 objects checked  "));
        assert!(!shown.contains('\x1b'), "no escape sequences: {shown:?}");
    }

    #[test]
    fn clearing_erases_the_line_and_returns_to_its_start() {
        let mut line = Line::new(Kind::Migrate);
        let mut term = Vec::new();
        let c = Counts {
            files_done: 3,
            files_total: 9,
            ..Counts::default()
        };
        line.tick(ms(1500), c, &mut term).unwrap();
        term.clear();
        line.clear(&mut term).unwrap();
        let n = "gwctl: 3 of 9 files migrated".len();
        assert_eq!(
            String::from_utf8(term.clone()).unwrap(),
            format!("\r{}\r", " ".repeat(n))
        );
        // Cleared already: nothing more; the next tick draws it again.
        term.clear();
        line.clear(&mut term).unwrap();
        assert!(term.is_empty());
        line.tick(ms(1600), c, &mut term).unwrap();
        assert_eq!(
            String::from_utf8(term).unwrap(),
            "\rgwctl: 3 of 9 files migrated"
        );
    }

    #[test]
    fn shown_only_on_a_terminal_outside_ci_when_not_turned_off() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let term = env(&[("TERM", "xterm-256color")]);
        assert!(wanted(false, true, &term));
        assert!(!wanted(true, true, &term), "--no-progress");
        assert!(!wanted(false, false, &term), "stderr piped");
        assert!(!wanted(false, true, &env(&[("CI", "true")])));
        assert!(!wanted(false, true, &env(&[("CI", "1")])));
        assert!(wanted(false, true, &env(&[("CI", "false")])));
        assert!(wanted(false, true, &env(&[("CI", "")])));
        assert!(!wanted(false, true, &env(&[("TERM", "dumb")])));
        assert!(!wanted(false, true, &env(&[("GWCTL_NO_PROGRESS", "1")])));
        assert!(wanted(false, true, &env(&[("GWCTL_NO_PROGRESS", "0")])));
        // NO_COLOR is about colour; the line has none.
        assert!(wanted(false, true, &env(&[("NO_COLOR", "1")])));
    }

    #[test]
    fn a_run_without_the_line_writes_through_and_draws_nothing() {
        let shown = Shown::start(Arc::default(), Kind::Lint, false);
        shown.progress().file_read();
        let mut out = Vec::new();
        write!(shown.guard(&mut out), "finding").unwrap();
        assert_eq!(out, b"finding");
        assert_eq!(shown.progress().counts().files_read, 1);
    }
}
