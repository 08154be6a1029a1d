//! The one query interface every storage module writes against, shaped like sqlx's
//! (`query(..).bind(..).execute(..)`), so each statement is still written once for both
//! databases.
//!
//! PostgreSQL goes through sqlx's `Any` pool. SQLite goes through rusqlite in the calling
//! task (`crate::lite`): sqlx runs every SQLite statement on the connection's own thread,
//! two thread wake-ups each way plus a ping when the connection goes back to the pool, and
//! on two cores those wake-ups cost more than SQLite's own work (see issue 14's profiles).

use std::sync::Arc;

use sqlx::any::AnyRow;
use sqlx::Any;

use crate::lite::{self, LiteTx};
use crate::{Db, Store};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error("the query returned no row")]
    RowNotFound,
    #[error("column “{0}”: {1}")]
    Column(String, String),
    #[error("{0}")]
    Decode(String),
}

/// What a parameter's SQL type is, so that PostgreSQL gets a typed NULL.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    Int,
    Text,
    Blob,
}

#[derive(Clone, Debug)]
pub(crate) enum Value {
    Null(Kind),
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

pub(crate) trait Bind {
    const KIND: Kind;
    fn value(self) -> Value;
}

macro_rules! bind {
    ($kind:ident, $variant:ident, $($t:ty => $conv:expr),*) => {$(
        impl Bind for $t {
            const KIND: Kind = Kind::$kind;
            fn value(self) -> Value {
                Value::$variant(($conv)(self))
            }
        }
    )*};
}
bind!(Int, Int, i64 => |v| v);
bind!(Text, Text, String => |v| v, &String => |v: &String| v.clone(), &str => |v: &str| v.to_owned());
bind!(Blob, Blob, Vec<u8> => |v| v, &Vec<u8> => |v: &Vec<u8>| v.clone(), &[u8] => |v: &[u8]| v.to_vec());

impl<T: Bind> Bind for Option<T> {
    const KIND: Kind = T::KIND;
    fn value(self) -> Value {
        self.map_or(Value::Null(T::KIND), Bind::value)
    }
}

/// A column type both drivers can read.
pub(crate) trait Column: rusqlite::types::FromSql + for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any> {}
impl<T: rusqlite::types::FromSql + for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any>> Column for T {}

pub(crate) enum Row {
    Lite { names: Arc<[String]>, values: Vec<rusqlite::types::Value> },
    Any(AnyRow),
}

impl Row {
    pub fn try_get<T: Column, N: AsRef<str>>(&self, name: N) -> Result<T, Error> {
        let name = name.as_ref();
        match self {
            Row::Lite { names, values } => {
                let i = names
                    .iter()
                    .position(|n| n == name)
                    .ok_or_else(|| Error::Column(name.to_owned(), "no such column".into()))?;
                T::column_result((&values[i]).into()).map_err(|e| Error::Column(name.to_owned(), e.to_string()))
            }
            Row::Any(row) => Ok(sqlx::Row::try_get(row, name)?),
        }
    }
}

/// What a statement changed.
pub(crate) struct Done(pub u64);

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.0
    }
}

pub(crate) enum Outcome {
    Done(u64),
    Rows(Vec<Row>),
}

/// Where a statement runs: the database (any connection), or an open transaction.
pub(crate) enum On<'e> {
    Db(&'e Db),
    Tx(&'e mut Tx),
}

impl<'e> From<&'e Db> for On<'e> {
    fn from(db: &'e Db) -> Self {
        On::Db(db)
    }
}

impl<'e> From<&'e mut Tx> for On<'e> {
    fn from(tx: &'e mut Tx) -> Self {
        On::Tx(tx)
    }
}

pub(crate) struct Query<'q> {
    pub sql: &'q str,
    pub args: Vec<Value>,
}

pub(crate) fn query(sql: &str) -> Query<'_> {
    Query { sql, args: Vec::new() }
}

impl<'q> Query<'q> {
    pub fn bind(mut self, v: impl Bind) -> Self {
        self.args.push(v.value());
        self
    }

    /// Whether any connection may run it: reads only (a `SELECT`).
    pub fn is_read(&self) -> bool {
        self.sql.trim_start().get(..6).is_some_and(|w| w.eq_ignore_ascii_case("select"))
    }

