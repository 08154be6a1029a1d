//! Storage for Gatehouse on SQLite (the embedded default) or PostgreSQL (several server
//! processes), chosen by the database URL.
//!
//! Both take the same SQL text through [`sql`]: statements use `$1`-style parameters and
//! `ON CONFLICT`/`RETURNING`, which both databases understand, so each query is written once.
//! PostgreSQL runs it through sqlx's `Any` pool, SQLite through rusqlite in the calling task
//! ([`lite`]). Only the migrations differ (one folder per database, both applied by sqlx's
//! migrator), because column types do.

mod audit;
mod authenticators;
mod directory;
mod error;
mod invitations;
mod known_browsers;
mod lite;
mod mail_queue;
mod maintenance;
mod members;
mod oidc;
mod operations;
mod passkeys;
mod password_resets;
mod recovery_codes;
mod sessions;
mod setup_links;
mod sql;
mod sso;
mod support;
mod throttles;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};

pub use error::OpenError;
pub use sql::Error as SqlError;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Result<Self, OpenError> {
        match url.split_once(':').map(|(scheme, _)| scheme) {
            Some("sqlite") => Ok(Backend::Sqlite),
            Some("postgres" | "postgresql") => Ok(Backend::Postgres),
            _ => Err(OpenError::UnknownScheme(redact(url))),
        }
    }
}

/// The database: its connections and which kind it is. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    store: Store,
    backend: Backend,
    /// The URL as sqlx takes it, for the migrator.
    url: Arc<str>,
}

#[derive(Clone, Debug)]
enum Store {
    Lite(Arc<lite::Lite>),
    Any(AnyPool),
}

impl Db {
    /// Connects without migrating. A SQLite file and its folder are created when missing.
    pub async fn connect(url: &str) -> Result<Self, OpenError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let store = match backend {
            Backend::Sqlite => {
                let path = sqlite_path(url)?;
                let lite = lite::Lite::open(Path::new(&path)).map_err(|e| OpenError::Connect(path, e.to_string()))?;
                Store::Lite(Arc::new(lite))
            }
            Backend::Postgres => Store::Any(connect_postgres(url).await?),
        };
        Ok(Db { store, backend, url: url.into() })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        let db = Self::connect(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    pub async fn migrate(&self) -> Result<(), OpenError> {
        let failed = |e: sqlx::migrate::MigrateError| OpenError::Migrate(e.to_string());
        match &self.store {
            Store::Any(pool) => POSTGRES_MIGRATIONS.run(pool).await.map_err(failed),
            // sqlx's migrator on a connection of its own, so the bookkeeping stays sqlx's. Its
            // foreign keys are off: a migration that rebuilds a table (SQLite cannot drop a
            // column's UNIQUE otherwise) must drop the old one without its ON DELETE CASCADE
            // emptying every table that refers to it; each such migration checks the keys.
            Store::Lite(_) => {
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(&self.url)
                    .map_err(|e| OpenError::BadUrl(redact(&self.url), e.to_string()))?
                    .foreign_keys(false)
                    .disable_statement_logging();
                let mut conn =
                    options.connect().await.map_err(|e| OpenError::Connect(redact(&self.url), e.to_string()))?;
                let done = SQLITE_MIGRATIONS.run(&mut conn).await.map_err(failed);
                let checked = match done {
                    Ok(()) => foreign_keys_hold(&mut conn).await,
                    failed => failed,
                };
                let _ = conn.close().await;
                checked
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A cheap round trip, for the health check.
    pub async fn ping(&self) -> bool {
        sql::query("SELECT 1").execute(self).await.is_ok()
    }

    /// Runs statements outside the typed interface: administration and tests only.
    pub async fn execute_raw(&self, sql: &str) -> Result<(), SqlError> {
        match &self.store {
            Store::Lite(lite) => Ok(lite.execute_batch(sql).await?),
            Store::Any(pool) => Ok(pool.execute(sql).await.map(drop)?),
        }
    }

    pub async fn close(&self) {
        if let Store::Any(pool) = &self.store {
            pool.close().await;
        }
    }
}

/// After migrating with foreign keys off: every reference still names a row.
async fn foreign_keys_hold(conn: &mut sqlx::SqliteConnection) -> Result<(), OpenError> {
    let broken = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| OpenError::Migrate(e.to_string()))?;
    if broken.is_empty() {
        Ok(())
    } else {
        Err(OpenError::Migrate(format!("{} rows refer to rows that are gone", broken.len())))
    }
}

async fn connect_postgres(url: &str) -> Result<AnyPool, OpenError> {
    let options = AnyConnectOptions::from_str(url)
        .map_err(|e| OpenError::BadUrl(redact(url), e.to_string()))?
        .disable_statement_logging();
    AnyPoolOptions::new()
        .max_connections(16)
        // Every statement would otherwise start with a round trip of its own.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(|e| OpenError::Connect(redact(url), e.to_string()))
}

/// The file a `sqlite:` URL names. In-memory databases are refused: each connection would
/// see a database of its own, and everything would vanish with the process.
fn sqlite_path(url: &str) -> Result<String, OpenError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split_once('?').map_or(rest, |(path, _)| path);
    if path.is_empty() || path == ":memory:" || path.starts_with("file:") {
        return Err(OpenError::BadUrl(redact(url), "give the path of a database file: sqlite://PATH".into()));
    }
    if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| OpenError::DataDir(dir.display().to_string(), e.to_string()))?;
    }
    Ok(path.to_owned())
}

