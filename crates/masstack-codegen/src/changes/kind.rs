//! The kinds of change: what each is called in the review, the version
//! bump it asks when it breaks nothing, and its changelog section.

use serde::{Serialize, Serializer};

/// What a change asks of the crate's version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// A fix: the next patch version.
    Patch,
    /// Something new, nothing broken: a minor version (a patch in 0.x).
    Addition,
    /// Something breaks: a major version (a minor in 0.x).
    Breaking,
}

/// The section of a Keep a Changelog entry a change is listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Something new.
    Added,
    /// Something different.
    Changed,
    /// Something gone.
    Removed,
}

impl Section {
    /// Every section, in the order an entry lists them.
    pub const ALL: [Section; 3] = [Section::Added, Section::Changed, Section::Removed];

    /// Its heading in the changelog.
    pub fn title(self) -> &'static str {
        match self {
            Section::Added => "Added",
            Section::Changed => "Changed",
            Section::Removed => "Removed",
        }
    }
}

/// What kind of change: one of the spec's API, of the manifest's settings,
/// or of a crate's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    // Operations.
    /// A new operation.
    OperationAdded,
    /// An operation is gone.
    OperationRemoved,
    /// An operation has another operationId (same method and path).
    OperationRenamed,
    /// An operation's path changed.
    OperationPathChanged,
    /// An operation's HTTP method changed.
    OperationMethodChanged,
    /// A new parameter.
    ParameterAdded,
    /// A parameter is gone.
    ParameterRemoved,
    /// An optional parameter became required.
    ParameterRequired,
    /// A required parameter became optional.
    ParameterOptional,
    /// A parameter's type changed.
    ParameterTypeChanged,
    /// A request body where there was none.
    BodyAdded,
    /// The request body is gone.
    BodyRemoved,
    /// The request body's type changed.
    BodyTypeChanged,
    /// An optional request body became required.
    BodyRequired,
    /// A required request body became optional.
    BodyOptional,
    /// The success response's type changed.
    SuccessTypeChanged,
    /// The documented success statuses changed.
    SuccessStatusChanged,
    /// The error responses' type changed.
    ErrorTypeChanged,
    /// A newly documented error status.
    ErrorStatusAdded,
    /// An error status no longer documented.
    ErrorStatusRemoved,
    // Schemas.
    /// A new named schema.
    SchemaAdded,
    /// A named schema is gone.
    SchemaRemoved,
    /// A schema became another kind (object, enum, ...).
    SchemaKindChanged,
    /// A new enum value.
    EnumValueAdded,
    /// An enum value is gone.
    EnumValueRemoved,
    /// A new field.
    FieldAdded,
    /// A field is gone.
    FieldRemoved,
    /// An optional field became required.
    FieldRequired,
    /// A required field became optional.
    FieldOptional,
    /// A field's type changed.
    FieldTypeChanged,
    // Servers and security.
    /// A new server URL.
    ServerAdded,
    /// A server URL replaced by another.
    ServerChanged,
    /// A server URL is gone.
    ServerRemoved,
    /// A new security scheme.
    SecurityAdded,
    /// A security scheme's kind changed.
    SecurityChanged,
    /// A security scheme is gone.
    SecurityRemoved,
    /// Security became required by default.
    SecurityRequired,
    // The manifest's generation policy.
    /// The `non_exhaustive` setting changed.
    PolicyNonExhaustive,
    /// The `interface` setting changed.
    PolicyInterface,
    /// The `environments` extra was turned on or off.
    PolicyEnvironments,
    /// The `open_enums` setting changed.
    PolicyOpenEnums,
    /// The `decode` setting changed.
    PolicyDecode,
    /// `features = "per-tag"` was turned on or off.
    PolicyFeatures,
    // Per-tag features.
    /// A tag's feature is new.
    FeatureAdded,
    /// A tag's feature is gone.
    FeatureRemoved,
    /// An operation or a type compiles under other features.
    FeaturesMoved,
    // The manifest's type settings.
    /// A schema replaced by another Rust type (or no longer).
    SettingsReplace,
    /// A generated type renamed by a patch.
    SettingsRename,
    /// The derives changed.
    SettingsDerives,
    /// The schema-to-type conversions changed.
    SettingsConvert,
    /// The map type of free-form objects changed.
    SettingsMapType,
    // The crate's files and dependencies.
    /// Only the spec's `info.version` changed.
    ApiVersion,
    /// The run-time crate the client re-exports had a breaking change.
    RuntimeBreaking,
    /// Only documentation changed in the crate's files.
    Documentation,
    /// The crate's code changed without a spec change.
    CodeChanged,
    /// cargo-semver-checks found an addition to the public API.
    ApiAdded,
    /// The crate's default cargo features changed.
    DefaultFeatures,
}

