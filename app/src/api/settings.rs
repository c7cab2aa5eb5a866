use guanxi_core::model::{Company, CustomFieldKind, CustomerSettings, CustomerTypes, Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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

/// The addresses colleagues type into their browsers; admins set the office up.
#[server(endpoint = "staff_urls")]
pub async fn staff_urls() -> Result<Vec<String>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    if !me.role.is_admin() {
        return Err(fail(guanxi_core::Error::Forbidden));
    }
    Ok(use_context::<StaffUrls>()
        .map(|urls| urls.0.to_vec())
        .unwrap_or_default())
}

/// Custom fields, lookup links and pool rules: every user's forms need them.
#[server(endpoint = "get_customer_settings")]
pub async fn get_customer_settings() -> Result<CustomerSettings, AppError> {
    use crate::ssr::*;
    current_user()?;
    call(|gx| gx.customer_settings()).await
}

/// The customer settings form as posted; rows with an empty label are the
/// form's blank "add another" rows and are dropped.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerSettingsForm {
    pub version: u64,
    pub pool_return_days: String,
    pub holding_limit: String,
    pub max_file_mb: String,
    pub fields: Vec<CustomFieldForm>,
    pub links: Vec<LookupLinkForm>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomFieldForm {
    pub key: String,
    pub label: String,
    pub kind: CustomFieldKind,
    /// Choices separated by commas.
    pub options: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LookupLinkForm {
    pub label: String,
    pub url: String,
}

#[cfg(feature = "ssr")]
impl CustomerSettingsForm {
    fn into_settings(self) -> Result<CustomerSettings, guanxi_core::Error> {
        use guanxi_core::model::{CustomField, LookupLink};
        use guanxi_core::{Error, Field, Problem};
        let number = |text: &str, field| {
            text.trim()
                .parse::<u32>()
                .map_err(|_| Error::invalid(field, Problem::Malformed))
        };
        Ok(CustomerSettings {
            pool_return_days: number(&self.pool_return_days, Field::PoolReturnDays)?,
            holding_limit: number(&self.holding_limit, Field::HoldingLimit)?,
            max_file_mb: number(&self.max_file_mb, Field::MaxFileMb)?,
            custom_fields: self
                .fields
                .into_iter()
                .filter(|f| !f.label.trim().is_empty())
                .map(|f| CustomField {
                    key: f.key,
                    label: f.label,
                    kind: f.kind,
                    options: crate::api::customers::split_tags(&f.options),
                })
                .collect(),
            lookup_links: self
                .links
                .into_iter()
                .filter(|l| !(l.label.trim().is_empty() && l.url.trim().is_empty()))
                .map(|l| LookupLink {
                    label: l.label,
                    url_template: l.url,
                })
                .collect(),
            version: self.version,
        })
    }
}

#[server(endpoint = "update_customer_settings")]
pub async fn update_customer_settings(
    settings: CustomerSettingsForm,
) -> Result<CustomerSettings, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    let settings = settings.into_settings().map_err(fail)?;
    call(move |gx| gx.update_customer_settings(Actor::User(&me), settings)).await
}

/// The company's own customer types: every user's forms and lists need them.
#[server(endpoint = "get_customer_types")]
pub async fn get_customer_types() -> Result<CustomerTypes, AppError> {
    use crate::ssr::*;
    current_user()?;
    call(|gx| gx.customer_types()).await
}

#[server(endpoint = "add_customer_type")]
pub async fn add_customer_type(label: String, version: u64) -> Result<CustomerTypes, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.add_customer_type(Actor::User(&me), &label, version)).await
}

#[server(endpoint = "rename_customer_type")]
pub async fn rename_customer_type(
    code: String,
    label: String,
    version: u64,
) -> Result<CustomerTypes, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.rename_customer_type(Actor::User(&me), &code, &label, version)).await
}

/// Retires a type (`retired` = "true") or offers it again.
#[server(endpoint = "retire_customer_type")]
pub async fn retire_customer_type(
    code: String,
    retired: String,
    version: u64,
) -> Result<CustomerTypes, AppError> {
    use crate::ssr::*;
    use guanxi_core::service::Actor;
    let me = current_user()?;
    call(move |gx| gx.retire_customer_type(Actor::User(&me), &code, retired == "true", version))
        .await
}
