use guanxi_core::model::{Locale, Viewer};
use leptos::prelude::*;

use crate::error::AppError;

/// Who is looking, in which language, and whether first-run setup is done.
#[server(endpoint = "get_viewer")]
pub async fn get_viewer() -> Result<Viewer, AppError> {
    viewer_of_request()
}

/// The viewer of the request being rendered. A redb read of one record, so
/// the page shell can afford it synchronously.
#[cfg(feature = "ssr")]
pub fn viewer_of_request() -> Result<Viewer, AppError> {
    use crate::ssr::*;
    let req = request();
    let user = req.auth.map(|a| a.user);
    // Listing the routes at start-up renders the app outside any request.
    let Some(gx) = use_context::<std::sync::Arc<guanxi_core::service::Guanxi>>() else {
        return Ok(Viewer {
            user: None,
            company_name: None,
            locale: Default::default(),
            setup_done: false,
            currency: guanxi_core::model::DEFAULT_CURRENCY.to_string(),
        });
    };
    let company = gx.company_if_set_up().map_err(fail)?;
    let locale = user
        .as_ref()
        .and_then(|u| u.locale)
        .or(req.cookie_locale)
        .or(req.browser_locale)
        .or(company.as_ref().map(|c| c.default_locale))
        .unwrap_or_default();
    Ok(Viewer {
        setup_done: company.is_some(),
        currency: company.as_ref().map_or_else(
            || guanxi_core::model::DEFAULT_CURRENCY.to_string(),
            |c| c.currency.clone(),
        ),
        company_name: company.map(|c| c.name),
        user,
        locale,
    })
}

#[server(endpoint = "set_up")]
#[allow(clippy::too_many_arguments)]
pub async fn set_up(
    company_name: String,
    currency: String,
    time_zone: String,
    default_locale: Locale,
    admin_name: String,
    admin_email: String,
    admin_password: String,
) -> Result<(), AppError> {
    use crate::ssr::*;
    use guanxi_core::model::SetupInput;
    let client = request().client;
    let email = admin_email.clone();
    let password = admin_password.clone();
    let secret = call(move |gx| {
        gx.set_up(SetupInput {
            company_name,
            currency,
            time_zone,
            default_locale,
            admin_name,
            admin_email,
            admin_password,
        })?;
        gx.login(&email, &password, &client)
            .map(|(_, secret)| secret)
    })
    .await?;
    add_cookie(session_cookie(&secret));
    redirect_plain_form("/");
    Ok(())
}

#[server(endpoint = "log_in")]
pub async fn log_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<String, AppError> {
    use crate::ssr::*;
    let client = request().client;
    let (_, secret) = call(move |gx| gx.login(&email, &password, &client)).await?;
    add_cookie(session_cookie(&secret));
    let next = safe_next(next.as_deref());
    redirect_plain_form(&next);
    Ok(next)
}

#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    use crate::ssr::*;
    if let Some(secret) = request().session_secret {
        call(move |gx| gx.logout(&secret)).await?;
    }
    add_cookie(expired_session_cookie());
    redirect_plain_form("/login");
    Ok(())
}

/// Remembers the language in a cookie, and on the user when signed in.
#[server(endpoint = "set_language")]
pub async fn set_language(locale: Locale) -> Result<(), AppError> {
    use crate::ssr::*;
    if let Some(auth) = request().auth {
        call(move |gx| gx.set_own_locale(&auth.user, locale)).await?;
    }
    add_cookie(language_cookie(locale));
    Ok(())
}
