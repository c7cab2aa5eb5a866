//! The recycle bin: deleted customers, deals, contacts and activities an
//! admin restores or deletes for good.

use guanxi_core::model::{BinnedKind, Id};
use leptos::prelude::*;

use crate::api::customers::{
    PurgeBinned, PurgeCustomer, RestoreBinned, RestoreCustomer, binned_records, recycle_bin,
};
use crate::components::dialog::Dialog;
use crate::components::forms::{FormAlert, last_error};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, use_i18n};
use crate::pages::{AdminOnly, PageHeader};

#[component]
pub fn RecycleBinPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AdminOnly>
            <PageHeader title=Msg::RecycleBinTitle intro=Msg::RecycleBinIntro />
            <h2 class="section-title">{i18n.t(Msg::BinCustomersTitle)}</h2>
            <RecycleBin />
            <h2 class="section-title">{i18n.t(Msg::BinRecordsTitle)}</h2>
            <BinnedRecords />
        </AdminOnly>
    }
}

#[component]
fn RecycleBin() -> impl IntoView {
    let i18n = use_i18n();
    let restore = ServerAction::<RestoreCustomer>::new();
    let purge = ServerAction::<PurgeCustomer>::new();
    let rows = Resource::new(
        move || (restore.version().get(), purge.version().get()),
        |_| recycle_bin(),
    );
    let error = Signal::derive(move || {
        last_error(restore.value())
            .get()
            .or_else(|| last_error(purge.value()).get())
    });
    let confirm = RwSignal::new(false);
    let doomed = RwSignal::new(None::<Id>);
    view! {
        <FormAlert error=error fields=&[] />
        <Loaded resource=rows let:rows>
            {if rows.is_empty() {
                view! { <div class="card empty-state"><p>{i18n.t(Msg::BinEmpty)}</p></div> }.into_any()
            } else { view! {
                <div class="table-wrap card">
                    <table class="table" id="recycle-bin">
                        <thead>
                            <tr>
                                <th>{i18n.t(Msg::Name)}</th>
                                <th>{i18n.t(Msg::Owner)}</th>
                                <th>{i18n.t(Msg::DeletedAt)}</th>
                                <th></th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|row| {
                                let id = row.id;
                                view! {
                                    <tr>
                                        <td class="strong">{row.name}</td>
                                        <td>{row.owner_name.unwrap_or_else(|| "—".into())}</td>
                                        <td class="muted-cell">{row.deleted}</td>
                                        <td class="row-actions">
                                            <button type="button" class="btn btn-small restore" on:click=move |_| { restore.dispatch(RestoreCustomer { id }); }>{i18n.t(Msg::Restore)}</button>
                                            <button type="button" class="btn btn-small btn-danger-quiet purge" on:click=move |_| { doomed.set(Some(id)); confirm.set(true); }>{i18n.t(Msg::Purge)}</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any() }}
        </Loaded>
        <ConfirmPurge open=confirm message=Msg::ConfirmPurge button_id="confirm-purge"
            on_confirm=Callback::new(move |_| if let Some(id) = doomed.get_untracked() { purge.dispatch(PurgeCustomer { id }); }) />
    }
}

fn kind_label(kind: BinnedKind) -> Msg {
    match kind {
        BinnedKind::Deal => Msg::BinKindDeal,
        BinnedKind::Contact => Msg::BinKindContact,
        BinnedKind::Activity => Msg::BinKindActivity,
    }
}

/// Deleted deals, contacts and activities: each goes back to its customer
/// (which must not be in the bin itself) or is deleted for good.
#[component]
fn BinnedRecords() -> impl IntoView {
    let i18n = use_i18n();
    let restore = ServerAction::<RestoreBinned>::new();
    let purge = ServerAction::<PurgeBinned>::new();
    let rows = Resource::new(
        move || (restore.version().get(), purge.version().get()),
        |_| binned_records(),
    );
    let error = Signal::derive(move || {
        last_error(restore.value())
            .get()
            .or_else(|| last_error(purge.value()).get())
    });
    let confirm = RwSignal::new(false);
    let doomed = RwSignal::new(None::<Id>);
    view! {
        <FormAlert error=error fields=&[] />
        <Loaded resource=rows let:rows>
            {if rows.is_empty() {
                view! { <div class="card empty-state"><p>{i18n.t(Msg::BinRecordsEmpty)}</p></div> }.into_any()
            } else { view! {
                <div class="table-wrap card">
                    <table class="table" id="binned-records">
                        <thead>
                            <tr>
                                <th>{i18n.t(Msg::Kind)}</th>
                                <th>{i18n.t(Msg::BinRecordLabel)}</th>
                                <th>{i18n.t(Msg::Customer)}</th>
                                <th>{i18n.t(Msg::DeletedBy)}</th>
                                <th>{i18n.t(Msg::DeletedAt)}</th>
                                <th></th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|row| {
                                let id = row.id;
                                let title = row.label.clone();
                                view! {
                                    <tr data-id=id.to_string()>
                                        <td><span class="badge">{i18n.t(kind_label(row.kind))}</span></td>
                                        <td class="strong clip" title=title>{row.label}</td>
                                        <td>{row.customer_name}</td>
                                        <td>{row.deleted_by}</td>
                                        <td class="muted-cell">{row.deleted}</td>
                                        <td class="row-actions">
                                            <button type="button" class="btn btn-small restore" on:click=move |_| { restore.dispatch(RestoreBinned { id }); }>{i18n.t(Msg::Restore)}</button>
                                            <button type="button" class="btn btn-small btn-danger-quiet purge" on:click=move |_| { doomed.set(Some(id)); confirm.set(true); }>{i18n.t(Msg::Purge)}</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any() }}
        </Loaded>
        <ConfirmPurge open=confirm message=Msg::ConfirmPurgeRecord button_id="confirm-purge-record"
            on_confirm=Callback::new(move |_| if let Some(id) = doomed.get_untracked() { purge.dispatch(PurgeBinned { id }); }) />
    }
}

/// Asks before deleting for good; `on_confirm` runs on yes.
#[component]
fn ConfirmPurge(
    open: RwSignal<bool>,
    message: Msg,
    button_id: &'static str,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Dialog title=Signal::derive(move || i18n.t(Msg::Purge)().to_string()) open=open>
            <p>{i18n.t(message)}</p>
            <div class="form-actions">
                <button type="button" class="btn btn-danger" id=button_id on:click=move |_| {
                    on_confirm.run(());
                    open.set(false);
                }>{i18n.t(Msg::Purge)}</button>
                <button type="button" class="btn" on:click=move |_| open.set(false)>{i18n.t(Msg::Cancel)}</button>
            </div>
        </Dialog>
    }
}
