//! The kanban board: a column per stage, cards moved by pointer (mouse, touch,
//! pen) or keyboard, at once on screen and undone if the server refuses.
//! Other people's moves arrive over server-sent events.

use guanxi_core::model::{Board, DealCard, Id, Outcome};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_navigate, use_query_map};

use super::close_dialog::{CloseDealDialog, CloseTarget};
use super::{money, pipeline_name, stage_name};
use crate::api::deals::{BoardChoices, BoardParams, board_menus, get_board, move_deal};
use crate::components::forms::FilterSelect;
use crate::components::loaded::Loaded;
use crate::i18n::{I18n, Msg, fill, use_i18n};
use crate::pages::PageHeader;

/// Cards per column before "show more".
const CARDS_PER_PAGE: u32 = 50;

#[component]
pub fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params =
        move || BoardParams::from_query(|key| query.with(|q| q.get(key).unwrap_or_default()));
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(
        move || (params(), refresh.get()),
        |(params, _)| get_board(params),
    );
    let menus = Resource::new(|| (), |_| board_menus());
    let board = BoardState {
        shown: RwSignal::new(None),
        notice: RwSignal::new(None),
        closing: RwSignal::new(None),
        focus_after: RwSignal::new(None),
        refresh,
        i18n,
    };
    let live = use_live_updates(board);
    view! {
        <PageHeader title=Msg::PipelineTitle intro=Msg::PipelineIntro>
            <A href="/deals/new" attr:class="btn btn-primary" attr:id="new-deal">"+ " {i18n.t(Msg::NewDeal)}</A>
        </PageHeader>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                menus.await.ok().map(|menus| view! { <BoardFilters menus=menus /> })
            })}
        </Transition>
        {move || board.notice.get().map(|text| view! {
            <div class="alert alert-error board-notice" role="alert" id="board-notice">
                <span>{text}</span>
                <button type="button" class="btn btn-icon" aria-label=i18n.t(Msg::Close) on:click=move |_| board.notice.set(None)>"×"</button>
            </div>
        })}
        <p class="sr-only" aria-live="polite" id="board-announcement">
            {move || board.focus_after.get().and(Some(i18n.t(Msg::CardMoved)()))}
        </p>
        <Loaded resource=data let:loaded>
            {
                board.shown.set(Some(loaded));
                view! { <BoardColumns board=board live=live /> }
            }
        </Loaded>
        <CloseDealDialog target=board.closing on_closed=Callback::new(move |_| board.reload()) />
    }
}

/// The board as shown, with the moves the page makes on it.
#[derive(Clone, Copy)]
struct BoardState {
    /// The server's board with this page's unconfirmed move applied.
    shown: RwSignal<Option<Board>>,
    notice: RwSignal<Option<String>>,
    closing: RwSignal<Option<CloseTarget>>,
    /// The card to focus once the board has re-rendered after a keyboard move.
    focus_after: RwSignal<Option<Id>>,
    refresh: RwSignal<u32>,
    i18n: I18n,
}

impl BoardState {
    fn reload(self) {
        self.refresh.update(|n| *n += 1);
    }

    /// Moves a card to a stage: into an outcome column through the close
    /// dialog, otherwise on screen at once and then on the server, back where
    /// it was with the server's reason if refused.
    fn request_move(self, deal: Id, to: Id) {
        let Some(before) = self.shown.get_untracked() else {
            return;
        };
        let Some((from, card)) = find_card(&before, deal) else {
            return;
        };
        let Some(target) = before.columns.iter().find(|c| c.stage.id == to) else {
            return;
        };
        if from == to {
            return;
        }
        if let Some(outcome) = target.stage.outcome {
            self.closing.set(Some(CloseTarget {
                deal,
                title: card.title.clone(),
                outcome,
            }));
            return;
        }
        let mut after = before.clone();
        move_card(&mut after, deal, to);
        self.shown.set(Some(after));
        self.notice.set(None);
        let locale = self.i18n.now();
        let version = card.version;
        spawn_local(async move {
            match move_deal(deal, to, version).await {
                Ok(_) => self.reload(),
                Err(e) => {
                    self.shown.set(Some(before));
                    self.notice.set(Some(e.text(locale)));
                }
            }
        });
    }

    /// The keyboard move: one column left or right.
    fn step(self, deal: Id, by: isize) {
        let target = self.shown.with_untracked(|board| {
            let board = board.as_ref()?;
            let (from, _) = find_card(board, deal)?;
            let index = board.columns.iter().position(|c| c.stage.id == from)?;
            let next = index.checked_add_signed(by)?;
            board.columns.get(next).map(|c| c.stage.id)
        });
        if let Some(to) = target {
            self.focus_after.set(Some(deal));
            self.request_move(deal, to);
        }
    }
}

