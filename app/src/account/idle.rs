//! The warning before a session times out. The server ends a session unused for the idle
//! timeout, and any signed-in session at the end of its absolute lifetime (configured:
//! `GATEHOUSE_SESSION_IDLE_SECS`, `GATEHOUSE_SESSION_LIFETIME_SECS`). Signed-in pages carry
//! [`IdleWarning`], which asks the server how long is left (without that question counting as
//! activity, so another tab's activity shows), warns shortly before the end, offers **Stay
//! signed in**, and goes to the login page once the session is over.

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::i18n::{t, t_with};

/// Where a signed-in session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdleClock {
    /// Seconds until the session ends if nothing is done.
    pub ends_in_secs: i64,
    /// Whether activity can push the end back (false when the absolute lifetime is what ends it).
    pub extendable: bool,
    /// How long before the end the page warns.
    pub warn_before_secs: i64,
}

/// Anyone may ask; only a signed-in session gets a clock. Reads the session by its cookie
/// without loading it, so asking does not keep the session alive.
#[server(endpoint = "session_clock")]
pub async fn session_clock() -> AppResult<Option<IdleClock>> {
    use gatehouse_core::store::SessionRecords;
    use gatehouse_core::Timestamp;
    crate::auth::anyone();
    let Some(id) = crate::auth::session_cookie() else { return Ok(None) };
    let state = crate::ssr::state()?;
    let now = Timestamp::now();
    let row = state.db.load_session(&id, now).await.map_err(crate::ssr::internal)?;
    Ok(row.and_then(|row| clock(&state.settings.sessions, &row, row.expires_at, now)))
}

/// Keeps the session alive now, whenever its activity was last written down.
#[server(endpoint = "stay_signed_in")]
pub async fn stay_signed_in() -> AppResult<Option<IdleClock>> {
    use gatehouse_core::store::SessionRecords;
    use gatehouse_core::Timestamp;
    crate::auth::signed_in().await?;
    let state = crate::ssr::state()?;
    let now = Timestamp::now();
    let Some(id) = crate::auth::session_id().await? else { return Ok(None) };
    let Some(row) = state.db.load_session(&id, now).await.map_err(crate::ssr::internal)? else { return Ok(None) };
    let life = state.settings.sessions;
    let expires_at = life.expires_at(now, row.facts.as_ref().map(|f| f.signed_in_at));
    state.db.touch_session(&id, now, expires_at).await.map_err(crate::ssr::internal)?;
    Ok(clock(&life, &row, expires_at, now))
}

/// None for a session where no one is fully signed in.
#[cfg(feature = "ssr")]
fn clock(
    life: &gatehouse_core::sessions::Lifetime,
    row: &gatehouse_core::model::SessionRecord,
    expires_at: gatehouse_core::Timestamp,
    now: gatehouse_core::Timestamp,
) -> Option<IdleClock> {
    let absolute_end = row.facts.as_ref()?.signed_in_at.plus_secs(life.absolute_secs);
    Some(IdleClock {
        ends_in_secs: expires_at.0 - now.0,
        extendable: expires_at < absolute_end,
        warn_before_secs: life.warn_before_secs(),
    })
}

/// Where the page goes when the session has ended: the login page, which says why.
pub const SIGNED_OUT_IDLE: &str = "/Account/Login?signed_out=idle";
pub const SIGNED_OUT_LIFETIME: &str = "/Account/Login?signed_out=lifetime";

