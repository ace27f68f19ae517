//! Closed enumerations. Each value has a stable snake_case wire name (used in
//! JSON, documents and the CLI) and Spanish and English labels in the Fluent
//! files under the key `<prefix>-<wire>` (`+` spelled `plus`).

use crate::i18n::{Lang, tr};

/// The Fluent key of an enumeration value: `<prefix>-<wire>`, with `+`
/// spelled `plus` (Fluent identifiers allow letters, digits, `-` and `_`).
/// The UI applies the same rule (`ui/src/i18n.ts`).
pub fn label_key(prefix: &str, wire: &str) -> String {
    format!("{prefix}-{}", wire.replace('+', "plus"))
}

/// Something with a closed set of values, each with a wire name and labels.
pub trait Closed: Sized + Copy + 'static {
    /// The Fluent key prefix of this enumeration.
    const PREFIX: &'static str;
    /// Every value, in display order.
    fn all() -> &'static [Self];
    /// The stable wire name.
    fn as_str(self) -> &'static str;
    /// The value for a wire name.
    fn parse(s: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.as_str() == s)
    }
    /// The allowed wire names, comma-separated (for error messages).
    fn allowed() -> String {
        Self::all()
            .iter()
            .map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
    fn label_key(self) -> String {
        label_key(Self::PREFIX, self.as_str())
    }
    fn label(self, lang: Lang) -> String {
        tr(lang, &self.label_key())
    }
}

/// Defines a closed enumeration with wire names, `Closed` and `Display`.
macro_rules! closed_enum {
    ($(#[$m:meta])* $name:ident, $prefix:literal { $($(#[$vm:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize, ::ts_rs::TS,
        )]
        #[ts(export)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $wire)] $variant),+
        }

        impl $crate::enums::Closed for $name {
            const PREFIX: &'static str = $prefix;
            fn all() -> &'static [Self] {
                &[$($name::$variant),+]
            }
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::enums::Closed::as_str(*self))
            }
        }
    };
}
pub(crate) use closed_enum;

closed_enum!(
    /// What a case is, legally. May change over time; the history is kept.
    Classification, "classification" {
        Trafficking => "trafficking",
        Smuggling => "smuggling",
        Both => "both",
        UnderAssessment => "under_assessment",
    }
);

impl Classification {
    /// Trafficking elements (means, purposes) are expected.
    pub fn involves_trafficking(self) -> bool {
        matches!(self, Classification::Trafficking | Classification::Both)
    }
}

closed_enum!(
    /// Where a case stands in the criminal-justice process.
    CaseStatus, "status" {
        Reported => "reported",
        UnderInvestigation => "under_investigation",
        Prosecution => "prosecution",
        Trial => "trial",
        Convicted => "convicted",
        Acquitted => "acquitted",
        Closed => "closed",
        Referred => "referred",
    }
);

closed_enum!(
    /// Protocol Art. 3(a): the act.
    Act, "act" {
        Recruitment => "recruitment",
        Transportation => "transportation",
        Transfer => "transfer",
        Harbouring => "harbouring",
        Receipt => "receipt",
    }
);

closed_enum!(
    /// Protocol Art. 3(a): the means.
    Means, "means" {
        Threat => "threat",
        Force => "force",
        Coercion => "coercion",
        Abduction => "abduction",
        Fraud => "fraud",
        Deception => "deception",
        AbuseOfPower => "abuse_of_power",
        AbuseOfVulnerability => "abuse_of_vulnerability",
        Payments => "payments",
    }
);

closed_enum!(
    /// Protocol Art. 3(a): the purpose of exploitation.
    Purpose, "purpose" {
        SexualExploitation => "sexual_exploitation",
        ForcedLabour => "forced_labour",
        Slavery => "slavery",
        Servitude => "servitude",
        OrganRemoval => "organ_removal",
        /// Forced marriage (CTDC `isForcedMarriage`; an exploitation under
        /// most of the region's laws).
        ForcedMarriage => "forced_marriage",
        /// Forced military service, child soldiers included (CTDC
        /// `isForcedMilitary`; the same code as the datasets' records).
        ForcedMilitaryService => "forced_military",
        Other => "other",
    }
);

closed_enum!(
    /// The role of a country on a case's route.
    RouteRole, "route-role" {
        Origin => "origin",
        Transit => "transit",
        Destination => "destination",
        Exploitation => "exploitation",
    }
);

closed_enum!(
    /// The role of a person in a case.
    PersonRole, "person-role" {
        Victim => "victim",
        Suspect => "suspect",
        Witness => "witness",
        Other => "other",
    }
);

closed_enum!(
    /// Sex or gender as recorded (CTDC: man, woman, trans/non-conforming).
    Gender, "gender" {
        Female => "female",
        Male => "male",
        TransNonConforming => "trans_non_conforming",
        Unknown => "unknown",
    }
);

