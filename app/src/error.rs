//! The error a server function returns: a core error, or a failure to reach it.

use guanxi_core::model::Locale;
use guanxi_core::{Error, Field};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Msg, error_text};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Core(#[from] Error),
    #[error("transport: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    pub fn text(&self, locale: Locale) -> String {
        match self {
            AppError::Core(e) => error_text(e, locale),
            AppError::Transport(_) => Msg::ErrNetwork.text(locale).to_string(),
        }
    }

    /// The form field this error belongs beside, if any.
    pub fn field(&self) -> Option<Field> {
        match self {
            AppError::Core(Error::Invalid { field, .. }) => Some(*field),
            _ => None,
        }
    }
}
