//! The frame around every page: sidebar, header, and the bare centred layout of
//! the sign-in and setup pages.

use guanxi_core::model::{User, Viewer};
use leptos::prelude::*;
use leptos_meta::{Html, Title};
use leptos_router::components::{A, Outlet};

use crate::PageViewer;
use crate::api::session::LogOut;
use crate::components::header_search::HeaderSearch;
use crate::components::language_switch::LanguageSwitch;
use crate::components::quick_entry::{QuickEntry, QuickEntrySaved};
use crate::i18n::{Msg, role_msg, use_i18n};

/// The signed-in user, provided to every page inside the app frame.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub User);

pub fn use_current_user() -> User {
    expect_context::<CurrentUser>().0
}

/// A full page load, for moves that change who is signed in: every resource
/// starts again from the server's view of the new session.
pub fn go_to(path: &str) {
    let _ = window().location().set_href(path);
}

/// Sets the document's language and title from the reader's language.
#[component]
pub fn DocumentMeta() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale_lasting();
    view! {
        <Html {..} lang=move || locale().code() />
        <Title text=i18n.t_lasting(Msg::AppName) />
    }
}

/// Renders with the page's viewer.
#[component]
pub fn WithViewer(render: impl Fn(Viewer) -> AnyView + Send + Sync + 'static) -> impl IntoView {
    match expect_context::<PageViewer>() {
        Ok(v) => view! { <DocumentMeta />{render(v)} }.into_any(),
        Err(e) => {
            view! { <p class="alert alert-error">{e.text(Default::default())}</p> }.into_any()
        }
    }
}

/// The centred card of the sign-in, setup and error pages.
#[component]
pub fn BareLayout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="bare">
            <div class="bare-top">
                <span class="brand-mark">"关"</span>
                <span class="brand-name">{i18n.t(Msg::AppName)}</span>
                <span class="spacer"></span>
                <LanguageSwitch />
            </div>
            <main class="bare-card">{children()}</main>
        </div>
    }
}

#[component]
pub fn AppLayout() -> impl IntoView {
    view! {
        <WithViewer render=|viewer: Viewer| match viewer.user {
            Some(user) => view! { <Frame user=user company=viewer.company_name.unwrap_or_default() /> }.into_any(),
            None => view! { <SignedOut /> }.into_any(),
        } />
    }
}

/// Shown when a page is opened after the session ended in another tab.
#[component]
fn SignedOut() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <BareLayout>
            <p>{i18n.t(Msg::ErrUnauthenticated)}</p>
            <a class="btn btn-primary" href="/login" rel="external">{i18n.t(Msg::SignInAgain)}</a>
        </BareLayout>
    }
}

/// The sidebar's links, in order; admins also see the ones marked `admin`,
/// under a heading of their own.
const NAV_LINKS: &[NavLink] = &[
    NavLink::new("/", "⌂", Msg::NavHome),
    NavLink::new("/customers", "◆", Msg::NavCustomers),
    NavLink::new("/pool", "◌", Msg::NavPool),
    NavLink::new("/pipeline", "▥", Msg::NavPipeline),
    NavLink::new("/reports/pipeline", "▦", Msg::NavReports),
    NavLink::new("/reports/activity", "☏", Msg::NavActivityReport),
    NavLink::new("/reports/customers", "◔", Msg::NavCustomerReport),
    NavLink::new("/reports/revenue", "￥", Msg::NavRevenueReport),
    NavLink::new("/targets", "⊙", Msg::NavTargets),
    NavLink::new("/quotes", "¶", Msg::NavQuotes),
    NavLink::new("/contracts", "§", Msg::NavContracts),
    NavLink::new("/receivables", "¥", Msg::NavReceivables),
    NavLink::new("/products", "▤", Msg::NavProducts),
    // Everyone sees what is on hand (a rep promises delivery dates from
    // it); the page offers purchases and adjustments to admins and
    // managers only, as the service allows.
    NavLink::new("/stock", "▣", Msg::NavStock),
    NavLink::new("/expenses", "¤", Msg::NavExpenses),
    NavLink::new("/approvals", "⚑", Msg::NavApprovals),
    NavLink::new("/tasks", "✓", Msg::NavTasks),
    NavLink::new("/account", "◎", Msg::NavAccount),
    NavLink::admin("/admin/users", "☷", Msg::NavUsers),
    NavLink::admin("/admin/pipelines", "▤", Msg::NavPipelines),
    NavLink::admin("/admin/settings", "⚙", Msg::NavSettings),
    NavLink::admin("/admin/recycle-bin", "♻", Msg::NavRecycleBin),
    NavLink::admin("/admin/backups", "⛁", Msg::NavBackups),
    NavLink::admin("/admin/audit", "☰", Msg::NavAudit),
];

struct NavLink {
    href: &'static str,
    icon: &'static str,
    label: Msg,
    admin: bool,
}

