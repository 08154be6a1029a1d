//! The operator's listings: accounts, one account's people, the support agents, and the audit
//! log as JSON lines. Tables for people, `--json` for scripts; times in UTC.

use std::collections::HashMap;
use std::io::Write;

use gatehouse_core::model::{AuditEntry, Member};
use gatehouse_core::operator::{self, AuditFilter};
use gatehouse_core::store::{Directory, Operations};
use gatehouse_core::{Id, Timestamp};
use gatehouse_storage::Db;
use serde_json::{json, Value};

use crate::error::StartError;

/// How many audit entries are read at a time: the export of a long log holds no more.
const AUDIT_PAGE: i64 = 1000;

fn rfc3339(t: Timestamp) -> String {
    chrono::DateTime::from_timestamp(t.0, 0)
        .map_or_else(|| t.0.to_string(), |d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn minute(t: Timestamp) -> String {
    chrono::DateTime::from_timestamp(t.0, 0)
        .map_or_else(|| t.0.to_string(), |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// A date (UTC midnight), an RFC 3339 time, or seconds since 1970.
pub(super) fn parse_since(text: &str) -> Result<Timestamp, StartError> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<i64>() {
        return Ok(Timestamp(secs));
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(Timestamp(t.timestamp()));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(Timestamp(d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp()));
    }
    Err(StartError::Usage(format!(
        "--since {text:?} is not a date (2026-12-01), an RFC 3339 time (2026-12-01T08:00:00Z) or seconds since 1970"
    )))
}

/// Writes lines to standard output; a reader that went away (`| head`) ends the listing quietly.
struct Out(std::io::BufWriter<std::io::StdoutLock<'static>>);

impl Out {
    fn new() -> Self {
        Out(std::io::BufWriter::new(std::io::stdout().lock()))
    }

    fn line(&mut self, text: &str) -> bool {
        writeln!(self.0, "{text}").is_ok()
    }

    fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for row in rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let render = |cells: Vec<&str>| {
            let mut line = String::new();
            for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
                if i + 1 == cells.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(&format!("{cell:<w$}  "));
                }
            }
            line
        };
        if !self.line(&render(header.to_vec())) {
            return;
        }
        for row in rows {
            if !self.line(&render(row.iter().map(String::as_str).collect())) {
                return;
            }
        }
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        let _ = self.0.flush();
    }
}

fn person_json(m: &Member) -> Value {
    json!({
        "id": m.user.id.as_str(),
        "email": m.user.email.as_str(),
        "role": m.user.role.as_str(),
        "joined": m.joined,
        "authenticator": m.has_authenticator,
        "passkeys": m.passkeys,
        "last_sign_in": m.last_sign_in.map(rfc3339),
        "language": m.user.language,
    })
}

fn person_row(m: &Member) -> Vec<String> {
    vec![
        m.user.email.to_string(),
        m.user.role.as_str().to_owned(),
        if m.joined { "joined" } else { "invited" }.to_owned(),
        if m.has_authenticator { "authenticator" } else { "none" }.to_owned(),
        m.passkeys.to_string(),
        m.last_sign_in.map_or_else(|| "never".to_owned(), minute),
    ]
}

const PEOPLE_HEADER: [&str; 6] = ["EMAIL", "ROLE", "STATE", "2FA", "PASSKEYS", "LAST SIGN-IN"];

pub(super) async fn accounts(db: &Db, json: bool) -> Result<(), StartError> {
    let accounts = db.accounts().await.map_err(operator::OperatorError::from)?;
    let mut out = Out::new();
    if json {
        for a in &accounts {
            let line = json!({
                "id": a.account.id.as_str(),
                "name": a.account.name,
                "owner": a.owner.as_ref().map(|e| e.as_str()),
                "joined": a.joined,
                "invited": a.invited,
                "created_at": rfc3339(a.account.created_at),
            });
            if !out.line(&line.to_string()) {
                break;
            }
        }
        return Ok(());
    }
    let rows: Vec<Vec<String>> = accounts
        .iter()
        .map(|a| {
            vec![
                a.account.name.clone(),
                a.owner.as_ref().map_or_else(|| "-".to_owned(), |e| e.to_string()),
                a.joined.to_string(),
                a.invited.to_string(),
                minute(a.account.created_at),
            ]
        })
        .collect();
    out.table(&["NAME", "OWNER", "JOINED", "INVITED", "CREATED"], &rows);
    Ok(())
}

pub(super) async fn account(db: &Db, name: &str, json: bool) -> Result<(), StartError> {
    let account = operator::account(db, name).await?;
    let people = db.account_members(&account.id).await.map_err(operator::OperatorError::from)?;
    let mut out = Out::new();
    if json {
        let whole = json!({
            "id": account.id.as_str(),
            "name": account.name,
            "created_at": rfc3339(account.created_at),
            "people": people.iter().map(person_json).collect::<Vec<_>>(),
        });
        out.line(&whole.to_string());
        return Ok(());
    }
    out.line(&format!("Account “{}” ({}), created {}", account.name, account.id, minute(account.created_at)));
    out.table(&PEOPLE_HEADER, &people.iter().map(person_row).collect::<Vec<_>>());
    Ok(())
}

pub(super) async fn agents(db: &Db, json: bool) -> Result<(), StartError> {
    let agents = db.agents().await.map_err(operator::OperatorError::from)?;
    let mut out = Out::new();
    if json {
        for a in &agents {
            if !out.line(&person_json(a).to_string()) {
                break;
            }
        }
        return Ok(());
    }
    out.table(&PEOPLE_HEADER, &agents.iter().map(person_row).collect::<Vec<_>>());
    Ok(())
}

/// Names for the ids in the log (a SIEM matches on addresses and account names), each looked
/// up once.
#[derive(Default)]
struct Names {
    people: HashMap<Id, Option<String>>,
    accounts: HashMap<Id, Option<String>>,
}

impl Names {
    async fn person(&mut self, db: &Db, id: &Option<Id>) -> Result<Value, StartError> {
        let Some(id) = id else { return Ok(Value::Null) };
        if !self.people.contains_key(id) {
            let user = db.user_by_id(id).await.map_err(operator::OperatorError::from)?;
            self.people.insert(id.clone(), user.map(|u| u.email.to_string()));
        }
        Ok(self.people[id].clone().map_or(Value::Null, Value::String))
    }

    async fn account(&mut self, db: &Db, id: &Option<Id>) -> Result<Value, StartError> {
        let Some(id) = id else { return Ok(Value::Null) };
        if !self.accounts.contains_key(id) {
            let account = db.account_by_id(id).await.map_err(operator::OperatorError::from)?;
            self.accounts.insert(id.clone(), account.map(|a| a.name));
        }
        Ok(self.accounts[id].clone().map_or(Value::Null, Value::String))
    }

    async fn entry(&mut self, db: &Db, e: &AuditEntry) -> Result<Value, StartError> {
        let id = |v: &Option<Id>| v.as_ref().map(|i| i.as_str().to_owned());
        Ok(json!({
            "at": rfc3339(e.at),
            "kind": e.kind,
            "account_id": id(&e.account_id),
            "account": self.account(db, &e.account_id).await?,
            "user_id": id(&e.user_id),
            "email": self.person(db, &e.user_id).await?,
            "actor_id": id(&e.actor_id),
            "actor_email": self.person(db, &e.actor_id).await?,
            "client_ip": e.client_ip,
            "detail": e.detail,
        }))
    }
}

pub(super) async fn audit_log(
    db: &Db,
    since: Option<&str>,
    account: Option<&str>,
    email: Option<&str>,
) -> Result<(), StartError> {
    let filter = AuditFilter {
        since: since.map(parse_since).transpose()?,
        account_id: match account {
            Some(name) => Some(operator::account(db, name).await?.id),
            None => None,
        },
        user_id: match email {
            Some(email) => Some(operator::person(db, email).await?.id),
            None => None,
        },
    };
    let mut names = Names::default();
    let mut out = Out::new();
    let mut after = 0;
    loop {
        let page = db.audit_entries(&filter, after, AUDIT_PAGE).await.map_err(operator::OperatorError::from)?;
        for (id, entry) in &page {
            let mut line = names.entry(db, entry).await?;
            line["id"] = json!(id);
            if !out.line(&line.to_string()) {
                return Ok(());
            }
            after = *id;
        }
        if (page.len() as i64) < AUDIT_PAGE {
            return Ok(());
        }
    }
}
