//! The kanban board: a column per stage, cards moved by pointer (mouse, touch,
//! pen) or keyboard, at once on screen and undone if the server refuses.
//! Other people's moves arrive over server-sent events.

mod columns;
mod drag;
mod filters;
mod live;

use guanxi_core::model::{Board, DealCard, Id};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use self::columns::BoardColumns;
use self::filters::BoardFilters;
use self::live::use_live_updates;
use super::close_dialog::{CloseDealDialog, CloseTarget};
use crate::api::deals::{BoardParams, board_menus, get_board, move_deal};
use crate::components::loaded::Loaded;
use crate::i18n::{I18n, Msg, use_i18n};
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
