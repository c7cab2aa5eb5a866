//! Deals: the pipeline board, deal pages and forms, the close dialog, the
//! reopen approvals and the admin's pipeline editor.

pub mod approvals;
pub mod board;
pub mod close_dialog;
pub mod deal;
mod fields;
pub mod form;
pub mod pipelines_admin;

use guanxi_core::model::{BuiltInReason, DealSize, DefaultStage, Locale, Outcome, Stage, StageRef};

use crate::i18n::Msg;

/// A stage as people read it: what an admin typed, or the translated name
/// of a default stage nobody renamed.
pub fn stage_name(stage: &Stage, locale: Locale) -> String {
    named_stage(&stage.name, stage.preset, locale)
}

/// A stage as it was named when something happened there.
pub fn stage_ref_name(stage: &StageRef, locale: Locale) -> String {
    named_stage(&stage.name, stage.preset, locale)
}

fn named_stage(name: &str, preset: Option<DefaultStage>, locale: Locale) -> String {
    match (name.is_empty(), preset) {
        (true, Some(preset)) => preset_msg(preset).text(locale).to_string(),
        _ => name.to_string(),
    }
}

pub fn preset_msg(preset: DefaultStage) -> Msg {
    match preset {
        DefaultStage::InitialContact => Msg::StageInitialContact,
        DefaultStage::Evaluation => Msg::StageEvaluation,
        DefaultStage::NeedsAnalysis => Msg::StageNeedsAnalysis,
        DefaultStage::Bidding => Msg::StageBidding,
        DefaultStage::Negotiation => Msg::StageNegotiation,
        DefaultStage::Won => Msg::StageWon,
        DefaultStage::Lost => Msg::StageLost,
    }
}

pub fn size_msg(size: DealSize) -> Msg {
    match size {
        DealSize::Big => Msg::SizeBig,
        DealSize::Medium => Msg::SizeMedium,
        DealSize::Small => Msg::SizeSmall,
    }
}

pub fn outcome_msg(outcome: Outcome) -> Msg {
    match outcome {
        Outcome::Won => Msg::StageWon,
        Outcome::Lost => Msg::StageLost,
    }
}

/// A close reason as stored: a built-in code, translated, or the admin's text.
pub fn reason_label(reason: &str, locale: Locale) -> String {
    match BuiltInReason::from_code(reason) {
        Some(builtin) => reason_msg(builtin).text(locale).to_string(),
        None => reason.to_string(),
    }
}

pub fn reason_msg(reason: BuiltInReason) -> Msg {
    match reason {
        BuiltInReason::Price => Msg::ReasonPrice,
        BuiltInReason::Relationship => Msg::ReasonRelationship,
        BuiltInReason::ProductFit => Msg::ReasonProduct,
        BuiltInReason::Service => Msg::ReasonService,
        BuiltInReason::Competitor => Msg::ReasonCompetitor,
        BuiltInReason::NoBudget => Msg::ReasonNoBudget,
        BuiltInReason::NoDecision => Msg::ReasonNoDecision,
        BuiltInReason::Timing => Msg::ReasonTiming,
    }
}

/// A pipeline's name; the default pipeline has none until an admin names it.
pub fn pipeline_name(name: &str, locale: Locale) -> String {
    if name.is_empty() {
        Msg::DefaultPipeline.text(locale).to_string()
    } else {
        name.to_string()
    }
}
