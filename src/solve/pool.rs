//! A pool of solver worker processes; a check that overruns its deadline
//! has its worker killed (and replaced).
//!
//! Measured: neither Z3's `timeout` parameter nor an interrupt from a
//! watchdog thread stops Z3 in every phase (its model-based quantifier
//! instantiation once ran 16 minutes past a 5 s limit on a refinement
//! step). A killed process always stops. Workers also let obligations be
//! solved in parallel, one per core.
//!
//! Workers are `fork`ed when first needed and then take one script after
//! another (measured on `prove all`: a fresh child per script cost about
//! 9,000 page faults each, a third of all CPU time; a worker re-uses its
//! heap). Fork safety: the parent never runs Z3 itself (only sets global
//! parameters before any worker exists); each check makes its own Z3
//! context, so nothing of one script leaks into the next. The parent
//! writes a task (script and limits) to a file and sends its number on the
//! worker's task pipe; the worker writes the result to a file and answers
//! with the number on its done pipe.

use super::model::ModelValues;
use super::{Limits, Outcome, SolveResult};
use crate::encode::Script;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Solver workers for one run; tasks carry a caller's tag that comes back
/// with the result.
pub struct Pool {
    jobs: usize,
    workers: Vec<Worker>,
    dir: PathBuf,
    /// Results not yet handed out (a task that could not start).
    ready: VecDeque<(usize, SolveResult)>,
    tasks: u64,
}

/// A worker process and the parent's ends of its two pipes.
struct Worker {
    pid: libc::pid_t,
    /// Task numbers go out here.
    tasks: File,
    /// Finished task numbers come back here.
    done: File,
    task: Option<Running>,
}

struct Running {
    tag: usize,
    number: u64,
    started: Instant,
    /// When the worker is killed: the task's timeout and some grace.
    deadline: Duration,
}

enum Poll {
    /// Nothing new: the worker is idle or still checking.
    Nothing,
    /// The task's result; the worker is idle again.
    Done(usize, SolveResult),
    /// The worker was killed at its deadline or died: the task's result.
    Gone(usize, SolveResult),
}

impl Pool {
    pub fn new(jobs: usize) -> Self {
        Pool {
            jobs: jobs.max(1),
            workers: Vec::new(),
            dir: scratch_dir(),
            ready: VecDeque::new(),
            tasks: 0,
        }
    }

    /// Whether a task submitted now starts at once.
    pub fn has_room(&self) -> bool {
        self.workers.len() < self.jobs || self.workers.iter().any(|w| w.task.is_none())
    }

    /// Whether results are still to come from `wait`.
    pub fn busy(&self) -> bool {
        !self.ready.is_empty() || self.workers.iter().any(|w| w.task.is_some())
    }

    /// Start checking `script`; its result comes from `wait` with `tag`.
    /// Call only when `has_room`.
    pub fn submit(&mut self, tag: usize, script: &Script, limits: Limits) {
        let number = self.tasks;
        self.tasks += 1;
        if let Err(e) = write_task(&self.dir, number, script, limits) {
            self.ready
                .push_back((tag, error(format!("cannot write a solver task: {e}"))));
            return;
        }
        let idle = self.workers.iter().position(|w| w.task.is_none());
        let index = match idle {
            Some(i) => i,
            None => match Worker::spawn(&self.workers, &self.dir) {
                Ok(w) => {
                    self.workers.push(w);
                    self.workers.len() - 1
                }
                Err(e) => {
                    let msg = format!("cannot start a solver process: {e}");
                    self.ready.push_back((tag, error(msg)));
                    return;
                }
            },
        };
        self.workers[index].assign(tag, number, limits);
    }

    /// Stop the task with `tag` if it is running (its worker is killed and
    /// replaced when next needed); no result comes for it.
    pub fn cancel(&mut self, tag: usize) {
        if let Some(i) = self
            .workers
            .iter()
            .position(|w| w.task.as_ref().is_some_and(|t| t.tag == tag))
        {
            let w = self.workers.swap_remove(i);
            w.reap(true);
        }
        self.ready.retain(|(t, _)| *t != tag);
    }