impl ChangeKind {
    /// Every kind.
    pub const ALL: [ChangeKind; 57] = [
        ChangeKind::OperationAdded,
        ChangeKind::OperationRemoved,
        ChangeKind::OperationRenamed,
        ChangeKind::OperationPathChanged,
        ChangeKind::OperationMethodChanged,
        ChangeKind::ParameterAdded,
        ChangeKind::ParameterRemoved,
        ChangeKind::ParameterRequired,
        ChangeKind::ParameterOptional,
        ChangeKind::ParameterTypeChanged,
        ChangeKind::BodyAdded,
        ChangeKind::BodyRemoved,
        ChangeKind::BodyTypeChanged,
        ChangeKind::BodyRequired,
        ChangeKind::BodyOptional,
        ChangeKind::SuccessTypeChanged,
        ChangeKind::SuccessStatusChanged,
        ChangeKind::ErrorTypeChanged,
        ChangeKind::ErrorStatusAdded,
        ChangeKind::ErrorStatusRemoved,
        ChangeKind::SchemaAdded,
        ChangeKind::SchemaRemoved,
        ChangeKind::SchemaKindChanged,
        ChangeKind::EnumValueAdded,
        ChangeKind::EnumValueRemoved,
        ChangeKind::FieldAdded,
        ChangeKind::FieldRemoved,
        ChangeKind::FieldRequired,
        ChangeKind::FieldOptional,
        ChangeKind::FieldTypeChanged,
        ChangeKind::ServerAdded,
        ChangeKind::ServerChanged,
        ChangeKind::ServerRemoved,
        ChangeKind::SecurityAdded,
        ChangeKind::SecurityChanged,
        ChangeKind::SecurityRemoved,
        ChangeKind::SecurityRequired,
        ChangeKind::PolicyNonExhaustive,
        ChangeKind::PolicyInterface,
        ChangeKind::PolicyEnvironments,
        ChangeKind::PolicyOpenEnums,
        ChangeKind::PolicyDecode,
        ChangeKind::PolicyFeatures,
        ChangeKind::FeatureAdded,
        ChangeKind::FeatureRemoved,
        ChangeKind::FeaturesMoved,
        ChangeKind::SettingsReplace,
        ChangeKind::SettingsRename,
        ChangeKind::SettingsDerives,
        ChangeKind::SettingsConvert,
        ChangeKind::SettingsMapType,
        ChangeKind::ApiVersion,
        ChangeKind::RuntimeBreaking,
        ChangeKind::Documentation,
        ChangeKind::CodeChanged,
        ChangeKind::ApiAdded,
        ChangeKind::DefaultFeatures,
    ];