    pub async fn execute<'e>(self, on: impl Into<On<'e>>) -> Result<Done, Error> {
        match self.run(on.into(), false).await? {
            Outcome::Done(n) => Ok(Done(n)),
            Outcome::Rows(_) => unreachable!("asked for a count"),
        }
    }

    pub async fn fetch_all<'e>(self, on: impl Into<On<'e>>) -> Result<Vec<Row>, Error> {
        match self.run(on.into(), true).await? {
            Outcome::Rows(rows) => Ok(rows),
            Outcome::Done(_) => unreachable!("asked for rows"),
        }
    }

    pub async fn fetch_optional<'e>(self, on: impl Into<On<'e>>) -> Result<Option<Row>, Error> {
        Ok(self.fetch_all(on).await?.into_iter().next())
    }

    pub async fn fetch_one<'e>(self, on: impl Into<On<'e>>) -> Result<Row, Error> {
        self.fetch_optional(on).await?.ok_or(Error::RowNotFound)
    }

    async fn run(self, on: On<'_>, rows: bool) -> Result<Outcome, Error> {
        match on {
            On::Db(db) => match &db.store {
                Store::Lite(lite) => Ok(lite.run(self, rows).await?),
                Store::Any(pool) => self.run_any(pool, rows).await,
            },
            On::Tx(Tx::Lite(tx)) => Ok(lite::run_on(tx.conn(), &self, rows)?),
            On::Tx(Tx::Any(tx)) => self.run_any(&mut **tx, rows).await,
        }
    }

    async fn run_any<'c>(self, on: impl sqlx::Executor<'c, Database = Any>, rows: bool) -> Result<Outcome, Error> {
        let mut q = sqlx::query(self.sql);
        for v in self.args {
            q = match v {
                Value::Int(i) => q.bind(i),
                Value::Text(s) => q.bind(s),
                Value::Blob(b) => q.bind(b),
                Value::Null(Kind::Int) => q.bind(None::<i64>),
                Value::Null(Kind::Text) => q.bind(None::<String>),
                Value::Null(Kind::Blob) => q.bind(None::<Vec<u8>>),
            };
        }
        Ok(if rows {
            Outcome::Rows(q.fetch_all(on).await?.into_iter().map(Row::Any).collect())
        } else {
            Outcome::Done(q.execute(on).await?.rows_affected())
        })
    }
}

/// An open transaction: committed by [`Tx::commit`], rolled back when dropped otherwise.
pub(crate) enum Tx {
    Lite(LiteTx),
    Any(sqlx::Transaction<'static, Any>),
}

impl Db {
    pub(crate) async fn begin(&self) -> Result<Tx, Error> {
        Ok(match &self.store {
            Store::Lite(lite) => Tx::Lite(lite.begin().await?),
            Store::Any(pool) => Tx::Any(pool.begin().await?),
        })
    }
}

impl Tx {
    pub async fn rollback(self) -> Result<(), Error> {
        match self {
            Tx::Lite(tx) => Ok(tx.rollback()?),
            Tx::Any(tx) => Ok(tx.rollback().await?),
        }
    }

    pub async fn commit(self) -> Result<(), Error> {
        match self {
            Tx::Lite(tx) => Ok(tx.commit()?),
            Tx::Any(tx) => Ok(tx.commit().await?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn scratch() -> (Db, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display())).await.unwrap();
        db.execute_raw("CREATE TABLE t (a INTEGER, b TEXT, c BLOB)").await.unwrap();
        (db, dir)
    }

    async fn count(db: &Db) -> i64 {
        query("SELECT COUNT(*) AS n FROM t").fetch_one(db).await.unwrap().try_get("n").unwrap()
    }

    #[tokio::test]
    async fn parameters_bind_by_their_number_not_their_place() {
        let (db, _dir) = scratch().await;
        query("INSERT INTO t (c, b, a) VALUES ($3, $2, $1)")
            .bind(7)
            .bind("seven")
            .bind(vec![7u8])
            .execute(&db)
            .await
            .unwrap();
        let row =
            query("SELECT a, b, c FROM t WHERE b = $2 AND a = $1").bind(7).bind("seven").fetch_one(&db).await.unwrap();
        assert_eq!(row.try_get::<i64, _>("a").unwrap(), 7);
        assert_eq!(row.try_get::<Vec<u8>, _>("c").unwrap(), vec![7u8]);
        let missing = query("SELECT a FROM t WHERE a = $2").bind(7).fetch_optional(&db).await;
        assert!(missing.is_err(), "a parameter with no argument must fail, not read NULL");
    }

    #[tokio::test]
    async fn nulls_and_counts_come_back_as_written() {
        let (db, _dir) = scratch().await;
        let done =
            query("INSERT INTO t (a, b) VALUES ($1, $2)").bind(None::<i64>).bind(Some("x")).execute(&db).await.unwrap();
        assert_eq!(done.rows_affected(), 1);
        let row = query("SELECT a, b FROM t").fetch_one(&db).await.unwrap();
        assert_eq!(row.try_get::<Option<i64>, _>("a").unwrap(), None);
        assert!(row.try_get::<i64, _>("a").is_err(), "NULL is not a number");
        assert!(matches!(query("SELECT a FROM t WHERE b = 'y'").fetch_one(&db).await, Err(Error::RowNotFound)));
    }

    #[tokio::test]
    async fn a_transaction_dropped_before_commit_leaves_nothing_and_frees_the_writer() {
        let (db, _dir) = scratch().await;
        let mut tx = db.begin().await.unwrap();
        query("INSERT INTO t (a) VALUES (1)").execute(&mut tx).await.unwrap();
        drop(tx);
        assert_eq!(count(&db).await, 0);
        let mut tx = db.begin().await.unwrap();
        query("INSERT INTO t (a) VALUES (2)").execute(&mut tx).await.unwrap();
        assert_eq!(count(&db).await, 0, "readers see only what is committed");
        tx.commit().await.unwrap();
        assert_eq!(count(&db).await, 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writers_from_many_tasks_all_land() {
        let (db, _dir) = scratch().await;
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let db = db.clone();
                tokio::spawn(async move {
                    if i % 2 == 0 {
                        query("INSERT INTO t (a) VALUES ($1)").bind(i).execute(&db).await.unwrap();
                    } else {
                        let mut tx = db.begin().await.unwrap();
                        query("INSERT INTO t (a) VALUES ($1)").bind(i).execute(&mut tx).await.unwrap();
                        tx.commit().await.unwrap();
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(count(&db).await, 200);
    }
}