/// The warning, shown only when the end is near. Renders nothing on the server.
#[component]
pub fn IdleWarning() -> AnyView {
    // Seconds left when the warning is up; None while there is time.
    let warning = RwSignal::new(None::<IdleClock>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    #[cfg(feature = "browser")]
    Effect::new(move |_| leptos::task::spawn_local(browser::watch(warning)));
    let stay = move |_| {
        busy.set(true);
        error.set(None);
        #[cfg(feature = "browser")]
        leptos::task::spawn_local(async move {
            match stay_signed_in().await {
                Ok(Some(clock)) if clock.ends_in_secs > clock.warn_before_secs => warning.set(None),
                Ok(Some(clock)) => warning.set(Some(clock)),
                // The warning was up: the session ran out while the person read it.
                Ok(None) => browser::leave(warning.get_untracked().map(|c| IdleClock { ends_in_secs: 0, ..c })),
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    // Rounded up: 1 reads "less than a minute".
    let minutes = |secs: i64| FluentValue::from(((secs + 59) / 60).max(1));
    view! {
        <Show when=move || warning.get().is_some()>
            <div class="idle-warning card" role="alertdialog" aria-labelledby="idle-title" aria-describedby="idle-text">
                <h2 id="idle-title">{t("idle-title")}</h2>
                {move || warning.get().map(|clock| if clock.extendable {
                    view! {
                        <p id="idle-text">
                            {t_with("idle-signing-out", [("minutes", minutes(clock.ends_in_secs))])}
                        </p>
                        <p class="error" role="alert">{move || error.get()}</p>
                        <button type="button" class="primary" autofocus on:click=stay disabled=move || busy.get()>
                            {t("idle-stay")}
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <p id="idle-text">
                            {t_with("idle-lifetime-ends", [("minutes", minutes(clock.ends_in_secs))])}
                        </p>
                    }.into_any()
                })}
            </div>
        </Show>
    }
    .into_any()
}

#[cfg(feature = "browser")]
mod browser {
    use leptos::prelude::*;

    use super::{session_clock, IdleClock, SIGNED_OUT_IDLE, SIGNED_OUT_LIFETIME};

    /// The page's watch: sleeps until the warning is due, checks with the server (another tab
    /// may have kept the session alive), and polls while the warning is up.
    pub async fn watch(warning: RwSignal<Option<IdleClock>>) {
        let mut last = None;
        // A page left for another (in the client's router) leaves its watch behind.
        while !warning.is_disposed() {
            let answer = session_clock().await;
            // Left for another page meanwhile (logging out, say): that page decides now.
            if warning.is_disposed() {
                return;
            }
            let clock = match answer {
                Ok(Some(clock)) if clock.ends_in_secs > 0 => clock,
                Ok(_) => return leave(last.map(|(clock, read_at)| as_of_now(clock, read_at))),
                // The server could not be asked (offline, restarting): try again shortly.
                Err(_) => {
                    sleep_secs(5).await;
                    continue;
                }
            };
            // When it was read: a computer asleep past the timeout still says why on waking.
            last = Some((clock, js_sys::Date::now()));
            if clock.ends_in_secs > clock.warn_before_secs {
                warning.try_set(None);
                sleep_secs(clock.ends_in_secs - clock.warn_before_secs).await;
            } else {
                warning.try_set(Some(clock));
                sleep_secs(clock.ends_in_secs.clamp(1, 5)).await;
            }
        }
    }

    /// To the login page, saying why when the page saw it coming: a session that was not due
    /// to end was ended by the person (Log out, here or in another tab) or revoked, and
    /// telling them they were idle would be false.
    pub fn leave(last: Option<IdleClock>) {
        // The watch polls at most 5 seconds apart once the warning is up.
        const SLACK_SECS: i64 = 5;
        let to = match last {
            Some(c) if c.ends_in_secs <= SLACK_SECS && c.extendable => SIGNED_OUT_IDLE,
            Some(c) if c.ends_in_secs <= SLACK_SECS => SIGNED_OUT_LIFETIME,
            _ => "/Account/Login",
        };
        let _ = window().location().assign(to);
    }

    fn as_of_now(clock: IdleClock, read_at_ms: f64) -> IdleClock {
        let elapsed = ((js_sys::Date::now() - read_at_ms) / 1000.0) as i64;
        IdleClock { ends_in_secs: clock.ends_in_secs - elapsed, ..clock }
    }

    async fn sleep_secs(secs: i64) {
        let ms = (secs.max(1) * 1000).min(i64::from(i32::MAX)) as u32;
        gloo_timers::future::TimeoutFuture::new(ms).await;
    }
}