    /// The results that are in, waiting until there is at least one (if
    /// anything is running).
    pub fn wait(&mut self) -> Vec<(usize, SolveResult)> {
        let mut out: Vec<_> = self.ready.drain(..).collect();
        while out.is_empty() && self.workers.iter().any(|w| w.task.is_some()) {
            wait_for_any(&self.workers);
            let mut alive = Vec::new();
            for mut w in std::mem::take(&mut self.workers) {
                match w.poll(&self.dir) {
                    Poll::Nothing => alive.push(w),
                    Poll::Done(tag, r) => {
                        out.push((tag, r));
                        alive.push(w);
                    }
                    Poll::Gone(tag, r) => out.push((tag, r)),
                }
            }
            self.workers = alive;
        }
        out
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        for w in &self.workers {
            w.reap(true);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn error(msg: String) -> SolveResult {
    SolveResult {
        outcome: Outcome::Error(msg),
        elapsed: Duration::ZERO,
    }
}

impl Worker {
    fn spawn(siblings: &[Worker], dir: &Path) -> std::io::Result<Self> {
        let (task_read, task_write) = pipe()?;
        let (done_read, done_write) = pipe()?;
        // SAFETY: see the module comment; the child only runs
        // `worker_main` and leaves through `_exit`, never returning into
        // the parent's code.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            return Err(std::io::Error::last_os_error());
        }
        if pid == 0 {
            // A worker must see end-of-file when the parent goes away: it
            // keeps no copy of any pipe end that is the parent's.
            drop(task_write);
            drop(done_read);
            for s in siblings {
                // SAFETY: closing descriptors this process inherited and
                // never uses; the `File`s are the parent's and are not
                // dropped here.
                unsafe {
                    libc::close(s.tasks.as_raw_fd());
                    libc::close(s.done.as_raw_fd());
                }
            }
            // SAFETY: plain prctl; the worker dies with its parent.
            unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
            silence_stdout();
            let code = worker_main(task_read, done_write, dir);
            // SAFETY: terminates the worker without running the parent's
            // destructors or atexit handlers.
            unsafe { libc::_exit(code) };
        }
        Ok(Worker {
            pid,
            tasks: task_write,
            done: done_read,
            task: None,
        })
    }

    fn assign(&mut self, tag: usize, number: u64, limits: Limits) {
        // A check that outlives its limit by this much is killed.
        let grace = Duration::from_secs(2).max(limits.timeout / 2);
        self.task = Some(Running {
            tag,
            number,
            started: Instant::now(),
            deadline: limits.timeout + grace,
        });
        // A worker that cannot take the task is found dead by `poll`.
        let _ = self.tasks.write_all(&number.to_le_bytes());
    }

    fn poll(&mut self, dir: &Path) -> Poll {
        let Some(t) = &self.task else {
            return Poll::Nothing;
        };
        let (tag, number, started) = (t.tag, t.number, t.started);
        if readable(&self.done) {
            let mut buf = [0u8; 8];
            if self.done.read_exact(&mut buf).is_ok() && u64::from_le_bytes(buf) == number {
                self.task = None;
                return Poll::Done(tag, read_result(dir, number, started, None));
            }
            // End of file: the worker died during the check.
            let status = self.reap(false);
            return Poll::Gone(tag, read_result(dir, number, started, Some(status)));
        }
        if started.elapsed() < t.deadline {
            return Poll::Nothing;
        }
        self.reap(true);
        Poll::Gone(
            tag,
            SolveResult {
                outcome: Outcome::Timeout,
                elapsed: started.elapsed(),
            },
        )
    }

    /// Wait for the worker's end (killing it first if asked); its status.
    fn reap(&self, kill: bool) -> i32 {
        let mut status = 0;
        // SAFETY: kill and reap our own child.
        unsafe {
            if kill {
                libc::kill(self.pid, libc::SIGKILL);
            }
            libc::waitpid(self.pid, &mut status, 0);
        }
        status
    }
}

/// Block until some busy worker answers or the nearest deadline comes.
fn wait_for_any(workers: &[Worker]) {
    let now = Instant::now();
    let mut fds = Vec::new();
    let mut wait = Duration::from_millis(100);
    for w in workers {
        if let Some(t) = &w.task {
            fds.push(libc::pollfd {
                fd: w.done.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            });
            wait = wait.min((t.started + t.deadline).saturating_duration_since(now));
        }
    }
    // SAFETY: `fds` is a valid array of pollfd of the given length.
    unsafe {
        libc::poll(
            fds.as_mut_ptr(),
            fds.len() as libc::nfds_t,
            wait.as_millis() as libc::c_int + 1,
        )
    };
}

/// Whether reading `f` would not block (data or end of file).
fn readable(f: &File) -> bool {
    let mut fd = [libc::pollfd {
        fd: f.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    }];
    // SAFETY: one valid pollfd, no waiting.
    let n = unsafe { libc::poll(fd.as_mut_ptr(), 1, 0) };
    n > 0 && fd[0].revents != 0
}

/// Point the worker's standard output at `/dev/null`: the report (text or
/// `--json`) is the parent's stdout, and Z3 writes diagnostics there on some
/// paths (model dumps seen under model-based instantiation). Its standard
/// error too, unless logs are asked for (`RUST_LOG`): the pinned Z3 prints
/// every model it finds there under `sat.euf` (hundreds of lines per
/// obligation); a worker's own failures reach the parent as a lost worker.
fn silence_stdout() {
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        // SAFETY: dup2 onto the standard descriptors, which no Rust object
        // of the worker owns; `null` is closed after.
        unsafe { libc::dup2(null.as_raw_fd(), libc::STDOUT_FILENO) };
        if std::env::var_os("RUST_LOG").is_none() {
            // SAFETY: as above.
            unsafe { libc::dup2(null.as_raw_fd(), libc::STDERR_FILENO) };
        }
    }
}

fn pipe() -> std::io::Result<(File, File)> {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe() writes.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors are fresh and owned by nobody else.
    Ok(unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) })
}