    /// Its name in the review, the changelog and `check`'s messages
    /// (`operation-added`).
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::OperationAdded => "operation-added",
            ChangeKind::OperationRemoved => "operation-removed",
            ChangeKind::OperationRenamed => "operation-renamed",
            ChangeKind::OperationPathChanged => "operation-path-changed",
            ChangeKind::OperationMethodChanged => "operation-method-changed",
            ChangeKind::ParameterAdded => "parameter-added",
            ChangeKind::ParameterRemoved => "parameter-removed",
            ChangeKind::ParameterRequired => "parameter-required",
            ChangeKind::ParameterOptional => "parameter-optional",
            ChangeKind::ParameterTypeChanged => "parameter-type-changed",
            ChangeKind::BodyAdded => "body-added",
            ChangeKind::BodyRemoved => "body-removed",
            ChangeKind::BodyTypeChanged => "body-type-changed",
            ChangeKind::BodyRequired => "body-required",
            ChangeKind::BodyOptional => "body-optional",
            ChangeKind::SuccessTypeChanged => "success-type-changed",
            ChangeKind::SuccessStatusChanged => "success-status-changed",
            ChangeKind::ErrorTypeChanged => "error-type-changed",
            ChangeKind::ErrorStatusAdded => "error-status-added",
            ChangeKind::ErrorStatusRemoved => "error-status-removed",
            ChangeKind::SchemaAdded => "schema-added",
            ChangeKind::SchemaRemoved => "schema-removed",
            ChangeKind::SchemaKindChanged => "schema-kind-changed",
            ChangeKind::EnumValueAdded => "enum-value-added",
            ChangeKind::EnumValueRemoved => "enum-value-removed",
            ChangeKind::FieldAdded => "field-added",
            ChangeKind::FieldRemoved => "field-removed",
            ChangeKind::FieldRequired => "field-required",
            ChangeKind::FieldOptional => "field-optional",
            ChangeKind::FieldTypeChanged => "field-type-changed",
            ChangeKind::ServerAdded => "server-added",
            ChangeKind::ServerChanged => "server-changed",
            ChangeKind::ServerRemoved => "server-removed",
            ChangeKind::SecurityAdded => "security-added",
            ChangeKind::SecurityChanged => "security-changed",
            ChangeKind::SecurityRemoved => "security-removed",
            ChangeKind::SecurityRequired => "security-required",
            ChangeKind::PolicyNonExhaustive => "policy-non-exhaustive",
            ChangeKind::PolicyInterface => "policy-interface",
            ChangeKind::PolicyEnvironments => "policy-environments",
            ChangeKind::PolicyOpenEnums => "policy-open-enums",
            ChangeKind::PolicyDecode => "policy-decode",
            ChangeKind::PolicyFeatures => "policy-features",
            ChangeKind::FeatureAdded => "feature-added",
            ChangeKind::FeatureRemoved => "feature-removed",
            ChangeKind::FeaturesMoved => "features-moved",
            ChangeKind::SettingsReplace => "settings-replace",
            ChangeKind::SettingsRename => "settings-rename",
            ChangeKind::SettingsDerives => "settings-derives",
            ChangeKind::SettingsConvert => "settings-convert",
            ChangeKind::SettingsMapType => "settings-map-type",
            ChangeKind::ApiVersion => "api-version",
            ChangeKind::RuntimeBreaking => "runtime-breaking",
            ChangeKind::Documentation => "documentation",
            ChangeKind::CodeChanged => "code-changed",
            ChangeKind::ApiAdded => "api-added",
            ChangeKind::DefaultFeatures => "default-features",
        }
    }

    /// Its changelog section: something new, something gone, or something
    /// different.
    pub fn section(self) -> Section {
        use ChangeKind::*;
        match self {
            OperationAdded | ParameterAdded | BodyAdded | ErrorStatusAdded | SchemaAdded
            | EnumValueAdded | FieldAdded | ServerAdded | SecurityAdded | ApiAdded
            | FeatureAdded => Section::Added,
            OperationRemoved | ParameterRemoved | BodyRemoved | ErrorStatusRemoved
            | SchemaRemoved | EnumValueRemoved | FieldRemoved | ServerRemoved | SecurityRemoved
            | FeatureRemoved => Section::Removed,
            OperationRenamed
            | OperationPathChanged
            | OperationMethodChanged
            | ParameterRequired
            | ParameterOptional
            | ParameterTypeChanged
            | BodyTypeChanged
            | BodyRequired
            | BodyOptional
            | SuccessTypeChanged
            | SuccessStatusChanged
            | ErrorTypeChanged
            | SchemaKindChanged
            | FieldRequired
            | FieldOptional
            | FieldTypeChanged
            | ServerChanged
            | SecurityChanged
            | SecurityRequired
            | PolicyNonExhaustive
            | PolicyInterface
            | PolicyEnvironments
            | PolicyOpenEnums
            | PolicyDecode
            | PolicyFeatures
            | FeaturesMoved
            | SettingsReplace
            | SettingsRename
            | SettingsDerives
            | SettingsConvert
            | SettingsMapType
            | ApiVersion
            | RuntimeBreaking
            | Documentation
            | CodeChanged
            | DefaultFeatures => Section::Changed,
        }
    }

    /// The bump a change of this kind asks when neither of its verdicts
    /// breaks: something new is an addition, anything else a patch. (A
    /// breaking verdict makes any kind [`Bump::Breaking`]: see
    /// [`super::Change::bump`].)
    pub fn bump(self) -> Bump {
        if matches!(
            self,
            ChangeKind::PolicyFeatures | ChangeKind::DefaultFeatures
        ) {
            // Turned on: the crate gains features (a minor release in
            // Cargo's semver rules); turned off, its verdict breaks.
            return Bump::Addition;
        }
        match self.section() {
            Section::Added => Bump::Addition,
            Section::Changed | Section::Removed => Bump::Patch,
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// As its name: the JSON review reads as it did with string kinds.
impl Serialize for ChangeKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_kebab_case() {
        let names: std::collections::BTreeSet<&str> =
            ChangeKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), ChangeKind::ALL.len());
        for name in names {
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
        }
    }

    #[test]
    fn additions_are_added_and_removals_removed() {
        assert_eq!(ChangeKind::FieldAdded.bump(), Bump::Addition);
        assert_eq!(ChangeKind::ApiAdded.section(), Section::Added);
        assert_eq!(ChangeKind::SchemaRemoved.bump(), Bump::Patch);
        assert_eq!(ChangeKind::SchemaRemoved.section(), Section::Removed);
        assert_eq!(ChangeKind::Documentation.bump(), Bump::Patch);
        assert_eq!(ChangeKind::RuntimeBreaking.section(), Section::Changed);
    }
}
