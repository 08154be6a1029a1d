//! `gatehouse admin ...`: operator commands. Each prints what it did; commands that invite
//! someone print the invitation link as the last line of standard output, so scripts can
//! take it with `tail -n 1`.

use gatehouse_core::admin::{self, IssuedInvitation};
use gatehouse_core::mail::{invitation_mail, Mailer};
use gatehouse_core::Timestamp;
use gatehouse_storage::Db;

use crate::cli::AdminCommand;
use crate::config::Config;
use crate::error::StartError;
use crate::mail::LettreMailer;

mod look;
mod people;

pub async fn run(config: Config, command: AdminCommand) -> Result<(), StartError> {
    let db = Db::open(&config.database_url).await?;
    let done = dispatch(&config, &db, command).await;
    db.close().await;
    done
}

async fn dispatch(config: &Config, db: &Db, command: AdminCommand) -> Result<(), StartError> {
    let now = Timestamp::now();
    match command {
        AdminCommand::Migrate => {
            println!("The database schema is up to date.");
            Ok(())
        }
        AdminCommand::RotateSigningKey => {
            let key = config.load_secret_key()?;
            let said = crate::oidc::keys::rotate(db, &key, now).await.map_err(StartError::SigningKeys)?;
            for line in said {
                println!("{line}");
            }
            Ok(())
        }
        AdminCommand::ListAccounts { json } => look::accounts(db, json).await,
        AdminCommand::ShowAccount { account, json } => look::account(db, &account, json).await,
        AdminCommand::ListAgents { json } => look::agents(db, json).await,
        AdminCommand::AuditLog { since, account, email } => {
            look::audit_log(db, since.as_deref(), account.as_deref(), email.as_deref()).await
        }
        AdminCommand::Reset2fa { email, reason, agent } => {
            people::reset_2fa(config, db, &email, &reason, agent, now).await
        }
        AdminCommand::EndSessions { email } => people::end_sessions(db, &email, now).await,
        AdminCommand::RemoveAgent { email } => people::remove_agent(db, &email, now).await,
        AdminCommand::CreateAccount { .. } | AdminCommand::Invite { .. } | AdminCommand::CreateSupportAgent { .. } => {
            invite(config, db, command, now).await
        }
    }
}

async fn invite(config: &Config, db: &Db, command: AdminCommand, now: Timestamp) -> Result<(), StartError> {
    let mailer = LettreMailer::new(&config.mail)?;
    let issued = match command {
        AdminCommand::CreateAccount { name, owner_email } => {
            let issued = admin::create_account(db, &name, &owner_email, now).await?;
            println!(
                "Created account “{}” with owner {}.",
                issued.account.as_ref().map_or("", |a| &a.name),
                issued.user.email
            );
            issued
        }
        AdminCommand::Invite { account, email, role } => {
            let issued = admin::invite(db, &account, &email, role.into(), None, now).await?;
            println!("Invited {} as {} of “{}”.", issued.user.email, issued.user.role.label(), account.trim());
            issued
        }
        AdminCommand::CreateSupportAgent { email } => {
            let issued = admin::create_support_agent(db, &email, now).await?;
            println!("Created support agent {}.", issued.user.email);
            issued
        }
        _ => unreachable!("only the commands that invite someone come here"),
    };
    deliver(config, &mailer, &issued).await;
    Ok(())
}

/// Mails the invitation and prints its link last. A mail failure does not undo the
/// invitation: the operator is told and can pass the printed link on by hand.
async fn deliver(config: &Config, mailer: &dyn Mailer, issued: &IssuedInvitation) {
    let link = issued.link(&config.public_url);
    // The operator's default language: a new owner has chosen none yet.
    let language = config.languages.0.default_language();
    match mailer.send(invitation_mail(language, &config.issuer, issued, &link)).await {
        Ok(()) => println!("Invitation mailed to {} (valid for 7 days):", issued.user.email),
        Err(e) => {
            eprintln!("warning: {e}");
            println!("The invitation could not be mailed; give {} this link (valid for 7 days):", issued.user.email);
        }
    }
    println!("{link}");
}
