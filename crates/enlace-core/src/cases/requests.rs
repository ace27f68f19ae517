//! Requests between states (mutual legal assistance, extradition) that the
//! requested country answers: its nodes acknowledge a request, ask for more
//! information, answer it or refuse it (with the reason) — appending to the
//! case's `request_answers`, the only change they may make to the request,
//! which every node checks at sync (replica/rules.rs, `answers_refused`).
//! Deadlines and overdue marks are read the same on both sides.

use chrono::NaiveDate;
use enlace_domain::{
    Case, Issue, LegalRequest, RequestAction, RequestAnswer, RequestStatus, Severity,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::edit::{self, Rule};
use crate::{App, Candidate, CoreError, Result};

use super::resolve;

/// Which side of a request this node's country is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RequestSide {
    /// This country asked.
    FromUs,
    /// This country is asked: its nodes answer.
    ToUs,
    /// Between two other countries (a case this node holds as audience).
    Other,
}

/// A request as both sides read it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RequestView {
    pub case_id: String,
    pub reference: String,
    pub request: LegalRequest,
    /// The requested country's answers, oldest first.
    pub answers: Vec<RequestAnswer>,
    /// The latest of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub latest: Option<RequestAction>,
    pub side: RequestSide,
    /// Its deadline passed with no answer or refusal.
    pub overdue: bool,
    #[ts(type = "number")]
    pub days_overdue: i64,
}

/// Which requests `enlace request list` and the app's list show.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct RequestFilter {
    /// Only those addressed to this country.
    #[serde(default)]
    #[ts(optional)]
    pub to_us: Option<bool>,
    /// Only those this country made.
    #[serde(default)]
    #[ts(optional)]
    pub from_us: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub overdue: Option<bool>,
}

impl App {
    /// Records this country's answer to a request addressed to it: an
    /// acknowledgement, a request for more information, the answer, or a
    /// refusal (a refusal and a request for information say why, in
    /// `text`). `request` is the request's id or the first characters of
    /// it.
    pub fn request_answer(
        &mut self,
        case_key: &str,
        request: &str,
        action: RequestAction,
        text: &str,
    ) -> Result<RequestView> {
        // Refused to a role that may not change cases before anything is said of the request.
        self.require(enlace_domain::Permission::EditCases)?;
        let mine = self.node.country.clone();
        let text = text.trim().to_owned();
        let id = resolve(&self.store.read(), case_key)?;
        let (case, doc, _) = edit::load::<Case>(&self.store.read(), &self.node.actor, &id)?
            .ok_or_else(|| CoreError::NotFound {
                what: case_key.to_owned(),
            })?;
        let found = find_request(&case, request)?;
        if found.to != mine {
            return Err(CoreError::Invalid(vec![
                Issue::new(Severity::Error, "request", "val-request-not-addressed-here")
                    .arg("country", &found.to)
                    .arg("value", &found.id),
            ]));
        }
        if text.is_empty()
            && matches!(
                action,
                RequestAction::Refused | RequestAction::MoreInformation
            )
        {
            return Err(CoreError::Invalid(vec![Issue::new(
                Severity::Error,
                "text",
                "val-request-reason-required",
            )]));
        }
        if text.chars().count() > enlace_domain::validate::MAX_TEXT {
            return Err(CoreError::Invalid(vec![
                Issue::new(Severity::Error, "text", "val-too-long")
                    .arg("max", enlace_domain::validate::MAX_TEXT)
                    .arg("length", text.chars().count()),
            ]));
        }
        // A case recorded before answers existed has no list to append
        // to: the owner's nodes write it with their next change of it.
        if case.owner.country != mine && doc.conflicts("request_answers")?.is_empty() {
            return Err(CoreError::AnswersNotYet {
                reference: case.reference.clone(),
                owner: case.owner.country.to_string(),
            });
        }
        let request_id = found.id.clone();
        self.change_case(&id, "answer", Rule::AnyHolder, None, |e, case| {
            case.request_answers.push(RequestAnswer {
                id: String::new(),
                request: request_id.clone(),
                country: mine.clone(),
                action,
                text: text.clone(),
                at: e.now,
                by: e.by.to_owned(),
            });
            Ok(())
        })?;
        self.case_requests(&id)?
            .into_iter()
            .find(|r| r.request.id == request_id)
            .ok_or_else(|| CoreError::Internal("the answered request is gone".into()))
    }

