//! `enlace referral`: victims referred to the directory's agencies.

use std::path::Path;

use enlace_core::{ReferralInput, ReferralView};
use enlace_domain::enums::Closed;
use enlace_domain::{Lang, tr, tr_args};

use crate::args::ReferralCommand;
use crate::common::{Outcome, json, open};

pub fn run(command: ReferralCommand, dir: &Path, lang: Lang, user: Option<String>) -> Outcome {
    match command {
        ReferralCommand::Add {
            case,
            pseudonym,
            agency,
            services,
            reason,
            consent,
            override_reason,
            due,
            notes,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            let v = app.referral_add(
                &case,
                ReferralInput {
                    pseudonym,
                    agency,
                    services,
                    reason,
                    consent,
                    consent_override: override_reason,
                    due,
                    notes,
                },
            )?;
            show(std::slice::from_ref(&v), lang, as_json);
        }
        ReferralCommand::Update {
            case,
            referral,
            status,
            note,
            json: as_json,
        } => {
            let mut app = open(dir, lang, user)?;
            let v = app.referral_update(&case, &referral, status, &note)?;
            show(std::slice::from_ref(&v), lang, as_json);
        }
        ReferralCommand::List {
            case,
            json: as_json,
        } => {
            let app = open(dir, lang, user)?;
            let all = match case {
                Some(c) => app.referrals(&c)?,
                None => app.referrals_all()?,
            };
            if !as_json && all.is_empty() {
                println!("{}", tr(lang, "cli-referrals-empty"));
            } else {
                show(&all, lang, as_json);
            }
        }
    }
    Ok(())
}

fn show(all: &[ReferralView], lang: Lang, as_json: bool) {
    if as_json {
        return json(&all);
    }
    for v in all {
        let r = &v.referral;
        let consent = match &r.consent_override {
            Some(why) => tr_args(lang, "cli-referral-override", &[("reason", why)]),
            None => tr(lang, "cli-referral-consent"),
        };
        println!(
            "{}  {} {} → {} · {} · {}{}{}",
            r.id,
            v.reference,
            v.pseudonym,
            r.agency_name,
            r.status.label(lang),
            consent,
            r.due.map(|d| format!(" · {d}")).unwrap_or_default(),
            if v.overdue {
                format!(" · {}", tr(lang, "cli-referral-overdue"))
            } else {
                String::new()
            }
        );
        println!("    {}", r.reason);
    }
}
