//! The commands, one room per area: what each does with enlace-core and
//! how it prints the result.

mod agency;
mod audit;
mod bundle;
mod case;
mod datasets;
mod grant;
mod legal;
mod node;
mod peer;
mod plan;
mod referral;
mod report;
mod request;
mod risk;
mod sync;
mod user;

use enlace_domain::Lang;

use crate::args::{Cli, Command, NodeCommand, StandardFormat};
use crate::common::{Outcome, data_dir};

/// Runs the command the user gave.
pub fn run(cli: Cli, lang: Lang) -> Outcome {
    let dir = data_dir(cli.data_dir, lang)?;
    let user = cli.user;
    match cli.command {
        Command::Init {
            country,
            node_name,
            node_role,
            demo,
        } => node::init(&dir, lang, user, (&country, &node_name, node_role), demo),
        Command::Node {
            command: NodeCommand::Show { json },
        } => node::show(&dir, lang, user, json),
        Command::Node {
            command: NodeCommand::Role { role, json },
        } => node::role(&dir, lang, user, role, json),
        Command::Node {
            command: NodeCommand::CountryKey { command },
        } => node::country_key(command, &dir, lang, user),
        Command::Node {
            command: NodeCommand::Revoke { name, json },
        } => peer::run(
            crate::args::PeerCommand::Revoke { name, json },
            &dir,
            lang,
            user,
        ),
        Command::Demo => node::demo(&dir, lang, user),
        Command::Reindex => node::reindex(&dir, lang, user),
        Command::Check { json } => node::check(&dir, lang, user, json),
        Command::Export {
            format: StandardFormat::Enlace,
            out,
            ..
        } => node::export(&dir, lang, user, &out),
        Command::Export {
            format,
            out,
            k,
            json,
        } => node::export_standard(&dir, lang, user, format, &out, k, json),
        Command::Backup { out } => node::backup(&dir, lang, user, &out),
        Command::Restore { file } => node::restore(&dir, lang, &file),
        Command::Case { command } => case::run(command, &dir, lang, user),
        Command::Peer { command } => peer::run(command, &dir, lang, user),
        Command::Sync(args) => sync::sync(args, &dir, lang, user),
        Command::Serve(args) => sync::serve(args, &dir, lang, user),
        Command::Bundle { command } => bundle::run(command, &dir, lang, user),
        Command::Legal { command } => legal::run(command, &dir, lang, user),
        Command::Plan { command } => plan::run(command, &dir, lang, user),
        Command::Report { command } => report::run(command, &dir, lang, user),
        Command::Dataset { command } => datasets::run(command, &dir, lang, user),
        Command::Stats(args) => datasets::stats(args, &dir, lang, user),
        Command::User { command } => user::run(command, &dir, lang, user),
        Command::Audit { command } => audit::run(command, &dir, lang, user),
        Command::Grant { command } => grant::run(command, &dir, lang, user),
        Command::Risk { command } => risk::run(command, &dir, lang, user),
        Command::Request { command } => request::run(command, &dir, lang, user),
        Command::Agency { command } => agency::run(command, &dir, lang, user),
        Command::Referral { command } => referral::run(command, &dir, lang, user),
    }
}
