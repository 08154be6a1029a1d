//! SQLite through rusqlite, run in the calling task.
//!
//! A statement here takes microseconds (WAL, `synchronous = NORMAL`: a commit appends to the
//! log and does not wait for the disk), far less than handing it to another thread and back.
//! So statements run where they are asked for:
//! - one writer connection, behind an async lock, so writers queue as tasks and never as
//!   threads spinning in SQLite's busy handler;
//! - a few reader connections for `SELECT`s outside transactions, which WAL lets run beside
//!   the writer.
//!
//! A write outside a transaction is queued, and whichever task holds the writer next runs
//! every queued write, as one transaction when there are several. Handing the writer from
//! task to task costs about as much as a write (the next task has to be woken and polled,
//! often behind the releasing task's own work): taking turns one write at a time, the writer
//! stood idle half the time and capped passkey sign-ins near 1,600/s while a core was free.
//! Together, a batch also pays for one commit instead of one each.
//!
//! The busy timeout is left for other processes (the `gatehouse` CLI) holding the lock.
//!
//! Copying the log back into the database (a checkpoint) writes and syncs the file, which
//! takes milliseconds: it is done on the blocking pool every [`CHECKPOINT_EVERY`] writes,
//! never inside a request's statement. It holds the writer meanwhile: a checkpoint that
//! writes race past never catches up, so the log would never start again from its beginning
//! (it grew by 100 MB a second under load when tried).

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{oneshot, Mutex as AsyncMutex, OwnedMutexGuard};

use crate::sql::{Outcome, Query, Row, Value};

/// Enough for every tokio worker and a blocking task or two to read at once.
const READERS: usize = 4;
/// Every distinct statement text the storage modules use stays prepared.
const STATEMENT_CACHE: usize = 256;
/// Writes (statements, or transactions) between checkpoints: about SQLite's own default of
/// 1,000 log pages, fewer when writes share commits.
const CHECKPOINT_EVERY: u64 = 500;
/// What the log file is cut back to after a checkpoint.
const LOG_SIZE_LIMIT: i64 = 16 << 20;

#[derive(Debug)]
pub(crate) struct Lite {
    writer: Arc<AsyncMutex<Connection>>,
    /// Writes waiting for the writer: whoever holds it next runs them all.
    queue: Mutex<Vec<Job>>,
    readers: Box<[Mutex<Connection>]>,
    next: AtomicUsize,
    writes: AtomicU64,
    checkpointing: Arc<AtomicBool>,
}

