use async_trait::async_trait;
use gatehouse_core::model::AuditEvent;
use gatehouse_core::store::{StoreResult, SupportRequests};
use gatehouse_core::support::upload::FileType;
use gatehouse_core::support::{
    Area, Decision, DocumentInfo, DocumentKind, NewRequest, Reference, Status, SupportRequest, Verification,
};
use gatehouse_core::token::TokenHash;
use gatehouse_core::{Email, Id, Timestamp};

use crate::audit::insert_audit;
use crate::error::store_error;
use crate::sql::{query, Row};
use crate::Db;

const REQUEST_COLUMNS: &str = "id, reference, area, requester_email, requester_id, verified, verified_at, \
     account_name, subject, description, target_email, owner_self, status, reason, decided_by, created_at, closed_at";
const DOCUMENT_COLUMNS: &str = "id, request_id, kind, display_name, file_type, size, purged_at";

fn decode_error(what: &str) -> crate::sql::Error {
    crate::sql::Error::Decode(format!("unexpected {what} in a stored support request"))
}

fn request_from_row(row: &Row) -> Result<SupportRequest, crate::sql::Error> {
    let email = |c: &str| -> Result<Email, crate::sql::Error> {
        Email::parse(&row.try_get::<String, _>(c)?).map_err(|_| decode_error("email"))
    };
    Ok(SupportRequest {
        id: Id::from_stored(row.try_get("id")?),
        reference: Reference(row.try_get("reference")?),
        area: Area::parse(&row.try_get::<String, _>("area")?).ok_or_else(|| decode_error("area"))?,
        requester_email: email("requester_email")?,
        requester_id: row.try_get::<Option<String>, _>("requester_id")?.map(Id::from_stored),
        verification: Verification::from_stored(row.try_get::<Option<String>, _>("verified")?.as_deref())
            .ok_or_else(|| decode_error("verification"))?,
        verified_at: row.try_get::<Option<i64>, _>("verified_at")?.map(Timestamp),
        account_name: row.try_get("account_name")?,
        subject: row.try_get("subject")?,
        description: row.try_get("description")?,
        target_email: email("target_email")?,
        owner_self: row.try_get::<i64, _>("owner_self")? != 0,
        status: Status::parse(&row.try_get::<String, _>("status")?).ok_or_else(|| decode_error("status"))?,
        reason: row.try_get("reason")?,
        decided_by: row.try_get::<Option<String>, _>("decided_by")?.map(Id::from_stored),
        created_at: Timestamp(row.try_get("created_at")?),
        closed_at: row.try_get::<Option<i64>, _>("closed_at")?.map(Timestamp),
        documents: Vec::new(),
    })
}

fn document_from_row(row: &Row) -> Result<(Id, DocumentInfo), crate::sql::Error> {
    let info = DocumentInfo {
        id: Id::from_stored(row.try_get("id")?),
        kind: DocumentKind::parse(&row.try_get::<String, _>("kind")?).ok_or_else(|| decode_error("kind"))?,
        display_name: row.try_get("display_name")?,
        file_type: FileType::parse(&row.try_get::<String, _>("file_type")?).ok_or_else(|| decode_error("file type"))?,
        size: row.try_get("size")?,
        purged_at: row.try_get::<Option<i64>, _>("purged_at")?.map(Timestamp),
    };
    Ok((Id::from_stored(row.try_get("request_id")?), info))
}

impl Db {
    /// The one request `condition` finds (`$1` is `key`, `$2` is `now` if given), with its
    /// documents.
    async fn one_request(
        &self,
        condition: &str,
        key: &str,
        now: Option<Timestamp>,
    ) -> StoreResult<Option<SupportRequest>> {
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM support_requests WHERE {condition}");
        let mut q = query(&sql).bind(key);
        if let Some(now) = now {
            q = q.bind(now.0);
        }
        let Some(row) = q.fetch_optional(self).await.map_err(store_error)? else { return Ok(None) };
        let request = request_from_row(&row).map_err(store_error)?;
        Ok(self.with_documents(vec![request]).await?.pop())
    }