/// A URL fit for logs and error lines: any password replaced.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_choose_the_backend() {
        assert_eq!(Backend::of_url("sqlite://data/x.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::of_url("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert_eq!(Backend::of_url("postgresql://u@h/db").unwrap(), Backend::Postgres);
        assert!(
            matches!(Backend::of_url("mysql://u:pw@h/db"), Err(OpenError::UnknownScheme(u)) if u == "mysql://u:***@h/db")
        );
    }

    #[test]
    fn sqlite_urls_name_a_file_and_its_folder_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/x.db").display().to_string();
        assert_eq!(sqlite_path(&format!("sqlite://{file}?cache=shared")).unwrap(), file);
        assert!(dir.path().join("a/b").is_dir());
        assert_eq!(sqlite_path("sqlite:x.db").unwrap(), "x.db");
        for memory in ["sqlite::memory:", "sqlite://:memory:", "sqlite:", "sqlite:file:x?mode=memory"] {
            assert!(matches!(sqlite_path(memory), Err(OpenError::BadUrl(..))), "{memory}");
        }
    }

    /// Migration 13 rebuilds `users` on SQLite: everything that refers to people keeps its
    /// rows, and who joined is worked out from what they did.
    #[tokio::test]
    async fn rebuilding_users_keeps_every_row_that_refers_to_them() {
        use sqlx::Connection;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/m.db", dir.path().display());
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url).unwrap().create_if_missing(true);
        let mut conn = options.connect().await.unwrap();
        let mut before = Migrator::DEFAULT;
        before.migrations = std::borrow::Cow::Owned(SQLITE_MIGRATIONS.migrations[..12].to_vec());
        before.run(&mut conn).await.unwrap();
        sqlx::raw_sql(
            "INSERT INTO accounts VALUES ('a', 'Acme', 'acme', 1);
             INSERT INTO users (id, account_id, email, role, password_hash, created_at)
                 VALUES ('u1', 'a', 'ann@acme.example', 'owner', '$argon2id$x', 1),
                        ('u2', 'a', 'bob@acme.example', 'user', NULL, 2);
             INSERT INTO invitations VALUES ('h1', 'u1', 1, 9, 3), ('h2', 'u2', 2, 9, NULL);
             INSERT INTO sessions (id, user_id, data, expires_at, generation) VALUES ('s1', 'u1', X'7B7D', 9, 0);
             INSERT INTO passkeys VALUES ('p1', 'u1', 'cred', 'Phone', '{}', 0, 1, NULL);
             INSERT INTO recovery_codes VALUES ('u1', 'd1', 1, NULL);",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();

        let db = Db::open(&url).await.expect("migrated, foreign keys checked");
        for (table, n) in [("sessions", 1), ("passkeys", 1), ("recovery_codes", 1), ("invitations", 2)] {
            let row = sql::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(&db).await.unwrap();
            assert_eq!(row.try_get::<i64, _>("n").unwrap(), n, "{table}");
        }
        let joined = sql::query("SELECT id FROM users WHERE joined_at IS NOT NULL").fetch_all(&db).await.unwrap();
        assert_eq!(joined.iter().map(|r| r.try_get::<String, _>("id").unwrap()).collect::<Vec<_>>(), ["u1"]);
        // The new rule: another account may invite an address someone is only invited with.
        sql::query("INSERT INTO accounts VALUES ('b', 'Bobco', 'bobco', 1)").execute(&db).await.unwrap();
        let again = "INSERT INTO users (id, account_id, email, role, created_at) VALUES ('u3', 'b', $1, 'user', 3)";
        sql::query(again).bind("bob@acme.example").execute(&db).await.unwrap();
        let joined_twice = sql::query(&again.replace("u3", "u4")).bind("ann@acme.example").execute(&db).await;
        assert!(joined_twice.is_ok(), "invited: reserves nothing");
        let clash = sql::query("UPDATE users SET joined_at = 5 WHERE id = 'u4'").execute(&db).await;
        assert!(clash.is_err(), "but only one person joins with an address");
    }

    #[test]
    fn passwords_never_reach_error_lines() {
        assert_eq!(redact("postgres://gh:s3cret@db:5432/gh"), "postgres://gh:***@db:5432/gh");
        assert_eq!(redact("postgres://gh@db/gh"), "postgres://gh@db/gh");
    }
}
