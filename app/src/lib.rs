//! Guanxi's user interface: pages, components and the server functions behind
//! them. Compiled twice: with `ssr` into the server, with `hydrate` into WASM.
// Leptos view types nest deeply; rendering them needs the higher limit.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod i18n;
pub mod layout;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use guanxi_core::model::Viewer;
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

pub use guanxi_core::model as types;

use crate::error::AppError;
use crate::i18n::I18n;
use crate::layout::AppLayout;
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
use crate::pages::{
    account::AccountPage, handover::HandoverPage, home::HomePage, login::LoginPage,
    not_found::NotFoundPage, settings::SettingsPage, setup::SetupPage, tasks::TasksPage,
    users::UsersPage,
};

/// The content-hashed file names of the browser bundle.
#[derive(Clone, Debug)]
pub struct AssetNames {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

pub fn shell(assets: AssetNames) -> impl IntoView {
    // Same loader as Leptos' HydrationScripts, but with our hashed file names.
    let loader = format!(
        "import init, {{ hydrate }} from '{js}';\
         init({{ module_or_path: '{wasm}' }}).then(function () {{ hydrate(); }});",
        js = assets.js,
        wasm = assets.wasm,
    );
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
                <script type="module" inner_html=loader></script>
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
    provide_context(viewer);
    provide_context(I18n { locale, chosen });
    // Effects run only in the browser, after hydration: a marker that the page is
    // interactive, for people debugging and for the browser tests.
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=AppLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=HomePage />
                    <Route path=path!("customers") view=CustomerListPage />
                    <Route path=path!("customers/new") view=NewCustomerPage />
                    <Route path=path!("customers/import") view=ImportPage />
                    <Route path=path!("customers/import/:job") view=ImportJobPage />
                    <Route path=path!("pool") view=PoolPage />
                    <Route path=path!("customers/:id") view=CustomerPage />
                    <Route path=path!("customers/:id/edit") view=EditCustomerPage />
                    <Route path=path!("pipeline") view=BoardPage />
                    <Route path=path!("deals/new") view=NewDealPage />
                    <Route path=path!("deals/:id") view=DealPage />
                    <Route path=path!("deals/:id/edit") view=EditDealPage />
                    <Route path=path!("tasks") view=TasksPage />
                    <Route path=path!("admin/users") view=UsersPage />
                    <Route path=path!("admin/users/:id/handover") view=HandoverPage />
                    <Route path=path!("approvals") view=ApprovalsPage />
                    <Route path=path!("admin/settings") view=SettingsPage />
                    <Route path=path!("admin/pipelines") view=PipelinesAdminPage />
                    <Route path=path!("admin/recycle-bin") view=RecycleBinPage />
                    <Route path=path!("account") view=AccountPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Pages that need no sign-in.
pub fn is_public_page(path: &str) -> bool {
    matches!(path, "/login" | "/setup")
}