closed_enum!(
    /// CTDC age bands.
    AgeBand, "age" {
        A0To8 => "0-8",
        A9To17 => "9-17",
        A18To20 => "18-20",
        A21To23 => "21-23",
        A24To26 => "24-26",
        A27To29 => "27-29",
        A30To38 => "30-38",
        A39To47 => "39-47",
        A48Plus => "48+",
    }
);

impl AgeBand {
    /// The band lies entirely under 18.
    pub fn is_minor(self) -> bool {
        matches!(self, AgeBand::A0To8 | AgeBand::A9To17)
    }
}

closed_enum!(
    /// Kinds of paper trail traffickers leave.
    IndicatorKind, "indicator" {
        Advertising => "advertising",
        Rental => "rental",
        Transportation => "transportation",
        Communication => "communication",
        Financial => "financial",
        Other => "other",
    }
);

closed_enum!(
    /// Admiralty scale: reliability of the source.
    SourceReliability, "reliability" {
        A => "A",
        B => "B",
        C => "C",
        D => "D",
        E => "E",
        F => "F",
    }
);

closed_enum!(
    /// Admiralty scale: credibility of the information.
    InfoCredibility, "credibility" {
        C1 => "1",
        C2 => "2",
        C3 => "3",
        C4 => "4",
        C5 => "5",
        C6 => "6",
    }
);

closed_enum!(
    /// The originator's handling restrictions (Protocol Art. 10(3)).
    HandlingCode, "handling" {
        H0 => "H0",
        H1 => "H1",
        H2 => "H2",
        H3 => "H3",
    }
);

closed_enum!(
    /// How two cases are related.
    LinkRelation, "link" {
        SameNetwork => "same_network",
        SameVictim => "same_victim",
        SameSuspect => "same_suspect",
        Duplicate => "duplicate",
    }
);

closed_enum!(
    /// Kinds of requests between states.
    RequestKind, "request-kind" {
        MutualLegalAssistance => "mutual_legal_assistance",
        Extradition => "extradition",
    }
);

closed_enum!(
    /// Where a request between states stands.
    RequestStatus, "request-status" {
        Draft => "draft",
        Sent => "sent",
        Received => "received",
        InProgress => "in_progress",
        Answered => "answered",
        Refused => "refused",
        Withdrawn => "withdrawn",
    }
);

closed_enum!(
    /// What the requested country does with a request.
    RequestAction, "request-action" {
        /// Received and being dealt with.
        Acknowledged => "acknowledged",
        /// More information is needed to act on it.
        MoreInformation => "more_information",
        Answered => "answered",
        /// Refused, with the reason.
        Refused => "refused",
    }
);

closed_enum!(
    /// Where a joint operation stands.
    OperationStatus, "operation-status" {
        Planned => "planned",
        Active => "active",
        Concluded => "concluded",
        Cancelled => "cancelled",
    }
);

closed_enum!(
    /// Who may receive a document.
    AudienceScope, "audience" {
        National => "national",
        Bilateral => "bilateral",
        Regional => "regional",
    }
);

closed_enum!(
    /// CTDC/HTCDS means of control.
    MeansOfControl, "control" {
        DebtBondage => "debt_bondage",
        TakesEarnings => "takes_earnings",
        RestrictsFinancialAccess => "restricts_financial_access",
        Threats => "threats",
        PsychologicalAbuse => "psychological_abuse",
        PhysicalAbuse => "physical_abuse",
        SexualAbuse => "sexual_abuse",
        FalsePromises => "false_promises",
        PsychoactiveSubstances => "psychoactive_substances",
        RestrictsMovement => "restricts_movement",
        RestrictsMedicalCare => "restricts_medical_care",
        ExcessiveWorkingHours => "excessive_working_hours",
        UsesChildren => "uses_children",
        ThreatOfLawEnforcement => "threat_of_law_enforcement",
        WithholdsNecessities => "withholds_necessities",
        WithholdsDocuments => "withholds_documents",
        Other => "other",
    }
);

closed_enum!(
    /// CTDC sector of labour exploitation.
    LabourSector, "labour" {
        Agriculture => "agriculture",
        Aquafarming => "aquafarming",
        Begging => "begging",
        Construction => "construction",
        DomesticWork => "domestic_work",
        Hospitality => "hospitality",
        IllicitActivities => "illicit_activities",
        Manufacturing => "manufacturing",
        MiningOrDrilling => "mining_or_drilling",
        Peddling => "peddling",
        Transportation => "transportation",
        Other => "other",
    }
);

closed_enum!(
    /// CTDC relationship of the recruiter to the victim.
    RecruiterRelation, "recruiter" {
        IntimatePartner => "intimate_partner",
        Friend => "friend",
        Family => "family",
        Other => "other",
        Unknown => "unknown",
    }
);