    /// The requests of one case, as both sides read them.
    pub fn case_requests(&self, case_key: &str) -> Result<Vec<RequestView>> {
        let r = self.store.read();
        let id = resolve(&r, case_key)?;
        let (case, _, _) =
            edit::load::<Case>(&r, &self.node.actor, &id)?.ok_or_else(|| CoreError::NotFound {
                what: case_key.to_owned(),
            })?;
        Ok(views(&case, self.node.country.as_str(), today()))
    }

    /// The requests this node holds that this country made or is asked
    /// (or every one), overdue first, then by deadline.
    pub fn requests(&self, filter: &RequestFilter) -> Result<Vec<RequestView>> {
        let r = self.store.read();
        let mine = self.node.country.to_string();
        let mut ids = r.cases_with_tag("request_to", &mine)?;
        ids.extend(r.cases_with_tag("request_from", &mine)?);
        ids.sort();
        ids.dedup();
        let today = today();
        let mut out = vec![];
        for id in ids {
            let Some((case, _, _)) = edit::load::<Case>(&r, &self.node.actor, &id)? else {
                continue;
            };
            out.extend(views(&case, &mine, today).into_iter().filter(|v| {
                (filter.to_us != Some(true) || v.side == RequestSide::ToUs)
                    && (filter.from_us != Some(true) || v.side == RequestSide::FromUs)
                    && (filter.overdue != Some(true) || v.overdue)
            }));
        }
        out.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then_with(|| a.request.due.cmp(&b.request.due))
                .then_with(|| a.reference.cmp(&b.reference))
        });
        Ok(out)
    }
}

fn today() -> NaiveDate {
    crate::clock::now().date_naive()
}

/// The request of `case` that `key` names: its id, or the first
/// characters of one.
fn find_request<'a>(case: &'a Case, key: &str) -> Result<&'a LegalRequest> {
    let key = key.trim();
    let found: Vec<&LegalRequest> = case
        .requests
        .iter()
        .filter(|r| !key.is_empty() && (r.id == key || r.id.starts_with(key)))
        .collect();
    match found.as_slice() {
        [] => Err(CoreError::NotFound {
            what: key.to_owned(),
        }),
        [one] => Ok(one),
        several => Err(CoreError::Ambiguous {
            what: key.to_owned(),
            candidates: several
                .iter()
                .map(|r| Candidate {
                    id: r.id.clone(),
                    label: format!("{} {}→{}: {}", r.kind, r.from, r.to, r.subject),
                })
                .collect(),
        }),
    }
}

/// Each request of `case` with its answers, read by a node of `mine`.
pub(crate) fn views(case: &Case, mine: &str, today: NaiveDate) -> Vec<RequestView> {
    case.requests
        .iter()
        .map(|req| {
            let mut answers: Vec<RequestAnswer> = case
                .request_answers
                .iter()
                // Only the requested country's own answers count (sync
                // refuses others; this is what it kept).
                .filter(|a| a.request == req.id && a.country == req.to)
                .cloned()
                .collect();
            answers.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
            let latest = answers.last().map(|a| a.action);
            let settled = matches!(
                latest,
                Some(RequestAction::Answered | RequestAction::Refused)
            ) || matches!(
                req.status,
                RequestStatus::Answered | RequestStatus::Refused | RequestStatus::Withdrawn
            );
            let days_overdue = req
                .due
                .filter(|_| !settled)
                .map_or(0, |d| (today - d).num_days().max(0));
            let side = if req.from.as_str() == mine {
                RequestSide::FromUs
            } else if req.to.as_str() == mine {
                RequestSide::ToUs
            } else {
                RequestSide::Other
            };
            RequestView {
                case_id: case.id.to_string(),
                reference: case.reference.clone(),
                request: req.clone(),
                answers,
                latest,
                side,
                overdue: days_overdue > 0,
                days_overdue,
            }
        })
        .collect()
}