    /// Deletes the requests whose confirmation link expired unused, with their documents.
    pub(crate) async fn purge_unconfirmed_requests(&self, now: Timestamp) -> StoreResult<u64> {
        let expired = "SELECT id FROM support_requests WHERE verified IS NULL AND confirm_expires_at <= $1";
        let mut tx = self.begin().await.map_err(store_error)?;
        query(&format!("DELETE FROM support_documents WHERE request_id IN ({expired})"))
            .bind(now.0)
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        let done = query(&format!("DELETE FROM support_requests WHERE id IN ({expired})"))
            .bind(now.0)
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(done.rows_affected())
    }

    /// The requests with their documents attached (one query for all the documents).
    async fn with_documents(&self, mut requests: Vec<SupportRequest>) -> StoreResult<Vec<SupportRequest>> {
        if requests.is_empty() {
            return Ok(requests);
        }
        let placeholders: Vec<String> = (1..=requests.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {DOCUMENT_COLUMNS} FROM support_documents WHERE request_id IN ({}) ORDER BY request_id, kind, id",
            placeholders.join(", ")
        );
        let mut query = query(&sql);
        for r in &requests {
            query = query.bind(r.id.as_str().to_owned());
        }
        let rows = query.fetch_all(self).await.map_err(store_error)?;
        for row in &rows {
            let (request, info) = document_from_row(row).map_err(store_error)?;
            if let Some(r) = requests.iter_mut().find(|r| r.id == request) {
                r.documents.push(info);
            }
        }
        Ok(requests)
    }
}

#[async_trait]
impl SupportRequests for Db {
    async fn insert_request(&self, r: &NewRequest) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(store_error)?;
        // Signed in, the requester is proved now; signed out, the request waits for its link.
        let (verified, verified_at) = match &r.confirmation {
            None => (Verification::SignedIn.as_stored(), Some(r.created_at.0)),
            Some(_) => (Verification::Awaiting.as_stored(), None),
        };
        query(
            "INSERT INTO support_requests (id, reference, area, requester_email, requester_id, account_name, \
             subject, description, target_email, owner_self, status, created_at, client_ip, verified, verified_at, \
             confirm_hash, confirm_expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'new', $11, $12, $13, $14, $15, $16)",
        )
        .bind(r.id.as_str())
        .bind(r.reference.0.as_str())
        .bind(r.area.as_str())
        .bind(r.requester_email.as_str())
        .bind(r.requester_id.as_ref().map(|i| i.as_str().to_owned()))
        .bind(r.account_name.as_str())
        .bind(r.subject.as_str())
        .bind(r.description.as_str())
        .bind(r.target_email.as_str())
        .bind(i64::from(r.owner_self))
        .bind(r.created_at.0)
        .bind(r.client_ip.clone())
        .bind(verified)
        .bind(verified_at)
        .bind(r.confirmation.as_ref().map(|c| c.hash.0.clone()))
        .bind(r.confirmation.as_ref().map(|c| c.expires_at.0))
        .execute(&mut tx)
        .await
        .map_err(store_error)?;
        for d in &r.documents {
            query(
                "INSERT INTO support_documents (id, request_id, kind, display_name, file_type, size, content) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(d.id.as_str())
            .bind(r.id.as_str())
            .bind(d.kind.as_str())
            .bind(d.display_name.as_str())
            .bind(d.file_type.as_str())
            .bind(d.size)
            .bind(d.sealed.clone())
            .execute(&mut tx)
            .await
            .map_err(store_error)?;
        }
        // Dropping the transaction on any error above rolls it back: nothing half-saved.
        tx.commit().await.map_err(store_error)
    }

