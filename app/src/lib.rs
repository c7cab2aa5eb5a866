//! Guanxi's user interface: pages, components and the server functions behind
//! them. Compiled twice: with `ssr` into the server, with `hydrate` into WASM.
// Leptos view types nest deeply; rendering them needs the higher limit.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod format;
pub mod i18n;
pub mod layout;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use guanxi_core::model::Viewer;
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};

pub use guanxi_core::model as types;

use crate::error::AppError;
use crate::i18n::I18n;
use crate::layout::AppLayout;
use crate::pages::contracts::{
    ContractsPage, detail::ContractPage, import::OrderImportPage, receivables::ReceivablesPage,
};
use crate::pages::customers::{
    detail::CustomerPage,
    edit::EditCustomerPage,
    import::{ImportJobPage, ImportPage},
    list::{CustomerListPage, PoolPage},
    new::NewCustomerPage,
    recycle_bin::RecycleBinPage,
};
use crate::pages::deals::{
    approvals::ApprovalsPage,
    board::BoardPage,
    deal::DealPage,
    form::{EditDealPage, NewDealPage},
    pipelines_admin::PipelinesAdminPage,
};
use crate::pages::expenses::ExpensesPage;
use crate::pages::products::{ProductsPage, import::ProductImportPage};
use crate::pages::quotes::{
    QuotesPage,
    detail::QuotePage,
    form::{EditQuotePage, NewQuotePage},
    print::QuotePrintPage,
};
use crate::pages::reports::activity::ActivityReportPage;
use crate::pages::reports::customers::CustomerReportPage;
use crate::pages::reports::pipeline::PipelineReportPage;
use crate::pages::reports::revenue::RevenueReportPage;
use crate::pages::stock::StockPage;
use crate::pages::targets::TargetsPage;
use crate::pages::targets::planner::PlannerPage;
use crate::pages::targets::progress::TargetProgressPage;
use crate::pages::{
    account::AccountPage, audit::AuditPage, backups::BackupsPage, handover::HandoverPage,
    home::HomePage, login::LoginPage, not_found::NotFoundPage, settings::SettingsPage,
    setup::SetupPage, tasks::TasksPage, users::UsersPage,
};

/// Where the browser bundle's files are: `/pkg/<hash of the bundle>/…`.
#[derive(Clone, Debug, Default)]
pub struct AssetNames {
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// For each lazily loaded function (a lazy route's view), the split
    /// files it needs, so a page can preload them with its main module.
    /// Made once: every page shares it (a copy per page was some 4,000
    /// strings).
    pub split: leptos::WasmSplitManifest,
}

