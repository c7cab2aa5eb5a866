//! Importing customers: upload a file, match its columns, see a dry run that
//! lists every row that would fail, then import with a progress bar. The
//! product import (`pages/products/import.rs`) and the order import
//! (`pages/contracts/import.rs`) are the same flow: a job knows its kind,
//! and the mapping page offers that kind's targets.

use guanxi_core::model::{
    CustomerTypes, DuplicateMode, Id, ImportKind, ImportPlan, ImportPreview, ImportStatus, Target,
    TypeChoice, TypeMapping, UnknownType,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

use crate::api::import::{ImportDryRun, RunImport, get_import_preview, get_import_status};
use crate::api::settings::get_customer_types;
use crate::components::forms::{FormAlert, last_error};
use crate::i18n::{I18n, Msg, error_text, fill, order_column_msg, product_column_msg, use_i18n};
use crate::pages::PageHeader;

/// The upload page: a spreadsheet, or vCards as person-customers.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Msg::ImportTitle intro=Msg::ImportIntro />
        <div class="grid-2">
            <CsvUpload kind=ImportKind::Customers />
            <section class="card">
                <h2>{i18n.t(Msg::ImportVcardTitle)}</h2>
                <p class="muted">{i18n.t(Msg::ImportVcardHint)}</p>
                <form method="post" action="/api/v1/vcards" enctype="multipart/form-data" class="form" id="vcard-upload">
                    <label class="field">
                        <span>{i18n.t(Msg::ChooseFile)}</span>
                        <input type="file" name="file" id="vcard-file" accept=".vcf,text/vcard,text/x-vcard" required />
                    </label>
                    <button type="submit" class="btn btn-primary">{i18n.t(Msg::Upload)}</button>
                </form>
            </section>
        </div>
    }
}

/// The spreadsheet upload, a plain form post that works before hydration;
/// the server sends the browser on to the job's mapping page.
#[component]
pub fn CsvUpload(kind: ImportKind) -> impl IntoView {
    let i18n = use_i18n();
    let action = match kind {
        ImportKind::Customers => "/api/v1/imports",
        ImportKind::Products => "/api/v1/imports?kind=products",
        ImportKind::Orders => "/api/v1/imports?kind=orders",
    };
    view! {
        <section class="card">
            <h2>{i18n.t(Msg::ImportCsvTitle)}</h2>
            <p class="muted">{i18n.t(Msg::ImportCsvHint)}</p>
            <form method="post" action=action enctype="multipart/form-data" class="form" id="csv-upload">
                <label class="field">
                    <span>{i18n.t(Msg::ChooseFile)}</span>
                    <input type="file" name="file" id="csv-file" accept=".csv,.txt,text/csv" required />
                </label>
                <button type="submit" class="btn btn-primary">{i18n.t(Msg::Upload)}</button>
            </form>
        </section>
    }
}

/// What the pages of an import of `kind` say and link to.
#[derive(Clone, Copy)]
struct KindTexts {
    title: Msg,
    upload: &'static str,
    list: &'static str,
    view_list: Msg,
}

fn kind_texts(kind: ImportKind) -> KindTexts {
    match kind {
        ImportKind::Customers => KindTexts {
            title: Msg::ImportTitle,
            upload: "/customers/import",
            list: "/customers?sort=-created",
            view_list: Msg::ViewCustomers,
        },
        ImportKind::Products => KindTexts {
            title: Msg::ImportProductsTitle,
            upload: "/products/import",
            list: "/products?inactive=1",
            view_list: Msg::ViewProducts,
        },
        ImportKind::Orders => KindTexts {
            title: Msg::ImportOrdersTitle,
            upload: "/contracts/import",
            list: "/contracts",
            view_list: Msg::ViewContracts,
        },
    }
}

