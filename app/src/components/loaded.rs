//! What a page shows while it reads: "loading" until the first answer, the
//! error in the reader's language if the read failed, else the content.

use std::sync::Arc;

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{Msg, use_i18n};

/// Renders `children` with the resource's value once it has loaded.
/// A `Transition`, so a reload keeps the old content on screen until the new
/// one is ready:
///
/// ```ignore
/// <Loaded resource=tasks let:rows>
///     <TaskList rows=rows />
/// </Loaded>
/// ```
#[component]
pub fn Loaded<T, C, V>(resource: Resource<Result<T, AppError>>, children: C) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    C: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let children = Arc::new(children);
    view! {
        <Transition fallback=move || view! { <p class="muted">{i18n.t(Msg::Loading)}</p> }>
            {move || {
                let children = Arc::clone(&children);
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => children(value).into_any(),
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// A failed read, in the reader's language.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="alert alert-error">{error.text(i18n.now())}</p> }
}
