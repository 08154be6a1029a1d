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
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

use crate::sql::{Outcome, Query, Row, Value};

/// Enough for every tokio worker and a blocking task or two to read at once.
const READERS: usize = 4;
/// Every distinct statement text the storage modules use stays prepared.
const STATEMENT_CACHE: usize = 256;
/// Writes (statements or transactions) between checkpoints: about SQLite's own default of
/// 1,000 log pages.
const CHECKPOINT_EVERY: u64 = 500;
/// What the log file is cut back to after a checkpoint.
const LOG_SIZE_LIMIT: i64 = 16 << 20;

#[derive(Debug)]
pub(crate) struct Lite {
    writer: Arc<AsyncMutex<Connection>>,
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
            readers,
            next: AtomicUsize::new(0),
            writes: AtomicU64::new(0),
            checkpointing: Arc::new(AtomicBool::new(false)),
        })
    }

    pub async fn run(&self, q: &Query<'_>, rows: bool) -> rusqlite::Result<Outcome> {
        if q.is_read() {
            return run_on(&self.reader(), q, rows);
        }
        let done = run_on(&*self.writer.lock().await, q, rows);
        self.wrote();
        done
    }

    /// Counts a write, and starts a checkpoint when enough have piled up since the last
    /// (and none is under way). Outside a runtime (never, in the server), none is started.
    fn wrote(&self) {
        let due = self.writes.fetch_add(1, Ordering::Relaxed) % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1;
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
        self.wrote();
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
    let mut stmt = conn.prepare_cached(q.sql)?;
    for i in 1..=stmt.parameter_count() {
        let arg = stmt
            .parameter_name(i)
            .and_then(|name| name.strip_prefix('$')?.parse::<usize>().ok())
            .and_then(|n| q.args.get(n.checked_sub(1)?))
            .ok_or(rusqlite::Error::InvalidParameterCount(i, q.args.len()))?;
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
    use crate::Db;

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
}