pub fn shell(assets: AssetNames) -> impl IntoView {
    // Leptos' integration reads this to preload the split files of the lazy
    // routes a page renders (as its HydrationScripts would provide it).
    #[cfg(feature = "ssr")]
    provide_context(assets.split.clone());
    // Same loader as Leptos' HydrationScripts, but with our hashed file names.
    let loader = format!(
        "import init, {{ hydrate }} from '{js}';\
         init({{ module_or_path: '{wasm}' }}).then(function () {{ hydrate(); }});",
        js = assets.js,
        wasm = assets.wasm,
    );
    #[cfg(feature = "ssr")]
    ssr::set_page_security_policy();
    let nonce = leptos::nonce::use_nonce();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="data:," />
                <link rel="stylesheet" href=assets.css />
                <link rel="modulepreload" href=assets.js />
                <link rel="preload" href=assets.wasm r#as="fetch" r#type="application/wasm" crossorigin="" />
                <script type="module" nonce=nonce inner_html=loader></script>
                <meta name=VIEWER_META content=viewer_json() />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Who is looking, settled for the life of a page: signing in or out and
/// setup reload it.
pub type PageViewer = Result<Viewer, AppError>;

/// The `<meta>` that carries the viewer from the server to the browser.
const VIEWER_META: &str = "guanxi-viewer";

/// The server writes the viewer into the page head and the browser reads it
/// back before hydrating, so no `Suspense` has to wait for it above the
/// routes (one there makes the server build each page more than once, and
/// the extra resources shift the ids the browser hydrates against).
#[cfg(feature = "ssr")]
fn viewer_json() -> String {
    serde_json::to_string(&api::session::viewer_of_request()).unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn viewer_json() -> String {
    String::new()
}

fn page_viewer() -> PageViewer {
    #[cfg(feature = "ssr")]
    {
        api::session::viewer_of_request()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .query_selector(&format!("meta[name='{VIEWER_META}']"))
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_else(|| {
                Err(guanxi_core::Error::Internal("no viewer in the page".into()).into())
            })
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let viewer = page_viewer();
    let chosen = RwSignal::new(None);
    let viewer_locale = viewer.as_ref().map(|v| v.locale).unwrap_or_default();
    let locale = Memo::new(move |_| chosen.get().unwrap_or(viewer_locale));
    let currency = StoredValue::new(
        viewer
            .as_ref()
            .map(|v| v.currency.clone())
            .unwrap_or_else(|_| types::DEFAULT_CURRENCY.to_string()),
    );
    provide_context(viewer);
    provide_context(I18n {
        locale,
        chosen,
        currency,
    });
    // Signed-in pages are lazy routes and say so themselves once their code
    // has arrived and hydrated (`PageReady`); the sign-in and setup pages are
    // in the main module and ready with it.
    Effect::new(|| {
        let path = document().location().and_then(|l| l.pathname().ok());
        if path.is_some_and(|p| is_public_page(&p)) {
            mark_page_ready();
        }
    });

    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=AppLayout ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<HomeRoute>::new()} />
                    <Route path=path!("customers") view={Lazy::<CustomerListRoute>::new()} />
                    <Route path=path!("customers/new") view={Lazy::<NewCustomerRoute>::new()} />
                    <Route path=path!("customers/import") view={Lazy::<ImportRoute>::new()} />
                    <Route path=path!("customers/import/:job") view={Lazy::<ImportJobRoute>::new()} />
                    <Route path=path!("pool") view={Lazy::<PoolRoute>::new()} />
                    <Route path=path!("customers/:id") view={Lazy::<CustomerRoute>::new()} />
                    <Route path=path!("customers/:id/edit") view={Lazy::<EditCustomerRoute>::new()} />
                    <Route path=path!("pipeline") view={Lazy::<BoardRoute>::new()} />
                    <Route path=path!("reports/pipeline") view={Lazy::<PipelineReportRoute>::new()} />
                    <Route path=path!("reports/activity") view={Lazy::<ActivityReportRoute>::new()} />
                    <Route path=path!("reports/customers") view={Lazy::<CustomerReportRoute>::new()} />
                    <Route path=path!("reports/revenue") view={Lazy::<RevenueReportRoute>::new()} />
                    <Route path=path!("deals/new") view={Lazy::<NewDealRoute>::new()} />
                    <Route path=path!("deals/:id") view={Lazy::<DealRoute>::new()} />
                    <Route path=path!("deals/:id/edit") view={Lazy::<EditDealRoute>::new()} />
                    <Route path=path!("products") view={Lazy::<ProductsRoute>::new()} />
                    <Route path=path!("products/import") view={Lazy::<ProductImportRoute>::new()} />
                    <Route path=path!("products/import/:job") view={Lazy::<ImportJobRoute>::new()} />
                    <Route path=path!("quotes") view={Lazy::<QuotesRoute>::new()} />
                    <Route path=path!("quotes/new") view={Lazy::<NewQuoteRoute>::new()} />
                    <Route path=path!("quotes/:id") view={Lazy::<QuoteRoute>::new()} />
                    <Route path=path!("quotes/:id/edit") view={Lazy::<EditQuoteRoute>::new()} />
                    <Route path=path!("quotes/:id/print") view={Lazy::<QuotePrintRoute>::new()} />
                    <Route path=path!("contracts") view={Lazy::<ContractsRoute>::new()} />
                    <Route path=path!("contracts/import") view={Lazy::<OrderImportRoute>::new()} />
                    <Route path=path!("contracts/import/:job") view={Lazy::<ImportJobRoute>::new()} />
                    <Route path=path!("contracts/:id") view={Lazy::<ContractRoute>::new()} />
                    <Route path=path!("receivables") view={Lazy::<ReceivablesRoute>::new()} />
                    <Route path=path!("stock") view={Lazy::<StockRoute>::new()} />
                    <Route path=path!("expenses") view={Lazy::<ExpensesRoute>::new()} />
                    <Route path=path!("targets") view={Lazy::<TargetsRoute>::new()} />
                    <Route path=path!("targets/:id") view={Lazy::<TargetProgressRoute>::new()} />
                    <Route path=path!("planner") view={Lazy::<PlannerRoute>::new()} />
                    <Route path=path!("tasks") view={Lazy::<TasksRoute>::new()} />
                    <Route path=path!("admin/users") view={Lazy::<UsersRoute>::new()} />
                    <Route path=path!("admin/users/:id/handover") view={Lazy::<HandoverRoute>::new()} />
                    <Route path=path!("approvals") view={Lazy::<ApprovalsRoute>::new()} />
                    <Route path=path!("admin/settings") view={Lazy::<SettingsRoute>::new()} />
                    <Route path=path!("admin/pipelines") view={Lazy::<PipelinesAdminRoute>::new()} />
                    <Route path=path!("admin/recycle-bin") view={Lazy::<RecycleBinRoute>::new()} />
                    <Route path=path!("admin/backups") view={Lazy::<BackupsRoute>::new()} />
                    <Route path=path!("admin/audit") view={Lazy::<AuditRoute>::new()} />
                    <Route path=path!("account") view={Lazy::<AccountRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Marks `<body data-hydrated>`: the page is interactive, for people
/// debugging and for the browser tests.
pub fn mark_page_ready() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Effects run only in the browser, after hydration: placed last in a page,
/// this one runs once the page's own code has arrived and hydrated.
#[component]
pub fn PageReady() -> impl IntoView {
    Effect::new(mark_page_ready);
}

/// A page whose code the browser fetches the first time it is shown (see
/// `cargo xtask bundle`): the first visit downloads the shell, the router,
/// the sign-in and setup pages, and no more.
macro_rules! lazy_page {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let $route = this;
                view! { <$page /> <PageReady /> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    HomeRoute => HomePage,
    CustomerListRoute => CustomerListPage,
    NewCustomerRoute => NewCustomerPage,
    ImportRoute => ImportPage,
    ImportJobRoute => ImportJobPage,
    PoolRoute => PoolPage,
    CustomerRoute => CustomerPage,
    EditCustomerRoute => EditCustomerPage,
    BoardRoute => BoardPage,
    PipelineReportRoute => PipelineReportPage,
    ActivityReportRoute => ActivityReportPage,
    CustomerReportRoute => CustomerReportPage,
    RevenueReportRoute => RevenueReportPage,
    NewDealRoute => NewDealPage,
    DealRoute => DealPage,
    EditDealRoute => EditDealPage,
    ProductsRoute => ProductsPage,
    ProductImportRoute => ProductImportPage,
    OrderImportRoute => OrderImportPage,
    QuotesRoute => QuotesPage,
    NewQuoteRoute => NewQuotePage,
    QuoteRoute => QuotePage,
    EditQuoteRoute => EditQuotePage,
    QuotePrintRoute => QuotePrintPage,
    ContractsRoute => ContractsPage,
    ContractRoute => ContractPage,
    ReceivablesRoute => ReceivablesPage,
    StockRoute => StockPage,
    ExpensesRoute => ExpensesPage,
    TargetsRoute => TargetsPage,
    TargetProgressRoute => TargetProgressPage,
    PlannerRoute => PlannerPage,
    TasksRoute => TasksPage,
    UsersRoute => UsersPage,
    HandoverRoute => HandoverPage,
    ApprovalsRoute => ApprovalsPage,
    SettingsRoute => SettingsPage,
    PipelinesAdminRoute => PipelinesAdminPage,
    RecycleBinRoute => RecycleBinPage,
    BackupsRoute => BackupsPage,
    AuditRoute => AuditPage,
    AccountRoute => AccountPage,
}

/// Pages that need no sign-in.
pub fn is_public_page(path: &str) -> bool {
    matches!(path, "/login" | "/setup")
}