    async fn support_requests(&self, status: Option<Status>, limit: i64) -> StoreResult<Vec<SupportRequest>> {
        let rows = match status {
            Some(status) => {
                query(&format!(
                    "SELECT {REQUEST_COLUMNS} FROM support_requests WHERE status = $1 AND verified IS NOT NULL \
                 ORDER BY created_at DESC, id LIMIT $2"
                ))
                .bind(status.as_str())
                .bind(limit)
                .fetch_all(self)
                .await
            }
            None => {
                query(&format!(
                    "SELECT {REQUEST_COLUMNS} FROM support_requests WHERE verified IS NOT NULL \
                     ORDER BY created_at DESC, id LIMIT $1"
                ))
                .bind(limit)
                .fetch_all(self)
                .await
            }
        }
        .map_err(store_error)?;
        let requests = rows.iter().map(request_from_row).collect::<Result<Vec<_>, _>>().map_err(store_error)?;
        self.with_documents(requests).await
    }

    async fn support_request(&self, id: &Id) -> StoreResult<Option<SupportRequest>> {
        self.one_request("id = $1 AND verified IS NOT NULL", id.as_str(), None).await
    }

    async fn awaiting_request(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<SupportRequest>> {
        let awaiting = "confirm_hash = $1 AND verified IS NULL AND confirm_expires_at > $2";
        self.one_request(awaiting, &hash.0, Some(now)).await
    }

    async fn confirm_request(&self, hash: &TokenHash, now: Timestamp) -> StoreResult<bool> {
        let done = query(
            "UPDATE support_requests SET verified = $1, verified_at = $2, confirm_hash = NULL, \
             confirm_expires_at = NULL WHERE confirm_hash = $3 AND verified IS NULL AND confirm_expires_at > $2",
        )
        .bind(Verification::Mailbox.as_stored())
        .bind(now.0)
        .bind(hash.0.as_str())
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn document(&self, request: &Id, document: &Id) -> StoreResult<Option<(DocumentInfo, Option<Vec<u8>>)>> {
        let row = query(&format!(
            "SELECT {DOCUMENT_COLUMNS}, content FROM support_documents WHERE id = $1 AND request_id = $2"
        ))
        .bind(document.as_str())
        .bind(request.as_str())
        .fetch_optional(self)
        .await
        .map_err(store_error)?;
        let Some(row) = row else { return Ok(None) };
        let (_, info) = document_from_row(&row).map_err(store_error)?;
        let content: Option<Vec<u8>> = row.try_get("content").map_err(store_error)?;
        Ok(Some((info, content)))
    }

    async fn close_request(
        &self,
        id: &Id,
        decision: Decision<'_>,
        agent: &Id,
        now: Timestamp,
        audit: &[AuditEvent],
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await.map_err(store_error)?;
        let (status, reason) = match decision {
            Decision::Approve { .. } => (Status::Approved, None),
            Decision::Reject { reason } => (Status::Rejected, Some(reason.to_owned())),
        };
        let closed = query(
            "UPDATE support_requests SET status = $1, reason = $2, decided_by = $3, closed_at = $4 \
             WHERE id = $5 AND status = 'new'",
        )
        .bind(status.as_str())
        .bind(reason)
        .bind(agent.as_str())
        .bind(now.0)
        .bind(id.as_str())
        .execute(&mut tx)
        .await
        .map_err(store_error)?;
        if closed.rows_affected() != 1 {
            return Ok(false);
        }
        if let Decision::Approve { target } = decision {
            crate::operations::remove_second_factor(&mut tx, target).await?;
        }
        for event in audit {
            insert_audit(&mut tx, now, event).await.map_err(store_error)?;
        }
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn purge_documents(&self, closed_before: Timestamp, now: Timestamp) -> StoreResult<u64> {
        let done = query(
            "UPDATE support_documents SET content = NULL, purged_at = $1 \
             WHERE purged_at IS NULL AND request_id IN \
               (SELECT id FROM support_requests WHERE closed_at IS NOT NULL AND closed_at < $2)",
        )
        .bind(now.0)
        .bind(closed_before.0)
        .execute(self)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected())
    }
}