/// Every order target with its `<select>` value.
fn order_targets() -> [(Target, &'static str); 13] {
    use Target::*;
    [
        (OrderNumber, "order_number"),
        (OrderCustomer, "order_customer"),
        (SignDate, "sign_date"),
        (LineProduct, "line_product"),
        (LineDescription, "line_description"),
        (LineUnit, "line_unit"),
        (Quantity, "quantity"),
        (UnitPrice, "unit_price"),
        (Discount, "discount"),
        (TaxRate, "tax_rate"),
        (OrderOwner, "order_owner"),
        (AmountReceived, "amount_received"),
        (ReceivedOn, "received_on"),
    ]
}

/// Every product target with its `<select>` value; labels as the export's
/// headers.
fn product_targets() -> [(Target, &'static str); 8] {
    use Target::*;
    [
        (ProductCode, "product_code"),
        (ProductName, "product_name"),
        (Unit, "unit"),
        (Category, "category"),
        (ListPrice, "list_price"),
        (StandardCost, "standard_cost"),
        (Active, "active"),
        (LowStockThreshold, "low_stock_threshold"),
    ]
}

/// Every built-in target with its `<select>` value and label.
fn built_in_targets() -> Vec<(Target, &'static str, Msg)> {
    let mut all = customer_targets().to_vec();
    all.extend(
        product_targets().into_iter().filter_map(|(target, code)| {
            product_column_msg(&target).map(|msg| (target, code, msg))
        }),
    );
    all.extend(
        order_targets()
            .into_iter()
            .filter_map(|(target, code)| order_column_msg(&target).map(|msg| (target, code, msg))),
    );
    all
}

fn customer_targets() -> [(Target, &'static str, Msg); 20] {
    use Target::*;
    [
        (Ignore, "ignore", Msg::TargetIgnore),
        (CustomerName, "customer_name", Msg::ExportCustomerName),
        (CustomerType, "customer_type", Msg::CustomerType),
        (Kind, "kind", Msg::ExportKind),
        (Phone, "phone", Msg::Phone),
        (Email, "email", Msg::Email),
        (Region, "region", Msg::Region),
        (Industry, "industry", Msg::Industry),
        (Source, "source", Msg::Source),
        (Grade, "grade", Msg::Grade),
        (Tags, "tags", Msg::Tags),
        (Address, "address", Msg::Address),
        (Website, "website", Msg::Website),
        (Notes, "notes", Msg::Notes),
        (ContactName, "contact_name", Msg::TargetContactName),
        (ContactTitle, "contact_title", Msg::TargetContactTitle),
        (ContactPhone, "contact_phone", Msg::TargetContactPhone),
        (ContactEmail, "contact_email", Msg::TargetContactEmail),
        (ContactWechat, "contact_wechat", Msg::TargetContactWechat),
        (ContactRole, "contact_role", Msg::TargetContactRole),
    ]
}

fn target_code(t: &Target) -> String {
    match t {
        Target::Custom(key) => format!("custom:{key}"),
        other => built_in_targets()
            .into_iter()
            .find(|(target, ..)| target == other)
            .map_or_else(String::new, |(_, code, _)| code.to_string()),
    }
}

fn parse_target(code: &str) -> Target {
    match code.strip_prefix("custom:") {
        Some(key) => Target::Custom(key.to_string()),
        None => built_in_targets()
            .into_iter()
            .find(|(_, c, _)| *c == code)
            .map_or(Target::Ignore, |(target, ..)| target),
    }
}

/// (value, label) of every choice of the mapping `<select>`: the targets
/// of the job's kind.
fn target_choices(preview: &ImportPreview, i18n: I18n) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = built_in_targets()
        .into_iter()
        .filter(|(target, ..)| target.kind().is_none_or(|k| k == preview.kind))
        .map(|(_, code, msg)| (code.to_string(), msg.text(i18n.now()).to_string()))
        .collect();
    all.extend(
        preview
            .custom_fields
            .iter()
            .map(|(key, label)| (format!("custom:{key}"), label.clone())),
    );
    all
}

/// The mapping page of a job, `/customers/import/:job` or
/// `/products/import/:job`.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let i18n = use_i18n();
    // The heading and the way back before the job is read; the job's own
    // kind decides the rest.
    let path = use_location().pathname.get_untracked();
    let texts = kind_texts(if path.starts_with("/products") {
        ImportKind::Products
    } else if path.starts_with("/contracts") {
        ImportKind::Orders
    } else {
        ImportKind::Customers
    });
    let params = use_params_map();
    let job = move || params.with(|p| p.get("job").and_then(|s| s.parse::<Id>().ok()));
    let preview = Resource::new(job, |job| async move {
        let job = job.ok_or(guanxi_core::Error::NotFound)?;
        // Both calls start in the first poll (see the customer edit page).
        futures::try_join!(get_import_preview(job), get_customer_types())
    });
    view! {
        <PageHeader title=texts.title />
        <Transition fallback=move || view! { <p class="muted">{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok((p, types)) => view! { <ColumnMapping preview=p types=types /> }.into_any(),
                    Err(e) => view! {
                        <p class="alert alert-error">{e.text(i18n.now())}</p>
                        <a class="btn" href=texts.upload>{i18n.t(texts.title)}</a>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ColumnMapping(preview: ImportPreview, types: CustomerTypes) -> impl IntoView {
    let i18n = use_i18n();
    let job = preview.job;
    let kind = preview.kind;
    let texts = kind_texts(kind);
    let mapping = RwSignal::new(preview.suggested.clone());
    let type_map = RwSignal::new(TypeMapping::new());
    let mode = RwSignal::new(DuplicateMode::Skip);
    let dry_run = ServerAction::<ImportDryRun>::new();
    let run = ServerAction::<RunImport>::new();
    let error = Signal::derive(move || {
        last_error(run.value())
            .get()
            .or_else(|| last_error(dry_run.value()).get())
    });
    let progress = use_import_progress(job, run);
    let info = file_info(&preview, i18n);
    let finished = move || run.value().get().and_then(|r| r.ok());
    view! {
        <p class="muted" id="import-info">{info}</p>
        <section class="card">
            <h2>{i18n.t(Msg::ImportMappingTitle)}</h2>
            <MappingTable preview=preview mapping=mapping />
            <DuplicateModeChoice mode=mode kind=kind />
            <FormAlert error=error fields=&[] />
            <div class="form-actions">
                <button type="button" class="btn" id="dry-run" disabled=move || dry_run.pending().get() || run.pending().get()
                    on:click=move |_| { dry_run.dispatch(ImportDryRun { job, mapping: mapping.get_untracked(), mode: mode.get_untracked(), types: type_map.get_untracked() }); }>
                    {i18n.t(Msg::DryRun)}
                </button>
                <button type="button" class="btn btn-primary" id="run-import" disabled=move || run.pending().get() || finished().is_some()
                    on:click=move |_| { run.dispatch(RunImport { job, mapping: mapping.get_untracked(), mode: mode.get_untracked(), types: type_map.get_untracked() }); }>
                    {i18n.t(Msg::RunImport)}
                </button>
            </div>
            <Show when=move || run.pending().get()>
                <ImportProgress progress=progress />
            </Show>
        </section>
        {move || finished().map(|plan| view! {
            <div class="alert alert-info" role="status" id="import-finished">
                {i18n.t(Msg::ImportFinished)} " " {plan_summary(&plan, kind, i18n)} " "
                <a href=texts.list>{i18n.t(texts.view_list)}</a>
            </div>
            <ProblemTable plan=plan />
        })}
        {move || (finished().is_none()).then(|| dry_run.value().get().and_then(|r| r.ok()).map(|plan| view! {
            <div class="alert alert-info" role="status" id="dry-run-summary">{plan_summary(&plan, kind, i18n)}</div>
            <UnknownTypes unknown=plan.unknown_types.clone() types=types.clone() type_map=type_map />
            <ProblemTable plan=plan />
        }))}
    }
}

/// The type values the company does not know, each with a choice: import
/// those rows as an existing type, or (admins) create the type first.
#[component]
fn UnknownTypes(
    unknown: Vec<UnknownType>,
    types: CustomerTypes,
    type_map: RwSignal<TypeMapping>,
) -> impl IntoView {
    let i18n = use_i18n();
    let may_create = crate::layout::use_current_user().role.is_admin();
    let existing = super::type_options(i18n, &types, None);
    (!unknown.is_empty()).then(|| {
        view! {
            <section class="card" id="unknown-types">
                <h2>{i18n.t(Msg::UnknownTypesTitle)}</h2>
                <p class="muted">{i18n.t(Msg::UnknownTypesHint)}</p>
                <ul class="plain-list">
                    {unknown.into_iter().map(|u| {
                        let value = u.value.clone();
                        let label = fill(Msg::UnknownTypeRows.text(i18n.now()), &[("value", &u.value), ("n", &u.rows.to_string())]);
                        let current = type_map.with_untracked(|m| match m.get(&u.value) {
                            Some(TypeChoice::Existing(code)) => format!("existing:{code}"),
                            Some(TypeChoice::Create) => "create".to_string(),
                            None => String::new(),
                        });
                        let create_label = fill(Msg::CreateTypeOption.text(i18n.now()), &[("value", &u.value)]);
                        view! {
                            <li class="field-row unknown-type">
                                <label class="field">
                                    <span>{label.clone()}</span>
                                    <select class="map-type" aria-label=label on:change=move |ev| {
                                        let choice = event_target_value(&ev);
                                        type_map.update(|m| {
                                            match choice.strip_prefix("existing:") {
                                                Some(code) => { m.insert(value.clone(), TypeChoice::Existing(code.to_string())); }
                                                None if choice == "create" => { m.insert(value.clone(), TypeChoice::Create); }
                                                None => { m.remove(&value); }
                                            }
                                        });
                                    }>
                                        <option value="" selected=current.is_empty()>{i18n.t(Msg::MapTypeChoose)}</option>
                                        {existing.iter().map(|(code, name)| {
                                            let v = format!("existing:{code}");
                                            let selected = v == current;
                                            view! { <option value=v selected=selected>{name.clone()}</option> }
                                        }).collect_view()}
                                        {may_create.then(|| view! { <option value="create" selected=current == "create">{create_label}</option> })}
                                    </select>
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// Polls the import's progress while its request is in flight; the request
/// itself answers only when the import is done.
fn use_import_progress(job: Id, run: ServerAction<RunImport>) -> RwSignal<Option<(usize, usize)>> {
    let progress = RwSignal::new(None::<(usize, usize)>);
    Effect::new(move || {
        if !run.pending().get() {
            return;
        }
        let poll = move || {
            leptos::task::spawn_local(async move {
                if let Ok(ImportStatus::Running { done, total }) = get_import_status(job).await {
                    progress.set(Some((done, total)));
                }
            })
        };
        if let Ok(handle) = set_interval_with_handle(poll, std::time::Duration::from_millis(400)) {
            Effect::new(move || {
                if !run.pending().get() {
                    handle.clear();
                }
            });
        }
    });
    progress
}

/// "file.csv, 1,234 rows, read as GB18030".
fn file_info(preview: &ImportPreview, i18n: I18n) -> String {
    fill(
        Msg::ImportFileInfo.text(i18n.now()),
        &[
            ("file", &preview.file_name),
            ("rows", &preview.rows.to_string()),
            (
                "encoding",
                match preview.encoding.as_str() {
                    "gb18030" => Msg::EncodingGb18030.text(i18n.now()),
                    "utf8_bom" => Msg::EncodingUtf8Bom.text(i18n.now()),
                    "utf16" => Msg::EncodingUtf16.text(i18n.now()),
                    _ => Msg::EncodingUtf8.text(i18n.now()),
                },
            ),
        ],
    )
}

/// A row per column of the file: its header, a few sample values, and the
/// customer or contact field it goes to.
#[component]
fn MappingTable(preview: ImportPreview, mapping: RwSignal<Vec<Target>>) -> impl IntoView {
    let i18n = use_i18n();
    let choices = target_choices(&preview, i18n);
    // The buttons below work only once hydrated; tests wait for this mark.
    let table = NodeRef::<leptos::html::Table>::new();
    Effect::new(move || {
        if let Some(table) = table.get() {
            let _ = table.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <div class="table-wrap">
            <table class="table" id="mapping-table" node_ref=table>
                <thead>
                    <tr>
                        <th>{i18n.t(Msg::Column)}</th>
                        <th>{i18n.t(Msg::SampleValues)}</th>
                        <th>{i18n.t(Msg::MapTo)}</th>
                    </tr>
                </thead>
                <tbody>
                    {preview.headers.iter().enumerate().map(|(n, header)| {
                        let sample: Vec<String> = preview.sample.iter().take(3).filter_map(|row| row.get(n).cloned()).filter(|v| !v.is_empty()).collect();
                        let current = target_code(&preview.suggested[n]);
                        view! {
                            <tr>
                                <td class="strong">{header.clone()}</td>
                                <td class="muted-cell">{sample.join(" · ")}</td>
                                <td>
                                    <select class="map-target" id=format!("map-{n}") aria-label=header.clone() on:change=move |ev| {
                                        let target = parse_target(&event_target_value(&ev));
                                        mapping.update(|m| m[n] = target);
                                    }>
                                        {choices.iter().map(|(code, label)| {
                                            let selected = *code == current;
                                            view! { <option value=code.clone() selected=selected>{label.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// What to do with a row that matches an existing customer, or a product
/// row whose code exists: as codes are unique, "create" makes it a failed
/// row, and says so. An order whose number exists is skipped or failed:
/// an import never changes a contract, so there is no update.
#[component]
fn DuplicateModeChoice(mode: RwSignal<DuplicateMode>, kind: ImportKind) -> impl IntoView {
    let i18n = use_i18n();
    let (legend, create) = match kind {
        ImportKind::Customers => (Msg::DuplicateHandling, Msg::DupCreate),
        ImportKind::Products => (Msg::DuplicateProductHandling, Msg::DupProductFail),
        ImportKind::Orders => (Msg::DuplicateOrderHandling, Msg::DupOrderFail),
    };
    let may_update = kind != ImportKind::Orders;
    view! {
        <fieldset class="radio-row" id="duplicate-mode">
            <legend>{i18n.t(legend)}</legend>
            {[(DuplicateMode::Skip, Msg::DupSkip, "skip"), (DuplicateMode::Update, Msg::DupUpdate, "update"), (DuplicateMode::Create, create, "create")]
                .into_iter()
                .filter(move |(value, ..)| may_update || *value != DuplicateMode::Update)
                .map(|(value, label, code)| view! {
                    <label class="check">
                        <input type="radio" name="mode" value=code checked=value == DuplicateMode::Skip on:change=move |_| mode.set(value) />
                        {i18n.t(label)}
                    </label>
                })
                .collect_view()}
        </fieldset>
    }
}

fn plan_summary(plan: &ImportPlan, kind: ImportKind, i18n: I18n) -> String {
    if kind == ImportKind::Orders {
        return fill(
            Msg::OrderPlanSummary.text(i18n.now()),
            &[
                ("create", &plan.create.to_string()),
                ("lines", &plan.lines.to_string()),
                ("payments", &plan.payments.to_string()),
                ("skip", &plan.skip.to_string()),
                ("failed", &plan.failed.to_string()),
            ],
        );
    }
    fill(
        Msg::PlanSummary.text(i18n.now()),
        &[
            ("create", &plan.create.to_string()),
            ("update", &plan.update.to_string()),
            ("skip", &plan.skip.to_string()),
            ("failed", &plan.failed.to_string()),
        ],
    )
}

#[component]
fn ImportProgress(progress: RwSignal<Option<(usize, usize)>>) -> impl IntoView {
    let i18n = use_i18n();
    let (done, total) = (
        move || progress.get().map_or(0, |p| p.0),
        move || progress.get().map_or(0, |p| p.1),
    );
    view! {
        <div class="progress" id="import-progress">
            <progress max=move || total().max(1) value=done></progress>
            <span class="muted">{move || fill(i18n.t(Msg::Importing)(), &[("done", &done().to_string()), ("total", &total().to_string())])}</span>
        </div>
    }
}

#[component]
fn ProblemTable(plan: ImportPlan) -> impl IntoView {
    let i18n = use_i18n();
    (!plan.problems.is_empty()).then(|| {
        view! {
            <section class="card">
                <h2>{i18n.t(Msg::ProblemsTitle)}</h2>
                <div class="table-wrap">
                    <table class="table" id="import-problems">
                        <thead>
                            <tr>
                                <th>{i18n.t(Msg::RowNumber)}</th>
                                <th>{i18n.t(Msg::Column)}</th>
                                <th>{i18n.t(Msg::ProblemText)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {plan.problems.into_iter().map(|p| view! {
                                <tr class="problem-row">
                                    <td class="row-number">{p.row}</td>
                                    <td>{p.column.unwrap_or_default()}</td>
                                    <td>{move || error_text(&p.error, i18n.locale.get())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    })
}
