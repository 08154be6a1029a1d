//! Single sign-on routes: `/auth/sso/{id}/start` sends the browser to the provider, and
//! `/auth/sso/{id}/callback` takes it back, checks everything, and hands over to the second
//! factor exactly as a correct password does. Nobody is signed in here.
//!
//! The flow's `state`, nonce and PKCE verifier live in the database (any process can take the
//! callback); a cookie that lives as long as the flow also remembers which flow this
//! browser started, so a callback carried into another browser (login CSRF) is refused. A
//! cookie rather than the session: starting a flow is open to anyone and should not leave a
//! session row behind.

use std::collections::HashMap;
use std::sync::Arc;

use app::account::sso::SsoProblem;
use app::auth::{begin_second_step_in, client_of, second_step_path};
use app::ssr::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{Extensions, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use gatehouse_core::signin::{self, FirstStep, Mailbox, SignInError};
use gatehouse_core::sso::{self, Claims, SsoError};
use gatehouse_core::token::TokenHash;
use gatehouse_core::Timestamp;
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, Scope, SignatureVerificationError, TokenResponse,
};
use tower_sessions::Session;

use crate::sso::{chain, OidcClient, Provider, Providers};

/// The cookie naming the flow this browser started (`__Host-` on https: no subdomain can set it).
fn flow_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-gatehouse-sso"
    } else {
        "gatehouse-sso"
    }
}

/// Lax, like every cookie here: sent on the provider's top-level redirect back to us, not on
/// cross-site posts.
fn flow_cookie(https: bool, value: String, max_age: i64) -> HeaderValue {
    app::auth::cookie_header(flow_cookie_name(https), value, https, max_age)
}

fn flow_of_this_browser(headers: &HeaderMap, https: bool) -> Option<String> {
    app::auth::cookie(headers, flow_cookie_name(https))
}

pub fn routes(providers: Arc<Providers>) -> super::PlainRoutes {
    super::PlainRoutes::new()
        .get("/auth/sso/{id}/start", start)
        .get("/auth/sso/{id}/callback", callback)
        .layer(Extension(providers))
}

fn refused(problem: SsoProblem, provider_id: &str) -> Response {
    Redirect::to(&problem.login_url(provider_id)).into_response()
}

fn core(provider: &Provider) -> sso::Provider<'_> {
    sso::Provider { id: &provider.id, name: &provider.name, domains: provider.domains() }
}

async fn start(
    State(state): State<AppState>,
    Extension(providers): Extension<Arc<Providers>>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    app::auth::anyone();
    let Some(provider) = providers.get(&id) else { return refused(SsoProblem::Unavailable, &id) };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let nonce = Nonce::new_random();
    let flow = match sso::start_flow(
        &state.db,
        core(provider),
        nonce.secret().clone(),
        verifier.secret().clone(),
        // Started from a setup link's login page, or an invitation's: carried to the callback
        // (only as hashes).
        sso::Carried {
            setup_link: params.get("setup").map(String::as_str),
            invitation: params.get("invitation").map(String::as_str),
        },
        Timestamp::now(),
    )
    .await
    {
        Ok(flow) => flow,
        Err(e) => return internal(e, &id),
    };
    let flow_id = flow.id.to_string();
    let cookie = flow_cookie(state.settings.https, flow_id.clone(), sso::FLOW_TTL_SECS);
    let (url, _, _) = provider
        .client()
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, move || CsrfToken::new(flow_id), move || nonce)
        .add_scopes(provider.scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(challenge)
        .url();
    ([(SET_COOKIE, cookie)], Redirect::to(url.as_str())).into_response()
}

fn internal(e: impl std::fmt::Display, provider_id: &str) -> Response {
    tracing::error!(error = %e, provider = provider_id, "sso failed");
    refused(SsoProblem::ProviderFailed, provider_id)
}

/// A refusal before anyone is identified: audited, then back to the login page.
struct Refusal(SsoProblem, String);

