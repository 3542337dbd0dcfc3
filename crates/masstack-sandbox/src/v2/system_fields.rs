//! Jira's system fields by their JQL names, for telling a field the
//! sandbox does not model (`priority`: a real Jira field, which just holds
//! no value here) from one Jira has not got (`foo`: refused, as Jira does).

/// The JQL names and aliases of Jira's system fields (Atlassian's JQL
/// field reference), lower case. Fields the sandbox models are among them.
const SYSTEM_FIELDS: &[&str] = &[
    "affectedversion",
    "assignee",
    "attachments",
    "category",
    "comment",
    "component",
    "created",
    "createddate",
    "creator",
    "description",
    "due",
    "duedate",
    "environment",
    "filter",
    "fixversion",
    "id",
    "issue",
    "issuekey",
    "issuelinktype",
    "issuetype",
    "key",
    "labels",
    "lastviewed",
    "level",
    "originalestimate",
    "parent",
    "priority",
    "project",
    "projecttype",
    "remainingestimate",
    "reporter",
    "request",
    "resolution",
    "resolutiondate",
    "resolved",
    "savedfilter",
    "searchrequest",
    "status",
    "statuscategory",
    "summary",
    "text",
    "timeestimate",
    "timeoriginalestimate",
    "timespent",
    "type",
    "updated",
    "updateddate",
    "voter",
    "votes",
    "watcher",
    "watchers",
    "workratio",
    "worklogauthor",
    "worklogcomment",
    "worklogdate",
];

/// Whether `name` is one of Jira's system fields (case-insensitive, as
/// JQL field names are).
pub(crate) fn is_system_field(name: &str) -> bool {
    SYSTEM_FIELDS.contains(&name.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jira_fields_are_known_in_any_case() {
        assert!(is_system_field("priority"));
        assert!(is_system_field("fixVersion"));
        assert!(!is_system_field("foo"));
        assert!(
            SYSTEM_FIELDS
                .iter()
                .all(|f| *f == f.to_ascii_lowercase().as_str()),
            "the list is lower case, for the lookup"
        );
    }
}
