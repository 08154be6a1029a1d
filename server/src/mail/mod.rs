//! Mail transports: `.eml` files in an outbox folder (the embedded default, handy for
//! development and tests) or an SMTP server. Requests do not use them directly: their mail
//! goes through the queue ([`queue`]), whose sender uses them.

pub mod queue;

use async_trait::async_trait;
use gatehouse_core::mail::{Mail, MailError, Mailer};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::MailConfig;

pub enum LettreMailer {
    Outbox { transport: AsyncFileTransport<Tokio1Executor>, from: Mailbox },
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
}

#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("GATEHOUSE_MAIL_OUTBOX {0}: {1}")]
    Outbox(String, String),
    #[error("GATEHOUSE_SMTP_URL: {0}")]
    Smtp(String),
    #[error("GATEHOUSE_MAIL_FROM: {0}")]
    From(String),
}

impl LettreMailer {
    pub fn new(config: &MailConfig) -> Result<Self, MailSetupError> {
        match config {
            MailConfig::Outbox { dir, from } => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| MailSetupError::Outbox(dir.display().to_string(), e.to_string()))?;
                Ok(LettreMailer::Outbox { transport: AsyncFileTransport::new(dir), from: mailbox(from)? })
            }
            MailConfig::Smtp { url, from } => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailSetupError::Smtp(e.to_string()))?
                    .build();
                Ok(LettreMailer::Smtp { transport, from: mailbox(from)? })
            }
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            LettreMailer::Outbox { from, .. } | LettreMailer::Smtp { from, .. } => from,
        }
    }
}

fn mailbox(s: &str) -> Result<Mailbox, MailSetupError> {
    s.parse().map_err(|e: lettre::address::AddressError| MailSetupError::From(e.to_string()))
}

#[async_trait]
impl Mailer for LettreMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        self.deliver(None, mail).await
    }

    /// Every attempt at one queued mail carries the same Message-ID, in the sender's domain,
    /// so that a mail sent again after a crash can be recognised as the same mail.
    async fn send_queued(&self, id: &str, mail: Mail) -> Result<(), MailError> {
        let message_id = format!("<{id}@{}>", self.from().email.domain());
        self.deliver(Some(message_id), mail).await
    }
}

impl LettreMailer {
    /// Without a `message_id`, lettre makes up a new one.
    async fn deliver(&self, message_id: Option<String>, mail: Mail) -> Result<(), MailError> {
        let failed = |reason: String| MailError { to: mail.to.to_string(), reason };
        let to: Mailbox = mail.to.as_str().parse().map_err(|e: lettre::address::AddressError| failed(e.to_string()))?;
        let message = Message::builder()
            .message_id(message_id)
            .from(self.from().clone())
            .to(to)
            .subject(mail.subject.clone())
            .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
            .map_err(|e| failed(e.to_string()))?;
        match self {
            LettreMailer::Outbox { transport, .. } => {
                transport.send(message).await.map(drop).map_err(|e| failed(e.to_string()))
            }
            LettreMailer::Smtp { transport, .. } => {
                transport.send(message).await.map(drop).map_err(|e| failed(e.to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gatehouse_core::Email;

    fn mail() -> Mail {
        Mail {
            to: Email::parse("owner@example.com").unwrap(),
            subject: "Reset".into(),
            text: "text".into(),
            html: "<p>html</p>".into(),
        }
    }

    fn message_ids(dir: &std::path::Path) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
            .map(|eml| {
                eml.lines().find_map(|l| l.strip_prefix("Message-ID: ").map(str::to_owned)).expect("a Message-ID")
            })
            .collect();
        ids.sort();
        ids
    }

    #[tokio::test]
    async fn a_queued_mail_sent_twice_carries_one_message_id() {
        let dir = tempfile::tempdir().unwrap();
        let config =
            MailConfig::Outbox { dir: dir.path().to_owned(), from: "Gatehouse <login@gatehouse.example>".into() };
        let mailer = LettreMailer::new(&config).unwrap();
        mailer.send_queued("q1", mail()).await.unwrap();
        mailer.send_queued("q1", mail()).await.unwrap();
        assert_eq!(message_ids(dir.path()), vec!["<q1@gatehouse.example>"; 2]);

        // Mail outside the queue gets a new id each time.
        let other = tempfile::tempdir().unwrap();
        let config = MailConfig::Outbox { dir: other.path().to_owned(), from: "login@gatehouse.example".into() };
        let mailer = LettreMailer::new(&config).unwrap();
        mailer.send(mail()).await.unwrap();
        mailer.send(mail()).await.unwrap();
        let ids = message_ids(other.path());
        assert_ne!(ids[0], ids[1]);
    }
}