async fn callback(
    State(state): State<AppState>,
    Extension(providers): Extension<Arc<Providers>>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    session: Session,
    extensions: Extensions,
) -> Response {
    // Public: the flow cookie and the `state` it must match are what bind the answer.
    app::auth::anyone();
    let Some(provider) = providers.get(&id) else { return refused(SsoProblem::Unavailable, &id) };
    let started_here = flow_of_this_browser(&headers, state.settings.https);
    // The answer to this browser's flow ends it, whatever the outcome; a made-up callback
    // (another `state`) leaves the flow in progress alone.
    let ends_own_flow = started_here.is_some() && started_here.as_deref() == params.get("state").map(String::as_str);
    let response = finish(&state, &providers, provider, &params, started_here, &session, &extensions).await;
    if ends_own_flow {
        return ([(SET_COOKIE, flow_cookie(state.settings.https, String::new(), 0))], response).into_response();
    }
    response
}

async fn finish(
    state: &AppState,
    providers: &Providers,
    provider: &Provider,
    params: &HashMap<String, String>,
    started_here: Option<String>,
    session: &Session,
    extensions: &Extensions,
) -> Response {
    let id = &provider.id;
    let client = client_of(extensions);
    let (claims, carried) = match verify(state, providers, provider, params, started_here).await {
        Ok(verified) => verified,
        Err(Refusal(problem, why)) => {
            let now = Timestamp::now();
            if let Err(e) = sso::record_refusal(&state.db, core(provider), &client, now, &why).await {
                return internal(e, id);
            }
            tracing::info!(provider = %id, reason = %why, "sso refused");
            return refused(problem, id);
        }
    };
    let invitation = carried.invitation.as_ref();
    let identified =
        match sso::identify(&state.db, core(provider), &claims, invitation, &client, Timestamp::now()).await {
            Ok(identified) => identified,
            Err(SsoError::UnverifiedEmail { .. }) => return refused(SsoProblem::Unverified, id),
            Err(SsoError::UnknownUser { .. }) => return refused(SsoProblem::Unknown, id),
            Err(SsoError::InvitationExpired) => return refused(SsoProblem::InvitationExpired, id),
            Err(SsoError::InvitationPending) => return refused(SsoProblem::InvitationPending, id),
            Err(SsoError::OtherAddress { .. }) => return refused(SsoProblem::OtherAddress, id),
            Err(SsoError::JoinedElsewhere { .. }) => return refused(SsoProblem::JoinedElsewhere, id),
            Err(SsoError::NotAllowed { .. }) => return refused(SsoProblem::NotAllowed, id),
            Err(SsoError::SetUpFirst { .. }) => return refused(SsoProblem::SetUpFirst, id),
            Err(e) => return internal(e, id),
        };
    // The core decides the second step; a provider never grants setup to someone who has
    // a password (identify refused that already, with an audit entry), nor without the
    // person's mailbox proved besides.
    let user = identified.user;
    let first = FirstStep::Sso { provider: provider.name.clone() };
    let mailbox = match &carried.setup_link {
        _ if identified.accepted_invitation => Mailbox::Invitation,
        Some(hash) => Mailbox::SetupLink(hash),
        None => Mailbox::Unproved,
    };
    let pending = match signin::after_first_step(&state.db, &user, first, mailbox, Timestamp::now()).await {
        Ok(pending) => pending,
        Err(SignInError::SetUpAfterPassword) => return refused(SsoProblem::SetUpFirst, id),
        Err(e) if e.wants_setup_link() => {
            app::account::setup::ssr::mail_setup_link(state, &user, &client).await;
            return refused(SsoProblem::SetupLinkSent, id);
        }
        Err(e) => return internal(e, id),
    };
    if begin_second_step_in(session, &user, &pending).await.is_err() {
        return refused(SsoProblem::ProviderFailed, id);
    }
    Redirect::to(second_step_path(&pending)).into_response()
}

