use guanxi_core::model::{ApiToken, Id, NewApiToken};
use leptos::prelude::*;

use crate::error::AppError;

/// Changes the signed-in user's password; other sessions end, this one is renewed.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    let secret =
        call(move |gx| gx.change_own_password(&me, &current_password, &new_password)).await?;
    add_cookie(session_cookie(&secret));
    Ok(())
}

#[server(endpoint = "list_tokens")]
pub async fn list_tokens() -> Result<Vec<ApiToken>, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.list_tokens(&me)).await
}

#[server(endpoint = "create_token")]
pub async fn create_token(name: String) -> Result<NewApiToken, AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.create_token(&me, &name)).await
}

#[server(endpoint = "revoke_token")]
pub async fn revoke_token(id: Id) -> Result<(), AppError> {
    use crate::ssr::*;
    let me = current_user()?;
    call(move |gx| gx.revoke_token(&me, id)).await
}