closed_enum!(
    /// The type of sexual exploitation (CTDC `typeOfSex*`, HTCDS
    /// `vic_TypeOfSexExploitation`).
    SexualExploitationType, "sex-exploitation" {
        Prostitution => "prostitution",
        Pornography => "pornography",
        RemoteInteractiveServices => "remote_interactive_services",
        PrivateSexualServices => "private_sexual_services",
    }
);

closed_enum!(
    /// HTCDS 2.0 trafficking status of a case's victims: what an
    /// organisation decided, apart from the case's legal classification.
    TraffickingStatus, "trafficking-status" {
        Possible => "possible",
        Actual => "actual",
        NotAVictim => "not_a_victim",
    }
);

closed_enum!(
    /// A suspect's role in the trafficking process (HTCDS
    /// `per_RoleInProcess`).
    PerpetratorRole, "perpetrator-role" {
        Recruiter => "recruiter",
        Transporter => "transporter",
        Harbourer => "harbourer",
        Exploiter => "exploiter",
        Smuggler => "smuggler",
        Facilitator => "facilitator",
        Financier => "financier",
        Other => "other",
    }
);

closed_enum!(
    /// CTDC data source.
    DataSource, "datasource" {
        CaseManagement => "case_management",
        Hotline => "hotline",
        Investigation => "investigation",
        Other => "other",
    }
);

closed_enum!(
    /// Kinds of identity and travel documents.
    IdDocumentKind, "id-document" {
        Passport => "passport",
        NationalId => "national_id",
        BirthCertificate => "birth_certificate",
        ResidencePermit => "residence_permit",
        Other => "other",
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, has};
    use serde::Serialize;
    use std::fmt;

    fn check_labels<T: Closed + fmt::Debug + Serialize>() -> Vec<String> {
        let mut missing = vec![];
        for v in T::all() {
            for lang in Lang::ALL {
                if !has(lang, &v.label_key()) {
                    missing.push(format!("{} ({})", v.label_key(), lang.code()));
                }
            }
            assert_eq!(T::parse(v.as_str()).map(|p| p.as_str()), Some(v.as_str()));
            let json = serde_json::to_string(v).expect("serialise");
            assert_eq!(json, format!("\"{}\"", v.as_str()));
        }
        missing
    }

    #[test]
    fn every_enumeration_value_has_spanish_and_english_labels() {
        let mut missing = vec![];
        missing.extend(check_labels::<Classification>());
        missing.extend(check_labels::<CaseStatus>());
        missing.extend(check_labels::<Act>());
        missing.extend(check_labels::<Means>());
        missing.extend(check_labels::<Purpose>());
        missing.extend(check_labels::<RouteRole>());
        missing.extend(check_labels::<PersonRole>());
        missing.extend(check_labels::<Gender>());
        missing.extend(check_labels::<AgeBand>());
        missing.extend(check_labels::<IndicatorKind>());
        missing.extend(check_labels::<SourceReliability>());
        missing.extend(check_labels::<InfoCredibility>());
        missing.extend(check_labels::<HandlingCode>());
        missing.extend(check_labels::<LinkRelation>());
        missing.extend(check_labels::<RequestKind>());
        missing.extend(check_labels::<RequestStatus>());
        missing.extend(check_labels::<RequestAction>());
        missing.extend(check_labels::<crate::RiskLevel>());
        missing.extend(check_labels::<crate::ThreatFactor>());
        missing.extend(check_labels::<crate::ReferralStatus>());
        missing.extend(check_labels::<crate::AgencyKind>());
        missing.extend(check_labels::<crate::Service>());
        missing.extend(check_labels::<OperationStatus>());
        missing.extend(check_labels::<AudienceScope>());
        missing.extend(check_labels::<MeansOfControl>());
        missing.extend(check_labels::<LabourSector>());
        missing.extend(check_labels::<RecruiterRelation>());
        missing.extend(check_labels::<DataSource>());
        missing.extend(check_labels::<IdDocumentKind>());
        missing.extend(check_labels::<crate::DocKind>());
        missing.extend(check_labels::<crate::SortField>());
        assert!(missing.is_empty(), "labels missing: {missing:?}");
    }

    #[test]
    fn spanish_labels_use_the_regions_legal_vocabulary() {
        assert_eq!(
            Classification::Trafficking.label(Lang::Es),
            "Trata de personas"
        );
        assert_eq!(
            Classification::Smuggling.label(Lang::Es),
            "Tráfico ilícito de migrantes"
        );
        assert_eq!(Act::Recruitment.label(Lang::Es), "Captación");
        assert_eq!(Act::Harbouring.label(Lang::Es), "Acogida");
        assert_eq!(
            Means::AbuseOfVulnerability.label(Lang::Es),
            "Abuso de una situación de vulnerabilidad"
        );
        assert_eq!(AgeBand::A48Plus.label_key(), "age-48plus");
    }

    #[test]
    fn unknown_wire_names_are_refused() {
        assert_eq!(Means::parse("bribery"), None);
        assert!(Means::allowed().contains("abuse_of_vulnerability"));
    }
}