/// Everything between the provider's redirect and a verified identity. The flow is taken
/// (deleted) first, so whatever goes wrong after, this callback cannot be replayed.
async fn verify(
    state: &AppState,
    providers: &Providers,
    provider: &Provider,
    params: &HashMap<String, String>,
    started_here: Option<String>,
) -> Result<(Claims, Carried), Refusal> {
    let given = params.get("state").map(String::as_str).unwrap_or("");
    let flow = sso::take_flow(&state.db, given, core(provider), Timestamp::now()).await.map_err(|e| match e {
        SsoError::FlowGone => {
            Refusal(SsoProblem::Expired, "state names no open flow (expired, used or tampered)".into())
        }
        e => Refusal(SsoProblem::ProviderFailed, format!("flow storage: {e}")),
    })?;
    if started_here != Some(flow.id.to_string()) {
        return Err(Refusal(SsoProblem::OtherBrowser, "callback arrived in a browser that did not start it".into()));
    }
    if let Some(error) = params.get("error") {
        // Anyone can put words in these: keep the audit entry short.
        let short = |s: &str| s.chars().take(120).collect::<String>();
        let detail = params.get("error_description").map(|d| format!(" ({})", short(d))).unwrap_or_default();
        let problem = if error == "access_denied" { SsoProblem::Denied } else { SsoProblem::ProviderFailed };
        return Err(Refusal(problem, format!("provider answered {}{detail}", short(error))));
    }
    // RFC 9207: a provider that names itself in the answer must name the one we sent the
    // person to (a defence against mix-up between providers).
    if let Some(iss) = params.get("iss").filter(|iss| iss.as_str() != provider.issuer()) {
        return Err(Refusal(SsoProblem::BadAnswer, format!("answer from issuer {iss:.120}, not ours")));
    }
    let code = params
        .get("code")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| Refusal(SsoProblem::ProviderFailed, "callback without code".into()))?;
    let client = provider.client();
    let token = client
        .exchange_code(AuthorizationCode::new(code.clone()))
        .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
        .request_async(&providers.http)
        .await
        .map_err(|e| Refusal(SsoProblem::ProviderFailed, format!("code exchange: {}", chain(&e))))?;
    let id_token =
        token.id_token().ok_or_else(|| Refusal(SsoProblem::BadAnswer, "token response without id_token".into()))?;
    let nonce = Nonce::new(flow.nonce.clone());
    let verify = |client: &OidcClient| id_token.claims(&client.id_token_verifier(), &nonce).cloned();
    let mut client = client;
    let claims = match verify(&client) {
        Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey))
            if provider.refresh(&providers.http).await =>
        {
            client = provider.client();
            verify(&client)
        }
        first => first,
    }
    .map_err(|e| Refusal(SsoProblem::BadAnswer, format!("id_token refused: {}", chain(&e))))?;
    let mut email = claims.email().map(|e| e.as_str().to_owned());
    let mut email_verified = claims.email_verified().unwrap_or(false);
    if email.is_none() || !email_verified {
        // Many providers put the email only in userinfo; the subject must be the token's.
        if let Ok(request) = client.user_info(token.access_token().clone(), Some(claims.subject().clone())) {
            let info: openidconnect::core::CoreUserInfoClaims =
                request.request_async(&providers.http).await.map_err(|e| {
                    // A userinfo answer about another subject is a lie, not an outage.
                    let problem = match e {
                        openidconnect::UserInfoError::ClaimsVerification(_) => SsoProblem::BadAnswer,
                        _ => SsoProblem::ProviderFailed,
                    };
                    Refusal(problem, format!("userinfo: {}", chain(&e)))
                })?;
            if let Some(e) = info.email() {
                email = Some(e.as_str().to_owned());
                email_verified = info.email_verified().unwrap_or(false);
            }
        }
    }
    let claims = Claims {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email,
        email_verified,
    };
    Ok((claims, Carried { setup_link: flow.setup_link, invitation: flow.invitation }))
}

/// What the flow carried from the page it started on (as hashes).
struct Carried {
    setup_link: Option<TokenHash>,
    invitation: Option<TokenHash>,
}
