//! The fixed data the sandbox answers lookups from: projects and their
//! ticket types, field names, issue link types. Where the spec has an
//! example, the example is the start of the list.

use serde_json::{Value, json};

use crate::spec::{Api, specs};

/// One custom field's three names.
pub(crate) struct Field {
    pub api_name: &'static str,
    pub jira_label: &'static str,
    pub customfield_id: &'static str,
}

const fn field(
    api_name: &'static str,
    jira_label: &'static str,
    customfield_id: &'static str,
) -> Field {
    Field {
        api_name,
        jira_label,
        customfield_id,
    }
}

/// The custom fields the sandbox knows by name. The first is
/// `getFieldInfo`'s example; the others are the fields the examples use.
pub(crate) const FIELDS: &[Field] = &[
    field("track", "Huella", "customfield_12800"),
    field("customerDocument", "Documento Cliente", "customfield_12801"),
    field("segment", "Segmento", "customfield_12802"),
    field("brand", "Marca", "customfield_12803"),
    field("category", "Categoría", "customfield_12804"),
    field("subcategory", "Subcategoría", "customfield_12805"),
    field("work_order_id", "Orden de Trabajo", "customfield_12806"),
    field(
        "customer_id",
        "Identificador de Cliente",
        "customfield_12807",
    ),
    field("line", "Línea", "customfield_12808"),
    field("document_id", "Documento de Identidad", "customfield_12809"),
    field("massiveFaults", "Averías Masivas", "customfield_12810"),
    field("workorder_index", "Índice de Órdenes", "customfield_12811"),
    field(
        "estimated_resolution_date",
        "Fecha Estimada de Resolución",
        "customfield_12812",
    ),
    field(
        "external_system_name",
        "Sistema Externo",
        "customfield_12813",
    ),
    field(
        "external_system_info",
        "Información Sistema Externo",
        "customfield_12814",
    ),
    field(
        "external_system_category",
        "Categoría Sistema Externo",
        "customfield_12815",
    ),
    field(
        "solution_detail",
        "Detalle de la Solución",
        "customfield_12816",
    ),
    field("subscriptionNumber", "Suscripción", "customfield_12817"),
    field("icc", "ICC", "customfield_12818"),
    field("contactEmail", "Email del Cliente", "customfield_12819"),
    field("customerPostalCode", "Código Postal", "customfield_12820"),
    field("customerSegment", "Segmento Cliente", "customfield_12821"),
];

/// A field by any of its names (case-insensitive), or `cf[12800]`.
pub(crate) fn field_by_any_name(name: &str) -> Option<&'static Field> {
    let cf = name
        .strip_prefix("cf[")
        .and_then(|n| n.strip_suffix(']'))
        .map(|n| format!("customfield_{n}"));
    FIELDS.iter().find(|f| {
        f.api_name.eq_ignore_ascii_case(name)
            || f.jira_label.to_lowercase() == name.to_lowercase()
            || f.customfield_id.eq_ignore_ascii_case(name)
            || cf.as_deref() == Some(f.customfield_id)
    })
}

/// `getTicketTypes`' answer: the documented example's projects, then the
/// projects the other examples use (INST, MAS).
pub(crate) fn ticket_types() -> Value {
    let mut projects: Vec<Value> = specs()
        .response_example(Api::V2, "getTicketTypes", "200")
        .and_then(|e| e.get(0))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    projects.push(json!({
        "projectKey": "INST",
        "name": "Instalaciones",
        "issuetypes": [
            { "name": "Incidencia", "description": "Incidencia" },
            { "name": "Petición", "description": "Solicitud" }
        ]
    }));
    projects.push(json!({
        "projectKey": "MAS",
        "name": "Averías MásMóvil",
        "issuetypes": [
            { "name": "Avería (FTTH)", "description": "Incidencia-Red" },
            { "name": "Avería (xDSL)", "description": "Incidencia-Red" }
        ]
    }));
    json!([projects])
}

/// The ticket types project `key` offers; `None` for an unknown project.
pub(crate) fn types_of(key: &str) -> Option<Vec<String>> {
    let all = ticket_types();
    let project = all[0]
        .as_array()?
        .iter()
        .find(|p| p["projectKey"] == key)?
        .clone();
    Some(
        project["issuetypes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["name"].as_str().map(str::to_owned))
            .collect(),
    )
}

/// Every project key, in `getTicketTypes` order.
pub(crate) fn project_keys() -> Vec<String> {
    ticket_types()[0]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["projectKey"].as_str().map(str::to_owned))
        .collect()
}

/// The issue link types (the spec's only example is `[null]`): the usual
/// Jira ones.
pub(crate) fn link_types() -> Value {
    json!([
        { "name": "Blocks", "inward": "is blocked by", "outward": "blocks" },
        { "name": "Cloners", "inward": "is cloned by", "outward": "clones" },
        { "name": "Duplicate", "inward": "is duplicated by", "outward": "duplicates" },
        { "name": "Relates", "inward": "relates to", "outward": "relates to" }
    ])
}

/// A link type by name (case-insensitive).
pub(crate) fn link_type(name: &str) -> Option<Value> {
    link_types()
        .as_array()?
        .iter()
        .find(|t| {
            t["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .cloned()
}
