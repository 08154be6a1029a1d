//! Storage for Gatehouse on SQLite (the embedded default) or PostgreSQL (several server
//! processes), chosen by the database URL.
//!
//! Both go through sqlx's `Any` driver with the same SQL text: statements use `$1`-style
//! parameters and `ON CONFLICT`/`RETURNING`, which both databases understand, so each query
//! is written once. Only the migrations differ (one folder per database), because column
//! types do.

mod audit;
mod authenticators;
mod directory;
mod error;
mod invitations;
mod known_browsers;
mod mail_queue;
mod maintenance;
mod members;
mod passkeys;
mod password_resets;
mod recovery_codes;
mod sessions;
mod sso;
mod support;
mod throttles;

use std::path::Path;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor};

pub use error::OpenError;

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

/// The database: a connection pool and which kind it is. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Connects without migrating. A SQLite file and its folder are created when missing.
    pub async fn connect(url: &str) -> Result<Self, OpenError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| OpenError::BadUrl(redact(&url), e.to_string()))?
            .disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time is all SQLite allows; a few readers help.
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers proceed during a write; the busy timeout makes a
                        // second writer wait instead of failing at once.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| OpenError::Connect(redact(&url), e.to_string()))?;
        Ok(Db { pool, backend })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        let db = Self::connect(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    pub async fn migrate(&self) -> Result<(), OpenError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.map_err(|e| OpenError::Migrate(e.to_string()))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A cheap round trip, for the health check.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Runs a statement outside the typed interface: administration and tests only.
    pub async fn execute_raw(&self, sql: &str) -> Result<(), sqlx::Error> {
        self.pool.execute(sql).await.map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Makes sure the SQLite file can be created: its folder exists, and sqlx is asked to create
/// the file (`mode=rwc`) unless the URL chose a mode itself.
fn prepare_sqlite(url: &str) -> Result<String, OpenError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| OpenError::DataDir(dir.display().to_string(), e.to_string()))?;
        }
    }
    Ok(if query.split('&').any(|kv| kv.starts_with("mode=")) {
        url.to_owned()
    } else if query.is_empty() {
        format!("{url}?mode=rwc")
    } else {
        format!("{url}&mode=rwc")
    })
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
    fn sqlite_urls_get_create_mode_unless_they_chose_one() {
        assert_eq!(prepare_sqlite("sqlite::memory:").unwrap(), "sqlite::memory:?mode=rwc");
        assert_eq!(prepare_sqlite("sqlite://x.db?mode=ro").unwrap(), "sqlite://x.db?mode=ro");
        assert_eq!(prepare_sqlite("sqlite://x.db?cache=shared").unwrap(), "sqlite://x.db?cache=shared&mode=rwc");
    }

    #[test]
    fn passwords_never_reach_error_lines() {
        assert_eq!(redact("postgres://gh:s3cret@db:5432/gh"), "postgres://gh:***@db:5432/gh");
        assert_eq!(redact("postgres://gh@db/gh"), "postgres://gh@db/gh");
    }
}