fn find_card(board: &Board, deal: Id) -> Option<(Id, DealCard)> {
    board.columns.iter().find_map(|column| {
        column
            .cards
            .iter()
            .find(|card| card.id == deal)
            .map(|card| (column.stage.id, card.clone()))
    })
}

/// Moves a card between columns and their totals, as the server will.
fn move_card(board: &mut Board, deal: Id, to: Id) {
    let Some((from, card)) = find_card(board, deal) else {
        return;
    };
    for column in &mut board.columns {
        let probability = i64::from(column.stage.probability);
        let weighted = card.amount.0 * probability / 100;
        if column.stage.id == from {
            column.cards.retain(|c| c.id != deal);
            column.count = column.count.saturating_sub(1);
            column.amount.0 -= card.amount.0;
            column.weighted.0 -= weighted;
        } else if column.stage.id == to {
            let mut moved = card.clone();
            moved.days_in_stage = 0;
            moved.stalled = false;
            moved.stall_days = column.stage.stall_days;
            column.cards.push(moved);
            column.count += 1;
            column.amount.0 += card.amount.0;
            column.weighted.0 += weighted;
        }
    }
}

#[component]
fn BoardFilters(menus: BoardChoices) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let pipelines: Vec<(String, String)> = menus
        .pipelines
        .iter()
        .map(|(id, name)| (id.to_string(), pipeline_name(name, i18n.now())))
        .collect();
    let first_pipeline = pipelines.first().map(|p| p.0.clone()).unwrap_or_default();
    let current_pipeline = Some(param("pipeline"))
        .filter(|p| !p.is_empty())
        .unwrap_or(first_pipeline);
    let owners: Vec<(String, String)> = menus
        .owners
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let teams: Vec<(String, String)> = menus.teams.iter().map(|t| (t.clone(), t.clone())).collect();
    view! {
        <Form method="GET" action="" attr:class="filters card board-filters" attr:id="board-filters">
            <select name="pipeline" id="filter-pipeline" onchange="this.form.requestSubmit()" aria-label=i18n.t(Msg::Pipeline)>
                {pipelines
                    .into_iter()
                    .map(|(value, label)| {
                        let is_selected = value == current_pipeline;
                        view! { <option value=value selected=is_selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
            <label>{i18n.t(Msg::Owner)} <FilterSelect name="owner" any=Msg::AnyValue options=owners current=param("owner") /></label>
            <label>{i18n.t(Msg::Team)} <FilterSelect name="team" any=Msg::AnyValue options=teams current=param("team") /></label>
            <label>{i18n.t(Msg::ExpectedMonth)} <input type="month" name="month" id="filter-month" value=param("month") onchange="this.form.requestSubmit()" /></label>
            <label>{i18n.t(Msg::AmountFrom)} <input type="text" inputmode="decimal" name="min" id="filter-min" value=param("min") size="8" /></label>
            <label>{i18n.t(Msg::AmountTo)} <input type="text" inputmode="decimal" name="max" id="filter-max" value=param("max") size="8" /></label>
            <button type="submit" class="btn">{i18n.t(Msg::Apply)}</button>
            <A href="/pipeline" attr:class="btn btn-small btn-quiet">{i18n.t(Msg::ClearFilters)}</A>
        </Form>
    }
}

/// Where a pointer drag stands: the card follows the pointer once it has
/// moved a few pixels (less is a click), and the column under it lights up.
/// A card being dragged. Elements are found again by id rather than kept:
/// this state is made while the server renders too, and a browser-only
/// value made there would be dropped on another worker thread and panic.
struct Drag {
    deal: Id,
    pointer: i32,
    start: (i32, i32),
    active: bool,
    /// The column under the pointer.
    over: Option<Id>,
}

fn card_element(deal: Id) -> Option<web_sys::HtmlElement> {
    document()
        .query_selector(&format!("[data-deal='{deal}']"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

fn column_element(stage: Id) -> Option<web_sys::Element> {
    document()
        .query_selector(&format!("[data-stage='{stage}']"))
        .ok()
        .flatten()
}

const DRAG_THRESHOLD: i32 = 6;

#[component]
fn BoardColumns(board: BoardState, live: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let drag = StoredValue::new(None::<Drag>);
    let query = use_query_map();
    let limit = move || {
        query
            .with(|q| q.get("limit").and_then(|l| l.parse().ok()))
            .unwrap_or(CARDS_PER_PAGE)
    };
    let more_href = move || {
        let mut q = query.get();
        q.replace("limit", (limit() + CARDS_PER_PAGE).to_string());
        format!("/pipeline{}", q.to_query_string())
    };
    // After a keyboard move the card is a new element in another column.
    Effect::new(move || {
        board.shown.track();
        if let Some(deal) = board.focus_after.get_untracked() {
            request_animation_frame(move || {
                if let Some(card) = document()
                    .query_selector(&format!("[data-deal='{deal}']"))
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = card.focus();
                }
            });
        }
    });
    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        drag.update_value(|drag| {
            let Some(d) = drag.as_mut().filter(|d| d.pointer == ev.pointer_id()) else {
                return;
            };
            let (dx, dy) = (ev.client_x() - d.start.0, ev.client_y() - d.start.1);
            let Some(card) = card_element(d.deal) else {
                return;
            };
            if !d.active {
                if dx.abs() + dy.abs() < DRAG_THRESHOLD {
                    return;
                }
                d.active = true;
                let _ = card.set_pointer_capture(d.pointer);
                let _ = card.class_list().add_1("dragging");
            }
            let _ = card.style().set_property(
                "transform",
                &format!("translate({dx}px, {dy}px) rotate(1.5deg)"),
            );
            let over = document()
                .element_from_point(ev.client_x() as f32, ev.client_y() as f32)
                .and_then(|e| e.closest("[data-stage]").ok().flatten())
                .and_then(|column| column.get_attribute("data-stage"))
                .and_then(|id| id.parse().ok());
            if over != d.over {
                if let Some(old) = d.over.and_then(column_element) {
                    let _ = old.class_list().remove_1("drop-target");
                }
                if let Some(new) = over.and_then(column_element) {
                    let _ = new.class_list().add_1("drop-target");
                }
                d.over = over;
            }
        });
    };
    let end_drag = move |ev: web_sys::PointerEvent, drop: bool| {
        let Some(d) = drag
            .try_update_value(|drag| drag.take_if(|d| d.pointer == ev.pointer_id()))
            .flatten()
        else {
            return;
        };
        if !d.active {
            return;
        }
        if let Some(card) = card_element(d.deal) {
            let _ = card.release_pointer_capture(d.pointer);
            let _ = card.class_list().remove_1("dragging");
            let _ = card.style().remove_property("transform");
        }
        if let Some(over) = d.over.and_then(column_element) {
            let _ = over.class_list().remove_1("drop-target");
        }
        if drop && let Some(to) = d.over {
            board.request_move(d.deal, to);
        }
    };
    let navigate = use_navigate();
    let card_view = move |card: DealCard, live_days: Msg| {
        let deal = card.id;
        let navigate = navigate.clone();
        let stall_hint = card
            .stall_days
            .map(|n| fill(Msg::StalledAfter.text(i18n.now()), &[("n", &n.to_string())]));
        let days = fill(
            live_days.text(i18n.now()),
            &[("n", &card.days_in_stage.to_string())],
        );
        let suspended = card.status == guanxi_core::model::DealStatus::Suspended;
        view! {
            <article
                class="deal-card"
                class:stalled=card.stalled
                class:suspended=suspended
                tabindex="0"
                data-deal=deal.to_string()
                aria-keyshortcuts="ArrowLeft ArrowRight Enter"
                on:pointerdown=move |ev: web_sys::PointerEvent| {
                    if ev.button() != 0 || !ev.is_primary() {
                        return;
                    }
                    drag.set_value(Some(Drag {
                        deal,
                        pointer: ev.pointer_id(),
                        start: (ev.client_x(), ev.client_y()),
                        active: false,
                        over: None,
                    }));
                }
                on:pointermove=on_pointer_move
                on:pointerup=move |ev| end_drag(ev, true)
                on:pointercancel=move |ev| end_drag(ev, false)
                on:keydown=move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
                    "ArrowRight" => {
                        ev.prevent_default();
                        board.step(deal, 1);
                    }
                    "ArrowLeft" => {
                        ev.prevent_default();
                        board.step(deal, -1);
                    }
                    "Enter" => navigate(&format!("/deals/{deal}"), Default::default()),
                    _ => {}
                }
            >
                <div class="deal-card-customer">{card.customer_name.clone()}</div>
                <A href=format!("/deals/{deal}") attr:class="deal-card-title" attr:draggable="false" attr:tabindex="-1">{card.title.clone()}</A>
                <div class="deal-card-amount">{money(card.amount)}</div>
                <div class="deal-card-meta">
                    <span class="deal-card-close" title=i18n.t(Msg::ExpectedClose)>
                        {card.expected_close.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}
                    </span>
                    <span class="deal-card-owner">{card.owner_name.clone()}</span>
                    <span class="deal-card-days" class:stalled=card.stalled title=stall_hint>{days}</span>
                </div>
                {suspended.then(|| view! { <span class="badge">{i18n.t(Msg::DealSuspended)}</span> })}
            </article>
        }
    };
    view! {
        <div class="board" id="board" data-live=move || live.get().to_string()>
            {move || {
                let card_view = card_view.clone();
                board.shown.with(|shown| {
                    let Some(shown) = shown else { return ().into_any() };
                    shown
                        .columns
                        .iter()
                        .map(|column| {
                            let card_view = card_view.clone();
                            let name = stage_name(&column.stage, i18n.now());
                            let label = name.clone();
                            let outcome = column.stage.outcome;
                            let more = column.more;
                            view! {
                                <section
                                    class="board-column"
                                    class:won=outcome == Some(Outcome::Won)
                                    class:lost=outcome == Some(Outcome::Lost)
                                    data-stage=column.stage.id.to_string()
                                    aria-label=label
                                >
                                    <header class="column-head">
                                        <div class="column-title">
                                            <h2>{name}</h2>
                                            <span class="column-count">{column.count}</span>
                                        </div>
                                        <div class="column-totals">
                                            <span class="column-amount" title=i18n.t(Msg::Amount)>{money(column.amount)}</span>
                                            <span class="column-weighted" title=i18n.t(Msg::WeightedAmount)>
                                                {i18n.t(Msg::WeightedShort)} " " {money(column.weighted)}
                                            </span>
                                        </div>
                                    </header>
                                    <div class="column-cards">
                                        {column
                                            .cards
                                            .iter()
                                            .cloned()
                                            .map(|card| card_view(card, if outcome.is_some() { Msg::DaysSince } else { Msg::DaysInStage }))
                                            .collect_view()}
                                    </div>
                                    {(more > 0).then(|| view! {
                                        <A href=more_href attr:class="btn btn-small btn-quiet column-more">
                                            {fill(Msg::ShowMore.text(i18n.now()), &[("n", &more.to_string())])}
                                        </A>
                                    })}
                                </section>
                            }
                        })
                        .collect_view()
                        .into_any()
                })
            }}
        </div>
    }
}

/// Listens for deal changes while the board is open and reloads it, at most
/// a few times a second; a reconnect (the server restarted) reloads too, as
/// events may have been missed. The returned flag is on while connected.
fn use_live_updates(board: BoardState) -> RwSignal<bool> {
    let live = RwSignal::new(false);
    Effect::new(move || {
        let Ok(source) = web_sys::EventSource::new("/api/events") else {
            return;
        };
        let reload_soon = StoredValue::new_local(false);
        let schedule = move || {
            if reload_soon.get_value() {
                return;
            }
            reload_soon.set_value(true);
            set_timeout(
                move || {
                    reload_soon.set_value(false);
                    board.reload();
                },
                std::time::Duration::from_millis(150),
            );
        };
        let connected_before = StoredValue::new_local(false);
        let on_hello = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            live.set(true);
            if connected_before.get_value() {
                schedule();
            }
            connected_before.set_value(true);
        });
        let on_deal = leptos::wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MessageEvent)>::new(
            move |ev: web_sys::MessageEvent| {
                let pipeline = ev
                    .data()
                    .as_string()
                    .and_then(|json| serde_json::from_str::<serde_json::Value>(&json).ok())
                    .and_then(|event| event["pipeline_id"].as_str().map(str::to_string));
                let shown = board
                    .shown
                    .with_untracked(|b| b.as_ref().map(|b| b.pipeline.id.to_string()));
                if pipeline.is_none() || pipeline == shown {
                    schedule();
                }
            },
        );
        let on_error =
            leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || live.set(false));
        let _ = source.add_event_listener_with_callback("hello", on_hello.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("deal", on_deal.as_ref().unchecked_ref());
        let _ =
            source.add_event_listener_with_callback("resync", on_hello.as_ref().unchecked_ref());
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let closures = StoredValue::new_local((on_hello, on_deal, on_error));
        let source = StoredValue::new_local(source);
        on_cleanup(move || {
            source.with_value(|s| s.close());
            closures.dispose();
        });
    });
    live
}