impl Lite {
    /// Opens `path` (created when missing): the writer first, so the file and its WAL mode
    /// exist before the readers open it.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let writer = connect(path)?;
        writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        writer.pragma_update(None, "journal_size_limit", LOG_SIZE_LIMIT)?;
        let readers = (0..READERS).map(|_| connect(path).map(Mutex::new)).collect::<Result<_, _>>()?;
        Ok(Lite {
            writer: Arc::new(AsyncMutex::new(writer)),
            queue: Mutex::new(Vec::new()),
            readers,
            next: AtomicUsize::new(0),
            writes: AtomicU64::new(0),
            checkpointing: Arc::new(AtomicBool::new(false)),
        })
    }

    pub async fn run(&self, q: Query<'_>, rows: bool) -> rusqlite::Result<Outcome> {
        if q.is_read() {
            return run_on(&self.reader(), &q, rows);
        }
        let (reply, answer) = oneshot::channel();
        let job = Job { sql: q.sql.into(), args: q.args, rows, reply };
        self.queue.lock().unwrap_or_else(PoisonError::into_inner).push(job);
        let mut answer = std::pin::pin!(answer);
        loop {
            tokio::select! {
                biased;
                done = &mut answer => return done.unwrap_or_else(|_| Err(stopped())),
                conn = self.writer.lock() => self.run_queued(&conn),
            }
        }
    }

    /// Runs every write queued so far, in the order queued, as one transaction when there
    /// are several: one commit's log pages and locks for them all. Each answer goes out once
    /// its write is committed. A batch that fails as a whole (an error that ends the
    /// transaction, or its `COMMIT`) is undone, and each write runs again alone so that every
    /// one gets its own outcome.
    fn run_queued(&self, conn: &Connection) {
        let mut jobs = std::mem::take(&mut *self.queue.lock().unwrap_or_else(PoisonError::into_inner));
        // A request cancelled before its write started (the client went away) does not write.
        jobs.retain(|job| !job.reply.is_closed());
        if jobs.is_empty() {
            return;
        }
        self.wrote(jobs.len() as u64);
        if jobs.len() > 1 {
            match conn.execute_batch("BEGIN IMMEDIATE") {
                // Running each alone would meet the same lock again, once per write.
                Err(e) => return jobs.into_iter().for_each(|job| job.answer(Err(copy(&e)))),
                Ok(()) => {
                    if let Some(done) = run_together(conn, &jobs) {
                        return jobs.into_iter().zip(done).for_each(|(job, outcome)| job.answer(outcome));
                    }
                }
            }
        }
        for job in jobs {
            let outcome = run_sql(conn, &job.sql, &job.args, job.rows);
            job.answer(outcome);
        }
    }

    /// Counts a write, and starts a checkpoint when enough have piled up since the last
    /// (and none is under way). Outside a runtime (never, in the server), none is started.
    fn wrote(&self, n: u64) {
        let before = self.writes.fetch_add(n, Ordering::Relaxed);
        let due = before / CHECKPOINT_EVERY != (before + n) / CHECKPOINT_EVERY;
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        if !due || self.checkpointing.swap(true, Ordering::AcqRel) {
            return;
        }
        let (writer, checkpointing) = (self.writer.clone(), self.checkpointing.clone());
        runtime.spawn(async move {
            let conn = writer.lock_owned().await;
            let done =
                tokio::task::spawn_blocking(move || conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())));
            match done.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "SQLite checkpoint failed; the next one will retry"),
                Err(e) => tracing::warn!(error = %e, "SQLite checkpoint stopped"),
            }
            checkpointing.store(false, Ordering::Release);
        });
    }

    /// Statements that are not one query with parameters: administration and tests.
    pub async fn execute_batch(&self, sql: &str) -> rusqlite::Result<()> {
        self.writer.lock().await.execute_batch(sql)
    }

    pub async fn begin(&self) -> rusqlite::Result<LiteTx> {
        self.wrote(1);
        let conn = self.writer.clone().lock_owned().await;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(LiteTx { conn, open: true })
    }

    /// A free reader, or else the next one in turn (only when more threads read at once
    /// than there are readers).
    fn reader(&self) -> MutexGuard<'_, Connection> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.readers.len();
        (0..n)
            .find_map(|i| self.readers[(start + i) % n].try_lock().ok())
            .unwrap_or_else(|| self.readers[start % n].lock().unwrap_or_else(PoisonError::into_inner))
    }
}

fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// Runs one statement: its rows, or how many rows it changed. Parameters are written `$N`,
/// which SQLite takes as names, numbered by first appearance; the name says which argument.
pub(crate) fn run_on(conn: &Connection, q: &Query<'_>, want_rows: bool) -> rusqlite::Result<Outcome> {
    run_sql(conn, q.sql, &q.args, want_rows)
}

