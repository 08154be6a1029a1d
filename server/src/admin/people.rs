//! The operator's changes to a person: the break-glass 2FA reset, ending their sessions,
//! removing a support agent.

use gatehouse_core::mail::Mailer;
use gatehouse_core::operator;
use gatehouse_core::signin::{setup_link, Client};
use gatehouse_core::support::mail::reset_done;
use gatehouse_core::Timestamp;
use gatehouse_storage::Db;

use crate::config::Config;
use crate::error::StartError;
use crate::mail::LettreMailer;

/// As an approved support request: the reset (one transaction, audited), then the mail with a
/// link to set up a new authenticator, printed last as well: at 2 a.m. the operator may have to
/// pass it on by hand.
pub(super) async fn reset_2fa(
    config: &Config,
    db: &Db,
    email: &str,
    reason: &str,
    agent: bool,
    now: Timestamp,
) -> Result<(), StartError> {
    let mailer = LettreMailer::new(&config.mail)?;
    let person = operator::reset_2fa(db, email, reason, agent, now).await?;
    println!("Reset the 2FA of {}: authenticator and recovery codes removed, every session ended.", person.email);
    let token = setup_link::issue(db, &person, setup_link::Because::Reset, &Client::default(), now)
        .await
        .map_err(operator::OperatorError::from)?
        .ok_or_else(|| StartError::Usage("no setup link was made; run the command again".into()))?;
    let link = setup_link::url(&config.public_url, &token);
    let language = app::ssr::language_of(db, &config.languages.0, &person).await;
    match mailer.send(reset_done(&language, &config.issuer, &person.email, &link)).await {
        Ok(()) => println!("Mailed {} a link to set up a new authenticator (with their password):", person.email),
        Err(e) => {
            eprintln!("warning: {e}");
            println!("The mail could not be sent; give {} this link (they also need their password):", person.email);
        }
    }
    println!("{link}");
    Ok(())
}

pub(super) async fn end_sessions(db: &Db, email: &str, now: Timestamp) -> Result<(), StartError> {
    let (person, ended) = operator::end_sessions(db, email, now).await?;
    println!("Ended {ended} session(s) of {}; the applications they signed in to are told.", person.email);
    Ok(())
}

pub(super) async fn remove_agent(db: &Db, email: &str, now: Timestamp) -> Result<(), StartError> {
    let agent = operator::remove_agent(db, email, now).await?;
    println!("Removed support agent {}; their sessions have ended.", agent.email);
    Ok(())
}
