//! Removing what has expired (throttle counters, ceremonies, SSO flows, setup secrets,
//! sessions, burnt TOTP steps, known browsers, and the documents of support requests closed
//! longer ago than the retention period), by one server process at a time: every process asks
//! each minute, and the database gives the task to one of them every ten minutes.

use std::time::Duration;

use gatehouse_core::model::{AuditEvent, AuditKind};
use gatehouse_core::store::{AuditLog, Maintenance};
use gatehouse_core::throttle::FORGET_AFTER_SECS;
use gatehouse_core::totp::{CLOCK_HINT_STEPS, STEP_SECS};
use gatehouse_core::Timestamp;
use gatehouse_storage::Db;

pub const PURGE_EVERY_SECS: i64 = 10 * 60;

/// One round: purges when this process wins the claim. Returns what was removed, if it ran.
pub async fn purge_if_due(
    db: &Db,
    now: Timestamp,
    retention_days: i64,
) -> Result<Option<u64>, gatehouse_core::store::StoreError> {
    if !db.claim_task("purge", now, PURGE_EVERY_SECS).await? {
        return Ok(None);
    }
    // A burnt step matters only until its time has passed (with the skew window).
    let oldest_step = now.0 / STEP_SECS as i64 - CLOCK_HINT_STEPS as i64;
    let purged = db.purge_expired(now, now.plus_secs(-FORGET_AFTER_SECS), oldest_step).await?;
    let documents = gatehouse_core::support::service::purge_documents(db, retention_days, now).await?;
    if documents > 0 {
        let mut event = AuditEvent::new(AuditKind::DocumentsPurged);
        event.detail = format!("{documents} document(s) of support requests closed over {retention_days} days ago");
        db.record(now, &event).await?;
    }
    Ok(Some(purged.total() + documents))
}

pub async fn run(db: Db, retention_days: i64) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        every.tick().await;
        match purge_if_due(&db, Timestamp::now(), retention_days).await {
            Ok(Some(n)) => tracing::debug!(removed = n, "expired state purged"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not purge expired state"),
        }
    }
}