fn run_sql(conn: &Connection, sql: &str, args: &[Value], want_rows: bool) -> rusqlite::Result<Outcome> {
    let mut stmt = conn.prepare_cached(sql)?;
    for i in 1..=stmt.parameter_count() {
        let arg = stmt
            .parameter_name(i)
            .and_then(|name| name.strip_prefix('$')?.parse::<usize>().ok())
            .and_then(|n| args.get(n.checked_sub(1)?))
            .ok_or(rusqlite::Error::InvalidParameterCount(i, args.len()))?;
        stmt.raw_bind_parameter(i, SqlValue(arg))?;
    }
    if !want_rows {
        let mut rows = stmt.raw_query();
        while rows.next()?.is_some() {}
        return Ok(Outcome::Done(conn.changes()));
    }
    let names: Arc<[String]> = stmt.column_names().into_iter().map(str::to_owned).collect();
    let width = names.len();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let values = (0..width).map(|i| row.get::<_, rusqlite::types::Value>(i)).collect::<Result<_, _>>()?;
        out.push(Row::Lite { names: names.clone(), values });
    }
    Ok(Outcome::Rows(out))
}

/// Runs `jobs` in the open transaction and commits: their outcomes, or `None` when the
/// transaction failed as a whole and was undone. A statement's own error (a constraint)
/// undoes only that statement, as it would alone.
fn run_together(conn: &Connection, jobs: &[Job]) -> Option<Vec<rusqlite::Result<Outcome>>> {
    let mut done = Vec::with_capacity(jobs.len());
    for job in jobs {
        done.push(run_sql(conn, &job.sql, &job.args, job.rows));
        if conn.is_autocommit() {
            return None;
        }
    }
    if conn.execute_batch("COMMIT").is_ok() {
        return Some(done);
    }
    // Fails harmlessly if the failed COMMIT already ended the transaction.
    let _ = conn.execute_batch("ROLLBACK");
    None
}

/// The same error again, for each write of a batch that could not start.
fn copy(e: &rusqlite::Error) -> rusqlite::Error {
    match e {
        rusqlite::Error::SqliteFailure(code, message) => rusqlite::Error::SqliteFailure(*code, message.clone()),
        other => rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
            Some(other.to_string()),
        ),
    }
}

/// The answer to a write whose runner stopped before answering (it panicked).
fn stopped() -> rusqlite::Error {
    let code = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT);
    rusqlite::Error::SqliteFailure(code, Some("the write stopped before it finished".into()))
}

/// A write waiting for the writer, owned: another task may run it.
struct Job {
    sql: Box<str>,
    args: Vec<Value>,
    rows: bool,
    reply: oneshot::Sender<rusqlite::Result<Outcome>>,
}

impl Job {
    /// Its requester may have gone since the write started: the write stands all the same.
    fn answer(self, outcome: rusqlite::Result<Outcome>) {
        let _ = self.reply.send(outcome);
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("sql", &self.sql).finish_non_exhaustive()
    }
}

struct SqlValue<'a>(&'a Value);

impl rusqlite::ToSql for SqlValue<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self.0 {
            Value::Null(_) => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// The writer, held from `BEGIN` to `COMMIT`; rolled back if dropped before.
#[derive(Debug)]
pub(crate) struct LiteTx {
    conn: OwnedMutexGuard<Connection>,
    open: bool,
}

impl LiteTx {
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn commit(self) -> rusqlite::Result<()> {
        self.end("COMMIT")
    }

    pub fn rollback(self) -> rusqlite::Result<()> {
        self.end("ROLLBACK")
    }

    fn end(mut self, how: &str) -> rusqlite::Result<()> {
        self.conn.execute_batch(how)?;
        self.open = false;
        Ok(())
    }
}

impl Drop for LiteTx {
    fn drop(&mut self) {
        if self.open {
            // A failed ROLLBACK means SQLite already ended the transaction itself.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::sql::query;
    use crate::{Db, Store};

    /// Without checkpoints every commit would add a page to the log for good: 5,000 writes
    /// would leave it at 20 MB or more. Checkpointed, it starts again from its beginning.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_log_is_checkpointed_and_starts_again_under_steady_writes() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display())).await.unwrap();
        db.execute_raw("CREATE TABLE t (a INTEGER)").await.unwrap();
        for i in 0..5_000 {
            query("INSERT INTO t (a) VALUES ($1)").bind(i).execute(&db).await.unwrap();
        }
        let log = std::fs::metadata(dir.path().join("t.db-wal")).unwrap().len();
        assert!(log < 8 << 20, "the log grew to {log} bytes");
    }

    async fn table(dir: &tempfile::TempDir) -> Db {
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display())).await.unwrap();
        db.execute_raw("CREATE TABLE t (a INTEGER PRIMARY KEY)").await.unwrap();
        // Refusing 666 undoes the whole transaction it is in, not only its own statement.
        db.execute_raw(
            "CREATE TRIGGER no666 BEFORE INSERT ON t WHEN NEW.a = 666 BEGIN SELECT RAISE(ROLLBACK, 'refused'); END",
        )
        .await
        .unwrap();
        query("INSERT INTO t (a) VALUES (1)").execute(&db).await.unwrap();
        db
    }

