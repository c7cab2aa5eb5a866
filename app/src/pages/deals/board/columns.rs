//! The board's columns and cards.

use guanxi_core::model::{BoardColumn, DealCard, DealStatus, Outcome};
use leptos::prelude::*;
use leptos::web_sys;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::drag::{CardDrag, card_element};
use super::{BoardState, CARDS_PER_PAGE};
use crate::i18n::{Msg, fill, use_i18n};
use crate::pages::deals::{size_msg, stage_name};

#[component]
pub fn BoardColumns(board: BoardState, live: RwSignal<bool>) -> impl IntoView {
    let drag = CardDrag::new(board);
    // After a keyboard move the card is a new element in another column.
    Effect::new(move || {
        board.shown.track();
        if let Some(deal) = board.focus_after.get_untracked() {
            request_animation_frame(move || {
                if let Some(card) = card_element(deal) {
                    let _ = card.focus();
                }
            });
        }
    });
    view! {
        <div class="board" id="board" data-live=move || live.get().to_string()>
            {move || {
                board.shown.with(|shown| {
                    let Some(shown) = shown else { return ().into_any() };
                    shown
                        .columns
                        .iter()
                        .map(|column| view! { <StageColumn column=column.clone() board=board drag=drag /> })
                        .collect_view()
                        .into_any()
                })
            }}
        </div>
    }
}

/// One stage: its count and totals, its first cards, and "show more".
#[component]
fn StageColumn(column: BoardColumn, board: BoardState, drag: CardDrag) -> impl IntoView {
    let i18n = use_i18n();
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
    let name = stage_name(&column.stage, i18n.now());
    let label = name.clone();
    let outcome = column.stage.outcome;
    let more = column.more;
    let days = if outcome.is_some() {
        Msg::DaysSince
    } else {
        Msg::DaysInStage
    };
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
                    <span class="column-amount" title=move || format!("{} {}", i18n.t(Msg::Amount)(), i18n.money(column.amount)())>
                        {i18n.money_total(column.amount)}
                    </span>
                    <span class="column-weighted" title=move || format!("{} {}", i18n.t(Msg::WeightedAmount)(), i18n.money(column.weighted)())>
                        {i18n.t(Msg::WeightedShort)} " " {i18n.money_total(column.weighted)}
                    </span>
                </div>
            </header>
            <div class="column-cards">
                {column
                    .cards
                    .into_iter()
                    .map(|card| view! { <BoardCard card=card days=days board=board drag=drag /> })
                    .collect_view()}
            </div>
            {(more > 0).then(|| view! {
                <A href=more_href attr:class="btn btn-small btn-quiet column-more">
                    {fill(Msg::ShowMore.text(i18n.now()), &[("n", &more.to_string())])}
                </A>
            })}
        </section>
    }
}

/// A deal on the board: dragged by pointer, moved a column with the arrow
/// keys, opened with Enter or a click on its title.
#[component]
fn BoardCard(
    card: DealCard,
    /// How the days are counted: in the stage, or since the deal closed.
    days: Msg,
    board: BoardState,
    drag: CardDrag,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let deal = card.id;
    let stall_hint = card
        .stall_days
        .map(|n| fill(Msg::StalledAfter.text(i18n.now()), &[("n", &n.to_string())]));
    let days = fill(
        days.text(i18n.now()),
        &[("n", &card.days_in_stage.to_string())],
    );
    let suspended = card.status == DealStatus::Suspended;
    view! {
        <article
            class="deal-card"
            class:stalled=card.stalled
            class:suspended=suspended
            tabindex="0"
            data-deal=deal.to_string()
            aria-keyshortcuts="ArrowLeft ArrowRight Enter"
            on:pointerdown=move |ev: web_sys::PointerEvent| drag.press(deal, &ev)
            on:pointermove=move |ev: web_sys::PointerEvent| drag.follow(&ev)
            on:pointerup=move |ev: web_sys::PointerEvent| drag.end(&ev, true)
            on:pointercancel=move |ev: web_sys::PointerEvent| drag.end(&ev, false)
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
            <div class="deal-card-amount">{i18n.money(card.amount)}</div>
            <div class="deal-card-meta">
                <span class="deal-card-close" title=i18n.t(Msg::ExpectedClose)>
                    {card.expected_close.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}
                </span>
                <span class="deal-card-owner">{card.owner_name.clone()}</span>
                <span class="deal-card-days" class:stalled=card.stalled title=stall_hint>{days}</span>
            </div>
            {suspended.then(|| view! { <span class="badge">{i18n.t(Msg::DealSuspended)}</span> })}
            {card.grade.map(|size| view! { <span class="badge deal-card-grade">{i18n.t(size_msg(size))}</span> })}
        </article>
    }
}