impl NavLink {
    const fn new(href: &'static str, icon: &'static str, label: Msg) -> Self {
        NavLink {
            href,
            icon,
            label,
            admin: false,
        }
    }

    const fn admin(href: &'static str, icon: &'static str, label: Msg) -> Self {
        NavLink {
            admin: true,
            ..NavLink::new(href, icon, label)
        }
    }
}

#[component]
fn Frame(user: User, company: String) -> impl IntoView {
    let menu_open = RwSignal::new(false);
    let is_admin = user.role.is_admin();
    provide_context(CurrentUser(user.clone()));
    provide_context(QuickEntrySaved(RwSignal::new(0)));
    let quick_open = RwSignal::new(false);
    use_shortcuts(quick_open);
    view! {
        <div class="app" class:menu-open=move || menu_open.get()>
            <Sidebar is_admin=is_admin menu_open=menu_open />
            <div class="scrim" on:click=move |_| menu_open.set(false)></div>
            <div class="main">
                <TopBar user=user company=company menu_open=menu_open quick_open=quick_open />
                <main class="content">
                    <Outlet />
                </main>
                <QuickEntry open=quick_open />
            </div>
        </div>
    }
}

/// `/` goes to the search box and `N` opens quick entry, unless the user is
/// typing somewhere.
fn use_shortcuts(quick_open: RwSignal<bool>) {
    Effect::new(move || {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            let typing = ev
                .target()
                .and_then(|t| {
                    leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(t).ok()
                })
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        || el.is_content_editable()
                });
            if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            match ev.key().as_str() {
                "/" => {
                    if let Some(search) = document().get_element_by_id("header-search")
                        && let Ok(search) = leptos::wasm_bindgen::JsCast::dyn_into::<
                            leptos::web_sys::HtmlElement,
                        >(search)
                    {
                        ev.prevent_default();
                        let _ = search.focus();
                    }
                }
                "n" | "N" => {
                    ev.prevent_default();
                    quick_open.set(true);
                }
                _ => {}
            }
        });
        on_cleanup(move || handle.remove());
    });
}

#[component]
fn Sidebar(is_admin: bool, menu_open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |link: &'static NavLink| {
        view! {
            <A href=link.href exact=link.href == "/">
                <span class="nav-icon" aria-hidden="true">{link.icon}</span>
                {i18n.t(link.label)}
            </A>
        }
    };
    let links = move |admin: bool| {
        NAV_LINKS
            .iter()
            .filter(|l| l.admin == admin)
            .map(link)
            .collect_view()
    };
    view! {
        <aside class="sidebar" on:click=move |_| menu_open.set(false)>
            <div class="sidebar-inner">
                <div class="brand">
                    <span class="brand-mark">"关"</span>
                    <span class="brand-name">{i18n.t(Msg::AppName)}</span>
                </div>
                <nav class="nav" aria-label=i18n.t(Msg::Menu)>
                    {links(false)}
                    {is_admin.then(|| view! {
                        <p class="nav-section">{i18n.t(Msg::NavAdminSection)}</p>
                        {links(true)}
                    })}
                </nav>
            </div>
        </aside>
    }
}

#[component]
fn TopBar(
    user: User,
    company: String,
    menu_open: RwSignal<bool>,
    quick_open: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <button
                type="button"
                class="btn btn-icon menu-toggle"
                aria-label=i18n.t(Msg::Menu)
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|open| *open = !*open)
            >
                "☰"
            </button>
            <span class="company-name">{company}</span>
            <HeaderSearch />
            <button type="button" class="btn btn-primary btn-small quick-entry-button" id="quick-entry-button"
                title=i18n.t(Msg::QuickEntryHint) on:click=move |_| quick_open.set(true)>
                "+ " {i18n.t(Msg::QuickEntry)}
            </button>
            <span class="spacer"></span>
            <LanguageSwitch />
            <UserBadge user=user />
        </header>
    }
}

#[component]
fn UserBadge(user: User) -> impl IntoView {
    let i18n = use_i18n();
    let log_out = ServerAction::<LogOut>::new();
    Effect::new(move || {
        if let Some(Ok(())) = log_out.value().get() {
            go_to("/login");
        }
    });
    let initial: String = user
        .name
        .chars()
        .next()
        .map(String::from)
        .unwrap_or_default();
    view! {
        <div class="user-badge">
            <A href="/account" attr:class="user-link">
                <span class="avatar" aria-hidden="true">{initial}</span>
                <span class="user-text">
                    <span class="user-name">{user.name.clone()}</span>
                    <span class="user-role">{i18n.t(role_msg(user.role))}</span>
                </span>
            </A>
            <ActionForm action=log_out attr:class="logout-form">
                <button type="submit" class="btn btn-ghost">{i18n.t(Msg::Logout)}</button>
            </ActionForm>
        </div>
    }
}