    /// Inserts each value from a task of its own while a transaction holds the writer, so
    /// that all of them are queued, then lets them run together: each insert's outcome.
    async fn queued_together(db: &Db, values: &[i64]) -> Vec<Result<u64, String>> {
        let held = db.begin().await.unwrap();
        let tasks: Vec<_> = values
            .iter()
            .map(|&v| {
                let db = db.clone();
                tokio::spawn(async move {
                    query("INSERT INTO t (a) VALUES ($1)")
                        .bind(v)
                        .execute(&db)
                        .await
                        .map(|d| d.0)
                        .map_err(|e| e.to_string())
                })
            })
            .collect();
        wait_for_queue(db, values.len()).await;
        held.commit().await.unwrap();
        let mut outcomes = Vec::new();
        for t in tasks {
            outcomes.push(t.await.unwrap());
        }
        outcomes
    }

    async fn wait_for_queue(db: &Db, n: usize) {
        let Store::Lite(lite) = &db.store else { unreachable!("a SQLite database") };
        while lite.queue.lock().unwrap().len() < n {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    async fn rows(db: &Db) -> Vec<i64> {
        let rows = query("SELECT a FROM t ORDER BY a").fetch_all(db).await.unwrap();
        rows.iter().map(|r| r.try_get::<i64, _>("a").unwrap()).collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_run_together_each_get_their_own_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let db = table(&dir).await;
        let outcomes = queued_together(&db, &[10, 11, 1, 12]).await;
        assert_eq!(outcomes[0], Ok(1));
        assert_eq!(outcomes[1], Ok(1));
        assert!(outcomes[2].as_ref().is_err_and(|e| e.contains("UNIQUE")), "{:?}", outcomes[2]);
        assert_eq!(outcomes[3], Ok(1));
        assert_eq!(rows(&db).await, vec![1, 10, 11, 12], "the failed insert took nothing with it");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_batch_undone_as_a_whole_runs_each_write_again_alone() {
        let dir = tempfile::tempdir().unwrap();
        let db = table(&dir).await;
        let outcomes = queued_together(&db, &[20, 666, 21]).await;
        assert_eq!(outcomes[0], Ok(1));
        assert!(outcomes[1].as_ref().is_err_and(|e| e.contains("refused")), "{:?}", outcomes[1]);
        assert_eq!(outcomes[2], Ok(1));
        assert_eq!(rows(&db).await, vec![1, 20, 21], "every write answered Ok is there");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_cancelled_while_queued_never_runs() {
        let dir = tempfile::tempdir().unwrap();
        let db = table(&dir).await;
        let held = db.begin().await.unwrap();
        let gone = {
            let db = db.clone();
            tokio::spawn(async move { query("INSERT INTO t (a) VALUES (30)").execute(&db).await.map(|_| ()) })
        };
        wait_for_queue(&db, 1).await;
        gone.abort();
        assert!(gone.await.unwrap_err().is_cancelled());
        held.commit().await.unwrap();
        query("INSERT INTO t (a) VALUES (31)").execute(&db).await.unwrap();
        assert_eq!(rows(&db).await, vec![1, 31]);
    }
}
