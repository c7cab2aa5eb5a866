use guanxi_core::model::{Company, Locale};
use leptos::prelude::*;

use crate::error::AppError;

/// Any signed-in user may read the company settings (currency, time zone).
#[server(endpoint = "get_company")]
pub async fn get_company() -> Result<Company, AppError> {
    use crate::ssr::*;
    current_user()?;
    call(|gx| gx.company()).await
}

#[server(endpoint = "update_company")]
pub async fn update_company(
    name: String,
    currency: String,
    time_zone: String,
    default_locale: Locale,
    session_idle_minutes: u32,
    version: u64,
) -> Result<Company, AppError> {
    use crate::ssr::*;
    use guanxi_core::model::CompanyInput;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| {
        gx.update_company(
            Actor::User(&me),
            CompanyInput {
                name,
                currency,
                time_zone,
                default_locale,
                session_idle_minutes,
            },
            version,
        )
    })
    .await
}