/// A task as it crosses the process boundary.
#[derive(serde::Serialize, serde::Deserialize)]
struct Task {
    script: Script,
    timeout: f64,
    rlimit: u32,
    portfolio: bool,
}

fn task_file(dir: &Path, number: u64) -> PathBuf {
    dir.join(format!("{number}.task"))
}

fn result_file(dir: &Path, number: u64) -> PathBuf {
    dir.join(format!("{number}.json"))
}

fn write_task(dir: &Path, number: u64, script: &Script, limits: Limits) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct TaskRef<'a> {
        script: &'a Script,
        timeout: f64,
        rlimit: u32,
        portfolio: bool,
    }
    let task = TaskRef {
        script,
        timeout: limits.timeout.as_secs_f64(),
        rlimit: limits.rlimit,
        portfolio: limits.portfolio,
    };
    let bytes = serde_json::to_vec(&task).map_err(std::io::Error::other)?;
    std::fs::write(task_file(dir, number), bytes)
}

/// A worker's life: check the tasks whose numbers arrive until the parent
/// closes the pipe.
fn worker_main(mut tasks: File, mut done: File, dir: &Path) -> i32 {
    let mut buf = [0u8; 8];
    while tasks.read_exact(&mut buf).is_ok() {
        let number = u64::from_le_bytes(buf);
        let code = std::panic::catch_unwind(|| run_task(dir, number)).unwrap_or(3);
        // A task that failed to report ends the worker, and the parent
        // records an error for it.
        if code != 0 || done.write_all(&buf).is_err() {
            return code.max(4);
        }
    }
    0
}

fn run_task(dir: &Path, number: u64) -> i32 {
    let Some(task) = std::fs::read(task_file(dir, number))
        .ok()
        .and_then(|b| serde_json::from_slice::<Task>(&b).ok())
    else {
        return 2;
    };
    let _ = std::fs::remove_file(task_file(dir, number));
    let limits = Limits {
        timeout: Duration::from_secs_f64(task.timeout),
        rlimit: task.rlimit,
        portfolio: task.portfolio,
    };
    let r = super::check(&task.script, limits);
    let wire = Wire::from(&r);
    match serde_json::to_vec(&wire) {
        Ok(bytes) if std::fs::write(result_file(dir, number), &bytes).is_ok() => 0,
        _ => 2,
    }
}

/// The result a worker wrote for task `number`; an error if there is none
/// (the worker died: its wait status).
fn read_result(dir: &Path, number: u64, started: Instant, status: Option<i32>) -> SolveResult {
    let file = result_file(dir, number);
    let wire: Option<Wire> = std::fs::read(&file)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let _ = std::fs::remove_file(&file);
    match wire {
        Some(w) => w.into_result(),
        None => SolveResult {
            outcome: Outcome::Error(format!(
                "the solver process ended without a result (wait status {})",
                status.unwrap_or(-1)
            )),
            elapsed: started.elapsed(),
        },
    }
}

fn scratch_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("tlasmt-{}-{n}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// A solver result as it crosses the process boundary.
#[derive(serde::Serialize, serde::Deserialize)]
struct Wire {
    kind: String,
    detail: String,
    models: Vec<ModelValues>,
    elapsed: f64,
}

impl From<&SolveResult> for Wire {
    fn from(r: &SolveResult) -> Self {
        let (kind, detail, models) = match &r.outcome {
            Outcome::Proved => ("proved", String::new(), Vec::new()),
            Outcome::Failed(models) => ("failed", String::new(), models.clone()),
            Outcome::Unknown(w) => ("unknown", w.clone(), Vec::new()),
            Outcome::Timeout => ("timeout", String::new(), Vec::new()),
            Outcome::Error(e) => ("error", e.clone(), Vec::new()),
        };
        Wire {
            kind: kind.into(),
            detail,
            models,
            elapsed: r.elapsed.as_secs_f64(),
        }
    }
}

impl Wire {
    fn into_result(self) -> SolveResult {
        let outcome = match self.kind.as_str() {
            "proved" => Outcome::Proved,
            "failed" => Outcome::Failed(self.models),
            "unknown" => Outcome::Unknown(self.detail),
            "timeout" => Outcome::Timeout,
            _ => Outcome::Error(self.detail),
        };
        SolveResult {
            outcome,
            elapsed: Duration::from_secs_f64(self.elapsed.max(0.0)),
        }
    }
}
