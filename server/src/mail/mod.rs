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
        let failed = |reason: String| MailError { to: mail.to.to_string(), reason };
        let to: Mailbox = mail.to.as_str().parse().map_err(|e: lettre::address::AddressError| failed(e.to_string()))?;
        let message = Message::builder()
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
