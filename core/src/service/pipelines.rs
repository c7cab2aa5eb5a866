//! Pipelines as an admin shapes them: new pipelines, stages renamed,
//! reordered, added and removed, with the rules that keep every deal in a
//! stage that exists.

use super::{Guanxi, audit};
use crate::domain::{deals, validate};
use crate::error::{Error, Field, Problem, Result};
use crate::model::{AuditEntry, AuditKind, Id, Pipeline, PipelineDraft, User};

fn require_admin(me: &User) -> Result<()> {
    if me.active && me.role.is_admin() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// A pipeline created (no `before`) or reshaped, as an audit entry.
fn pipeline_entry(by: Id, before: Option<&Pipeline>, after: &Pipeline) -> AuditEntry {
    audit::changed(
        Some(by),
        AuditKind::Pipeline,
        Some(after.id),
        after.name.clone(),
        before,
        Some(after),
    )
}

impl Guanxi {
    /// One pipeline with its stages; every user may see every pipeline.
    pub fn pipeline(&self, id: Id) -> Result<Pipeline> {
        self.store.pipeline(id)?.ok_or(Error::NotFound)
    }

    /// Every pipeline as the admin page edits it, with how many deals each
    /// stage holds (admins).
    pub fn pipeline_drafts(&self, me: &User) -> Result<Vec<PipelineDraft>> {
        require_admin(me)?;
        self.pipelines()?
            .into_iter()
            .map(|pipeline| {
                let deals = self.store.deals_of_pipeline(pipeline.id)?;
                let deals_per_stage = pipeline
                    .stages
                    .iter()
                    .map(|s| {
                        let n = deals.iter().filter(|d| d.stage_id == s.id).count();
                        (s.id, n as u32)
                    })
                    .collect();
                Ok(PipelineDraft {
                    pipeline,
                    deals_per_stage,
                })
            })
            .collect()
    }

    /// Refuses a name another pipeline already has.
    fn unique_pipeline_name(&self, name: &str, except: Id) -> Result<()> {
        if !name.is_empty()
            && self
                .store
                .pipelines()?
                .iter()
                .any(|p| p.id != except && p.name == name)
        {
            return Err(Error::invalid(Field::Name, Problem::Taken));
        }
        Ok(())
    }

    /// A new pipeline (admins) with the default stages, ready to adjust.
    pub fn create_pipeline(&self, me: &User, name: &str) -> Result<Pipeline> {
        require_admin(me)?;
        let name = validate::text(Field::Name, name, validate::MAX_SHORT)?;
        let id = Id::generate();
        self.unique_pipeline_name(&name, id)?;
        let pipeline = Pipeline {
            id,
            name,
            stages: deals::default_stages(Id::generate),
            version: 0,
        };
        self.store.audited(|lines| {
            lines.push(pipeline_entry(me.id, None, &pipeline));
            self.store.save_pipeline(&pipeline)
        })
    }

    /// Saves an admin's edit of a pipeline from the version read (see
    /// `deals::check_pipeline` for what is checked). A stage that still
    /// holds deals cannot be dropped here (`Stage`, `Taken`): `remove_stage`
    /// says where its deals go.
    pub fn save_pipeline(&self, me: &User, pipeline: Pipeline) -> Result<Pipeline> {
        require_admin(me)?;
        let stored = self.store.pipeline(pipeline.id)?.ok_or(Error::NotFound)?;
        if stored.version != pipeline.version {
            return Err(Error::Conflict);
        }
        let checked = deals::check_pipeline(&pipeline, &stored, Id::generate)?;
        self.unique_pipeline_name(&checked.name, checked.id)?;
        self.store.audited(|lines| {
            lines.push(pipeline_entry(me.id, Some(&stored), &checked));
            self.store.save_pipeline(&checked)
        })
    }

    /// Removes an open stage, moving its deals to another open stage of the
    /// same pipeline (each move in their history), in one transaction.
    pub fn remove_stage(
        &self,
        me: &User,
        pipeline_id: Id,
        stage_id: Id,
        move_to: Id,
        version: u64,
    ) -> Result<Pipeline> {
        require_admin(me)?;
        let pipeline = self.store.pipeline(pipeline_id)?.ok_or(Error::NotFound)?;
        let open = |id| pipeline.open_stages().any(|s| s.id == id);
        if !open(stage_id) {
            return Err(Error::invalid(Field::Stage, Problem::Unknown));
        }
        if move_to == stage_id || !open(move_to) {
            return Err(Error::invalid(Field::Stages, Problem::Unknown));
        }
        if pipeline.open_stages().count() < 2 {
            return Err(Error::invalid(Field::Stages, Problem::Malformed));
        }
        let remaining = Pipeline {
            stages: pipeline
                .stages
                .iter()
                .filter(|s| s.id != stage_id)
                .cloned()
                .collect(),
            ..pipeline.clone()
        };
        let (saved, moved) = self.store.audited(|lines| {
            lines.push(pipeline_entry(me.id, Some(&pipeline), &remaining));
            self.store
                .remove_stage(pipeline_id, stage_id, move_to, version, me.id)
        })?;
        for deal in &moved {
            self.deal_changed(deal);
        }
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Actor;
    use super::super::test_support::set_up_company;
    use super::*;
    use crate::model::{CustomerInput, DealInput, Role, UserInput};

    #[test]
    fn pipeline_drafts_count_the_deals_in_each_stage_for_admins_only() {
        let (_dir, gx, admin) = set_up_company();
        let rep = super::super::test_support::person(&gx, &admin, "li@x.cn", Role::Rep, None);
        assert_eq!(gx.pipeline_drafts(&rep), Err(Error::Forbidden));
        let customer = gx
            .create_customer(
                &rep,
                CustomerInput {
                    name: "北京星辰".into(),
                    ..Default::default()
                },
                vec![],
                true,
            )
            .unwrap()
            .id;
        let deal = gx
            .create_deal(
                &rep,
                DealInput {
                    customer_id: Some(customer),
                    title: "ERP".into(),
                    amount: "1000".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let drafts = gx.pipeline_drafts(&admin).unwrap();
        assert_eq!(drafts.len(), 1);
        let counts = &drafts[0].deals_per_stage;
        assert_eq!(counts.len(), drafts[0].pipeline.stages.len());
        assert_eq!(
            counts.iter().map(|(_, n)| n).sum::<u32>(),
            1,
            "one deal in all"
        );
        assert!(counts.contains(&(deal.stage_id, 1)));
    }

    #[test]
    fn only_admins_shape_pipelines_and_names_are_unique() {
        let (_dir, gx, admin) = set_up_company();
        let manager = gx
            .create_user(
                Actor::User(&admin),
                UserInput {
                    email: "m@x.cn".into(),
                    name: "M".into(),
                    role: Role::Manager,
                    team: None,
                },
                "a password 123",
            )
            .unwrap();
        assert_eq!(
            gx.create_pipeline(&manager, "项目型"),
            Err(Error::Forbidden)
        );
        let projects = gx.create_pipeline(&admin, " 项目型 ").unwrap();
        assert_eq!(projects.name, "项目型");
        assert_eq!(projects.version, 1);
        assert_eq!(projects.stages.len(), 7);
        assert_eq!(
            gx.create_pipeline(&admin, "项目型"),
            Err(Error::invalid(Field::Name, Problem::Taken))
        );
        assert_eq!(gx.pipelines().unwrap().len(), 2);

        let mut edited = projects.clone();
        edited.stages[0].name = "线索".into();
        edited.stages[0].stall_days = Some(14);
        assert_eq!(
            gx.save_pipeline(&manager, edited.clone()),
            Err(Error::Forbidden)
        );
        let saved = gx.save_pipeline(&admin, edited.clone()).unwrap();
        assert_eq!(saved.stages[0].name, "线索");
        assert_eq!(saved.version, 2);
        assert_eq!(gx.save_pipeline(&admin, edited), Err(Error::Conflict));
    }

    #[test]
    fn a_stage_with_deals_is_removed_only_by_moving_them() {
        let (_dir, gx, admin) = set_up_company();
        let pipeline = gx.pipelines().unwrap().remove(0);
        let customer = gx
            .create_customer(
                &admin,
                CustomerInput {
                    name: "北京星辰".into(),
                    ..Default::default()
                },
                vec![],
                true,
            )
            .unwrap()
            .id;
        let evaluation = pipeline.stages[1].id;
        let deal = gx
            .create_deal(
                &admin,
                DealInput {
                    customer_id: Some(customer),
                    stage_id: Some(evaluation),
                    title: "ERP".into(),
                    amount: "1".into(),
                    ..Default::default()
                },
            )
            .unwrap();

        let mut dropped = pipeline.clone();
        dropped.stages.remove(1);
        assert_eq!(
            gx.save_pipeline(&admin, dropped),
            Err(Error::invalid(Field::Stage, Problem::Taken))
        );
        let mut emptied = pipeline.clone();
        emptied.stages.remove(2);
        let saved = gx.save_pipeline(&admin, emptied).unwrap();
        assert_eq!(saved.stages.len(), 6, "an empty stage goes");

        let bidding = saved.stages[2].id;
        let won = saved.stages[4].id;
        assert!(
            gx.remove_stage(&admin, saved.id, evaluation, won, saved.version)
                .is_err(),
            "deals move to an open stage"
        );
        assert_eq!(
            gx.remove_stage(&admin, saved.id, evaluation, bidding, pipeline.version),
            Err(Error::Conflict)
        );
        let mut events = gx.subscribe_deals();
        let removed = gx
            .remove_stage(&admin, saved.id, evaluation, bidding, saved.version)
            .unwrap();
        assert_eq!(removed.stages.len(), 5);
        assert!(removed.stage(evaluation).is_none());
        assert_eq!(events.try_recv().unwrap().deal_id, deal.id);
        let moved = gx.deal(&admin, deal.id).unwrap();
        assert_eq!((moved.stage_id, moved.version), (bidding, deal.version + 1));
        let last = gx.stage_history(&admin, deal.id).unwrap().pop().unwrap();
        assert_eq!((last.from, last.to), (Some(evaluation), bidding));
    }
}
