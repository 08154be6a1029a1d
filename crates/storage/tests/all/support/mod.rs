//! What every conformance test file shares: a fresh database of each kind, and the macro that
//! runs each test against both.
//!
//! PostgreSQL comes from `GATEHOUSE_TEST_POSTGRES_URL` (`make test` starts a throwaway
//! cluster and sets it); each test gets a database of its own. Without the variable the
//! PostgreSQL half is skipped with a note, unless `GATEHOUSE_REQUIRE_POSTGRES` is set, as
//! `make test` does, in which case a missing server fails the run.

#[allow(dead_code)]
pub mod signin;

use gatehouse_core::{Id, Timestamp};
use gatehouse_storage::Db;

pub const NOW: Timestamp = Timestamp(1_800_000_000);

/// The sign-in a setup in these tests belongs to.
#[allow(dead_code)]
pub fn sid() -> Id {
    Id::from_stored("sign-in-1".into())
}

pub async fn sqlite_db() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/nested/gatehouse.db", dir.path().display());
    (Db::open(&url).await.expect("open sqlite"), dir)
}

pub async fn postgres_db() -> Option<Db> {
    let url = postgres_url().await?;
    Some(Db::open(&url).await.expect("open postgres"))
}

/// A new, empty database on the test cluster, by its URL.
pub async fn postgres_url() -> Option<String> {
    let Ok(base) = std::env::var("GATEHOUSE_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("GATEHOUSE_REQUIRE_POSTGRES").is_none(),
            "GATEHOUSE_REQUIRE_POSTGRES is set but GATEHOUSE_TEST_POSTGRES_URL is not"
        );
        eprintln!("note: GATEHOUSE_TEST_POSTGRES_URL not set; PostgreSQL half skipped");
        return None;
    };
    let name = format!("gh_{}", Id::random().as_str());
    let admin = Db::connect(&base).await.expect("connect to the test cluster");
    admin.execute_raw(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    admin.close().await;
    let (prefix, _) = base.rsplit_once('/').expect("postgres URL with a database path");
    let query = base.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    Some(format!("{prefix}/{name}{query}"))
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { let (db, _dir) = crate::support::sqlite_db().await; super::$name(&db).await; })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() { if let Some(db) = crate::support::postgres_db().await { super::$name(&db).await; } })*
        }
    };
}
