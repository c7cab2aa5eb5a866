//! The files card of the customer page and the deal page: the list with
//! downloads, an upload form that posts without JavaScript, and deleting
//! after a confirmation.

use guanxi_core::model::{FileMeta, Id};
use leptos::prelude::*;

use crate::api::files::DeleteFile;
use crate::components::dialog::Dialog;
use crate::components::forms::{FormAlert, last_error};
use crate::i18n::{Msg, use_i18n};

fn size_text(size: u64) -> String {
    if size >= 1024 * 1024 {
        format!("{:.1} MB", size as f64 / 1024.0 / 1024.0)
    } else {
        format!("{} KB", size.div_ceil(1024))
    }
}

/// `upload_to` is the REST address the form posts to; the server sends a
/// browser back to the page. `delete` is the page's action, so the page
/// reloads its files when one is deleted.
#[component]
pub fn FilesCard(
    files: Vec<FileMeta>,
    upload_to: String,
    can_edit: bool,
    delete: ServerAction<DeleteFile>,
) -> impl IntoView {
    let i18n = use_i18n();
    let empty = files.is_empty();
    let doomed = RwSignal::new(None::<Id>);
    let confirm = RwSignal::new(false);
    let error = last_error(delete.value());
    view! {
        <section class="card" id="files-card">
            <h2>{i18n.t(Msg::FilesTitle)}</h2>
            <FormAlert error=error fields=&[] />
            {empty.then(|| view! { <p class="muted">{i18n.t(Msg::NoFiles)}</p> })}
            <ul class="file-list">
                {files.into_iter().map(|f| {
                    let href = format!("/api/v1/files/{}", f.id);
                    let id = f.id;
                    view! {
                        <li class="file">
                            {f.is_previewable_image().then(|| view! {
                                <a href=href.clone() target="_blank"><img class="file-thumb" src=href.clone() alt=f.name.clone() loading="lazy" /></a>
                            })}
                            <a href=href target="_blank" class="file-name">{f.name.clone()}</a>
                            <span class="muted">{size_text(f.size)}</span>
                            <Show when=move || can_edit>
                                <button type="button" class="btn btn-small btn-danger-quiet delete-file" on:click=move |_| { doomed.set(Some(id)); confirm.set(true); }>
                                    {i18n.t(Msg::Delete)}
                                </button>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || can_edit>
                <form method="post" action=upload_to.clone() enctype="multipart/form-data" class="inline-form" id="file-form">
                    <label class="sr-only" for="file-input">{i18n.t(Msg::AttachFile)}</label>
                    <input type="file" name="file" id="file-input" required />
                    <button type="submit" class="btn btn-small">{i18n.t(Msg::AttachFile)}</button>
                </form>
            </Show>
            <Dialog title=Signal::derive(move || i18n.t(Msg::DeleteFileConfirm)().to_string()) open=confirm>
                <div class="form-actions">
                    <button type="button" class="btn btn-danger" id="confirm-delete-file" on:click=move |_| {
                        if let Some(id) = doomed.get_untracked() {
                            delete.dispatch(DeleteFile { id });
                        }
                        confirm.set(false);
                    }>{i18n.t(Msg::Delete)}</button>
                    <button type="button" class="btn" on:click=move |_| confirm.set(false)>{i18n.t(Msg::Cancel)}</button>
                </div>
            </Dialog>
        </section>
    }
}
