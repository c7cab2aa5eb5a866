use guanxi_core::Field;
use guanxi_core::model::BackupKind;
use leptos::prelude::*;

use super::{AdminOnly, PageHeader};
use crate::api::backups::{BackupRow, SnapshotNow, UpdateBackupPolicy, get_backups};
use crate::components::forms::{FormAlert, SubmitButton, TextField, last_error};
use crate::components::loaded::Loaded;
use crate::i18n::{Msg, fill, use_i18n};

const FIELDS: &[Field] = &[Field::KeepDaily, Field::KeepWeekly, Field::KeepMonthly];

#[component]
pub fn BackupsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateBackupPolicy>::new();
    let snapshot = ServerAction::<SnapshotNow>::new();
    let page = Resource::new(
        move || (save.version().get(), snapshot.version().get()),
        |_| get_backups(),
    );
    let error = last_error(save.value());
    let snapshot_error = last_error(snapshot.value());
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <AdminOnly>
            <PageHeader title=Msg::BackupsTitle intro=Msg::BackupsIntro>
                // A file download: a plain link, signed in by the session cookie.
                <a class="btn btn-primary" id="download-backup" href="/api/v1/backup" download="">
                    {i18n.t(Msg::BackupDownload)}
                </a>
            </PageHeader>
            <Loaded resource=page let:page>
                {page.failure.clone().map(|(at, message)| view! {
                    <div class="alert alert-error" role="alert" id="backup-failure">
                        {move || fill(i18n.t(Msg::BackupFailed)(), &[("at", &at), ("error", &message)])}
                    </div>
                })}
                <section class="card" id="backup-policy">
                    <h2 class="section-title">{i18n.t(Msg::BackupPolicyTitle)}</h2>
                    <p class="muted">{i18n.t(Msg::BackupPolicyIntro)}</p>
                    <ActionForm action=save attr:class="form" attr:id="backup-policy-form">
                        <input type="hidden" name="version" value=page.policy.version />
                        <div class="field-row">
                            <TextField label=Msg::KeepDaily name="daily" field=Field::KeepDaily error=error kind="number" value=page.policy.daily.to_string() required=true />
                            <TextField label=Msg::KeepWeekly name="weekly" field=Field::KeepWeekly error=error kind="number" value=page.policy.weekly.to_string() required=true />
                            <TextField label=Msg::KeepMonthly name="monthly" field=Field::KeepMonthly error=error kind="number" value=page.policy.monthly.to_string() required=true />
                        </div>
                        <FormAlert error=error fields=FIELDS />
                        <div class="form-actions">
                            <SubmitButton label=Msg::Save pending=save.pending().into() />
                            <Show when=saved>
                                <span class="saved-note" role="status">{i18n.t(Msg::Saved)}</span>
                            </Show>
                        </div>
                    </ActionForm>
                </section>
                <section class="card" id="backup-files">
                    <div class="section-head">
                        <h2 class="section-title">{i18n.t(Msg::BackupFilesTitle)}</h2>
                        <ActionForm action=snapshot attr:class="inline-form" attr:id="snapshot-now-form">
                            <SubmitButton label=Msg::BackupSnapshotNow pending=snapshot.pending().into() class="btn-small" />
                        </ActionForm>
                    </div>
                    <FormAlert error=snapshot_error fields=&[] />
                    <p class="muted">
                        {let folder = page.folder.clone();
                        move || fill(i18n.t(Msg::BackupFolder)(), &[("folder", &folder)])}
                    </p>
                    {if page.files.is_empty() {
                        view! { <p class="muted">{i18n.t(Msg::BackupNone)}</p> }.into_any()
                    } else {
                        view! { <BackupTable files=page.files.clone() /> }.into_any()
                    }}
                </section>
            </Loaded>
        </AdminOnly>
    }
}

#[component]
fn BackupTable(files: Vec<BackupRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table" id="backups-table">
                <thead>
                    <tr>
                        <th>{i18n.t(Msg::BackupTaken)}</th>
                        <th>{i18n.t(Msg::BackupKindHeader)}</th>
                        <th class="num">{i18n.t(Msg::BackupSize)}</th>
                        <th>{i18n.t(Msg::BackupFileName)}</th>
                    </tr>
                </thead>
                <tbody>
                    {files
                        .into_iter()
                        .map(|f| view! {
                            <tr>
                                <td>{f.taken.clone()}</td>
                                <td>{i18n.t(kind_msg(f.kind))}</td>
                                <td class="num">{size(f.bytes)}</td>
                                <td><code>{f.name.clone()}</code></td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn kind_msg(kind: BackupKind) -> Msg {
    match kind {
        BackupKind::Scheduled => Msg::BackupKindScheduled,
        BackupKind::BeforeMigration => Msg::BackupKindBeforeMigration,
        BackupKind::BeforeRestore => Msg::BackupKindBeforeRestore,
    }
}

/// Bytes as an office admin reads them: `2.4 MB`.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_in_decimal_units() {
        assert_eq!(super::size(512), "512 B");
        assert_eq!(super::size(2_400_000), "2.4 MB");
        assert_eq!(super::size(1_250_000_000), "1.2 GB");
    }
}
